// Completion and hover right after an edit: the last analysis of the tree plus a fresh parse of the edited file.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { CompletionItem } from 'vscode-languageserver-types';
import { getLanguageService } from '../server/src/service/dovecotLanguageService';
import { MemoryHost } from '../server/src/service/model/host';
import { withCursor } from './helpers/cursor';

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
