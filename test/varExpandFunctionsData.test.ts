// The names a Dovecot 2.4 `%{name}` calls as a function (data/dovecot/var-expand-functions-2.4.json): what the
// script reads from the Dovecot sources when their mirror is at hand (SKIPPED otherwise), and what the
// master variable check does with them.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import functionData from '../data/dovecot/var-expand-functions-2.4.json';
import { unknownMasterVariable } from '../server/src/service/analysis/masterVariables24';
import { assertGeneratedFromMirrors } from './helpers/sourceMirrors';

describe('the 2.4 %{...} function names', () => {
  test('are what scripts/var-expand-functions-24.mjs reads from the Dovecot sources', (t) => {
    assertGeneratedFromMirrors(t, 'var-expand-functions-24.mjs', ['dovecot+core']);
  });

  test('hold the built-in filters and the ones the Lua plugin registers', () => {
    const names = new Set(functionData.functions.map((entry) => entry.name));
    for (const name of ['lookup', 'literal', 'upper', 'default', 'username', 'domain', 'lua_call', 'lua_file'])
      assert.ok(names.has(name), name);
    assert.ok(!names.has('user'));
  });

  test('a %{name} that calls a function is not taken for an unknown variable; a plain variable is', () => {
    assert.equal(unknownMasterVariable('/run/%{upper}'), undefined);
    assert.equal(unknownMasterVariable('/run/%{lua_call}'), undefined);
    assert.equal(unknownMasterVariable('/run/%{user}'), 'user');
  });
});
