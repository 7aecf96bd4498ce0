// What counts as a secret (schema/secrets.ts): unit cases, an oracle comparison of the effective view's
// hiding with the real `doveconf -n` (which hides the same things unless run with -P), and a sweep of every
// feature that shows a value over a tree full of secrets and `<file` values.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import type { Position } from 'vscode-languageserver-types';
import { HIDDEN_MARKER, HIDDEN_PART_MARKER } from '../server/src/service/features/effectiveConfig';
import { getLanguageService } from '../server/src/service/dovecotLanguageService';
import { diagnosticsForFile } from '../server/src/service/languageService';
import { DiskHost } from '../server/src/service/model/diskHost';
import { MemoryHost } from '../server/src/service/model/host';
import settingsData from '../server/src/service/schema/settings-2.3.json';
import {
  HIDDEN_TEXT,
  isSecretSetting,
  maskSecrets,
  maskSettingLine,
  secretSegments,
} from '../server/src/service/schema/secrets';

describe('secrets', () => {
  test('whole values of *_password, *_key, *_nonce, ssl_dh*, dnpass and client_secret; never an empty value', () => {
    for (const key of [
      'doveadm_password',
      'ssl_key_password',
      'mail_crypt_private_password',
      'ssl_key',
      'doveadm_api_key',
      'auth_policy_hash_nonce',
      'ssl_dh',
      'ssl_dh_parameters_length',
      'dnpass',
      'client_secret',
    ]) {
      assert.equal(isSecretSetting(key), true, key);
      assert.equal(maskSecrets(key, 'S3cr3t'), HIDDEN_TEXT, key);
      assert.equal(maskSecrets(key, ''), '', `${key}: empty stays empty`);
    }
    for (const key of ['_key', '_password', 'ssl_cert', 'mail_location', 'Password', 'keys', 'password_x'])
      assert.equal(isSecretSetting(key), false, key);
  });

  test("2.4's doveconf also hides *_secret (oauth2_client_secret), 2.3's does not", () => {
    assert.equal(isSecretSetting('oauth2_client_secret', '2.4'), true);
    assert.equal(isSecretSetting('oauth2_client_secret'), false);
    assert.equal(isSecretSetting('_secret', '2.4'), false);
  });

  test('only the secret parts of args, connect strings, dict URIs and URLs', () => {
    const cases: [string, string, string][] = [
      ['args', 'password=X1 pass=X2 secret=X3 other=Y', 'password=(hidden) pass=(hidden) secret=(hidden) other=Y'],
      [
        'connect',
        'host=localhost dbname=mails user=u password=SqlPw',
        'host=localhost dbname=mails user=u password=(hidden)',
      ],
      [
        'quota_clone_dict',
        'redis:host=127.0.0.1:password=X4:port=6379',
        'redis:host=127.0.0.1:password=(hidden):port=6379',
      ],
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
    const typedSecrets = settingsData.settings.filter(
      (setting) => isSecretSetting(setting.name) && setting.type !== 'string',
    );
    assert.deepEqual(
      typedSecrets.map((setting) => setting.name),
      [],
    );
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
      const theirs = run.stdout
        .split('\n')
        .filter((line) => line !== '' && !line.startsWith('#') && !line.startsWith('managesieve_'));
      const disk = getLanguageService(new DiskHost());
      const ours = disk
        .renderEffectiveConfig(disk.analyze(root))
        .split('\n')
        .slice(1)
        .filter((line) => line !== '')
        .map((line) =>
          line
            .replace(/ # [^#]*$/, '')
            .replace(HIDDEN_MARKER, '# hidden, use -P to show it')
            .split(HIDDEN_PART_MARKER)
            .join('#hidden_use-P_to_show#'),
        );
      const beyond = (line: string) => HIDDEN_BEYOND_DOVECONF.has(line.trim().split(' ')[0]);
      assert.deepEqual(
        ours.filter((line) => !beyond(line)),
        theirs.filter((line) => !beyond(line)),
      );
      assert.deepEqual(ours.filter(beyond), [
        '  client_secret = # hidden, use -P to show it',
        '  dnpass = # hidden, use -P to show it',
      ]);
      assert.ok(
        theirs.some((line) => line.includes('#hidden_use-P_to_show#')) &&
          theirs.some((line) => line.includes('# hidden, use -P')),
        'doveconf hid both ways',
      );
      for (const secret of [
        'topsecret1',
        'X1',
        'X2',
        'X3',
        'X4',
        'user:pw',
        'u2:p2',
        'K1',
        'SqlPw',
        'Dn1',
        'CS1',
        'private.pem',
        'mcp',
      ]) {
        assert.equal(
          ours.some((line) => line.includes(secret)),
          false,
          `${secret} is not shown`,
        );
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

// Every place a value is shown, swept over a tree holding each kind of secret and two `<file` values:
// no secret and no byte of a file's content may appear in what the features return.
const SECRETS = {
  mailCrypt: 'MCPSECRET1',
  args: 'ARGSSECRET2',
  sslKeyPassword: 'SKPSECRET3',
  variable: 'VARSECRET4',
  dropped: 'DROPPEDSECRET5',
  inlay: 'INLAYSECRET6',
  sql: 'SQLSECRET7',
  ldap: 'LDAPSECRET8',
  url: 'URLSECRET9',
};
const FILE_CONTENTS = { replica: 'REPLICAFILE10', password: 'PASSWORDFILE11', peerPassword: 'PEERFILE12' };
const SWEEP_ROOT = '/etc/dovecot/dovecot.conf';
const SWEEP_PEER = '/srv/peer/dovecot.conf';
const SWEEP_TREE: Record<string, string> = {
  [SWEEP_ROOT]:
    [
      'mail_plugins = $mail_plugins notify replication',
      '!include conf.d/*.conf',
      'plugin {',
      '  mail_replica = </etc/dovecot/replica.txt',
      '  replication_sync_timeout = </etc/dovecot/replica.txt',
      `  mail_crypt_private_password = ${SECRETS.mailCrypt}`,
      `  quota_clone_dict = redis:host=127.0.0.1:password=${SECRETS.args}`,
      `  push_notification_driver = ox:url=https://user:${SECRETS.url}@example.com/push`,
      '}',
      'doveadm_password = </etc/dovecot/password.txt',
      'passdb {',
      '  driver = sql',
      `  args = password=${SECRETS.args} /etc/dovecot/dovecot-sql.conf.ext`,
      '}',
      `ssl_key_password = $${SECRETS.variable}`,
      `doveadm_api_key = ${SECRETS.dropped} \\`,
      '',
      `ssl_client_key = $ssl_client_key ${SECRETS.inlay}`,
    ].join('\n') + '\n',
  '/etc/dovecot/conf.d/10-ssl.conf': `ssl_key_password = ${SECRETS.sslKeyPassword}\n`,
  '/etc/dovecot/replica.txt': `${FILE_CONTENTS.replica}\n`,
  '/etc/dovecot/password.txt': `${FILE_CONTENTS.password}\n`,
  '/etc/dovecot/dovecot-sql.conf.ext': `driver = mysql\nconnect = host=localhost dbname=mail user=dovecot password=${SECRETS.sql}\n`,
  '/etc/dovecot/dovecot-ldap.conf.ext': `hosts = localhost\ndn = cn=admin\ndnpass = ${SECRETS.ldap}\n`,
  [SWEEP_PEER]:
    'mail_plugins = notify replication\ndoveadm_password = </srv/peer/password.txt\nplugin {\n  mail_replica = tcp:10.0.0.1:12345\n}\n',
  '/srv/peer/password.txt': `${FILE_CONTENTS.peerPassword}\n`,
};

function positionsOf(text: string): Position[] {
  return text
    .split('\n')
    .flatMap((line, lineNumber) =>
      Array.from({ length: line.length + 1 }, (_, character) => ({ line: lineNumber, character })),
    );
}

describe('no secret and no file content is shown anywhere', () => {
  const host = new MemoryHost(SWEEP_TREE);
  const service = getLanguageService(host);
  const analysis = service.analyze(SWEEP_ROOT, { peerRoot: SWEEP_PEER });
  const everySecret = [...Object.values(SECRETS), ...Object.values(FILE_CONTENTS)];
  const assertClean = (what: string, output: unknown, forbidden = everySecret): void => {
    const text = JSON.stringify(output);
    for (const secret of forbidden)
      assert.equal(
        text.includes(secret),
        false,
        `${what} shows ${secret}: ${text.slice(Math.max(0, text.indexOf(secret) - 200), text.indexOf(secret) + 50)}`,
      );
  };
  const treeFiles = Object.keys(SWEEP_TREE).filter(
    (file) => file.startsWith('/etc/dovecot/') && !file.endsWith('.txt'),
  );

  test('the tree raises the diagnostics that used to quote them', () => {
    const codes = new Set(analysis.diagnostics.map((d) => d.code));
    for (const code of [
      'mail-replica-malformed',
      'replication-sync-timeout-invalid',
      'unknown-variable',
      'continuation-dropped',
      'peer-password-mismatch',
      'doveadm-password-weak',
    ] as const)
      assert.ok(codes.has(code), `${code} raised: ${[...codes].join(', ')}`);
  });

  test('diagnostics: messages, related information and data', () => assertClean('a diagnostic', analysis.diagnostics));

  test('the messages name what the user wrote instead', () => {
    const message = (code: string) => analysis.diagnostics.find((d) => d.code === code)!.message;
    assert.match(
      message('mail-replica-malformed'),
      /^mail_replica read from <\/etc\/dovecot\/replica\.txt does not start with tcp:/,
    );
    assert.match(
      message('replication-sync-timeout-invalid'),
      /the value read from <\/etc\/dovecot\/replica\.txt gives/,
    );
    assert.match(
      message('unknown-variable'),
      /^Unknown variable in ssl_key_password \(not shown: it is part of a secret\)/,
    );
    assert.match(message('continuation-dropped'), /drops "doveadm_api_key = \(hidden\)"/);
    assert.deepEqual(analysis.diagnostics.find((d) => d.code === 'peer-password-mismatch')!.data, {
      peerFile: SWEEP_PEER,
      peerLine: 1,
      peerSetting: 'doveadm_password',
    });
  });

  test('hover at every position, also for a secret set in another file', () => {
    for (const file of treeFiles) {
      for (const position of positionsOf(SWEEP_TREE[file]))
        assertClean(
          `hover at ${file}:${position.line}:${position.character}`,
          service.doHover(analysis, file, position),
        );
    }
    const hover = service.doHover(analysis, '/etc/dovecot/conf.d/10-ssl.conf', { line: 0, character: 3 });
    assert.match(JSON.stringify(hover), /In effect: `\(hidden\)` \(dovecot.conf:15\)/);
  });

  test('inlay hints', () => {
    const hints = service.getInlayHints(analysis, SWEEP_ROOT);
    assert.equal(hints.length, 2, 'mail_plugins and ssl_client_key expand themselves');
    assertClean('inlay hints', hints);
  });

  test('the outline of every file, .conf.ext files included', () => {
    for (const file of treeFiles)
      assertClean(`outline of ${file}`, service.findDocumentSymbols(service.parse(file, SWEEP_TREE[file])));
    const sql = service.findDocumentSymbols(
      service.parse('/etc/dovecot/dovecot-sql.conf.ext', SWEEP_TREE['/etc/dovecot/dovecot-sql.conf.ext']),
    );
    assert.equal(sql[1].detail, 'host=localhost dbname=mail user=dovecot password=(hidden)');
  });

  test('completion at every position', () => {
    for (const file of treeFiles) {
      for (const position of positionsOf(SWEEP_TREE[file]))
        assertClean(
          `completion at ${file}:${position.line}:${position.character}`,
          service.doComplete(analysis, file, position, { host }),
        );
    }
  });

  test('the effective view, also of the SQL and LDAP files opened on their own', () => {
    assertClean('the effective view', service.renderEffectiveConfig(analysis));
    for (const file of ['/etc/dovecot/dovecot-sql.conf.ext', '/etc/dovecot/dovecot-ldap.conf.ext'])
      assertClean(`the effective view of ${file}`, service.renderEffectiveConfig(service.analyze(file)));
  });

  test("code actions: titles never show a secret; edits never copy a file's content", () => {
    for (const file of treeFiles) {
      const diagnostics = diagnosticsForFile(analysis, file).map((d) => ({
        range: d.range,
        message: d.message,
        code: d.code,
        data: d.data,
      }));
      const fixes = service.doQuickFixes(analysis, file, diagnostics, host);
      assertClean(
        `code action titles of ${file}`,
        fixes.map(({ fix }) => fix.title),
      );
      assertClean(
        `code action edits of ${file}`,
        fixes.map(({ fix }) => fix.edits),
        Object.values(FILE_CONTENTS),
      );
    }
  });
});
