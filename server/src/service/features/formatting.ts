import type { Range, TextEdit } from 'vscode-languageserver-types';
import type { ParsedFile, SectionNode, Statement } from '../syntax/nodes';
import { closeOffsetOf, isClosed, startOffsetOf } from '../syntax/parsedNodes';
import { TextLines } from '../syntax/textLines';

export interface IndentOptions {
  tabSize: number;
  insertSpaces: boolean;
}

/** Lines inside sections nested too deep to be parsed: their indentation is left as written. */
function skippedBodyLines(section: Statement, into: Set<number>): void {
  if (section.kind !== 'section' || !section.bodySkipped) return;
  const end = section.closeRange ? section.closeRange.start.line - 1 : section.range.end.line;
  for (let line = section.headerRange.end.line + 1; line <= end; line++) into.add(line);
}

/** Nesting depth of every line that starts a statement or closes a section, by the file's own braces. */
function lineDepths(
  statements: Statement[],
  depth: number,
  into: Map<number, number>,
  closeLines: Set<number>,
  untouched: Set<number>,
): void {
  for (const statement of statements) {
    skippedBodyLines(statement, untouched);
    into.set(statement.range.start.line, depth);
    for (let line = statement.range.start.line + 1; line <= statement.range.end.line; line++) {
      if (statement.kind !== 'section') into.set(line, depth + 1);
    }
    if (statement.kind === 'section') {
      lineDepths(statement.children, depth + 1, into, closeLines, untouched);
      if (statement.closeRange) {
        into.set(statement.closeRange.start.line, depth);
        closeLines.add(statement.closeRange.start.line);
      }
    }
  }
}

export const DEFAULT_INDENT_UNIT = '  ';

/**
 * The indentation unit some files already use, when every indented statement line is that unit times its
 * depth; two spaces (Dovecot's own example configuration) when they disagree; undefined when nothing
 * is indented. The editor's guess is not used: it reads one file and often gets a messy one wrong.
 */
export function indentUnitOf(files: Iterable<{ text: string; parsed: ParsedFile }>): string | undefined {
  let unit: string | undefined;
  for (const file of files) {
    const own = fileIndentUnit(file);
    if (own === MIXED || (own !== undefined && unit !== undefined && own !== unit)) return DEFAULT_INDENT_UNIT;
    unit = own ?? unit;
  }
  return unit;
}

const MIXED = Symbol('mixed indentation');
/** Per parsed file (unchanged files keep theirs across analyses), so completion does not re-read the whole tree. */
const indentUnits = new WeakMap<ParsedFile, string | typeof MIXED | undefined>();

/** The white space before a statement's (or a `}` line's) text on its line. */
function indentBefore(parsed: ParsedFile, offset: number): string {
  const text = parsed.textLines.text;
  return text.slice(parsed.textLines.dovecotLineStart(offset), offset);
}

/** The unit every indented statement line of one file uses, MIXED when two lines disagree, undefined when nothing is indented. */
function fileIndentUnit({ parsed }: { text: string; parsed: ParsedFile }): string | typeof MIXED | undefined {
  if (indentUnits.has(parsed)) return indentUnits.get(parsed);
  let unit: string | typeof MIXED | undefined;
  /** False when the line's indentation is not `depth` times one unit, or not the unit seen so far. */
  const fits = (offset: number, depth: number): boolean => {
    if (depth === 0) return true;
    const indent = indentBefore(parsed, offset);
    const candidate = indent.length % depth === 0 ? indent.slice(0, indent.length / depth) : '';
    if (candidate === '' || candidate.repeat(depth) !== indent || (unit !== undefined && candidate !== unit))
      return false;
    unit = candidate;
    return true;
  };
  const offsetOf = (statement: Statement): number =>
    startOffsetOf(statement) ?? parsed.textLines.offsetAt(statement.range.start);
  // A parsed section gives its offset without making its close range; other nodes carry a range.
  const closeOffset = (section: SectionNode): number | undefined =>
    closeOffsetOf(section) ??
    (section.closeRange === undefined ? undefined : parsed.textLines.offsetAt(section.closeRange.start));
  const visit = (statements: readonly Statement[], depth: number): boolean =>
    statements.every((statement) => {
      if (!fits(offsetOf(statement), depth)) return false;
      if (statement.kind !== 'section') return true;
      if (!visit(statement.children, depth + 1)) return false;
      const close = isClosed(statement) ? closeOffset(statement) : undefined;
      return close === undefined || fits(close, depth);
    });
  if (!visit(parsed.statements, 0)) unit = MIXED;
  indentUnits.set(parsed, unit);
  return unit;
}

/** The unit to format `file` with: the style of the rest of its tree, else its own, else two spaces. */
export function formattingUnit(
  file: { text: string; parsed: ParsedFile },
  others: { text: string; parsed: ParsedFile }[],
): string {
  return indentUnitOf(others) ?? indentUnitOf([file]) ?? DEFAULT_INDENT_UNIT;
}

/** The editor's indentation options as a unit (used where no tree is known). */
export function unitOf(options: IndentOptions): string {
  return options.insertSpaces ? ' '.repeat(options.tabSize) : '\t';
}

/**
 * Re-indents a file by section depth with `unit` per level. Only leading white space changes: keys,
 * values, comments and line ends are never touched. A comment line takes the depth of the statement after it.
 * Lines are counted as the LSP counts them; a line that starts after a lone `\r` is inside one of
 * Dovecot's lines (in a value or a comment), so it keeps its white space.
 */
export function formatIndentation(text: string, parsed: ParsedFile, unit: string): TextEdit[] {
  const depths = new Map<number, number>();
  const closeLines = new Set<number>();
  const untouched = new Set<number>();
  lineDepths(parsed.statements, 0, depths, closeLines, untouched);
  const textLines = parsed.textLines.text === text ? parsed.textLines : new TextLines(text);
  const edits: TextEdit[] = [];
  let nextDepth = 0;
  for (let line = textLines.lineCount - 1; line >= 0; line--) {
    const start = textLines.lineStart(line);
    if (start > 0 && text[start - 1] !== '\n') continue;
    const content = textLines.lineText(line);
    const current = /^[ \t]*/.exec(content)?.[0] ?? '';
    if (content.trim() === '' || untouched.has(line)) continue;
    const depth = depths.get(line) ?? nextDepth;
    if (depths.has(line)) nextDepth = closeLines.has(line) ? depth + 1 : depth;
    const wanted = unit.repeat(depth);
    if (current !== wanted)
      edits.push({
        range: { start: { line, character: 0 }, end: { line, character: current.length } },
        newText: wanted,
      });
  }
  return edits.reverse();
}

/**
 * The lines a range formatting request covers: those the range touches, except the line it ends on when it
 * ends at that line's start (a selection of whole lines ends there).
 */
export function linesOf(range: Range): { first: number; last: number } {
  const endsAtLineStart = range.end.character === 0 && range.end.line > range.start.line;
  return { first: range.start.line, last: endsAtLineStart ? range.end.line - 1 : range.end.line };
}

/** The indentation edits of `formatIndentation` for the lines `range` covers only. */
export function formatRangeIndentation(text: string, parsed: ParsedFile, unit: string, range: Range): TextEdit[] {
  const { first, last } = linesOf(range);
  return formatIndentation(text, parsed, unit).filter(
    (edit) => edit.range.start.line >= first && edit.range.start.line <= last,
  );
}
