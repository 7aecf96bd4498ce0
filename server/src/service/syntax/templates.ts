import type { ParsedFile, Statement, TemplateMarks } from './nodes';
import { parseConfig } from './parser';
import { TextLines } from './textLines';

/** File name endings of Jinja2 and Go template files. */
export const TEMPLATE_SUFFIXES = ['.j2', '.jinja', '.jinja2', '.tmpl', '.tpl'] as const;

interface Span {
  start: number;
  end: number;
}

interface TemplateScan {
  /** The text with template parts replaced: expressions by `_` runs, statements and comments by blanks. */
  masked: string;
  /** Offsets of the expressions left in place as `_` runs. */
  expressions: Span[];
  /** 0-based lines inside a conditional or loop body. */
  conditionalLines: Set<number>;
}

const TAG = /\{\{|\{%|\{#/g;
const CLOSERS: Record<string, string> = { '{{': '}}', '{%': '%}', '{#': '#}' };
const OPENING_BLOCK = /^[-+]?\s*(if|for|macro|call|filter|with|block|range)\b/;
const CLOSING_BLOCK = /^[-+]?\s*(end\w*)\b/;
const GO_COMMENT = /^[-\s]*\/\*/;

/** Whether a file is a template: by its name, or because its text holds template tags. */
export function isTemplateFile(filePath: string, text: string, extraSuffixes: readonly string[] = []): boolean {
  return [...TEMPLATE_SUFFIXES, ...extraSuffixes].some((suffix) => filePath.endsWith(suffix)) || hasTemplateTag(text);
}

/** `{{`, `{%` or `{#` anywhere in the text (found with indexOf: a regular expression is slower on large files). */
export function hasTemplateTag(text: string): boolean {
  for (let at = text.indexOf('{'); at >= 0; at = text.indexOf('{', at + 1)) {
    const next = text[at + 1];
    if (next === '{' || next === '%' || next === '#') return true;
  }
  return false;
}

/** The file name a template renders to: `10-mail.conf.j2` -> `10-mail.conf`. */
export function renderedName(fileName: string, suffixes: readonly string[] = TEMPLATE_SUFFIXES): string {
  const suffix = suffixes.find((s) => fileName.endsWith(s));
  return suffix ? fileName.slice(0, -suffix.length) : fileName;
}

const blank = (text: string): string => text.replace(/[^\r\n]/g, ' ');
type Position = { line: number; character: number };
type RangeLike = { start: Position; end: Position };

/** Whether nothing but blanks stands between the line's start and `start`, and between `end` and the line's end. */
function standsAlone(text: string, start: number, end: number): boolean {
  let before = start - 1;
  while (before >= 0 && (text[before] === ' ' || text[before] === '\t')) before--;
  let after = end;
  while (after < text.length && (text[after] === ' ' || text[after] === '\t')) after++;
  return (
    (before < 0 || text[before] === '\n' || text[before] === '\r') &&
    (after >= text.length || text[after] === '\n' || text[after] === '\r')
  );
}

/**
 * Replaces Jinja2/Go template parts by text the Dovecot parser reads harmlessly, keeping every offset
 * and line break: an expression inside a line becomes a `_` run (an unknown word), a tag alone on its
 * line, a statement or a comment becomes blanks. Both branches of a condition are kept.
 */
export function scanTemplates(text: string): TemplateScan {
  const parts: string[] = [];
  const expressions: Span[] = [];
  const conditionalSpans: Span[] = [];
  const openBlocks: number[] = [];
  let copied = 0;
  for (TAG.lastIndex = 0; ;) {
    const open = TAG.exec(text);
    if (!open) break;
    const closer = CLOSERS[open[0]];
    const closeAt = text.indexOf(closer, open.index + 2);
    const end = closeAt < 0 ? text.length : closeAt + closer.length;
    const inner = text.slice(open.index + 2, closeAt < 0 ? text.length : closeAt);
    const isStatement =
      open[0] === '{%' ||
      (open[0] === '{{' && (OPENING_BLOCK.test(inner) || CLOSING_BLOCK.test(inner) || /^[-\s]*else\b/.test(inner)));
    const isComment = open[0] === '{#' || (open[0] === '{{' && GO_COMMENT.test(inner));
    parts.push(text.slice(copied, open.index));
    if (isComment || isStatement || standsAlone(text, open.index, end)) {
      parts.push(blank(text.slice(open.index, end)));
    } else {
      parts.push(text.slice(open.index, end).replace(/[^\r\n]/g, '_'));
      expressions.push({ start: open.index, end });
    }
    if (isStatement && OPENING_BLOCK.test(inner)) openBlocks.push(end);
    else if (isStatement && CLOSING_BLOCK.test(inner) && openBlocks.length > 0)
      conditionalSpans.push({ start: openBlocks.pop() ?? 0, end: open.index });
    copied = end;
    TAG.lastIndex = end;
  }
  parts.push(text.slice(copied));
  const masked = parts.join('');
  for (const start of openBlocks) conditionalSpans.push({ start, end: text.length });
  return { masked, expressions, conditionalLines: linesOf(masked, conditionalSpans) };
}

function linesOf(text: string, spans: Span[]): Set<number> {
  const lines = new TextLines(text);
  const lineAt = (offset: number): number => lines.positionAt(offset).line;
  const found = new Set<number>();
  for (const span of spans)
    for (let line = lineAt(span.start); line <= lineAt(Math.max(span.start, span.end)); line++) found.add(line);
  return found;
}

/** Parses a template as Dovecot configuration, each statement marked with what its template parts make unknown. */
export function parseTemplate(text: string): ParsedFile {
  const scan = scanTemplates(text);
  const parsed = parseConfig(scan.masked);
  const lines = new TextLines(text);
  const offsetOf = (position: Position): number => lines.offsetAt(position);
  const positionOf = (offset: number): Position => lines.positionAt(offset);
  const touches = (range: RangeLike | undefined): boolean => {
    if (!range) return false;
    const start = offsetOf(range.start);
    const end = offsetOf(range.end);
    return scan.expressions.some((span) => span.start < end && start < span.end);
  };
  const pending: Statement[] = [...parsed.statements];
  while (pending.length > 0) {
    const statement = pending.pop() as Statement;
    const marks: TemplateMarks = {};
    if (scan.conditionalLines.has(statement.range.start.line)) marks.conditional = true;
    if (statement.kind === 'setting' || statement.kind === 'invalid') {
      if (touches(statement.keyRange)) marks.key = true;
      if (statement.kind === 'setting' && touches(statement.valueRange)) marks.value = true;
    } else if (statement.kind === 'section') {
      if (touches(statement.typeRange)) marks.key = true;
      if (touches(statement.nameRange)) marks.value = true;
      pending.push(...statement.children);
    } else if (statement.kind === 'include' && touches(statement.patternRange)) {
      marks.value = true;
    }
    if (Object.keys(marks).length > 0 && statement.kind !== 'close') statement.template = marks;
    if (statement.kind === 'invalid' && statement.read23?.kind === 'setting') pending.push(statement.read23.setting);
  }
  parsed.templateExpressions = scan.expressions.map((span) => ({
    start: positionOf(span.start),
    end: positionOf(span.end),
  }));
  return parsed;
}
