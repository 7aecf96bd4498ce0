// What every conversion rule works on: the 2.3 model of the tree, the edits of each file, the report.
import type { Range } from 'vscode-languageserver-types';
import type { ConfigModel, Frame, Placed } from '../model/model';
import type { SectionNode, SettingNode } from '../syntax/nodes';
import { FileEdits } from './fileEdits';
import { isInsideRootFolder } from './includeRule';
import type { MigrationReportEntry } from './types';

export type PendingEntry = Omit<MigrationReportEntry, 'convertedLine'>;

export class MigrationContext {
  readonly report: PendingEntry[] = [];
  /** Sections a rule gave the name 2.4 requires (the model still has them without one). */
  readonly named = new Set<SectionNode>();
  private readonly edits = new Map<string, FileEdits>();

  constructor(readonly model: ConfigModel) {
    for (const file of model.files.values()) this.edits.set(file.path, new FileEdits(file.text, file.parsed.eol));
  }

  get root(): string {
    return this.model.root;
  }

  editsOf(file: string): FileEdits {
    const edits = this.edits.get(file);
    if (!edits) throw new Error(`not a file of the tree: ${file}`);
    return edits;
  }

  allEdits(): Map<string, FileEdits> {
    return this.edits;
  }

  add(entry: PendingEntry): void {
    this.report.push(entry);
  }

  /** Settings still in the converted tree (not commented out by an earlier rule). */
  liveSettings(): Placed<SettingNode>[] {
    return this.model.settings.filter(
      (placed) => this.isConverted(placed.file) && !this.isCommented(placed.file, placed.node.range),
    );
  }

  liveSections(): Placed<SectionNode>[] {
    return this.model.sections.filter(
      (placed) => this.isConverted(placed.file) && !this.isCommented(placed.file, placed.node.headerRange),
    );
  }

  /** Files outside the root file's folder are read, not converted (the include rule reports them). */
  isConverted(file: string): boolean {
    return isInsideRootFolder(this.model.root, file);
  }

  isCommented(file: string, range: Range): boolean {
    return this.editsOf(file).isCommented(range.start.line);
  }

  /** The key as it stands after earlier rules. */
  currentKey(placed: Placed<SettingNode>): string {
    const { keyRange } = placed.node;
    return this.editsOf(placed.file).spanText(keyRange.start.line, keyRange.start.character, keyRange.end.character);
  }

  /** The value as written (quotes, `<`), after earlier rules. */
  currentRawValue(placed: Placed<SettingNode>): string {
    const span = this.valueSpan(placed);
    if (!span) return placed.node.rawValue;
    return this.editsOf(placed.file).spanText(span.line, span.start, span.end);
  }

  /** Where the value is written on its line, `<` of a file value included; undefined across lines. */
  private valueSpan(placed: Placed<SettingNode>): { line: number; start: number; end: number } | undefined {
    const { valueRange, keyRange, valueKind } = placed.node;
    if (!isOneLine(valueRange)) return undefined;
    let start = valueRange.start.character;
    if (valueKind === 'file') {
      const marker = this.editsOf(placed.file).originalLine(valueRange.start.line).indexOf('<', keyRange.end.character);
      if (marker >= 0 && marker < start) start = marker;
    }
    return { line: valueRange.start.line, start, end: valueRange.end.character };
  }

  setKey(placed: Placed<SettingNode>, key: string): void {
    const { keyRange } = placed.node;
    this.editsOf(placed.file).splice(keyRange.start.line, keyRange.start.character, keyRange.end.character, key);
  }

  /** Rewrites the value (a file value's `<` included); false (and nothing changed) when the value spans several lines. */
  setRawValue(placed: Placed<SettingNode>, raw: string): boolean {
    const span = this.valueSpan(placed);
    if (!span) return false;
    this.editsOf(placed.file).splice(span.line, span.start, span.end, raw);
    return true;
  }

  /** Comments out every line of a node (a setting or a whole section), with one marker line above. */
  commentOut(file: string, range: Range, reason: string): void {
    this.editsOf(file).commentOutLines(range.start.line, range.end.line, reason);
  }

  /** Replaces the line of a one-line setting with other lines, indented like it. */
  replaceSettingLine(placed: Placed<SettingNode>, lines: string[]): void {
    const edits = this.editsOf(placed.file);
    const line = placed.node.range.start.line;
    const indent = indentOf(edits.originalLine(line));
    edits.replaceLine(
      line,
      lines.map((text) => (text === '' ? '' : indent + text)),
    );
  }

  indentOfLine(file: string, line: number): string {
    return indentOf(this.editsOf(file).originalLine(line));
  }
}

export function isOneLine(range: Range): boolean {
  return range.start.line === range.end.line;
}

export function indentOf(line: string): string {
  return /^[ \t]*/.exec(line)?.[0] ?? '';
}

/** The section types from the outside in, e.g. ['service', 'inet_listener']. */
export function sectionTypes(frames: readonly Frame[]): string[] {
  return frames.map((frame) => frame.section.type);
}

export function sectionNames(frames: readonly Frame[]): string[] {
  return frames.map((frame) => frame.section.name);
}

export function innermost(frames: readonly Frame[]): SectionNode | undefined {
  return frames[frames.length - 1]?.section;
}

/** A value written for a 2.4 file: quoted when it holds characters the parser would read otherwise. */
export function rawValueOf(value: string): string {
  const withoutVariables = value.replace(/%\{[^{}"'#\\]*\}/g, 'x');
  if (value === '' || /^[^\s"'#\\{}]+(?:[ \t]+[^\s"'#\\{}]+)*$/.test(withoutVariables)) return value;
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}
