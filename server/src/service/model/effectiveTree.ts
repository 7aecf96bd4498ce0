// The configuration in effect as one tree, built once per model: top-level settings and merged sections
// in the global block, each filter (protocol/local/local_name/remote combination) in its own block, values
// with `$key` expanded in processing order and the assignment that produced them, and what each assignment
// gave when Dovecot read it. The checks (through EffectiveSettings), hover, definition, inlay hints and the
// effective view all read this tree.
import type { InvalidNode, SectionNode, SettingNode } from '../syntax/nodes';
import { contextOf, forEachInOrder, type ConfigModel, type Frame, type Placed } from './model';
import { networkKey } from './filters';
import { hasOpaqueVariable } from './valueSources';
import { forEachKeyVariableWord } from '../syntax/valueWords';

/** What the tree needs to know about Dovecot's settings (given by the schema layer). */
export interface SettingsFacts {
  /** The key Dovecot reads on an assignment's line: 2.3 keeps the quotes of a key written in them (`"x"`). */
  keyRead(node: SettingNode): string;
  /** The name a key stands for in a section-type context: aliases resolve (`doveadm_proxy_port` -> `doveadm_port`). */
  canonicalKey(context: string, key: string): string;
  /** The built-in default, '' when unknown. */
  defaultOf(context: string, key: string): string | undefined;
  /**
   * How same-typed sections combine: `named` merge by name (service, namespace, ...), `list` stay apart and
   * their name is just a `name` setting (passdb, userdb), `strlist` are one free-form block (plugin {}).
   */
  sectionKind(parentContext: string, type: string): 'named' | 'list' | 'strlist';
  /** A value in its setting's type, as Dovecot's settings parser reads it; undefined for strings and invalid values. */
  parseValue(context: string, key: string, value: string): TypedValue | undefined;
  /** The variable a line uses for the value read so far of its own key: `mail_plugins` (2.3), `SET:mail_plugins` (2.4). */
  selfVariable(key: string): string;
  /** The text that variable stands for, from the value read so far (2.3 writes a size as `1 G`, a boolean as `yes`). */
  selfValue(context: string, key: string, previous: string): string;
  /** `key = value` replaces the list the `key { }` blocks read so far made (a 2.4 boolean list; a string list, emptied). */
  replacesList(key: string): boolean;
  /**
   * `key = $key` inside a section that is no filter (a service, a listener, plugin {}) reads the top-level
   * setting `key` as the filter around holds it, not the section's own value (2.3's config_get_value()).
   */
  sectionSelfReadsTopLevel: boolean;
  /** The setting this version reads from a line Dovecot 2.4 rejects (2.3 reads `"x"y = z` with the quote in the key). */
  rejectedLineSetting(node: InvalidNode): SettingNode | undefined;
}

/** A setting's value in its type: a number (bytes, seconds or milliseconds for sizes and times), a port, a boolean. */
export type TypedValue = bigint | number | boolean;

export interface TreeValue {
  /** The value as doveconf -n holds it: `$key` expanded, `<path` for a file value. */
  value: string;
  /** Where it was set; undefined for values doveconf fills in itself. */
  origin?: Placed<SettingNode> | Placed<SectionNode>;
}

/** A section as Dovecot sees it after merging same-named blocks (FACTS §1.3), e.g. `service doveadm`. */
export interface MergedSection {
  /** The section type; `group @label` for a 2.4 include group's definition, so groups of two labels stay apart. */
  type: string;
  /** The section name; '' for unnamed and list sections (they stay distinct). */
  name: string;
  /** Position among unnamed siblings of the same type: doveconf keys those by index (passdb/0). */
  index: number;
  /** The blocks Dovecot merged into this section, in processing order; none for the global block and filters' roots. */
  readonly occurrences: readonly Placed<SectionNode>[];
  /** The first of them (`occurrences[0]`): where the section was opened first. */
  readonly opening: Placed<SectionNode> | undefined;
  /** Last assignment of each key directly inside the section (aliases under their target). */
  settings: SettingLookup;
  values: ReadonlyMap<string, TreeValue>;
  children: MergedSection[];
}

/** What one assignment gave when Dovecot read it (FACTS §1.7): later lines do not change it. */
export interface AssignmentRead {
  origin: Placed<SettingNode>;
  /** The key set (an alias under the setting it stands for). */
  key: string;
  /** `$key` expanded from the value read so far; a `<file` value as its path. */
  written: string;
  /** For a line with `$` words: the read it built on (for `$key`), or the built-in default; undefined for other lines. */
  previous?: AssignmentRead | string;
  /** The block (merged section or filter root) the assignment went to. */
  block: MergedSection;
  /** The value as doveconf -n holds it after this assignment (a `<file` value with its `<`). */
  value: string;
  /** The assignment of the same key in the same block before this one. */
  earlier?: AssignmentRead;
}

/** An assignment read as the tree keeps it. */
abstract class TreeRead implements AssignmentRead {
  constructor(
    readonly origin: Placed<SettingNode>,
    readonly block: MergedSection,
    readonly earlier: AssignmentRead | undefined,
  ) {}

  abstract readonly key: string;
  abstract get written(): string;
  abstract get value(): string;
}

/**
 * A line without `$` words or `<file` (nearly all of them): it gives its value as written, and builds on
 * nothing, so the tree keeps no more than where it went.
 */
abstract class AsWrittenRead extends TreeRead {
  get written(): string {
    return this.origin.node.value;
  }

  get value(): string {
    return this.origin.node.value;
  }
}

/** A plain line of the key written on it (nearly all): the key is read from the line. */
class PlainRead extends AsWrittenRead {
  get key(): string {
    return this.origin.node.key;
  }
}

/** A plain line whose key Dovecot files under another name: an alias, or a 2.3 key written in quotes. */
class RenamedPlainRead extends AsWrittenRead {
  constructor(
    origin: Placed<SettingNode>,
    block: MergedSection,
    earlier: AssignmentRead | undefined,
    readonly key: string,
  ) {
    super(origin, block, earlier);
  }
}

/** A line with `$` words or a `<file` value: what it expanded to, and what Dovecot works with once asked for. */
class ExpandedRead extends TreeRead {
  resolvedValue: ResolvedValue | undefined = undefined;
  /** The setting `previous` is a value of, when it is not the line's own (a top-level setting read from a section). */
  previousSetting: SettingAt | undefined = undefined;

  constructor(
    origin: Placed<SettingNode>,
    block: MergedSection,
    earlier: AssignmentRead | undefined,
    readonly key: string,
    readonly written: string,
    readonly value: string,
    readonly previous: AssignmentRead | string,
  ) {
    super(origin, block, earlier);
  }
}

/** A setting in a section-type context ('' = top level). */
interface SettingAt {
  context: string;
  key: string;
}

/** What Dovecot works with after an assignment: its value, a readable `<file`'s content. */
export interface ResolvedValue {
  value: string;
  /**
   * Set when Dovecot decides (part of) the value at start and we cannot see it: an unreadable `<file`,
   * `$ENV:NAME`, another setting's `$name`, a template expression; also a `$key` built on such a value.
   */
  unknown?: true;
}

/** The content of a `key = <file` value, undefined when it cannot be read. */
export type ValueFileReader = (entry: Placed<SettingNode>) => string | undefined;

export interface FilterSpec {
  local?: string;
  local_name?: string;
  remote?: string;
  protocol?: string;
}

export interface FilterBlock {
  spec: FilterSpec;
  /** Creation order, for doveconf's tie-break in printing. */
  created: number;
  root: MergedSection;
  header: Placed<SectionNode>;
}

/**
 * `$key` self-reference (`$SET:key` in 2.4) expanded as config-parser.c does it: the value split into
 * Dovecot's words (valueWords.ts), the word replaced by the value read so far, joined with single spaces (so
 * an empty previous value leaves a leading space, which doveconf then prints quoted) (FACTS §1.7). Other
 * `$vars` stay literal.
 */
export function expandSelfReference(node: SettingNode, previous: string, selfVariable = node.key): string {
  if (node.valueKind !== 'variables') return node.value;
  const value = node.value;
  const self = `$${selfVariable}`;
  let expanded: string | undefined;
  forEachKeyVariableWord(value, (start, end) => {
    const part = end - start === self.length && value.startsWith(self, start) ? previous : value.slice(start, end);
    // Concatenated, not joined: a long chain of `key = $key more` then shares its earlier values.
    expanded = expanded === undefined ? part : expanded + ' ' + part;
  });
  return expanded ?? '';
}

/** The assignment behind a value; undefined for a value no assignment made (a list section's `name`). */
function readOf(value: TreeValue | undefined): AssignmentRead | undefined {
  return value instanceof TreeRead ? value : undefined;
}

/** Where a value's key was first set in its block, even by a line a later one overrides. */
export function firstSetAt(value: TreeValue): number | undefined {
  let read = readOf(value);
  if (!read) return value.origin?.order;
  while (read.earlier) read = read.earlier;
  return read.origin.order;
}

export interface SettingLookup {
  get(key: string): Placed<SettingNode> | undefined;
}

/** Up to this many children, a block's children are searched one by one; past it they are indexed. */
const CHILDREN_SEARCHED_IN_ORDER = 8;

/**
 * The children of a block with many, found again while the tree is built: named sections (and free-form
 * blocks, under the name '') by type and name, unnamed and listed ones by their node; and how many
 * unnamed ones of each type there are.
 */
class ChildIndex {
  private readonly named = new Map<string, Map<string, Block>>();
  private readonly byNode = new Map<SectionNode, Block>();
  private readonly unnamedCounts = new Map<string, number>();

  constructor(children: readonly Block[]) {
    for (const child of children) this.add(child);
  }

  find(type: string, name: string, node: SectionNode | undefined): Block | undefined {
    return node ? this.byNode.get(node) : this.named.get(type)?.get(name);
  }

  add(child: Block): void {
    if (child.identityNode) this.byNode.set(child.identityNode, child);
    else {
      let byName = this.named.get(child.type);
      if (!byName) this.named.set(child.type, (byName = new Map()));
      byName.set(child.name, child);
    }
    if (child.name === '') this.unnamedCounts.set(child.type, this.unnamedCount(child.type) + 1);
  }

  unnamedCount(type: string): number {
    return this.unnamedCounts.get(type) ?? 0;
  }
}

/**
 * The values of a block by key, in the order the keys were first set. Most blocks (a listener, a mailbox,
 * most services) hold one or two: those are kept in fields, in about a third of the room of a Map.
 */
class BlockValues implements ReadonlyMap<string, TreeValue> {
  private firstKey: string | undefined = undefined;
  private firstValue: TreeValue | undefined = undefined;
  private secondKey: string | undefined = undefined;
  private secondValue: TreeValue | undefined = undefined;
  /** All of them, once a third key is set. */
  private byKey: Map<string, TreeValue> | undefined = undefined;

  get size(): number {
    if (this.byKey) return this.byKey.size;
    return this.secondKey !== undefined ? 2 : this.firstKey !== undefined ? 1 : 0;
  }

  get(key: string): TreeValue | undefined {
    if (this.byKey) return this.byKey.get(key);
    if (key === this.firstKey) return this.firstValue;
    if (key === this.secondKey) return this.secondValue;
    return undefined;
  }

  has(key: string): boolean {
    return this.get(key) !== undefined;
  }

  set(key: string, value: TreeValue): void {
    if (this.byKey) {
      this.byKey.set(key, value);
    } else if (this.firstKey === undefined || key === this.firstKey) {
      this.firstKey = key;
      this.firstValue = value;
    } else if (this.secondKey === undefined || key === this.secondKey) {
      this.secondKey = key;
      this.secondValue = value;
    } else {
      this.byKey = new Map(this.entries()).set(key, value);
      this.firstKey = this.firstValue = this.secondKey = this.secondValue = undefined;
    }
  }

  clear(): void {
    this.firstKey = this.firstValue = this.secondKey = this.secondValue = this.byKey = undefined;
  }

  *entries(): MapIterator<[string, TreeValue]> {
    if (this.byKey) {
      yield* this.byKey.entries();
      return;
    }
    if (this.firstKey !== undefined) yield [this.firstKey, this.firstValue as TreeValue];
    if (this.secondKey !== undefined) yield [this.secondKey, this.secondValue as TreeValue];
  }

  *keys(): MapIterator<string> {
    for (const [key] of this.entries()) yield key;
  }

  *values(): MapIterator<TreeValue> {
    for (const [, value] of this.entries()) yield value;
  }

  [Symbol.iterator](): MapIterator<[string, TreeValue]> {
    return this.entries();
  }

  forEach(callback: (value: TreeValue, key: string, map: ReadonlyMap<string, TreeValue>) => void): void {
    for (const [key, value] of this.entries()) callback(value, key, this);
  }
}

/** Shared by the blocks without children, and by those no section opens (the global block, filters' roots). */
const NO_CHILDREN: Block[] = [];
const NO_OCCURRENCES: readonly Placed<SectionNode>[] = [];

/** A merged section; it is its own `settings` lookup: each key's last assignment is read from its values. */
abstract class Block implements MergedSection, SettingLookup {
  /** The section that opened it, or, once it is opened again, the list of them (most sections are opened once). */
  private opened: Placed<SectionNode> | Placed<SectionNode>[] | undefined = undefined;
  readonly values = new BlockValues();
  children: Block[] = NO_CHILDREN;

  constructor(
    readonly type: string,
    readonly name: string,
  ) {}

  abstract readonly index: number;
  /** The section a block of an unnamed or listed section stands for (those do not merge). */
  abstract readonly identityNode: SectionNode | undefined;

  get settings(): SettingLookup {
    return this;
  }

  get(key: string): Placed<SettingNode> | undefined {
    return lastReadIn(this, key)?.origin;
  }

  get occurrences(): readonly Placed<SectionNode>[] {
    const opened = this.opened;
    if (opened === undefined) return NO_OCCURRENCES;
    return Array.isArray(opened) ? opened : [opened];
  }

  get opening(): Placed<SectionNode> | undefined {
    const opened = this.opened;
    return Array.isArray(opened) ? opened[0] : opened;
  }

  addOccurrence(placed: Placed<SectionNode>): void {
    const opened = this.opened;
    if (opened === undefined) this.opened = placed;
    else if (Array.isArray(opened)) opened.push(placed);
    else this.opened = [opened, placed];
  }

  /** A child by identity: a named one (or a free-form block, name '') by type and name, an unnamed or listed one by its section. */
  findChild(type: string, name: string, node: SectionNode | undefined, indexes: ChildIndexes): Block | undefined {
    if (this.children.length > CHILDREN_SEARCHED_IN_ORDER) return indexes.of(this).find(type, name, node);
    for (const child of this.children)
      if (child.type === type && child.identityNode === node && (node !== undefined || child.name === name))
        return child;
    return undefined;
  }

  /** How many unnamed children of this type the block has: the next one's position (doveconf keys those by index: passdb/0). */
  unnamedChildren(type: string, indexes: ChildIndexes): number {
    if (this.children.length > CHILDREN_SEARCHED_IN_ORDER) return indexes.of(this).unnamedCount(type);
    let count = 0;
    for (const child of this.children) if (child.type === type && child.name === '') count++;
    return count;
  }

  /** Empties a list block: `protocols = imap` replaces what the `protocols { }` blocks before it made. */
  clear(indexes: ChildIndexes): void {
    this.values.clear();
    this.children = NO_CHILDREN;
    indexes.forget(this);
  }

  addChild(child: Block, indexes: ChildIndexes): void {
    // The first two in a list of their size: a list grown by pushing keeps room for 16 more.
    const children = this.children;
    if (children.length === 0) this.children = [child];
    else if (children.length === 1) this.children = [children[0], child];
    else {
      children.push(child);
      if (children.length > CHILDREN_SEARCHED_IN_ORDER + 1) indexes.added(this, child);
    }
  }
}

/**
 * A block of named sections merged by name (nearly all of them), a free-form block, the global block or a
 * filter's root: first of its type, standing for no one section.
 */
class NamedBlock extends Block {
  get index(): number {
    return 0;
  }

  get identityNode(): undefined {
    return undefined;
  }
}

/** A block of an unnamed or listed section (those do not merge), or placed after unnamed ones of its type. */
class IdentityBlock extends Block {
  constructor(
    type: string,
    name: string,
    readonly index: number,
    readonly identityNode: SectionNode | undefined,
  ) {
    super(type, name);
  }
}

function newBlock(type: string, name: string, index = 0, identityNode?: SectionNode): Block {
  return index === 0 && identityNode === undefined
    ? new NamedBlock(type, name)
    : new IdentityBlock(type, name, index, identityNode);
}

/** The child indexes of the blocks with many children, made on first search while the tree is built. */
class ChildIndexes {
  private readonly byBlock = new Map<Block, ChildIndex>();

  of(block: Block): ChildIndex {
    let index = this.byBlock.get(block);
    if (!index) this.byBlock.set(block, (index = new ChildIndex(block.children)));
    return index;
  }

  /** A child added to a block that may have an index already. */
  added(block: Block, child: Block): void {
    this.byBlock.get(block)?.add(child);
  }

  forget(block: Block): void {
    this.byBlock.delete(block);
  }
}

/** Where the entries under one frames array go: the filter's root (or the global block) and the block in it. */
interface Place {
  root: Block;
  block: Block;
}

/**
 * Places remembered per depth (the length of the frames). Entries come in processing order, so a
 * section's body comes right after the section, and siblings share one frames array: what was placed
 * last at a depth is nearly always what the next entry there needs. A miss only places the entry afresh.
 */
class PlacesByDepth {
  private readonly frames: (readonly Frame[] | undefined)[] = [];
  private readonly places: (Place | undefined)[] = [];
  private readonly sections: (SectionNode | undefined)[] = [];
  private readonly sectionFrames: (readonly Frame[] | undefined)[] = [];
  private readonly bodyPlaces: (Place | undefined)[] = [];

  /** The place of entries under exactly these frames, if it was the last one kept at their depth. */
  placeOf(frames: readonly Frame[]): Place | undefined {
    return this.frames[frames.length] === frames ? this.places[frames.length] : undefined;
  }

  keepPlace(frames: readonly Frame[], place: Place): void {
    this.frames[frames.length] = frames;
    this.places[frames.length] = place;
  }

  /** The place of statements directly inside the section `frames` end in, if that section was the last placed at its depth under the same sections. */
  bodyPlaceOf(frames: readonly Frame[]): Place | undefined {
    const depth = frames.length - 1;
    if (depth < 0 || this.sections[depth] !== frames[depth].section) return undefined;
    const outer = this.sectionFrames[depth]!;
    for (let i = 0; i < depth; i++) if (outer[i].section !== frames[i].section) return undefined;
    return this.bodyPlaces[depth];
  }

  /** A section placed under `frames`: its statements go to `body`. */
  keepSection(section: SectionNode, frames: readonly Frame[], body: Place): void {
    this.sections[frames.length] = section;
    this.sectionFrames[frames.length] = frames;
    this.bodyPlaces[frames.length] = body;
  }
}

const notFilter = (frame: Frame): boolean => !frame.section.filter;

/** A filter's identity: its kinds' values (local, local_name, remote, protocol), as the tree's filters are keyed. */
export function specKey(spec: FilterSpec): string {
  const local = spec.local === undefined ? '' : networkKey(spec.local);
  const remote = spec.remote === undefined ? '' : networkKey(spec.remote);
  return `${local}\u0000${spec.local_name ?? ''}\u0000${remote}\u0000${spec.protocol ?? ''}`;
}

/** The last assignment of `key` directly in a block (a merged section or a filter's root). */
function lastReadIn(block: MergedSection, key: string): AssignmentRead | undefined {
  return readOf(block.values.get(key));
}

/**
 * The keys the checks ask every assignment of, in every analysis: their assignments are gathered as the tree
 * is built. Those of any other key (the references of a setting) are looked for when asked.
 */
function isGatheredKey(key: string): boolean {
  return key === 'mail_plugins' || key === 'mail_replica' || key === 'dovecot_config_version';
}

/** The key Dovecot files a line's value under in `context`: the key read, under its target when an alias. */
function keyFiledUnder(facts: SettingsFacts, context: string, node: SettingNode): string {
  return facts.canonicalKey(context, facts.keyRead(node));
}

/** Builds the tree in processing order; what only the building needs is dropped with the builder. */
class TreeBuilder {
  readonly global = newBlock('', '');
  readonly filters = new Map<string, FilterBlock & { root: Block }>();
  readonly filterRoots = new Set<MergedSection>();
  /** The keys of the filters around each filter (`local X` around `local X` + `protocol imap`), innermost first. */
  private readonly outerFilters = new Map<Block, string[]>();
  /** Every assignment of a gathered key, in processing order. */
  readonly gathered = new Map<string, Placed<SettingNode>[]>();
  /** The settings placed, in processing order (the model's, with the lines only 2.3 reads as settings). */
  settings: readonly Placed<SettingNode>[] = [];
  /** Dropped with the builder. */
  private readonly childIndexes = new ChildIndexes();
  private readonly places = new PlacesByDepth();

  constructor(private readonly facts: SettingsFacts) {}

  /** Adds the model's sections and settings in processing order (on equal order the section first). */
  addAll(model: ConfigModel): void {
    const rejected: Placed<SettingNode>[] = [];
    for (const entry of model.rejected24) {
      const node = this.facts.rejectedLineSetting(entry.node);
      if (node) rejected.push({ ...entry, node });
    }
    const settings =
      rejected.length === 0 ? model.settings : [...model.settings, ...rejected].sort((a, b) => a.order - b.order);
    this.settings = settings;
    forEachInOrder(
      model.sections,
      settings,
      (section) => {
        if (!section.node.filter) this.addSection(section);
      },
      (setting) => this.addSetting(setting),
    );
  }

  private addSection(placed: Placed<SectionNode>): void {
    const parent = this.placeOf(placed);
    const frames = placed.frames;
    const block = this.childAt(parent.block, contextOf(frames), placed.node, placed.file, frames, frames.length);
    block.addOccurrence(placed);
    this.places.keepSection(placed.node, frames, { root: parent.root, block });
  }

  private addSetting(entry: Placed<SettingNode>): void {
    const { root, block } = this.placeOf(entry);
    const context = contextOf(entry.frames);
    const node = entry.node;
    const key = keyFiledUnder(this.facts, context, node);
    if (this.facts.replacesList(key)) block.findChild(key, '', undefined, this.childIndexes)?.clear(this.childIndexes);
    const earlier = lastReadIn(block, key);
    const read =
      node.valueKind === 'variables' || node.valueKind === 'file'
        ? this.expandedRead(entry, context, key, root, block, earlier)
        : key === node.key
          ? new PlainRead(entry, block, earlier)
          : new RenamedPlainRead(entry, block, earlier, key);
    block.values.set(key, read);
    if (isGatheredKey(key)) {
      const ofKey = this.gathered.get(key);
      if (ofKey) ofKey.push(entry);
      else this.gathered.set(key, [entry]);
    }
  }

  /** The read of a line with `$` words or a `<file` value: `$key` expanded from the value read so far. */
  private expandedRead(
    entry: Placed<SettingNode>,
    context: string,
    key: string,
    root: Block,
    block: Block,
    earlier: AssignmentRead | undefined,
  ): ExpandedRead {
    const node = entry.node;
    // `$key` reads this setting: in a 2.3 section that is no filter, the top-level one (when there is one).
    const topKey = this.topLevelKeyRead(node, root, block);
    const previous =
      topKey === undefined ? (earlier ?? this.inheritedRead(context, key, root, block)) : this.readIn(root, topKey);
    let written = node.value;
    let expanded = node.value;
    const self = node.valueKind === 'variables' ? this.facts.selfVariable(node.key) : undefined;
    if (self !== undefined && node.variables.some((variable) => variable.name === self)) {
      const baseContext = topKey === undefined ? context : '';
      const baseKey = topKey ?? key;
      const baseBlock = topKey === undefined ? block : root;
      const previousWritten = typeof previous === 'string' ? previous : previous.written;
      written = expandSelfReference(node, this.facts.selfValue(baseContext, baseKey, previousWritten), self);
      // The value chain differs from the read chain only in the `<` of file values: where it does not, the
      // line's value is its read, the same string (a `key = $key more` chain is then expanded once).
      const previousValue =
        baseBlock.values.get(baseKey)?.value ?? this.inheritedValue(baseContext, baseKey, root, baseBlock);
      expanded =
        previousValue === previousWritten
          ? written
          : expandSelfReference(node, this.facts.selfValue(baseContext, baseKey, previousValue), self);
    } else if (self !== undefined) {
      written = expanded = expandSelfReference(node, '', self);
    }
    const value = node.valueKind === 'file' ? `<${expanded}` : expanded;
    const read = new ExpandedRead(entry, block, earlier, key, written, value, previous);
    if (topKey !== undefined) read.previousSetting = { context: '', key: topKey };
    return read;
  }

  /**
   * In a 2.3 section that is no filter, `$key` reads the top-level setting of that name, when there is one
   * (Dovecot stops at the line otherwise): its key there; undefined where `$key` reads the block's own value.
   */
  private topLevelKeyRead(node: SettingNode, root: Block, block: Block): string | undefined {
    if (block === root || !this.facts.sectionSelfReadsTopLevel) return undefined;
    const topKey = keyFiledUnder(this.facts, '', node);
    return this.facts.defaultOf('', topKey) !== undefined ? topKey : undefined;
  }

  /** The read of a top-level setting so far, or its default. */
  private readIn(root: Block, key: string): AssignmentRead | string {
    return readOf(root.values.get(key)) ?? this.inheritedRead('', key, root, root);
  }

  /** The root and the block a setting or section goes to; entries placed under the same open sections share their frames. */
  private placeOf(entry: { frames: Frame[]; order: number }): Place {
    const frames = entry.frames;
    let place = this.places.placeOf(frames);
    if (!place) {
      place = this.places.bodyPlaceOf(frames);
      if (!place) {
        const root = this.rootFor(entry);
        place = { root, block: this.sectionAt(root, frames.filter(notFilter)) };
      }
      this.places.keepPlace(frames, place);
    }
    return place;
  }

  /** Like inheritedValue(), for the read chain: a filter's first assignment builds on the value read so far around it. */
  private inheritedRead(context: string, key: string, root: Block, block: Block): AssignmentRead | string {
    const outer = block === root ? this.outerValue(root, key) : undefined;
    return readOf(outer) ?? this.facts.defaultOf(context, key) ?? '';
  }

  /**
   * `$key` inside a filter starts from the value read so far in the nearest filter around it that set the key
   * (`local` around `protocol`), else the global one, else the built-in default.
   */
  private inheritedValue(context: string, key: string, root: Block, block: Block): string {
    const outer = block === root ? this.outerValue(root, key) : undefined;
    return outer?.value ?? this.facts.defaultOf(context, key) ?? '';
  }

  /** The value of `key` read so far in the filters around a filter's root, innermost first, then the global one. */
  private outerValue(root: Block, key: string): TreeValue | undefined {
    if (root === this.global) return undefined;
    for (const outerKey of this.outerFilters.get(root) ?? []) {
      const value = this.filters.get(outerKey)?.root.values.get(key);
      if (value) return value;
    }
    return this.global.values.get(key);
  }

  private rootFor(placed: { frames: Frame[]; order: number }): Block {
    const filterFrames = placed.frames.filter((frame) => frame.section.filter);
    if (filterFrames.length === 0) return this.global;
    const spec: FilterSpec = {};
    for (const { section } of filterFrames) if (section.filter) spec[section.filter] = section.name;
    const key = specKey(spec);
    let filter = this.filters.get(key);
    if (!filter) {
      const outer: string[] = [];
      const outerSpec: FilterSpec = {};
      for (const { section } of filterFrames.slice(0, -1)) {
        if (section.filter) outerSpec[section.filter] = section.name;
        outer.unshift(specKey(outerSpec));
      }
      const header = filterFrames[0];
      filter = {
        spec,
        created: this.filters.size,
        root: newBlock('', ''),
        header: { node: header.section, file: header.file, frames: [], order: placed.order },
      };
      this.filters.set(key, filter);
      this.filterRoots.add(filter.root);
      this.outerFilters.set(filter.root, outer);
    }
    return filter.root;
  }

  private sectionAt(start: Block, frames: Frame[]): Block {
    let block = start;
    let parentContext = '';
    for (let depth = 0; depth < frames.length; depth++) {
      const { section, file } = frames[depth];
      block = this.childAt(block, parentContext, section, file, frames, depth);
      parentContext = parentContext === '' ? section.type : `${parentContext}/${section.type}`;
    }
    return block;
  }

  /** The block a section opened in `block` goes to, created on first use; it is read under the first `depth` of `frames`. */
  private childAt(
    block: Block,
    parentContext: string,
    section: SectionNode,
    file: string,
    frames: readonly Frame[],
    depth: number,
  ): Block {
    const kind = this.facts.sectionKind(parentContext, section.type);
    // Free-form blocks (plugin {}) are one list however often they are opened; named sections merge
    // by `type name` (FACTS §1.3); unnamed and listed ones stay apart.
    const identityNode = kind === 'list' || (kind === 'named' && section.name === '') ? section : undefined;
    const name = kind === 'named' ? section.name : '';
    const type = section.groupLabel === undefined ? section.type : `${section.type} ${section.groupLabel}`;
    const known = block.findChild(type, name, identityNode, this.childIndexes);
    if (known) return known;
    const index = name === '' ? block.unnamedChildren(type, this.childIndexes) : 0;
    const child = newBlock(type, name, index, identityNode);
    if (kind === 'list' && section.name !== '') {
      const header: Placed<SectionNode> = {
        node: section,
        file,
        frames: frames.slice(0, depth).filter(notFilter),
        order: 0,
      };
      child.values.set('name', { value: section.name, origin: header });
    }
    block.addChild(child, this.childIndexes);
    return child;
  }
}

export class EffectiveTree {
  /** Built on first use: only the editor features ask which read an assignment gave. */
  private readOfNode?: Map<SettingNode, AssignmentRead>;
  /** The assignments of the keys that are not gathered, by key, once asked for. */
  private readonly assignmentsAsked = new Map<string, readonly Placed<SettingNode>[]>();

  private constructor(
    readonly global: MergedSection,
    readonly filters: Map<string, FilterBlock>,
    private readonly filterRoots: ReadonlySet<MergedSection>,
    private readonly gathered: ReadonlyMap<string, readonly Placed<SettingNode>[]>,
    private readonly settings: readonly Placed<SettingNode>[],
    private readonly facts: SettingsFacts,
    private readonly readValueFile: ValueFileReader | undefined,
  ) {}

  /** `readValueFile` reads `<file` values; without it they stay unknown. */
  static build(model: ConfigModel, facts: SettingsFacts, readValueFile?: ValueFileReader): EffectiveTree {
    const builder = new TreeBuilder(facts);
    builder.addAll(model);
    return new EffectiveTree(
      builder.global,
      builder.filters,
      builder.filterRoots,
      builder.gathered,
      builder.settings,
      facts,
      readValueFile,
    );
  }

  /** Every assignment of `key` (or of an alias of it) anywhere (any section, any filter), in processing order. */
  assignments(key: string): readonly Placed<SettingNode>[] {
    if (isGatheredKey(key)) return this.gathered.get(key) ?? [];
    let ofKey = this.assignmentsAsked.get(key);
    if (!ofKey) {
      ofKey = this.settings.filter((entry) => keyFiledUnder(this.facts, contextOf(entry.frames), entry.node) === key);
      this.assignmentsAsked.set(key, ofKey);
    }
    return ofKey;
  }

  /** What Dovecot works with after an assignment; `<file` values are read here, once, when first asked for. */
  resolved(read: AssignmentRead): ResolvedValue {
    if (!(read instanceof ExpandedRead)) return this.resolve(read);
    if (read.resolvedValue) return read.resolvedValue;
    // From the oldest read not worked out yet forward, without recursion: a `key = $key more` chain can be
    // thousands of lines long. Only a line that reads its own key builds on the read before it.
    const chain: ExpandedRead[] = [read];
    for (let next = read; this.readsItself(next) && next.previous instanceof ExpandedRead;) {
      next = next.previous;
      if (next.resolvedValue) break;
      chain.push(next);
    }
    for (let i = chain.length - 1; i > 0; i--) chain[i].resolvedValue = this.resolve(chain[i]);
    return (read.resolvedValue = this.resolve(read));
  }

  /**
   * The value after an assignment in its setting's type; undefined when unknown, invalid or a string. Not kept:
   * the checks ask once per assignment.
   */
  typed(read: AssignmentRead): TypedValue | undefined {
    return this.typedOf(read, this.resolved(read));
  }

  /** The same, given what the assignment resolved to. */
  typedOf(read: AssignmentRead, resolved: ResolvedValue): TypedValue | undefined {
    return resolved.unknown
      ? undefined
      : this.facts.parseValue(contextOf(read.origin.frames), read.key, resolved.value);
  }

  private resolve(read: AssignmentRead): ResolvedValue {
    const { origin: entry } = read;
    const { node } = entry;
    if (node.valueKind === 'file') {
      const content = this.readValueFile?.(entry);
      return content === undefined ? { value: node.value, unknown: true } : { value: content };
    }
    // A template decides the value, or whether the line is there at all.
    const templateDecides = node.template?.value === true || node.template?.conditional === true;
    if (node.valueKind !== 'variables')
      return templateDecides ? { value: node.value, unknown: true } : { value: node.value };
    const self = this.facts.selfVariable(node.key);
    if (!this.readsItself(read)) {
      const value = expandSelfReference(node, '', self);
      return hasOpaqueVariable(node) || templateDecides ? { value, unknown: true } : { value };
    }
    const { previous, previousSetting } = read as ExpandedRead;
    const before: ResolvedValue = typeof previous === 'string' ? { value: previous } : this.resolved(previous);
    const { context, key } = previousSetting ?? { context: contextOf(entry.frames), key: read.key };
    // Built on the value the line's read built on (nothing read from a file before it): the same string.
    const value =
      before.value === (typeof previous === 'string' ? previous : previous.written)
        ? read.written
        : expandSelfReference(node, this.facts.selfValue(context, key, before.value), self);
    return hasOpaqueVariable(node) || before.unknown || templateDecides ? { value, unknown: true } : { value };
  }

  /** The assignment's line builds on the value read before it (`key = $key more`). */
  private readsItself(read: AssignmentRead): boolean {
    const { node } = read.origin;
    if (node.valueKind !== 'variables') return false;
    const self = this.facts.selfVariable(node.key);
    return node.variables.some((variable) => variable.name === self);
  }

  /** The last assignment of `key` directly in a block (a merged section or a filter's root). */
  lastRead(block: MergedSection, key: string): AssignmentRead | undefined {
    return lastReadIn(block, key);
  }

  /** The last assignment of `key` directly in a block that comes before `order` in processing order. */
  readBefore(block: MergedSection, key: string, order: number): AssignmentRead | undefined {
    let read = this.lastRead(block, key);
    while (read && read.origin.order >= order) read = read.earlier;
    return read;
  }

  /** What an assignment gave when it was read, and the block it went to. */
  readAt(node: SettingNode): AssignmentRead | undefined {
    this.readOfNode ??= this.indexReads();
    return this.readOfNode.get(node);
  }

  private indexReads(): Map<SettingNode, AssignmentRead> {
    const index = new Map<SettingNode, AssignmentRead>();
    const pending = [this.global, ...[...this.filters.values()].map((filter) => filter.root)];
    for (let block = pending.pop(); block; block = pending.pop()) {
      for (const value of block.values.values())
        for (let read = readOf(value); read; read = read.earlier) index.set(read.origin.node, read);
      pending.push(...block.children);
    }
    return index;
  }

  /**
   * The blocks the top-level values of a place are kept in, as Dovecot 2.3's config parser keeps them: the
   * global block, then the root of the filter each enclosing filter block makes, outermost first (undefined
   * for a filter nothing has gone into).
   */
  rootsAround(frames: readonly Frame[]): (MergedSection | undefined)[] {
    const roots: (MergedSection | undefined)[] = [this.global];
    const spec: FilterSpec = {};
    for (const { section } of frames) {
      if (!section.filter) continue;
      spec[section.filter] = section.name;
      roots.push(this.filters.get(specKey(spec))?.root);
    }
    return roots;
  }

  /** The root block of a filter (the global block is no filter's root). */
  isFilterRoot(block: MergedSection): boolean {
    return this.filterRoots.has(block);
  }
}
