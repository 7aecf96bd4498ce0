// `@label = name` lines in a Dovecot 2.4 tree: completion and hover of Dovecot's own include groups and the tree's.
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

  it('hover on the line names the group, says who defines it and what it adds', () => {
    const defined = `${V24}group @mailboxes german {\n}\n`;
    const hover = (marked: string) => {
      const c = cursorInRoot(marked);
      const result = c.service.doHover(c.analysis, c.file, c.position);
      return (result?.contents as MarkupContent | undefined)?.value ?? '';
    };
    assert.match(
      hover(`${defined}@met|ric_defaults = backend\n`),
      /^\*\*@metric_defaults = backend\*\*\n\nInclude group defined by Dovecot .*imap_commands/s,
    );
    assert.match(hover(`${defined}@metric_defaults = back|end\n`), /^\*\*@metric_defaults = backend\*\*/);
    assert.match(hover(`${defined}@mail|boxes = german\n`), /Include group defined at dovecot\.conf:3\./);
  });
});
