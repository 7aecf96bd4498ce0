// dovecot-lint as users run it: the bundled dist/cli.js.
import assert from 'node:assert/strict';
import { chmodSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { before, test } from 'node:test';
import { buildBundles, runCli, type CliResult } from './helpers/cli';
import { tempDir } from './helpers/tempDir';

const dir = tempDir('dovecot-lint-cli-');
const write = (name: string, text: string): string => {
  writeFileSync(path.join(dir, name), text);
  return path.join(dir, name);
};
const clean = write('clean.conf', 'mail_debug = yes\nprotocols = imap\n');
const broken = write('broken.conf', 'mail_debug = yes\nservice imap {\n  foo_bar = 1\n}\nprotocols = imap#x\n');
const warningOnly = write('warn.conf', 'protocols = imap#x\n');

const lint = (...args: string[]): CliResult => runCli(dir, ...args);

before(buildBundles);

test('a clean file: exit 0, no output', () => {
  const result = lint(clean);
  assert.equal(result.status, 0, result.stderr);
  assert.equal(result.stdout, '');
});

test('text format: file:line:column: severity: message [code], 1-based', () => {
  const result = lint('broken.conf');
  assert.equal(result.status, 1);
  const lines = result.stdout.trim().split('\n');
  assert.ok(
    lines.includes('broken.conf:3:3: error: Unknown setting: service { foo_bar [unknown-setting]'),
    result.stdout,
  );
  assert.ok(
    lines.some(
      (line) =>
        line.startsWith("broken.conf:5:17: warning: Ambiguous '#' character") && line.endsWith('[ambiguous-comment]'),
    ),
    result.stdout,
  );
});

test('json format: an array of {file, line, column, endLine, endColumn, severity, code, message, root}', () => {
  const result = lint('--format', 'json', broken);
  assert.equal(result.status, 1);
  const diagnostics = JSON.parse(result.stdout) as Record<string, unknown>[];
  const unknown = diagnostics.find((d) => d.code === 'unknown-setting');
  assert.deepEqual(unknown, {
    file: broken,
    line: 3,
    column: 3,
    endLine: 3,
    endColumn: 10,
    severity: 'error',
    code: 'unknown-setting',
    message: 'Unknown setting: service { foo_bar',
    root: broken,
  });
  const ambiguous = diagnostics.find((d) => d.code === 'ambiguous-comment');
  assert.equal(ambiguous?.severity, 'warning');
  assert.equal(ambiguous?.line, 5);
  assert.deepEqual(JSON.parse(lint('--format=json', clean).stdout), []);
});

test('output larger than a pipe holds arrives whole, with the exit status, as the command ends at once', () => {
  const unknownKeys = Array.from({ length: 3000 }, (_, i) => `unknown_key_${i} = 1`);
  write('many.conf', `${unknownKeys.join('\n')}\n`);
  const result = lint('--format', 'json', 'many.conf');
  assert.equal(result.status, 1, result.stderr);
  assert.ok(result.stdout.length > 4 * 65536, `${result.stdout.length} bytes`);
  const reported = (JSON.parse(result.stdout) as { code: string; line: number }[]).filter(
    (diagnostic) => diagnostic.code === 'unknown-setting',
  );
  assert.deepEqual(
    reported.map((diagnostic) => diagnostic.line),
    unknownKeys.map((_, i) => i + 1),
  );
});

test('warnings only: exit 0', () => {
  const result = lint(warningOnly);
  assert.equal(result.status, 0);
  assert.match(result.stdout, /warning: Ambiguous/);
});

test('--rule id=off drops a rule, id=error raises one', () => {
  const off = lint('--rule', 'unknown-setting=off', '--format', 'json', broken);
  assert.equal(off.status, 0);
  assert.ok(!(JSON.parse(off.stdout) as { code: string }[]).some((d) => d.code === 'unknown-setting'));
  const raised = lint('--rule', 'ambiguous-comment=error', warningOnly);
  assert.equal(raised.status, 1);
  assert.match(raised.stdout, /error: Ambiguous/);
});

test('usage errors: exit 2, a message and the usage, no stack trace', () => {
  for (const args of [
    [],
    ['--format', 'xml', clean],
    ['--rule', 'nope=off', clean],
    ['--rule', 'unknown-setting=loud', clean],
    ['--bogus', clean],
    ['--format'],
  ]) {
    const result = lint(...args);
    assert.equal(result.status, 2, args.join(' '));
    assert.match(result.stderr, /^dovecot-lint: /);
    assert.match(result.stderr, /Usage: dovecot-lint/);
    assert.doesNotMatch(result.stderr, /\n\s+at /, 'no stack trace');
  }
});

test('unreadable input: exit 2 with a clear message', () => {
  const missing = lint('no-such.conf');
  assert.equal(missing.status, 2);
  assert.match(missing.stderr, /dovecot-lint: cannot read no-such\.conf/);
  assert.doesNotMatch(missing.stderr, /\n\s+at /);
  const directory = lint(dir);
  assert.equal(directory.status, 2, 'a folder without dovecot.conf');
  assert.match(directory.stderr, /no dovecot\.conf found in /);
});

test('a file without read permission: exit 2 (skipped as root, who can read anything)', (t) => {
  if (process.getuid?.() === 0) {
    console.log('SKIPPED: running as root, chmod 000 does not stop reading');
    return t.skip('root');
  }
  const locked = write('locked.conf', 'mail_debug = yes\n');
  chmodSync(locked, 0o000);
  const result = lint(locked);
  assert.equal(result.status, 2);
  assert.match(result.stderr, /cannot read/);
});

test('--help and --list-rules exit 0', () => {
  assert.equal(lint('--help').status, 0);
  const rules = lint('--list-rules');
  assert.equal(rules.status, 0);
  assert.match(rules.stdout, /^duplicate-listener\s+error/m);
});

test('a <file value is named, never quoted: its content appears in neither the text nor the JSON output', () => {
  const secretFile = write(
    'shadow-like.txt',
    'root:$6$SHADOWLINE1:19000:0:99999:7:::\nuser:$6$SHADOWLINE2:19000:0:99999:7:::\n',
  );
  const root = write(
    'leak.conf',
    `mail_plugins = $mail_plugins notify replication\nplugin {\n  mail_replica = <${secretFile}\n  replication_sync_timeout = <${secretFile}\n}\ndoveadm_password = <${secretFile}\n`,
  );
  for (const format of ['text', 'json']) {
    const result = lint('--format', format, root);
    assert.equal(result.status, 1, result.stderr);
    assert.match(result.stdout, /mail-replica-malformed/);
    assert.match(result.stdout, /replication-sync-timeout-invalid/);
    assert.ok(result.stdout.includes(`read from <${secretFile}`), result.stdout);
    assert.equal(
      /SHADOWLINE|root:/.test(result.stdout + result.stderr),
      false,
      `${format} output quotes the file: ${result.stdout}`,
    );
  }
  const effective = lint('--print-effective', root);
  assert.equal(/SHADOWLINE|root:/.test(effective.stdout), false);
});

test("--dovecot-version forces the version: the same file read as 2.4 gets doveconf 2.4's errors", () => {
  const old = write('old23.conf', 'mail_location = maildir:~/Maildir\n');
  assert.equal(lint(old).status, 0);
  const as24 = lint('--dovecot-version', '2.4', old);
  assert.equal(as24.status, 1);
  assert.ok(
    as24.stdout.includes(
      'old23.conf:1:1: error: The first setting must be dovecot_config_version [config-version-missing]',
    ),
    as24.stdout,
  );
  assert.ok(
    as24.stdout.includes('mail_location: Unknown setting: mail_location (replaced in Dovecot 2.4 by mail_driver'),
    as24.stdout,
  );
  assert.equal(lint('--dovecot-version=2.3', old).status, 0);
  const bad = lint('--dovecot-version', '3.0', old);
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /--dovecot-version must be auto, 2\.3 or 2\.4, got '3\.0'/);
});
