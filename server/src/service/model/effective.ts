import type { SectionNode, SettingNode } from '../syntax/nodes';
import type { FileHost } from './host';
import { contextOf, filtersOf, type ConfigModel, type Placed } from './model';
import { EffectiveTree, expandSelfReference, type MergedSection, type SettingsFacts } from './effectiveTree';
import { hasOpaqueVariable, readValueFile } from './valueSources';

export type { MergedSection } from './effectiveTree';

export interface EffectiveValue {
  /** The value Dovecot ends up with, `$key` self-references expanded (FACTS §1.7). */
  value: string;
  /** The assignment that produced it; undefined when the default applies. */
  entry?: Placed<SettingNode>;
  /**
   * Set when Dovecot decides (part of) the value at start and we cannot see it: an unreadable `<file`,
   * `$ENV:NAME`, another setting's `$name`. `value` then holds what is written; no rule may claim it lacks something.
   */
  unknown?: true;
}

const NO_FACTS: SettingsFacts = { canonicalKey: (_context, key) => key, defaultOf: () => undefined, sectionKind: () => 'named' };

function protocolFilterMatches(filter: SectionNode, protocol: string): boolean {
  return filter.name.startsWith('!') ? filter.name.slice(1) !== protocol : filter.name === protocol;
}

/** The filters around a place as one comparable string ('' outside filters). */
function filterPath(frames: Placed<SettingNode>['frames']): string {
  return filtersOf(frames).map((f) => `${f.type} ${f.name}`).join('/');
}

/**
 * Answers "what is X, and where was it set?" over the whole include tree, in Dovecot's order:
 * a value set inside `protocol lmtp {}` was expanded when it was read, so a later global change
 * does not reach it (FACTS §1.4, §1.7).
 */
export class EffectiveSettings {
  private treeCache?: EffectiveTree;
  private byKeyCache?: Map<string, Placed<SettingNode>[]>;
  private byTypeCache?: Map<string, MergedSection[]>;

  constructor(
    private readonly model: ConfigModel,
    private readonly facts: SettingsFacts = NO_FACTS,
    /** Reads `<file` values; without it they stay unknown. */
    private readonly host?: FileHost,
  ) {}

  /** The configuration in effect as one tree (global block, merged sections, filter blocks). */
  tree(): EffectiveTree {
    this.treeCache ??= EffectiveTree.build(this.model, this.facts);
    return this.treeCache;
  }

  private canonical(context: string, key: string): string {
    return this.facts.canonicalKey(context, key);
  }

  private defaults(key: string, context = ''): string | undefined {
    return this.facts.defaultOf(context, key);
  }

  /** The key an assignment sets, as Dovecot files it (an alias under the setting it stands for). */
  keyOf(entry: Placed<SettingNode>): string {
    return this.canonical(contextOf(entry.frames), entry.node.key);
  }

  /** A setting of the given section-type context ('' = top level), for all protocols or for one. */
  value(key: string, options: { context?: string; protocol?: string } = {}): EffectiveValue {
    const context = options.context ?? '';
    const name = this.canonical(context, key);
    let global: EffectiveValue = { value: this.defaults(name, context) ?? '' };
    let filtered: EffectiveValue | undefined;
    for (const entry of this.assignments(name)) {
      if (contextOf(entry.frames) !== context) continue;
      const filters = filtersOf(entry.frames);
      if (filters.length === 0) {
        global = this.applied(entry, global);
      } else if (options.protocol !== undefined && this.filtersMatch(filters, options.protocol)) {
        filtered = this.applied(entry, filtered ?? global);
      }
    }
    return filtered ?? global;
  }

  /** The value after one assignment, from the value before it (for `$key`). */
  private applied(entry: Placed<SettingNode>, previous: EffectiveValue): EffectiveValue {
    const { node } = entry;
    if (node.valueKind === 'file') {
      const content = this.host ? readValueFile(this.host, entry) : undefined;
      return content === undefined ? { value: node.value, entry, unknown: true } : { value: content, entry };
    }
    const inheritsUnknown = previous.unknown && node.variables.some((variable) => variable.name === node.key);
    const value: EffectiveValue = { value: expandSelfReference(node, previous.value), entry };
    // A template decides the value, or whether the line is there at all.
    const templateDecides = node.template?.value === true || node.template?.conditional === true;
    return hasOpaqueVariable(node) || inheritsUnknown || templateDecides ? { ...value, unknown: true } : value;
  }

  /**
   * The value one assignment produced when Dovecot read it: `$key` expands to the global value at that
   * point, or to the same filter's earlier value (FACTS §1.7).
   */
  valueAt(entry: Placed<SettingNode>): string {
    const context = contextOf(entry.frames);
    const filterKey = filterPath;
    const ownFilter = filterKey(entry.frames);
    let global = this.defaults(this.keyOf(entry), context) ?? '';
    let sameFilter: string | undefined;
    for (const other of this.assignments(this.keyOf(entry))) {
      if (other.order > entry.order) break;
      if (contextOf(other.frames) !== context) continue;
      const otherFilter = filterKey(other.frames);
      if (otherFilter === '') global = expandSelfReference(other.node, global);
      else if (otherFilter === ownFilter) sameFilter = expandSelfReference(other.node, sameFilter ?? global);
    }
    return ownFilter === '' ? global : (sameFilter ?? global);
  }

  /**
   * What `$name` in `entry` expanded to when Dovecot read that line, and the assignment that set it: the
   * same filter's earlier value, else the global value at that point (FACTS §1.7); later lines do not count.
   */
  valueBefore(entry: Placed<SettingNode>, name: string): EffectiveValue {
    const context = contextOf(entry.frames);
    const ownFilter = filterPath(entry.frames);
    let global: EffectiveValue = { value: this.defaults(name, context) ?? '' };
    let sameFilter: EffectiveValue | undefined;
    for (const other of this.assignments(name)) {
      if (other.order >= entry.order) break;
      if (contextOf(other.frames) !== context) continue;
      const otherFilter = filterPath(other.frames);
      if (otherFilter === '') global = { value: expandSelfReference(other.node, global.value), entry: other };
      else if (ownFilter !== '' && otherFilter === ownFilter) sameFilter = { value: expandSelfReference(other.node, (sameFilter ?? global).value), entry: other };
    }
    return sameFilter ?? global;
  }

  /** Every assignment of a key (or of an alias of it) anywhere (any section, any filter), in processing order. */
  assignments(key: string): Placed<SettingNode>[] {
    return this.byKey().get(key) ?? [];
  }

  /** Settings grouped by key once, so value() and assignments() do not scan the whole model per call. */
  private byKey(): Map<string, Placed<SettingNode>[]> {
    if (this.byKeyCache) return this.byKeyCache;
    const byKey = new Map<string, Placed<SettingNode>[]>();
    for (const entry of this.model.settings) {
      const key = this.keyOf(entry);
      const list = byKey.get(key);
      if (list) list.push(entry);
      else byKey.set(key, [entry]);
    }
    this.byKeyCache = byKey;
    return byKey;
  }

  /** The protocol names that some `protocol X {}` filter sets `key` for. */
  protocolsOverriding(key: string, context = ''): string[] {
    const names = new Set<string>();
    for (const entry of this.assignments(this.canonical(context, key))) {
      if (contextOf(entry.frames) !== context) continue;
      for (const filter of filtersOf(entry.frames)) if (filter.filter === 'protocol') names.add(filter.name);
    }
    return [...names];
  }

  /** Top-level merged sections of a type (`service`, `plugin`, `passdb`...), outside filters. */
  sections(type: string): MergedSection[] {
    return [...(this.sectionsByType().get(type) ?? [])];
  }

  section(type: string, name: string): MergedSection | undefined {
    return this.sections(type).find((section) => section.name === name);
  }

  private filtersMatch(filters: SectionNode[], protocol: string): boolean {
    return filters.every((filter) => filter.filter === 'protocol' && protocolFilterMatches(filter, protocol));
  }

  /** Top-level merged sections grouped by type once (the tree never changes), in tree order. */
  private sectionsByType(): Map<string, MergedSection[]> {
    if (this.byTypeCache) return this.byTypeCache;
    const byType = new Map<string, MergedSection[]>();
    for (const section of this.tree().global.children) {
      const list = byType.get(section.type);
      if (list) list.push(section);
      else byType.set(section.type, [section]);
    }
    this.byTypeCache = byType;
    return byType;
  }
}
