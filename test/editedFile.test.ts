// Completion and hover right after an edit: the last analysis of the tree plus a fresh parse of the edited file.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { CompletionItem } from 'vscode-languageserver-types';
import { getLanguageService } from '../server/src/service/dovecotLanguageService';
import { MemoryHost } from '../server/src/service/model/host';
import { withCursor } from './helpers/cursor';
import { cursorContext } from '../server/src/service/features/cursorContext';
import type { Statement } from '../server/src/service/syntax/nodes';
import type { TreeAnalysis } from '../server/src/service/dovecotLanguageService';

const ROOT = '/etc/dovecot/dovecot.conf';
const MAIL = '/etc/dovecot/conf.d/10-mail.conf';
const IMAP = '/etc/dovecot/conf.d/20-imap.conf';
const LISTENER = '/etc/dovecot/listener.conf';

/** A host that counts reads, to show that an answer after an edit reads no file of the tree. */
class CountingHost extends MemoryHost {
  reads = 0;

  override readFile(filePath: string): string | undefined {
    this.reads++;
    return super.readFile(filePath);
  }
}

/** A tree of a root and `fillerFiles` conf.d files of 200 settings each, besides the named files. */
function largeTree(files: Record<string, string>, fillerFiles = 20): Record<string, string> {
  const tree: Record<string, string> = {
    [ROOT]: 'protocols = imap lmtp\n!include conf.d/*.conf\nservice imap-login {\n  !include listener.conf\n}\n',
    ...files,
  };
  for (let n = 0; n < fillerFiles; n++) {
    const lines = Array.from({ length: 200 }, (_, i) => `namespace filler${n}_${i} {\n  separator = /\n}`);
    tree[`/etc/dovecot/conf.d/9${String(n).padStart(2, '0')}-filler.conf`] = lines.join('\n') + '\n';
  }
  return tree;
}

/** Analyses the tree once, then answers at the `|` of `editedMarked` (the new text of `file`) without analysing again. */
function afterEdit(files: Record<string, string>, file: string, editedMarked: string) {
  const host = new CountingHost(largeTree(files));
  const service = getLanguageService(host);
  const analysis = service.analyze(ROOT);
  const { text, position } = withCursor(editedMarked);
  host.set(file, text);
  host.reads = 0;
  const edited = service.withEditedFile(analysis, file, text);
  assert.ok(edited, 'the edited file is in the analysed tree');
  const complete = (): CompletionItem[] => service.doComplete(edited, file, position, { snippets: false });
  return { service, analysis, edited, position, complete, host };
}

const labels = (items: CompletionItem[]): string[] => items.map((item) => item.label);
const item = (items: CompletionItem[], label: string): CompletionItem => {
  const found = items.find((candidate) => candidate.label === label);
  assert.ok(found, `no completion item ${label}`);
  return found;
};

describe('completion right after an edit, from the last analysis and a fresh parse', () => {
  it('takes the section around the cursor from the edited text', () => {
    const { complete, host } = afterEdit(
      { [MAIL]: 'mail_location = maildir:~/Maildir\n' },
      MAIL,
      'mail_location = maildir:~/Maildir\nservice imap {\n  |\n}\n',
    );
    const offered = labels(complete());
    assert.ok(offered.includes('process_min_avail'), 'service key offered in the section typed in the edit');
    assert.ok(offered.includes('inet_listener'), 'listener section offered');
    assert.ok(!offered.includes('mail_location'), 'top-level key not offered inside the new section');
    assert.equal(host.reads, 0, 'no file of the tree was read again');
  });

  it('marks keys typed in the edit as already set, and no longer those the edit removed', () => {
    const { complete } = afterEdit(
      { [MAIL]: 'mail_location = maildir:~/Maildir\nauth_verbose = yes\n' },
      MAIL,
      'mail_location = maildir:~/Maildir\nmail_debug = yes\n|\n',
    );
    const items = complete();
    assert.match(item(items, 'mail_debug').detail ?? '', /already set here/, 'a key typed in the edit');
    assert.match(item(items, 'mail_location').detail ?? '', /already set here/, 'a key kept by the edit');
    assert.doesNotMatch(item(items, 'auth_verbose').detail ?? '', /already set here/, 'a key the edit removed');
  });

  it('still counts keys set in the other files of the tree', () => {
    const { complete } = afterEdit(
      { [MAIL]: 'mail_location = maildir:~/Maildir\n', [IMAP]: 'imap_idle_notify_interval = 2 mins\n' },
      MAIL,
      'mail_location = maildir:~/Maildir\n|\n',
    );
    assert.match(item(complete(), 'imap_idle_notify_interval').detail ?? '', /already set here/);
  });

  it('offers the names of namespaces typed in the edit, and those of the other files', () => {
    const { complete } = afterEdit({ [MAIL]: '' }, MAIL, 'namespace archive {\n  separator = /\n}\nnamespace |\n');
    const offered = labels(complete());
    assert.ok(offered.includes('archive'), 'namespace named in the edit');
    assert.ok(offered.includes('filler3_7'), 'namespace of another file');
  });

  it('keeps the sections the edited file is included in', () => {
    const { complete } = afterEdit(
      { [LISTENER]: 'process_limit = 10\n' },
      LISTENER,
      'process_limit = 10\ninet_listener imaps {\n  |\n}\n',
    );
    const offered = labels(complete());
    assert.ok(offered.includes('port'), 'listener key inside the listener typed in the edit');
    assert.ok(offered.includes('ssl'), 'listener key inside the listener typed in the edit');
    assert.ok(!offered.includes('process_limit'), 'service key not offered inside the listener');
  });

  it('keeps the tree-wide facts of the last analysis until the tree is analysed again', () => {
    const { complete } = afterEdit(
      { [MAIL]: 'mail_plugins = $mail_plugins quota\n' },
      MAIL,
      'mail_plugins = $mail_plugins quota\nplugin {\n  |\n}\n',
    );
    const items = complete();
    assert.doesNotMatch(item(items, 'quota_rule').detail ?? '', /not loaded/, 'quota is loaded by the analysed tree');
    assert.match(item(items, 'sieve').detail ?? '', /plugin sieve is not loaded/, 'sieve is loaded nowhere');
  });

  it('answers hover from the fresh parse at the edited position', () => {
    const { service, edited, position } = afterEdit(
      { [MAIL]: '' },
      MAIL,
      'service imap {\n  process_min_a|vail = 2\n}\n',
    );
    const hover = service.doHover(edited, MAIL, position);
    assert.ok(hover, 'a hover for a setting typed in the edit');
    assert.match(JSON.stringify(hover.contents), /process_min_avail/);
  });

  it('answers in a 2.4 tree with the section context of the edited text', () => {
    const files = {
      [ROOT]: 'dovecot_config_version = 2.4.0\ndovecot_storage_version = 2.4.0\n!include conf.d/*.conf\n',
      [MAIL]: '',
    };
    const host = new MemoryHost(files);
    const service = getLanguageService(host);
    const analysis = service.analyze(ROOT);
    assert.equal(analysis.dialect, '2.4');
    const { text, position } = withCursor('service imap {\n  |\n}\n');
    const edited = service.withEditedFile(analysis, MAIL, text);
    assert.ok(edited);
    const processMinAvail = item(service.doComplete(edited, MAIL, position, { snippets: false }), 'process_min_avail');
    assert.equal(
      processMinAvail.sortText?.[0],
      '0',
      'the service settings come first inside the service typed in the edit',
    );
    assert.match(processMinAvail.detail ?? '', /^service_process_min_avail/);
  });

  it('gives the analysis itself for unchanged text and nothing for a file outside the tree', () => {
    const host = new MemoryHost({ [ROOT]: 'protocols = imap\n', '/elsewhere/x.conf': '' });
    const service = getLanguageService(host);
    const analysis = service.analyze(ROOT);
    assert.equal(service.withEditedFile(analysis, ROOT, 'protocols = imap\n'), analysis);
    assert.equal(service.withEditedFile(analysis, '/elsewhere/x.conf', 'mail_debug = yes\n'), undefined);
  });

  it('gives nothing for a text past the file size limit (a full analysis answers then)', () => {
    const host = new MemoryHost({ [ROOT]: 'protocols = imap\n' });
    const service = getLanguageService(host, { limits: { fileBytes: 64 } });
    const analysis = service.analyze(ROOT);
    assert.equal(service.withEditedFile(analysis, ROOT, `# ${'x'.repeat(100)}\n`), undefined);
  });
});

describe('after an edit of one setting line, answers as after the file is placed again', () => {
  const FILE = [
    'mail_location = maildir:~/Maildir',
    'service imap {',
    '  process_limit = 5',
    '  ',
    '  inet_listener imap {',
    '    port = 143',
    '    ',
    '  }',
    '}',
    'passdb {',
    '  driver = pam',
    '  ',
    '}',
    'protocol imap {',
    '  mail_max_userip_connections = 5',
    '  ',
    '}',
    'namespace inbox {',
    '  separator = /',
    '  mailbox Sent {',
    '    special_use = \\Sent',
    '    ',
    '  }',
    '}',
    'plugin {',
    '  quota_rule = *:storage=1G',
    '  ',
    '}',
    '',
  ].join('\n');

  /** What completion and hover read of a statement: its kind, words and ranges. */
  const statementShape = (statement: Statement | undefined): unknown =>
    statement === undefined
      ? undefined
      : statement.kind === 'setting'
        ? [statement.key, statement.value, statement.range, statement.keyRange, statement.valueRange]
        : [statement.kind, statement.range];

  /** The cursor's context without node identities (a section placed again is another object). */
  function contextShape(analysis: TreeAnalysis, position: { line: number; character: number }): unknown {
    const cursor = cursorContext(analysis, MAIL, position);
    return {
      sections: cursor.frames.map(({ section, file }) => [section.type, section.name, section.headerRange, file]),
      context: cursor.context,
      filters: cursor.filters.map((filter) => [filter.type, filter.name]),
      line: [cursor.linePrefix, cursor.lineSuffix],
      statement: statementShape(cursor.statement),
      header: cursor.header && [cursor.header.type, cursor.header.name],
    };
  }

  it('gives the same contexts and completions at every place, for every edit of a setting line; hovers as a new analysis', () => {
    const tree = { [ROOT]: '!include conf.d/*.conf\n', [MAIL]: FILE };
    const lines = FILE.split('\n');
    let lineEdits = 0;
    lines.forEach((line, index) => {
      const equals = line.indexOf('=');
      if (equals < 0) return;
      for (const changed of [`${line}0`, line.replace(/\w+ =/, 'mail_debug ='), line.slice(0, equals + 1)]) {
        const text = lines.map((other, at) => (at === index ? changed : other)).join('\n');
        // The same edit with a comment added at the end: the whole file is parsed and placed again.
        const whole = `${text}# end\n`;
        const service = getLanguageService(new MemoryHost(tree));
        const byLine = service.withEditedFile(service.analyze(ROOT), MAIL, text)!;
        const byFile = service.withEditedFile(service.analyze(ROOT), MAIL, whole)!;
        // Hover says what is in effect: away from the edited line, as an analysis of the edited tree does.
        const reanalysed = getLanguageService(new MemoryHost({ ...tree, [MAIL]: text }));
        const analysed = reanalysed.analyze(ROOT);
        assert.ok(byLine.edited?.lineEdit, `${changed}: one line read again`);
        assert.equal(byFile.edited?.lineEdit, undefined);
        lineEdits++;
        for (let at = 0; at < lines.length - 1; at++) {
          for (const character of [0, 2, lines[at].length, (at === index ? changed : lines[at]).length]) {
            const position = { line: at, character };
            const where = `${changed} at ${at}:${character}`;
            assert.deepEqual(contextShape(byLine, position), contextShape(byFile, position), where);
            assert.deepEqual(
              service.doComplete(byLine, MAIL, position, { snippets: true }),
              service.doComplete(byFile, MAIL, position, { snippets: true }),
              where,
            );
            if (at !== index)
              assert.deepEqual(
                service.doHover(byLine, MAIL, position),
                reanalysed.doHover(analysed, MAIL, position),
                where,
              );
          }
        }
      }
    });
    assert.ok(lineEdits >= 20, `${lineEdits} edits`);
  });
});
