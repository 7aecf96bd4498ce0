// A completion list whose items all replace the same range sends that range once, as the list's
// default (LSP 3.17 itemDefaults), for clients that accept it (VS Code): each item then carries only its
// text, and the list is much smaller for each keystroke.
import type {
  ClientCapabilities,
  CompletionItem,
  CompletionList,
  InsertTextFormat,
  Range,
} from 'vscode-languageserver';

export function acceptsEditRangeDefault(capabilities: ClientCapabilities): boolean {
  return capabilities.textDocument?.completion?.completionList?.itemDefaults?.includes('editRange') === true;
}

const sameRange = (a: Range, b: Range): boolean =>
  a.start.line === b.start.line &&
  a.start.character === b.start.character &&
  a.end.line === b.end.line &&
  a.end.character === b.end.character;

function editRangeOf(item: CompletionItem): Range | undefined {
  const edit = item.textEdit;
  return edit && 'range' in edit ? edit.range : undefined;
}

/**
 * The list with the shared edit range (and insert text format) as defaults; the items as they are when
 * their ranges differ. An item without its own edit (a snippet's insertText) then replaces the same
 * range, as VS Code does with the word at the cursor.
 */
export function withItemDefaults(items: CompletionItem[]): CompletionList {
  const range = items.map(editRangeOf).find((found) => found !== undefined);
  const fits = (item: CompletionItem): boolean => {
    if (item.additionalTextEdits !== undefined) return false;
    const own = editRangeOf(item);
    return own === undefined ? item.textEdit === undefined : sameRange(own, range!);
  };
  if (!range || !items.every(fits)) return { isIncomplete: false, items };
  const format = items[0].insertTextFormat;
  const oneFormat = format !== undefined && items.every((item) => item.insertTextFormat === format);
  return {
    isIncomplete: false,
    itemDefaults: oneFormat ? { editRange: range, insertTextFormat: format as InsertTextFormat } : { editRange: range },
    items: items.map((item) => {
      const text = item.textEdit?.newText ?? item.insertText ?? item.label;
      return {
        ...item,
        textEdit: undefined,
        insertText: undefined,
        textEditText: text === item.label ? undefined : text,
        // The label is the filter text when none is given.
        filterText: item.filterText === item.label ? undefined : item.filterText,
        insertTextFormat: oneFormat ? undefined : item.insertTextFormat,
      };
    }),
  };
}
