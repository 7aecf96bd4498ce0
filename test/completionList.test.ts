// A completion list sent with its shared edit range as the list default (LSP 3.17 itemDefaults) edits the
// text exactly as the items with their own text edits do.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { CompletionItem, CompletionList } from 'vscode-languageserver';
import { CompletionLists, withItemDefaults } from '../server/src/completionList';
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

describe('completion lists as each client takes them', () => {
  const service = getLanguageService(new MemoryHost({ [ROOT]: TEXT }));
  const analysis = service.analyze(ROOT);
  const topLevel = () => service.doComplete(analysis, ROOT, { line: 4, character: 0 }, { snippets: true });
  const inService = () => service.doComplete(analysis, ROOT, { line: 2, character: 2 }, { snippets: true });
  const itemsOf = (sent: CompletionItem[] | CompletionList): CompletionItem[] =>
    Array.isArray(sent) ? sent : sent.items;

  it('a client that resolves documentation and takes list defaults gets both, in items that resolve', () => {
    const lists = new CompletionLists({ resolvesDocumentation: true, itemDefaults: true });
    const items = inService();
    const sent = lists.toSend(items) as CompletionList;
    assert.ok(sent.itemDefaults?.editRange, 'the shared range is sent once');
    assert.deepEqual(effectiveEdits(sent), effectiveEdits(withItemDefaults(items)));
    assert.ok(sent.items.every((item) => item.documentation === undefined && item.textEdit === undefined));
    assert.ok(items.some((item) => item.documentation !== undefined));
    sent.items.forEach((item, index) => {
      const { documentation } = items[index];
      assert.deepEqual(
        lists.resolve(item),
        documentation === undefined ? item : { ...item, documentation },
        item.label,
      );
    });
  });

  it('the same list of the service is sent as it was, and its items still resolve; an older list does not', () => {
    const lists = new CompletionLists({ resolvesDocumentation: true, itemDefaults: true });
    const first = lists.toSend(topLevel());
    assert.equal(lists.toSend(topLevel()), first, 'the list kept by the service is not made again');
    const item = itemsOf(first).find((candidate) => candidate.label === 'mail_debug')!;
    assert.ok(lists.resolve(item).documentation !== undefined);
    lists.toSend(inService());
    assert.deepEqual(lists.resolve(item), item, 'an item of an older list resolves to itself');
  });

  it('a client that does neither gets every item whole, as the service made it', () => {
    const lists = new CompletionLists({ resolvesDocumentation: false, itemDefaults: false });
    const items = inService();
    const sent = lists.toSend(items);
    assert.ok(Array.isArray(sent));
    assert.deepEqual(
      sent,
      items.map((item) => JSON.parse(JSON.stringify(item)) as CompletionItem),
    );
    assert.deepEqual(lists.resolve(sent[0]), sent[0]);
  });

  it('a client that resolves documentation without list defaults gets each item with its own edit', () => {
    const lists = new CompletionLists({ resolvesDocumentation: true, itemDefaults: false });
    const items = inService();
    const sent = lists.toSend(items) as CompletionItem[];
    assert.deepEqual(
      sent.map((item) => item.textEdit),
      items.map((item) => item.textEdit),
    );
    assert.ok(sent.every((item) => item.documentation === undefined));
    assert.deepEqual(lists.resolve(sent[0]).documentation, items[0].documentation);
  });

  it('a client that resolves details too gets items without them, and each resolves to its detail and documentation', () => {
    const lists = CompletionLists.for({
      textDocument: {
        completion: {
          completionItem: { resolveSupport: { properties: ['documentation', 'detail', 'additionalTextEdits'] } },
          completionList: { itemDefaults: ['editRange'] },
        },
      },
    });
    const items = topLevel();
    const sent = itemsOf(lists.toSend(items));
    assert.ok(items.filter((item) => item.detail !== undefined).length > 100, 'settings carry their type as detail');
    assert.ok(sent.every((item) => item.detail === undefined && item.documentation === undefined));
    sent.forEach((item, index) => {
      const resolved = lists.resolve(item);
      assert.equal(resolved.detail, items[index].detail, item.label);
      assert.deepEqual(resolved.documentation, items[index].documentation, item.label);
    });
  });

  it('a client that resolves documentation only keeps the detail of each item in the list', () => {
    const lists = CompletionLists.for({
      textDocument: { completion: { completionItem: { resolveSupport: { properties: ['documentation'] } } } },
    });
    const items = topLevel();
    const sent = itemsOf(lists.toSend(items));
    assert.deepEqual(
      sent.map((item) => item.detail),
      items.map((item) => item.detail),
    );
  });
  it('a client that takes the list data as a default gets items without data, each resolving by its label and kind', () => {
    const lists = CompletionLists.for({
      textDocument: {
        completion: {
          completionItem: { resolveSupport: { properties: ['documentation', 'detail'] } },
          completionList: { itemDefaults: ['editRange', 'data'] },
        },
      },
    });
    const service23 = getLanguageService(new MemoryHost({ [ROOT]: TEXT }));
    const items = service23.doComplete(service23.analyze(ROOT), ROOT, { line: 4, character: 0 }, { snippets: true });
    // A snippet may share a setting's label: the kind tells them apart.
    const sharedLabels = items.filter((item) => items.some((other) => other !== item && other.label === item.label));
    assert.ok(sharedLabels.length >= 2, 'a setting and a snippet share a label');
    const sent = lists.toSend(items) as CompletionList;
    assert.ok(typeof sent.itemDefaults?.data === 'number', 'the list id is the items data default');
    assert.ok(sent.items.every((item) => item.data === undefined));
    // As the client resolves an item: its own properties with the list's default data.
    sent.items.forEach((item, index) => {
      const resolved = lists.resolve({ ...item, data: sent.itemDefaults?.data });
      assert.equal(resolved.detail, items[index].detail, item.label);
      assert.deepEqual(resolved.documentation, items[index].documentation, item.label);
    });
  });

  it('items that cannot be told apart by label and kind keep their own data', () => {
    const lists = new CompletionLists({ resolvesDocumentation: true, itemDefaults: true, dataDefault: true });
    const doc = (value: string) => ({ kind: 'markdown' as const, value });
    const items: CompletionItem[] = [
      { label: 'same', kind: 10, documentation: doc('first') },
      { label: 'same', kind: 10, documentation: doc('second') },
    ];
    const sent = lists.toSend(items) as CompletionList;
    assert.equal(sent.itemDefaults?.data, undefined);
    assert.deepEqual(
      sent.items.map((item) => lists.resolve(item).documentation),
      [doc('first'), doc('second')],
    );
  });
});
