// dovecot-replication-setup never damages the admin's files: the bundled CLI as a child process on
// temporary trees; every result that should load is checked with the real `doveconf -n -c`.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import {
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { before, describe, test } from 'node:test';
import { buildBundles, REPO } from './helpers/cli';

const SETUP = join(REPO, 'dist', 'setup.js');
const DOVECONF = '/usr/bin/doveconf';
const BASE_ARGS = ['--peer', 'b.example.com', '--password', 'pw-pw-pw-pw-pw-pw-pw'];

function setup(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  // A hang (the old recursive mkdir under /proc) fails the test instead of blocking it.
  const result = spawnSync(process.execPath, [SETUP, ...args], { encoding: 'utf8', timeout: 30_000 });
  assert.equal(result.signal, null, `setup was killed (${result.signal}): it hung`);
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** A temporary host config dir: dovecot.conf including conf.d, and conf.d/10-mail.conf with `mail` (bytes). */
function hostTree(mail: string | Buffer): { dir: string; mailFile: string; cleanup: () => void } {
  const top = mkdtempSync(join(tmpdir(), 'setup-safety-'));
  const dir = join(top, 'a');
  mkdirSync(join(dir, 'conf.d'), { recursive: true });
  writeFileSync(join(dir, 'dovecot.conf'), 'ssl = no\n!include conf.d/*.conf\n');
  const mailFile = join(dir, 'conf.d', '10-mail.conf');
  writeFileSync(mailFile, mail);
  return { dir, mailFile, cleanup: () => rmSync(top, { recursive: true, force: true }) };
}

const replicationFile = (dir: string) => join(dir, 'conf.d', '90-replication.conf');

/** `doveconf -n -c` on the tree: it must load, and the effective mail_plugins is returned. */
function doveconfPlugins(t: { skip: (message: string) => void }, dir: string): string | undefined {
  if (!existsSync(DOVECONF)) {
    t.skip('doveconf not installed (apt-get install dovecot-core)');
    return undefined;
  }
  const result = spawnSync(DOVECONF, ['-n', '-c', join(dir, 'dovecot.conf')], { encoding: 'utf8' });
  assert.equal(result.status, 0, result.stderr);
  return /^mail_plugins = (.*)$/m.exec(result.stdout)?.[1];
}

describe("dovecot-replication-setup keeps the admin's files intact", () => {
  before(() => buildBundles());

  test('a mail_plugins continued with \\ still loads, with both plugins added', (t) => {
    const tree = hostTree('mail_plugins = quota \\\n  acl\nmail_location = maildir:~/Maildir\n');
    try {
      const run = setup(...BASE_ARGS, '--out', tree.dir);
      assert.equal(run.status, 0, run.stderr);
      assert.equal(
        readFileSync(tree.mailFile, 'utf8'),
        'mail_plugins = quota \\\n  acl notify replication\nmail_location = maildir:~/Maildir\n',
      );
      const plugins = doveconfPlugins(t, tree.dir);
      if (plugins !== undefined) assert.equal(plugins, 'quota acl notify replication');
    } finally {
      tree.cleanup();
    }
  });

  test('a trailing comment on the mail_plugins line is kept', (t) => {
    const tree = hostTree('mail_plugins = $mail_plugins quota # quota for everyone\n');
    try {
      const run = setup(...BASE_ARGS, '--out', tree.dir);
      assert.equal(run.status, 0, run.stderr);
      assert.equal(
        readFileSync(tree.mailFile, 'utf8'),
        'mail_plugins = $mail_plugins quota notify replication # quota for everyone\n',
      );
      const plugins = doveconfPlugins(t, tree.dir);
      if (plugins !== undefined) assert.equal(plugins, '" quota notify replication"');
    } finally {
      tree.cleanup();
    }
  });

  test('mail_plugins = <file is not rewritten: the tool says what to add to that file', (t) => {
    const tree = hostTree('');
    const pluginsFile = join(tree.dir, 'plugins.txt');
    writeFileSync(pluginsFile, 'quota\n');
    writeFileSync(tree.mailFile, `mail_plugins = <${pluginsFile}\n`);
    try {
      const run = setup(...BASE_ARGS, '--out', tree.dir);
      assert.equal(run.status, 0, run.stderr);
      assert.equal(readFileSync(tree.mailFile, 'utf8'), `mail_plugins = <${pluginsFile}\n`);
      assert.equal(readFileSync(pluginsFile, 'utf8'), 'quota\n');
      assert.match(
        run.stdout,
        new RegExp(
          `note: mail_plugins is read from the file ${pluginsFile} .*make sure it loads notify and replication\\. Nothing was changed there\\.`,
        ),
      );
      assert.doesNotMatch(run.stdout, /extended/);
      assert.doesNotMatch(readFileSync(replicationFile(tree.dir), 'utf8'), /^mail_plugins/m);
      doveconfPlugins(t, tree.dir);
    } finally {
      tree.cleanup();
    }
  });

  test('bytes that are not UTF-8 are kept: only the edited byte range changes', () => {
    const before = Buffer.concat([
      Buffer.from('# Caf'),
      Buffer.from([0xe9]),
      Buffer.from(' du march'),
      Buffer.from([0xe9]),
      Buffer.from('\r\nmail_plugins = quota\r\n# fin \xff\r\n', 'latin1'),
    ]);
    const tree = hostTree(before);
    try {
      const run = setup(...BASE_ARGS, '--out', tree.dir);
      assert.equal(run.status, 0, run.stderr);
      const after = readFileSync(tree.mailFile);
      const expected = Buffer.from(
        before.toString('latin1').replace('quota\r\n', 'quota notify replication\r\n'),
        'latin1',
      );
      assert.deepEqual(after, expected);
    } finally {
      tree.cleanup();
    }
  });

  test('a dangling symlink at the target is never written through, even with --force', () => {
    const tree = hostTree('mail_location = maildir:~/Maildir\n');
    const elsewhere = join(tree.dir, '..', 'elsewhere.conf');
    symlinkSync(elsewhere, replicationFile(tree.dir));
    try {
      for (const force of [[], ['--force']]) {
        const run = setup(...BASE_ARGS, '--out', tree.dir, ...force);
        assert.equal(run.status, 2);
        assert.match(run.stderr, /is a symbolic link; not writing through it/);
        assert.equal(existsSync(elsewhere), false);
        assert.ok(lstatSync(replicationFile(tree.dir)).isSymbolicLink());
      }
    } finally {
      tree.cleanup();
    }
  });

  test('a conf.d that is a link out of --out is refused', () => {
    const tree = hostTree('');
    const outside = join(tree.dir, '..', 'outside');
    mkdirSync(outside);
    rmSync(join(tree.dir, 'conf.d'), { recursive: true });
    symlinkSync(outside, join(tree.dir, 'conf.d'));
    try {
      const run = setup(...BASE_ARGS, '--out', tree.dir);
      assert.equal(run.status, 2);
      assert.match(run.stderr, /symbolic link that leads outside/);
      assert.deepEqual(readdirSync(outside), []);
    } finally {
      tree.cleanup();
    }
  });

  test("--peer-out as a symlink to --out never replaces the host's own file", () => {
    const tree = hostTree('mail_plugins = quota\n');
    const peerLink = join(tree.dir, '..', 'b');
    symlinkSync(tree.dir, peerLink);
    try {
      const run = setup(...BASE_ARGS, '--local', 'a.example.com', '--out', tree.dir, '--peer-out', peerLink, '--force');
      assert.equal(run.status, 2);
      assert.match(run.stderr, /--peer-out and --out lead to the same file/);
      assert.equal(existsSync(replicationFile(tree.dir)), false);
      assert.equal(readFileSync(tree.mailFile, 'utf8'), 'mail_plugins = quota\n');
    } finally {
      tree.cleanup();
    }
  });

  test("--peer-out onto a file of the host's tree is refused", () => {
    const tree = hostTree('mail_plugins = quota\n');
    const peer = join(tree.dir, '..', 'b');
    mkdirSync(join(peer, 'conf.d'), { recursive: true });
    symlinkSync(tree.mailFile, join(peer, 'conf.d', '90-replication.conf'));
    try {
      const run = setup(...BASE_ARGS, '--local', 'a.example.com', '--out', tree.dir, '--peer-out', peer, '--force');
      assert.equal(run.status, 2);
      assert.equal(readFileSync(tree.mailFile, 'utf8'), 'mail_plugins = quota\n');
    } finally {
      tree.cleanup();
    }
  });

  test('--peer-out /proc/x fails at once and changes nothing; a rerun needs no --force', (t) => {
    const tree = hostTree('mail_plugins = quota\n');
    const peer = join(tree.dir, '..', 'b');
    try {
      const failed = setup(...BASE_ARGS, '--local', 'a.example.com', '--out', tree.dir, '--peer-out', '/proc/x');
      assert.equal(failed.status, 1);
      assert.match(failed.stderr, /\/proc\/x/);
      assert.equal(existsSync(replicationFile(tree.dir)), false, 'the host file was written before the peer failed');
      assert.equal(readFileSync(tree.mailFile, 'utf8'), 'mail_plugins = quota\n');
      assert.deepEqual(readdirSync(join(tree.dir, 'conf.d')), ['10-mail.conf'], 'a temporary file was left behind');
      const rerun = setup(...BASE_ARGS, '--local', 'a.example.com', '--out', tree.dir, '--peer-out', peer);
      assert.equal(rerun.status, 0, rerun.stderr);
      assert.match(readFileSync(replicationFile(peer), 'utf8'), /mail_replica = tcp:a\.example\.com:12345/);
      const plugins = doveconfPlugins(t, tree.dir);
      if (plugins !== undefined) assert.equal(plugins, 'quota notify replication');
    } finally {
      tree.cleanup();
    }
  });
});
