// The parser's nodes keep offsets into their logical line and make an LSP range each time one is read
// (most never are on a clean tree; a kept range would cost a field per kind of range on every node).
// Internals are private (#) fields. The ranges, and what a node works out instead of keeping (a plain
// setting's rawValue, valueKind and variables, a section's nameQuoted), are getters: a spread or JSON copy of
// a node leaves them out (sectionCopy() copies a section whole).
import type { Position, Range } from 'vscode-languageserver-types';
import type { LineSpan, LogicalLine } from './logicalLines';
import type {
  CommentNode,
  FilterKind,
  SectionNode,
  SettingNode,
  Statement,
  TemplateMarks,
  ValueKind,
  VariableToken,
} from './nodes';
import type { TextLines } from './textLines';
import { isBlankCode } from './characters';

const QUOTE = 34;

/**
 * A node read from one logical line. It keeps where the line lies (its offset when it is one physical line,
 * the line itself when continued), not the line: most nodes never map a position. Its constructor takes
 * offsets into the text of the parser's line span; the node keeps them from the line's start. Every field is
 * held for each of the tree's nodes until the next analysis: what a node can work out, or rarely has, is not a
 * field of its own.
 */
abstract class LineAnchored {
  readonly #textLines: TextLines;
  /** Where the line's text starts in the file, or the line itself when it is continued. */
  readonly #anchor: number | LogicalLine;

  constructor(line: LineSpan) {
    this.#textLines = line.textLines;
    this.#anchor = line.continued ?? line.start;
  }

  /** The range of `start`..`end` of the logical line's text. */
  protected rangeOnLine(start: number, end: number): Range {
    const anchor = this.#anchor;
    if (typeof anchor !== 'number') return anchor.rangeOf(start, end);
    const length = this.lineLength;
    const at = (offset: number): number => anchor + Math.max(0, Math.min(offset, length));
    return this.#textLines.rangeOf(at(start), at(Math.max(start, end)));
  }

  /** Where the node's text starts in the file (after the line's indentation), without making a range. */
  get startOffset(): number {
    const anchor = this.#anchor;
    return typeof anchor === 'number' ? anchor : anchor.startOffset;
  }

  /** How long the logical line's text is. */
  protected abstract get lineLength(): number;

  /** The character code at `offset` of the logical line's text (of the file's text after it, past its end). */
  protected codeAt(offset: number): number {
    const anchor = this.#anchor;
    return typeof anchor === 'number'
      ? this.#textLines.text.charCodeAt(anchor + offset)
      : anchor.text.charCodeAt(offset);
  }

  /** The first offset from `offset` (before `end`) that is not a space or tab, as the parser skips them. */
  protected skipBlanks(offset: number, end = Infinity): number {
    for (let code = this.codeAt(offset); offset < end && isBlankCode(code); code = this.codeAt(++offset));
    return offset;
  }

  /** The positions of the node's file. */
  protected get textLines(): TextLines {
    return this.#textLines;
  }
}

/** Sets what every node of a class holds alike (its `kind`) once, on the class's prototype. */
function onPrototype(nodeClass: abstract new (...args: never[]) => object, name: string, value: unknown): void {
  Object.defineProperty(nodeClass.prototype, name, { value });
}

export class ParsedVariable extends LineAnchored implements VariableToken {
  readonly #start: number;

  constructor(
    line: LineSpan,
    start: number,
    readonly name: string,
  ) {
    super(line);
    this.#start = start - line.start;
  }

  protected get lineLength(): number {
    return this.#start + 1 + this.name.length;
  }

  get range(): Range {
    return this.rangeOnLine(this.#start, this.lineLength);
  }
}

/** A setting read from a line: what every setting keeps (its key and value, where the value starts). */
export abstract class ParsedSetting extends LineAnchored implements SettingNode {
  declare readonly kind: 'setting';
  declare template?: TemplateMarks;
  abstract readonly rawValue: string;
  abstract readonly valueKind: ValueKind;
  abstract readonly variables: VariableToken[];

  constructor(
    line: LineSpan,
    readonly key: string,
    readonly value: string,
  ) {
    super(line);
  }

  /** Where the value starts on the line (after a file value's `<` and blanks). */
  protected abstract get valueStart(): number;

  get keyRange(): Range {
    return this.rangeOnLine(0, this.keyEnd);
  }

  /** Where the written key ends on the line. */
  protected get keyEnd(): number {
    return this.key.length;
  }

  /** The value runs to the end of the line (a file value's `<` and blanks are before `valueStart`). */
  protected get lineLength(): number {
    return this.valueStart + (this.valueKind === 'file' ? this.value : this.rawValue).length;
  }

  get valueRange(): Range {
    return this.rangeOnLine(this.valueStart, this.lineLength);
  }

  get range(): Range {
    return this.rangeOnLine(0, this.lineLength);
  }
}
onPrototype(ParsedSetting, 'kind', 'setting');

/** Shared by every setting without `$` tokens; never changed. */
export const NO_VARIABLES: VariableToken[] = [];

/**
 * A setting whose value Dovecot stores as written (no quotes, `<` or `$` words): most settings. It keeps the
 * value once; its kind and its (no) `$` words are the class's, and where its value starts is read from the
 * line when a range is made.
 */
export class PlainSetting extends ParsedSetting {
  /** After the blanks that follow the `=` after the key; an empty value is where the line ends, after the `=`. */
  protected get valueStart(): number {
    const equals = this.skipBlanks(this.keyEnd);
    return this.value === '' ? equals + 1 : this.skipBlanks(equals + 1);
  }

  get rawValue(): string {
    return this.value;
  }

  get valueKind(): ValueKind {
    return 'plain';
  }

  get variables(): VariableToken[] {
    return NO_VARIABLES;
  }
}

/** A setting whose value is stored other than as written: quoted, a `<file`, or with `$` words. */
export class WrittenSetting extends ParsedSetting {
  readonly #valueStart: number;

  constructor(
    line: LineSpan,
    key: string,
    readonly rawValue: string,
    value: string,
    readonly valueKind: ValueKind,
    valueStart: number,
    readonly variables: VariableToken[],
  ) {
    super(line, key, value);
    this.#valueStart = valueStart - line.start;
  }

  protected get valueStart(): number {
    return this.#valueStart;
  }
}

/** A key (or section type) written in double quotes: where it ends on its line, and how 2.3 reads it. */
export interface QuotedKey {
  /** The key as Dovecot 2.4 reads it: unquoted and unescaped. */
  key: string;
  /** Where the written key ends in the line span's text: after its closing quote (at the end of the line when it has none). */
  end: number;
  /** 2.4's `Unknown escape sequence` in the key. */
  error?: string;
  /** The key Dovecot 2.3 reads (`"x"`), when 2.3 reads the line as the same kind of statement. */
  key23?: string;
}

/** A setting whose key is written in double quotes (rare: kept apart so that other settings carry no more fields). */
export class QuotedKeySetting extends WrittenSetting {
  readonly keyQuoted = true;
  declare readonly key23?: string;
  readonly #keyEnd: number;

  constructor(
    line: LineSpan,
    quoted: QuotedKey,
    rawValue: string,
    value: string,
    valueKind: ValueKind,
    valueStart: number,
    variables: VariableToken[],
  ) {
    super(line, quoted.key, rawValue, value, valueKind, valueStart, variables);
    if (quoted.key23 !== undefined) this.key23 = quoted.key23;
    this.#keyEnd = quoted.end - line.start;
  }

  protected override get keyEnd(): number {
    return this.#keyEnd;
  }
}

/** The last line read of a section whose body was skipped and never closed. */
class LastLine {
  constructor(readonly line: LogicalLine) {}
}

export class ParsedSection extends LineAnchored implements SectionNode {
  declare readonly kind: 'section';
  children: Statement[] = [];
  filter?: FilterKind;
  declare groupLabel?: string;
  declare template?: TemplateMarks;
  declare bodySkipped?: true;
  /** Where the `{` ends the header, which is the end of its line. */
  readonly #headerEnd: number;
  /**
   * The `}` line that closes the section: where it starts in the file (the line is that one character), or
   * the line when continued; -1 while unclosed, or the last line read of a skipped body left unclosed.
   */
  #close: number | LogicalLine | LastLine = -1;

  /** `headerEnd`: where the header's `{` ends in the text of its line span. */
  constructor(
    header: LineSpan,
    readonly type: string,
    readonly name: string,
    headerEnd: number,
  ) {
    super(header);
    this.#headerEnd = headerEnd - header.start;
  }

  /** Once the last child is read: the list keeps only the room it uses (one grown by pushing keeps room for 16 more). */
  fitChildren(): void {
    this.children = this.children.slice();
  }

  closeAt(line: LineSpan): void {
    this.#close = line.continued ?? line.start;
  }

  /** The line of the closing `}` when it is continued. (A method, not a `#` one: those cost every node a field.) */
  private closeLine(): LogicalLine | undefined {
    const close = this.#close;
    return typeof close === 'number' || close instanceof LastLine ? undefined : close;
  }

  endAt(line: LogicalLine): void {
    if (!this.closed) this.#close = new LastLine(line);
  }

  /** Where the closing `}` line's text starts in the file, without making a range. */
  get closeOffset(): number | undefined {
    const close = this.#close;
    if (typeof close === 'number') return close >= 0 ? close : undefined;
    return this.closeLine()?.startOffset;
  }

  get closed(): boolean {
    const close = this.#close;
    return typeof close === 'number' ? close >= 0 : !(close instanceof LastLine);
  }

  protected get lineLength(): number {
    return this.#headerEnd;
  }

  get typeRange(): Range {
    return this.rangeOnLine(0, this.typeEnd);
  }

  /** Where the written type ends on the header line. */
  protected get typeEnd(): number {
    return this.type.length;
  }

  /**
   * Where the name starts on the header line, read from the line (the parser's reading, kept as offsets, would
   * cost every section two fields): after the type (and a group's `@label`) and their blanks; -1 when the `{`
   * comes first.
   */
  private nameStart(): number {
    const end = this.#headerEnd;
    const afterType = this.skipBlanks(this.typeEnd, end);
    if (this.groupLabel !== undefined) return this.skipBlanks(afterType + this.groupLabel.length, end);
    return afterType >= end - 1 ? -1 : afterType;
  }

  /** Written in double quotes (a group's name never is: the quote is part of it). */
  get nameQuoted(): boolean {
    if (this.groupLabel !== undefined) return false;
    const start = this.nameStart();
    return start >= 0 && this.codeAt(start) === QUOTE;
  }

  get nameRange(): Range | undefined {
    const start = this.nameStart();
    if (start < 0) return undefined;
    if (this.groupLabel !== undefined || this.codeAt(start) !== QUOTE)
      return this.rangeOnLine(start, start + this.name.length);
    // To the closing quote: the first one after the opening quote, as the parser reads it.
    let close = start + 1;
    while (close < this.#headerEnd && this.codeAt(close) !== QUOTE) close++;
    return this.rangeOnLine(start, close + 1);
  }

  get headerRange(): Range {
    return this.rangeOnLine(0, this.#headerEnd);
  }

  get closeRange(): Range | undefined {
    const close = this.#close;
    if (typeof close === 'number') return close >= 0 ? this.textLines.rangeOf(close, close + 1) : undefined;
    return this.closeLine()?.range;
  }

  /** To the closing `}`; unclosed, to the end of the last child (or of the header). */
  get range(): Range {
    return { start: this.headerRange.start, end: this.end() };
  }

  private end(): Position {
    if (this.closed) return this.closeRange!.end;
    if (this.#close instanceof LastLine) return this.#close.line.range.end;
    const children = this.children;
    return children.length > 0 ? children[children.length - 1].range.end : this.headerRange.end;
  }
}
onPrototype(ParsedSection, 'kind', 'section');

/** A section whose type is written in double quotes. */
export class QuotedKeySection extends ParsedSection {
  readonly typeQuoted = true;
  declare readonly type23?: string;
  readonly #typeEnd: number;

  constructor(header: LineSpan, quoted: QuotedKey, name: string, headerEnd: number) {
    super(header, quoted.key, name, headerEnd);
    if (quoted.key23 !== undefined) this.type23 = quoted.key23;
    this.#typeEnd = quoted.end - header.start;
  }

  protected override get typeEnd(): number {
    return this.#typeEnd;
  }
}

export class ParsedComment implements CommentNode {
  readonly #textLines: TextLines;
  readonly #start: number;

  constructor(
    textLines: TextLines,
    start: number,
    readonly text: string,
  ) {
    this.#textLines = textLines;
    this.#start = start;
  }

  get range(): Range {
    return this.#textLines.rangeOf(this.#start, this.#start + this.text.length);
  }
}

/**
 * A copy of a section as a plain object, with some properties changed (a spread would leave out the ranges
 * read on demand); the section itself stays as it was.
 */
export function sectionCopy(
  node: SectionNode,
  changes: Partial<Pick<SectionNode, 'name' | 'nameRange' | 'children'>>,
): SectionNode {
  return {
    kind: 'section',
    type: node.type,
    typeRange: node.typeRange,
    name: node.name,
    nameRange: node.nameRange,
    nameQuoted: node.nameQuoted,
    filter: node.filter,
    groupLabel: node.groupLabel,
    children: node.children,
    headerRange: node.headerRange,
    closeRange: node.closeRange,
    range: node.range,
    template: node.template,
    bodySkipped: node.bodySkipped,
    typeQuoted: node.typeQuoted,
    type23: node.type23,
    ...changes,
  };
}

/** Where a statement's text starts in its file, read without making its range (undefined for nodes the parser did not anchor). */
export function startOffsetOf(statement: Statement): number | undefined {
  return statement instanceof LineAnchored ? statement.startOffset : undefined;
}

/** Where a section's closing `}` line starts in its file, read without making its range. */
export function closeOffsetOf(section: SectionNode): number | undefined {
  return section instanceof ParsedSection ? section.closeOffset : undefined;
}

/** The section's `}` is in its own file (cheaper than reading its closeRange). */
export function isClosed(section: SectionNode): boolean {
  return section instanceof ParsedSection ? section.closed : section.closeRange !== undefined;
}
