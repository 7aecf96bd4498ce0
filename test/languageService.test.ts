// Language service facade: which root a file belongs to, the parse cache, analysis file order, per-file diagnostics.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { getLanguageService } from '../server/src/service/dovecotLanguageService';
import { diagnosticsForFile } from '../server/src/service/languageService';
import { MemoryHost } from '../server/src/service/model/host';

const ROOT = '/etc/dovecot/dovecot.conf';

describe('findRoot', () => {
  const host = new MemoryHost({
    [ROOT]: 'protocols = imap\n!include conf.d/*.conf\n',
    '/etc/dovecot/conf.d/10-mail.conf': 'mail_location = maildir:~/Maildir\n',
    '/etc/dovecot/conf.d/auth/extra.conf': 'auth_debug = yes\n',
    '/etc/dovecot/conf.d/10-auth.conf': '!include auth/extra.conf\n',
    '/etc/dovecot/conf.d/unused.conf.bak': 'auth_verbose = yes\n',
    '/etc/dovecot/scratch/notes.conf': 'mail_debug = yes\n',
  });
  const service = getLanguageService(host);

  test('a conf.d file finds the dovecot.conf that includes it', () => {
    assert.equal(service.findRoot('/etc/dovecot/conf.d/10-mail.conf'), ROOT);
  });

  test('a file two directories down, included through another include, finds the same root', () => {
    assert.equal(service.findRoot('/etc/dovecot/conf.d/auth/extra.conf'), ROOT);
  });

  test('a file the nearby dovecot.conf does not include is its own root', () => {
    assert.equal(service.findRoot('/etc/dovecot/conf.d/unused.conf.bak'), '/etc/dovecot/conf.d/unused.conf.bak');
    assert.equal(service.findRoot('/etc/dovecot/scratch/notes.conf'), '/etc/dovecot/scratch/notes.conf');
  });

  test('dovecot.conf itself is its own root; a file far from any dovecot.conf too', () => {
    assert.equal(service.findRoot(ROOT), ROOT);
    assert.equal(service.findRoot('/srv/other/x.conf'), '/srv/other/x.conf');
  });

  test('an explicit root wins, resolved to an absolute path', () => {
    assert.equal(
      service.findRoot('/etc/dovecot/conf.d/10-mail.conf', '/srv/test/dovecot.conf'),
      '/srv/test/dovecot.conf',
    );
    assert.equal(
      service.findRoot('/etc/dovecot/conf.d/10-mail.conf', '/srv/test/../main/dovecot.conf'),
      '/srv/main/dovecot.conf',
    );
  });
});

describe('parse cache', () => {
  test('the same text reuses the parse; a change re-parses; forget drops the entry', () => {
    const service = getLanguageService(new MemoryHost());
    const first = service.parse(ROOT, 'a = 1\n');
    assert.equal(service.parse(ROOT, 'a = 1\n'), first);
    const changed = service.parse(ROOT, 'a = 2\n');
    assert.notEqual(changed, first);
    assert.equal(changed.statements[0].kind === 'setting' && changed.statements[0].value, '2');
    assert.equal(service.parse(ROOT, 'a = 2\n'), changed);
    service.forget(ROOT);
    const again = service.parse(ROOT, 'a = 2\n');
    assert.notEqual(again, changed);
    assert.deepEqual(again, changed);
  });

  test('the cache is per file: the same text in two files gives two parses', () => {
    const service = getLanguageService(new MemoryHost());
    assert.notEqual(service.parse('/a.conf', 'a = 1\n'), service.parse('/b.conf', 'a = 1\n'));
  });

  test('analyze sees edits made through the host: model and diagnostics follow the new text', () => {
    const host = new MemoryHost({ [ROOT]: 'protocols = imap\nmail_locaton = x\n' });
    const service = getLanguageService(host);
    const before = service.analyze(ROOT);
    assert.deepEqual(
      before.diagnostics.map((d) => d.code),
      ['unknown-setting'],
    );
    const parsedBefore = before.model.files.get(ROOT)?.parsed;
    assert.equal(service.analyze(ROOT).model.files.get(ROOT)?.parsed, parsedBefore, 'unchanged text reuses the parse');
    host.set(ROOT, 'protocols = imap\nmail_location = x\n');
    const after = service.analyze(ROOT);
    assert.notEqual(after.model.files.get(ROOT)?.parsed, parsedBefore);
    assert.deepEqual(
      after.diagnostics.map((d) => d.code),
      [],
    );
  });
});

describe('analyze', () => {
  const files = {
    [ROOT]: 'protocols = imap\n!include conf.d/*.conf\n!include_try local.conf\nbad_root = 1\n',
    '/etc/dovecot/conf.d/20-imap.conf': 'protocol imap {\n  bad_imap = 1\n}\n',
    '/etc/dovecot/conf.d/10-mail.conf': 'mail_location = maildir:~/Maildir\n!include ../extra/mail-extra.conf\n',
    '/etc/dovecot/extra/mail-extra.conf': 'bad_extra = 1\n',
    '/etc/dovecot/local.conf': 'bad_local = 1\n',
  };
  const analysis = getLanguageService(new MemoryHost(files)).analyze(ROOT);

  test("returns the files in Dovecot's reading order, root first, includes depth first, globs sorted", () => {
    assert.equal(analysis.root, ROOT);
    assert.deepEqual(analysis.files, [
      ROOT,
      '/etc/dovecot/conf.d/10-mail.conf',
      '/etc/dovecot/extra/mail-extra.conf',
      '/etc/dovecot/conf.d/20-imap.conf',
      '/etc/dovecot/local.conf',
    ]);
    assert.equal(analysis.dialect, '2.3');
  });

  test('diagnosticsForFile keeps only the diagnostics of that file (relative paths resolved)', () => {
    const messages = (file: string) =>
      diagnosticsForFile(analysis, file).map((d) => `${d.range.start.line} ${d.code} ${d.message}`);
    assert.deepEqual(messages(ROOT), ['3 unknown-setting Unknown setting: bad_root']);
    assert.deepEqual(messages('/etc/dovecot/conf.d/20-imap.conf'), ['1 unknown-setting Unknown setting: bad_imap']);
    assert.deepEqual(messages('/etc/dovecot/conf.d/../extra/mail-extra.conf'), [
      '0 unknown-setting Unknown setting: bad_extra',
    ]);
    assert.deepEqual(messages('/etc/dovecot/local.conf'), ['0 unknown-setting Unknown setting: bad_local']);
    assert.deepEqual(messages('/etc/dovecot/conf.d/10-mail.conf'), []);
    assert.deepEqual(messages('/nowhere.conf'), []);
  });

  test('ruleLevels and peerRoot options reach the analysis', () => {
    const service = getLanguageService(new MemoryHost({ ...files, '/etc/peer/dovecot.conf': 'protocols = imap\n' }));
    const quiet = service.analyze(ROOT, {
      ruleLevels: { 'unknown-setting': 'off' },
      peerRoot: '/etc/peer/dovecot.conf',
    });
    assert.deepEqual(
      quiet.diagnostics.filter((d) => d.code === 'unknown-setting'),
      [],
    );
    assert.equal(quiet.peer?.root, '/etc/peer/dovecot.conf');
    assert.deepEqual([...(quiet.peer?.model.files.keys() ?? [])], ['/etc/peer/dovecot.conf']);
    assert.equal(analysis.peer, undefined);
  });
});
