import type { Position, Range } from 'vscode-languageserver-types';
import { TextDocument } from 'vscode-languageserver-textdocument';

// Two notions of "line" meet in one file. The LSP (and every editor) ends a line at `\r\n`, `\n` or a
// lone `\r`; every Position we send counts lines that way. Dovecot's parser ends a line only at `\n`
// and strips one `\r` before it (i_stream_next_line_finish), so a lone `\r` is part of a value:
// `a = x\ry` sets a to "x\ry". We parse Dovecot's lines and convert every offset with this class.

/** Positions and line texts of one text, with lines counted as the LSP counts them. */
export class TextLines {
  private readonly document: TextDocument;

  constructor(readonly text: string) {
    this.document = TextDocument.create('', '', 0, text);
  }

  get lineCount(): number {
    return this.document.lineCount;
  }

  positionAt(offset: number): Position {
    return this.document.positionAt(offset);
  }

  /** Offset of a position; a character past the end of its line is clamped to the line's end. */
  offsetAt(position: Position): number {
    const line = Math.min(Math.max(position.line, 0), this.lineCount - 1);
    return this.lineStart(line) + Math.min(Math.max(position.character, 0), this.lineEnd(line) - this.lineStart(line));
  }

  rangeOf(start: number, end: number): Range {
    return { start: this.positionAt(start), end: this.positionAt(end) };
  }

  lineStart(line: number): number {
    return this.document.offsetAt({ line, character: 0 });
  }

  /** Offset of the end of the line's text, before its line break. */
  lineEnd(line: number): number {
    if (line + 1 >= this.lineCount) return this.text.length;
    const next = this.lineStart(line + 1);
    return next - (this.text.startsWith('\r\n', next - 2) ? 2 : 1);
  }

  /** The text of one line without its line break; '' past the end. */
  lineText(line: number): string {
    if (line < 0 || line >= this.lineCount) return '';
    return this.text.slice(this.lineStart(line), this.lineEnd(line));
  }

  /** Where the Dovecot line holding `offset` starts: after the previous `\n`. */
  dovecotLineStart(offset: number): number {
    return offset <= 0 ? 0 : this.text.lastIndexOf('\n', offset - 1) + 1;
  }

  /** Where the Dovecot line holding `offset` ends, after its `\n` (the end of the text for the last line). */
  dovecotLineBreakEnd(offset: number): number {
    const newline = this.text.indexOf('\n', offset);
    return newline < 0 ? this.text.length : newline + 1;
  }
}

/** The text of one line (0-based, lines as the LSP counts them) without its line break; '' past the end. */
export function lineTextAt(text: string, line: number): string {
  const lineBreak = /\r\n|\r|\n/g;
  let start = 0;
  for (let current = 0; current < line; current++) {
    const found = lineBreak.exec(text);
    if (!found) return '';
    start = lineBreak.lastIndex;
  }
  const end = lineBreak.exec(text);
  return text.slice(start, end ? end.index : text.length);
}
