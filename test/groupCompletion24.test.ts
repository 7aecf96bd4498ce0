// `@label = name` completion in a Dovecot 2.4 tree: Dovecot's own include groups and the tree's.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { CompletionItem, MarkupContent, TextEdit } from 'vscode-languageserver-types';
import { cursorInRoot } from './helpers/cursor';

const V24 = 'dovecot_config_version = 2.4.0\ndovecot_storage_version = 2.4.0\n';

function itemsAt(marked: string): CompletionItem[] {
  const c = cursorInRoot(marked);
  return c.service.doComplete(c.analysis, c.file, c.position);
}

const groupItems = (marked: string) => itemsAt(marked).filter((item) => item.label.startsWith('@'));

describe('2.4 completion: include groups', () => {
  it('at top level, @ offers the groups Dovecot defines and those the tree defines, as whole lines', () => {
    const items = groupItems(`${V24}group @mailboxes german {\n}\n@|`);
    assert.deepEqual(items.map((item) => item.label).sort(), [
      '@mailbox_defaults = english',
      '@mailboxes = german',
      '@metric_defaults = backend',
      '@metric_defaults = proxy',
    ]);
    const english = items.find((item) => item.label === '@mailbox_defaults = english')!;
    assert.equal((english.textEdit as TextEdit).newText, '@mailbox_defaults = english');
    assert.match((english.documentation as MarkupContent).value, /Drafts, Junk, Sent and Trash/);
    const own = items.find((item) => item.label === '@mailboxes = german')!;
    assert.equal(own.detail, 'include group defined at dovecot.conf:3');
  });

  it('after @label = the names of that label only', () => {
    const names = itemsAt(`${V24}@metric_defaults = |`).map((item) => item.label);
    assert.deepEqual(names.sort(), ['backend', 'proxy']);
  });

  it('inside a section no group is offered: groups are included at top level only', () => {
    assert.deepEqual(groupItems(`${V24}namespace inbox {\n  |\n}\n`), []);
  });

  it('a 2.3 tree has no include groups', () => {
    assert.deepEqual(groupItems('mail_location = maildir:~/Maildir\n|'), []);
  });
});
