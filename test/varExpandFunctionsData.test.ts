// The names a Dovecot 2.4 `%{name}` calls as a function (data/dovecot/var-expand-functions-2.4.json): what the
// script reads from the Dovecot sources when their mirror is at hand (SKIPPED otherwise), and what the
// master variable check does with them.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import functionData from '../data/dovecot/var-expand-functions-2.4.json';
import { unknownMasterVariable } from '../server/src/service/analysis/masterVariables24';

describe('the 2.4 %{...} function names', () => {
  test('are what scripts/var-expand-functions-24.mjs reads from the Dovecot sources', (t) => {
    const mirrors = process.env.DOVECOT_SOURCE_MIRRORS || '/work/.mirror';
    const repo = path.join(mirrors, 'dovecot+core', 'repo');
    if (!existsSync(repo)) {
      console.log(`SKIPPED: no source mirror at ${repo}; the checked-in data was not regenerated`);
      t.skip('no source mirror');
      return;
    }
    const script = path.join(__dirname, '..', 'scripts', 'var-expand-functions-24.mjs');
    const run = spawnSync(process.execPath, [script, '--mirrors', mirrors, '--check'], { encoding: 'utf8' });
    assert.equal(run.status, 0, run.stderr);
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
