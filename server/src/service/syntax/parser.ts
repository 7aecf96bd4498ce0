import { LogicalLine, SPACE, TAB, isWhite, scanLines } from './logicalLines';
import { ParsedSection, ParsedSetting, ParsedVariable, type NameSpan } from './parsedNodes';
import { sharedKey } from './keyTable';
import {
  FILTER_KINDS,
  MAX_SECTION_DEPTH,
  type FilterKind,
  type ParsedFile,
  type SectionNode,
  type SettingNode,
  type Statement,
  type SyntaxProblem,
  type SyntaxProblemCode,
  type ValueKind,
  type VariableToken,
} from './nodes';

/** Removes backslash escapes like Dovecot's str_unescape: each `\c` becomes `c`. */
export function unescapeDovecot(text: string): string {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '\\' && i + 1 < text.length) i++;
    out += text[i];
  }
  return out;
}

const EQUALS = 61;

/** Where the key of a line ends: at the first blank or `=`. */
function keyEndOf(text: string): number {
  let end = 0;
  for (let code = text.charCodeAt(0); end < text.length; code = text.charCodeAt(++end))
    if (code === SPACE || code === TAB || code === EQUALS) break;
  return end;
}

function skipWhite(text: string, at: number): number {
  while (isWhite(text[at])) at++;
  return at;
}

/** Shared by every setting without `$` tokens; never changed. */
const NO_VARIABLES: VariableToken[] = [];

function variableTokens(line: LogicalLine, valueStart: number, value: string): VariableToken[] {
  const tokens: VariableToken[] = [];
  const pattern = /(^|[ \t])\$([^ \t]*)/g;
  for (let match = pattern.exec(value); match; match = pattern.exec(value))
    tokens.push(new ParsedVariable(line, valueStart + match.index + match[1].length, match[2]));
  return tokens;
}

function parseSetting(line: LogicalLine, key: string, equalsAt: number): SettingNode {
  const text = line.text;
  let valueStart = skipWhite(text, equalsAt + 1);
  const rawValue = text.slice(valueStart);
  const setting = (value: string, valueKind: ValueKind, variables: VariableToken[] = NO_VARIABLES): SettingNode =>
    new ParsedSetting(line, key, rawValue, value, valueKind, valueStart, variables);
  const quote = rawValue[0];
  if (quote === '<') {
    valueStart = skipWhite(text, valueStart + 1);
    return setting(text.slice(valueStart), 'file');
  }
  if (quote !== '"' && quote !== "'" && rawValue.includes('$')) {
    const variables = variableTokens(line, valueStart, rawValue);
    if (variables.length > 0) return setting(rawValue, 'variables', variables);
  }
  if (rawValue.length > 0 && (quote === '"' || quote === "'") && rawValue.endsWith(quote))
    return setting(unescapeDovecot(rawValue.slice(1, rawValue.length === 1 ? 1 : -1)), 'quoted');
  return setting(rawValue, 'plain');
}

type HeaderResult = { ok: true; section: ParsedSection } | { ok: false; problem: SyntaxProblem; key: string };

function headerProblem(
  line: LogicalLine,
  key: string,
  message: string,
  code: SyntaxProblemCode,
  from: number,
): HeaderResult {
  return { ok: false, key, problem: { code, message, range: line.rangeOf(from, line.text.length) } };
}

/** Section header `type [name] {` with Dovecot's exact error conditions (FACTS §1.2). */
function parseSectionHeader(line: LogicalLine, key: string, afterKey: number): HeaderResult {
  const text = line.text;
  let at = afterKey;
  let name = '';
  let nameQuoted = false;
  let nameSpan: NameSpan | undefined;
  if (text[at] !== '{') {
    if (text[at] === '"') {
      const nameStart = at + 1;
      let end = nameStart;
      while (end < text.length && text[end] !== '"') end++;
      if (end >= text.length) return headerProblem(line, key, "Expecting '{'", 'expecting-brace', 0);
      name = unescapeDovecot(text.slice(nameStart, end));
      nameQuoted = true;
      nameSpan = { start: at, end: end + 1 };
      at = skipWhite(text, end + 1);
    } else {
      const nameStart = at;
      while (at < text.length && !isWhite(text[at])) at++;
      name = text.slice(nameStart, at);
      nameSpan = { start: nameStart, end: at };
      at = skipWhite(text, at);
    }
    if (text[at] !== '{') return headerProblem(line, key, "Expecting '{'", 'expecting-brace', 0);
  }
  if (at + 1 < text.length) return headerProblem(line, key, "Garbage after '{'", 'garbage-after-brace', at + 1);
  const section = new ParsedSection(line, key, name, nameQuoted, nameSpan, at + 1);
  if (FILTER_KINDS.has(key)) section.filter = key as FilterKind;
  return { ok: true, section };
}

/**
 * `group @label name {` is a Dovecot 2.4 include-group header (config_parse_line@2.4.4); 2.3 reads it
 * as a section with a name followed by garbage, `Expecting '{'`. The node is kept for 2.4 and each
 * version's problem is marked with its dialect.
 */
function parseGroupHeader(line: LogicalLine, afterKey: number): { section?: ParsedSection; problems: SyntaxProblem[] } {
  const text = line.text;
  const whole = line.rangeOf(0, text.length);
  const only = (
    dialect: '2.3' | '2.4',
    message: string,
    code: SyntaxProblemCode = 'expecting-brace',
  ): SyntaxProblem => ({ code, message, range: whole, data: { dialect } });
  const labelEnd = text.slice(afterKey).search(/[ \t]|$/) + afterKey;
  if (labelEnd >= text.length) return { problems: [only('2.3', "Expecting '{'"), only('2.4', 'Expecting group name')] };
  const nameStart = skipWhite(text, labelEnd);
  const nameEnd = text.slice(nameStart).search(/[ \t]|$/) + nameStart;
  const brace = skipWhite(text, nameEnd);
  const problems23 = [only('2.3', "Expecting '{'")];
  if (nameEnd >= text.length || text[brace] !== '{') return { problems: [...problems23, only('2.4', "Expecting '{'")] };
  if (brace + 1 < text.length)
    return { problems: [...problems23, only('2.4', "Garbage after '{'", 'garbage-after-brace')] };
  const section = new ParsedSection(
    line,
    'group',
    text.slice(nameStart, nameEnd),
    false,
    { start: nameStart, end: nameEnd },
    brace + 1,
  );
  section.groupLabel = text.slice(afterKey, labelEnd);
  return { problems: problems23, section };
}

interface OpenSection {
  node: ParsedSection;
  statements: Statement[];
}

/** A section nested too deep: its lines are only brace-counted until its `}`. */
interface SkippedSection {
  node: ParsedSection;
  depth: number;
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
function skipLine(skipped: SkippedSection, line: LogicalLine, key: string, afterKey: number): boolean {
  skipped.lastLine = line;
  if (key === '}' && afterKey >= line.text.length) {
    if (--skipped.depth > 0) return false;
    skipped.node.closeAt(line);
    return true;
  }
  if (
    key !== '!include' &&
    key !== '!include_try' &&
    line.text[afterKey] !== '=' &&
    parseSectionHeader(line, key, afterKey).ok
  )
    skipped.depth++;
  return false;
}

/**
 * Parses one file into statements nested by the braces of that file. Never throws; every line that
 * Dovecot would reject becomes a problem and parsing goes on (doveconf stops at the first).
 */
export function parseConfig(text: string): ParsedFile {
  const scan = scanLines(text);
  const problems: SyntaxProblem[] = [...scan.problems];
  const top: Statement[] = [];
  const stack: OpenSection[] = [];
  const current = (): Statement[] => (stack.length > 0 ? stack[stack.length - 1].statements : top);
  let skipped: SkippedSection | undefined;

  for (const line of scan.lines) {
    const text = line.text;
    const keyEnd = keyEndOf(text);
    const key = sharedKey(text.slice(0, keyEnd));
    const afterKey = skipWhite(text, keyEnd);
    if (skipped) {
      if (skipLine(skipped, line, key, afterKey)) skipped = undefined;
      continue;
    }

    if (key === '!include' || key === '!include_try') {
      current().push({
        kind: 'include',
        optional: key === '!include_try',
        pattern: text.slice(afterKey),
        patternRange: line.rangeOf(afterKey, text.length),
        range: line.range,
      });
      continue;
    }
    if (text[afterKey] === '=') {
      // An empty key is an error or not depending on the section (free-form plugin {} accepts it): the
      // schema checks decide (FACTS §1.2).
      current().push(parseSetting(line, key, afterKey));
      continue;
    }
    if (key === '}' && afterKey >= text.length) {
      const closing = stack.pop();
      if (closing) {
        closing.node.closeAt(line);
        closing.node.fitChildren();
      } else {
        top.push({ kind: 'close', range: line.range });
      }
      continue;
    }
    if (key === 'group' && afterKey < text.length && text[afterKey] !== '{') {
      const group = parseGroupHeader(line, afterKey);
      problems.push(...group.problems);
      if (!group.section) {
        current().push({ kind: 'invalid', key, keyRange: line.rangeOf(0, key.length), range: line.range });
        continue;
      }
      current().push(group.section);
      stack.push({ node: group.section, statements: group.section.children });
      continue;
    }
    const header = parseSectionHeader(line, key, afterKey);
    if (!header.ok) {
      problems.push(header.problem);
      current().push({ kind: 'invalid', key: header.key, keyRange: line.rangeOf(0, key.length), range: line.range });
      continue;
    }
    current().push(header.section);
    if (stack.length >= MAX_SECTION_DEPTH) {
      header.section.bodySkipped = true;
      problems.push(tooDeepProblem(header.section));
      skipped = { node: header.section, depth: 1 };
      continue;
    }
    stack.push({ node: header.section, statements: header.section.children });
  }
  if (skipped?.lastLine) skipped.node.endAt(skipped.lastLine);
  for (const unclosed of stack) unclosed.node.fitChildren();
  return { statements: top, comments: scan.comments, problems, textLines: scan.textLines, eol: scan.eol };
}
