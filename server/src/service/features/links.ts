import * as path from 'node:path';
import type { Range } from 'vscode-languageserver-types';
import type { TreeAnalysis } from '../languageService';
import type { FileHost } from '../model/host';

export interface FileLink {
  range: Range;
  target: string;
  tooltip: string;
}

/** Links from `!include` patterns to each file they include, and from `<file` values to the file. */
export function documentLinks(analysis: TreeAnalysis, filePath: string, host: FileHost): FileLink[] {
  const file = path.resolve(filePath);
  const links: FileLink[] = [];
  for (const edge of analysis.model.includes) {
    if (edge.from !== file) continue;
    for (const target of edge.targets) links.push({ range: edge.node.patternRange, target, tooltip: `Included: ${target}` });
  }
  for (const { node, file: settingFile } of analysis.model.settings) {
    if (settingFile !== file || node.valueKind !== 'file' || node.value === '') continue;
    const target = path.resolve(path.dirname(file), node.value);
    if (host.isFile(target)) links.push({ range: node.valueRange, target, tooltip: `Value read from ${target}` });
  }
  return links;
}
