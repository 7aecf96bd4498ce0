// What counts as a secret (schema/secrets.ts): unit cases, then an oracle comparison of the effective view's
// hiding with the real `doveconf -n` (which hides the same things unless run with -P).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import { HIDDEN_MARKER, renderEffectiveConfig } from '../server/src/service/features/effectiveConfig';
import { DovecotLanguageService } from '../server/src/service/languageService';
import { DiskHost } from '../server/src/service/model/diskHost';
import settingsData from '../server/src/service/schema/settings-2.3.json';
import { HIDDEN_TEXT, isSecretSetting, maskSecrets, maskSettingLine, secretSegments } from '../server/src/service/schema/secrets';

describe('secrets', () => {
  test('whole values of *_password, *_key, *_nonce, ssl_dh*, dnpass and client_secret; never an empty value', () => {
    for (const key of ['doveadm_password', 'ssl_key_password', 'mail_crypt_private_password', 'ssl_key', 'doveadm_api_key', 'auth_policy_hash_nonce', 'ssl_dh', 'ssl_dh_parameters_length', 'dnpass', 'client_secret']) {
      assert.equal(isSecretSetting(key), true, key);
      assert.equal(maskSecrets(key, 'S3cr3t'), HIDDEN_TEXT, key);
      assert.equal(maskSecrets(key, ''), '', `${key}: empty stays empty`);
    }
    for (const key of ['_key', '_password', 'ssl_cert', 'mail_location', 'Password', 'keys', 'password_x']) assert.equal(isSecretSetting(key), false, key);
  });

  test('only the secret parts of args, connect strings, dict URIs and URLs', () => {
    const cases: [string, string, string][] = [
      ['args', 'password=X1 pass=X2 secret=X3 other=Y', 'password=(hidden) pass=(hidden) secret=(hidden) other=Y'],
      ['connect', 'host=localhost dbname=mails user=u password=SqlPw', 'host=localhost dbname=mails user=u password=(hidden)'],
      ['quota_clone_dict', 'redis:host=127.0.0.1:password=X4:port=6379', 'redis:host=127.0.0.1:password=(hidden):port=6379'],
      ['uri', 'https://user:pw@host/path', 'https://(hidden)@host/path'],
      ['uri', 'https://user@host https://u2:p2@h2', 'https://(hidden)@host https://(hidden)@h2'],
      ['uri', 'http://host/path', 'http://host/path'],
      ['uri', 'ftp://@host', 'ftp://@host'],
      ['args', 'nopassword=Z', 'nopassword=Z'],
      ['args', 'key=K1;other', 'key=(hidden);other'],
      ['args', 'secret_api_key=S1 x', 'secret_api_key=(hidden) x'],
      ['args', 'a,password=b,c', 'a,password=(hidden)'],
      ['args', 'Password=UP', 'Password=UP'],
      ['ssl_cert', '</etc/ssl/key.pem', '</etc/ssl/key.pem'],
    ];
    for (const [key, value, masked] of cases) assert.equal(maskSecrets(key, value), masked, `${key} = ${value}`);
    assert.equal(secretSegments('args', 'username_format=%u /etc/dovecot/users'), undefined);
  });

  test('a whole key = value line, quoted or not', () => {
    assert.equal(maskSettingLine('doveadm_password = abc def'), 'doveadm_password = (hidden)');
    assert.equal(maskSettingLine('  args = "password=x y"'), '  args = "password=(hidden) y"');
    assert.equal(maskSettingLine('mail_plugins = quota'), 'mail_plugins = quota');
    assert.equal(maskSettingLine('service imap {'), 'service imap {');
  });

  test('no secret setting has a typed value, so invalid-value messages never quote one', () => {
    const typedSecrets = settingsData.settings.filter((setting) => isSecretSetting(setting.name) && setting.type !== 'string');
    assert.deepEqual(typedSecrets.map((setting) => setting.name), []);
  });
});

const haveDoveconf = spawnSync('doveconf', ['-n', '-c', '/dev/null'], { encoding: 'utf8' }).error === undefined;

// One line per secret form; doveconf 2.3.19 prints them in this tree, hiding what it considers secret.
const ORACLE_TREE = [
  'doveadm_password = topsecret1',
  'ssl_key_password = kp',
  'passdb {',
  '  driver = sql',
  '  args = password=X1 pass=X2 secret=X3 other=Y',
  '}',
  'userdb {',
  '  driver = passwd-file',
  '  args = username_format=%u /etc/dovecot/users',
  '}',
  'plugin {',
  '  mail_crypt_private_password = mcp',
  '  mail_crypt_private_key = </etc/dovecot/private.pem',
  '  quota_clone_dict = redis:host=127.0.0.1:password=X4:port=6379',
  '  a2 = https://user:pw@host/path',
  '  a3 = http://host/path',
  '  a4 = ftp://@host',
  '  a5 = nopassword=Z',
  '  a6 = key=K1;other',
  '  a7 = "password = spaced"',
  '  a8 = "lead #hash password=Q"',
  '  a9 = mykey',
  '  a10 = /etc/ssl/key.pem',
  '  a11 = secret_api_key=S1 x',
  '  a12 = https://user@host https://u2:p2@h2',
  '  a13 = pass',
  '  a14 = passwd:x',
  '  a15 = a,password=b,c',
  '  a16 = Password=UP',
  '  connect = host=localhost dbname=mails user=u password=SqlPw',
  '  sieve_nonce = n',
  '  x_key =',
  '  _key = underscoreonly',
  '  dnpass = Dn1',
  '  client_secret = CS1',
  '}',
];
/** Keys we hide and doveconf does not: the secrets of the ldap and oauth2 files, which doveconf never prints. */
const HIDDEN_PART_MARKER = "#hidden_use--show-secrets_to_show#";
const HIDDEN_BEYOND_DOVECONF = new Set(['dnpass', 'client_secret']);

describe('oracle: the effective view hides exactly what doveconf -n hides', () => {
  test('every secret form, line by line', (t) => {
    if (!haveDoveconf) return t.skip('SKIPPED: doveconf is not installed (apt-get install dovecot-core)');
    const dir = mkdtempSync(path.join(tmpdir(), 'secrets-oracle-'));
    try {
      const root = path.join(dir, 'dovecot.conf');
      writeFileSync(root, ORACLE_TREE.join('\n') + '\n');
      const run = spawnSync('doveconf', ['-n', '-c', root], { encoding: 'utf8' });
      assert.equal(run.status, 0, run.stderr);
      const theirs = run.stdout.split('\n').filter((line) => line !== '' && !line.startsWith('#') && !line.startsWith('managesieve_'));
      const ours = renderEffectiveConfig(new DovecotLanguageService(new DiskHost()).analyze(root))
        .split('\n').slice(1).filter((line) => line !== '')
        .map((line) => line.replace(/ # [^#]*$/, '').replace(HIDDEN_MARKER, '# hidden, use -P to show it').split(HIDDEN_PART_MARKER).join('#hidden_use-P_to_show#'));
      const beyond = (line: string) => HIDDEN_BEYOND_DOVECONF.has(line.trim().split(' ')[0]);
      assert.deepEqual(ours.filter((line) => !beyond(line)), theirs.filter((line) => !beyond(line)));
      assert.deepEqual(ours.filter(beyond), ['  client_secret = # hidden, use -P to show it', '  dnpass = # hidden, use -P to show it']);
      assert.ok(theirs.some((line) => line.includes('#hidden_use-P_to_show#')) && theirs.some((line) => line.includes('# hidden, use -P')), 'doveconf hid both ways');
      for (const secret of ['topsecret1', 'X1', 'X2', 'X3', 'X4', 'user:pw', 'u2:p2', 'K1', 'SqlPw', 'Dn1', 'CS1', 'private.pem', 'mcp']) {
        assert.equal(ours.some((line) => line.includes(secret)), false, `${secret} is not shown`);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
