import {
  CompletionItemKind,
  InsertTextFormat,
  MarkupKind,
  type CompletionItem,
  type Position,
  type Range,
} from 'vscode-languageserver-types';
import type { TreeAnalysis } from '../languageService';
import type { FileHost } from '../model/host';
import type { CursorContext } from './cursorContext';

/** Where an item goes: the word being completed, and whether the cursor is at the end of its line. */
export interface ItemPlace {
  wordRange: Range;
  atLineEnd: boolean;
}

/** Where completion happens: the cursor's context and the word the items replace. */
export interface CompletionPlace extends ItemPlace {
  cursor: CursorContext;
  analysis: TreeAnalysis;
  file: string;
  position: Position;
  /** The word being completed, up to the cursor. */
  word: string;
  /** Where file names come from; without it no paths are offered. */
  host?: FileHost;
}

/** What of a word follows the cursor: a key or section name ends at a blank, `=` or `{`, a value word at a blank. */
export const KEY_TAIL = /^[^\s={]*/;
export const VALUE_TAIL = /^\S*/;

/** Sort groups shared by both dialects: first, normal, already set in this section, last. */
export const SORT_FIRST = '0';
export const SORT_NORMAL = '1';
export const SORT_ALREADY_SET = '2';
export const SORT_LAST = '3';

export function markdown(value: string): CompletionItem['documentation'] {
  return { kind: MarkupKind.Markdown, value };
}

/** A section or filter type; at the end of a line it inserts the whole block with the cursor inside. */
export function blockItem(
  place: ItemPlace,
  type: string,
  detail: string,
  documentation: string,
  namePlaceholder?: string,
  sortGroup = SORT_NORMAL,
): CompletionItem {
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

export function valueItem(place: ItemPlace, label: string, options: Partial<CompletionItem> = {}): CompletionItem {
  return {
    label,
    kind: CompletionItemKind.Value,
    sortText: SORT_NORMAL + label,
    filterText: label,
    textEdit: { range: place.wordRange, newText: label },
    ...options,
  };
}

/** `yes`/`no` for a boolean, the values in order for an enum (the default marked); undefined for other types. */
export function typedValueItems(
  place: ItemPlace,
  info: { type: string; default?: string; values?: readonly string[] },
): CompletionItem[] | undefined {
  if (info.type === 'bool')
    return ['yes', 'no'].map((label) =>
      valueItem(place, label, { detail: label === info.default ? 'default' : undefined }),
    );
  if (info.type !== 'enum') return undefined;
  return (info.values ?? []).map((label, index) =>
    valueItem(place, label, {
      kind: CompletionItemKind.EnumMember,
      sortText: SORT_NORMAL + String(index).padStart(3, '0'),
      detail: label === info.default ? 'default' : undefined,
    }),
  );
}

/** The words of a list value other than the one being completed. */
export function otherWords(valueText: string, word: string): Set<string> {
  const words = valueText.split(/\s+/).filter((w) => w !== '');
  if (word !== '') words.pop();
  return new Set(words);
}
