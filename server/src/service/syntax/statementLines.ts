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

/** The first physical line of the statement on `line` (a `\` continuation spans several), or `line` itself. */
export function statementFirstLine(parsed: ParsedFile, line: number): number {
  return firstLineIn(parsed.statements, line) ?? line;
}
