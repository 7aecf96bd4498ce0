// Dovecot 2.3 reads the lines of each filter (protocol, local, local_name, remote) into a settings parser
// of that filter alone, shared by every block with the same filter (config_filter_add_new_filter@2.3.19).
// A line inside a filter that is itself inside a block (namespace x { local 10.0.0.1 { prefix = y } }) is
// read there as `namespace/x/prefix`: that parser knows the block only when a block of the same path was
// opened under the same filter before, or when it is a built-in service or one of its listeners.
// Otherwise the line is `Unknown setting: namespace { prefix`.
import { networkKey } from '../model/filters';
import type { ConfigModel, Frame, Placed } from '../model/model';
import { allServices } from '../schema/schema';
import { sectionEscape } from '../schema/sectionEscape';
import type { SectionNode } from '../syntax/nodes';

/** The filter of a place as doveconf compares filters (config_filters_equal): one text per kind. */
function filterKey(frames: readonly Frame[]): string {
  const kinds = new Map<string, string>();
  for (const { section } of frames) {
    if (!section.filter) continue;
    if (section.filter === 'local' || section.filter === 'remote') kinds.set(section.filter, networkKey(section.name));
    else kinds.set(section.filter, section.filter === 'local_name' ? section.name.toLowerCase() : section.name);
  }
  return ['protocol', 'local', 'local_name', 'remote'].map((kind) => kinds.get(kind) ?? '').join('\n');
}

/** Where the innermost filter of `frames` is, or -1. */
function innermostFilter(frames: readonly Frame[]): number {
  for (let index = frames.length - 1; index >= 0; index--) if (frames[index].section.filter) return index;
  return -1;
}

/** The blocks every parser has from the start: the built-in services and their listeners. */
const BUILT_IN_BLOCKS = new Set(
  allServices().flatMap((service) => {
    const path = `service/${sectionEscape(service.name)}`;
    return [
      path,
      ...service.listeners.map((listener) => `${path}/${listener.kind}_listener/${sectionEscape(listener.name)}`),
    ];
  }),
);

/**
 * Tells, for a setting or a block header, whether doveconf 2.3's parser of its filter does not know the
 * block around it. Blocks without a name are named by a counter that never repeats: no earlier block has
 * their path, unless the very same reading opened them under the same filter.
 */
export class FilterParsers23 {
  /** Filter key -> block paths opened in that filter's parser -> the order of the first one; made on first use. */
  private openedPaths: Map<string, Map<string, number>> | undefined;
  /** A block without a name at each reading: its place in the processing order; made on first use. */
  private unnamedOrders: Map<SectionNode, number[]> | undefined;

  constructor(private readonly model: ConfigModel) {}

  private unnamedOrder(): Map<SectionNode, number[]> {
    if (this.unnamedOrders) return this.unnamedOrders;
    const unnamedOrder = new Map<SectionNode, number[]>();
    for (const { node, order } of this.model.sections)
      if (!node.filter && node.name === '') unnamedOrder.set(node, [...(unnamedOrder.get(node) ?? []), order]);
    return (this.unnamedOrders = unnamedOrder);
  }

  private opened(): Map<string, Map<string, number>> {
    if (this.openedPaths) return this.openedPaths;
    const opened = new Map<string, Map<string, number>>();
    for (const placed of this.model.sections) {
      const { node, frames, order } = placed;
      if (node.filter) continue;
      const at = innermostFilter(frames);
      const key = at < 0 ? '' : filterKey(frames);
      const paths = opened.get(key) ?? new Map<string, number>();
      const path = this.blockPath([...frames.slice(at + 1), { section: node, file: placed.file }], order);
      const prefix = this.blockPath(frames.slice(0, at + 1), order);
      const full = prefix === '' ? path : `${prefix}/${path}`;
      if (!paths.has(full)) paths.set(full, order);
      opened.set(key, paths);
    }
    return (this.openedPaths = opened);
  }

  /** `type/name/type/name` of the blocks among `frames` (filters left out), as at the reading of `order`. */
  private blockPath(frames: readonly Frame[], order: number): string {
    const parts: string[] = [];
    for (const { section } of frames) {
      if (section.filter) continue;
      parts.push(
        section.type,
        section.name === '' ? `#${this.unnamedReading(section, order)}` : sectionEscape(section.name),
      );
    }
    return parts.join('/');
  }

  /** Which reading of a block without a name a place read at `order` is in (or is): the last one opened by then. */
  private unnamedReading(section: SectionNode, order: number): number {
    const orders = this.unnamedOrder().get(section) ?? [];
    let reading = -1;
    for (const opened of orders) if (opened <= order) reading = opened;
    return reading;
  }

  /** Whether the line at `placed` is in a filter inside a block its filter's parser does not know. */
  misses(placed: Placed<unknown>): boolean {
    const { frames, order } = placed;
    const at = innermostFilter(frames);
    if (at < 0) return false;
    const around = this.blockPath(frames.slice(0, at), order);
    if (around === '' || BUILT_IN_BLOCKS.has(around)) return false;
    const opened = this.opened().get(filterKey(frames))?.get(around);
    return opened === undefined || opened > order;
  }
}

function header(section: SectionNode): string {
  const name = /^[^\s"{}#]+$/.test(section.name) ? section.name : JSON.stringify(section.name);
  return section.name === '' ? section.type : `${section.type} ${name}`;
}

/**
 * What to write instead of a filter inside a block: the filter around the block (`local 127.0.0.1 {
 * namespace x { ... } }`), which is how doveconf 2.3 takes a block's settings for some connections.
 */
export function filterOutsideHint(frames: readonly Frame[]): string {
  const at = innermostFilter(frames);
  const block = frames.slice(0, at).find(({ section }) => !section.filter)?.section;
  if (!block || at < 0) return '';
  return `. doveconf 2.3 reads a filter inside a ${block.type} block apart from the block: put the block inside the filter instead (${header(frames[at].section)} { ${header(block)} { ... } })`;
}
