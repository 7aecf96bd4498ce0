import { FoldingRangeKind, type FoldingRange } from 'vscode-languageserver-types';
import type { ParsedFile, Statement } from '../syntax/nodes';

function sectionFolds(statements: Statement[], into: FoldingRange[]): void {
  for (const statement of statements) {
    if (statement.kind !== 'section') continue;
    const startLine = statement.headerRange.start.line;
    const endLine = statement.closeRange ? statement.closeRange.start.line - 1 : statement.range.end.line;
    if (endLine > startLine) into.push({ startLine, endLine });
    sectionFolds(statement.children, into);
  }
}

/** Lines that hold statement text (section bodies excluded): a comment on such a line ends a statement. */
function statementLines(statements: Statement[], into = new Set<number>()): Set<number> {
  for (const statement of statements) {
    const own =
      statement.kind === 'section'
        ? [statement.headerRange, ...(statement.closeRange ? [statement.closeRange] : [])]
        : [statement.range];
    for (const range of own) for (let line = range.start.line; line <= range.end.line; line++) into.add(line);
    if (statement.kind === 'section') statementLines(statement.children, into);
  }
  return into;
}

function commentBlockFolds(parsed: ParsedFile, into: FoldingRange[]): void {
  let blockStart = -1;
  let previousLine = -2;
  const occupied = statementLines(parsed.statements);
  const fullLineComments = parsed.comments.filter((comment) => !occupied.has(comment.range.start.line));
  for (const comment of fullLineComments) {
    const line = comment.range.start.line;
    if (line !== previousLine + 1) {
      if (previousLine - blockStart >= 1 && blockStart >= 0)
        into.push({ startLine: blockStart, endLine: previousLine, kind: FoldingRangeKind.Comment });
      blockStart = line;
    }
    previousLine = line;
  }
  if (blockStart >= 0 && previousLine - blockStart >= 1)
    into.push({ startLine: blockStart, endLine: previousLine, kind: FoldingRangeKind.Comment });
}

/** Folding for sections and runs of comment lines. */
export function foldingRanges(parsed: ParsedFile): FoldingRange[] {
  const ranges: FoldingRange[] = [];
  sectionFolds(parsed.statements, ranges);
  commentBlockFolds(parsed, ranges);
  return ranges;
}
