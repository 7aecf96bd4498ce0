// The server's settings and the files they name (serverSettings.ts).
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { loadRuleDocLinks, notAConfigFile, resolveSettingPath, settingsFrom } from '../server/src/serverSettings';
import { MemoryHost } from '../server/src/service/model/host';

test('a missing or unknown setting takes its default', () => {
  assert.deepEqual(settingsFrom(null), {
    rootConfig: '',
    version: 'auto',
    lint: { rules: {} },
    replication: { peers: {} },
    live: { doveconfPath: 'doveconf' },
  });
  const given = settingsFrom({ version: '2.4', rootConfig: 'etc/dovecot.conf', live: { doveconfPath: '' } });
  assert.equal(given.version, '2.4');
  assert.equal(given.rootConfig, 'etc/dovecot.conf');
  assert.equal(given.live.doveconfPath, 'doveconf', 'an empty program path is the default');
  assert.equal(settingsFrom({ version: '3.0' as never }).version, 'auto');
});

test('a relative path is read from the first workspace folder', () => {
  assert.equal(resolveSettingPath('', ['/work']), undefined);
  assert.equal(resolveSettingPath('/etc/dovecot/dovecot.conf', ['/work']), '/etc/dovecot/dovecot.conf');
  assert.equal(resolveSettingPath('etc/dovecot.conf', ['/work', '/other']), '/work/etc/dovecot.conf');
});

test('only a regular file (or an open document) is read as a configuration', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dovecot-settings-'));
  try {
    const file = path.join(dir, 'dovecot.conf');
    fs.writeFileSync(file, 'protocols = imap\n');
    const fifo = path.join(dir, 'fifo');
    execFileSync('mkfifo', [fifo]);
    const none = new MemoryHost({});
    assert.equal(notAConfigFile(file, none), 'is not a regular file', 'the host decides what is a file');
    assert.equal(notAConfigFile(file, new MemoryHost({ [file]: '' })), undefined);
    assert.equal(notAConfigFile(dir, none), 'is a directory');
    assert.equal(notAConfigFile(fifo, none), 'is a FIFO');
    assert.equal(notAConfigFile('/dev/null', none), 'is a device');
    assert.equal(notAConfigFile(path.join(dir, 'missing'), none), 'does not exist');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test("each rule's link points at its anchor's line in the README the client names", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dovecot-readme-'));
  try {
    const readme = path.join(dir, 'README.md');
    fs.writeFileSync(readme, '# Rules\n\n<a id="rule-unknown-setting"></a>\n| unknown-setting |\n');
    assert.deepEqual([...loadRuleDocLinks(readme)], [['unknown-setting', `file://${readme}#L3`]]);
    assert.equal(loadRuleDocLinks('README.md').size, 0, 'a relative path is not read');
    assert.equal(loadRuleDocLinks(dir).size, 0, 'a directory is not read');
    assert.equal(loadRuleDocLinks(undefined).size, 0);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
