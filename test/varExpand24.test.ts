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

test('the % of an IPv6 zone is not a variable; one after other text with colons is', () => {
  for (const value of ['fe80::1%lo', 'fe80::1%eth0 10.0.0.1', '[fe80::1%lo]:143', 'fe80::/64%eth0', '::1%lo'])
    assert.deepEqual(shortVariables23(value), [], value);
  assert.deepEqual(
    shortVariables23('maildir:~/Maildir:INDEX=/var/index/%u proxy:%d').map((v) => v.text),
    ['%u', '%d'],
  );
  assert.deepEqual(
    shortVariables23('user:%u host=fe80::1%lo').map((v) => v.text),
    ['%u'],
  );
});
