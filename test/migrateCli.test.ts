// dovecot-lint --migrate-to 2.4 as users run it: the bundled dist/cli.js.
import assert from 'node:assert/strict';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, before, test } from 'node:test';
import { buildBundles, REPO, runCli } from './helpers/cli';

const work = mkdtempSync(path.join(tmpdir(), 'dovecot-migrate-cli-'));
const hostA = path.join(work, 'host-a');
cpSync(path.join(REPO, 'examples', 'replication', 'host-a'), hostA, { recursive: true });
const clean = path.join(work, 'clean');
mkdirSync(clean);
writeFileSync(
  path.join(clean, 'dovecot.conf'),
  '# a small server\nprotocols = imap\nmail_location = maildir:~/Maildir\nssl_cert = </etc/ssl/c.pem\nssl_key = </etc/ssl/k.pem\n',
);

before(buildBundles);
after(() => rmSync(work, { recursive: true, force: true }));

test('a tree that converts completely: exit 0, files written, report printed', () => {
  const out = path.join(work, 'out-clean');
  const result = runCli(work, '--migrate-to', '2.4', '--out', out, path.join(clean, 'dovecot.conf'));
  assert.equal(result.status, 0, result.stderr);
  const converted = readFileSync(path.join(out, 'dovecot.conf'), 'utf8');
  assert.match(
    converted,
    /^# a small server\n# \[2\.4 migration\][^\n]*\ndovecot_config_version = 2\.4\.0\ndovecot_storage_version = 2\.4\.0\n/,
  );
  assert.match(converted, /^mail_driver = maildir\nmail_path = ~\/Maildir$/m);
  assert.match(converted, /^ssl_server_cert_file = \/etc\/ssl\/c\.pem$/m);
  assert.match(result.stdout, /dovecot\.conf:3 → \d+ \[mail-location\]/);
  assert.match(result.stdout, /Everything was converted\./);
  assert.equal(
    readFileSync(path.join(clean, 'dovecot.conf'), 'utf8').includes('mail_location'),
    true,
    'the original is untouched',
  );
});

test('the replication pair: exit 1, replication reported with its routes, the layout kept', () => {
  const out = path.join(work, 'out-a');
  const result = runCli(work, '--migrate-to', '2.4', '--out', out, path.join(hostA, 'dovecot.conf'));
  assert.equal(result.status, 1, result.stderr);
  assert.match(result.stdout, /Needs a person/);
  assert.match(result.stdout, /no built-in replication/);
  assert.match(result.stdout, /doveadm sync/);
  assert.ok(existsSync(path.join(out, 'conf.d', '90-replication.conf')));
  assert.match(readFileSync(path.join(out, 'conf.d', '90-replication.conf'), 'utf8'), /^#service replicator \{/m);
});

test('json format: the report as data', () => {
  const out = path.join(work, 'out-json');
  const result = runCli(
    work,
    '--migrate-to',
    '2.4',
    '--out',
    out,
    '--format',
    'json',
    path.join(clean, 'dovecot.conf'),
  );
  assert.equal(result.status, 0, result.stderr);
  const data = JSON.parse(result.stdout) as { complete: boolean; report: { rule: string }[] };
  assert.equal(data.complete, true);
  assert.ok(data.report.some((entry) => entry.rule === 'ssl-file'));
});

test('refuses a non-empty --out without --force, and writes with it', () => {
  const out = path.join(work, 'out-busy');
  mkdirSync(out);
  writeFileSync(path.join(out, 'dovecot.conf'), 'old\n');
  const refused = runCli(work, '--migrate-to', '2.4', '--out', out, path.join(clean, 'dovecot.conf'));
  assert.equal(refused.status, 2);
  assert.match(refused.stderr, /not empty \(use --force/);
  assert.equal(readFileSync(path.join(out, 'dovecot.conf'), 'utf8'), 'old\n');
  const forced = runCli(work, '--migrate-to', '2.4', '--out', out, '--force', path.join(clean, 'dovecot.conf'));
  assert.equal(forced.status, 0, forced.stderr);
  assert.match(readFileSync(path.join(out, 'dovecot.conf'), 'utf8'), /dovecot_config_version/);
});

test("refuses to write over the root's own folder without --allow-in-place", () => {
  const refused = runCli(work, '--migrate-to', '2.4', '--out', clean, path.join(clean, 'dovecot.conf'));
  assert.equal(refused.status, 2);
  assert.match(refused.stderr, /refusing to write over the 2\.3 files/);
  assert.doesNotMatch(readFileSync(path.join(clean, 'dovecot.conf'), 'utf8'), /dovecot_config_version/);
  const inPlace = mkdtempSync(path.join(work, 'inplace-'));
  writeFileSync(path.join(inPlace, 'dovecot.conf'), 'protocols = imap\n');
  const allowed = runCli(
    work,
    '--migrate-to',
    '2.4',
    '--out',
    inPlace,
    '--allow-in-place',
    path.join(inPlace, 'dovecot.conf'),
  );
  assert.equal(allowed.status, 0, allowed.stderr);
  assert.match(readFileSync(path.join(inPlace, 'dovecot.conf'), 'utf8'), /dovecot_config_version/);
});

test('usage errors: exit 2 with a message', () => {
  for (const args of [
    ['--migrate-to', '2.5', '--out', 'x', 'dovecot.conf'],
    ['--migrate-to', '2.4', 'dovecot.conf'],
    ['--migrate-to', '2.4', '--out', 'x'],
    ['--migrate-to', '2.4', '--out', 'x', '--bogus', 'a.conf'],
  ]) {
    const result = runCli(work, ...args);
    assert.equal(result.status, 2, args.join(' '));
    assert.match(result.stderr, /^dovecot-lint: /);
  }
  const missing = runCli(
    work,
    '--migrate-to',
    '2.4',
    '--out',
    path.join(work, 'never'),
    path.join(work, 'missing.conf'),
  );
  assert.equal(missing.status, 2);
  assert.match(missing.stderr, /cannot read/);
});

test('--help documents --migrate-to', () => {
  const result = runCli(work, '--help');
  assert.equal(result.status, 0);
  assert.match(result.stdout, /--migrate-to 2\.4 --out DIR/);
  assert.match(result.stdout, /--allow-in-place/);
});

test('files of the folder the tree does not include are named, not written', () => {
  const dir = mkdtempSync(path.join(work, 'extra-'));
  writeFileSync(path.join(dir, 'dovecot.conf'), 'protocols = imap\n');
  writeFileSync(path.join(dir, 'dovecot-sql.conf.ext'), 'driver = pgsql\n');
  const out = path.join(work, 'out-extra');
  const result = runCli(work, '--migrate-to', '2.4', '--out', out, path.join(dir, 'dovecot.conf'));
  assert.equal(result.status, 0, result.stderr);
  assert.match(result.stdout, /1 file of the root's folder that the tree does not include \(dovecot-sql\.conf\.ext\)/);
  assert.equal(existsSync(path.join(out, 'dovecot-sql.conf.ext')), false);
});
