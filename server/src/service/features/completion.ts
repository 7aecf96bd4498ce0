// Completion, shared by both Dovecot versions: what the cursor is on (a key, a value, a section name,
// an `!include` path) is found here once; the tree's dialect (dialects.ts) supplies the items.
import type { CompletionItem, Position } from 'vscode-languageserver-types';
import type { TreeAnalysis } from '../languageService';
import type { FileHost } from '../model/host';
import { commentStart } from '../syntax/logicalLines';
import { KEY_TAIL, SORT_LAST, VALUE_TAIL, type CompletionPlace } from './completionItems';
import { cursorContext, type CursorContext } from './cursorContext';
import { filePathItems } from './pathCompletion';

export interface CompletionOptions {
  /**
   * Offer the replication snippets as completion items (default true), only where they are valid (top
   * level; the 2.3-only ones only in 2.3 trees). Every client, VS Code included, gets them from here.
   */
  snippets?: boolean;
  /** Where file names come from for `key = <file`, path settings and `!include`; without it no paths are offered. */
  host?: FileHost;
}

/** Context-aware completion of keys, sections and values at a position. */
export function doComplete(
  analysis: TreeAnalysis,
  file: string,
  position: Position,
  options: CompletionOptions = {},
): CompletionItem[] {
  const cursor = cursorContext(analysis, file, position);
  const prefix = cursor.linePrefix;
  if (commentStart(prefix, 0) >= 0) return [];
  const text = prefix.trimStart();
  // The edit replaces the whole word under the cursor, including what follows the cursor.
  const place = (wordStart: number, word: string, wordTail: RegExp): CompletionPlace =>
    wordPlace(analysis, file, cursor, position, options.host, wordStart, word, wordTail);
  const hooks = analysis.versionDialect.completion;

  const include = /^!include(?:_try)?\s+(\S*)$/.exec(text);
  if (include) return filePathItems(include[1], place(prefix.length, '', KEY_TAIL), true);
  if (/^[^\s=]*$/.test(text)) {
    const keyPlace = place(prefix.length - text.length, text, KEY_TAIL);
    const items = hooks.keys(keyPlace);
    if (options.snippets !== false && cursor.frames.length === 0 && !text.startsWith('!')) {
      items.push(...hooks.snippets(keyPlace).map((item) => ({ ...item, sortText: SORT_LAST + item.label })));
    }
    return items;
  }
  const assignment = /^([^\s=]+)\s*=\s*(.*)$/.exec(text);
  if (assignment) {
    const [, key, valueText] = assignment;
    const word = /\S*$/.exec(valueText)?.[0] ?? '';
    return hooks.values(key, valueText, place(prefix.length - word.length, word, VALUE_TAIL));
  }
  const header = /^([^\s=]+)\s+([^\s{]*)$/.exec(text);
  if (header) {
    const [, type, word] = header;
    return hooks.sectionNames(type, place(prefix.length - word.length, word, KEY_TAIL));
  }
  return [];
}

function wordPlace(
  analysis: TreeAnalysis,
  file: string,
  cursor: CursorContext,
  position: Position,
  host: FileHost | undefined,
  wordStart: number,
  word: string,
  wordTail: RegExp,
): CompletionPlace {
  const tail = wordTail.exec(cursor.lineSuffix)?.[0] ?? '';
  return {
    cursor,
    analysis,
    file,
    position,
    word,
    wordRange: {
      start: { line: position.line, character: wordStart },
      end: { line: position.line, character: position.character + tail.length },
    },
    atLineEnd: cursor.lineSuffix.slice(tail.length).trim() === '',
    host,
  };
}

export { prepareCompletion } from './completion23';
