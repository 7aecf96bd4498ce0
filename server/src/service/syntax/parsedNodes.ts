// The parser's nodes keep offsets into their logical line and make an LSP range each time one is read
// (most never are on a clean tree; a kept range would cost a field per kind of range on every node).
// Internals are private (#) fields, so a node compares, spreads and serialises like the plain objects of
// nodes.ts.
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

/**
 * A node read from one logical line. It keeps where the line lies (its offset and length when it is one
 * physical line, the line itself when continued), not the line: most nodes never map a position. Its
 * constructor takes offsets into the text of the parser's line span; the node keeps them from the line's start.
 */
abstract class LineAnchored {
  readonly #textLines: TextLines;
  readonly #offset: number;
  readonly #length: number;
  readonly #continued?: LogicalLine;

  constructor(line: LineSpan) {
    this.#textLines = line.textLines;
    this.#length = line.end - line.start;
    const continued = line.continued;
    this.#offset = continued ? -1 : line.start;
    if (continued) this.#continued = continued;
  }

  /** The range of `start`..`end` of the logical line's text. */
  protected rangeOnLine(start: number, end: number): Range {
    if (this.#continued) return this.#continued.rangeOf(start, end);
    const at = (offset: number): number => this.#offset + Math.max(0, Math.min(offset, this.#length));
    return this.#textLines.rangeOf(at(start), at(Math.max(start, end)));
  }

  /** Where the node's text starts in the file (after the line's indentation), without making a range. */
  get startOffset(): number {
    return this.#continued ? this.#continued.startOffset : this.#offset;
  }

  protected get lineLength(): number {
    return this.#length;
  }

  /** The positions of the node's file. */
  protected get textLines(): TextLines {
    return this.#textLines;
  }
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

  get range(): Range {
    return this.rangeOnLine(this.#start, this.#start + 1 + this.name.length);
  }
}

export class ParsedSetting extends LineAnchored implements SettingNode {
  readonly kind = 'setting';
  template?: TemplateMarks;
  readonly #valueStart: number;

  constructor(
    line: LineSpan,
    readonly key: string,
    readonly rawValue: string,
    readonly value: string,
    readonly valueKind: ValueKind,
    valueStart: number,
    readonly variables: VariableToken[],
  ) {
    super(line);
    this.#valueStart = valueStart - line.start;
  }

  get keyRange(): Range {
    return this.rangeOnLine(0, this.keyEnd);
  }

  /** Where the written key ends on the line. */
  protected get keyEnd(): number {
    return this.key.length;
  }

  get valueRange(): Range {
    return this.rangeOnLine(this.#valueStart, this.lineLength);
  }

  get range(): Range {
    return this.rangeOnLine(0, this.lineLength);
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
export class QuotedKeySetting extends ParsedSetting {
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

export class ParsedSection extends LineAnchored implements SectionNode {
  readonly kind = 'section';
  children: Statement[] = [];
  filter?: FilterKind;
  groupLabel?: string;
  template?: TemplateMarks;
  bodySkipped?: true;
  readonly #nameStart: number;
  readonly #nameEnd: number;
  readonly #headerEnd: number;
  /** The `}` line that closes the section: where it starts and ends in the file, or the line when continued. */
  #closeStart = -1;
  #closeEnd = -1;
  #closeContinued?: LogicalLine;
  /** The last line read of a section whose body was skipped and never closed. */
  #lastLine?: LogicalLine;

  /** `nameStart`..`nameEnd`: where the name lies in the text of the header's line span (-1 without a name). */
  constructor(
    header: LineSpan,
    readonly type: string,
    readonly name: string,
    readonly nameQuoted: boolean,
    nameStart: number,
    nameEnd: number,
    headerEnd: number,
  ) {
    super(header);
    this.#nameStart = nameStart < 0 ? -1 : nameStart - header.start;
    this.#nameEnd = nameStart < 0 ? -1 : nameEnd - header.start;
    this.#headerEnd = headerEnd - header.start;
  }

  /** Once the last child is read: the list keeps only the room it uses (one grown by pushing keeps room for 16 more). */
  fitChildren(): void {
    this.children = this.children.slice();
  }

  closeAt(line: LineSpan): void {
    if (line.continued) this.#closeContinued = line.continued;
    else [this.#closeStart, this.#closeEnd] = [line.start, line.end];
  }

  #closeLineRange(): Range | undefined {
    if (this.#closeContinued) return this.#closeContinued.range;
    return this.#closeStart < 0 ? undefined : this.textLines.rangeOf(this.#closeStart, this.#closeEnd);
  }

  endAt(line: LogicalLine): void {
    this.#lastLine = line;
  }

  /** Where the closing `}` line's text starts in the file, without making a range. */
  get closeOffset(): number | undefined {
    if (this.#closeContinued) return this.#closeContinued.startOffset;
    return this.#closeStart < 0 ? undefined : this.#closeStart;
  }

  get closed(): boolean {
    return this.#closeStart >= 0 || this.#closeContinued !== undefined;
  }

  get typeRange(): Range {
    return this.rangeOnLine(0, this.typeEnd);
  }

  /** Where the written type ends on the header line. */
  protected get typeEnd(): number {
    return this.type.length;
  }

  get nameRange(): Range | undefined {
    if (this.#nameStart < 0) return undefined;
    return this.rangeOnLine(this.#nameStart, this.#nameEnd);
  }

  get headerRange(): Range {
    return this.rangeOnLine(0, this.#headerEnd);
  }

  get closeRange(): Range | undefined {
    return this.closed ? this.#closeLineRange() : undefined;
  }

  /** To the closing `}`; unclosed, to the end of the last child (or of the header). */
  get range(): Range {
    return { start: this.headerRange.start, end: this.#end() };
  }

  #end(): Position {
    if (this.closed) return this.closeRange!.end;
    if (this.#lastLine) return this.#lastLine.range.end;
    const children = this.children;
    return children.length > 0 ? children[children.length - 1].range.end : this.headerRange.end;
  }
}

/** A section whose type is written in double quotes. */
export class QuotedKeySection extends ParsedSection {
  readonly typeQuoted = true;
  declare readonly type23?: string;
  readonly #typeEnd: number;

  constructor(
    header: LineSpan,
    quoted: QuotedKey,
    name: string,
    nameQuoted: boolean,
    nameStart: number,
    nameEnd: number,
    headerEnd: number,
  ) {
    super(header, quoted.key, name, nameQuoted, nameStart, nameEnd, headerEnd);
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
