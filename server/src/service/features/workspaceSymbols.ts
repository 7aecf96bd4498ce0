import { SymbolKind } from 'vscode-languageserver-types';
import type { Range } from 'vscode-languageserver-types';
import type { TreeAnalysis } from '../languageService';
import type { Frame } from '../model/model';
import type { SectionNode, Statement } from '../syntax/nodes';
import { startOffsetOf } from '../syntax/parsedNodes';

/** A setting or section of some tree, found by name. */
export interface WorkspaceSymbol {
  name: string;
  kind: SymbolKind;
  file: string;
  range: Range;
  /** The enclosing sections, e.g. `service imap › inet_listener imap`. */
  containerName?: string;
}

/** At most this many symbols are answered, best matches first (the editor asks again as the query grows). */
export const WORKSPACE_SYMBOL_LIMIT = 256;

const sectionLabel = (section: SectionNode): string =>
  section.name === '' ? section.type : `${section.type} ${section.name}`;

function containerOf(frames: readonly Frame[]): string | undefined {
  return frames.length === 0 ? undefined : frames.map((frame) => sectionLabel(frame.section)).join(' › ');
}

/**
 * How well `name` matches `query` (lower is better): exact, prefix, substring, then the query's characters in
 * order (as editors match symbol names); undefined when it does not match. Case is ignored.
 */
export function matchRank(name: string, query: string): number | undefined {
  if (query === '') return 3;
  const lowerName = name.toLowerCase();
  if (lowerName === query) return 0;
  if (lowerName.startsWith(query)) return 1;
  if (lowerName.includes(query)) return 2;
  let at = 0;
  for (const char of lowerName) if (char === query[at] && ++at === query.length) return 3;
  return undefined;
}

interface Candidate {
  name: string;
  kind: SymbolKind;
  file: string;
  node: Statement;
  frames: readonly Frame[];
  rank: number;
  order: number;
}

/** Where a statement starts, to tell places apart without making ranges for every match. */
function placeKey({ file, node }: Candidate): string {
  const offset = startOffsetOf(node);
  return `${file}\u0000${offset ?? `${node.range.start.line}:${node.range.start.character}`}`;
}

/** Settings and sections of every analysed tree whose names match `query`, each place once, best first. */
export function workspaceSymbols(analyses: Iterable<TreeAnalysis>, query: string): WorkspaceSymbol[] {
  const wanted = query.trim().toLowerCase();
  const candidates: Candidate[] = [];
  const add = (name: string, kind: SymbolKind, file: string, node: Statement, frames: readonly Frame[]): void => {
    const rank = matchRank(name, wanted);
    if (rank !== undefined) candidates.push({ name, kind, file, node, frames, rank, order: candidates.length });
  };
  for (const analysis of analyses) {
    for (const { node, file, frames } of analysis.model.sections)
      add(sectionLabel(node), node.filter ? SymbolKind.Namespace : SymbolKind.Struct, file, node, frames);
    for (const { node, file, frames, rewrittenFrom } of analysis.model.settings) {
      // An obsolete 2.3 setting Dovecot applies under its new name is found by the name written.
      const written = rewrittenFrom ?? node;
      if (written.key !== '') add(written.key, SymbolKind.Property, file, written, frames);
    }
  }
  candidates.sort((a, b) => a.rank - b.rank || a.order - b.order);
  const seen = new Set<string>();
  const symbols: WorkspaceSymbol[] = [];
  for (const candidate of candidates) {
    if (symbols.length === WORKSPACE_SYMBOL_LIMIT) break;
    const key = placeKey(candidate);
    if (seen.has(key)) continue;
    seen.add(key);
    const { name, kind, file, node, frames } = candidate;
    symbols.push({ name, kind, file, range: node.range, containerName: containerOf(frames) });
  }
  return symbols;
}
