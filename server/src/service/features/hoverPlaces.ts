// Where a value came from and how a hover shows it, shared by the hovers of both Dovecot versions.
import type { Range } from 'vscode-languageserver-types';
import type { TreeAnalysis } from '../languageService';
import { displayPath, type Placed } from '../model/model';
import { maskSecrets } from '../schema/secrets';
import type { SettingNode } from '../syntax/nodes';
import { code } from './settingMarkdown';

/** `file:line` of a placed node, relative to the root's directory. */
export function where(analysis: TreeAnalysis, file: string, range: Range): string {
  return `${displayPath(analysis.root, file)}:${range.start.line + 1}`;
}

export function whereSet(analysis: TreeAnalysis, entry: Placed<SettingNode>): string {
  return where(analysis, entry.file, entry.node.range);
}

/** A value in effect as the hover shows it: `<path` for a file value, secrets hidden (schema/secrets.ts). */
export function shown(key: string, value: string, entry?: Placed<SettingNode>): string {
  const written = entry?.node.valueKind === 'file' ? `<${value}` : value;
  return written === '' ? '(empty)' : code(maskSecrets(key, written));
}
