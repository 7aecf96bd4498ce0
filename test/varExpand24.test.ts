// 2.4 variable syntax: 2.3 short forms found with their 2.4 replacements. The %{...} program parser
// has its own test (varExpandParser24.test.ts).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { shortVariables23 } from '../server/src/service/schema/varExpand24';

test('2.3 short variables and their 2.4 forms; %% and unknown letters are left alone', () => {
  assert.deepEqual(
    shortVariables23('/srv/%d/%n/%Lu').map((v) => [v.offset, v.text, v.replacement]),
    [
      [5, '%d', '%{user | domain}'],
      [8, '%n', '%{user | username}'],
      [11, '%Lu', '%{user | lower}'],
    ],
  );
  assert.deepEqual(shortVariables23('100%% %{user} %q'), []);
});
