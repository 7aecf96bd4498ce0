import { CompletionItemKind, InsertTextFormat, MarkupKind, type CompletionItem, type Range } from 'vscode-languageserver-types';

/** Where an item goes: the word being completed, and whether the cursor is at the end of its line. */
export interface ItemPlace {
  wordRange: Range;
  atLineEnd: boolean;
}

/** Sort groups shared by both dialects: first, normal, already set in this section, last. */
export const SORT_FIRST = '0';
export const SORT_NORMAL = '1';
export const SORT_ALREADY_SET = '2';
export const SORT_LAST = '3';

export function markdown(value: string): CompletionItem['documentation'] {
  return { kind: MarkupKind.Markdown, value };
}

/** A section or filter type; at the end of a line it inserts the whole block with the cursor inside. */
export function blockItem(place: ItemPlace, type: string, detail: string, documentation: string, namePlaceholder?: string, sortGroup = SORT_NORMAL): CompletionItem {
  const header = namePlaceholder === undefined ? type : `${type} \${1:${namePlaceholder}}`;
  return {
    label: type,
    kind: CompletionItemKind.Module,
    detail,
    documentation: markdown(documentation),
    sortText: sortGroup + type,
    filterText: type,
    insertTextFormat: InsertTextFormat.Snippet,
    textEdit: { range: place.wordRange, newText: place.atLineEnd ? `${header} {\n\t$0\n}` : type },
  };
}

export function includeItem(place: ItemPlace, directive: '!include' | '!include_try'): CompletionItem {
  return {
    label: directive,
    kind: CompletionItemKind.Keyword,
    detail: directive === '!include' ? 'include files (error when nothing matches)' : 'include files if they exist',
    sortText: SORT_LAST + directive,
    filterText: directive,
    insertTextFormat: InsertTextFormat.Snippet,
    textEdit: { range: place.wordRange, newText: place.atLineEnd ? `${directive} \${1:conf.d/*.conf}` : directive },
  };
}
