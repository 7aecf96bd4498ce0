// Whole-repo linting with a project file: roots discovered, pairs declared once, rule levels shared.
import assert from 'node:assert/strict';
import { appendFileSync, cpSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { before, beforeEach, test } from 'node:test';
import { buildBundles, REPO, runCli } from './helpers/cli';
import { tempDir } from './helpers/tempDir';

const FIXTURE = path.join(REPO, 'test', 'fixtures', 'ci-repo');
let repo: string;

before(buildBundles);
beforeEach(() => {
  repo = tempDir('dovecot-ci-repo-');
  cpSync(FIXTURE, repo, { recursive: true });
});

const lineOf = (file: string, text: string): number =>
  readFileSync(path.join(repo, file), 'utf8').split('\n').indexOf(text) + 1;

test('the repository lints clean: both hosts found, reported per root, exit 0', () => {
  const result = runCli(repo);
  assert.equal(result.status, 0, result.stdout + result.stderr);
  assert.deepEqual(result.stdout.trim().split('\n'), [
    'hosts/mail1/dovecot.conf.j2: 0 errors, 0 warnings',
    'hosts/mail2/dovecot.conf.j2: 0 errors, 0 warnings',
  ]);
});

test('one mistake per host is found with its file and line, under its root', () => {
  appendFileSync(path.join(repo, 'hosts/mail1/conf.d/10-mail.conf.j2'), 'mail_debug = maybe\n');
  const passwordFile = path.join(repo, 'hosts/mail2/conf.d/90-replication.conf.j2');
  writeFileSync(
    passwordFile,
    readFileSync(passwordFile, 'utf8').replace('xY7pQ2vLk9mZt4Rw8sBn', 'Another4Long9Password2x'),
  );
  const result = runCli(repo, '--format', 'json');
  assert.equal(result.status, 1, result.stderr);
  const found = (JSON.parse(result.stdout) as { file: string; line: number; code: string; root: string }[]).map(
    (d) => ({
      file: path.relative(repo, d.file),
      line: d.line,
      code: d.code,
      root: path.relative(repo, d.root),
    }),
  );
  assert.deepEqual(
    found.find((d) => d.code === 'invalid-value'),
    {
      file: 'hosts/mail1/conf.d/10-mail.conf.j2',
      line: lineOf('hosts/mail1/conf.d/10-mail.conf.j2', 'mail_debug = maybe'),
      code: 'invalid-value',
      root: 'hosts/mail1/dovecot.conf.j2',
    },
  );
  const mismatch = found.filter((d) => d.code === 'peer-password-mismatch');
  assert.ok(mismatch.length > 0, `the pair from the project file enables the two-host checks: ${result.stdout}`);
  assert.ok(
    mismatch.some(
      (d) =>
        d.file === 'hosts/mail2/conf.d/90-replication.conf.j2' &&
        d.line === lineOf(d.file, 'doveadm_password = Another4Long9Password2x'),
    ),
    JSON.stringify(mismatch),
  );
});

test('rule levels from the project file apply; --rule on the command line wins', () => {
  const replicator = path.join(repo, 'hosts/mail1/conf.d/90-replication.conf.j2');
  writeFileSync(replicator, readFileSync(replicator, 'utf8').replace('mode = 0600', 'mode = 0666'));
  const raised = runCli(repo);
  assert.equal(raised.status, 1, 'the project file raises replicator-doveadm-world-writable to error');
  assert.match(
    raised.stdout,
    /hosts\/mail1\/conf\.d\/90-replication\.conf\.j2:\d+:\d+: error: .*\[replicator-doveadm-world-writable\]/,
  );
  const lowered = runCli(repo, '--rule', 'replicator-doveadm-world-writable=off');
  assert.equal(lowered.status, 0, lowered.stdout);
  assert.doesNotMatch(lowered.stdout, /replicator-doveadm-world-writable/);
});

test('a folder argument is searched for roots; a root included by another is not a root', () => {
  writeFileSync(path.join(repo, 'hosts/mail1/conf.d/dovecot.conf'), 'mail_debug = yes\n');
  appendFileSync(path.join(repo, 'hosts/mail1/dovecot.conf.j2'), '!include conf.d/dovecot.conf\n');
  const result = runCli(repo, '--no-config', 'hosts');
  assert.equal(result.status, 0, result.stdout + result.stderr);
  assert.deepEqual(
    result.stdout
      .trim()
      .split('\n')
      .map((line) => line.split(':')[0]),
    ['hosts/mail1/dovecot.conf.j2', 'hosts/mail2/dovecot.conf.j2'],
  );
});

test('the roots and excludes of the project file choose what is analysed', () => {
  cpSync(path.join(repo, 'hosts/mail1'), path.join(repo, 'staging/mail3'), { recursive: true });
  const config = path.join(repo, '.dovecot-lint.json');
  const settings = JSON.parse(readFileSync(config, 'utf8')) as Record<string, unknown>;
  writeFileSync(config, JSON.stringify({ ...settings, exclude: ['staging/**'] }));
  assert.equal(runCli(repo).stdout.trim().split('\n').length, 2, 'staging excluded');
  writeFileSync(config, JSON.stringify({ ...settings, roots: ['staging/*/dovecot.conf.j2'] }));
  assert.deepEqual(
    runCli(repo)
      .stdout.trim()
      .split('\n')
      .map((line) => line.split(':')[0]),
    ['staging/mail3/dovecot.conf.j2'],
  );
});

test('the same settings under the "dovecot-lint" key of package.json', () => {
  const settings = readFileSync(path.join(repo, '.dovecot-lint.json'), 'utf8');
  rmSync(path.join(repo, '.dovecot-lint.json'));
  writeFileSync(
    path.join(repo, 'package.json'),
    JSON.stringify({ name: 'mail-infra', 'dovecot-lint': JSON.parse(settings) }),
  );
  const replicator = path.join(repo, 'hosts/mail1/conf.d/90-replication.conf.j2');
  writeFileSync(replicator, readFileSync(replicator, 'utf8').replace('mode = 0600', 'mode = 0666'));
  const result = runCli(path.join(repo, 'hosts'));
  assert.equal(result.status, 1, 'found from a subfolder, upwards; its rule level applies');
  assert.match(result.stdout, /error: .*\[replicator-doveadm-world-writable\]/);
});

test('an invalid project file: exit 2 with what is wrong, no stack trace', () => {
  writeFileSync(
    path.join(repo, '.dovecot-lint.json'),
    JSON.stringify({ pairs: [{ a: 'x' }], rules: { 'no-such-rule': 'off', 'unknown-setting': 'loud' }, colour: 1 }),
  );
  const result = runCli(repo);
  assert.equal(result.status, 2);
  assert.match(result.stderr, /invalid project file/);
  assert.match(result.stderr, /unknown property 'colour'/);
  assert.match(result.stderr, /'no-such-rule' is not a rule id/);
  assert.match(result.stderr, /rules\.unknown-setting: must be one of off, hint, information, warning, error/);
  assert.match(result.stderr, /pairs\.0: must have required property 'b'/);
  assert.doesNotMatch(result.stderr, /\n\s+at /);
  writeFileSync(path.join(repo, '.dovecot-lint.json'), '{ "pairs": [ }');
  const broken = runCli(repo);
  assert.equal(broken.status, 2);
  assert.match(broken.stderr, /\.dovecot-lint\.json: not valid JSON/);
});

test('--config names the project file; --no-config ignores it', () => {
  const elsewhere = tempDir('dovecot-ci-cwd-');
  const result = runCli(elsewhere, '--config', path.join(repo, '.dovecot-lint.json'));
  assert.equal(result.status, 0, result.stderr);
  assert.equal(result.stdout.trim().split('\n').length, 2);
  const none = runCli(repo, '--no-config');
  assert.equal(none.status, 2, 'no FILE and no project file');
  assert.match(none.stderr, /no FILE given and no project file found/);
});

test('the Dovecot version of the project file applies; --dovecot-version on the command line wins', () => {
  const config = path.join(repo, '.dovecot-lint.json');
  writeFileSync(
    config,
    JSON.stringify({ ...(JSON.parse(readFileSync(config, 'utf8')) as object), dovecotVersion: '2.4' }),
  );
  const as24 = runCli(repo, '--format', 'json');
  assert.equal(as24.status, 1, 'a 2.3 tree read as 2.4 has 2.4 errors');
  assert.ok(
    (JSON.parse(as24.stdout) as { code: string }[]).some((d) => d.code === 'variable-syntax-23'),
    as24.stdout,
  );
  assert.equal(runCli(repo, '--dovecot-version', '2.3').status, 0);
});
