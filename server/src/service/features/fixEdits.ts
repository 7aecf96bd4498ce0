import type { Range, TextEdit } from 'vscode-languageserver-types';
import type { MergedSection } from '../model/effective';
import type { ConfigModel, Placed } from '../model/model';
import type { SectionNode, SettingNode, Statement } from '../syntax/nodes';
import { commentStart } from '../syntax/logicalLines';
import { TextLines } from '../syntax/textLines';
import type { FileEdits, PlannedFix, QuickFix } from './quickFix';

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
  return parts(text)
    .map((part) => {
      if (typeof part === 'string') return snippet ? escapeSnippet(part) : part;
      return snippet ? `\${${++index}:${escapeSnippet(part.value, true)}}` : part.value;
    })
    .join('');
}

/** A quick fix from planned edits, rendered when a client asks for it (renderFix). */
export function makeFix(title: string, edits: PlannedEdit[], isPreferred = false): PlannedFix {
  return { title, planned: edits, ...(isPreferred ? { isPreferred } : {}) };
}

/** The edits by file: placeholders as `${n:value}` when `snippet`, else their values as plain text. */
export function renderEdits(edits: PlannedEdit[], snippet: boolean): FileEdits {
  const byFile: Record<string, TextEdit[]> = {};
  for (const edit of edits) (byFile[edit.file] ??= []).push({ range: edit.range, newText: render(edit.text, snippet) });
  return byFile;
}

/** A planned fix for a client: a snippet only when any edit holds a placeholder and the client takes snippet edits. */
export function renderFix(fix: PlannedFix, snippetEdits: boolean): QuickFix {
  const snippet = snippetEdits && fix.planned.some((edit) => parts(edit.text).some((part) => typeof part !== 'string'));
  const { title, isPreferred } = fix;
  return {
    title,
    edits: renderEdits(fix.planned, snippet),
    ...(isPreferred ? { isPreferred } : {}),
    ...(snippet ? { snippet } : {}),
  };
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

  /** The file's positions, lines counted as the LSP counts them (a lone `\r` ends a line too). */
  textLines(file: string): TextLines {
    const parsed = this.model.files.get(file)?.parsed.textLines;
    // A template is parsed from a masked copy with the same line breaks: edits are on the real text.
    return parsed?.text === this.text(file) ? parsed : new TextLines(this.text(file));
  }

  /** The texts of the file's lines as the LSP counts them, without line breaks. */
  lines(file: string): string[] {
    const textLines = this.textLines(file);
    return Array.from({ length: textLines.lineCount }, (_, line) => textLines.lineText(line));
  }

  indentOf(file: string, line: number): string {
    return /^[ \t]*/.exec(this.textLines(file).lineText(line))?.[0] ?? '';
  }

  /**
   * Lines inserted before `line` (or at the end of the file), each followed by the file's line end.
   * When `line` starts after a lone `\r` (inside one of Dovecot's lines), they go after that Dovecot line.
   */
  insertLines(file: string, line: number, lines: Text[], indent = ''): PlannedEdit {
    const textLines = this.textLines(file);
    const text = textLines.text;
    const eol = this.eol(file);
    const body: Part[] = [];
    for (const lineText of lines) {
      const p = parts(lineText);
      body.push(...(p.length > 0 && !(p.length === 1 && p[0] === '') ? [indent, ...p] : []), eol);
    }
    let at = line < textLines.lineCount ? textLines.lineStart(line) : text.length;
    if (at > 0 && text[at - 1] !== '\n') at = textLines.dovecotLineBreakEnd(at);
    const range = pointAt(textLines, at);
    if (at === text.length && text !== '' && !text.endsWith('\n')) {
      // The last line has no line end: end it first (after a final `\r`, a `\n` completes a CRLF).
      const lineEnd = text.endsWith('\r') ? '\n' : eol;
      return { file, range, text: [lineEnd, ...(continuesAtEnd(text) ? [eol] : []), ...body.slice(0, -1)] };
    }
    // After a last line that ends in `\`, which Dovecot drops at the end of the file, a blank line keeps it
    // dropped instead of joining it to the first inserted line.
    return { file, range, text: at === text.length && continuesAtEnd(text) ? [eol, ...body] : body };
  }

  /** Deletes the whole Dovecot lines that hold the lines [first, last], with their line ends. */
  deleteLines(file: string, first: number, last = first): PlannedEdit {
    const textLines = this.textLines(file);
    const text = textLines.text;
    let start = textLines.dovecotLineStart(textLines.lineStart(first));
    const end = textLines.dovecotLineBreakEnd(textLines.lineStart(last));
    if (end === text.length && !text.endsWith('\n') && start > 0) {
      // The last line has no line end: take the one before it instead.
      start -= text.startsWith('\r\n', start - 2) ? 2 : 1;
    }
    return { file, range: textLines.rangeOf(start, end), text: '' };
  }

  /** The one-indent step used by the file ('  ' when it has no indented line). */
  indentUnit(file: string): string {
    const indented = this.lines(file)
      .map((line) => /^([ \t]+)\S/.exec(line)?.[1])
      .filter((indent): indent is string => indent !== undefined);
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
      const lineText = this.textLines(entry.file).lineText(range.start.line);
      const lt = lineText.lastIndexOf('<', range.start.character);
      if (lt >= 0) range = { start: { line: range.start.line, character: lt }, end: range.end };
    }
    const needsSpace =
      node.rawValue === '' && this.textLines(entry.file).lineText(range.start.line)[range.start.character - 1] === '=';
    return { file: entry.file, range, text: needsSpace ? [' ', ...parts(value)] : value };
  }

  /**
   * Words appended to the value of `key = value`: before the closing quote of a quoted value, on the
   * last line of a `\` continuation, before a trailing comment; nothing else of the line changes.
   */
  appendToValue(entry: Placed<SettingNode>, words: string[]): PlannedEdit {
    const node = entry.node;
    const end =
      node.valueKind === 'quoted'
        ? { line: node.valueRange.end.line, character: node.valueRange.end.character - 1 }
        : node.valueRange.end;
    const prefix = node.value.trim() === '' ? (node.rawValue === '' ? ' ' : '') : ' ';
    return { file: entry.file, range: { start: end, end }, text: prefix + words.join(' ') };
  }

  /** The top-level statement of its own file that contains a line of that file. */
  topStatementAt(file: string, line: number): Statement | undefined {
    return this.model.files
      .get(file)
      ?.parsed.statements.find((statement) => statement.range.start.line <= line && statement.range.end.line >= line);
  }

  /** Whether a file is read at the top level (not included inside a section). */
  isTopLevelFile(file: string): boolean {
    return (this.model.files.get(file)?.entryFrames.length ?? 1) === 0;
  }
}

/** Whether the text's last Dovecot line ends in a `\` continuation (after its comment and blanks). */
function continuesAtEnd(text: string): boolean {
  const end = text.endsWith('\n') ? text.length - 1 : text.length;
  const start = text.lastIndexOf('\n', end - 1) + 1;
  const hash = commentStart(text, start, end);
  const line = text
    .slice(start, hash < 0 ? end : hash)
    .replace(/\r$/, '')
    .replace(/[ \t]+$/, '');
  return line.endsWith('\\');
}

function pointAt(textLines: TextLines, offset: number): Range {
  const position = textLines.positionAt(offset);
  return { start: position, end: position };
}

function shrink(range: Range): Range {
  const start = { line: range.start.line, character: range.start.character + 1 };
  const endCharacter =
    range.end.line === start.line
      ? Math.max(range.end.character - 1, start.character)
      : Math.max(range.end.character - 1, 0);
  return { start, end: { line: range.end.line, character: endCharacter } };
}

export function within(inner: Range, outer: Range): boolean {
  const before = (a: Range['start'], b: Range['start']) =>
    a.line < b.line || (a.line === b.line && a.character <= b.character);
  return before(outer.start, inner.start) && before(inner.end, outer.end);
}

export function settingAt(model: ConfigModel, file: string, range: Range): Placed<SettingNode> | undefined {
  return model.settings.find((entry) => entry.file === file && within(range, entry.node.range));
}

export function sectionAt(model: ConfigModel, file: string, range: Range): Placed<SectionNode> | undefined {
  return model.sections.find((placed) => placed.file === file && within(range, placed.node.headerRange));
}
