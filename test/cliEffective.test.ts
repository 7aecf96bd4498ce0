// dovecot-lint --print-effective [--show-secrets] FILE, as users run it: the bundled dist/cli.js.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, before, test } from 'node:test';
import { buildBundles, runCli, type CliResult } from './helpers/cli';

const dir = mkdtempSync(path.join(tmpdir(), 'dovecot-lint-effective-'));
mkdirSync(path.join(dir, 'conf.d'));
writeFileSync(
  path.join(dir, 'dovecot.conf'),
  'protocols = imap\n!include conf.d/*.conf\nservice imap {\n  vsz_limit = 1G\n}\n',
);
writeFileSync(
  path.join(dir, 'conf.d', '10-mail.conf'),
  'mail_location = maildir:~/Maildir\ndoveadm_password = s3cret\nservice imap {\n  vsz_limit = 2G\n}\nfoo_unknown = 1\n',
);

const lint = (...args: string[]): CliResult => runCli(dir, ...args);

before(buildBundles);
after(() => rmSync(dir, { recursive: true, force: true }));

test('--print-effective prints the merged settings with provenance and exits 0 (even with errors in the tree)', () => {
  const result = lint('--print-effective', 'dovecot.conf');
  assert.equal(result.status, 0, result.stderr);
  const lines = result.stdout.trimEnd().split('\n');
  assert.match(lines[0], /^# effective configuration of .*dovecot\.conf/);
  assert.deepEqual(lines.slice(1), [
    'doveadm_password = # hidden, use --show-secrets to show it # conf.d/10-mail.conf:2',
    'foo_unknown = 1 # conf.d/10-mail.conf:6',
    'mail_location = maildir:~/Maildir # conf.d/10-mail.conf:1',
    'protocols = imap # dovecot.conf:1',
    // conf.d is included at line 2, so the root's later `service imap` block wins the merge.
    'service imap { # conf.d/10-mail.conf:3',
    '  vsz_limit = 1 G # dovecot.conf:4',
    '}',
  ]);
});

test('--show-secrets reveals hidden values', () => {
  const result = lint('--print-effective', '--show-secrets', path.join(dir, 'dovecot.conf'));
  assert.equal(result.status, 0, result.stderr);
  assert.ok(result.stdout.includes('doveadm_password = s3cret # conf.d/10-mail.conf:2'), result.stdout);
  assert.equal(result.stdout.includes('hidden'), false);
});

test('an unreadable FILE exits 2 with a message, no stack trace', () => {
  const result = lint('--print-effective', 'missing.conf');
  assert.equal(result.status, 2);
  assert.match(result.stderr, /cannot read missing\.conf/);
  assert.equal(result.stderr.includes('    at '), false);
  assert.equal(lint('--print-effective', 'conf.d').status, 2, 'a directory is not a config file');
});

test('--help lists the new flags', () => {
  const result = lint('--help');
  assert.match(result.stdout, /--print-effective/);
  assert.match(result.stdout, /--show-secrets/);
});
