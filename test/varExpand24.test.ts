// 2.4 variable syntax: 2.3 short forms found with their 2.4 replacements, and the one %{...} syntax
// error we reproduce word for word (recorded from doveconf 2.4.4 in the oracle cases x02 and x10).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { shortVariables23, varExpandError24 } from '../server/src/service/schema/varExpand24';

test('2.3 short variables and their 2.4 forms; %% and unknown letters are left alone', () => {
  assert.deepEqual(shortVariables23('/srv/%d/%n/%Lu').map((v) => [v.offset, v.text, v.replacement]), [
    [5, '%d', '%{user | domain}'],
    [8, '%n', '%{user | username}'],
    [11, '%Lu', '%{user | lower}'],
  ]);
  assert.deepEqual(shortVariables23('100%% %{user} %q'), []);
});

test('an unclosed %{ is doveconf\'s syntax error; well-formed programs give none', () => {
  assert.equal(varExpandError24('~/%{user'), 'syntax error, unexpected end of file, expecting CCBRACE or PIPE');
  assert.equal(varExpandError24('~/%{user | domain}'), undefined);
  assert.equal(varExpandError24("%{user | default('x}')}"), undefined);
  assert.equal(varExpandError24('%%{user'), undefined);
});
