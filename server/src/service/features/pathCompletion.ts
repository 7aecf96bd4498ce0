import * as path from 'node:path';
import { CompletionItemKind, type Command, type CompletionItem, type Position } from 'vscode-languageserver-types';
import type { FileHost } from '../model/host';
import type { CompletionPlace } from './completionItems';

const TRIGGER_SUGGEST: Command = { title: 'Suggest files', command: 'editor.action.triggerSuggest' };
/** A large directory (say /usr/lib) is cut off here: completion must stay quick. */
const MAX_ENTRIES = 1000;
const GLOB_CHARACTERS = /[*?[\]{}]/;
const INCLUDE_GLOB = '*.conf';

export interface PathRequest {
  host: FileHost;
  /** The path typed so far, up to the cursor. */
  typed: string;
  /** Directory a relative path is resolved against (the directory of the file being edited). */
  baseDir: string;
  position: Position;
  /** Text after the cursor on the line. */
  lineSuffix: string;
  /** `!include` patterns: also offer `*.conf` for a directory holding .conf files. */
  include?: boolean;
}

/**
 * Completes the last component of a typed path with the entries of its directory: directories end
 * with `/` (and re-trigger suggest), hidden entries only when the component starts with `.`.
 * Relative paths are relative to the file being parsed, as for `<file` and `!include` (FACTS §1.6, §1.9).
 */
export function pathCompletions(request: PathRequest): CompletionItem[] {
  const { host, typed, position } = request;
  const slash = typed.lastIndexOf('/');
  const dirPart = typed.slice(0, slash + 1);
  const component = typed.slice(slash + 1);
  if (GLOB_CHARACTERS.test(dirPart) || dirPart.includes('$')) return [];
  const directory = dirPart === '' ? request.baseDir : path.resolve(request.baseDir, dirPart);
  const names = safeList(host, directory);
  if (!names) return [];
  const tail = /^[^\s/]*/.exec(request.lineSuffix)?.[0] ?? '';
  const slashFollows = request.lineSuffix.charAt(tail.length) === '/';
  const range = {
    start: { line: position.line, character: position.character - component.length },
    end: { line: position.line, character: position.character + tail.length },
  };
  const showHidden = component.startsWith('.');
  const items: CompletionItem[] = [];
  let confFiles = 0;
  for (const name of names.slice(0, MAX_ENTRIES).sort()) {
    if (name === '' || (name.startsWith('.') && !showHidden)) continue;
    const kind = entryKind(host, path.join(directory, name));
    if (!kind) continue;
    if (kind === 'file' && name.endsWith('.conf')) confFiles++;
    const isDirectory = kind === 'directory';
    const newText = isDirectory && !slashFollows ? `${name}/` : name;
    items.push({
      label: isDirectory ? `${name}/` : name,
      kind: isDirectory ? CompletionItemKind.Folder : CompletionItemKind.File,
      sortText: (isDirectory ? '1' : '2') + name,
      filterText: name,
      textEdit: { range, newText },
      command: isDirectory && !slashFollows ? TRIGGER_SUGGEST : undefined,
    });
  }
  if (request.include && confFiles > 0 && !showHidden) {
    items.push({
      label: INCLUDE_GLOB,
      kind: CompletionItemKind.File,
      detail: `every .conf file in ${dirPart === '' ? 'this directory' : dirPart}`,
      sortText: '0' + INCLUDE_GLOB,
      filterText: INCLUDE_GLOB,
      textEdit: { range, newText: INCLUDE_GLOB },
    });
  }
  return items;
}

function safeList(host: FileHost, directory: string): string[] | undefined {
  try {
    return host.listDirectory(directory);
  } catch {
    return undefined;
  }
}

function entryKind(host: FileHost, entry: string): 'file' | 'directory' | undefined {
  try {
    if (host.isFile(entry)) return 'file';
    return host.listDirectory(entry) !== undefined ? 'directory' : undefined;
  } catch {
    return undefined;
  }
}

/**
 * File names for a path typed at the cursor: `<file` values and `!include` patterns are relative to the
 * directory of the file being edited (FACTS §1.6, §1.9). Nothing without a host or for a quoted path.
 */
export function filePathItems(typed: string, place: CompletionPlace, include = false): CompletionItem[] {
  const { host, file, position, cursor } = place;
  if (!host || /\s|^["']/.test(typed)) return [];
  return pathCompletions({
    host,
    typed,
    baseDir: path.dirname(file),
    position,
    lineSuffix: cursor.lineSuffix,
    include,
  });
}
