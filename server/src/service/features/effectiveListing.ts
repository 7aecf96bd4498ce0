// What both versions' listings of the effective configuration share: how doveconf -n quotes, hides and
// orders what it prints, and the printer that writes each line with the file:line that set it.
import {
  specKey,
  type EffectiveTree,
  type FilterSpec,
  type MergedSection,
  type TreeValue,
} from '../model/effectiveTree';
import { displayPath, type ConfigModel, type Placed } from '../model/model';
import type { CheckedVersion } from '../model/dialect';
import type { Setting24Info } from '../schema/schema24';
import { secretSegments } from '../schema/secrets';
import type { SectionNode } from '../syntax/nodes';

export interface EffectiveConfigOptions {
  /** Print values of secret-looking keys instead of the `# hidden` marker. */
  showSecrets?: boolean;
  /** What hidden values and parts say instead (default: the CLI's flag); the editor names its own action. */
  hiddenMarkers?: HiddenMarkers;
}

export interface HiddenMarkers {
  /** Printed instead of a whole secret value. */
  value: string;
  /** Printed instead of a secret part inside a value. */
  part: string;
}

export const HIDDEN_MARKER = '# hidden, use --show-secrets to show it';

/** doveconf's `#hidden_use-P_to_show#`, for a secret inside a value (`args = password=...`, `https://user:pw@host`). */
export const HIDDEN_PART_MARKER = '#hidden_use--show-secrets_to_show#';

/** `note`: what the comment says of a value no line of the tree set. */
export type PrintedValue = TreeValue & { note?: string };

export type Block = MergedSection;

/** settings_section_escape(): doveconf sorts on escaped `type/name/key` paths, so a space sorts as `\_`. */
export function escapeName(name: string): string {
  return name.replace(/\\/g, '\\\\').replace(/ /g, '\\_').replace(/=/g, '\\e').replace(/\//g, '\\s');
}

/**
 * doveconf's config_string_cmp: the UTF-8 bytes compared as C's signed `char`, so a non-ASCII character
 * sorts before every ASCII one (`mailbox Корзина` before `mailbox Archive`), with the end of a key (`=`)
 * before anything else.
 */
export function compareSortKeys(a: string, b: string): number {
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i++) {
    if (a[i] === b[i]) continue;
    if (a[i] === '=') return -1;
    if (b[i] === '=') return 1;
    const [ca, cb] = [a.charCodeAt(i), b.charCodeAt(i)];
    if (ca < 0x80 && cb < 0x80) return ca - cb;
    // The strings are equal up to i, so their bytes are too: the first differing byte is in the character at i.
    const start = i > 0 && isLowSurrogate(ca) && isLowSurrogate(cb) ? i - 1 : i;
    return compareSignedBytes(characterBytes(a, start), characterBytes(b, start));
  }
  if (a.length === b.length) return 0;
  // The end of the shorter string is a 0 byte: before ASCII, after a non-ASCII byte and `=`.
  const next = a.length < b.length ? b.charCodeAt(length) : a.charCodeAt(length);
  const shorterFirst = next < 0x80 && next !== 0x3d;
  return a.length < b.length === shorterFirst ? -1 : 1;
}

function isLowSurrogate(code: number): boolean {
  return code >= 0xdc00 && code <= 0xdfff;
}

const utf8 = new TextEncoder();

function characterBytes(text: string, at: number): Uint8Array {
  return utf8.encode(String.fromCodePoint(text.codePointAt(at) ?? 0));
}

function compareSignedBytes(a: Uint8Array, b: Uint8Array): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const [sa, sb] = [(a[i] << 24) >> 24, (b[i] << 24) >> 24];
    if (sa !== sb) return sa - sb;
  }
  return a.length - b.length;
}

function escapeValue(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"');
}

/** doveconf quotes a value with leading/trailing space or a `#`; `"` and `\Sent` alone stay bare. */
function needsQuotes(value: string): boolean {
  return value !== '' && /^\s|\s$|#/.test(value);
}

function quoteIfNeeded(value: string): string {
  return needsQuotes(value) ? `"${escapeValue(value)}"` : value;
}

/**
 * A value with its secrets replaced by the markers, as doveconf -n prints it: a value it hid parts of is
 * printed without quotes, its shown parts escaped when the value would need quotes.
 */
function hiddenValue(
  key: string,
  value: string,
  markers: HiddenMarkers = { value: HIDDEN_MARKER, part: HIDDEN_PART_MARKER },
  version: CheckedVersion = '2.3',
): string | undefined {
  const segments = secretSegments(key, value, version);
  if (!segments) return undefined;
  const escape = needsQuotes(value) ? escapeValue : (text: string) => text;
  return segments
    .map((segment) =>
      typeof segment === 'string' ? escape(segment) : segment.hidden === 'value' ? markers.value : markers.part,
    )
    .join('');
}

/** A 2.3 section's name as doveconf -n writes it: quoted and escaped only when it has a space. */
export function quoteName(name: string): string {
  return name.includes(' ') ? `"${strEscape(name)}"` : name;
}

export class Printer {
  readonly lines: string[] = [];

  constructor(
    private readonly root: string,
    private readonly options: EffectiveConfigOptions,
    /** The version whose doveconf -n the listing follows (2.4 lists empty named blocks, compares with its own defaults). */
    readonly version: CheckedVersion,
    /** The tree listed. */
    readonly tree: EffectiveTree,
  ) {}

  where(file: string, node: { range: { start: { line: number } } }): string {
    return `${displayPath(this.root, file)}:${node.range.start.line + 1}`;
  }

  /** `info24`: the 2.4 setting `key` stands for where it is; doveconf 2.4 tells a secret by its full name. */
  setting(indent: string, key: string, printed: PrintedValue, info24?: Setting24Info): void {
    const hidden = this.options.showSecrets
      ? undefined
      : hiddenValue(info24?.name ?? key, printed.value, this.options.hiddenMarkers, this.version);
    this.line(indent, key, hidden ?? quoteIfNeeded(printed.value), printed);
  }

  /** A 2.4 boolean list on one line, `key = a b`: the elements that are `yes`, quoted where doveconf quotes them. */
  boollist(indent: string, key: string, entries: ListEntries, origin: PrintedValue): void {
    const elements = [...entries].filter(([, entry]) => entry.value === 'yes').map(([element]) => element);
    this.line(indent, key, elements.map(boollistElement24).join(' '), origin);
  }

  line(indent: string, key: string, value: string, printed: PrintedValue): void {
    const where = printed.origin
      ? this.where(printed.origin.file, printed.origin.node)
      : (printed.note ?? 'always shown by doveconf');
    const shownKey = this.version === '2.4' && /[ "\\#=]/.test(key) ? `"${strEscape(key)}"` : key;
    this.lines.push(`${indent}${shownKey} = ${value} # ${where}`);
  }

  open(indent: string, head: string, header: Placed<SectionNode> | undefined): void {
    this.lines.push(`${indent}${head} {${header ? ` # ${this.where(header.file, header.node)}` : ''}`);
  }

  close(indent: string): void {
    this.lines.push(`${indent}}`);
  }
}

/** str_escape(): `"`, `\\` and `'` get a backslash. */
export function strEscape(text: string): string {
  return text.replace(/["\\']/g, '\\$&');
}

/** A 2.4 boolean list element as doveconf -n writes it: quoted and escaped when it has a space, quote, backslash, `#` or `=`. */
function boollistElement24(element: string): string {
  return /[ "\\#=]/.test(element) ? `"${strEscape(element)}"` : element;
}

/** A 2.4 boolean or string list's entries, element → value, in the order Dovecot keeps them. */
export type ListEntries = Map<string, PrintedValue>;

/**
 * A line or block of a listing; `opened` places a 2.4 block after the settings, in the order first opened
 * (compared element by element: where it was opened, then its place among blocks opened together).
 */
export type Item = { sortKey: string; opened?: readonly number[]; print: (indent: string) => void };

export function compareOpened(a: readonly number[], b: readonly number[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) if (a[i] !== b[i]) return a[i] - b[i];
  return a.length - b.length;
}

/** doveconf's order: 2.3 sorts everything; 2.4 sorts a block's settings and lists its blocks as first opened. */
export function inListingOrder(items: Item[]): { settings: Item[]; blocks: Item[] } {
  const settings = items.filter((item) => item.opened === undefined);
  const blocks = items.filter((item) => item.opened !== undefined);
  return {
    settings: settings.sort((a, b) => compareSortKeys(a.sortKey, b.sortKey)),
    blocks: blocks.sort((a, b) => compareOpened(a.opened ?? [], b.opened ?? [])),
  };
}

/** Where a 2.4 block first appears: its first opening, or the first of its settings written with its prefix. */
export function openedAt(orders: (number | undefined)[]): number[] {
  const known = orders.filter((order) => order !== undefined);
  return [known.length > 0 ? Math.min(...known) : Number.MAX_SAFE_INTEGER];
}

export function hasContent(block: Block): boolean {
  return block.values.size > 0 || block.children.some(hasContent);
}

/** Settings that are blocks, never compared with a default. */
export const LIST_TYPES: ReadonlySet<string> = new Set(['section', 'strlist', 'boollist', 'filter', 'filter_list']);

export const FILTER_KINDS = ['local', 'local_name', 'remote', 'protocol'] as const;

/** doveconf prints a single address without its full-length mask: `remote 1.2.3.4/32` shows as `remote 1.2.3.4`. */
function withoutFullMask(address: string): string {
  return address.replace(address.includes(':') ? /\/128$/ : /\/32$/, '');
}

/** A filter's levels, outermost first, as doveconf nests them: `remote 10.0.0.0/8`, then `protocol imap`. */
export function filterHeads(spec: FilterSpec): string[] {
  return FILTER_KINDS.filter((kind) => spec[kind] !== undefined).map(
    (kind) => `${kind} ${kind === 'local' || kind === 'remote' ? withoutFullMask(spec[kind] ?? '') : spec[kind]}`,
  );
}

/**
 * Where each filter (by specKey, nested filters with their outer ones) was first opened, even when nothing
 * is set in it: doveconf keeps its filters in that order.
 */
export function filterOpenings(model: ConfigModel): Map<string, number> {
  const openings = new Map<string, number>();
  for (const { node, frames, order } of model.sections) {
    if (!node.filter) continue;
    const spec: FilterSpec = { [node.filter]: node.name };
    for (const { section } of frames) if (section.filter) spec[section.filter] = section.name;
    const key = specKey(spec);
    openings.set(key, Math.min(openings.get(key) ?? order, order));
  }
  return openings;
}
