import * as path from 'node:path';
import type { Range } from 'vscode-languageserver-types';
import type { TreeAnalysis } from '../languageService';
import type { FileHost } from '../model/host';

export interface FileLink {
  range: Range;
  target: string;
  tooltip: string;
}

/** The tooltip of an include link: the file it opens, and how many more the pattern includes. */
function includeTooltip(targets: readonly string[]): string {
  if (targets.length === 1) return `Included: ${targets[0]}`;
  return `Included: ${targets[0]} and ${targets.length - 1} more (Go to Definition lists them all)`;
}

/**
 * Links from `!include` patterns and `<file` values to their files. A glob gets one link, to the first
 * file it includes: editors open only one link per range, and Go to Definition lists every file.
 */
export function documentLinks(analysis: TreeAnalysis, filePath: string, host: FileHost): FileLink[] {
  const file = path.resolve(filePath);
  const links: FileLink[] = [];
  for (const edge of analysis.model.includes) {
    if (edge.from !== file || edge.targets.length === 0) continue;
    links.push({ range: edge.node.patternRange, target: edge.targets[0], tooltip: includeTooltip(edge.targets) });
  }
  for (const { node, file: settingFile } of analysis.model.settings) {
    if (settingFile !== file || node.valueKind !== 'file' || node.value === '') continue;
    const target = path.resolve(path.dirname(file), node.value);
    if (host.isFile(target)) links.push({ range: node.valueRange, target, tooltip: `Value read from ${target}` });
  }
  return links;
}
