// Dialect detection by the 2.3 / 2.4 markers of FACTS §4.3: each marker alone, mixed, none.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { getLanguageService } from '../server/src/service/dovecotLanguageService';
import { decideDialect, detectDialect } from '../server/src/service/model/dialect';
import { MemoryHost } from '../server/src/service/model/host';

const ROOT = '/etc/dovecot/dovecot.conf';

function dialectOf(files: Record<string, string> | string): string {
  const tree = typeof files === 'string' ? { [ROOT]: files } : files;
  return detectDialect(getLanguageService(new MemoryHost(tree)).buildModel(ROOT));
}

const MARKERS_23: Record<string, string> = {
  'plugin { }': 'plugin {\n  quota = maildir\n}\n',
  mail_location: 'mail_location = maildir:~/Maildir\n',
  ssl_cert: 'ssl_cert = </etc/ssl/cert.pem\n',
  mail_replica: 'mail_replica = tcp:peer:12345\n',
  $mail_plugins: 'protocol imap {\n  mail_plugins = $mail_plugins imap_quota\n}\n',
  'passdb { } without a name': 'passdb {\n  driver = pam\n}\n',
  'service replicator': 'service replicator {\n  process_min_avail = 1\n}\n',
  'service aggregator': 'service aggregator {\n}\n',
};

const MARKERS_24: Record<string, string> = {
  dovecot_config_version: 'dovecot_config_version = 2.4.0\n',
  dovecot_storage_version: 'dovecot_storage_version = 2.4.0\n',
  mail_driver: 'mail_driver = maildir\n',
  mail_path: 'mail_path = ~/Maildir\n',
  'sieve_script setting': 'sieve_script = personal\n',
  'ssl_server_*': 'ssl_server_cert_file = /etc/ssl/cert.pem\n',
  '$SET:': 'auth_mechanisms = $SET:auth_mechanisms login\n',
  'mail_plugins { }': 'mail_plugins {\n  quota = yes\n}\n',
  'sieve_script section': 'sieve_script personal {\n  path = ~/sieve\n}\n',
  'group section': 'group @mailusers english {\n}\n',
  'group include': '@mailbox_defaults = english\n',
  'ssl_server section': 'ssl_server {\n  cert_file = /etc/ssl/cert.pem\n}\n',
  'ssl_client section': 'ssl_client {\n  ca_dir = /etc/ssl/certs\n}\n',
  'import_environment { }': 'import_environment {\n  TZ = UTC\n}\n',
  'protocols { }': 'protocols {\n  imap = yes\n}\n',
  'auth_mechanisms { }': 'auth_mechanisms {\n  xoauth2 = yes\n}\n',
  'oauth2 { }': 'oauth2 {\n  introspection_url = https://login.example.com/introspect\n}\n',
  'variable filter': 'mail_home = /srv/%{user | domain}/%{user | username}\n',
  passwd_file_path: 'passdb users {\n  driver = passwd-file\n  passwd_file_path = /etc/dovecot/users\n}\n',
  'mysql host { }': 'mysql localhost {\n  user = dovecot\n}\n',
  'quota name { }': 'quota "User quota" {\n  storage_size = 1G\n}\n',
};

for (const eol of ['\n', '\r\n']) {
  const crlf = (text: string) => text.replace(/\n/g, eol);
  describe(`detectDialect (${JSON.stringify(eol)})`, () => {
    for (const [name, text] of Object.entries(MARKERS_23)) {
      test(`2.3 marker alone: ${name}`, () => assert.equal(dialectOf(crlf(`protocols = imap\n${text}`)), '2.3'));
    }
    for (const [name, text] of Object.entries(MARKERS_24)) {
      test(`2.4 marker alone: ${name}`, () => assert.equal(dialectOf(crlf(`protocols = imap\n${text}`)), '2.4'));
    }

    test('a 2.3 and a 2.4 marker together are mixed, also across included files', () => {
      assert.equal(dialectOf(crlf(MARKERS_24.mail_driver + MARKERS_23.mail_location)), 'mixed');
      assert.equal(
        dialectOf({
          [ROOT]: crlf('mail_path = ~/Maildir\n!include conf.d/*.conf\n'),
          '/etc/dovecot/conf.d/90-plugin.conf': crlf(MARKERS_23['plugin { }']),
        }),
        'mixed',
      );
    });

    test('dovecot_config_version settles it: 2.3 constructs in such a file are 2.4 errors, not a mix', () => {
      assert.equal(dialectOf(crlf(MARKERS_24.dovecot_config_version + MARKERS_23.mail_location)), '2.4');
      assert.equal(
        dialectOf({
          [ROOT]: crlf('dovecot_config_version = 2.4.0\n!include conf.d/*.conf\n'),
          '/etc/dovecot/conf.d/90-plugin.conf': crlf(MARKERS_23['plugin { }']),
        }),
        '2.4',
      );
    });

    test('settings common to both versions, named passdb, other services: unknown', () => {
      assert.equal(
        dialectOf(
          crlf('protocols = imap lmtp\nlisten = *\npassdb pam {\n}\nservice imap-login {\n}\nmail_plugins = quota\n'),
        ),
        'unknown',
      );
      assert.equal(dialectOf(''), 'unknown');
    });

    test('markers only count as settings or sections: the word in a value or comment does not', () => {
      assert.equal(
        dialectOf(crlf('# mail_location = maildir:~/Maildir\nlog_path = /var/log/mail_driver.log\n')),
        'unknown',
      );
    });

    test('a | outside a %{...} variable is no filter', () => {
      assert.equal(dialectOf(crlf('login_greeting = ready | %u\nmail_home = /srv/%{user}|x\n')), 'unknown');
    });
  });
}

describe('decideDialect: the reason, and the dovecot.version override', () => {
  const model = (files: Record<string, string>) => getLanguageService(new MemoryHost(files)).buildModel(ROOT);

  test('names the dovecot_config_version line, relative to the root directory', () => {
    const decision = decideDialect(
      model({
        [ROOT]: 'protocols = imap\n!include conf.d/*.conf\n',
        '/etc/dovecot/conf.d/00-version.conf': '\ndovecot_config_version = 2.4.4\n',
      }),
    );
    assert.deepEqual(decision, {
      dialect: '2.4',
      reason: 'dovecot_config_version = 2.4.4 (conf.d/00-version.conf:2)',
      forced: false,
    });
  });

  test('names the first marker of each version for a mix, and says when nothing decides', () => {
    assert.equal(
      decideDialect(model({ [ROOT]: 'mail_driver = maildir\nmail_location = mbox:~/mail\n' })).reason,
      '2.4: mail_driver (dovecot.conf:1); 2.3: mail_location (dovecot.conf:2)',
    );
    assert.deepEqual(decideDialect(model({ [ROOT]: 'protocols = imap\n' })), {
      dialect: 'unknown',
      reason: 'no version marker found; read as Dovecot 2.3',
      forced: false,
    });
  });

  test('2.3 or 2.4 forces the version whatever the file says; auto detects', () => {
    const tree = model({ [ROOT]: 'dovecot_config_version = 2.4.4\n' });
    assert.equal(decideDialect(tree, '2.3').dialect, '2.3');
    assert.equal(decideDialect(tree, '2.3').forced, true);
    assert.equal(decideDialect(model({ [ROOT]: 'mail_location = maildir:~/Maildir\n' }), '2.4').dialect, '2.4');
    assert.equal(decideDialect(tree, 'auto').dialect, '2.4');
  });

  test('the analysis carries the forced version: a 2.3 file read as 2.4 gets 2.4 errors', () => {
    const service = getLanguageService(new MemoryHost({ [ROOT]: 'mail_location = maildir:~/Maildir\n' }));
    assert.equal(service.analyze(ROOT).dialect, '2.3');
    const forced = service.analyze(ROOT, { dovecotVersion: '2.4' });
    assert.equal(forced.dialect, '2.4');
    assert.deepEqual(
      forced.diagnostics.map((d) => d.code),
      ['config-version-missing', 'unknown-setting', 'storage-version-missing'],
    );
  });
});

describe('a piece of a configuration, its root elsewhere', () => {
  const FRAGMENT = 'mail_driver = maildir\nmail_path = ~/Maildir\n';
  const analyse = (file: string, text: string, dovecotVersion?: '2.4') =>
    getLanguageService(new MemoryHost({ [file]: text }))
      .analyze(file, { dovecotVersion })
      .diagnostics.map((d) => d.code);

  test('a 2.4 file not named dovecot.conf, without dovecot_config_version, is not asked for the version settings', () => {
    assert.deepEqual(analyse('/srv/image/config/mail.conf', FRAGMENT), []);
  });

  test("a 2.4 SQL driver block alone (an image's file its entrypoint copies in at start) is read as 2.4", () => {
    const driver = 'sql_driver = mysql\nmysql default {\n  host = $ENV:DB_HOST\n  dbname = $ENV:DB_NAME\n}\n';
    assert.deepEqual(analyse('/etc/dovecot/auth-driver-mysql.conf', driver), []);
  });

  test('as dovecot.conf, with the version forced, or with a version setting of its own, it is', () => {
    const missing = ['config-version-missing', 'storage-version-missing'];
    assert.deepEqual(analyse('/srv/image/config/dovecot.conf', FRAGMENT), missing);
    assert.deepEqual(analyse('/srv/image/config/mail.conf', FRAGMENT, '2.4'), missing);
    assert.deepEqual(analyse('/srv/image/config/mail.conf', `dovecot_config_version = 2.4.0\n${FRAGMENT}`), [
      'storage-version-missing',
    ]);
  });
});
