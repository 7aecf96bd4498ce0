// Hostile file systems (issue items 4-6): FIFOs, devices, symbolic-link loops and glob include cycles
// on a real disk, through dovecot-lint as a child process with a memory cap and a kill timeout.
// Recursion is compared with real doveconf where doveconf itself finishes.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { getLanguageService } from '../server/src/service/dovecotLanguageService';
import { DiskHost } from '../server/src/service/model/diskHost';
import { buildBundles, runCliBounded } from './helpers/cli';

interface JsonDiagnostic {
  file: string;
  line: number;
  code: string;
  message: string;
}

const REPLICATION =
  'mail_plugins = $mail_plugins notify replication\nplugin {\n  mail_replica = tcp:peer.example.com:12345\n}\n';

/** A fresh directory holding `files` (relative path -> text), removed after the suite. */
function makeTree(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'dovecot-hostile-'));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    writeFileSync(path.join(dir, name), text);
  }
  return dir;
}

async function lint(dir: string, root: string, options: { keepStdinOpen?: boolean } = {}): Promise<JsonDiagnostic[]> {
  const run = await runCliBounded(dir, ['--format', 'json', root], { timeoutMs: 60_000, ...options });
  assert.equal(run.timedOut, false, 'dovecot-lint hung and was killed');
  assert.ok(run.status === 0 || run.status === 1, `exit ${run.status}: ${run.stderr}`);
  return JSON.parse(run.stdout) as JsonDiagnostic[];
}

const brief = (diagnostics: JsonDiagnostic[], code: string): string[] =>
  diagnostics.filter((d) => d.code === code).map((d) => `${path.basename(d.file)}:${d.line} ${d.message}`);

/** doveconf's one fatal line for a tree, or '' when it accepts it. Killed after 10 s. */
function doveconfError(dir: string, root: string): string {
  const result = spawnSync('doveconf', ['-n', '-c', root], {
    cwd: dir,
    encoding: 'utf8',
    timeout: 10_000,
    killSignal: 'SIGKILL',
  });
  assert.equal(result.error, undefined, 'doveconf did not finish');
  return /Fatal: Error in configuration file (.*)/.exec(result.stderr)?.[1] ?? '';
}

const dirs: string[] = [];
before(() => buildBundles());
after(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));
const tree = (files: Record<string, string>): string => {
  const dir = makeTree(files);
  dirs.push(dir);
  return dir;
};

describe('item 4: FIFOs and /dev/stdin are never opened for reading', () => {
  test('a FIFO in conf.d is reported on the !include, the rest of the tree is analysed', async () => {
    const dir = tree({
      'dovecot.conf': 'mail_uid = vmail\n!include conf.d/*.conf\n',
      'conf.d/10-mail.conf': 'mail_debug = maybe\n',
    });
    assert.equal(spawnSync('mkfifo', [path.join(dir, 'conf.d', '50-fifo.conf')]).status, 0);
    const diagnostics = await lint(dir, 'dovecot.conf');
    assert.deepEqual(brief(diagnostics, 'file-not-regular'), [
      'dovecot.conf:2 conf.d/50-fifo.conf is not a regular file (a FIFO): Dovecot would block or never finish reading it. dovecot-lint does not read it.',
    ]);
    assert.deepEqual(brief(diagnostics, 'invalid-value').length, 1, 'the regular file next to it is analysed');
  });

  test('a FIFO given as the root file is refused with a message, not opened', async () => {
    const dir = tree({});
    assert.equal(spawnSync('mkfifo', [path.join(dir, 'dovecot.conf')]).status, 0);
    const run = await runCliBounded(dir, ['dovecot.conf'], { timeoutMs: 60_000 });
    assert.equal(run.timedOut, false);
    assert.equal(run.status, 2);
    assert.match(run.stderr, /cannot read dovecot\.conf: not a regular file \(a FIFO\)/);
  });

  test('key = </dev/stdin with an open, silent pipe on stdin: reported on the value, no hang', async () => {
    const dir = tree({ 'dovecot.conf': `${REPLICATION}doveadm_password = </dev/stdin\n` });
    const diagnostics = await lint(dir, 'dovecot.conf', { keepStdinOpen: true });
    // Node gives a child's stdin pipe as a socket pair; a shell pipe would be a FIFO.
    const [message, ...others] = brief(diagnostics, 'file-not-regular');
    assert.deepEqual(others, []);
    assert.match(
      message,
      /^dovecot\.conf:5 doveadm_password: \/dev\/stdin is not a regular file \(a (socket|FIFO)\): Dovecot's config service would block/,
    );
  });

  test('a file past the size limit is reported on its include and not read; the limit is a CLI flag', async () => {
    const dir = tree({
      'dovecot.conf': '!include big.conf\n',
      'big.conf': `mail_debug = maybe\n${'#'.repeat(2048)}\n`,
    });
    const limited = await runCliBounded(dir, ['--format', 'json', '--max-file-size', '1k', 'dovecot.conf']);
    const diagnostics = JSON.parse(limited.stdout) as JsonDiagnostic[];
    assert.deepEqual(brief(diagnostics, 'analysis-limit'), [
      'dovecot.conf:1 big.conf is larger than 1 kB: dovecot-lint does not read it.',
    ]);
    assert.deepEqual(brief(diagnostics, 'invalid-value'), []);
    assert.equal(brief(await lint(dir, 'dovecot.conf'), 'invalid-value').length, 1, 'read with the default limit');
  });
});

describe('item 5: devices reached by a glob or a <file value', () => {
  test('!include /dev/zer[o], !include_try /dev/urando[m] and doveadm_password = </dev/zero', async () => {
    const dir = tree({
      'dovecot.conf': `${REPLICATION}!include /dev/zer[o]\n!include_try /dev/urando[m]\ndoveadm_password = </dev/zero\nssl_key = </dev/null\n`,
    });
    const diagnostics = await lint(dir, 'dovecot.conf');
    assert.deepEqual(brief(diagnostics, 'file-not-regular'), [
      'dovecot.conf:5 /dev/zero is not a regular file (a character device): Dovecot would block or never finish reading it. dovecot-lint does not read it.',
      'dovecot.conf:6 /dev/urandom is not a regular file (a character device): Dovecot would block or never finish reading it. dovecot-lint does not read it.',
      "dovecot.conf:7 doveadm_password: /dev/zero is not a regular file (a character device): Dovecot's config service would block or never finish reading it at start. dovecot-lint does not read it.",
    ]);
  });

  test('a directory matched by a glob is read as empty, as doveconf does', async () => {
    const dir = tree({
      'dovecot.conf': 'mail_uid = vmail\n!include conf.d/*\n',
      'conf.d/10-mail.conf': 'mail_gid = vmail\n',
      'conf.d/sub/ignored.conf': 'mail_debug = maybe\n',
    });
    assert.equal(doveconfError(dir, 'dovecot.conf'), '');
    assert.deepEqual(await lint(dir, 'dovecot.conf'), []);
  });
});

describe('a <file value that names a directory', () => {
  test("`<` alone names the file's own directory and `<dir` a directory: the config service's read() fails", async () => {
    const dir = tree({
      'dovecot.conf': '!include conf.d/*.conf\n',
      'conf.d/10-ssl.conf': 'ssl_ca = <\nssl_cert = <certs\nssl_key = <certs/key.pem\n',
      'conf.d/certs/key.pem': 'KEY',
    });
    assert.deepEqual(brief(await lint(dir, 'dovecot.conf'), 'file-not-regular'), [
      `10-ssl.conf:1 ssl_ca: "<" names no file, so Dovecot reads the directory of this file: Dovecot's config service fails at start with "ssl_ca: read(…) failed: Is a directory".`,
      `10-ssl.conf:2 ssl_cert: certs is a directory: Dovecot's config service fails at start with "ssl_cert: read(…) failed: Is a directory".`,
    ]);
  });
});

describe('item 6: include recursion by path (as doveconf) and by real path', () => {
  test("a glob include cycle of 9 files finishes with doveconf's Recursive include file message", async () => {
    const files: Record<string, string> = {};
    for (const name of 'abcdefghi') files[`${name}.conf`] = '!include *.conf\n';
    const dir = tree(files);
    const diagnostics = await lint(dir, 'a.conf');
    const doveconf = doveconfError(dir, 'a.conf');
    assert.match(doveconf, /: Recursive include file: a\.conf$/);
    assert.equal(
      `${path.basename(diagnostics[0].file)}:${diagnostics[0].line} ${diagnostics[0].message}`,
      'a.conf:1 Recursive include file: a.conf',
    );
    assert.ok(diagnostics.every((d) => d.code === 'include-recursive'));
  });

  test('all files matched by a glob are on the include stack at once, as in doveconf (same file and line)', async () => {
    const dir = tree({
      'dovecot.conf': 'mail_uid = vmail\n!include conf.d/*.conf\n',
      'conf.d/a.conf': '!include *.conf\n',
      'conf.d/b.conf': '!include *.conf\n',
      'conf.d/c.conf': '!include *.conf\n',
    });
    const diagnostics = await lint(dir, 'dovecot.conf');
    assert.equal(doveconfError(dir, 'dovecot.conf'), 'conf.d/a.conf line 1: Recursive include file: conf.d/c.conf');
    assert.equal(
      `conf.d/${path.basename(diagnostics[0].file)} line ${diagnostics[0].line}: ${diagnostics[0].message}`,
      'conf.d/a.conf line 1: Recursive include file: conf.d/c.conf',
    );
  });

  test('a directory symlink loop: !include_try is not followed (warning), !include is recursive (error)', async () => {
    const dir = tree({
      'dovecot.conf': 'mail_uid = vmail\n!include conf.d/*.conf\n',
      'conf.d/x.conf': '!include_try loop/*.conf\n',
      'conf.d/y.conf': '!include_try loop/*.conf\n',
    });
    symlinkSync('.', path.join(dir, 'conf.d', 'loop'));
    const tolerated = await lint(dir, 'dovecot.conf');
    assert.deepEqual(
      tolerated.filter((d) => d.code !== 'analysis-limit'),
      [],
    );
    assert.ok(
      brief(tolerated, 'analysis-limit').includes(
        'x.conf:1 conf.d/loop/x.conf is conf.d/x.conf again, through a symbolic link: dovecot-lint does not follow the loop (Dovecot follows it about 40 levels deep).',
      ),
    );
    writeFileSync(path.join(dir, 'conf.d', 'y.conf'), '!include loop/*.conf\n');
    const refused = await lint(dir, 'dovecot.conf');
    assert.ok(
      brief(refused, 'include-recursive').includes(
        'y.conf:1 Recursive include file: conf.d/loop/y.conf (the same file as conf.d/y.conf, through a symbolic link)',
      ),
    );
  });

  test('the number of included files is bounded (each inclusion counts), with a diagnostic', () => {
    // 12 levels of a file including the next one twice: 2^12 inclusions without any recursion.
    const files: Record<string, string> = { 'dovecot.conf': '!include 0.conf\n' };
    for (let level = 0; level < 12; level++)
      files[`${level}.conf`] =
        level < 11 ? `!include ${level + 1}.conf\n!include ${level + 1}.conf\n` : 'mail_debug = yes\n';
    const dir = tree(files);
    const service = getLanguageService(new DiskHost(), { limits: { includedFiles: 1000 } });
    const analysis = service.analyze(path.join(dir, 'dovecot.conf'));
    const limited = analysis.diagnostics.filter((d) => d.code === 'analysis-limit');
    assert.ok(limited.length > 0);
    assert.equal(
      limited[0].message,
      'More than 1000 files are included into this configuration: dovecot-lint does not read the rest.',
    );
    assert.equal(analysis.model.settings.length <= 1000, true);
  });
});
