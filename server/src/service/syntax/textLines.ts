import type { Position, Range } from 'vscode-languageserver-types';

// Two notions of "line" meet in one file. The LSP (and every editor) ends a line at `\r\n`, `\n` or a
// lone `\r`; every Position we send counts lines that way. Dovecot's parser ends a line only at `\n`
// and strips one `\r` before it (i_stream_next_line_finish), so a lone `\r` is part of a value:
// `a = x\ry` sets a to "x\ry". We parse Dovecot's lines and convert every offset with this class.

/**
 * Where each line starts, lines ending at `\r\n`, `\n` or a lone `\r` as the LSP counts them. One pass over the
 * characters: a loop of `indexOf('\n', at + 1)` here, once optimised inside a feature's walk over a file of a
 * few MB, sometimes (about one run in three on Node 20) took seconds instead of milliseconds.
 */
function lineStartsOf(text: string): number[] {
  const starts = [0];
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    if (ch === 13 && text.charCodeAt(i + 1) === 10) i++;
    if (ch === 10 || ch === 13) starts.push(i + 1);
  }
  return starts;
}

const isLineBreak = (code: number): boolean => code === 10 || code === 13;

/** Positions and line texts of one text, with lines counted as the LSP counts them. */
export class TextLines {
  #starts?: number[];

  constructor(
    readonly text: string,
    private readonly startsOf: (text: string) => number[] = lineStartsOf,
  ) {}

  /**
   * The lines of `text`, which is `base.text` with line `line` changed and no line break added or
   * removed: the lines after it start where they did, moved by the change of length.
   */
  static afterLineEdit(base: TextLines, text: string, line: number): TextLines {
    const shift = text.length - base.text.length;
    return new TextLines(text, () => base.starts.map((start, at) => (at <= line ? start : start + shift)));
  }

  /** Computed on first use: most files of a tree never need a position. */
  private get starts(): number[] {
    return (this.#starts ??= this.startsOf(this.text));
  }

  get lineCount(): number {
    return this.starts.length;
  }

  positionAt(offset: number): Position {
    const clamped = Math.max(0, Math.min(offset, this.text.length));
    const starts = this.starts;
    let low = 0;
    let high = starts.length - 1;
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      if (starts[middle] > clamped) high = middle - 1;
      else low = middle;
    }
    // An offset between the `\r` and the `\n` of a line break counts as before the break.
    let at = clamped;
    while (at > starts[low] && isLineBreak(this.text.charCodeAt(at - 1))) at--;
    return { line: low, character: at - starts[low] };
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
    const starts = this.starts;
    if (line <= 0) return 0;
    return line >= starts.length ? this.text.length : starts[line];
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
