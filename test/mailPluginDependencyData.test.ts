// The mail plugin dependency data (data/dovecot/mail-plugin-dependencies.json): what the script makes of the
// Dovecot sources when their mirrors are at hand (SKIPPED otherwise), and the facts the rule relies on.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import dependencyData from '../data/dovecot/mail-plugin-dependencies.json';
import { DOVECONF_24 } from './oracle24/verdict';
import { assertGeneratedFromMirrors } from './helpers/sourceMirrors';

type Version = '2.3' | '2.4';

describe('the plugin dependency data', () => {
  test('is what scripts/mail-plugin-dependencies.mjs reads from the Dovecot sources', (t) => {
    assertGeneratedFromMirrors(t, 'mail-plugin-dependencies.mjs', [
      'dovecot+core',
      'dovecot+pigeonhole',
      'grosjo+fts-xapian',
    ]);
  });

  test('holds the dependencies each version declares, and no plugin without any', () => {
    const of = (version: Version) =>
      Object.fromEntries(dependencyData.versions[version].plugins.map((p) => [p.name, p.dependencies.join(' ')]));
    const v23 = of('2.3');
    const v24 = of('2.4');
    for (const table of [v23, v24]) {
      assert.equal(table.imap_quota, 'quota');
      assert.equal(table.trash, 'quota');
      assert.equal(table.quota_clone, 'quota');
      assert.equal(table.mail_log, 'notify');
      assert.equal(table.push_notification, 'notify');
      assert.equal(table.imap_acl, 'acl');
      assert.equal(table.mail_crypt_acl, 'acl');
      assert.equal(table.fts_xapian, 'fts');
      // Pigeonhole's imap_sieve and imap_filter_sieve declare none (only that they run in imap).
      assert.equal(table.imap_sieve, undefined);
      assert.equal(table.imap_filter_sieve, undefined);
    }
    assert.equal(v23.fts_lucene, 'fts');
    assert.equal(v23.replication, 'notify');
    assert.equal(v24.fts_flatcurve, 'fts');
    assert.equal(v24.fts_lucene, undefined);
    for (const version of ['2.3', '2.4'] as const) {
      const onlyBy = dependencyData.versions[version].loadedOnlyBy as Record<
        string,
        { programs: string[] } | undefined
      >;
      assert.deepEqual(onlyBy.imap_quota?.programs, ['imap']);
      assert.deepEqual(onlyBy.imap_sieve?.programs, ['imap']);
      assert.deepEqual(onlyBy.sieve?.programs, ['lda', 'lmtp']);
      assert.equal(onlyBy.quota, undefined);
    }
  });
});

/** The installed module directories: Debian's 2.3 packages and the 2.4.4 build. */
const MODULE_DIRS: Record<Version, string> = {
  '2.3': '/usr/lib/dovecot/modules',
  '2.4': path.join(path.dirname(path.dirname(DOVECONF_24)), 'lib', 'dovecot'),
};

/** The `<module>_binary_dependency` strings a module file exports, read with objdump. */
function binaryDependencies(file: string): Map<string, string> {
  const symbols = spawnSync('objdump', ['-T', file], { encoding: 'utf8' }).stdout;
  const found = new Map<string, string>();
  for (const [, address, size, symbol] of symbols.matchAll(
    /^([0-9a-f]+) .*\s\.rodata\s+([0-9a-f]+)\s+(?:\S+\s+)?(\w+_binary_dependency)$/gm,
  )) {
    const start = parseInt(address, 16);
    const range = [`--start-address=${start}`, `--stop-address=${start + parseInt(size, 16)}`];
    const dump = spawnSync('objdump', ['-s', '-j', '.rodata', ...range, file], { encoding: 'utf8' }).stdout;
    const hex = [...dump.matchAll(/^ [0-9a-f]+ ((?:[0-9a-f]{2,8} ?)+)/gm)].map((m) => m[1].replace(/ /g, '')).join('');
    found.set(symbol, Buffer.from(hex, 'hex').toString('latin1').replace(/\0.*$/s, ''));
  }
  return found;
}

describe('the plugins kept to some programs, against the installed module files', () => {
  for (const version of ['2.3', '2.4'] as const) {
    const dir = MODULE_DIRS[version];
    const objdump = spawnSync('objdump', ['--version']).status === 0;
    const present = existsSync(dir) && objdump;
    if (!present) console.log(`SKIPPED: ${objdump ? `no Dovecot ${version} modules at ${dir}` : 'no objdump'}`);
    test(
      `${version}: each installed plugin exports the programs the data says, and no other does`,
      { skip: !present },
      () => {
        const onlyBy = dependencyData.versions[version].loadedOnlyBy as Record<
          string,
          { programs: string[]; module: string }
        >;
        const files = new Set(readdirSync(dir).filter((name) => /^lib\w+_plugin\.so$/.test(name)));
        const recorded = Object.entries(onlyBy).filter(([, bound]) => files.has(bound.module));
        assert.ok(recorded.length >= 4, `only ${recorded.length} of the recorded plugins are installed in ${dir}`);
        const exported = new Map<string, string>();
        for (const file of files)
          for (const [symbol, programs] of binaryDependencies(path.join(dir, file)))
            exported.set(`${file} ${symbol}`, programs);
        assert.deepEqual(
          Object.fromEntries([...exported].sort()),
          Object.fromEntries(
            recorded
              .map(([name, bound]) => [`${bound.module} ${name}_plugin_binary_dependency`, bound.programs.join(' ')])
              .sort(),
          ),
        );
      },
    );
  }
});
