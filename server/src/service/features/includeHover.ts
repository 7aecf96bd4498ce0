import * as path from 'node:path';
import type { Position, Range } from 'vscode-languageserver-types';
import type { TreeAnalysis } from '../languageService';
import { displayPath, type IncludeEdge } from '../model/model';
import { rangeContains } from './cursorContext';

/** Past this many files, the hover names the first ones and how many more. */
export const INCLUDE_HOVER_FILES = 25;

function includedFiles(analysis: TreeAnalysis, edge: IncludeEdge): string {
  const shown = edge.targets
    .slice(0, INCLUDE_HOVER_FILES)
    .map((target, index) => `${index + 1}. \`${displayPath(analysis.root, target)}\``);
  const more = edge.targets.length - shown.length;
  return [...shown, ...(more > 0 ? [`\n…and ${more} more`] : [])].join('\n');
}

function includeMarkdown(analysis: TreeAnalysis, edge: IncludeEdge): string {
  const { node, targets } = edge;
  const directive = node.optional ? '!include_try' : '!include';
  const heading = `**${directive}** \`${node.pattern}\``;
  if (node.template?.value)
    return `${heading}\n\nThe pattern holds a template expression: which files it reads is decided when the template is rendered.`;
  if (targets.length === 0)
    return node.optional
      ? `${heading}\n\nMatches no file here; with \`!include_try\` Dovecot reads on without it.`
      : `${heading}\n\nMatches no file here.`;
  const count = targets.length === 1 ? 'one file' : `${targets.length} files, in this order (a later value wins)`;
  return `${heading}\n\nReads ${count}:\n\n${includedFiles(analysis, edge)}`;
}

/** Hover on an `!include`/`!include_try` line: the files the pattern reads, in Dovecot's order. */
export function includeHover(
  analysis: TreeAnalysis,
  filePath: string,
  position: Position,
): { value: string; range: Range } | undefined {
  const file = path.resolve(filePath);
  const edge = analysis.model.includes.find(
    (candidate) => candidate.from === file && rangeContains(candidate.node.range, position),
  );
  return edge ? { value: includeMarkdown(analysis, edge), range: edge.node.range } : undefined;
}
