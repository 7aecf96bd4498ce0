// Driver configuration files (a sql/ldap passdb's args file, a dict-sql map file) are read by the auth and
// dict processes with their own keys, never by the configuration parser: analysed on their own (as the
// editor does when one is opened) they get no configuration diagnostics, while a real configuration file
// that happens to contain some of their keys is still checked.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { hasConventionalArgsName, isReferencedArgsFile } from '../server/src/service/model/argsFiles';
import { getLanguageService, type LanguageService } from '../server/src/service/dovecotLanguageService';
import { MemoryHost } from '../server/src/service/model/host';

const SQL_ARGS =
  "driver = mysql\nconnect = host=db dbname=mail user=mail password=secret\npassword_query = SELECT username AS user, password \\\n  FROM mailbox WHERE username = '%u'\niterate_query = SELECT username AS user FROM mailbox\n";
const DICT_MAP =
  'connect = host=db dbname=mail\nmap {\n  pattern = priv/quota/storage\n  table = quota\n  username_field = username\n  value_field = bytes\n}\n';

function codes(service: LanguageService, file: string): string[] {
  return service.analyze(file).diagnostics.map((d) => `${d.range.start.line + 1}:${d.code}`);
}

describe('driver configuration files named by the tree', () => {
  const host = new MemoryHost({
    '/srv/mail/etc/dovecot/dovecot.conf':
      '!include conf.d/*.conf\ndict {\n  quota = mysql:/etc/dovecot/quota-map.conf\n}\n',
    '/srv/mail/etc/dovecot/conf.d/10-auth.conf':
      'passdb {\n  driver = sql\n  args = /etc/dovecot/mail-sql.conf\n}\nuserdb {\n  driver = passwd-file\n  args = /etc/dovecot/users\n}\n',
    '/srv/mail/etc/dovecot/mail-sql.conf': SQL_ARGS,
    '/srv/mail/etc/dovecot/quota-map.conf': DICT_MAP,
    '/srv/mail/etc/dovecot/users': 'driver = not-a-config-file\n',
    '/srv/mail/etc/dovecot/notes.conf':
      'mail_location = maildir:~/Maildir\ndriver = mysql\npassword_query = SELECT 1\n',
  });
  const service = getLanguageService(host);

  test('a sql passdb args file (absolute path of the server, copy in a workspace) gets no diagnostics', () => {
    assert.equal(service.findRoot('/srv/mail/etc/dovecot/mail-sql.conf'), '/srv/mail/etc/dovecot/mail-sql.conf');
    assert.deepEqual(codes(service, '/srv/mail/etc/dovecot/mail-sql.conf'), []);
  });

  test('a dict-sql map file named by a dict {} entry gets no diagnostics', () => {
    assert.deepEqual(codes(service, '/srv/mail/etc/dovecot/quota-map.conf'), []);
  });

  test('a file the tree does not name as a driver file is still checked', () => {
    assert.deepEqual(codes(service, '/srv/mail/etc/dovecot/notes.conf'), ['2:unknown-setting', '3:unknown-setting']);
  });

  test('a passwd-file args path is not a driver configuration file', () => {
    const model = service.buildModel('/srv/mail/etc/dovecot/dovecot.conf');
    assert.equal(isReferencedArgsFile(model, '/srv/mail/etc/dovecot/users'), false);
    assert.equal(isReferencedArgsFile(model, '/srv/mail/etc/dovecot/mail-sql.conf'), true);
  });

  test('the tree itself is checked as before', () => {
    assert.deepEqual(codes(service, '/srv/mail/etc/dovecot/dovecot.conf'), []);
  });
});

describe('driver configuration files by their conventional names', () => {
  test('the example configuration names are recognised, others are not', () => {
    assert.equal(hasConventionalArgsName('/etc/dovecot/dovecot-sql.conf.ext'), true);
    assert.equal(hasConventionalArgsName('/etc/dovecot/dovecot-ldap.conf.ext'), true);
    assert.equal(hasConventionalArgsName('/etc/dovecot/dovecot-dict-sql.conf.ext'), true);
    assert.equal(hasConventionalArgsName('/etc/dovecot/dovecot-ldap.conf'), true);
    assert.equal(hasConventionalArgsName('/etc/dovecot/conf.d/auth-sql.conf.ext'), false);
    assert.equal(hasConventionalArgsName('/etc/dovecot/dovecot.conf'), false);
  });

  test('an LDAP args file opened with no tree around it gets no diagnostics', () => {
    const ldap = '/home/admin/dovecot-ldap.conf.ext';
    const service = getLanguageService(
      new MemoryHost({
        [ldap]: 'uris = ldap://ldap.example.com\ndn = cn=admin,dc=example,dc=com\nbase = ou=people,dc=example,dc=com\n',
      }),
    );
    assert.deepEqual(codes(service, ldap), []);
  });

  test('an LDAP args file by its name before Dovecot 2.0, left unused beside a 2.4 configuration, gets no diagnostics', () => {
    const ldap = '/etc/dovecot/dovecot-ldap.conf';
    const service = getLanguageService(
      new MemoryHost({
        '/etc/dovecot/dovecot.conf': 'dovecot_config_version = 2.4.0\ndovecot_storage_version = 2.4.0\n',
        [ldap]: 'hosts = 127.0.0.1\nauth_bind = yes\nbase = ou=users,dc=example,dc=org\npass_filter = (uid=%n)\n',
      }),
    );
    assert.deepEqual(codes(service, ldap), []);
  });

  test("the template of a driver file (an Ansible role's dovecot-sql.conf.ext.j2) gets no diagnostics either", () => {
    const template = '/srv/role/templates/dovecot-sql.conf.ext.j2';
    const service = getLanguageService(
      new MemoryHost({ [template]: 'driver = {{ db_driver }}\nconnect = host={{ db_host }}\n' }),
    );
    assert.deepEqual(codes(service, template), []);
  });

  test("an installer's sql and dict-sql files under names of its own, no longer named by its 2.4 dovecot.conf, get no diagnostics", () => {
    const service = getLanguageService(
      new MemoryHost({
        '/etc/dovecot/dovecot.conf': 'dovecot_config_version = 2.4.0\ndovecot_storage_version = 2.4.0\n',
        '/etc/dovecot/dovecot-mysql.conf': SQL_ARGS,
        '/etc/dovecot/dovecot-used-quota.conf': DICT_MAP,
      }),
    );
    assert.deepEqual(codes(service, '/etc/dovecot/dovecot-mysql.conf'), []);
    assert.deepEqual(codes(service, '/etc/dovecot/dovecot-used-quota.conf'), []);
  });

  test('a connect key written by mistake in dovecot.conf is still an error', () => {
    const service = getLanguageService(new MemoryHost({ '/etc/dovecot/dovecot.conf': 'connect = host=db\n' }));
    assert.deepEqual(codes(service, '/etc/dovecot/dovecot.conf'), ['1:unknown-setting']);
  });

  test('a key of the main configuration written by mistake in dovecot.conf is still an error', () => {
    const service = getLanguageService(new MemoryHost({ '/etc/dovecot/dovecot.conf': 'driver = sql\n' }));
    assert.deepEqual(codes(service, '/etc/dovecot/dovecot.conf'), ['1:unknown-setting']);
  });
});
