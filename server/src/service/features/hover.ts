import { MarkupKind, type Hover, type Position } from 'vscode-languageserver-types';
import type { TreeAnalysis } from '../languageService';
import { findSetting } from '../schema/schema';
import { cursorContext } from './cursorContext';

/** Hover on a setting key: what it is, its type and default. */
export function doHover(analysis: TreeAnalysis, file: string, position: Position): Hover | null {
  const cursor = cursorContext(analysis, file, position);
  const statement = cursor.statement;
  if (statement?.kind !== 'setting') return null;
  const info = findSetting(cursor.context, statement.key);
  if (!info) return null;
  const lines = [`**${info.name}** (${info.type}, default \`${info.default || ''}\`)`, '', info.description];
  return { contents: { kind: MarkupKind.Markdown, value: lines.join('\n') }, range: statement.keyRange };
}
