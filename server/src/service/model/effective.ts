import type { SettingNode } from '../syntax/nodes';
import type { FileHost } from './host';
import { contextOf, type ConfigModel, type Placed } from './model';
import {
  EffectiveTree,
  expandSelfReference,
  type AssignmentRead,
  type FilterSpec,
  type MergedSection,
  type SettingsFacts,
  type TypedValue,
} from './effectiveTree';
import { readValueFile } from './valueSources';

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

/** A setting of one merged section (a service, a listener): its value and, for typed settings, the value in its type. */
export interface SectionValue extends EffectiveValue {
  /** Undefined when the value is unknown, invalid or a string. */
  typed?: TypedValue;
}

export interface ValueOptions {
  /** The section-type context ('' = top level, `plugin`, `service`). */
  context?: string;
  /** The value for this protocol (`protocol X {}` filters applied). */
  protocol?: string;
}

const NO_FACTS: SettingsFacts = {
  keyRead: (node) => node.key,
  canonicalKey: (_context, key) => key,
  defaultOf: () => undefined,
  sectionKind: () => 'named',
  parseValue: () => undefined,
  selfVariable: (key) => key,
  selfValue: (_context, _key, previous) => previous,
  replacesList: () => false,
  sectionSelfReadsTopLevel: false,
  rejectedLineSetting: () => undefined,
};

/** The last default of a setting parsed into its type, and what it gave. */
interface ParsedFallback {
  fallback: string;
  typed: TypedValue | undefined;
}

/** A filter block of protocol filters only (`protocol imap`, `protocol !pop3`) that applies to `protocol`. */
function protocolSpecMatches(spec: FilterSpec, protocol: string): boolean {
  if (
    spec.protocol === undefined ||
    spec.local !== undefined ||
    spec.local_name !== undefined ||
    spec.remote !== undefined
  )
    return false;
  return protocolMatches(spec.protocol, protocol);
}

/** Whether a `protocol` filter's name (`imap`, or `!pop3` for every protocol but pop3) applies to `protocol`. */
export function protocolMatches(written: string, protocol: string): boolean {
  return written.startsWith('!') ? written.slice(1) !== protocol : written === protocol;
}

function later(a: AssignmentRead | undefined, b: AssignmentRead | undefined): AssignmentRead | undefined {
  return !a || (b && b.origin.order > a.origin.order) ? b : a;
}

/** The merged sections at a section-type context ('' = the block itself, `plugin`, `service/unix_listener`). */
function sectionsAt(block: MergedSection, context: string): MergedSection[] {
  let sections = [block];
  for (const type of context === '' ? [] : context.split('/'))
    sections = sections.flatMap((section) => section.children.filter((child) => child.type === type));
  return sections;
}

/**
 * Answers "what is X, and where was it set?" over the whole include tree, in Dovecot's order:
 * a value set inside `protocol lmtp {}` was expanded when it was read, so a later global change
 * does not reach it (FACTS §1.4, §1.7).
 */
export class EffectiveSettings {
  private treeCache?: EffectiveTree;
  private byTypeCache?: Map<string, MergedSection[]>;
  private readonly typedDefaults = new Map<string, TypedValue | undefined>();
  /**
   * The last built-in default of each context and key parsed into its type: the services and listeners that
   * fall back to the same default are read one after another. A listener's path falls back to its name, a
   * new default for each listener: one is kept, not one per listener.
   */
  private readonly typedFallbacks = new Map<string, Map<string, ParsedFallback>>();

  constructor(
    private readonly model: ConfigModel,
    private readonly facts: SettingsFacts = NO_FACTS,
    /** Reads `<file` values; without it they stay unknown. */
    private readonly host?: FileHost,
  ) {}

  /** The configuration in effect as one tree (global block, merged sections, filter blocks). */
  tree(): EffectiveTree {
    const host = this.host;
    this.treeCache ??= EffectiveTree.build(
      this.model,
      this.facts,
      host ? (entry) => readValueFile(host, entry) : undefined,
    );
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
    return this.canonical(contextOf(entry.frames), this.facts.keyRead(entry.node));
  }

  /** A setting of the given section-type context ('' = top level), for all protocols or for one. */
  value(key: string, options: ValueOptions = {}): EffectiveValue {
    const { read, name, context } = this.readFor(key, options);
    return read ? this.valueOfRead(read) : { value: this.defaults(name, context) ?? '' };
  }

  /** What an assignment gives once the whole configuration is read, with the line that set it. */
  valueOfRead(read: AssignmentRead): EffectiveValue {
    const resolved = this.tree().resolved(read);
    return resolved.unknown
      ? { value: resolved.value, entry: read.origin, unknown: true }
      : { value: resolved.value, entry: read.origin };
  }

  /** The same value in its setting's type (`default_process_limit` as a number); undefined when unknown, invalid or a string. */
  typedValue(key: string, options: ValueOptions = {}): TypedValue | undefined {
    const { read, name, context } = this.readFor(key, options);
    if (read) return this.tree().typed(read);
    const cacheKey = `${context}\u0000${name}`;
    if (!this.typedDefaults.has(cacheKey)) {
      const fallback = this.defaults(name, context);
      this.typedDefaults.set(
        cacheKey,
        fallback === undefined ? undefined : this.facts.parseValue(context, name, fallback),
      );
    }
    return this.typedDefaults.get(cacheKey);
  }

  /** The assignment in effect (undefined: the default applies), under the key Dovecot files it. */
  private readFor(key: string, options: ValueOptions): { read?: AssignmentRead; name: string; context: string } {
    const context = options.context ?? '';
    const name = this.canonical(context, key);
    const tree = this.tree();
    // A protocol's filter value was frozen when read: it wins over any global assignment (FACTS §1.4). Of
    // several matching filters that set the key, the first one opened applies (doveconf -f protocol=imap).
    const filtered = options.protocol === undefined ? undefined : this.firstFilterRead(options.protocol, context, name);
    return { read: filtered ?? this.lastReadAt(tree.global, context, name), name, context };
  }

  /** The value set in the first-opened protocol filter that applies to `protocol` and sets `key`. */
  private firstFilterRead(protocol: string, context: string, key: string): AssignmentRead | undefined {
    for (const filter of this.tree().filters.values()) {
      if (!protocolSpecMatches(filter.spec, protocol)) continue;
      const read = this.lastReadAt(filter.root, context, key);
      if (read) return read;
    }
    return undefined;
  }

  /** The latest assignment of `key` in the sections of a context under a block ('' = the block itself). */
  private lastReadAt(block: MergedSection, context: string, key: string): AssignmentRead | undefined {
    let latest: AssignmentRead | undefined;
    for (const section of sectionsAt(block, context)) {
      latest = later(latest, this.tree().lastRead(section, key));
    }
    return latest;
  }

  /**
   * The value one assignment produced when Dovecot read it: `$key` expands to the global value at that
   * point, or to the same filter's earlier value (FACTS §1.7).
   */
  valueAt(entry: Placed<SettingNode>): string {
    return (
      this.tree().readAt(entry.node)?.written ??
      expandSelfReference(
        entry.node,
        this.defaults(this.keyOf(entry), contextOf(entry.frames)) ?? '',
        this.facts.selfVariable(entry.node.key),
      )
    );
  }

  /**
   * What `$name` in `entry` expanded to when Dovecot read that line, and the assignment that set it: the
   * same filter's earlier value, else the global value at that point (FACTS §1.7); later lines do not count.
   */
  valueBefore(entry: Placed<SettingNode>, name: string): EffectiveValue {
    const tree = this.tree();
    const block = tree.readAt(entry.node)?.block;
    const before = (where: MergedSection): AssignmentRead | undefined => tree.readBefore(where, name, entry.order);
    const read = block && (before(block) ?? (tree.isFilterRoot(block) ? before(tree.global) : undefined));
    return read
      ? { value: read.written, entry: read.origin }
      : { value: this.defaults(name, contextOf(entry.frames)) ?? '' };
  }

  /**
   * A setting directly inside one merged section (`service imap`, its `inet_listener imaps`) as Dovecot reads
   * it: the section's last assignment, else `fallback` (the section's built-in default). `context` is the
   * section's type path (`service`, `service/inet_listener`), which gives the setting's type.
   */
  valueIn(section: MergedSection | undefined, context: string, key: string, fallback = ''): SectionValue {
    const name = this.canonical(context, key);
    const own = section ? this.valueSetIn(section, context, name) : undefined;
    return own ?? { value: fallback, typed: this.typedFallback(context, name, fallback) };
  }

  /** The same for a setting the section sets itself; undefined when it does not (without making its fallback). */
  ownValueIn(section: MergedSection, context: string, key: string): SectionValue | undefined {
    return this.valueSetIn(section, context, this.canonical(context, key));
  }

  private valueSetIn(section: MergedSection, context: string, name: string): SectionValue | undefined {
    const tree = this.tree();
    const read = tree.lastRead(section, name);
    if (!read) return undefined;
    const resolved = tree.resolved(read);
    if (resolved.unknown) return { value: resolved.value, entry: read.origin, unknown: true };
    const typed = tree.typedOf(read, resolved);
    return typed === undefined
      ? { value: resolved.value, entry: read.origin }
      : { value: resolved.value, entry: read.origin, typed };
  }

  private typedFallback(context: string, key: string, fallback: string): TypedValue | undefined {
    let ofContext = this.typedFallbacks.get(context);
    if (!ofContext) this.typedFallbacks.set(context, (ofContext = new Map()));
    const kept = ofContext.get(key);
    if (kept?.fallback === fallback) return kept.typed;
    const typed = this.facts.parseValue(context, key, fallback);
    if (kept) {
      kept.fallback = fallback;
      kept.typed = typed;
    } else ofContext.set(key, { fallback, typed });
    return typed;
  }

  /** Every assignment of a key (or of an alias of it) anywhere (any section, any filter), in processing order. */
  assignments(key: string): readonly Placed<SettingNode>[] {
    return this.tree().assignments(key);
  }

  /** The protocol names that some `protocol X {}` filter sets `key` for. */
  protocolsOverriding(key: string, context = ''): string[] {
    const name = this.canonical(context, key);
    const names = new Set<string>();
    for (const { spec, root } of this.tree().filters.values()) {
      if (spec.protocol !== undefined && this.lastReadAt(root, context, name)) names.add(spec.protocol);
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
