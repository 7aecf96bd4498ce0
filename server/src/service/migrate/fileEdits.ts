// Edits to one file of the tree, kept against the original lines so that several conversion rules
// can touch the same line (one renames the key, another rewrites the variables of its value) and every
// converted line can be traced back to the line it came from.

/** A replacement of characters [start, end) of one original line. */
interface Splice {
  start: number;
  end: number;
  text: string;
}

interface LineState {
  splices: Splice[];
  /** Whole-line replacement: the line is gone and these lines stand in its place. */
  replacement?: string[];
  /** Commented out: the marker line goes above the commented original. */
  commentMarker?: string;
  before: string[];
  after: string[];
}

export const MARKER_PREFIX = '# [2.4 migration]';

export class FileEdits {
  private readonly lines: string[];
  private readonly states = new Map<number, LineState>();

  constructor(
    readonly original: string,
    readonly eol: '\n' | '\r\n',
  ) {
    this.lines = original.split(/\r?\n/);
  }

  get lineCount(): number {
    return this.lines.length;
  }

  originalLine(line: number): string {
    return this.lines[line] ?? '';
  }

  private state(line: number): LineState {
    let state = this.states.get(line);
    if (!state) {
      state = { splices: [], before: [], after: [] };
      this.states.set(line, state);
    }
    return state;
  }

  /** Replaces characters [start, end) of the original line; a later splice of the same span wins. */
  splice(line: number, start: number, end: number, text: string): void {
    const state = this.state(line);
    state.splices = state.splices.filter((s) => !(s.start === start && s.end === end));
    state.splices.push({ start, end, text });
  }

  /** The current text of characters [start, end) of the original line (after an earlier splice of that span). */
  spanText(line: number, start: number, end: number): string {
    const found = this.states.get(line)?.splices.find((s) => s.start === start && s.end === end);
    return found ? found.text : this.originalLine(line).slice(start, end);
  }

  replaceLine(line: number, replacement: string[]): void {
    this.state(line).replacement = replacement;
  }

  insertBefore(line: number, texts: string[]): void {
    this.state(line).before.push(...texts);
  }

  insertAfter(line: number, texts: string[]): void {
    this.state(line).after.push(...texts);
  }

  commentOut(line: number, reason: string): void {
    const state = this.state(line);
    if (state.commentMarker === undefined) state.commentMarker = `${MARKER_PREFIX} ${reason}`;
  }

  /** Comments out lines first..last; the marker goes above the first one only. */
  commentOutLines(first: number, last: number, reason: string): void {
    this.commentOut(first, reason);
    for (let line = first + 1; line <= last; line++) this.state(line).commentMarker ??= '';
  }

  isCommented(line: number): boolean {
    return this.states.get(line)?.commentMarker !== undefined;
  }

  isReplaced(line: number): boolean {
    return this.states.get(line)?.replacement !== undefined;
  }

  /** The current text of one original line, splices applied (the replacement when there is one). */
  currentLine(line: number): string {
    const state = this.states.get(line);
    if (!state) return this.originalLine(line);
    if (state.replacement) return state.replacement.join(this.eol);
    return applySplices(this.originalLine(line), state.splices);
  }

  /** The converted text and, for every original line, the 1-based converted line it became. */
  render(): { text: string; lineMap: number[] } {
    const out: string[] = [];
    const lineMap: number[] = [];
    for (let line = 0; line < this.lines.length; line++) {
      const state = this.states.get(line);
      if (!state) {
        lineMap.push(out.length + 1);
        out.push(this.lines[line]);
        continue;
      }
      out.push(...state.before);
      if (state.commentMarker !== undefined) {
        if (state.commentMarker !== '') out.push(state.commentMarker);
        lineMap.push(out.length + 1);
        out.push(commented(this.lines[line]));
      } else {
        lineMap.push(out.length + 1);
        out.push(...(state.replacement ?? [applySplices(this.lines[line], state.splices)]));
      }
      out.push(...state.after);
    }
    return { text: out.join(this.eol), lineMap };
  }
}

function commented(line: string): string {
  if (line.trim() === '' || line.trimStart().startsWith('#')) return line;
  const indent = /^\s*/.exec(line)?.[0] ?? '';
  return `${indent}#${line.slice(indent.length)}`;
}

function applySplices(line: string, splices: Splice[]): string {
  let result = line;
  for (const splice of [...splices].sort((a, b) => b.start - a.start)) {
    result = result.slice(0, splice.start) + splice.text + result.slice(splice.end);
  }
  return result;
}
