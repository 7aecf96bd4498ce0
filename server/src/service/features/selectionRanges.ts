// Expand selection (textDocument/selectionRange): from the word at the cursor out through the value or key,
// the statement, each enclosing section's body and the section itself, to the whole file.
import type { Position, Range, SelectionRange } from 'vscode-languageserver-types';
import type { ParsedFile, SectionNode, Statement } from '../syntax/nodes';
import { startOffsetOf } from '../syntax/parsedNodes';
import { rangeContains, rangeWithin, sameRange } from '../syntax/ranges';

/** Characters that separate the words of a value (`mail_plugins = quota zlib`, `imap,pop3`). */
const VALUE_SEPARATOR = /[ \t,]/;

/** The statement of `statements` whose range holds `position`: the last one starting at or before it. */
function statementAt(parsed: ParsedFile, statements: readonly Statement[], position: Position): Statement | undefined {
  const offset = parsed.textLines.offsetAt(position);
  const startOf = (statement: Statement): number =>
    startOffsetOf(statement) ?? parsed.textLines.offsetAt(statement.range.start);
  let low = 0;
  let high = statements.length - 1;
  while (low < high) {
    const middle = (low + high + 1) >> 1;
    if (startOf(statements[middle]) > offset) high = middle - 1;
    else low = middle;
  }
  const candidate = statements[low];
  return candidate !== undefined && rangeContains(candidate.range, position) ? candidate : undefined;
}

/** The lines between a section's header and its `}`, when there are any. */
function bodyOf(parsed: ParsedFile, section: SectionNode): Range | undefined {
  const first = section.headerRange.end.line + 1;
  const last = section.closeRange ? section.closeRange.start.line - 1 : section.range.end.line;
  if (last < first) return undefined;
  return {
    start: { line: first, character: 0 },
    end: { line: last, character: parsed.textLines.lineText(last).length },
  };
}

/** The word of a one-line value around the cursor. */
function valueWord(parsed: ParsedFile, value: Range, position: Position): Range | undefined {
  if (value.start.line !== value.end.line || !rangeContains(value, position)) return undefined;
  const line = parsed.textLines.lineText(position.line);
  let start = position.character;
  let end = position.character;
  while (start > value.start.character && !VALUE_SEPARATOR.test(line[start - 1])) start--;
  while (end < value.end.character && !VALUE_SEPARATOR.test(line[end])) end++;
  return end > start
    ? { start: { line: position.line, character: start }, end: { line: position.line, character: end } }
    : undefined;
}

/** The ranges inside one statement, widest first, that hold the cursor. */
function statementRanges(parsed: ParsedFile, statement: Statement, position: Position): Range[] {
  switch (statement.kind) {
    case 'setting': {
      const variable = statement.variables.find((token) => rangeContains(token.range, position));
      const word = variable?.range ?? valueWord(parsed, statement.valueRange, position);
      return [statement.range, statement.keyRange, statement.valueRange, ...(word ? [word] : [])];
    }
    case 'section': {
      const header = [
        statement.headerRange,
        statement.typeRange,
        ...(statement.nameRange ? [statement.nameRange] : []),
      ];
      return [statement.range, ...header, ...(statement.closeRange ? [statement.closeRange] : [])];
    }
    case 'include':
      return [statement.range, statement.patternRange];
    case 'invalid':
      return [statement.range, statement.keyRange];
    case 'close':
      return [statement.range];
  }
}

/** Every range around `position`, widest first: the file, then each section (and its body) it is in, down to a word. */
function rangesAround(parsed: ParsedFile, position: Position): Range[] {
  const textLines = parsed.textLines;
  const ranges: Range[] = [{ start: { line: 0, character: 0 }, end: textLines.positionAt(textLines.text.length) }];
  let statements: readonly Statement[] = parsed.statements;
  for (let statement = statementAt(parsed, statements, position); statement;) {
    ranges.push(...statementRanges(parsed, statement, position));
    if (statement.kind !== 'section') break;
    const body = bodyOf(parsed, statement);
    if (body) ranges.push(body);
    statements = statement.children;
    statement = statementAt(parsed, statements, position);
  }
  const comment = parsed.comments.find((candidate) => rangeContains(candidate.range, position));
  if (comment) ranges.push(comment.range);
  return ranges;
}

/** Nested ranges, each inside the one before and holding the cursor; ranges that do not are left out. */
function nested(ranges: Range[], position: Position): Range[] {
  const kept: Range[] = [];
  for (const range of ranges) {
    const outer = kept[kept.length - 1];
    if (!rangeContains(range, position)) continue;
    if (outer && (!rangeWithin(range, outer) || sameRange(range, outer))) continue;
    kept.push(range);
  }
  return kept;
}

/** The selection ranges at each position, innermost first with its parents, as the LSP orders them. */
export function selectionRanges(parsed: ParsedFile, positions: readonly Position[]): SelectionRange[] {
  return positions.map((position) => {
    const chain = nested(rangesAround(parsed, position), position);
    let selection: SelectionRange | undefined;
    for (const range of chain) selection = selection ? { range, parent: selection } : { range };
    return selection ?? { range: { start: position, end: position } };
  });
}
