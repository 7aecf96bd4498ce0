import * as path from 'node:path';
import type { Position, Range } from 'vscode-languageserver-types';
import { readVariable23 } from '../analysis/variableReading23';
import type { TreeAnalysis } from '../languageService';
import { contextOf, type Placed } from '../model/model';
import type { SettingNode } from '../syntax/nodes';
import { rangeContains } from './cursorContext';
import { setReading24 } from './setReading24';

export interface FileLocation {
  file: string;
  range: Range;
}

const ZERO: Range = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };

function settingAt(analysis: TreeAnalysis, file: string, position: Position): Placed<SettingNode> | undefined {
  return analysis.model.settings.find((entry) => entry.file === file && rangeContains(entry.node.range, position));
}

/**
 * `$name`: the assignment of `name` that was in effect when this line was read (FACTS §1.7); in 2.3 the one
 * Dovecot reads there (a filter's own, not the global one), none for the default or a name it reads no setting by;
 * in 2.4 what its `$SET:name` reads (setReading24.ts).
 */
function variableDefinition(
  analysis: TreeAnalysis,
  entry: Placed<SettingNode>,
  position: Position,
): FileLocation[] | undefined {
  const token = entry.node.variables.find((variable) => rangeContains(variable.range, position));
  if (!token) return undefined;
  const source =
    analysis.versionDialect.version === '2.4'
      ? setReading24(analysis, entry, token.name)?.value.entry
      : readVariable23(analysis.effective, entry, token.name)?.read?.origin;
  return source ? [{ file: source.file, range: source.node.range }] : [];
}

/** `@label = name` (Dovecot 2.4): the `group @label name { }` blocks of the tree; none for Dovecot's own groups. */
function groupDefinition(analysis: TreeAnalysis, entry: Placed<SettingNode>): FileLocation[] | undefined {
  if (!entry.node.key.startsWith('@') || entry.node.keyQuoted || analysis.dialect !== '2.4') return undefined;
  return analysis.model.sections
    .filter(({ node }) => node.type === 'group' && node.groupLabel === entry.node.key && node.name === entry.node.value)
    .map(({ node, file }) => ({ file, range: node.headerRange }));
}

/**
 * Go to definition: `$var` to its assignment, an include to its files, `@label = name` to its group, a key to
 * its other assignments.
 */
export function findDefinition(analysis: TreeAnalysis, filePath: string, position: Position): FileLocation[] {
  const file = path.resolve(filePath);
  for (const edge of analysis.model.includes) {
    if (edge.from === file && rangeContains(edge.node.patternRange, position))
      return edge.targets.map((target) => ({ file: target, range: ZERO }));
  }
  const entry = settingAt(analysis, file, position);
  if (!entry) return [];
  const variable = variableDefinition(analysis, entry, position);
  if (variable) return variable;
  const group = groupDefinition(analysis, entry);
  if (group) return group;
  if (!rangeContains(entry.node.keyRange, position)) return [];
  const context = contextOf(entry.frames);
  return analysis.model.settings
    .filter(
      (other) =>
        other !== entry && other.node.key === entry.node.key && contextOf(other.frames) === context && context === '',
    )
    .map((other) => ({ file: other.file, range: other.node.range }));
}
