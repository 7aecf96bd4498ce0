// A mail plugin whose dependency is not in the mail_plugins a mail process loads: Dovecot (src/lib/module-dir.c)
// refuses it with "Plugin X must be loaded also" and the process stops. doveconf -n does not load plugins, so
// it accepts the configuration. The list that counts is the one in effect for each protocol whose processes
// load mail_plugins: the `protocols` Dovecot serves, doveadm (which loads them at start for nearly every
// command) and dovecot-lda. The order inside the list does not matter: modules load in the order of their
// file names, and every dependency's file sorts first (scripts/mail-plugin-dependencies.mjs checks it).
import * as path from 'node:path';
import dependencyFile from '../../../../data/dovecot/mail-plugin-dependencies.json';
import type { CheckedVersion } from '../model/dialect';
import type { EffectiveTree, FilterSpec, MergedSection } from '../model/effectiveTree';
import { contextOf, filtersOf, type Placed } from '../model/model';
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

/** Plugins only some programs may load (imap_quota: imap); in any other process they fail for that reason. */
const LOADED_ONLY_BY: Readonly<Record<CheckedVersion, Readonly<Record<string, readonly string[]>>>> = {
  '2.3': dependencyFile.versions['2.3'].loadedOnlyBy,
  '2.4': dependencyFile.versions['2.4'].loadedOnlyBy,
};

/** The plugin names the rule looks up: the dependents and what they need. */
const NAMES: Readonly<Record<CheckedVersion, readonly string[]>> = {
  '2.3': [...new Set(DEPENDENTS['2.3'].flatMap((plugin) => [plugin.name, ...plugin.dependencies]))],
  '2.4': [...new Set(DEPENDENTS['2.4'].flatMap((plugin) => [plugin.name, ...plugin.dependencies]))],
};

/** Processes that load mail_plugins whatever `protocols` says. */
const ALWAYS_LOADED = ['doveadm', 'lda'];
/** Served protocols whose processes load mail_plugins, when `protocols` enables them (sieve is ManageSieve). */
const SERVED = ['imap', 'pop3', 'lmtp', 'submission', 'sieve'];

/** Whether a protocol's processes may load a plugin: its binary dependency, if any, names their program. */
function mayLoad(version: CheckedVersion, plugin: string, protocol: string): boolean {
  const programs = LOADED_ONLY_BY[version][plugin];
  return !programs || programs.includes(protocol === 'sieve' ? 'managesieve' : protocol);
}

/** A value we do not split as Dovecot would, or that something else decides: a variable, a template, a quote. */
const UNSURE = /[\t\r\n$%{}"]/;

/** What a mail process loads, and which line put each plugin there. */
interface PluginList {
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

/** A protocol-only filter (`protocol imap`, `protocol !pop3`) that applies to `protocol`. */
function appliesTo(spec: FilterSpec, protocol: string): boolean {
  if (spec.protocol === undefined) return false;
  return spec.protocol.startsWith('!') ? spec.protocol.slice(1) !== protocol : spec.protocol === protocol;
}

/**
 * Every line that changes mail_plugins is where this rule reads it: at the top level or in one `protocol`
 * filter, directly or (2.4) in the list's own block. Elsewhere (a local/remote filter, a 2.4 include group)
 * it changes the list for some processes in a way not worked out here.
 */
function allPlacesRead(context: AnalysisContext, version: CheckedVersion): boolean {
  const readHere = (entry: Placed<SettingNode>, inList: boolean): boolean => {
    const filters = filtersOf(entry.frames);
    return (
      filters.length <= 1 &&
      filters.every((filter) => filter.filter === 'protocol') &&
      contextOf(entry.frames) === (inList ? 'mail_plugins' : '')
    );
  };
  const { effective } = context;
  if (!effective.assignments('mail_plugins').every((entry) => readHere(entry, false))) return false;
  if (version === '2.3') return true;
  return NAMES['2.4'].every(
    (name) =>
      effective
        .assignments(name)
        .every((entry) => contextOf(entry.frames).split('/').pop() !== 'mail_plugins' || readHere(entry, true)) &&
      effective.assignments(`mail_plugins/${name}`).every((entry) => readHere(entry, false)),
  );
}

/** How one version builds the list a protocol's processes load. */
interface ListReader {
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
    enabled() {
      const protocols = effective.value('protocols');
      if (!protocols.entry || protocols.unknown) return new Set();
      return new Set(wordList(protocols.value, protocols.entry)?.loaded.keys());
    },
    globalList: () => listIn({}),
    listFor: (protocol) => listIn({ protocol }),
  };
}

/**
 * 2.4: a boolean list. `key = a b` replaces the list, `key { a = yes|no }` (or `key/a = yes|no`) changes one
 * element; a protocol filter starts from the global list Dovecot ends with, wherever the filter stands.
 */
function reader24(context: AnalysisContext): ListReader {
  const tree = context.effective.tree();
  const names = NAMES['2.4'];
  const listBlock = (block: MergedSection, key: string): MergedSection | undefined =>
    block === tree.global ? context.effective.section(key, '') : block.children.find((child) => child.type === key);
  const touches = (block: MergedSection): boolean =>
    tree.lastRead(block, 'mail_plugins') !== undefined ||
    listBlock(block, 'mail_plugins') !== undefined ||
    names.some((name) => tree.lastRead(block, `mail_plugins/${name}`) !== undefined);
  const filters = [...tree.filters.values()].filter((filter) => touches(filter.root));
  let global: PluginList | undefined | null = null;
  const globalList = (): PluginList | undefined =>
    global === null ? (global = list24(tree, tree.global, 'mail_plugins', names, EMPTY, listBlock)) : global;
  return {
    enabled() {
      const protocols = list24(tree, tree.global, 'protocols', SERVED, EMPTY, listBlock);
      return new Set(protocols?.loaded.keys());
    },
    globalList,
    listFor(protocol) {
      const start = globalList();
      const own = filters.filter((filter) => appliesTo(filter.spec, protocol));
      // How two filters that both apply combine their changes is not worked out here.
      if (!start || own.length > 1) return undefined;
      return own.length === 0 ? start : list24(tree, own[0].root, 'mail_plugins', names, start, listBlock);
    },
  };
}

/** The list after one block's `key = …` and its changes to `names`; undefined when something there is unknown. */
function list24(
  tree: EffectiveTree,
  block: MergedSection,
  key: string,
  names: readonly string[],
  start: PluginList,
  listBlock: (block: MergedSection, key: string) => MergedSection | undefined,
): PluginList | undefined {
  let list: PluginList = { loaded: new Map(start.loaded), removed: new Map(start.removed) };
  let since = -1;
  const read = tree.lastRead(block, key);
  if (read) {
    const kind = read.origin.node.valueKind;
    const resolved = tree.resolved(read);
    if (resolved.unknown || (kind !== 'plain' && kind !== 'quoted')) return undefined;
    const parsed = parseBoollist24(resolved.value);
    if (parsed.error !== undefined || parsed.elements.some((element) => UNSURE.test(element))) return undefined;
    list = { loaded: new Map(parsed.elements.map((element) => [element, read.origin])), removed: new Map() };
    since = read.origin.order;
  }
  const changes = listBlock(block, key);
  for (const name of names) {
    const inBlock = changes && tree.lastRead(changes, name);
    const withSlash = tree.lastRead(block, `${key}/${name}`);
    const change = !inBlock || (withSlash && withSlash.origin.order > inBlock.origin.order) ? withSlash : inBlock;
    if (!change || change.origin.order < since) continue;
    const value = tree.resolved(change);
    if (value.unknown) return undefined;
    if (value.value === 'yes') {
      list.loaded.set(name, change.origin);
      list.removed.delete(name);
    } else if (value.value === 'no') {
      list.loaded.delete(name);
      list.removed.set(name, change.origin);
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

const usesOwnVariable = (entry: Placed<SettingNode>): boolean =>
  entry.node.variables.some((variable) => variable.name === 'mail_plugins');

/** The plugin names written on a `mail_plugins = …` line itself (not what `$mail_plugins` brings). */
const writtenWords = (entry: Placed<SettingNode>): string[] =>
  entry.node.value.split(/[ ,]+/).filter((word) => word !== '' && !word.startsWith('$'));

/**
 * 2.3: a protocol line that built on `$mail_plugins` inherits what the global line read before it lacked;
 * when that global line is reported too, fixing it fixes this one, so the inherited part is reported there.
 */
function moveInherited(context: AnalysisContext, blames: Map<Placed<SettingNode>, Blame>): void {
  for (const blame of [...blames.values()]) {
    const { entry } = blame;
    if (filtersOf(entry.frames).length === 0 || !usesOwnVariable(entry)) continue;
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
function listed(words: readonly string[]): string {
  return words.length < 2 ? words.join('') : `${words.slice(0, -1).join(', ')} and ${words[words.length - 1]}`;
}

const where = (entry: Placed<SettingNode>): string => `${path.basename(entry.file)}:${entry.node.range.start.line + 1}`;

/** What kind of line a blame is on: a list line, a `name = yes` in a list block, or a `name = no` there. */
type Form = 'list' | 'block' | 'removal';

function formOf(entry: Placed<SettingNode>): Form {
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
  const inFilter = filtersOf(entry.frames).length > 0;
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

const ORDER = [...SERVED, ...ALWAYS_LOADED];

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
  if (!allPlacesRead(context, version)) return [];
  const reader = version === '2.4' ? reader24(context) : reader23(context);
  const enabled = reader.enabled();
  const blames = new Map<Placed<SettingNode>, Blame>();
  for (const protocol of [...SERVED.filter((name) => enabled.has(name)), ...ALWAYS_LOADED]) {
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
