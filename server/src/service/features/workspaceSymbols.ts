import { SymbolKind } from 'vscode-languageserver-types';
import type { Range } from 'vscode-languageserver-types';
import type { TreeAnalysis } from '../languageService';
import type { Frame } from '../model/model';
import type { SectionNode } from '../syntax/nodes';

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

interface Ranked {
  symbol: WorkspaceSymbol;
  rank: number;
  order: number;
}

/** Settings and sections of every analysed tree whose names match `query`, each place once, best first. */
export function workspaceSymbols(analyses: Iterable<TreeAnalysis>, query: string): WorkspaceSymbol[] {
  const wanted = query.trim().toLowerCase();
  const seen = new Set<string>();
  const ranked: Ranked[] = [];
  const add = (name: string, kind: SymbolKind, file: string, range: () => Range, frames: readonly Frame[]): void => {
    const rank = matchRank(name, wanted);
    if (rank === undefined) return;
    const place = range();
    const key = `${file}\u0000${place.start.line}\u0000${place.start.character}`;
    if (seen.has(key)) return;
    seen.add(key);
    const symbol = { name, kind, file, range: place, containerName: containerOf(frames) };
    ranked.push({ symbol, rank, order: ranked.length });
  };
  for (const analysis of analyses) {
    for (const { node, file, frames } of analysis.model.sections)
      add(sectionLabel(node), node.filter ? SymbolKind.Namespace : SymbolKind.Struct, file, () => node.range, frames);
    for (const { node, file, frames, rewrittenFrom } of analysis.model.settings) {
      // An obsolete 2.3 setting Dovecot applies under its new name is found by the name written.
      const written = rewrittenFrom ?? node;
      if (written.key !== '') add(written.key, SymbolKind.Property, file, () => written.range, frames);
    }
  }
  ranked.sort((a, b) => a.rank - b.rank || a.order - b.order);
  return ranked.slice(0, WORKSPACE_SYMBOL_LIMIT).map((entry) => entry.symbol);
}
