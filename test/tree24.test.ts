// A realistic Dovecot 2.4 tree without mistakes (test/fixtures/dovecot24: Maildir storage,
// passwd-file auth for service accounts, an SQL passdb on PostgreSQL and an LDAP userdb as a Debian
// admin with dovecot-pgsql and dovecot-ldap writes them, TLS, LMTP from Postfix, Sieve) lints clean, and
// the real doveconf 2.4.4 (built with those drivers) accepts it when scripts/build-dovecot24.sh has built it.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { getLanguageService } from '../server/src/service/dovecotLanguageService';
import { DiskHost } from '../server/src/service/model/diskHost';
import { runDoveconf } from './oracle/cases';
import { DOVECONF_24, parseVerdict24 } from './oracle24/verdict';

const ROOT = path.join(__dirname, 'fixtures', 'dovecot24', 'dovecot.conf');

test('the 2.4 tree is read as 2.4, because of its dovecot_config_version', () => {
  const analysis = getLanguageService(new DiskHost()).analyze(ROOT);
  assert.equal(analysis.dialect, '2.4');
  assert.equal(analysis.dialectReason, 'dovecot_config_version = 2.4.4 (dovecot.conf:4)');
  assert.equal(analysis.files.length, 9);
});

test('the 2.4 tree lints clean: no diagnostic at any level', () => {
  const analysis = getLanguageService(new DiskHost()).analyze(ROOT);
  assert.deepEqual(
    analysis.diagnostics.map(
      (d) => `${path.relative(path.dirname(ROOT), d.file)}:${d.range.start.line + 1}: ${d.message} [${d.code}]`,
    ),
    [],
  );
});

test('a mistake in the tree is found: the checks are live on this tree', () => {
  const host = new DiskHost();
  const service = getLanguageService({
    readFile: (file) =>
      file.endsWith('10-mail.conf') ? host.readFile(file)?.replace('mail_driver', 'mail_drivr') : host.readFile(file),
    listDirectory: (dir) => host.listDirectory(dir),
    isFile: (file) => host.isFile(file),
  });
  assert.deepEqual(
    service.analyze(ROOT).diagnostics.map((d) => d.code),
    ['unknown-setting'],
  );
});

test('a typo in the LDAP userdb and a wrong SQLite value are found, in the driver files', () => {
  const host = new DiskHost();
  const edits: Record<string, (text: string) => string> = {
    'auth-ldap.conf.ext': (text) => text.replace('iterate_filter', 'iterate_fliter'),
    'auth-sql.conf.ext': (text) =>
      text.replace('sql_driver = pgsql', 'sql_driver = pgsql\nsqlite_journal_mode = truncate'),
  };
  const service = getLanguageService({
    readFile: (file) => {
      const text = host.readFile(file);
      const edit = edits[path.basename(file)];
      return text !== undefined && edit ? edit(text) : text;
    },
    listDirectory: (dir) => host.listDirectory(dir),
    isFile: (file) => host.isFile(file),
  });
  assert.deepEqual(
    service.analyze(ROOT).diagnostics.map((d) => `${path.basename(d.file)}:${d.range.start.line + 1}: ${d.message}`),
    [
      'auth-sql.conf.ext:3: sqlite_journal_mode: Invalid value: truncate',
      'auth-ldap.conf.ext:9: iterate_fliter: Unknown setting: iterate_fliter (userdb_iterate_fliter or userdb_ldap_iterate_fliter not found either.)',
    ],
  );
});

test('the real doveconf 2.4.4 accepts the tree without warnings', (t) => {
  if (!existsSync(DOVECONF_24)) {
    console.log('SKIPPED: no Dovecot 2.4 doveconf (see scripts/build-dovecot24.sh)');
    t.skip('no Dovecot 2.4 doveconf');
    return;
  }
  const { output, rc } = runDoveconf(ROOT, DOVECONF_24);
  const verdict = parseVerdict24(output, rc, ROOT);
  assert.equal(verdict.rc, 0, output);
  assert.deepEqual(verdict.warnings, []);
});
