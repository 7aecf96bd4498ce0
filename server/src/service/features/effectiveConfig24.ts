// The effective configuration of a Dovecot 2.4 tree as doveconf 2.4 -n lists it: lists as Dovecot builds
// them (from its own defaults), named filters by their full names, include groups, filters nested as written,
// blocks in the order first opened. Checked against doveconf 2.4.4 (test/effectiveConfig24.test.ts).
import { firstSetAt, specKey, type AssignmentRead, type FilterBlock, type FilterSpec } from '../model/effectiveTree';
import type { ConfigModel } from '../model/model';
import {
  allSettings24,
  defaultValue24,
  findBuiltInGroup24,
  findSetting24,
  namedFilterOfKey24,
  resolveInFilter24,
  type GroupBlock24,
  type Setting24Info,
} from '../schema/schema24';
import { parseBoollist24 } from '../schema/valueCheck24';
import {
  compareOpened,
  compareSortKeys,
  FILTER_KINDS,
  filterHeads,
  filterOpenings,
  hasContent,
  inListingOrder,
  LIST_TYPES,
  openedAt,
  strEscape,
  type Block,
  type Item,
  type ListEntries,
  type PrintedValue,
  type Printer,
} from './effectiveListing';

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
 * What a 2.4 block has written with a filter's name as prefix, which doveconf lists in that filter's block:
 * settings by the rest of their key (`ssl_server_cert_file` as `cert_file`) and lists (`mbox_write_locks { }`).
 */
interface Prefixed24 {
  values: Map<string, PrintedValue>;
  lists: Block[];
}

/** Where what a block wrote with a filter's prefix was first read: the filter exists from then on, whatever overrides it. */
function prefixedOrders24(prefixed: Prefixed24): (number | undefined)[] {
  return [...[...prefixed.values.values()].map(firstSetAt), ...prefixed.lists.map((list) => list.opening?.order)];
}

/** An empty block of a 2.4 filter, to list what was written with its prefix when the filter itself is not opened. */
function emptyFilterBlock(type: string): Block {
  return {
    type,
    name: '',
    index: 0,
    occurrences: [],
    opening: undefined,
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
 * doveconf 2.4 prints a setting or list inside a filter by its full name without the filter's prefix (`fields`
 * in `userdb passwd-file { }` for userdb_fields, `query` in `passdb sql { }` for passdb_sql_query however it was
 * written): the prefix of the named filter (`passdb_sql_`), else of its type, unless that would read as another
 * setting (try_strip_prefix, src/config/doveconf.c@2.4.4).
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

/**
 * The settings named list filters keep their names in (`inet_listener_name`, `sieve_script_storage`): doveconf
 * -n leaves one out of the filter's block where it repeats the name the block is headed with
 * (config_dump_human_output, src/config/doveconf.c).
 */
let filterNameSettings24: ReadonlySet<string> | undefined;
function isFilterNameSetting24(name: string): boolean {
  filterNameSettings24 ??= new Set(allSettings24().flatMap((info) => (info.nameSetting ? [info.nameSetting] : [])));
  return filterNameSettings24.has(name);
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
  if (child.opening?.node.groupLabel !== undefined)
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
  for (const [key, entry] of listed) {
    // doveconf lists a string list entry from its `key=value` text, cut at the first `=`: `"e=f" = g` lists as `e = f=g`.
    const equals = strings ? key.indexOf('=') : -1;
    if (equals < 0) printer.setting(indent, key, entry);
    else printer.setting(indent, key.slice(0, equals), { ...entry, value: `${key.slice(equals + 1)}=${entry.value}` });
  }
}

/** What a 2.4 block lists, gathered before it is printed in doveconf's order. */
class BlockListing24 {
  private readonly items: Item[];
  /** The block's own values and those a parent handed down written with this filter's prefix. */
  private readonly values: Map<string, PrintedValue>;
  /** What the block wrote with a filter's prefix, by filter: listed in that filter's block. */
  private readonly byFilter = new Map<string, Prefixed24>();
  /** The `key { }` blocks of boolean lists also given as `key = …`: listed in its line. */
  private readonly listedWithValue = new Set<Block>();
  /** The blocks include groups add here, and where. */
  private readonly reach: GroupReach[];

  constructor(
    private readonly printer: Printer,
    private readonly block: Block,
    private readonly scope: Scope24,
    private readonly prefixed: Prefixed24,
    filters: readonly Item[],
  ) {
    this.items = [...filters];
    this.values = new Map([...block.values, ...prefixed.values]);
    this.reach = [
      ...(scope.groupBlocks ?? []),
      ...groupIncludes24(printer, block).map((read) => ({
        at: [read.origin.order],
        blocks: groupBlocks24(printer, read.key.slice(1), read.value),
      })),
    ];
  }

  private toFilter(filter: string): Prefixed24 {
    const known = this.byFilter.get(filter);
    if (known) return known;
    const added = { values: new Map<string, PrintedValue>(), lists: [] };
    this.byFilter.set(filter, added);
    return added;
  }

  addSettings(): void {
    const { printer, block, scope } = this;
    for (const [written, printed] of this.values) {
      if (written.startsWith('@')) continue;
      const key = withoutOwnPrefix24(scope.fullType, written);
      const filter = namedFilterOfKey24(key);
      if (scope.global && !filter && printed.origin && isDefault24(written, printed.value)) continue;
      if (filter) {
        this.toFilter(filter).values.set(key.slice(filter.length + 1), printed);
        continue;
      }
      const driverFilter = driverFilterOf24(scope, block, written);
      if (driverFilter) {
        this.toFilter(driverFilter).values.set(written.slice(driverFilter.length + 1), printed);
        continue;
      }
      const info = blockSetting24(scope, block, key);
      if (info && block.name !== '' && printed.value === block.name && isFilterNameSetting24(info.name)) continue;
      const shown = info ? withoutFilterPrefix24(scope, block, info.name) : key;
      // By full name (`bind` in `passdb ldap { }` is passdb_ldap_bind), dovecot_config_version first.
      const sortKey = key === 'dovecot_config_version' ? '' : `${info?.name ?? key}=`;
      const listBlock =
        info?.type === 'boollist'
          ? block.children.find((child) => child.name === '' && blockSetting24(scope, block, child.type) === info)
          : undefined;
      const entries = info?.type === 'boollist' ? listEntries24(printer, info, printed, listBlock) : undefined;
      if (entries) {
        if (listBlock) this.listedWithValue.add(listBlock);
        this.items.push({ sortKey, print: (at) => printer.boollist(at, shown, entries, printed) });
      } else this.items.push({ sortKey, print: (at) => printer.setting(at, shown, printed, info) });
    }
  }

  /** The child blocks, those written with a filter's prefix (`mbox_write_locks { }`) handed to that filter. */
  addBlocks(): void {
    const children = [...this.block.children, ...this.prefixed.lists];
    const moved = new Set<Block>();
    for (const child of children) {
      const filter =
        child.name === '' ? namedFilterOfKey24(withoutOwnPrefix24(this.scope.fullType, child.type)) : undefined;
      const info = filter === undefined ? undefined : findSetting24(child.type);
      if (filter && (info?.type === 'boollist' || info?.type === 'strlist')) {
        this.toFilter(filter).lists.push(child);
        moved.add(child);
      }
    }
    for (const child of children) if (!this.listedWithValue.has(child) && !moved.has(child)) this.addBlock(child);
  }

  private addBlock(child: Block): void {
    const { printer, block, scope } = this;
    const own = child.name === '' ? this.byFilter.get(child.type) : undefined;
    if (own) this.byFilter.delete(child.type);
    // 2.4 lists a named block even when empty.
    if (!own && !hasContent(child) && child.name === '') return;
    const { head, inner, list } = blockHead24(scope, block, child);
    // A string list emptied with `key =` is listed as that line, then its block without Dovecot's entries.
    const emptied = list && [...this.values.keys()].some((key) => blockSetting24(scope, block, key) === list);
    const entries = list
      ? listEntries24(printer, list, undefined, child, emptied ? undefined : scope.listDefaults)
      : undefined;
    const reached = reachedBy24(this.reach, inner.fullType, child.name);
    // A filter is opened by the first setting or list written with its prefix too.
    const ownOrders = own ? prefixedOrders24(own) : [];
    const opened = [openedAt([child.opening?.order, ...ownOrders]), ...reached.map((place) => place.at)];
    this.items.push({
      // A list is sorted among the settings by its full name.
      sortKey: `${inner.fullType}/`,
      opened: list ? undefined : opened.sort(compareOpened)[0],
      print: (at) => {
        printer.open(at, head, child.opening);
        if (entries) printList24(printer, list?.type === 'strlist', entries, `${at}  `);
        else printBlock24(printer, child, `${at}  `, { ...inner, groupBlocks: reached }, own);
        printer.close(at);
      },
    });
  }

  /** Filters the block wrote settings or lists for with their prefix but did not open. */
  addUnopenedFilters(): void {
    const { printer, scope } = this;
    for (const [filter, own] of this.byFilter) {
      const inner = { global: false, fullType: filter, listDefaults: scope.global ? filter : undefined };
      this.items.push({
        sortKey: `${filter}/0/`,
        opened: openedAt(prefixedOrders24(own)),
        print: (at) => {
          printer.open(at, filter, undefined);
          printBlock24(printer, emptyFilterBlock(filter), `${at}  `, inner, own);
          printer.close(at);
        },
      });
    }
  }

  print(indent: string): void {
    const { settings, blocks } = inListingOrder(this.items);
    // Each label's `@label = name` line, where it was first read, after the settings; the global block's at the end.
    const printIncludes = (): void => {
      for (const [key, printed] of this.values)
        if (key.startsWith('@')) this.printer.line(indent, key, printed.value, printed);
    };
    for (const item of settings) item.print(indent);
    if (!this.scope.global) printIncludes();
    for (const item of blocks) item.print(indent);
    if (this.scope.global) printIncludes();
  }
}

function printBlock24(
  printer: Printer,
  block: Block,
  indent: string,
  scope: Scope24,
  prefixed: Prefixed24 = { values: new Map(), lists: [] },
  filters: readonly Item[] = [],
): void {
  const listing = new BlockListing24(printer, block, scope, prefixed, filters);
  listing.addSettings();
  listing.addBlocks();
  listing.addUnopenedFilters();
  listing.print(indent);
}

/**
 * A driver's setting written by its full name in a block named otherwise (`passdb_ldap_bind` in `passdb ldap3 { }`)
 * belongs to the driver's filter, which doveconf 2.4 lists nested (`passdb_ldap { bind = yes }`); in the block
 * named as the driver (`passdb ldap { }`) it is the block's own.
 */
function driverFilterOf24(scope: Scope24, block: Block, written: string): string | undefined {
  if (scope.fullType === '' || block.name === '') return undefined;
  const filter = namedFilterOfKey24(written);
  return filter?.startsWith(`${scope.fullType}_`) && filter !== `${scope.fullType}_${block.name}` ? filter : undefined;
}

/** Inside `sieve_script x { }`, `sieve_script_type` is written `type`, as doveconf 2.4 prints it. */
function withoutOwnPrefix24(blockType: string, key: string): string {
  return blockType !== '' && key.startsWith(`${blockType}_`) && findSetting24(key)
    ? key.slice(blockType.length + 1)
    : key;
}

/** doveconf 2.4 compares a value as written with the default as it prints it: `10M` is not the default `10 M`. */
function isDefault24(key: string, value: string): boolean {
  const info = findSetting24(key);
  return info !== undefined && !LIST_TYPES.has(info.type) && value === defaultValue24(key);
}

/** One level of 2.4's filter tree (`remote 10.0.0.0/8`): its settings' block, if any, and the filters in it. */
interface FilterNode24 {
  head: string;
  filter?: FilterBlock;
  children: FilterNode24[];
  /** Where it was first opened, even empty. */
  opened: number;
}

/**
 * The tree's filters as doveconf 2.4 keeps them, nested as written: `remote X { protocol imap { } }` is a
 * filter in `remote X`, listed inside it after its own settings, even when `remote X` sets nothing itself.
 */
function filterTree24(model: ConfigModel, filters: readonly FilterBlock[]): FilterNode24[] {
  const openings = filterOpenings(model);
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

/** The whole 2.4 listing: the global block, with protocol/local/remote filters among its other blocks, in the order first opened. */
export function printTree24(printer: Printer, model: ConfigModel, filters: readonly FilterBlock[]): void {
  const items = filterItems24(printer, filterTree24(model, filters), true);
  printBlock24(printer, printer.tree.global, '', { global: true, fullType: '', listDefaults: '' }, undefined, items);
}
