import type { Range, TextEdit } from 'vscode-languageserver-types';
import type { MergedSection } from '../model/effective';
import type { ConfigModel, Placed } from '../model/model';
import type { SectionNode, SettingNode, Statement } from '../syntax/nodes';
import type { QuickFix } from './quickFix';

/** Text of an edit: literal strings and placeholders (`{ value }` becomes `${n:value}` in a snippet). */
export type Part = string | { value: string };
export type Text = Part | Part[];

export interface PlannedEdit {
  file: string;
  range: Range;
  text: Text;
}

export const ph = (value: string): Part => ({ value });

function parts(text: Text): Part[] {
  return Array.isArray(text) ? text : [text];
}

/** Snippet escaping: `$` and `\` everywhere, `}` only inside a placeholder. */
function escapeSnippet(text: string, inPlaceholder = false): string {
  return text.replace(inPlaceholder ? /[\\$}]/g : /[\\$]/g, (char) => `\\${char}`);
}

function render(text: Text, snippet: boolean): string {
  let index = 0;
  return parts(text).map((part) => {
    if (typeof part === 'string') return snippet ? escapeSnippet(part) : part;
    return snippet ? `\${${++index}:${escapeSnippet(part.value, true)}}` : part.value;
  }).join('');
}

/** A quick fix from planned edits; it is a snippet when any edit holds a placeholder. */
export function makeFix(title: string, edits: PlannedEdit[], isPreferred = false): QuickFix {
  const snippet = edits.some((edit) => parts(edit.text).some((part) => typeof part !== 'string'));
  const byFile: Record<string, TextEdit[]> = {};
  for (const edit of edits) (byFile[edit.file] ??= []).push({ range: edit.range, newText: render(edit.text, snippet) });
  return { title, edits: byFile, ...(isPreferred ? { isPreferred } : {}), ...(snippet ? { snippet } : {}) };
}

/** Edits over one configuration tree: where its files' lines are, their line ends and indentation. */
export class TreeEditor {
  constructor(private readonly model: ConfigModel) {}

  text(file: string): string {
    return this.model.files.get(file)?.text ?? '';
  }

  eol(file: string): string {
    return this.model.files.get(file)?.parsed.eol ?? '\n';
  }

  lines(file: string): string[] {
    return this.text(file).split(/\r?\n/);
  }

  indentOf(file: string, line: number): string {
    return /^[ \t]*/.exec(this.lines(file)[line] ?? '')?.[0] ?? '';
  }

  /** Lines inserted before `line` (or at the end of the file), each followed by the file's line end. */
  insertLines(file: string, line: number, lines: Text[], indent = ''): PlannedEdit {
    const eol = this.eol(file);
    const all = this.lines(file);
    const endsWithEol = /\n$/.test(this.text(file));
    const lastLine = endsWithEol ? all.length - 1 : all.length;
    const body: Part[] = [];
    for (const text of lines) {
      const p = parts(text);
      body.push(...(p.length > 0 && !(p.length === 1 && p[0] === '') ? [indent, ...p] : []), eol);
    }
    if (line >= lastLine) {
      if (endsWithEol || this.text(file) === '') return { file, range: point(lastLine, 0), text: body };
      const end = all.length - 1;
      return { file, range: point(end, all[end].length), text: [eol, ...body.slice(0, -1)] };
    }
    return { file, range: point(line, 0), text: body };
  }

  /** Deletes whole lines [first, last]. */
  deleteLines(file: string, first: number, last = first): PlannedEdit {
    const all = this.lines(file);
    if (last + 1 < all.length) return { file, range: { start: { line: first, character: 0 }, end: { line: last + 1, character: 0 } }, text: '' };
    const start = first > 0 ? { line: first - 1, character: all[first - 1].length } : { line: first, character: 0 };
    return { file, range: { start, end: { line: last, character: all[last].length } }, text: '' };
  }

  /** The one-indent step used by the file ('  ' when it has no indented line). */
  indentUnit(file: string): string {
    const indented = this.lines(file).map((line) => /^([ \t]+)\S/.exec(line)?.[1]).filter((indent): indent is string => indent !== undefined);
    return indented.length > 0 ? indented.reduce((a, b) => (b.length < a.length ? b : a)) : '  ';
  }

  /** Lines inserted at the end of a merged section, inside its last block that closes in its own file. */
  insertIntoSection(section: MergedSection, lines: Text[]): PlannedEdit | undefined {
    const block = [...section.occurrences].reverse().find((occurrence) => occurrence.node.closeRange);
    if (!block) return undefined;
    const indent = this.indentOf(block.file, block.node.headerRange.start.line) + this.indentUnit(block.file);
    return this.insertLines(block.file, block.node.closeRange!.start.line, lines, indent);
  }

  /** Replaces the value of `key = value`; keeps surrounding quotes; `key =` gets a space first. */
  replaceValue(entry: Placed<SettingNode>, value: Text): PlannedEdit {
    const node = entry.node;
    const quoted = node.valueKind === 'quoted';
    let range = quoted ? shrink(node.valueRange) : node.valueRange;
    if (node.valueKind === 'file') {
      // Replace the `<` too: the new value is inline text.
      const lineText = this.lines(entry.file)[range.start.line] ?? '';
      const lt = lineText.lastIndexOf('<', range.start.character);
      if (lt >= 0) range = { start: { line: range.start.line, character: lt }, end: range.end };
    }
    const needsSpace = node.rawValue === '' && (this.lines(entry.file)[range.start.line] ?? '')[range.start.character - 1] === '=';
    return { file: entry.file, range, text: needsSpace ? [' ', ...parts(value)] : value };
  }

  /** The top-level statement of its own file that contains a line of that file. */
  topStatementAt(file: string, line: number): Statement | undefined {
    return this.model.files.get(file)?.parsed.statements.find((statement) => statement.range.start.line <= line && statement.range.end.line >= line);
  }

  /** Whether a file is read at the top level (not included inside a section). */
  isTopLevelFile(file: string): boolean {
    return (this.model.files.get(file)?.entryFrames.length ?? 1) === 0;
  }
}

export function point(line: number, character: number): Range {
  return { start: { line, character }, end: { line, character } };
}

function shrink(range: Range): Range {
  return { start: { line: range.start.line, character: range.start.character + 1 }, end: { line: range.end.line, character: Math.max(range.end.character - 1, range.start.character + 1) } };
}

export function sameRange(a: Range, b: Range): boolean {
  return a.start.line === b.start.line && a.start.character === b.start.character && a.end.line === b.end.line && a.end.character === b.end.character;
}

export function within(inner: Range, outer: Range): boolean {
  const before = (a: Range['start'], b: Range['start']) => a.line < b.line || (a.line === b.line && a.character <= b.character);
  return before(outer.start, inner.start) && before(inner.end, outer.end);
}

export function settingAt(model: ConfigModel, file: string, range: Range): Placed<SettingNode> | undefined {
  return model.settings.find((entry) => entry.file === file && (within(range, entry.node.range)));
}

export function sectionAt(model: ConfigModel, file: string, range: Range): Placed<SectionNode> | undefined {
  return model.sections.find((placed) => placed.file === file && within(range, placed.node.headerRange));
}
