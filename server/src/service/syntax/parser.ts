import { isBlankCode } from './characters';
import { scanLines, type LineSpan, type LogicalLine } from './logicalLines';
import {
  NO_VARIABLES,
  ParsedSection,
  ParsedVariable,
  PlainSetting,
  QuotedKeySection,
  QuotedKeySetting,
  WrittenSetting,
  type QuotedKey,
} from './parsedNodes';
import { sharedKey, sharedKeyIn, sharedValueIn } from './keyTable';
import { forEachKeyVariableWord, isKeyVariableValue, keyVariableText } from './valueWords';
import { sameRange } from './ranges';
import {
  FILTER_KINDS,
  MAX_SECTION_DEPTH,
  type FilterKind,
  type IncludeNode,
  type InvalidNode,
  type ParsedFile,
  type SectionNode,
  type SettingNode,
  type Statement,
  type SyntaxProblem,
  type SyntaxProblemCode,
  type ValueKind,
  type VariableToken,
} from './nodes';

/** Removes backslash escapes like Dovecot's str_unescape: each `\c` becomes `c`, and a last lone `\` goes. */
export function unescapeDovecot(text: string): string {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '\\' && ++i === text.length) break;
    out += text[i];
  }
  return out;
}

/** config_str_unescape(): only `\\` and `\"` are escapes in 2.4; anything else is an error. */
export function unescape24(text: string): { value: string; error?: string } {
  let value = '';
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '\\') {
      i++;
      const next = text[i] ?? '';
      if (next !== '\\' && next !== '"') return { value, error: `Unknown escape sequence \\${next}` };
    }
    value += text[i] ?? '';
  }
  return { value };
}

/** A quoted value with an escape Dovecot 2.4 does not know: a line it cannot read (config_parse_line@2.4.4). */
export function hasUnknownEscape24(node: SettingNode): boolean {
  const raw = node.rawValue;
  const quote = raw[0];
  if (node.valueKind === 'file' || raw.length < 2 || (quote !== '"' && quote !== "'") || !raw.endsWith(quote))
    return false;
  return unescape24(raw.slice(1, -1)).error !== undefined;
}

const EQUALS = 61;
const QUOTE = 34;
const BACKSLASH = 92;
const DOLLAR = 36;
const OPEN_BRACE = 123;

// The parser reads a line as offsets into its span's text: everything from `line.end` on is not the line's.

/** The character code at `at` of the line, NaN past its end. */
const codeAt = (line: LineSpan, at: number): number => (at < line.end ? line.text.charCodeAt(at) : NaN);

const isWhiteAt = (line: LineSpan, at: number): boolean => isBlankCode(codeAt(line, at));

/** Where the key of a line ends: at the first blank or `=`. */
function keyEndOf(line: LineSpan): number {
  let end = line.start;
  for (let code = codeAt(line, end); end < line.end; code = codeAt(line, ++end))
    if (isBlankCode(code) || code === EQUALS) break;
  return end;
}

function skipWhite(line: LineSpan, at: number): number {
  while (isWhiteAt(line, at)) at++;
  return at;
}

/** Where the word at `at` ends: at the next blank or the end of the line. */
function wordEnd(line: LineSpan, at: number): number {
  while (at < line.end && !isWhiteAt(line, at)) at++;
  return at;
}

/** The `$` words of a value (`$name`, `$ENV:NAME`, `$SET:name`) as Dovecot splits it. */
function variableTokens(line: LineSpan, valueStart: number, value: string): VariableToken[] {
  const tokens: VariableToken[] = [];
  forEachKeyVariableWord(value, (start, end) => {
    if (value.charCodeAt(start) === DOLLAR)
      tokens.push(new ParsedVariable(line, valueStart + start, value.slice(start + 1, end)));
  });
  // Kept with the node at its size: a list grown by pushing keeps room for 16 more.
  return tokens.slice();
}

function parseSetting(line: LineSpan, key: string, equalsAt: number, quoted?: QuotedKey): SettingNode {
  const text = line.text;
  let valueStart = skipWhite(line, equalsAt + 1);
  const rawValue = sharedValueIn(text, valueStart, line.end);
  let value = rawValue;
  let valueKind: ValueKind = 'plain';
  let variables = NO_VARIABLES;
  const quote = rawValue[0];
  if (quote === '<') {
    valueStart = skipWhite(line, valueStart + 1);
    value = text.slice(valueStart, line.end);
    valueKind = 'file';
  } else if (quote === '"' || quote === "'") {
    if (rawValue.endsWith(quote)) {
      value = unescapeDovecot(rawValue.slice(1, rawValue.length === 1 ? 1 : -1));
      valueKind = 'quoted';
    }
  } else if (isKeyVariableValue(rawValue)) {
    // Dovecot keeps the words joined by one space, expanded or not.
    value = keyVariableText(rawValue);
    const tokens = variableTokens(line, valueStart, rawValue);
    if (tokens.length > 0) {
      variables = tokens;
      valueKind = 'variables';
    }
  }
  if (quoted) return new QuotedKeySetting(line, quoted, rawValue, value, valueKind, valueStart, variables);
  return valueKind === 'plain' && value === rawValue
    ? new PlainSetting(line, key, value)
    : new WrittenSetting(line, key, rawValue, value, valueKind, valueStart, variables);
}

/** Where a quoted section name lies in the text of its header's line span. */
interface NameSpan {
  start: number;
  end: number;
}

/** A header Dovecot rejects: its problems (one for both versions, or one for each). */
interface RejectedHeader {
  problems: SyntaxProblem[];
  key: string;
}

/** A section header as read: its section, or why Dovecot rejects it. */
type HeaderResult = ParsedSection | RejectedHeader;

const isRejected = (header: HeaderResult): header is RejectedHeader => !(header instanceof ParsedSection);

/**
 * A rejected header's problem, from `from` to the end of the line; when its quoted name holds an escape Dovecot
 * 2.4 does not know, 2.4 reports that instead (it unescapes the name before it looks for the `{`,
 * config_parse_line@2.4.4), 2.3 this one.
 */
function headerProblem(
  line: LineSpan,
  key: string,
  message: string,
  code: SyntaxProblemCode,
  from: number,
  quotedName?: NameSpan,
): HeaderResult {
  const problem: SyntaxProblem = { code, message, range: line.rangeOf(from, line.end) };
  if (!quotedName) return { key, problems: [problem] };
  const { start, end } = quotedName;
  const error = unescape24(line.text.slice(start + 1, end - 1)).error;
  if (error === undefined) return { key, problems: [problem] };
  const escape: SyntaxProblem = { code: 'unknown-escape', message: error, range: line.rangeOf(start, end) };
  return { key, problems: [withDialect(problem, '2.3'), withDialect(escape, '2.4')] };
}

/** Section header `type [name] {` with Dovecot's exact error conditions (FACTS §1.2). */
function parseSectionHeader(line: LineSpan, key: string, afterKey: number, quoted?: QuotedKey): HeaderResult {
  const text = line.text;
  let at = afterKey;
  let name = '';
  let nameStart = -1;
  let nameEnd = -1;
  let quotedName: NameSpan | undefined;
  if (codeAt(line, at) !== OPEN_BRACE) {
    nameStart = at;
    if (codeAt(line, at) === QUOTE) {
      let end = at + 1;
      while (end < line.end && text.charCodeAt(end) !== QUOTE) end++;
      if (end >= line.end) return headerProblem(line, key, "Expecting '{'", 'expecting-brace', line.start);
      name = unescapeDovecot(text.slice(at + 1, end));
      nameEnd = end + 1;
      quotedName = { start: nameStart, end: nameEnd };
    } else {
      nameEnd = wordEnd(line, at);
      name = text.slice(nameStart, nameEnd);
    }
    at = skipWhite(line, nameEnd);
    if (codeAt(line, at) !== OPEN_BRACE)
      return headerProblem(line, key, "Expecting '{'", 'expecting-brace', line.start, quotedName);
  }
  if (at + 1 < line.end)
    return headerProblem(line, key, "Garbage after '{'", 'garbage-after-brace', at + 1, quotedName);
  const section = quoted
    ? new QuotedKeySection(line, quoted, name, at + 1)
    : new ParsedSection(line, key, name, at + 1);
  if (FILTER_KINDS.has(key)) section.filter = key as FilterKind;
  return section;
}

/**
 * `group @label name {` is a Dovecot 2.4 include-group header (config_parse_line@2.4.4); 2.3 reads it
 * as a section with a name followed by garbage, `Expecting '{'`. The node is kept for 2.4 and each
 * version's problem is marked with its dialect.
 */
function parseGroupHeader(
  line: LineSpan,
  afterKey: number,
  quoted?: QuotedKey,
): { section?: ParsedSection; problems: SyntaxProblem[] } {
  const text = line.text;
  const whole = line.range;
  const only = (
    dialect: '2.3' | '2.4',
    message: string,
    code: SyntaxProblemCode = 'expecting-brace',
  ): SyntaxProblem => ({ code, message, range: whole, data: { dialect } });
  const labelEnd = wordEnd(line, afterKey);
  if (labelEnd >= line.end) return { problems: [only('2.3', "Expecting '{'"), only('2.4', 'Expecting group name')] };
  const nameStart = skipWhite(line, labelEnd);
  const nameEnd = wordEnd(line, nameStart);
  const brace = skipWhite(line, nameEnd);
  const problems23 = [only('2.3', "Expecting '{'")];
  if (nameEnd >= line.end || codeAt(line, brace) !== OPEN_BRACE)
    return { problems: [...problems23, only('2.4', "Expecting '{'")] };
  if (brace + 1 < line.end)
    return { problems: [...problems23, only('2.4', "Garbage after '{'", 'garbage-after-brace')] };
  const name = text.slice(nameStart, nameEnd);
  const section = quoted
    ? new QuotedKeySection(line, quoted, name, brace + 1)
    : new ParsedSection(line, 'group', name, brace + 1);
  section.groupLabel = text.slice(afterKey, labelEnd);
  return { problems: problems23, section };
}

interface OpenSection {
  node: ParsedSection;
  statements: Statement[];
}

/** A section nested too deep: its lines are only brace-counted until its `}`. */
interface SkippedSection {
  /** The section whose body is skipped; none for a block whose header Dovecot rejects. */
  node?: ParsedSection;
  depth: number;
  /** The last line read in it, kept while the body is read (the parser's span moves on). */
  lastLine?: LogicalLine;
}

function tooDeepProblem(section: SectionNode): SyntaxProblem {
  return {
    code: 'analysis-limit',
    range: section.headerRange,
    message: `Sections are nested more than ${MAX_SECTION_DEPTH} levels deep here: dovecot-lint does not analyse what is inside this section.`,
  };
}

/** Brace-counts one line of a skipped section; true when the line closes it. */
function skipLine(skipped: SkippedSection, line: LineSpan, key: string, afterKey: number): boolean {
  skipped.lastLine = line.kept();
  if (key === '}' && afterKey >= line.end) {
    if (--skipped.depth > 0) return false;
    skipped.node?.closeAt(line);
    return true;
  }
  // Every header Dovecot accepts ends with its `{`, and one it rejects opens a block there too.
  if (key !== '!include' && key !== '!include_try' && codeAt(line, afterKey) !== EQUALS && endsWithOpenBrace(line))
    skipped.depth++;
  return false;
}

/** Whether a line ends with `{`: a block opens there even when Dovecot rejects its header. */
function endsWithOpenBrace(line: LineSpan): boolean {
  return line.end > line.start && codeAt(line, line.end - 1) === OPEN_BRACE;
}

function invalidLine(line: LineSpan, key: string, keyEnd: number): InvalidNode {
  return { kind: 'invalid', key, keyRange: line.rangeOf(line.start, keyEnd), range: line.range };
}

/**
 * The key of a line starting with `"` as Dovecot 2.4 reads it (config_parse_line@2.4.4): up to the next
 * `"` that no backslash escapes, or to the end of the line when none comes, then unescaped (config_str_unescape).
 */
function readQuotedKey(line: LineSpan): QuotedKey {
  const text = line.text;
  let close = line.start + 1;
  while (close < line.end) {
    const code = text.charCodeAt(close);
    if (code === BACKSLASH && close + 1 < line.end) close += 2;
    else if (code === QUOTE) break;
    else close++;
  }
  const written = text.slice(line.start + 1, close);
  const { value, error } = unescape24(written);
  const end = close < line.end ? close + 1 : line.end;
  return error === undefined ? { key: value, end } : { key: written, end, error };
}

/** How Dovecot 2.3 reads a line starting with `"`: its key runs to the first blank or `=`, the quote included. */
function reading23(
  line: LineSpan,
):
  | { kind: 'setting'; key: string; equalsAt: number }
  | { kind: 'section'; key: string }
  | { kind: 'error'; problem: SyntaxProblem } {
  const keyEnd = keyEndOf(line);
  const key = line.text.slice(line.start, keyEnd);
  const afterKey = skipWhite(line, keyEnd);
  if (codeAt(line, afterKey) === EQUALS) return { kind: 'setting', key, equalsAt: afterKey };
  const header = parseSectionHeader(line, key, afterKey);
  if (!isRejected(header)) return { kind: 'section', key };
  const problem = header.problems.find((candidate) => candidate.data?.dialect !== '2.4')!;
  return { kind: 'error', problem: withDialect(problem, undefined) };
}

/** The problem for one Dovecot version only, or (undefined) for both. */
function withDialect(problem: SyntaxProblem, dialect: '2.3' | '2.4' | undefined): SyntaxProblem {
  const { dialect: _dialect, ...data } = problem.data ?? {};
  if (dialect !== undefined) return { ...problem, data: { ...data, dialect } };
  const { data: _data, ...rest } = problem;
  return Object.keys(data).length > 0 ? { ...rest, data } : rest;
}

const sameProblem = (a: SyntaxProblem, b: SyntaxProblem): boolean =>
  a.code === b.code && a.message === b.message && sameRange(a.range, b.range);

/**
 * Parses one file into statements nested by the braces of that file. Never throws; every line that
 * Dovecot would reject becomes a problem and parsing goes on (doveconf stops at the first).
 */
export function parseConfig(text: string): ParsedFile {
  const problems: SyntaxProblem[] = [];
  const top: Statement[] = [];
  const stack: OpenSection[] = [];
  const current = (): Statement[] => (stack.length > 0 ? stack[stack.length - 1].statements : top);
  let skipped: SkippedSection | undefined;
  /**
   * Whether a line 2.4 can read was read yet: 2.4 passes over the root's unreadable lines before its first (a
   * rejected header, a quoted value with an unknown escape), 2.3 reads the latter.
   */
  let readOne = false;
  /** A block rejected before the first statement: read line by line, and brace-counted to its `}`. */
  let passing: { node: InvalidNode; count: SkippedSection } | undefined;
  const add = <T extends Statement>(statement: T): T => {
    current().push(statement);
    readOne ||= statement.kind !== 'invalid' && !(statement.kind === 'setting' && hasUnknownEscape24(statement));
    return statement;
  };

  /** Reads a line whose key ends at `keyEnd` into the statements (a `}` closes a section); returns the line's statement. */
  const readStatement = (
    line: LineSpan,
    key: string,
    keyEnd: number,
    afterKey: number,
    quoted?: QuotedKey,
  ): Statement | undefined => {
    if (key === '!include' || key === '!include_try') {
      return add<IncludeNode>({
        kind: 'include',
        optional: key === '!include_try',
        pattern: line.text.slice(afterKey, line.end),
        patternRange: line.rangeOf(afterKey, line.end),
        range: line.range,
      });
    }
    if (codeAt(line, afterKey) === EQUALS) {
      // An empty key is an error or not depending on the section (free-form plugin {} accepts it): the
      // schema checks decide (FACTS §1.2).
      return add(parseSetting(line, key, afterKey, quoted));
    }
    if (key === '}' && afterKey >= line.end) {
      const closing = stack.pop();
      if (closing) {
        closing.node.closeAt(line);
        closing.node.fitChildren();
      } else {
        top.push({ kind: 'close', range: line.range });
      }
      return undefined;
    }
    // `group` alone is a section header without `{` (2.4 cuts its last letter there, config_parse_line@2.4.4);
    // a quoted `"group"` keeps it and is a group header without a name.
    if (
      key === 'group' &&
      codeAt(line, afterKey) !== OPEN_BRACE &&
      (afterKey < line.end || (quoted !== undefined && line.text.charCodeAt(keyEnd - 1) === QUOTE))
    ) {
      const group = parseGroupHeader(line, afterKey, quoted);
      problems.push(...group.problems);
      if (!group.section) return add(invalidLine(line, key, keyEnd));
      stack.push({ node: add(group.section), statements: group.section.children });
      return group.section;
    }
    const header = parseSectionHeader(line, key, afterKey, quoted);
    if (isRejected(header)) {
      problems.push(...header.problems);
      // Dovecot stops at this line. Its block is skipped to the matching `}`: read against the outer section,
      // its lines and its `}` would each be an error that fixing the header removes.
      if (readOne && endsWithOpenBrace(line)) skipped = { depth: 1 };
      const invalid = add(invalidLine(line, header.key, keyEnd));
      if (!readOne && !passing && endsWithOpenBrace(line)) {
        const next = invalid.range.end.line + 1;
        invalid.passedOver = { first: next, last: next - 1 };
        passing = { node: invalid, count: { depth: 1 } };
      }
      return invalid;
    }
    add(header);
    if (stack.length >= MAX_SECTION_DEPTH) {
      header.bodySkipped = true;
      problems.push(tooDeepProblem(header));
      skipped = { node: header, depth: 1 };
      return header;
    }
    stack.push({ node: header, statements: header.children });
    return header;
  };

  /**
   * A line whose key is written in double quotes, read as Dovecot 2.4 reads it (config_parse_line@2.4.4).
   * 2.3 keeps the quote in the key, which ends at the first blank or `=` (config_parse_line@2.3.19): each
   * version's problem with the line is marked with its dialect (unmarked when both report the same), and
   * the key 2.3 reads is kept on the node when 2.3 reads the same kind of statement.
   */
  const readQuotedLine = (line: LineSpan): void => {
    const quoted = readQuotedKey(line);
    const as23 = reading23(line);
    const from = problems.length;
    let statement: Statement | undefined;
    if (quoted.error !== undefined) {
      problems.push({ code: 'unknown-escape', message: quoted.error, range: line.rangeOf(line.start, quoted.end) });
      statement = add(invalidLine(line, quoted.key, quoted.end));
    } else {
      const afterKey = skipWhite(line, quoted.end);
      if (as23.kind === (codeAt(line, afterKey) === EQUALS ? 'setting' : 'section')) quoted.key23 = as23.key;
      statement = readStatement(line, sharedKey(quoted.key), quoted.end, afterKey, quoted);
    }
    if (statement?.kind === 'invalid' && as23.kind === 'setting')
      statement.read23 = { kind: 'setting', key: as23.key, setting: parseSetting(line, as23.key, as23.equalsAt) };
    else if (statement?.kind === 'invalid' && as23.kind === 'section')
      statement.read23 = { kind: 'section', key: as23.key };
    let problem23 = as23.kind === 'error' ? as23.problem : undefined;
    for (const problem of problems.splice(from)) {
      if (problem.data?.dialect === '2.3') continue;
      const both = problem23 !== undefined && sameProblem(problem, problem23);
      if (both) problem23 = undefined;
      problems.push(withDialect(problem, both ? undefined : '2.4'));
    }
    if (problem23) problems.push(withDialect(problem23, '2.3'));
  };

  const scan = scanLines(text, (line) => {
    const keyEnd = keyEndOf(line);
    const key = sharedKeyIn(line.text, line.start, keyEnd);
    const afterKey = skipWhite(line, keyEnd);
    if (passing) {
      passing.node.passedOver!.last = line.range.end.line;
      if (skipLine(passing.count, line, key, afterKey)) passing = undefined;
    }
    if (skipped) {
      if (skipLine(skipped, line, key, afterKey)) skipped = undefined;
    } else if (codeAt(line, line.start) === QUOTE) {
      readQuotedLine(line);
    } else {
      readStatement(line, key, keyEnd, afterKey);
    }
  });
  if (skipped?.lastLine) skipped.node?.endAt(skipped.lastLine);
  for (const unclosed of stack) unclosed.node.fitChildren();
  const comments = scan.comments;
  return {
    statements: top,
    get comments() {
      return comments.nodes;
    },
    problems: scan.problems.length === 0 ? problems : [...scan.problems, ...problems],
    textLines: scan.textLines,
    eol: scan.eol,
  };
}
