// What a `$name` in a value stands for in Dovecot 2.3 (config_get_value() and config_write_keyvariable()
// @2.3.19): the config service replaces it when it starts with the top-level setting `name` as the settings
// parser holds it at that line. Outside filters that is the global value set so far, inside a section too.
// Inside a protocol/local/local_name/remote block it is what that filter has set so far, else the built-in
// default: the global value does not count there. Only `key = $key` on a line of `key` itself looks further
// out, to the filters around and then the global value; doveconf -n expands that one itself and keeps every
// other `$name` as written, and checks the value so.
import type { EffectiveSettings } from '../model/effective';
import type { AssignmentRead, EffectiveTree, MergedSection } from '../model/effectiveTree';
import { contextOf, type Placed } from '../model/model';
import { exportedValue23 } from '../schema/exportValue23';
import { findSetting, variableReadsSetting23, type SettingInfo } from '../schema/schema';
import type { SettingNode } from '../syntax/nodes';
import { keyVariableTexts } from '../syntax/valueWords';

export interface VariableReading23 {
  /** The top-level setting read. */
  info: SettingInfo;
  /** Its name as the effective tree files it (an alias under the setting it stands for). */
  key: string;
  /** The read of the assignment whose value is taken; undefined when it is the built-in default. */
  read?: AssignmentRead;
  /** The filter block whose own values are read (`protocol imap`), undefined outside filters and for `$key` itself. */
  filter?: string;
  /** Where the reading looks: the global block or a filter's root (undefined for a filter nothing went into). */
  root?: MergedSection;
}

/** The words of a `$` line as Dovecot splits them (valueWords.ts). */
export function variableLineWords(node: SettingNode): string[] {
  return keyVariableTexts(node.value);
}

/** The filter blocks around a place as doveconf names them (`local 10.0.0.1 protocol imap`). */
function filterName(entry: Placed<SettingNode>): string | undefined {
  const names = entry.frames
    .filter(({ section }) => section.filter)
    .map(({ section }) => `${section.type} ${section.name}`);
  return names.length === 0 ? undefined : names.join(' ');
}

/** Every top-level read of a key (global and in filters) by its assignment, made once per tree and key. */
const topLevelReads = new WeakMap<EffectiveTree, Map<string, Map<Placed<SettingNode>, AssignmentRead>>>();

/** The read a top-level assignment gave. */
function topLevelRead(tree: EffectiveTree, entry: Placed<SettingNode>, key: string): AssignmentRead | undefined {
  let byKey = topLevelReads.get(tree);
  if (!byKey) topLevelReads.set(tree, (byKey = new Map()));
  let reads = byKey.get(key);
  if (!reads) {
    byKey.set(key, (reads = new Map()));
    for (const root of [tree.global, ...[...tree.filters.values()].map((filter) => filter.root)])
      for (let read = tree.lastRead(root, key); read; read = read.earlier) reads.set(read.origin, read);
  }
  return reads.get(entry);
}

/**
 * The text doveconf -n holds, and checks, for a `$` line: its words joined by one space, with only `$key` on a
 * top-level line of its own key replaced by the value before; every other `$name` (`$ENV:` too) stays as
 * written. Undefined where that is not known here: a template, `$key` inside a section (Dovecot reads a
 * top-level setting there, or stops at the line).
 */
export function doveconfText23(effective: EffectiveSettings, entry: Placed<SettingNode>): string | undefined {
  const { node } = entry;
  if (node.valueKind !== 'variables' || node.template) return undefined;
  const words = variableLineWords(node);
  if (!words.includes(`$${node.key23 ?? node.key}`)) return words.join(' ');
  if (contextOf(entry.frames) !== '' || node.key23 !== undefined) return undefined;
  return topLevelRead(effective.tree(), entry, effective.keyOf(entry))?.value;
}

/**
 * The setting a `$name` word of `entry` reads and the assignment it reads; undefined where Dovecot reads no
 * setting (`$ENV:NAME`, a name no top-level setting has). `ownRead` is the read `entry`
 * gave, when known.
 */
export function readVariable23(
  effective: EffectiveSettings,
  entry: Placed<SettingNode>,
  name: string,
  ownRead?: AssignmentRead,
): VariableReading23 | undefined {
  if (entry.node.valueKind !== 'variables' || variableReadsSetting23(name) !== true) return undefined;
  if (!variableLineWords(entry.node).includes(`$${name}`)) return undefined;
  const info = findSetting('', name);
  if (!info) return undefined;
  const key = info.aliasOf ?? name;
  const tree = effective.tree();
  const roots = tree.rootsAround(entry.frames);
  const innermost = roots.length - 1;
  if (name !== (entry.node.key23 ?? entry.node.key)) {
    const root = roots[innermost];
    const read = root && tree.readBefore(root, key, entry.order);
    return { info, key, read, filter: innermost > 0 ? filterName(entry) : undefined, root };
  }
  // `$key` on a top-level line of its own key: the tree built the line's value on the same read.
  const own = contextOf(entry.frames) === '' ? (ownRead ?? topLevelRead(tree, entry, key)) : undefined;
  if (own && own.key === key) {
    const read = typeof own.previous === 'string' ? undefined : own.previous;
    return { info, key, read, root: read ? read.block : tree.global };
  }
  for (let level = innermost; level >= 0; level--) {
    const root = roots[level];
    const read = root && tree.readBefore(root, key, entry.order);
    if (read) return { info, key, read, root };
  }
  return { info, key, root: tree.global };
}

type Expansion = { value: string | undefined } | { needs: AssignmentRead[] };

/** The text a `$name` word is replaced with, the read whose text is not known yet, or undefined when it cannot be known. */
function wordText(
  effective: EffectiveSettings,
  entry: Placed<SettingNode>,
  name: string,
  ownRead: AssignmentRead | undefined,
  known: Map<Placed<SettingNode>, string | undefined>,
): string | AssignmentRead | undefined {
  const reading = readVariable23(effective, entry, name, ownRead);
  if (!reading) return undefined;
  const { read, info } = reading;
  if (read && !known.has(read.origin)) return read;
  const stored = read ? known.get(read.origin) : info.default;
  return stored === undefined ? undefined : exportedValue23(info, stored);
}

/** One line's stored text from the texts of the lines it reads, or the reads whose texts it still needs. */
function expandLine(
  effective: EffectiveSettings,
  entry: Placed<SettingNode>,
  ownRead: AssignmentRead | undefined,
  known: Map<Placed<SettingNode>, string | undefined>,
): Expansion {
  const { node } = entry;
  if (node.template) return { value: undefined };
  if (node.valueKind === 'plain' || node.valueKind === 'quoted') return { value: node.value };
  if (node.valueKind !== 'variables') return { value: undefined };
  const words = variableLineWords(node);
  const needs: AssignmentRead[] = [];
  let text: string | undefined;
  for (const word of words) {
    const part = word.startsWith('$') ? wordText(effective, entry, word.slice(1), ownRead, known) : word;
    if (part === undefined) return { value: undefined };
    else if (typeof part !== 'string') needs.push(part);
    // Concatenated, not joined: along a `key = $key more` chain each value then shares the one before it.
    else text = text === undefined ? part : text + ' ' + part;
  }
  if (needs.length > 0) return { needs };
  return { value: text ?? '' };
}

/**
 * The text the settings parser holds after an assignment once the config service expanded it; undefined
 * when Dovecot decides it at start (a `<file`, `$ENV:`, a template) or refuses it. Worked out without
 * recursion: a `key = $key more` chain can be thousands of lines long.
 */
export function storedText23(
  effective: EffectiveSettings,
  entry: Placed<SettingNode>,
  ownRead?: AssignmentRead,
): string | undefined {
  const known = new Map<Placed<SettingNode>, string | undefined>();
  const pending: { entry: Placed<SettingNode>; read?: AssignmentRead }[] = [{ entry, read: ownRead }];
  while (pending.length > 0) {
    const next = pending[pending.length - 1];
    if (known.has(next.entry)) {
      pending.pop();
      continue;
    }
    const step = expandLine(effective, next.entry, next.read, known);
    if ('needs' in step) pending.push(...step.needs.map((read) => ({ entry: read.origin, read })));
    else {
      known.set(next.entry, step.value);
      pending.pop();
    }
  }
  return known.get(entry);
}

/** What `$name` is replaced with: the reading's value as the config service writes it; undefined when not known. */
export function readingValue23(effective: EffectiveSettings, reading: VariableReading23): string | undefined {
  const text = reading.read ? storedText23(effective, reading.read.origin, reading.read) : reading.info.default;
  return text === undefined ? undefined : exportedValue23(reading.info, text);
}
