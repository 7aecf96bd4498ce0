import type { Position, Range } from 'vscode-languageserver-types';
import type { CommentNode, SyntaxProblem } from './nodes';
import { isBlankCode } from './characters';
import { ParsedComment } from './parsedNodes';
import { TextLines } from './textLines';

/**
 * The pieces of a continued line, each copied from one physical line, as numbers in one list (no object per
 * piece): for each, where it starts in the joined text, where in the file's text, and how long it is.
 */
type Segments = readonly number[];
const SEGMENT_FIELDS = 3;
const LOGICAL_START = 0;
const OFFSET = 1;
const LENGTH = 2;

/**
 * One line as Dovecot's parser sees it after comment stripping, trimming and `\` continuation
 * (FACTS §1.1), with a map back to physical positions: the offset where the text starts for a line
 * that is not continued, its segments for one that is.
 */
export class LogicalLine {
  constructor(
    readonly text: string,
    private readonly segments: Segments | number,
    readonly textLines: TextLines,
  ) {}

  /** Where the text starts in the file, for a line that is not continued. */
  get offset(): number | undefined {
    return typeof this.segments === 'number' ? this.segments : undefined;
  }

  /** Where the text starts in the file (its first segment, for a continued line). */
  get startOffset(): number {
    return typeof this.segments === 'number' ? this.segments : this.segments[OFFSET];
  }

  /** The position (lines as the LSP counts them) of an offset of the logical text. */
  positionAt(offset: number): Position {
    const segments = this.segments;
    if (typeof segments === 'number')
      return this.textLines.positionAt(segments + Math.max(0, Math.min(offset, this.text.length)));
    // Binary search for the last segment starting at or before the offset: a line continued over
    // many physical lines has one segment per line.
    let low = 0;
    let high = segments.length / SEGMENT_FIELDS - 1;
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      if (segments[middle * SEGMENT_FIELDS + LOGICAL_START] > offset) high = middle - 1;
      else low = middle;
    }
    const segment = low * SEGMENT_FIELDS;
    const inside = Math.min(offset - segments[segment + LOGICAL_START], segments[segment + LENGTH]);
    return this.textLines.positionAt(segments[segment + OFFSET] + Math.max(0, inside));
  }

  rangeOf(start: number, end: number): Range {
    return { start: this.positionAt(start), end: this.positionAt(Math.max(start, end)) };
  }

  get range(): Range {
    return this.rangeOf(0, this.text.length);
  }
}

/**
 * The logical line the parser is reading, as offsets: `start`..`end` of `text`, which is the file's text for a
 * line that is not continued (no string or object is made per line) and the joined text of a continued one.
 * The scanner moves one span from line to line: a node keeps what it needs of it, never the span.
 */
export class LineSpan {
  text: string;
  start = 0;
  end = 0;
  /** The line, when it is continued (its offsets are into its joined text). */
  continued: LogicalLine | undefined = undefined;

  constructor(readonly textLines: TextLines) {
    this.text = textLines.text;
  }

  moveTo(start: number, end: number): void {
    this.text = this.textLines.text;
    this.start = start;
    this.end = end;
    this.continued = undefined;
  }

  moveToContinued(line: LogicalLine): void {
    this.text = line.text;
    this.start = 0;
    this.end = line.text.length;
    this.continued = line;
  }

  /** The range of `from`..`to` (offsets into `text`, kept within the line). */
  rangeOf(from: number, to: number): Range {
    if (this.continued) return this.continued.rangeOf(from, to);
    const at = (offset: number): number => Math.max(this.start, Math.min(offset, this.end));
    return this.textLines.rangeOf(at(from), at(Math.max(from, to)));
  }

  get range(): Range {
    return this.rangeOf(this.start, this.end);
  }

  /** The line as a LogicalLine of its own, which stays when the span moves on. */
  kept(): LogicalLine {
    return this.continued ?? new LogicalLine(this.text.slice(this.start, this.end), this.start, this.textLines);
  }
}

/**
 * The comments of a file, kept as offsets: their nodes are made when first asked for (folding, suppression
 * comments near a finding), and most files of a tree never are.
 */
export class CommentSpans {
  readonly #bounds: number[] = [];
  #nodes?: CommentNode[];

  constructor(private readonly textLines: TextLines) {}

  add(start: number, end: number): void {
    this.#bounds.push(start, end);
  }

  get nodes(): CommentNode[] {
    if (this.#nodes) return this.#nodes;
    const text = this.textLines.text;
    const bounds = this.#bounds;
    const nodes: CommentNode[] = [];
    for (let at = 0; at < bounds.length; at += 2)
      nodes.push(new ParsedComment(this.textLines, bounds[at], text.slice(bounds[at], bounds[at + 1])));
    return (this.#nodes = nodes);
  }
}

export interface LineScan {
  comments: CommentSpans;
  problems: SyntaxProblem[];
  textLines: TextLines;
  eol: '\n' | '\r\n';
}

/** The message of a dropped `\` continuation; the analysis quotes the dropped text (with secrets masked). */
export function droppedContinuationMessage(dropped?: string): string {
  const what = dropped === undefined ? 'it' : `"${dropped}"`;
  return `This line ends in '\\' but is followed by a blank line, a comment or the end of the file: Dovecot silently drops ${what}.`;
}

/** Finds where a comment starts before `end`, honouring quotes as config_parse_line does; -1 when none. */
export function commentStart(text: string, from: number, end = text.length): number {
  const firstHash = text.indexOf('#', from);
  if (firstHash < 0 || firstHash >= end) return -1;
  for (let i = from; i < end; i++) {
    const ch = text[i];
    if (ch === '"' || ch === "'") {
      let j = i + 1;
      while (j < end && text[j] !== ch) j += text[j] === '\\' && j + 1 < end ? 2 : 1;
      if (j >= end) return -1; // unterminated quote: the rest is not comment-stripped
      i = j;
    } else if (ch === '#') {
      return i;
    }
  }
  return -1;
}

const CARRIAGE_RETURN = 13;
const BACKSLASH = 92;
const HASH = 35;

const isWhiteAt = (text: string, at: number): boolean => isBlankCode(text.charCodeAt(at));

/**
 * Splits a file into logical lines. Linear in the size of the text. Dovecot's physical lines end at
 * `\n` only, one `\r` before it (or at the end of the file) stripped; a lone `\r` elsewhere stays in the
 * line (FACTS §1.1, checked with doveconf 2.3.19). Each logical line is handed to `visit` as it is read: a line
 * that is not continued as offsets into the text, a continued one with its joined text.
 */
export function scanLines(text: string, visit: (line: LineSpan) => void): LineScan {
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const textLines = new TextLines(text);
  const span = new LineSpan(textLines);
  const comments = new CommentSpans(textLines);
  const problems: SyntaxProblem[] = [];
  let pendingText = '';
  let pendingSegments: number[] = [];

  // doveconf drops a pending `\` continuation when a blank or comment-only line (or the end of the
  // file) comes before the line that would complete it: `a = b \` + `` + `c` parses as `c` alone (E).
  const dropPending = (): void => {
    if (pendingSegments.length === 0) return;
    const last = pendingSegments.length - SEGMENT_FIELDS;
    problems.push({
      code: 'continuation-dropped',
      range: textLines.rangeOf(
        pendingSegments[OFFSET],
        pendingSegments[last + OFFSET] + pendingSegments[last + LENGTH] + 1,
      ),
      message: droppedContinuationMessage(),
      data: { dropped: pendingText.trim() },
    });
    pendingText = '';
    pendingSegments = [];
  };
  let nextHash = text.indexOf('#');
  const scanLine = (lineStart: number, lineEnd: number): void => {
    let start = lineStart;
    let code = text.charCodeAt(start);
    while (start < lineEnd && isBlankCode(code)) code = text.charCodeAt(++start);
    if (start >= lineEnd) return dropPending();
    if (code === HASH) {
      comments.add(start, lineEnd);
      return dropPending();
    }
    let end = lineEnd;
    // The next `#` of the file, found once for all the lines before it: a search per line would read the rest
    // of a file without one again for every line.
    if (nextHash >= 0 && nextHash < start) nextHash = text.indexOf('#', start);
    const hash = nextHash >= 0 && nextHash < lineEnd ? commentStart(text, start, lineEnd) : -1;
    if (hash >= 0) {
      comments.add(hash, lineEnd);
      if (!isWhiteAt(text, hash - 1)) {
        problems.push({
          code: 'ambiguous-comment',
          range: textLines.rangeOf(hash, hash + 1),
          message:
            "Ambiguous '#' character in line, treating it as comment. Add a space before it to remove this warning.",
        });
      }
      end = hash;
    }
    while (end > start && isWhiteAt(text, end - 1)) end--;
    const continues = end > start && text.charCodeAt(end - 1) === BACKSLASH;
    if (continues) {
      end--;
      while (end > start && isWhiteAt(text, end - 1)) end--;
    }
    if (!continues && pendingSegments.length === 0) {
      span.moveTo(start, end);
      return visit(span);
    }
    // A line that is only `\` adds nothing to the joined line, not even the space between parts.
    if (continues && end === start) return;
    pendingSegments.push(pendingText.length, start, end - start);
    pendingText += text.slice(start, end);
    if (continues) {
      pendingText += ' ';
      return;
    }
    // Kept with the line at its size: a list grown by pushing keeps room for 16 more.
    span.moveToContinued(new LogicalLine(pendingText, pendingSegments.slice(), textLines));
    pendingText = '';
    pendingSegments = [];
    visit(span);
  };
  for (let lineStart = 0; ;) {
    const newline = text.indexOf('\n', lineStart);
    const end = newline < 0 ? text.length : newline;
    scanLine(lineStart, end > lineStart && text.charCodeAt(end - 1) === CARRIAGE_RETURN ? end - 1 : end);
    if (newline < 0) break;
    lineStart = newline + 1;
  }
  dropPending();
  return { comments, problems, textLines, eol };
}
