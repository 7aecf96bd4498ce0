// dovecot-lint given one file of a tree (a conf.d file), as users run it: the bundled dist/cli.js.
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { before, test } from 'node:test';
import { buildBundles, runCli, type CliResult } from './helpers/cli';
import { tempDir } from './helpers/tempDir';

const dir = tempDir('dovecot-lint-tree-file-');
const write = (name: string, text: string): string => {
  mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
  writeFileSync(path.join(dir, name), text);
  return path.join(dir, name);
};

// A Dovecot 2.4 tree: only its root may start with dovecot_config_version, as in Debian's stock tree.
const root = write(
  'etc/dovecot/dovecot.conf',
  'dovecot_config_version = 2.4.0\ndovecot_storage_version = 2.4.0\n!include conf.d/*.conf\nroot_typo = yes\n',
);
const clean = write('etc/dovecot/conf.d/10-mail.conf', 'mail_driver = maildir\nmail_path = ~/Maildir\n');
const broken = write('etc/dovecot/conf.d/20-imap.conf', 'protocol imap {\n  imap_typo = 1\n}\n');
const alone = write('alone/extra.conf', 'mail_debug = yes\n');

const lint = (...args: string[]): CliResult => runCli(dir, ...args);
const codesOf = (result: CliResult): string[] => [...result.stdout.matchAll(/\[([a-z0-9-]+)\]$/gm)].map((m) => m[1]);

before(buildBundles);

test('a clean conf.d file of a 2.4 tree is read as part of the tree: no error, exit 0', () => {
  const result = lint(clean);
  assert.equal(result.stdout, '');
  assert.equal(result.status, 0, result.stderr);
});

test("a conf.d file's own problems are printed, not those of the rest of the tree", () => {
  const result = lint(broken);
  assert.equal(result.status, 1, result.stderr);
  assert.match(
    result.stdout,
    /^etc\/dovecot\/conf\.d\/20-imap\.conf:2:3: error: .*Unknown setting: imap_typo \[unknown-setting\]$/m,
  );
  assert.doesNotMatch(result.stdout, /root_typo|dovecot\.conf:/);
});

test('json names the tree the file was analysed in as its root', () => {
  const result = lint('--format', 'json', broken);
  const diagnostics = JSON.parse(result.stdout) as { file: string; root: string }[];
  assert.ok(diagnostics.length > 0, result.stdout);
  for (const diagnostic of diagnostics) assert.deepEqual([diagnostic.file, diagnostic.root], [broken, root]);
});

test('the root named beside one of its files is analysed whole, once', () => {
  const result = lint(broken, root, clean);
  assert.equal(result.status, 1, result.stderr);
  assert.deepEqual(codesOf(result).sort(), ['unknown-setting', 'unknown-setting']);
  assert.match(result.stdout, /root_typo/);
  assert.match(result.stdout, /imap_typo/);
});

test('two files of one tree: the problems of both, the tree analysed once', () => {
  const result = lint(clean, broken);
  assert.deepEqual(codesOf(result), ['unknown-setting']);
  assert.equal(result.status, 1, result.stderr);
});

test('a file no root above it includes is still read as a root of its own', () => {
  const result = lint(alone);
  assert.equal(result.status, 0, result.stderr);
  assert.equal(result.stdout, '');
  const asRoot = lint('--dovecot-version', '2.4', alone);
  assert.equal(asRoot.status, 1, 'read as a 2.4 root, it lacks dovecot_config_version');
  assert.match(asRoot.stdout, /config-version-missing/);
});

test('--print-effective on a conf.d file prints the settings of its whole tree', () => {
  const result = lint('--print-effective', clean);
  assert.equal(result.status, 0, result.stderr);
  assert.match(result.stdout, /mail_driver = maildir/);
  assert.match(result.stdout, /dovecot_config_version = 2\.4\.0/);
});
