// The names a Dovecot 2.4 `%{name}` calls as a function (data/dovecot/var-expand-functions-2.4.json): what the
// script reads from the Dovecot sources when their mirror is at hand (SKIPPED otherwise), and what the
// master variable check does with them.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import functionData from '../data/dovecot/var-expand-functions-2.4.json';
import functionsAsVariables from '../data/dovecot/doveconf-x-2.4.4-functions-as-variables.json';
import { masterExpansionError } from '../server/src/service/analysis/masterVariables24';
import { doveconfInstalled, runDoveconf, writeCase } from './oracle/cases';
import { DOVECONF_24 } from './oracle24/verdict';
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

  test('each has the verdict doveconf 2.4.4 -x gave on it in a setting the master expands', () => {
    const recorded = functionsAsVariables.functions.map((entry) => entry.name);
    assert.deepEqual(
      recorded,
      functionData.functions.map((entry) => entry.name),
    );
  });

  test('the recorded verdicts are what the live doveconf 2.4.4 -x says', (t) => {
    if (!doveconfInstalled(DOVECONF_24)) {
      console.log(`SKIPPED: no Dovecot 2.4 doveconf at ${DOVECONF_24}; the recorded verdicts are still used`);
      t.skip('no doveconf 2.4');
      return;
    }
    const verdict = (value: string): string | null => {
      const lines = ['dovecot_config_version = 2.4.4', 'dovecot_storage_version = 2.4.4'];
      lines.push('service imap {', `  executable = imap ${value}`, '}');
      const { output } = runDoveconf(
        writeCase({ name: 'function.conf', header: '', lines, recorded: { output: '', rc: 0 } }),
        DOVECONF_24,
        true,
      );
      const panic = /^doveconf: (Panic: .*)$/m.exec(output)?.[1];
      return panic ?? /^doveconf: Fatal: .* setting variables: (.*)$/m.exec(output)?.[1] ?? null;
    };
    for (const entry of functionsAsVariables.functions) {
      assert.equal(verdict(`%{${entry.name}}`), entry.alone, entry.name);
      assert.equal(verdict(`%{${entry.name}}%{dovecot_lint_probe}`), entry.followed, entry.name);
    }
  });

  test('a %{name} that calls a function fails with its own error, not as an unknown variable', () => {
    assert.equal(masterExpansionError('/run/%{upper}')?.error, 'upper: No value to upper');
    assert.equal(masterExpansionError('/run/%{user}')?.error, "Unknown variable 'user'");
  });
});
