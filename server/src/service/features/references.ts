import * as path from 'node:path';
import type { Position, Range } from 'vscode-languageserver-types';
import { readVariable23 } from '../analysis/variableReading23';
import type { TreeAnalysis } from '../languageService';
import type { EffectiveTree, MergedSection } from '../model/effectiveTree';
import type { Placed } from '../model/model';
import type { SectionNode, SettingNode } from '../syntax/nodes';
import { cursorContext, rangeContains } from './cursorContext';

/** A place that sets (or opens) what is looked for, or one that reads it (`$name`). */
export interface Reference {
  file: string;
  range: Range;
  kind: 'write' | 'read';
}

/** Where each merged section lies below its root (the global block or a filter's root), by types and names. */
const blockPaths = new WeakMap<EffectiveTree, Map<MergedSection, string>>();

function pathsOf(tree: EffectiveTree): Map<MergedSection, string> {
  let paths = blockPaths.get(tree);
  if (paths) return paths;
  paths = new Map();
  const pending: [MergedSection, string][] = [[tree.global, '']];
  for (const filter of tree.filters.values()) pending.push([filter.root, '']);
  for (let next = pending.pop(); next; next = pending.pop()) {
    const [block, blockPath] = next;
    paths.set(block, blockPath);
    for (const child of block.children)
      pending.push([child, `${blockPath}/${child.type}\u0000${child.name === '' ? `#${child.index}` : child.name}`]);
  }
  blockPaths.set(tree, paths);
  return paths;
}

/** The setting a `$name` (2.3) or `$SET:name` (2.4) token reads. */
function referencedKey(tokenName: string): string {
  return tokenName.startsWith('SET:') ? tokenName.slice(4) : tokenName;
}

/**
 * The assignment a `$name` token of `reader` reads (2.3: features/variableReading23.ts): for its own key (`$mail_plugins` in mail_plugins), the read
 * its value was built on; for another setting, the one in effect when the line was read.
 */
function sourceOf(
  analysis: TreeAnalysis,
  reader: Placed<SettingNode>,
  tokenName: string,
): Placed<SettingNode> | undefined {
  if (analysis.versionDialect.version !== '2.4')
    return readVariable23(analysis.effective, reader, tokenName)?.read?.origin;
  const name = referencedKey(tokenName);
  const read = analysis.effective.tree().readAt(reader.node);
  if (read && (name === reader.node.key || name === read.key))
    return typeof read.previous === 'string' ? undefined : read.previous?.origin;
  return analysis.effective.valueBefore(reader, name).entry;
}

/**
 * Every assignment of the same setting as `entry`: the same key in the same section (a filter's assignments
 * count as the global ones they override), with the `$name` tokens that read one of them.
 */
function settingReferences(analysis: TreeAnalysis, entry: Placed<SettingNode>): Reference[] {
  const tree = analysis.effective.tree();
  const read = tree.readAt(entry.node);
  if (!read) return [{ file: entry.file, range: entry.node.keyRange, kind: 'write' }];
  const paths = pathsOf(tree);
  const blockPath = paths.get(read.block);
  const writes = analysis.effective.assignments(read.key).filter((other) => {
    const otherRead = tree.readAt(other.node);
    return otherRead !== undefined && otherRead.key === read.key && paths.get(otherRead.block) === blockPath;
  });
  const written = new Set(writes);
  const names = new Set(writes.map((other) => other.node.key)).add(read.key);
  const references: Reference[] = writes.map((other) => ({
    file: other.file,
    range: other.node.keyRange,
    kind: 'write',
  }));
  for (const reader of analysis.model.settings) {
    for (const token of reader.node.variables) {
      if (!names.has(referencedKey(token.name))) continue;
      const source = sourceOf(analysis, reader, token.name);
      if (source && written.has(source)) references.push({ file: reader.file, range: token.range, kind: 'read' });
    }
  }
  return references;
}

/** The other openings of a filter: the same filter, under the same enclosing sections. */
function filterReferences(analysis: TreeAnalysis, entry: Placed<SectionNode>): Reference[] {
  const placeOf = (placed: Placed<SectionNode>): string =>
    [...placed.frames.map((frame) => frame.section), placed.node]
      .map((section) => `${section.type}\u0000${section.name}`)
      .join('/');
  const place = placeOf(entry);
  return analysis.model.sections
    .filter((other) => other.node.filter && placeOf(other) === place)
    .map((other) => ({ file: other.file, range: other.node.headerRange, kind: 'write' }));
}

function mergedSectionOf(tree: EffectiveTree, node: SectionNode): MergedSection | undefined {
  for (const block of pathsOf(tree).keys())
    if (block.occurrences.some((occurrence) => occurrence.node === node)) return block;
  return undefined;
}

/** Every opening of the same section (same-named blocks merge), and for a 2.4 group the lines that include it. */
function sectionReferences(analysis: TreeAnalysis, entry: Placed<SectionNode>): Reference[] {
  if (entry.node.filter) return filterReferences(analysis, entry);
  const merged = mergedSectionOf(analysis.effective.tree(), entry.node);
  const openings = merged ? merged.occurrences : [entry];
  const references: Reference[] = openings.map((opening) => ({
    file: opening.file,
    range: opening.node.headerRange,
    kind: 'write',
  }));
  const { groupLabel, name } = entry.node;
  if (entry.node.type === 'group' && groupLabel !== undefined && analysis.dialect === '2.4') {
    for (const user of analysis.model.settings)
      if (user.node.key === groupLabel && !user.node.keyQuoted && user.node.value === name)
        references.push({ file: user.file, range: user.node.range, kind: 'read' });
  }
  return references;
}

/** The model's entry for a node of the file (an obsolete 2.3 setting by the one Dovecot applies in its place). */
function placedIn<T extends SettingNode | SectionNode>(
  entries: readonly Placed<T>[],
  file: string,
  node: SettingNode | SectionNode,
): Placed<T> | undefined {
  return entries.find(
    (entry) => entry.file === file && (entry.node === node || (entry as Placed<SettingNode>).rewrittenFrom === node),
  );
}

/** The references at the cursor: of the setting whose key or `$name` token it is on, or of the section whose header it is on. */
function referencesAt(analysis: TreeAnalysis, file: string, position: Position): Reference[] | undefined {
  const { statement, header } = cursorContext(analysis, file, position);
  if (statement?.kind === 'setting') {
    const entry = placedIn(analysis.model.settings, file, statement);
    if (!entry) return undefined;
    const token = statement.variables.find((variable) => rangeContains(variable.range, position));
    if (token) {
      const source = sourceOf(analysis, entry, token.name);
      return source ? settingReferences(analysis, source) : [];
    }
    return rangeContains(statement.keyRange, position) ? settingReferences(analysis, entry) : undefined;
  }
  if (header && rangeContains(header.headerRange, position)) {
    const entry = placedIn(analysis.model.sections, file, header);
    return entry ? sectionReferences(analysis, entry) : undefined;
  }
  return undefined;
}

/**
 * Find all references: every assignment of the setting under the cursor (its key or a `$name` reading it) in
 * the whole include tree with the `$name` tokens that read them, or every opening of the section whose header
 * it is on. `includeDeclaration: false` leaves out the place the cursor is on.
 */
export function findReferences(
  analysis: TreeAnalysis,
  filePath: string,
  position: Position,
  includeDeclaration = true,
): Reference[] {
  const file = path.resolve(filePath);
  const references = referencesAt(analysis, file, position) ?? [];
  return includeDeclaration
    ? references
    : references.filter((reference) => reference.file !== file || !rangeContains(reference.range, position));
}

/** The references in the cursor's own file, for highlighting them. */
export function documentHighlights(analysis: TreeAnalysis, filePath: string, position: Position): Reference[] {
  const file = path.resolve(filePath);
  return findReferences(analysis, file, position).filter((reference) => reference.file === file);
}
