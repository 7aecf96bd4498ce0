// "What is in effect": the merged configuration of a whole include tree, printed in the layout of
// `doveconf -n`, each line followed by `# file:line` of the assignment that produced it.
// Checked line by line against doveconf 2.3.19 (test/effectiveConfig.test.ts). Known differences:
// - values print as written; doveconf prints parsed values (`Y` -> `yes`, `2048M` -> `2 G`, `1d` -> `1 days`),
//   also where a `$key` expands a typed value;
// - hostnames in local/remote filters stay names (doveconf resolves them to addresses);
// - trees doveconf refuses (unknown keys, `protocol { local {} }`, a repeated named passdb) still render;
// - the managesieve capabilities doveconf computes by running managesieve-login are not shown;
// - the hidden markers name our --show-secrets flag where doveconf says `-P` (what is hidden is doveconf's own rule, schema/secrets.ts).
import type { TreeAnalysis } from '../languageService';
import type {
  AssignmentRead,
  EffectiveTree,
  FilterBlock,
  FilterSpec,
  MergedSection,
  TreeValue,
} from '../model/effectiveTree';
import { displayPath, type ConfigModel, type Placed } from '../model/model';
import type { CheckedVersion } from '../model/dialect';
import { findSetting, type SettingType } from '../schema/schema';
import {
  allSettings24,
  defaultValue24,
  findBuiltInGroup24,
  findSetting24,
  resolveInFilter24,
  type GroupBlock24,
  type Setting24Info,
} from '../schema/schema24';
import { secretSegments } from '../schema/secrets';
import { parseTyped } from '../schema/valueCheck';
import { parseBoollist24 } from '../schema/valueCheck24';
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
type PrintedValue = TreeValue & { note?: string };
type Block = MergedSection;

// ---- value normalisation (to tell "differs from the default" like doveconf compares parsed values) ----

/** A value in a type-independent spelling: `1G` and `1 G` both become bytes, `1 days` and `86400s` seconds. */
export function canonicalValue(type: SettingType | undefined, value: string): string {
  const trimmed = value.trim();
  const parsed = parseTyped(type, trimmed);
  if (parsed === undefined) return type === undefined || type === 'string' || type === 'string_vars' ? value : trimmed;
  if (typeof parsed === 'boolean') return parsed ? 'yes' : 'no';
  return String(parsed);
}

// ---- printing ----

/** settings_section_escape(): doveconf sorts on escaped `type/name/key` paths, so a space sorts as `\_`. */
function escapeName(name: string): string {
  return name.replace(/\\/g, '\\\\').replace(/ /g, '\\_').replace(/=/g, '\\e').replace(/\//g, '\\s');
}

/** doveconf's config_string_cmp: byte order, with the end of a key (`=`) before anything else. */
function compareSortKeys(a: string, b: string): number {
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i++) {
    if (a[i] === b[i]) continue;
    if (a[i] === '=') return -1;
    if (b[i] === '=') return 1;
    return a.charCodeAt(i) - b.charCodeAt(i);
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

function quoteName(name: string): string {
  return /[\s"{}#]/.test(name) || name === '' ? `"${name.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"` : name;
}

class Printer {
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
function strEscape(text: string): string {
  return text.replace(/["\\']/g, '\\$&');
}

/** A 2.4 boolean list element as doveconf -n writes it: quoted and escaped when it has a space, quote, backslash, `#` or `=`. */
function boollistElement24(element: string): string {
  return /[ "\\#=]/.test(element) ? `"${strEscape(element)}"` : element;
}

/** A 2.4 boolean or string list's entries, element → value, in the order Dovecot keeps them. */
type ListEntries = Map<string, PrintedValue>;

/**
 * A 2.4 list as Dovecot builds it in one block: `key = a b` makes it `a b` (each `yes`), a `key { }` block
 * read after that changes an entry in place or adds one at the end; without `key = …`, the first `key { }`
 * starts from the list `defaults` names (Scope24.listDefaults): `sieve_extensions { imapflags = yes }` adds to
 * the default extensions. Undefined when `key = …` is not a list we can read (a variable decides it, or it
 * does not parse).
 */
function listEntries24(
  printer: Printer,
  info: Setting24Info,
  assigned: PrintedValue | undefined,
  block: Block | undefined,
  defaults?: string,
): ListEntries | undefined {
  const entries: ListEntries = new Map();
  if (assigned) {
    const written = assigned.origin?.node.kind === 'setting' ? assigned.origin.node.valueKind : undefined;
    if (written !== 'plain' && written !== 'quoted') return undefined;
    const { elements, error } = parseBoollist24(assigned.value);
    if (error) return undefined;
    for (const element of elements) entries.set(element, { value: 'yes', origin: assigned.origin });
  } else {
    const at240 = printer.tree.global.values.get('dovecot_config_version')?.value === '2.4.0';
    const filled =
      defaults === ''
        ? (at240 && info.listDefault240) || info.listDefault
        : defaults && ((at240 && info.listDefaultIn240?.[defaults]) || info.listDefaultIn?.[defaults]);
    for (const [key, value] of filled || []) entries.set(key, { value, note: "Dovecot's default" });
  }
  for (const [key, value] of block?.values ?? []) entries.set(key, value);
  return entries;
}

/**
 * A line or block of a listing; `opened` places a 2.4 block after the settings, in the order first opened
 * (compared element by element: where it was opened, then its place among blocks opened together).
 */
type Item = { sortKey: string; opened?: readonly number[]; print: (indent: string) => void };

function compareOpened(a: readonly number[], b: readonly number[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) if (a[i] !== b[i]) return a[i] - b[i];
  return a.length - b.length;
}

/** doveconf's order: 2.3 sorts everything; 2.4 sorts a block's settings and lists its blocks as first opened. */
function inListingOrder(items: Item[]): { settings: Item[]; blocks: Item[] } {
  const settings = items.filter((item) => item.opened === undefined);
  const blocks = items.filter((item) => item.opened !== undefined);
  return {
    settings: settings.sort((a, b) => compareSortKeys(a.sortKey, b.sortKey)),
    blocks: blocks.sort((a, b) => compareOpened(a.opened ?? [], b.opened ?? [])),
  };
}

/** Where a 2.4 block first appears: its first opening, or the first of its settings written with its prefix. */
function openedAt(orders: (number | undefined)[]): number[] {
  const known = orders.filter((order) => order !== undefined);
  return [known.length > 0 ? Math.min(...known) : Number.MAX_SAFE_INTEGER];
}

function hasContent(block: Block): boolean {
  return block.values.size > 0 || block.children.some(hasContent);
}

/** Keys doveconf 2.3 always prints for a namespace (its check function fills them in), even when unset. */
const NAMESPACE_ALWAYS_SHOWN = ['location', 'prefix'];

function printBlock(printer: Printer, block: Block, indent: string, context: string, topLevel: boolean): void {
  const items: Item[] = [];
  const values = new Map(block.values);
  if (block.type === 'namespace')
    for (const key of NAMESPACE_ALWAYS_SHOWN) if (!values.has(key)) values.set(key, { value: '' });
  for (const [key, printed] of values) {
    // At top level doveconf -n compares with the default; inside sections and filters it prints what was set.
    if (topLevel && printed.origin && isDefault(context, key, printed.value)) continue;
    items.push({ sortKey: `${key}=`, print: (at) => printer.setting(at, key, printed) });
  }
  for (const child of block.children) {
    if (!hasContent(child)) continue;
    const id = child.name === '' ? String(child.index) : escapeName(child.name);
    const head = child.name === '' ? child.type : `${child.type} ${quoteName(child.name)}`;
    const childContext = context === '' ? child.type : `${context}/${child.type}`;
    items.push({
      sortKey: `${child.type}/${id}/`,
      print: (at) => {
        printer.open(at, head, child.occurrences[0]);
        printBlock(printer, child, `${at}  `, childContext, false);
        printer.close(at);
      },
    });
  }
  for (const item of inListingOrder(items).settings) item.print(indent);
}

/**
 * What a 2.4 block has written with a filter's name as prefix, which doveconf lists in that filter's block:
 * settings by the rest of their key (`ssl_server_cert_file` as `cert_file`) and lists (`mbox_write_locks { }`).
 */
interface Prefixed24 {
  values: Map<string, PrintedValue>;
  lists: Block[];
}

/** Where what a block wrote with a filter's prefix was read. */
function prefixedOrders24(prefixed: Prefixed24): (number | undefined)[] {
  return [
    ...[...prefixed.values.values()].map((printed) => printed.origin?.order),
    ...prefixed.lists.map((list) => list.occurrences[0]?.order),
  ];
}

/** An empty block of a 2.4 filter, to list what was written with its prefix when the filter itself is not opened. */
function emptyFilterBlock(type: string): Block {
  return {
    type,
    name: '',
    index: 0,
    occurrences: [],
    settings: { get: () => undefined },
    values: new Map(),
    children: [],
  };
}

/** Where a 2.4 block is listed. */
interface Scope24 {
  /** The global block: doveconf compares its settings with the defaults (a section's or filter's are listed as set). */
  global: boolean;
  /**
   * The full name of the block's type, which the names inside it are resolved against (`group_by` in a metric is
   * metric_group_by); '' for the global block, a filter's root and an include group.
   */
  fullType: string;
  /** The blocks include groups added in the block, where they were added. */
  groupBlocks?: readonly GroupReach[];
  /**
   * Where a list's block in it starts from, without `key = …`: '' Dovecot's own list (the global block), a
   * filter's own (`mbox` for `write_locks` in `mbox { }`, `service/lmtp` for its `extra_groups`), or, when
   * undefined, empty (protocol filters, blocks inside filters).
   */
  listDefaults?: string;
}

/**
 * Blocks an include group adds where it is included, created then if not yet there: `at` is the order of the
 * `@label = name` line, then the places of the blocks in the group down to these.
 */
interface GroupReach {
  at: readonly number[];
  blocks: readonly GroupBlock24[];
}

/** Each `@label = name` line read in a 2.4 block. */
function groupIncludes24(printer: Printer, block: Block): AssignmentRead[] {
  const includes: AssignmentRead[] = [];
  for (const key of block.values.keys()) {
    if (!key.startsWith('@')) continue;
    for (let read = printer.tree.lastRead(block, key); read; read = read.earlier) includes.push(read);
  }
  return includes;
}

/** The blocks `@label = name` adds: of the tree's `group @label name { }`, else of Dovecot's own group. */
function groupBlocks24(printer: Printer, label: string, name: string): readonly GroupBlock24[] {
  const own = printer.tree.global.children.find((child) => child.type === `group @${label}` && child.name === name);
  return own ? blocksOf24({ global: false, fullType: '' }, own) : (findBuiltInGroup24(label, name)?.blocks ?? []);
}

/** The named blocks inside a block (not its lists), by full type name. */
function blocksOf24(scope: Scope24, block: Block): GroupBlock24[] {
  return block.children.flatMap((child) => {
    const { inner, list } = blockHead24(scope, block, child);
    return list ? [] : [{ type: inner.fullType, name: child.name, blocks: blocksOf24(inner, child) }];
  });
}

/** The places include groups gave a block before it was opened (`@metric_defaults = backend` makes metric mail_deliveries). */
function reachedBy24(reach: readonly GroupReach[], type: string, name: string): GroupReach[] {
  return reach.flatMap(({ at, blocks }) => {
    const index = blocks.findIndex((block) => block.type === type && block.name === name);
    return index < 0 ? [] : [{ at: [...at, index], blocks: blocks[index].blocks ?? [] }];
  });
}

/** The setting a block opened inside a 2.4 block stands for. */
function blockSetting24(scope: Scope24, block: Block, type: string): Setting24Info | undefined {
  return scope.fullType === '' ? findSetting24(type) : resolveInFilter24([scope.fullType], type, [block.name]);
}

/**
 * doveconf 2.4 prints a list inside a filter without the filter's prefix (`fields` in `userdb passwd-file { }`
 * for userdb_fields): the prefix of the named filter (`userdb_passwd-file_`), else of its type, unless that
 * would read as another setting.
 */
function withoutFilterPrefix24(scope: Scope24, block: Block, name: string): string {
  if (scope.fullType === '') return name;
  const own = `${scope.fullType}_${block.name}_`;
  if (block.name !== '' && name.startsWith(own)) return name.slice(own.length);
  const typePrefix = `${scope.fullType}_`;
  if (!name.startsWith(typePrefix)) return name;
  const rest = name.slice(typePrefix.length);
  return block.name !== '' && findSetting24(`${own}${rest}`) ? name : rest;
}

/** filter_name_escaped(): a 2.4 block name is quoted when it has a space, quote, `{`, `=`, `<`, `'` or `$`. */
function quoteName24(name: string): string {
  return /[ "{=<'$]/.test(name) || name === '' ? `"${strEscape(name)}"` : name;
}

/**
 * How doveconf 2.4 heads a block and resolves the names inside it: a named filter by its full name
 * (`metric_group_by duration`), a list without its filter's prefix, an include group with its label.
 */
function blockHead24(
  scope: Scope24,
  block: Block,
  child: Block,
): { head: string; inner: Scope24; list?: Setting24Info } {
  if (child.occurrences[0]?.node.groupLabel !== undefined)
    return { head: `${child.type} ${quoteName24(child.name)}`, inner: { global: false, fullType: '' } };
  const info = blockSetting24(scope, block, child.type);
  const list = info?.type === 'boollist' || info?.type === 'strlist' ? info : undefined;
  const named = info?.type === 'filter' || info?.type === 'filter_list';
  const type = list ? withoutFilterPrefix24(scope, block, list.name) : named ? info.name : child.type;
  const head = child.name === '' ? type : `${type} ${quoteName24(child.name)}`;
  const filter = info?.type === 'filter' && child.name === '' ? info.name : undefined;
  const namedFilter = info?.type === 'filter_list' ? `${info.name}/${child.name}` : undefined;
  const listDefaults = scope.global ? (filter ?? namedFilter) : undefined;
  return { head, inner: { global: false, fullType: info?.name ?? child.type, listDefaults }, list };
}

/** A 2.4 list's entries inside its block: a boolean list's in Dovecot's order, a string list's sorted by key. */
function printList24(printer: Printer, strings: boolean, entries: ListEntries, indent: string): void {
  const listed = strings ? [...entries].sort(([a], [b]) => compareSortKeys(`${a}=`, `${b}=`)) : [...entries];
  for (const [key, entry] of listed) printer.setting(indent, key, entry);
}

function printBlock24(
  printer: Printer,
  block: Block,
  indent: string,
  scope: Scope24,
  prefixed: Prefixed24 = { values: new Map(), lists: [] },
  filters: Item[] = [],
): void {
  const items: Item[] = [...filters];
  const values = new Map([...block.values, ...prefixed.values]);
  const byFilter = new Map<string, Prefixed24>();
  const toFilter = (filter: string): Prefixed24 => {
    const known = byFilter.get(filter);
    if (known) return known;
    const added = { values: new Map<string, PrintedValue>(), lists: [] };
    byFilter.set(filter, added);
    return added;
  };
  // The `key { }` blocks of boolean lists also given as `key = …`: listed in its line.
  const listedWithValue = new Set<Block>();
  const includes = groupIncludes24(printer, block);
  const reach = [
    ...(scope.groupBlocks ?? []),
    ...includes.map((read) => ({
      at: [read.origin.order],
      blocks: groupBlocks24(printer, read.key.slice(1), read.value),
    })),
  ];
  for (const [written, printed] of values) {
    if (written.startsWith('@')) continue;
    const key = withoutOwnPrefix24(scope.fullType, written);
    const filter = filterPrefix24(key);
    if (scope.global && !filter && printed.origin && isDefault24(written, printed.value)) continue;
    if (filter) {
      toFilter(filter).values.set(key.slice(filter.length + 1), printed);
      continue;
    }
    const info = blockSetting24(scope, block, key);
    // By full name (`bind` in `passdb ldap { }` is passdb_ldap_bind), dovecot_config_version first.
    const sortKey = key === 'dovecot_config_version' ? '' : `${info?.name ?? key}=`;
    const listBlock =
      info?.type === 'boollist'
        ? block.children.find((child) => child.name === '' && blockSetting24(scope, block, child.type) === info)
        : undefined;
    const entries = info?.type === 'boollist' ? listEntries24(printer, info, printed, listBlock) : undefined;
    if (entries) {
      if (listBlock) listedWithValue.add(listBlock);
      items.push({ sortKey, print: (at) => printer.boollist(at, key, entries, printed) });
    } else items.push({ sortKey, print: (at) => printer.setting(at, key, printed, info) });
  }
  const children = [...block.children, ...prefixed.lists];
  const moved = new Set<Block>();
  for (const child of children) {
    const filter = child.name === '' ? filterPrefix24(withoutOwnPrefix24(scope.fullType, child.type)) : undefined;
    const info = filter === undefined ? undefined : findSetting24(child.type);
    if (filter && (info?.type === 'boollist' || info?.type === 'strlist')) {
      toFilter(filter).lists.push(child);
      moved.add(child);
    }
  }
  for (const child of children) {
    if (listedWithValue.has(child) || moved.has(child)) continue;
    const own = child.name === '' ? byFilter.get(child.type) : undefined;
    if (own) byFilter.delete(child.type);
    // 2.4 lists a named block even when empty.
    if (!own && !hasContent(child) && child.name === '') continue;
    const { head, inner, list } = blockHead24(scope, block, child);
    // A string list emptied with `key =` is listed as that line, then its block without Dovecot's entries.
    const emptied = list && [...values.keys()].some((key) => blockSetting24(scope, block, key) === list);
    const entries = list
      ? listEntries24(printer, list, undefined, child, emptied ? undefined : scope.listDefaults)
      : undefined;
    const reached = reachedBy24(reach, inner.fullType, child.name);
    // A filter is opened by the first setting or list written with its prefix too.
    const ownOrders = own ? prefixedOrders24(own) : [];
    const opened = [openedAt([child.occurrences[0]?.order, ...ownOrders]), ...reached.map((place) => place.at)];
    items.push({
      // A list is sorted among the settings by its full name.
      sortKey: `${inner.fullType}/`,
      opened: list ? undefined : opened.sort(compareOpened)[0],
      print: (at) => {
        printer.open(at, head, child.occurrences[0]);
        if (entries) printList24(printer, list?.type === 'strlist', entries, `${at}  `);
        else printBlock24(printer, child, `${at}  `, { ...inner, groupBlocks: reached }, own);
        printer.close(at);
      },
    });
  }
  for (const [filter, own] of byFilter) {
    const inner = { global: false, fullType: filter, listDefaults: scope.global ? filter : undefined };
    items.push({
      sortKey: `${filter}/0/`,
      opened: openedAt(prefixedOrders24(own)),
      print: (at) => {
        printer.open(at, filter, undefined);
        printBlock24(printer, emptyFilterBlock(filter), `${at}  `, inner, own);
        printer.close(at);
      },
    });
  }
  const { settings, blocks } = inListingOrder(items);
  // Each label's `@label = name` line, where it was first read, after the settings; the global block's at the end.
  const printIncludes = () => {
    for (const [key, printed] of values) if (key.startsWith('@')) printer.line(indent, key, printed.value, printed);
  };
  for (const item of settings) item.print(indent);
  if (!scope.global) printIncludes();
  for (const item of blocks) item.print(indent);
  if (scope.global) printIncludes();
}

let filterNames24: string[] | undefined;

/** The 2.4 filter a setting written with its name as prefix belongs to (`ssl_server_cert_file` → `ssl_server`). */
function filterPrefix24(key: string): string | undefined {
  filterNames24 ??= allSettings24()
    .filter((info) => info.type === 'filter')
    .map((info) => info.name)
    .sort((a, b) => b.length - a.length);
  return filterNames24.find((name) => key.startsWith(`${name}_`));
}

/** Inside `sieve_script x { }`, `sieve_script_type` is written `type`, as doveconf 2.4 prints it. */
function withoutOwnPrefix24(blockType: string, key: string): string {
  return blockType !== '' && key.startsWith(`${blockType}_`) && findSetting24(key)
    ? key.slice(blockType.length + 1)
    : key;
}

/** Settings that are blocks, never compared with a default. */
const LIST_TYPES: ReadonlySet<string> = new Set(['section', 'strlist', 'boollist', 'filter', 'filter_list']);

function isDefault(context: string, key: string, value: string): boolean {
  const info = findSetting(context, key);
  if (!info || LIST_TYPES.has(info.type)) return false;
  const type = info.type as SettingType;
  return canonicalValue(type, value) === canonicalValue(type, info.default);
}

/** doveconf 2.4 compares a value as written with the default as it prints it: `10M` is not the default `10 M`. */
function isDefault24(key: string, value: string): boolean {
  const info = findSetting24(key);
  return info !== undefined && !LIST_TYPES.has(info.type) && value === defaultValue24(key);
}

function addressBits(name: string | undefined): number {
  if (name === undefined) return 0;
  const slash = /\/(\d+)$/.exec(name);
  if (slash) return Number(slash[1]);
  return name.includes(':') ? 128 : 32;
}

/**
 * Filters are printed least specific first, like doveconf walking config_filter_parser_cmp_rev():
 * protocol-only, then remote, then local (by address bits), then local_name; ties in file order.
 */
function compareFilters(a: FilterBlock, b: FilterBlock): number {
  const rank = (spec: FilterSpec): number[] => [
    spec.local_name ? 1 : 0,
    addressBits(spec.local),
    addressBits(spec.remote),
    spec.protocol ? 1 : 0,
  ];
  const [ra, rb] = [rank(a.spec), rank(b.spec)];
  for (let i = 0; i < ra.length; i++) if (ra[i] !== rb[i]) return ra[i] - rb[i];
  return a.created - b.created;
}

/** doveconf prints a single address without its full-length mask: `remote 1.2.3.4/32` shows as `remote 1.2.3.4`. */
function withoutFullMask(address: string): string {
  return address.replace(address.includes(':') ? /\/128$/ : /\/32$/, '');
}

const FILTER_KINDS = ['local', 'local_name', 'remote', 'protocol'] as const;

/** A filter's levels, outermost first, as doveconf nests them: `remote 10.0.0.0/8`, then `protocol imap`. */
function filterHeads(spec: FilterSpec): string[] {
  return FILTER_KINDS.filter((kind) => spec[kind] !== undefined).map(
    (kind) => `${kind} ${kind === 'local' || kind === 'remote' ? withoutFullMask(spec[kind] ?? '') : spec[kind]}`,
  );
}

function printFilter(printer: Printer, filter: FilterBlock): void {
  if (!hasContent(filter.root)) return;
  const heads = filterHeads(filter.spec);
  heads.forEach((head, depth) => printer.open('  '.repeat(depth), head, depth === 0 ? filter.header : undefined));
  printBlock(printer, filter.root, '  '.repeat(heads.length), '', false);
  for (let depth = heads.length - 1; depth >= 0; depth--) printer.close('  '.repeat(depth));
}

/** One level of 2.4's filter tree (`remote 10.0.0.0/8`): its settings' block, if any, and the filters in it. */
interface FilterNode24 {
  head: string;
  filter?: FilterBlock;
  children: FilterNode24[];
  /** Where it was first opened, even empty. */
  opened: number;
}

function specKey(spec: FilterSpec): string {
  return FILTER_KINDS.map((kind) => spec[kind] ?? '').join('\u0000');
}

/**
 * The tree's filters as doveconf 2.4 keeps them, nested as written: `remote X { protocol imap { } }` is a
 * filter in `remote X`, listed inside it after its own settings, even when `remote X` sets nothing itself.
 */
function filterTree24(model: ConfigModel, filters: readonly FilterBlock[]): FilterNode24[] {
  const openings = new Map<string, number>();
  for (const { node, frames, order } of model.sections) {
    if (!node.filter) continue;
    const spec: FilterSpec = { [node.filter]: node.name };
    for (const { section } of frames) if (section.filter) spec[section.filter] = section.name;
    const key = specKey(spec);
    openings.set(key, Math.min(openings.get(key) ?? order, order));
  }
  const roots: FilterNode24[] = [];
  for (const filter of filters) {
    let level = roots;
    let node: FilterNode24 | undefined;
    const path: FilterSpec = {};
    for (const kind of FILTER_KINDS.filter((kind) => filter.spec[kind] !== undefined)) {
      path[kind] = filter.spec[kind];
      const head = filterHeads(path).at(-1) ?? '';
      node = level.find((candidate) => candidate.head === head);
      if (!node) {
        node = { head, children: [], opened: openings.get(specKey(path)) ?? filter.header.order };
        level.push(node);
      }
      level = node.children;
    }
    if (node) node.filter = filter;
  }
  return roots;
}

function filterNodeHasContent(node: FilterNode24): boolean {
  return (node.filter !== undefined && hasContent(node.filter.root)) || node.children.some(filterNodeHasContent);
}

/** A filter tree's nodes as blocks of a 2.4 listing, placed where first opened. */
function filterItems24(printer: Printer, nodes: readonly FilterNode24[], topLevel: boolean): Item[] {
  return nodes
    .filter(filterNodeHasContent)
    .map((node) => ({ sortKey: '', opened: [node.opened], print: (at) => printFilter24(printer, node, at, topLevel) }));
}

function printFilter24(printer: Printer, node: FilterNode24, indent: string, topLevel: boolean): void {
  const first = (of: FilterNode24): FilterBlock | undefined => of.filter ?? of.children.map(first).find(Boolean);
  printer.open(indent, node.head, topLevel ? first(node)?.header : undefined);
  const inner = `${indent}  `;
  const nested = filterItems24(printer, node.children, false);
  if (node.filter) printBlock24(printer, node.filter.root, inner, { global: false, fullType: '' }, undefined, nested);
  else for (const item of inListingOrder(nested).blocks) item.print(inner);
  printer.close(indent);
}

/**
 * Every setting of the tree whose value is not the default, merged as Dovecot merges them (same-named
 * sections merge, last value wins, `$key` expanded), in doveconf -n's order, with provenance comments.
 */
export function renderEffectiveConfig(
  analysis: Pick<TreeAnalysis, 'root' | 'effective' | 'dialect' | 'model'>,
  options: EffectiveConfigOptions = {},
): string {
  const tree = analysis.effective.tree();
  const printer = new Printer(analysis.root, options, analysis.dialect === '2.4' ? '2.4' : '2.3', tree);
  printer.lines.push(
    `# effective configuration of ${analysis.root} (like doveconf -n; # file:line = where each value was set)`,
  );
  const filters = [...tree.filters.values()].sort(compareFilters);
  if (printer.version === '2.4') {
    // 2.4 lists protocol/local/remote filters among the other blocks, in the order first opened.
    const items = filterItems24(printer, filterTree24(analysis.model, filters), true);
    printBlock24(printer, tree.global, '', { global: true, fullType: '', listDefaults: '' }, undefined, items);
  } else {
    printBlock(printer, tree.global, '', '', true);
    for (const filter of filters) printFilter(printer, filter);
  }
  return printer.lines.join('\n') + '\n';
}
