// A mail plugin whose dependency is not in the mail_plugins a mail process loads: Dovecot (src/lib/module-dir.c)
// refuses it with "Plugin X must be loaded also" and the process stops. doveconf -n does not load plugins, so
// it accepts the configuration. The list that counts is the one in effect for each protocol whose processes
// load mail_plugins: the `protocols` Dovecot serves, doveadm (which loads them at start for nearly every
// command) and dovecot-lda. The order inside the list does not matter: modules load in the order of their
// file names, and every dependency's file sorts first (scripts/mail-plugin-dependencies.mjs checks it).
import * as path from 'node:path';
import dependencyFile from '../../../../data/dovecot/mail-plugin-dependencies.json';
import type { CheckedVersion } from '../model/dialect';
import { protocolMatches } from '../model/effective';
import { contextOf, filtersOf, isInFilter, type Placed } from '../model/model';
import { parseBoollist24 } from '../schema/valueCheck24';
import type { SettingNode } from '../syntax/nodes';
import type { AnalysisContext } from './analyzer';
import type { Finding } from './finding';

interface Dependent {
  name: string;
  /** Its module file, whose place in the sorted directory decides which missing dependency Dovecot names first. */
  module: string;
  dependencies: readonly string[];
  /**
   * Its library is linked to its dependencies, so opening it loads them as libraries and Dovecot's own check
   * names the missing one; one that is not fails to open first where symbols are bound at load time.
   */
  linked: boolean;
}

/** The file name order module-dir.c loads modules in (module_name_cmp: without a leading `lib`). */
const loadOrder = (a: Dependent, b: Dependent): number => {
  const [x, y] = [a.module.replace(/^lib/, ''), b.module.replace(/^lib/, '')];
  return x < y ? -1 : x > y ? 1 : 0;
};

/** `replication` needing `notify` is the replication rules' (replication-notify-missing). */
const dependentsOf = (plugins: readonly Dependent[]): readonly Dependent[] =>
  plugins.filter((plugin) => plugin.name !== 'replication').sort(loadOrder);

const DEPENDENTS: Readonly<Record<CheckedVersion, readonly Dependent[]>> = {
  '2.3': dependentsOf(dependencyFile.versions['2.3'].plugins),
  '2.4': dependentsOf(dependencyFile.versions['2.4'].plugins),
};

/** A plugin only some programs may load (imap_quota: imap); in any other process it fails for that reason. */
export interface BoundPlugin {
  programs: readonly string[];
  module: string;
}

export const LOADED_ONLY_BY: Readonly<Record<CheckedVersion, Readonly<Record<string, BoundPlugin>>>> = {
  '2.3': dependencyFile.versions['2.3'].loadedOnlyBy,
  '2.4': dependencyFile.versions['2.4'].loadedOnlyBy,
};

/** Processes that load mail_plugins whatever `protocols` says. */
const ALWAYS_LOADED = ['doveadm', 'lda'];
/** Served protocols whose processes load mail_plugins, when `protocols` enables them (sieve is ManageSieve). */
const SERVED = ['imap', 'pop3', 'lmtp', 'submission', 'sieve'];

/** The protocols whose processes will load mail_plugins: the served ones that do, doveadm and dovecot-lda. */
export function protocolsLoading(reader: ListReader): string[] {
  const enabled = reader.enabled();
  return [...SERVED.filter((name) => enabled.has(name)), ...ALWAYS_LOADED];
}

/** The program a protocol's processes run: Dovecot's name for it, which a binary dependency names. */
export const programOf = (protocol: string): string => (protocol === 'sieve' ? 'managesieve' : protocol);

/** Whether a protocol's processes may load a plugin: its binary dependency, if any, names their program. */
function mayLoad(version: CheckedVersion, plugin: string, protocol: string): boolean {
  const bound = LOADED_ONLY_BY[version][plugin];
  return !bound || bound.programs.includes(programOf(protocol));
}

/** A value we do not split as Dovecot would, or that something else decides: a variable, a template, a quote. */
const UNSURE = /[\t\r\n$%{}"]/;

/** What a mail process loads, and which line put each plugin there. */
export interface PluginList {
  loaded: Map<string, Placed<SettingNode>>;
  /** 2.4: plugins a `name = no` line took out of the list, with that line. */
  removed: Map<string, Placed<SettingNode>>;
}

const EMPTY: PluginList = { loaded: new Map(), removed: new Map() };

function wordList(text: string, entry: Placed<SettingNode>): PluginList | undefined {
  if (UNSURE.test(text)) return undefined;
  const words = text.split(/[ ,]+/).filter((word) => word !== '');
  return { loaded: new Map(words.map((word) => [word, entry])), removed: new Map() };
}

/** Whether an assignment is at the top level or in one `protocol` filter (not a local/remote one, nor nested). */
function inProtocolFilterAtMost(entry: Placed<SettingNode>): boolean {
  let protocolFilters = 0;
  for (const { section } of entry.frames)
    if (section.filter && (section.filter !== 'protocol' || ++protocolFilters > 1)) return false;
  return true;
}

/** How one version builds the list a protocol's processes load. */
export interface ListReader {
  /**
   * False when a line changes mail_plugins where the lists are not worked out here: a local/remote filter or
   * a 2.4 include group changes it for some processes only.
   */
  readable: boolean;
  enabled(): ReadonlySet<string>;
  /** The list outside protocol filters. */
  globalList(): PluginList | undefined;
  listFor(protocol: string): PluginList | undefined;
}

/** 2.3: the value in effect, `$mail_plugins` expanded as each line was read (EffectiveSettings). */
function reader23(context: AnalysisContext): ListReader {
  const { effective } = context;
  // Protocols without a value of their own share the global line's: its words are split once.
  const lists = new Map<Placed<SettingNode>, PluginList | undefined>();
  const listIn = (options: { protocol?: string }): PluginList | undefined => {
    const value = effective.value('mail_plugins', options);
    if (value.unknown) return undefined;
    if (!value.entry) return EMPTY;
    if (!lists.has(value.entry)) lists.set(value.entry, wordList(value.value, value.entry));
    return lists.get(value.entry);
  };
  return {
    // In a section (plugin {}) the line is not the setting: Dovecot ignores it there.
    readable: effective
      .assignments('mail_plugins')
      .every((entry) => contextOf(entry.frames) !== '' || inProtocolFilterAtMost(entry)),
    enabled() {
      const protocols = effective.value('protocols');
      if (!protocols.entry || protocols.unknown) return new Set();
      return new Set(wordList(protocols.value, protocols.entry)?.loaded.keys());
    },
    globalList: () => listIn({}),
    listFor: (protocol) => listIn({ protocol }),
  };
}

/** Each analysis's reader, shared by the two mail plugin checks. */
const readers = new WeakMap<AnalysisContext, ListReader>();

/** How this tree's version builds the list each protocol's processes load. */
export function listReader(context: AnalysisContext): ListReader {
  let reader = readers.get(context);
  if (!reader) {
    reader = context.schema.version === '2.4' ? reader24(context) : reader23(context);
    readers.set(context, reader);
  }
  return reader;
}

/** What one block (the top level or a `protocol` filter) writes to a 2.4 boolean list. */
interface ListWrites {
  /** The last `key = a b`, which replaces the list. */
  replaced?: Placed<SettingNode>;
  /** Each element's last `name = yes|no`, in the list's block or written `key/name`. */
  changes: Map<string, Placed<SettingNode>>;
}

const LISTS_24 = ['mail_plugins', 'protocols'];

/** A line that writes to one of LISTS_24: the list, and the element for a change (none for `key = a b`). */
export function listWrite(entry: Placed<SettingNode>): { list: string; element?: string; context: string } | undefined {
  const { key } = entry.node;
  const context = entry.frames.length === 0 ? '' : contextOf(entry.frames);
  for (const list of LISTS_24) {
    if (key === list) return { list, context };
    if (key.startsWith(list) && key[list.length] === '/') return { list, element: key.slice(list.length + 1), context };
    // Inside the list's block; anything before it (a group) is a context this rule does not read.
    if (context.endsWith(list) && (context.length === list.length || context[context.length - list.length - 1] === '/'))
      return { list, element: key, context: context.slice(0, -list.length) };
  }
  return undefined;
}

/**
 * 2.4: a boolean list. `key = a b` replaces the list, `key { a = yes|no }` (or `key/a = yes|no`) changes one
 * element; a protocol filter starts from the global list Dovecot ends with, wherever the filter stands. The
 * lines are gathered in one pass over the settings (2.4 analyses build no effective tree).
 */
function reader24(context: AnalysisContext): ListReader {
  const global = new Map<string, ListWrites>();
  const filters = new Map<string, ListWrites>();
  let readable = true;
  for (const entry of context.model.settings) {
    const write = listWrite(entry);
    if (!write) continue;
    const filter = filtersOf(entry.frames)[0];
    if (write.context !== '' || !inProtocolFilterAtMost(entry) || (filter && write.list !== 'mail_plugins')) {
      readable = false;
      break;
    }
    const blocks = filter ? filters : global;
    const name = filter ? filter.name : write.list;
    let writes = blocks.get(name);
    if (!writes) blocks.set(name, (writes = { changes: new Map() }));
    if (write.element === undefined) {
      if (!writes.replaced || entry.order > writes.replaced.order) writes.replaced = entry;
    } else {
      const earlier = writes.changes.get(write.element);
      if (!earlier || entry.order > earlier.order) writes.changes.set(write.element, entry);
    }
  }
  const globalList = applyWrites(global.get('mail_plugins'), EMPTY);
  return {
    readable,
    enabled: () => new Set(applyWrites(global.get('protocols'), EMPTY)?.loaded.keys()),
    globalList: () => globalList,
    listFor(protocol) {
      const own = [...filters].filter(([name]) => protocolMatches(name, protocol));
      // How two filters that both apply combine their changes is not worked out here.
      if (!globalList || own.length > 1) return undefined;
      return own.length === 0 ? globalList : applyWrites(own[0][1], globalList);
    },
  };
}

/** A value written as it is: no template, no variable, no `<file`. */
const written = (node: SettingNode): boolean =>
  !node.template && (node.valueKind === 'plain' || node.valueKind === 'quoted');

/** The list after a block's writes; undefined when one of them is not known. */
function applyWrites(writes: ListWrites | undefined, start: PluginList): PluginList | undefined {
  if (!writes) return start;
  let list: PluginList = { loaded: new Map(start.loaded), removed: new Map(start.removed) };
  const replaced = writes.replaced;
  if (replaced) {
    if (!written(replaced.node)) return undefined;
    const parsed = parseBoollist24(replaced.node.value);
    if (parsed.error !== undefined || parsed.elements.some((element) => UNSURE.test(element))) return undefined;
    list = { loaded: new Map(parsed.elements.map((element) => [element, replaced])), removed: new Map() };
  }
  for (const [name, change] of writes.changes) {
    // A `key = a b` read after it replaced the list it changed.
    if (replaced && change.order < replaced.order) continue;
    if (!written(change.node)) return undefined;
    if (change.node.value === 'yes') {
      list.loaded.set(name, change);
      list.removed.delete(name);
    } else if (change.node.value === 'no') {
      list.loaded.delete(name);
      list.removed.set(name, change);
    } else return undefined;
  }
  return list;
}

/** One line that leaves dependencies out, for the protocols whose processes then stop. */
interface Blame {
  entry: Placed<SettingNode>;
  protocols: Set<string>;
  /** Missing dependency -> the loaded plugins that need it. */
  missing: Map<string, Set<string>>;
}

function blameFor(blames: Map<Placed<SettingNode>, Blame>, entry: Placed<SettingNode>): Blame {
  let blame = blames.get(entry);
  if (!blame) blames.set(entry, (blame = { entry, protocols: new Set(), missing: new Map() }));
  return blame;
}

function addPair(blame: Blame, dependency: string, dependent: string): void {
  const dependents = blame.missing.get(dependency) ?? new Set<string>();
  dependents.add(dependent);
  blame.missing.set(dependency, dependents);
}

const hasPair = (blame: Blame, dependency: string, dependent: string): boolean =>
  blame.missing.get(dependency)?.has(dependent) ?? false;

export const usesOwnVariable = (entry: Placed<SettingNode>): boolean =>
  entry.node.variables.some((variable) => variable.name === 'mail_plugins');

/** The plugin names written on a `mail_plugins = …` line itself (not what `$mail_plugins` brings). */
export const writtenWords = (entry: Placed<SettingNode>): string[] =>
  entry.node.value.split(/[ ,]+/).filter((word) => word !== '' && !word.startsWith('$'));

/**
 * 2.3: a protocol line that built on `$mail_plugins` inherits what the global line read before it lacked;
 * when that global line is reported too, fixing it fixes this one, so the inherited part is reported there.
 */
function moveInherited(context: AnalysisContext, blames: Map<Placed<SettingNode>, Blame>): void {
  for (const blame of [...blames.values()]) {
    const { entry } = blame;
    if (!isInFilter(entry.frames) || !usesOwnVariable(entry)) continue;
    const before = context.effective.valueBefore(entry, 'mail_plugins').entry;
    const upstream = before && blames.get(before);
    if (!upstream) continue;
    const written = writtenWords(entry);
    for (const [dependency, dependents] of blame.missing) {
      for (const dependent of dependents) {
        if (written.includes(dependent) || !hasPair(upstream, dependency, dependent)) continue;
        dependents.delete(dependent);
        for (const protocol of blame.protocols) upstream.protocols.add(protocol);
      }
      if (dependents.size === 0) blame.missing.delete(dependency);
    }
    if (blame.missing.size === 0) blames.delete(entry);
  }
}

/** `a`, `a and b`, `a, b and c`. */
export function listed(words: readonly string[]): string {
  return words.length < 2 ? words.join('') : `${words.slice(0, -1).join(', ')} and ${words[words.length - 1]}`;
}

const where = (entry: Placed<SettingNode>): string => `${path.basename(entry.file)}:${entry.node.range.start.line + 1}`;

/** What kind of line a blame is on: a list line, a `name = yes` in a list block, or a `name = no` there. */
export type Form = 'list' | 'block' | 'removal';

export function formOf(entry: Placed<SettingNode>): Form {
  const inBlock = contextOf(entry.frames) === 'mail_plugins' || entry.node.key.startsWith('mail_plugins/');
  if (!inBlock) return 'list';
  return entry.node.value === 'no' ? 'removal' : 'block';
}

interface Wording {
  /** Why the list lacks the plugins, after "loads X without Y"; '' when it says itself. */
  why: string;
  advice: string;
  /** The dependencies are in the global list this protocol line replaced: keeping it is a second fix. */
  keepsGlobal: boolean;
}

function wording(context: AnalysisContext, version: CheckedVersion, blame: Blame, globalList?: PluginList): Wording {
  const { entry } = blame;
  const dependencies = [...blame.missing.keys()];
  const dependents = [...new Set([...blame.missing.values()].flatMap((set) => [...set]))];
  const form = formOf(entry);
  if (form === 'removal')
    return {
      why: `, as this line takes ${entry.node.key.replace(/^mail_plugins\//, '')} out`,
      advice: `Remove this line, or take out ${listed(dependents)} as well.`,
      keepsGlobal: false,
    };
  if (form === 'block') {
    // `mail_plugins/imap_quota = yes` is written outside a block: its dependency is written the same way.
    const prefix = entry.node.key.startsWith('mail_plugins/') ? 'mail_plugins/' : '';
    const lines = listed(dependencies.map((name) => `${prefix}${name} = yes`));
    return { why: '', advice: `Add ${lines}${prefix ? '' : ' to this block'}.`, keepsGlobal: false };
  }
  const inFilter = isInFilter(entry.frames);
  if (version === '2.3' && inFilter) {
    if (!usesOwnVariable(entry)) {
      const before = context.effective.valueBefore(entry, 'mail_plugins');
      const words = wordList(before.value, entry)?.loaded;
      if (before.entry && words && dependencies.every((name) => words.has(name)))
        return {
          why: `, as this protocol block replaces the global mail_plugins, which loads ${listed(dependencies)}`,
          advice: `Add ${listed(dependencies)} here, or start the value with $mail_plugins.`,
          keepsGlobal: true,
        };
    } else {
      const global = context.effective.value('mail_plugins');
      const words = global.unknown || !global.entry ? undefined : wordList(global.value, global.entry)?.loaded;
      if (global.entry && words && global.entry.order > entry.order && dependencies.every((name) => words.has(name)))
        return {
          why: `, as this block is read before the global mail_plugins at ${where(global.entry)}, so $mail_plugins here is the value before it`,
          advice: `Add ${listed(dependencies)} here, or move the global mail_plugins before this block.`,
          keepsGlobal: false,
        };
    }
  }
  if (version === '2.4' && inFilter && globalList && dependencies.every((name) => globalList.loaded.has(name)))
    return {
      why: `, as mail_plugins = here replaces the global list, which has ${listed(dependencies)}`,
      advice: `Add ${listed(dependencies)} to this list, or add ${listed(dependents)} with a mail_plugins { } block, which keeps the global list.`,
      keepsGlobal: true,
    };
  return {
    why: '',
    advice: `Add ${listed(dependencies)} to this ${version === '2.4' ? 'list' : 'line'}.`,
    keepsGlobal: false,
  };
}

/** The failure Dovecot logs: its first module in load order that lacks a dependency, and that dependency. */
function firstFailure(version: CheckedVersion, blame: Blame): string {
  for (const plugin of DEPENDENTS[version]) {
    const dependency = plugin.dependencies.find((name) => hasPair(blame, name, plugin.name));
    if (dependency === undefined) continue;
    const refused = `"Fatal: Couldn't load required plugin .../${plugin.module}: Plugin ${dependency} must be loaded also"`;
    return plugin.linked
      ? refused
      : `${refused}, or, where Dovecot is built to bind symbols when a plugin is opened (Debian's is), "...: dlopen() failed: ...: undefined symbol: ..."`;
  }
  throw new Error('a blame without a missing dependency');
}

export const ORDER = [...SERVED, ...ALWAYS_LOADED];

function finding(context: AnalysisContext, version: CheckedVersion, blame: Blame, globalList?: PluginList): Finding {
  const { entry } = blame;
  const pairs = [...blame.missing].map(
    ([dependency, dependents]) => `${listed([...dependents])} without ${dependency}`,
  );
  const protocols = ORDER.filter((protocol) => blame.protocols.has(protocol));
  const failure = firstFailure(version, blame);
  const { why, advice, keepsGlobal } = wording(context, version, blame, globalList);
  const form = formOf(entry);
  const message =
    `mail_plugins for ${listed(protocols)} loads ${pairs.join(', ')}${why}: Dovecot stops ${protocols.length > 1 ? 'these processes' : 'this process'} with ` +
    `${failure}. ${advice}`;
  return {
    code: 'mail-plugin-dependency-missing',
    file: entry.file,
    range: form === 'list' ? entry.node.valueRange : entry.node.keyRange,
    message,
    data: {
      form,
      dependencies: [...blame.missing.keys()],
      dependents: [...new Set([...blame.missing.values()].flatMap((set) => [...set]))],
      keepsGlobal,
      version,
      protocols,
    },
  };
}

/** mail-plugin-dependency-missing over the lists in effect for the protocols whose processes load them. */
export function mailPluginDependencyChecks(context: AnalysisContext): Finding[] {
  // A piece of a configuration (the global list may be in a file not at hand), or a tree neither version reads.
  if (context.fragment || context.dialect === 'mixed') return [];
  const version = context.schema.version;
  const reader = listReader(context);
  if (!reader.readable) return [];
  const blames = new Map<Placed<SettingNode>, Blame>();
  for (const protocol of protocolsLoading(reader)) {
    const list = reader.listFor(protocol);
    // A plugin this program may not load stops it first, or as well, for a reason this rule does not tell.
    if (!list || [...list.loaded.keys()].some((name) => !mayLoad(version, name, protocol))) continue;
    for (const plugin of DEPENDENTS[version]) {
      const at = list.loaded.get(plugin.name);
      if (!at) continue;
      for (const dependency of plugin.dependencies) {
        if (list.loaded.has(dependency)) continue;
        const blame = blameFor(blames, list.removed.get(dependency) ?? at);
        blame.protocols.add(protocol);
        addPair(blame, dependency, plugin.name);
      }
    }
  }
  if (version === '2.3') moveInherited(context, blames);
  const globalList = version === '2.4' ? reader.globalList() : undefined;
  return [...blames.values()].map((blame) => finding(context, version, blame, globalList));
}
