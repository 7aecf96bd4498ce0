// Typing changes one line at a time. When an edit stays inside one line that holds a setting before and
// after it (no comment, no `\` continuation, no template), the file's parse is the previous one with that
// setting replaced: the other nodes keep their positions, which the edit does not move. Completion and
// hover right after an edit use it; the debounced validation parses the file whole.
import type { Range } from 'vscode-languageserver-types';
import type { ParsedFile, SettingNode, Statement } from './nodes';
import { sectionCopy } from './parsedNodes';
import { parseConfig } from './parser';
import { hasTemplateTag } from './templates';
import { TextLines } from './textLines';

/**
 * How many characters two texts share at their start (`fromEnd`: at their end). Blocks of doubling, then
 * halving, size are compared as strings (V8 compares them as memory), the last few a character at a time.
 */
function sharedLength(a: string, b: string, limit: number, fromEnd: boolean): number {
  const block = (text: string, at: number, size: number): string =>
    fromEnd ? text.slice(text.length - at - size, text.length - at) : text.slice(at, at + size);
  let shared = 0;
  let size = 64;
  let growing = true;
  while (size >= 8) {
    if (shared + size <= limit && block(a, shared, size) === block(b, shared, size)) {
      shared += size;
      if (growing) size *= 2;
    } else {
      growing = false;
      size >>= 1;
    }
  }
  const charAt = (text: string, at: number): number =>
    fromEnd ? text.charCodeAt(text.length - 1 - at) : text.charCodeAt(at);
  while (shared < limit && charAt(a, shared) === charAt(b, shared)) shared++;
  return shared;
}

/** Where the texts differ: the same start in both, the end in each. */
function changedSpan(before: string, after: string): { start: number; endBefore: number; endAfter: number } {
  const shorter = Math.min(before.length, after.length);
  const start = sharedLength(before, after, shorter, false);
  const tail = sharedLength(before, after, shorter - start, true);
  return { start, endBefore: before.length - tail, endAfter: after.length - tail };
}

const hasLineBreak = (text: string): boolean => text.includes('\n') || text.includes('\r');

/** The line of `text` around `offset` without its line break, and where it starts. */
function lineAround(text: string, offset: number): { start: number; text: string } {
  const start = text.lastIndexOf('\n', offset - 1) + 1;
  const newline = text.indexOf('\n', offset);
  const end = newline < 0 ? text.length : newline;
  return { start, text: text.slice(start, end > start && text[end - 1] === '\r' ? end - 1 : end) };
}

/** The setting of a line that is one setting and nothing else Dovecot's reader treats specially, parsed alone. */
function plainSettingOf(line: string): SettingNode | undefined {
  if (line.includes('#') || /\\[ \t]*$/.test(line) || hasTemplateTag(line)) return undefined;
  const parsed = parseConfig(line);
  const [statement] = parsed.statements;
  return parsed.problems.length === 0 && parsed.statements.length === 1 && statement.kind === 'setting'
    ? statement
    : undefined;
}

/** A setting parsed alone, as it reads on line `line` of its file (a setting line is read the same anywhere). */
function movedToLine(setting: SettingNode, line: number): SettingNode {
  const move = ({ start, end }: Range): Range => ({
    start: { line: start.line + line, character: start.character },
    end: { line: end.line + line, character: end.character },
  });
  return {
    kind: 'setting',
    key: setting.key,
    keyRange: move(setting.keyRange),
    rawValue: setting.rawValue,
    value: setting.value,
    valueKind: setting.valueKind,
    valueRange: move(setting.valueRange),
    variables: setting.variables.map((variable) => ({ name: variable.name, range: move(variable.range) })),
    range: move(setting.range),
    ...(setting.keyQuoted ? { keyQuoted: true, key23: setting.key23 } : {}),
  };
}

/** The statements of one level with the setting on `line` replaced, and that setting; undefined when no setting is there. */
function replaceOnLine(
  statements: readonly Statement[],
  line: number,
  node: SettingNode,
): { statements: Statement[]; replaced: SettingNode } | undefined {
  let low = 0;
  let high = statements.length - 1;
  while (low < high) {
    const middle = (low + high + 1) >> 1;
    if (statements[middle].range.start.line > line) high = middle - 1;
    else low = middle;
  }
  const found = statements[low];
  if (!found || found.range.start.line > line || found.range.end.line < line) return undefined;
  if (found.kind === 'setting') {
    if (found.range.start.line !== line || found.range.end.line !== line) return undefined;
    return { statements: statements.map((statement) => (statement === found ? node : statement)), replaced: found };
  }
  if (found.kind !== 'section' || found.headerRange.end.line >= line) return undefined;
  const inner = replaceOnLine(found.children, line, node);
  if (!inner) return undefined;
  const copy = sectionCopy(found, { children: inner.statements });
  return {
    statements: statements.map((statement) => (statement === found ? copy : statement)),
    replaced: inner.replaced,
  };
}

/** A file's parse after an edit of one setting line: the setting as it read before, and as it reads now. */
export interface LineReparse {
  parsed: ParsedFile;
  before: SettingNode;
  after: SettingNode;
}

/** The parse of `text` from the parse of `previous`, when the edit between them is one setting line's; else undefined. */
export function reparseEditedLine(
  previous: { text: string; parsed: ParsedFile },
  text: string,
): LineReparse | undefined {
  const { parsed } = previous;
  if (parsed.templateExpressions !== undefined) return undefined;
  const span = changedSpan(previous.text, text);
  if (
    hasLineBreak(previous.text.slice(span.start, span.endBefore)) ||
    hasLineBreak(text.slice(span.start, span.endAfter))
  )
    return undefined;
  const before = lineAround(previous.text, span.start);
  const after = lineAround(text, span.start);
  // A lone `\r` ends a line for the LSP, not for Dovecot: such a line is parsed with the file.
  if (before.text.includes('\r') || after.text.includes('\r')) return undefined;
  const above = lineAround(previous.text, Math.max(0, before.start - 1));
  if (before.start > 0 && /\\[ \t]*$/.test(above.text)) return undefined;
  const setting = plainSettingOf(after.text);
  if (!setting || !plainSettingOf(before.text)) return undefined;
  const line = parsed.textLines.positionAt(before.start).line;
  if (parsed.problems.some((problem) => problem.range.start.line <= line && line <= problem.range.end.line))
    return undefined;
  const node = movedToLine(setting, line);
  const replaced = replaceOnLine(parsed.statements, line, node);
  if (!replaced) return undefined;
  return {
    parsed: {
      ...parsed,
      statements: replaced.statements,
      textLines: TextLines.afterLineEdit(parsed.textLines, text, line),
    },
    before: replaced.replaced,
    after: node,
  };
}
