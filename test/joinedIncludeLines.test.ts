// A `\` continuation an included file ends with joins the next line Dovecot reads (checked with doveconf
// 2.3.19 and 2.4.4): the line after the !include, or the next included file's first line.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { getLanguageService } from '../server/src/service/dovecotLanguageService';
import { diagnosticsForFile } from '../server/src/service/languageService';
import { MemoryHost } from '../server/src/service/model/host';
import { analyzeFiles, ROOT } from './helpers/analyze';

const INCLUDED = '/etc/dovecot/conf.d/10-a.conf';

function codes(files: Record<string, string>): string[] {
  return analyzeFiles(files).diagnostics.map((d) => `${d.file.split('/').pop()}:${d.range.start.line}:${d.code}`);
}

test('the line after the !include is taken into the continued line: neither is judged on its own, the join is a warning', () => {
  const files = { [ROOT]: '!include conf.d/10-a.conf\nmail_debug = maybe\n', [INCLUDED]: 'login_greeting = x \\\n' };
  assert.deepEqual(codes(files), ['10-a.conf:0:continuation-joins-next-file']);
});

test('lines of \\ alone at the end of the file keep the text pending: the line after the !include is taken in', () => {
  for (const end of ['\\\n', '\\\n  \\ \n', '\\\n\\'])
    assert.deepEqual(
      codes({ [ROOT]: '!include conf.d/10-a.conf\nmail_debug = maybe\n', [INCLUDED]: `login_greeting = x ${end}` }),
      ['10-a.conf:0:continuation-joins-next-file'],
      JSON.stringify(end),
    );
  // A blank line after them drops it.
  assert.deepEqual(
    codes({ [ROOT]: '!include conf.d/10-a.conf\nmail_debug = maybe\n', [INCLUDED]: 'login_greeting = x \\\n\\\n\n' }),
    ['10-a.conf:0:continuation-dropped', 'dovecot.conf:1:invalid-value'],
  );
});

test('a blank or comment line after the !include drops the continued text, as within a file', () => {
  for (const between of ['\n', '# c\n'])
    assert.deepEqual(
      codes({
        [ROOT]: `!include conf.d/10-a.conf\n${between}mail_debug = maybe\n`,
        [INCLUDED]: 'login_greeting = x \\\n',
      }),
      ['10-a.conf:0:continuation-dropped', 'dovecot.conf:2:invalid-value'],
    );
  // A blank line at the end of the included file drops it there.
  assert.deepEqual(
    codes({ [ROOT]: '!include conf.d/10-a.conf\nmail_debug = maybe\n', [INCLUDED]: 'login_greeting = x \\\n\n' }),
    ['10-a.conf:0:continuation-dropped', 'dovecot.conf:1:invalid-value'],
  );
});

test("the next file of a glob: its first line is taken in, the including file's next line is read as written", () => {
  const files = {
    [ROOT]: '!include conf.d/*.conf\nmail_debug = maybe\n',
    [INCLUDED]: 'login_greeting = x \\\n',
    '/etc/dovecot/conf.d/20-b.conf': 'mail_debug = maybe\n',
  };
  assert.deepEqual(codes(files), ['dovecot.conf:1:invalid-value', '10-a.conf:0:continuation-joins-next-file']);
});

const joinMessages = (files: Record<string, string>): string[] =>
  analyzeFiles(files)
    .diagnostics.filter((d) => d.code === 'continuation-joins-next-file')
    .map((d) => d.message);

test('the warning quotes the line Dovecot reads, secrets masked, and where the line it takes in is', () => {
  assert.deepEqual(
    joinMessages({
      [ROOT]: '!include conf.d/10-a.conf\n  mail_debug = yes   \n',
      [INCLUDED]: 'mail_plugins = quota \\\n',
    }),
    [
      `This file ends in '\\' with no blank line after it: Dovecot joins "mail_plugins = quota" with the next line it reads, dovecot.conf:2, and reads "mail_plugins = quota mail_debug = yes" as one line.`,
    ],
  );
  const [secret] = joinMessages({
    [ROOT]: '!include conf.d/10-a.conf\nmail_debug = yes\n',
    [INCLUDED]: 'ssl_key_password = hunter2 \\\n',
  });
  assert.ok(secret.includes('ssl_key_password = '), secret);
  assert.ok(!secret.includes('hunter2'), secret);
});

test('a root file that ends after the !include: the line Dovecot joins is not in this tree', () => {
  assert.deepEqual(
    joinMessages({ [ROOT]: 'mail_debug = yes\n!include conf.d/10-a.conf\n', [INCLUDED]: 'login_greeting = x \\\n' }),
    [
      `This file ends in '\\' with no blank line after it: Dovecot joins "login_greeting = x" with the next line it reads after this file.`,
    ],
  );
});

describe('the joined line is judged as the setting Dovecot reads, on the line it takes in', () => {
  const errors = (files: Record<string, string>) =>
    analyzeFiles(files)
      .diagnostics.filter((d) => d.level === 'error')
      .map((d) => `${d.file.split('/').pop()}:${d.range.start.line}:${d.code} ${d.message}`);

  test("the pending key and the value it takes in get doveconf's error there", () => {
    assert.deepEqual(errors({ [ROOT]: '!include conf.d/10-a.conf\nprotocols = imap\n', [INCLUDED]: 'x = \\\n' }), [
      `dovecot.conf:1:unknown-setting Unknown setting: x (Dovecot reads this line joined to the last line of conf.d/10-a.conf, which ends in '\\': "x = protocols = imap")`,
    ]);
    const [invalid] = errors({
      [ROOT]: '!include conf.d/10-a.conf\nmmap_disable = yes\n',
      [INCLUDED]: 'mail_debug = \\\n\\\n',
    });
    assert.match(
      invalid,
      /^dovecot\.conf:1:invalid-value Invalid boolean value: mmap_disable = yes \(use yes or no\) \(/,
    );
    // A value the joined line accepts: nothing to say on either line.
    assert.deepEqual(errors({ [ROOT]: '!include conf.d/10-a.conf\nx = y\n', [INCLUDED]: 'mail_location = \\\n' }), []);
  });

  test('no quick fix renames the key that the line does not hold', () => {
    const host = new MemoryHost({
      [ROOT]: '!include conf.d/10-a.conf\nmail_debug=y\n',
      [INCLUDED]: 'mail_locaton = \\\n',
    });
    const service = getLanguageService(host);
    const analysis = service.analyze(ROOT);
    const diagnostics = diagnosticsForFile(analysis, ROOT).filter((d) => d.code === 'unknown-setting');
    assert.equal(diagnostics.length, 1);
    const titles = service.doQuickFixes(analysis, ROOT, diagnostics).map(({ fix }) => fix.title);
    assert.deepEqual(
      titles.filter((title) => !title.startsWith('Ignore')),
      [],
    );
    // The same key written on the line itself gets its fix.
    const written = new MemoryHost({ [ROOT]: 'mail_locaton=y\n' });
    const plain = getLanguageService(written).analyze(ROOT);
    const own = diagnosticsForFile(plain, ROOT).filter((d) => d.code === 'unknown-setting');
    assert.ok(
      getLanguageService(written)
        .doQuickFixes(plain, ROOT, own)
        .some(({ fix }) => fix.title.startsWith('Change to')),
    );
  });

  test('not judged: a section header taken in, a secret, an obsolete key, a file read twice', () => {
    // Dovecot rewrites fsync_disable = x = y to mail_fsync and refuses the value: not an unknown setting.
    assert.deepEqual(errors({ [ROOT]: '!include conf.d/10-a.conf\nx = y\n', [INCLUDED]: 'fsync_disable = \\\n' }), []);
    assert.deepEqual(errors({ [ROOT]: '!include conf.d/10-a.conf\nservice imap {\n}\n', [INCLUDED]: 'x = \\\n' }), []);
    assert.deepEqual(
      errors({ [ROOT]: '!include conf.d/10-a.conf\nmail_debug = yes\n', [INCLUDED]: 'ssl_key_password = \\\n' }),
      [],
    );
    const twice = '!include conf.d/10-a.conf\nmail_debug = yes\n!include dovecot-b.conf\n';
    assert.deepEqual(
      errors({ [ROOT]: twice, [INCLUDED]: 'x = \\\n', '/etc/dovecot/dovecot-b.conf': '' }).map((e) => e.split(' ')[0]),
      ['dovecot.conf:1:unknown-setting'],
    );
  });
});

test('2.4: the joined line is judged as Dovecot 2.4 reads it, by its errors; a file read twice, at the reading after the include only', () => {
  const head = 'dovecot_config_version = 2.4.4\ndovecot_storage_version = 2.4.4\n';
  const errors = (root: string, included: string) =>
    analyzeFiles({ [ROOT]: `${head}${root}`, [INCLUDED]: included })
      .diagnostics.filter((d) => d.level === 'error')
      .map((d) => `${d.file.split('/').pop()}:${d.range.start.line}:${d.code} ${d.message.split(' (')[0]}`);
  assert.deepEqual(errors('!include conf.d/10-a.conf\nmail_debug = yes\n', 'x = \\\n'), [
    'dovecot.conf:3:unknown-setting x: Unknown setting: x',
  ]);
  assert.deepEqual(errors('!include conf.d/10-a.conf\nmail_path = ~/Maildir\n', 'mail_debug = \\\n'), [
    'dovecot.conf:3:invalid-value mail_debug: Invalid boolean value: mail_path = ~/Maildir',
  ]);
  // conf.d/20-b.conf is read twice: its first line takes the text in at the reading right after 10-a.conf only.
  const twice = analyzeFiles({
    [ROOT]: `${head}!include conf.d/*.conf\n!include conf.d/20-b.conf\n`,
    [INCLUDED]: 'x = \\\n',
    '/etc/dovecot/conf.d/20-b.conf': 'mail_debug = yes\n',
  }).diagnostics.filter((d) => d.level === 'error');
  assert.deepEqual(
    twice.map((d) => `${d.file.split('/').pop()}:${d.range.start.line}:${d.message.split(' (')[0]}`),
    ['20-b.conf:0:x: Unknown setting: x'],
  );
});
