// "What is in effect": the merged configuration of a whole include tree, printed in the layout of
// `doveconf -n`, each line followed by `# file:line` of the assignment that produced it; a 2.4 tree as
// doveconf 2.4 lists it (effectiveConfig24.ts).
// Checked line by line against doveconf 2.3.19 (test/effectiveConfig.test.ts, and the corpus). Known differences:
// - hostnames in local/remote filters stay names (doveconf resolves them to addresses on its machine);
// - trees doveconf refuses (unknown keys, `protocol { local {} }`, a repeated named passdb) still render;
// - the managesieve capabilities doveconf computes by running managesieve-login (where Pigeonhole's is
//   installed) are not shown: they depend on the machine, not on the tree;
// - the hidden markers name our --show-secrets flag where doveconf says `-P` (what is hidden is doveconf's own rule, schema/secrets.ts).
import type { TreeAnalysis } from '../languageService';
import { specKey, type FilterBlock, type FilterSpec } from '../model/effectiveTree';
import type { ConfigModel } from '../model/model';
import { isEveryAddress } from '../model/filters';
import type { SectionNode } from '../syntax/nodes';
import { exportedValue23 } from '../schema/exportValue23';
import { findSetting, isSectionTypeIn, type SettingType } from '../schema/schema';
import { parseTyped } from '../schema/valueCheck';
import { printTree24 } from './effectiveConfig24';
import {
  escapeName,
  filterHeads,
  filterOpenings,
  inListingOrder,
  LIST_TYPES,
  Printer,
  quoteName,
  type Block,
  type EffectiveConfigOptions,
  type Item,
  type PrintedValue,
} from './effectiveListing';

export { HIDDEN_MARKER, HIDDEN_PART_MARKER, type EffectiveConfigOptions, type HiddenMarkers } from './effectiveListing';

/** A value in a type-independent spelling: `1G` and `1 G` both become bytes, `1 days` and `86400s` seconds. */
export function canonicalValue(type: SettingType | undefined, value: string): string {
  const trimmed = value.trim();
  const parsed = parseTyped(type, trimmed);
  if (parsed === undefined) return type === undefined || type === 'string' || type === 'string_vars' ? value : trimmed;
  if (typeof parsed === 'boolean') return parsed ? 'yes' : 'no';
  return String(parsed);
}

/** Keys doveconf 2.3 always prints for a namespace (its check function fills them in), even when unset. */
const NAMESPACE_ALWAYS_SHOWN = ['location', 'prefix'];

/**
 * Which values doveconf -n lists of the settings at top level and of a passdb or userdb there (`changed`): those
 * that differ from the default; in a filter (`set`): those set. A named section (service, namespace, a
 * listener) lists what was set in it wherever it is.
 */
type Scope = 'changed' | 'set';

/**
 * The setting that names each kind of named section in Dovecot 2.3 (its type_offset): the block is listed
 * under that setting's value (`unix_listener x { path = /run/x }` as `unix_listener /run/x {`), which is not
 * listed as a line of its own.
 */
const NAMING_KEYS: Readonly<Record<string, string>> = {
  service: 'name',
  'service/unix_listener': 'path',
  'service/fifo_listener': 'path',
  'service/inet_listener': 'name',
  namespace: 'name',
  'namespace/mailbox': 'name',
  event_exporter: 'name',
  metric: 'metric_name',
};

/** A passdb or userdb: kept apart by position, its name only a `name` setting (not a unique list in Dovecot). */
function isIndexedList(context: string, type: string): boolean {
  return findSetting(context, type)?.unique === false;
}

/** Each block without a name that is no filter: how many such blocks doveconf read before it. */
type Counters = ReadonlyMap<SectionNode, number>;

function unnamedCounters(model: ConfigModel): Counters {
  const counters = new Map<SectionNode, number>();
  for (const { node } of model.sections) if (!node.filter && node.name === '') counters.set(node, counters.size);
  return counters;
}

/**
 * `key {` on a plain setting (`mail_debug {`): doveconf sets the setting to the block's name, or to its
 * counter when it has none, where it reads the header; a `key = value` line after it wins.
 */
function setByBlocks(values: Map<string, PrintedValue>, block: Block, context: string, counters: Counters): void {
  for (const child of block.children) {
    if (isSectionTypeIn(context, child.type)) continue;
    const info = findSetting(context, child.type);
    const header = child.occurrences[child.occurrences.length - 1];
    if (!info || LIST_TYPES.has(info.type) || !header) continue;
    const set = values.get(child.type)?.origin;
    if (set && set.order > header.order) continue;
    const value = child.name === '' ? counters.get(header.node)?.toString() : escapeName(child.name);
    if (value !== undefined) values.set(child.type, { value, origin: header });
  }
}

function printBlock(
  printer: Printer,
  block: Block,
  indent: string,
  context: string,
  scope: Scope | undefined,
  counters: Counters,
  indexed = false,
): void {
  const items: Item[] = [];
  const values = new Map<string, PrintedValue>(block.values);
  setByBlocks(values, block, context, counters);
  if (block.type === 'namespace')
    for (const key of NAMESPACE_ALWAYS_SHOWN) if (!values.has(key)) values.set(key, { value: '' });
  // A passdb or userdb opened in a filter has its name set, to '' when it has none.
  if (indexed && scope === 'set' && !values.has('name')) values.set('name', { value: '' });
  for (const [key, printed] of values) {
    if (key === NAMING_KEYS[context]) continue;
    if (scope === 'changed' && printed.origin && isDefault(context, key, printed.value)) continue;
    items.push({ sortKey: `${key}=`, print: (at) => printer.setting(at, key, exported(context, key, printed)) });
  }
  for (const child of block.children) {
    const childContext = context === '' ? child.type : `${context}/${child.type}`;
    if (!isListed(child, childContext)) continue;
    const name = child.values.get(NAMING_KEYS[childContext])?.value ?? child.name;
    const id = name === '' ? String(child.index) : escapeName(name);
    const head = name === '' ? child.type : `${child.type} ${quoteName(name)}`;
    const indexedChild = isIndexedList(context, child.type);
    items.push({
      sortKey: `${child.type}/${id}/`,
      print: (at) => {
        printer.open(at, head, child.opening);
        printBlock(printer, child, `${at}  `, childContext, indexedChild ? scope : undefined, counters, indexedChild);
        printer.close(at);
      },
    });
  }
  for (const item of inListingOrder(items).settings) item.print(indent);
}

/** The value as doveconf -n writes it: parsed and written in its type's form (`2048M` as `2 G`, `Y` as `yes`). */
function exported(context: string, key: string, printed: PrintedValue): PrintedValue {
  const info = findSetting(context, key);
  const value = info && exportedValue23(info, printed.value);
  return value === undefined || value === printed.value ? printed : { ...printed, value };
}

/** doveconf -a (where the defaults were read from) quotes a default with a space at either end. */
function unquotedDefault(value: string): string {
  return /^".*"$/.test(value) ? value.slice(1, -1).replace(/\\(.)/g, '$1') : value;
}

function isDefault(context: string, key: string, value: string): boolean {
  const info = findSetting(context, key);
  if (!info || LIST_TYPES.has(info.type)) return false;
  const type = info.type as SettingType;
  return canonicalValue(type, value) === canonicalValue(type, unquotedDefault(info.default));
}

function addressBits(name: string | undefined): number {
  if (name === undefined) return 0;
  const slash = /\/(\d+)$/.exec(name);
  if (slash) return Number(slash[1]);
  return name.includes(':') ? 128 : 32;
}

/**
 * Filters are printed least specific first, like doveconf walking config_filter_parser_cmp_rev():
 * protocol-only, then remote, then local (by address bits), then local_name; ties in the order first opened
 * (`opened`, by specKey; an empty `protocol lmtp { }` counts), else as the tree met them.
 */
function compareFilters(a: FilterBlock, b: FilterBlock, opened?: ReadonlyMap<string, number>): number {
  const rank = (spec: FilterSpec): number[] => [
    spec.local_name ? 1 : 0,
    addressBits(spec.local),
    addressBits(spec.remote),
    spec.protocol ? 1 : 0,
  ];
  const [ra, rb] = [rank(a.spec), rank(b.spec)];
  for (let i = 0; i < ra.length; i++) if (ra[i] !== rb[i]) return ra[i] - rb[i];
  const [oa, ob] = [opened?.get(specKey(a.spec)), opened?.get(specKey(b.spec))];
  return oa !== undefined && ob !== undefined && oa !== ob ? oa - ob : a.created - b.created;
}

/**
 * A block doveconf lists: a namespace (it always has a location and prefix), or one with something set in it
 * besides the setting that names it.
 */
function isListed(block: Block, context: string): boolean {
  return (
    block.type === 'namespace' ||
    [...block.values.keys()].some((key) => key !== NAMING_KEYS[context]) ||
    block.children.some((child) => isListed(child, context === '' ? child.type : `${context}/${child.type}`))
  );
}

/** The filter as doveconf -n heads it: a local or remote network of 0 bits is no part of it. */
function shownSpec(spec: FilterSpec): FilterSpec {
  const shown = { ...spec };
  if (shown.local !== undefined && isEveryAddress(shown.local)) delete shown.local;
  if (shown.remote !== undefined && isEveryAddress(shown.remote)) delete shown.remote;
  return shown;
}

/** A filter of such networks only: doveconf lists it without a header, and merges it into the global settings. */
function matchesEverything(spec: FilterSpec): boolean {
  const shown = shownSpec(spec);
  return FILTER_PARTS.every((part) => shown[part] === undefined);
}

const FILTER_PARTS = ['local', 'local_name', 'remote', 'protocol'] as const;

/**
 * The global settings as doveconf -n lists them with filters that match everything: a key the global
 * block does not set takes the first such filter's value; their sections join the global ones.
 */
function mergedBlock(primary: Block, secondary: Block): Block {
  const values = new Map(primary.values);
  for (const [key, value] of secondary.values) if (!values.has(key)) values.set(key, value);
  const children = [...primary.children];
  for (const child of secondary.children) {
    const same =
      child.name === '' ? -1 : children.findIndex(({ type, name }) => type === child.type && name === child.name);
    if (same >= 0) children[same] = mergedBlock(children[same], child);
    else children.push(child);
  }
  const { type, name, index, occurrences, opening, settings } = primary;
  return { type, name, index, occurrences, opening, settings, values, children };
}

function printFilter(printer: Printer, filter: FilterBlock, counters: Counters): void {
  if (!isListed(filter.root, '') && !filter.root.children.some((child) => !isSectionTypeIn('', child.type))) return;
  const heads = filterHeads(shownSpec(filter.spec));
  heads.forEach((head, depth) => printer.open('  '.repeat(depth), head, depth === 0 ? filter.header : undefined));
  printBlock(printer, filter.root, '  '.repeat(heads.length), '', 'set', counters);
  for (let depth = heads.length - 1; depth >= 0; depth--) printer.close('  '.repeat(depth));
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
  if (printer.version === '2.4') {
    printTree24(
      printer,
      analysis.model,
      [...tree.filters.values()].sort((a, b) => compareFilters(a, b)),
    );
  } else {
    const counters = unnamedCounters(analysis.model);
    const opened = filterOpenings(analysis.model);
    const filters = [...tree.filters.values()].sort((a, b) => compareFilters(a, b, opened));
    const everything = filters.filter((filter) => matchesEverything(filter.spec)).map((filter) => filter.root);
    printBlock(printer, everything.reduce(mergedBlock, tree.global), '', '', 'changed', counters);
    for (const filter of filters) printFilter(printer, filter, counters);
  }
  return printer.lines.join('\n') + '\n';
}
