// "What is in effect": the merged configuration of a whole include tree, printed in the layout of
// `doveconf -n`, each line followed by `# file:line` of the assignment that produced it; a 2.4 tree as
// doveconf 2.4 lists it (effectiveConfig24.ts).
// Checked line by line against doveconf 2.3.19 (test/effectiveConfig.test.ts). Known differences:
// - values print as written; doveconf prints parsed values (`Y` -> `yes`, `2048M` -> `2 G`, `1d` -> `1 days`),
//   also where a `$key` expands a typed value;
// - hostnames in local/remote filters stay names (doveconf resolves them to addresses);
// - a unix_listener keeps the name it was opened with (doveconf names it by its `path` setting, and leaves it
//   out when nothing else is set in it);
// - trees doveconf refuses (unknown keys, `protocol { local {} }`, a repeated named passdb) still render;
// - the managesieve capabilities doveconf computes by running managesieve-login are not shown;
// - the hidden markers name our --show-secrets flag where doveconf says `-P` (what is hidden is doveconf's own rule, schema/secrets.ts).
import type { TreeAnalysis } from '../languageService';
import type { FilterBlock, FilterSpec } from '../model/effectiveTree';
import { findSetting, type SettingType } from '../schema/schema';
import { parseTyped } from '../schema/valueCheck';
import { printTree24 } from './effectiveConfig24';
import {
  escapeName,
  filterHeads,
  hasContent,
  inListingOrder,
  LIST_TYPES,
  Printer,
  quoteName,
  type Block,
  type EffectiveConfigOptions,
  type Item,
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

function isDefault(context: string, key: string, value: string): boolean {
  const info = findSetting(context, key);
  if (!info || LIST_TYPES.has(info.type)) return false;
  const type = info.type as SettingType;
  return canonicalValue(type, value) === canonicalValue(type, info.default);
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

function printFilter(printer: Printer, filter: FilterBlock): void {
  if (!hasContent(filter.root)) return;
  const heads = filterHeads(filter.spec);
  heads.forEach((head, depth) => printer.open('  '.repeat(depth), head, depth === 0 ? filter.header : undefined));
  printBlock(printer, filter.root, '  '.repeat(heads.length), '', false);
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
  const filters = [...tree.filters.values()].sort(compareFilters);
  if (printer.version === '2.4') {
    printTree24(printer, analysis.model, filters);
  } else {
    printBlock(printer, tree.global, '', '', true);
    for (const filter of filters) printFilter(printer, filter);
  }
  return printer.lines.join('\n') + '\n';
}
