// dict-entry-not-a-uri: a line of 2.3's dict { } whose value is no dictionary URI. Checked on its places and
// values, and on the real Dovecot 2.3's dict process asked for such a dictionary.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import { analyzeFiles, brief } from './helpers/analyze';
import { until } from './helpers/poll';
import { tempDir } from './helpers/tempDir';

const found = (text: string): string[] => brief(analyzeFiles(text), 'dict-entry-not-a-uri');

describe('dict-entry-not-a-uri', () => {
  test('a dict { } line without a driver, with the dict process error; a service setting is pointed to service dict', () => {
    assert.deepEqual(found('dict {\n  user = vmail\n  foo = bar\n}\n'), [
      `1:2 user = vmail in dict { } names a dictionary "user" whose URI has no driver: Dovecot's dict process fails with "Failed to initialize dictionary 'user': Dictionary URI is missing ':': vmail" when something uses it. dict { } holds only NAME = driver:args lines (NAME = mysql:/etc/dovecot/dict-sql.conf.ext). A setting of the dict process goes in service dict { }.`,
      `2:2 foo = bar in dict { } names a dictionary "foo" whose URI has no driver: Dovecot's dict process fails with "Failed to initialize dictionary 'foo': Dictionary URI is missing ':': bar" when something uses it. dict { } holds only NAME = driver:args lines (NAME = mysql:/etc/dovecot/dict-sql.conf.ext).`,
    ]);
  });

  test('quiet on URIs, empty and unknown values, and outside dict { }', () => {
    const dict = [
      'quota = mysql:/etc/dovecot/dict-sql.conf.ext',
      'acl = "file:/var/lib/dovecot/shared.db"',
      'lastlogin = proxy::lastlogin',
      'empty =',
      'fromenv = $ENV:DICT',
      'fromfile = <uri.txt',
    ];
    assert.deepEqual(found(`dict {\n${dict.map((line) => `  ${line}\n`).join('')}}\n`), []);
    assert.deepEqual(found('plugin {\n  user = vmail\n}\nservice dict {\n  user = vmail\n}\n'), []);
    assert.deepEqual(found('dict {\n   = foo\n}\n'), []);
    assert.deepEqual(
      found('dovecot_config_version = 2.4.4\ndovecot_storage_version = 2.4.4\ndict {\n  user = vmail\n}\n'),
      [],
    );
  });
});

const DOVECOT = '/usr/sbin/dovecot';

test('Dovecot 2.3: the dict process fails on such a dictionary as the message says', async (t) => {
  if (!existsSync(DOVECOT) || process.getuid?.() !== 0) {
    console.log(`SKIPPED: Dovecot 2.3 is not installed at ${DOVECOT}, or this is not root`);
    return t.skip('Dovecot 2.3 not runnable here');
  }
  const dir = tempDir('dovecot-dict-');
  const run = path.join(dir, 'run');
  mkdirSync(run);
  const config = path.join(dir, 'dovecot.conf');
  const log = path.join(dir, 'log');
  writeFileSync(config, `base_dir = ${run}\nlog_path = ${log}\nprotocols =\nssl = no\ndict {\n  user = vmail\n}\n`);
  // Dovecot keeps its standard streams after it forks into the background: none are given to it.
  assert.equal(spawnSync(DOVECOT, ['-c', config], { stdio: 'ignore', timeout: 20000 }).status, 0);
  try {
    const socket = path.join(run, 'dict');
    await until('the dict socket', async () => (existsSync(socket) ? true : undefined));
    spawnSync('doveadm', ['-c', config, 'dict', 'get', `proxy:${socket}:user`, 'shared/x'], {
      stdio: 'ignore',
      timeout: 20000,
    });
    const logged = await until(
      'the dict process error in the log',
      async () => /Failed to initialize dictionary 'user': (.*)/.exec(readFileSync(log, 'utf8'))?.[1],
    );
    assert.equal(logged, "Dictionary URI is missing ':': vmail");
  } finally {
    spawnSync(DOVECOT, ['-c', config, 'stop'], { stdio: 'ignore', timeout: 20000 });
  }
});
