// A completion list sent with its shared edit range as the list default (LSP 3.17 itemDefaults) edits the
// text exactly as the items with their own text edits do.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { CompletionItem, CompletionList } from 'vscode-languageserver';
import { withItemDefaults } from '../server/src/completionList';
import { getLanguageService } from '../server/src/service/dovecotLanguageService';
import { MemoryHost } from '../server/src/service/model/host';

const ROOT = '/etc/dovecot/dovecot.conf';
const TEXT = 'protocols = imap\nservice imap {\n  \n}\nmail_\nssl = \n';

/** Each item as a client resolves it against the list defaults: its range, text and format. */
function effectiveEdits(list: CompletionList): { label: string; range: unknown; text: string; format?: number }[] {
  return list.items.map((item) => {
    const own = item.textEdit && 'range' in item.textEdit ? item.textEdit : undefined;
    return {
      label: item.label,
      range: own?.range ?? list.itemDefaults?.editRange,
      text: own?.newText ?? item.textEditText ?? item.insertText ?? item.label,
      format: item.insertTextFormat ?? list.itemDefaults?.insertTextFormat,
    };
  });
}

describe('completion lists with item defaults', () => {
  const service = getLanguageService(new MemoryHost({ [ROOT]: TEXT }));
  const analysis = service.analyze(ROOT);
  const places = [
    { line: 0, character: 0 },
    { line: 2, character: 2 },
    { line: 4, character: 5 },
    { line: 5, character: 6 },
  ];

  it('every item edits the same range with the same text and format as before', () => {
    let shortened = 0;
    for (const position of places) {
      const items: CompletionItem[] = service.doComplete(analysis, ROOT, position, { snippets: true });
      assert.ok(items.length > 0, `items at ${JSON.stringify(position)}`);
      const compact = withItemDefaults(items);
      const before = effectiveEdits({ isIncomplete: false, items });
      const after = effectiveEdits(compact);
      // A snippet without its own edit replaced the word at the cursor; with the defaults, the shared range.
      const expected = before.map((edit) => (edit.range === undefined ? { ...edit, range: after[0].range } : edit));
      assert.deepEqual(after, compact.itemDefaults ? expected : before);
      if (compact.itemDefaults?.editRange !== undefined) shortened++;
      assert.ok(JSON.stringify(compact).length <= JSON.stringify(items).length + 200);
    }
    assert.ok(shortened > 0, 'some list shares one edit range');
  });

  it('items with different ranges keep their own edits', () => {
    const range = (character: number) => ({ start: { line: 0, character }, end: { line: 0, character } });
    const items: CompletionItem[] = [
      { label: 'a', textEdit: { range: range(0), newText: 'a' } },
      { label: 'b', textEdit: { range: range(1), newText: 'b' } },
    ];
    assert.deepEqual(withItemDefaults(items), { isIncomplete: false, items });
  });
});
