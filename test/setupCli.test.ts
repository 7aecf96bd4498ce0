import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EXIT_OK, EXIT_USAGE, replicationConfPath, runSetupCli } from '../server/src/setupCli';

function run(args: string[]): { code: number; out: string; err: string } {
  let out = '';
  let err = '';
  const code = runSetupCli(args, { out: (text) => (out += text), err: (text) => (err += text) });
  return { code, out, err };
}

function withDir(body: (dir: string) => void): void {
  const dir = mkdtempSync(join(tmpdir(), 'setupcli-'));
  try {
    body(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test('--help prints usage and exits 0', () => {
  const { code, out, err } = run(['--help']);
  assert.equal(code, EXIT_OK);
  assert.match(out, /^Usage: dovecot-replication-setup/);
  assert.match(out, /--generate-password/);
  assert.equal(err, '');
});

test('writes this host and the peer file with one shared password', () => {
  withDir((dir) => {
    const a = join(dir, 'a');
    const b = join(dir, 'b');
    const { code, out, err } = run([
      '--peer',
      'b.example.com',
      '--local',
      'a.example.com',
      '--transport',
      'tcps',
      '--port',
      '4321',
      '--generate-password',
      '--mail-user',
      'mail',
      '--ca-file',
      '/etc/ca.pem',
      '--out',
      a,
      '--peer-out',
      b,
    ]);
    assert.equal(err, '');
    assert.equal(code, EXIT_OK);
    const mine = readFileSync(replicationConfPath(a), 'utf8');
    const theirs = readFileSync(replicationConfPath(b), 'utf8');
    assert.match(mine, /mail_replica = tcps:b\.example\.com:4321/);
    assert.match(theirs, /mail_replica = tcps:a\.example\.com:4321/);
    const password = out.match(/doveadm_password \(same on both hosts\): (\S+)/)?.[1];
    assert.ok(password && password.length >= 24);
    assert.ok(mine.includes(`doveadm_password = ${password}\n`));
    assert.ok(theirs.includes(`doveadm_password = ${password}\n`));
    assert.match(mine, /user = mail\n/);
    assert.equal(statSync(replicationConfPath(a)).mode & 0o777, 0o640);
    assert.match(out, /note: tcps:/);
  });
});

test('refuses to overwrite an existing file without --force, then overwrites with it', () => {
  withDir((dir) => {
    mkdirSync(join(dir, 'conf.d'));
    writeFileSync(replicationConfPath(dir), '# mine\n');
    const args = ['--peer', '10.0.0.2', '--password', 'pw-pw-pw', '--out', dir];
    const refused = run(args);
    assert.equal(refused.code, EXIT_USAGE);
    assert.match(refused.err, /refusing to overwrite .*90-replication\.conf \(use --force\)/);
    assert.equal(readFileSync(replicationConfPath(dir), 'utf8'), '# mine\n');
    const forced = run([...args, '--force']);
    assert.equal(forced.code, EXIT_OK);
    assert.match(readFileSync(replicationConfPath(dir), 'utf8'), /mail_replica = tcp:10\.0\.0\.2:12345/);
  });
});

test('a peer file in the way blocks both writes', () => {
  withDir((dir) => {
    mkdirSync(join(dir, 'b', 'conf.d'), { recursive: true });
    writeFileSync(replicationConfPath(join(dir, 'b')), '# theirs\n');
    const { code } = run([
      '--peer',
      'b',
      '--local',
      'a',
      '--password',
      'x1',
      '--out',
      join(dir, 'a'),
      '--peer-out',
      join(dir, 'b'),
    ]);
    assert.equal(code, EXIT_USAGE);
    assert.equal(existsSync(replicationConfPath(join(dir, 'a'))), false);
  });
});

test('bad arguments give one clear line and exit 2, never a stack trace', () => {
  withDir((dir) => {
    const cases: [string[], RegExp][] = [
      [['--peer', 'b', '--out', dir], /--password P or --generate-password is required/],
      [['--password', 'x', '--out', dir], /--peer HOST is required/],
      [['--peer', 'b', '--password', 'x'], /--out DIR is required/],
      [['--peer', 'b', '--password', 'x', '--out', dir, '--transport', 'udp'], /--transport must be tcp or tcps/],
      [['--peer', 'b', '--password', 'x', '--out', dir, '--port', '12a'], /--port must be a number/],
      [['--peer', 'b', '--password', 'x', '--out', dir, '--port', '0'], /port must be an integer from 1 to 65535/],
      [['--peer', 'b', '--password', 'x', '--generate-password', '--out', dir], /not both/],
      [['--peer', 'b', '--password', 'x', '--out', dir, '--peer-out', dir], /--peer-out needs --local/],
      [['--peer', 'b', '--local', 'a', '--password', 'x', '--out', dir, '--peer-out', dir], /lead to the same file/],
      [['--peer', 'bad host', '--password', 'x', '--out', dir], /peer host must be a host name/],
      [['--peer', 'b', '--password', 'x y', '--out', dir], /password may only contain/],
      [['--bogus'], /Unknown option '--bogus'/],
    ];
    for (const [args, message] of cases) {
      const { code, out, err } = run(args);
      assert.equal(code, EXIT_USAGE, args.join(' '));
      assert.match(err, message, args.join(' '));
      assert.doesNotMatch(err, /\n\s+at /, 'no stack trace');
      assert.equal(out, '');
    }
    assert.equal(existsSync(join(dir, 'conf.d')), false);
  });
});

test('an output path that is a file exits 2 with the reason', () => {
  withDir((dir) => {
    writeFileSync(join(dir, 'file'), '');
    const { code, err } = run(['--peer', 'b', '--password', 'x', '--out', join(dir, 'file')]);
    assert.equal(code, EXIT_USAGE);
    assert.match(err, /^dovecot-replication-setup: --out .*file: .*file is not a directory/);
  });
});

test('the entry point runs as a command (exit status and output)', () => {
  withDir((dir) => {
    const script = join(__dirname, '..', 'server', 'src', 'setupCli.ts');
    const ok = spawnSync(
      process.execPath,
      ['--import', 'tsx', script, '--peer', '127.0.0.3', '--password', 'abc', '--out', dir],
      { encoding: 'utf8' },
    );
    assert.equal(ok.status, 0, ok.stderr);
    assert.match(ok.stdout, /wrote .*90-replication\.conf/);
    const again = spawnSync(
      process.execPath,
      ['--import', 'tsx', script, '--peer', '127.0.0.3', '--password', 'abc', '--out', dir],
      { encoding: 'utf8' },
    );
    assert.equal(again.status, 2);
    assert.match(again.stderr, /refusing to overwrite/);
  });
});

test('extends the mail_plugins in effect in an existing tree instead of writing a second one', () => {
  withDir((dir) => {
    mkdirSync(join(dir, 'conf.d'));
    writeFileSync(join(dir, 'dovecot.conf'), '!include conf.d/*.conf\r\n');
    writeFileSync(
      join(dir, 'conf.d', '10-mail.conf'),
      'mail_location = maildir:~/Maildir\r\nmail_plugins = $mail_plugins quota\r\n# end\r\n',
    );
    const { code, out, err } = run(['--peer', 'b.example.com', '--password', 'pw-pw-pw-pw-pw-pw-pw', '--out', dir]);
    assert.equal(err, '');
    assert.equal(code, EXIT_OK);
    assert.equal(
      readFileSync(join(dir, 'conf.d', '10-mail.conf'), 'utf8'),
      'mail_location = maildir:~/Maildir\r\nmail_plugins = $mail_plugins quota notify replication\r\n# end\r\n',
    );
    assert.doesNotMatch(readFileSync(replicationConfPath(dir), 'utf8'), /^\s*mail_plugins/m);
    assert.match(out, /extended .*10-mail\.conf:2/);
    assert.doesNotMatch(out, /does not include/);
  });
});

test('warns when the existing root does not include conf.d', () => {
  withDir((dir) => {
    writeFileSync(join(dir, 'dovecot.conf'), 'protocols = imap\n');
    const { code, out } = run(['--peer', 'b.example.com', '--password', 'pw-pw-pw-pw-pw-pw-pw', '--out', dir]);
    assert.equal(code, EXIT_OK);
    assert.match(out, /does not include conf\.d\/90-replication\.conf/);
  });
});
