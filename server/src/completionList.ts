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

/** The list with the shared edit range (and insert text format) as defaults; the items as they are when they differ. */
export function withItemDefaults(items: CompletionItem[]): CompletionList {
  const range = items.length > 0 ? editRangeOf(items[0]) : undefined;
  if (!range || !items.every((item) => item.additionalTextEdits === undefined && sameOr(editRangeOf(item), range)))
    return { isIncomplete: false, items };
  const format = items[0].insertTextFormat;
  const oneFormat = format !== undefined && items.every((item) => item.insertTextFormat === format);
  return {
    isIncomplete: false,
    itemDefaults: oneFormat ? { editRange: range, insertTextFormat: format as InsertTextFormat } : { editRange: range },
    items: items.map((item) => {
      const text = item.textEdit!.newText;
      return {
        ...item,
        textEdit: undefined,
        textEditText: text === item.label ? undefined : text,
        insertTextFormat: oneFormat ? undefined : item.insertTextFormat,
      };
    }),
  };
}

function sameOr(range: Range | undefined, shared: Range): boolean {
  return range !== undefined && sameRange(range, shared);
}
