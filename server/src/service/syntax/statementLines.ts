import type { ParsedFile, Statement } from './nodes';

function firstLineIn(statements: Statement[], line: number): number | undefined {
  for (const statement of statements) {
    if (statement.kind === 'section') {
      const header = statement.headerRange;
      if (header.start.line <= line && line <= header.end.line) return header.start.line;
      if (statement.range.start.line <= line && line <= statement.range.end.line) {
        const inner = firstLineIn(statement.children, line);
        if (inner !== undefined) return inner;
      }
    } else if (statement.range.start.line <= line && line <= statement.range.end.line) {
      return statement.range.start.line;
    }
  }
  return undefined;
}

/** A line Dovecot rejects as a whole (`= value`) is no statement, but may span lines all the same. */
function rejectedLineFirst(parsed: ParsedFile, line: number): number | undefined {
  const rejected = parsed.problems.find(
    (problem) => problem.code === 'missing-key' && problem.range.start.line <= line && line <= problem.range.end.line,
  );
  return rejected?.range.start.line;
}

/** The first physical line of the statement on `line` (a `\` continuation spans several), or `line` itself. */
export function statementFirstLine(parsed: ParsedFile, line: number): number {
  return firstLineIn(parsed.statements, line) ?? rejectedLineFirst(parsed, line) ?? line;
}

/**
 * The line where the Dovecot line holding the statement on `line` starts: its first physical line, and
 * before any lone `\r` (which ends a line for the LSP, not for Dovecot). A suppression comment goes above it.
 */
export function statementStartLine(parsed: ParsedFile, line: number): number {
  const textLines = parsed.textLines;
  const first = statementFirstLine(parsed, line);
  if (first >= textLines.lineCount) return first;
  return textLines.positionAt(textLines.dovecotLineStart(textLines.lineStart(first))).line;
}
