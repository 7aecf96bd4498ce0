// Completion, shared by both Dovecot versions: what the cursor is on (a key, a value, a section name,
// an `!include` path) is found here once; the tree's dialect (dialects.ts) supplies the items.
import type { CompletionItem, Position } from 'vscode-languageserver-types';
import type { TreeAnalysis } from '../languageService';
import type { FileHost } from '../model/host';
import type { ConfigModel } from '../model/model';
import type { CheckedVersion } from '../model/dialect';
import { commentStart } from '../syntax/logicalLines';
import { unescape24 } from '../syntax/parser';
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

/**
 * Context-aware completion of keys, sections and values at a position. The array returned may be one
 * returned before for the same list (see `keyItems`): callers must not change it.
 */
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
    const withSnippets = options.snippets !== false && cursor.frames.length === 0 && !text.startsWith('!');
    return keyItems(place(prefix.length - text.length, text, KEY_TAIL), withSnippets);
  }
  const assignment = assignmentOf(text, analysis.versionDialect.version);
  if (assignment) {
    const [key, valueText] = assignment;
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

/**
 * The key and the value typed so far of a `key = value` line. 2.4 reads a key written in double quotes
 * unquoted (`"mail_debug" = ` completes mail_debug's values), a quoted `"@label"` is no include group.
 */
function assignmentOf(text: string, version: CheckedVersion): [key: string, valueText: string] | undefined {
  const quoted = version === '2.4' ? /^"((?:[^"\\]|\\.)*)"[ \t]*=[ \t]*(.*)$/.exec(text) : null;
  if (quoted) {
    const key = unescape24(quoted[1]);
    return key.error === undefined && !key.value.startsWith('@') ? [key.value, quoted[2]] : undefined;
  }
  const plain = /^([^\s=]+)\s*=\s*(.*)$/.exec(text);
  return plain ? [plain[1], plain[2]] : undefined;
}

/**
 * Key lists per model, by what they are made of (keyListSignature): completion at the start of a line asks
 * for the same few lists again and again, and a top-level list holds hundreds of items. An analysis after
 * an edit (withEditedFile) shares its model, so typing reuses them too; they go with the model.
 */
const keyLists = new WeakMap<ConfigModel, Map<string, CompletionItem[]>>();
const KEY_LISTS_PER_MODEL = 16;

/** Setting keys, sections and filters (with the replication snippets at the top level), built once per list. */
function keyItems(place: CompletionPlace, withSnippets: boolean): CompletionItem[] {
  const { model } = place.analysis;
  let lists = keyLists.get(model);
  if (!lists) keyLists.set(model, (lists = new Map()));
  const signature = keyListSignature(place, withSnippets);
  const known = lists.get(signature);
  if (known) {
    // The most recently used list is evicted last.
    lists.delete(signature);
    lists.set(signature, known);
    return known;
  }
  const items = buildKeyItems(place, withSnippets);
  lists.set(signature, Object.freeze(items) as CompletionItem[]);
  if (lists.size > KEY_LISTS_PER_MODEL) lists.delete(lists.keys().next().value as string);
  return items;
}

function buildKeyItems(place: CompletionPlace, withSnippets: boolean): CompletionItem[] {
  const hooks = place.analysis.versionDialect.completion;
  const items = hooks.keys(place);
  if (withSnippets) items.push(...hooks.snippets(place).map((item) => ({ ...item, sortText: SORT_LAST + item.label })));
  return items;
}

/**
 * Everything a key list is made of besides the tree's own facts (the model's, and those of its analysis):
 * the word's range, whether the line ends there, the enclosing sections (type, name, filter), whether
 * snippets are offered, and what the dialect adds (2.3: the keys already set in the cursor's scope).
 */
function keyListSignature(place: CompletionPlace, withSnippets: boolean): string {
  const { start, end } = place.wordRange;
  const sections = place.cursor.frames.map(
    ({ section }) => `${section.type}\u0001${section.name}\u0001${section.filter ?? ''}`,
  );
  const dialect = place.analysis.versionDialect;
  return [
    dialect.version,
    start.line,
    start.character,
    end.line,
    end.character,
    place.atLineEnd,
    withSnippets,
    dialect.completion.keysState(place),
    ...sections,
  ].join('\u0000');
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
