// Test helper: inline config text with a `|` cursor marker, analysed as part of a MemoryHost tree.
import type { Position } from 'vscode-languageserver-types';
import {
  getLanguageService,
  type LanguageService,
  type TreeAnalysis,
} from '../../server/src/service/dovecotLanguageService';
import { MemoryHost } from '../../server/src/service/model/host';

export const ROOT = '/etc/dovecot/dovecot.conf';
export const CURSOR = '|';

/** Removes the first `|` from the text and returns the text and the marker's position. */
export function withCursor(marked: string): { text: string; position: Position } {
  const offset = marked.indexOf(CURSOR);
  if (offset < 0) throw new Error('test text has no | cursor marker');
  const text = marked.slice(0, offset) + marked.slice(offset + 1);
  const before = text.slice(0, offset).split('\n');
  return { text, position: { line: before.length - 1, character: before[before.length - 1].length } };
}

export interface CursorCase {
  analysis: TreeAnalysis;
  file: string;
  position: Position;
  host: MemoryHost;
  /** The language service that analysed the tree: the tests ask it for completion, hover and the rest. */
  service: LanguageService;
}

/**
 * Analyses a tree of files; exactly one of them holds the `|` marker. `files` maps absolute paths to
 * texts; the root is /etc/dovecot/dovecot.conf unless given.
 */
export function cursorIn(files: Record<string, string>, root = ROOT): CursorCase {
  const marked = Object.entries(files).filter(([, text]) => text.includes(CURSOR));
  if (marked.length !== 1) throw new Error(`expected exactly one file with a | marker, got ${marked.length}`);
  const [file, markedText] = marked[0];
  const { text, position } = withCursor(markedText);
  const host = new MemoryHost({ ...files, [file]: text });
  const service = getLanguageService(host);
  return { analysis: service.analyze(root), file, position, host, service };
}

/** A single-file tree: the root holds the marked text. */
export function cursorInRoot(marked: string): CursorCase {
  return cursorIn({ [ROOT]: marked });
}
