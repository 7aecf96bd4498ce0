// What a `$name` in a value stands for in Dovecot 2.3 (config_get_value() and config_write_keyvariable()
// @2.3.19): the config service replaces it when it starts with the top-level setting `name` as the settings
// parser holds it at that line. Outside filters that is the global value set so far, inside a section too.
// Inside a protocol/local/local_name/remote block it is what that filter has set so far, else the built-in
// default: the global value does not count there. Only `key = $key` on a line of `key` itself looks further
// out, to the filters around and then the global value (doveconf -n expands that one itself).
import type { TreeAnalysis } from '../languageService';
import type { MergedSection } from '../model/effectiveTree';
import { contextOf, type Placed } from '../model/model';
import { exportedValue23 } from '../schema/exportValue23';
import { findSetting, variableReadsSetting23, type SettingInfo } from '../schema/schema';
import type { SettingNode } from '../syntax/nodes';

export interface VariableReading23 {
  /** The top-level setting read, and its name as the effective tree files it. */
  info: SettingInfo;
  key: string;
  /** The assignment whose value is read; undefined when it is the built-in default. */
  source?: Placed<SettingNode>;
  /** The filter block whose own values are read (`protocol imap`), undefined outside filters and for `$key` itself. */
  filter?: string;
  /** Where the reading looks: the global block or a filter's root (undefined for a filter nothing went into). */
  root?: MergedSection;
}

/** The words of a `$` line as Dovecot splits them (at spaces); undefined with a tab, which it splits otherwise. */
function wordsOf(node: SettingNode): string[] | undefined {
  if (node.value.includes('\t')) return undefined;
  return node.value.split(' ').filter((word) => word !== '');
}

/** The filter blocks around a place as doveconf names them (`local 10.0.0.1 protocol imap`). */
function filterName(entry: Placed<SettingNode>): string | undefined {
  const names = entry.frames
    .filter(({ section }) => section.filter)
    .map(({ section }) => `${section.type} ${section.name}`);
  return names.length === 0 ? undefined : names.join(' ');
}

/**
 * The setting a `$name` token of `entry` reads and the assignment it reads; undefined where Dovecot reads
 * no setting (`$ENV:NAME`, a name no top-level setting has, a value with a tab).
 */
export function readVariable23(
  analysis: TreeAnalysis,
  entry: Placed<SettingNode>,
  name: string,
): VariableReading23 | undefined {
  if (entry.node.valueKind !== 'variables' || variableReadsSetting23(name) !== true) return undefined;
  if (!wordsOf(entry.node)?.includes(`$${name}`)) return undefined;
  const info = findSetting('', name);
  if (!info) return undefined;
  const key = analysis.versionDialect.settings.canonicalKey('', name);
  const tree = analysis.effective.tree();
  const roots = tree.rootsAround(entry.frames);
  const innermost = roots.length - 1;
  if (name !== (entry.node.key23 ?? entry.node.key)) {
    const root = roots[innermost];
    const source = root && tree.readBefore(root, key, entry.order)?.origin;
    return { info, key, source, filter: innermost > 0 ? filterName(entry) : undefined, root };
  }
  // `$key` on its own line: the tree built that line's value on the same reading (a top-level line).
  const read = contextOf(entry.frames) === '' ? tree.readAt(entry.node) : undefined;
  if (read && read.key === key) {
    const source = typeof read.previous === 'string' ? undefined : read.previous.origin;
    const root = source ? tree.readAt(source.node)?.block : tree.global;
    return { info, key, source, root };
  }
  for (let level = innermost; level >= 0; level--) {
    const root = roots[level];
    const source = root && tree.readBefore(root, key, entry.order)?.origin;
    if (source) return { info, key, source, root };
  }
  return { info, key, root: tree.global };
}

type Expansion = { value: string | undefined } | { needs: Placed<SettingNode>[] };

/** One line's stored text from the texts of the lines it reads, or the lines whose texts it still needs. */
function expandLine(
  analysis: TreeAnalysis,
  entry: Placed<SettingNode>,
  known: Map<Placed<SettingNode>, string | undefined>,
): Expansion {
  const { node } = entry;
  if (node.template) return { value: undefined };
  if (node.valueKind === 'plain' || node.valueKind === 'quoted') return { value: node.value };
  if (node.valueKind !== 'variables') return { value: undefined };
  const words = wordsOf(node);
  if (!words) return { value: undefined };
  const needs: Placed<SettingNode>[] = [];
  const texts: string[] = [];
  for (const word of words) {
    if (!word.startsWith('$')) {
      texts.push(word);
      continue;
    }
    const reading = readVariable23(analysis, entry, word.slice(1));
    if (!reading) return { value: undefined };
    const { source, info } = reading;
    if (source && !known.has(source)) {
      needs.push(source);
      continue;
    }
    const text = source ? known.get(source) : info.default;
    const written = text === undefined ? undefined : exportedValue23(info, text);
    if (written === undefined) return { value: undefined };
    texts.push(written);
  }
  return needs.length > 0 ? { needs } : { value: texts.join(' ') };
}

/**
 * The text the settings parser holds after an assignment once the config service expanded it; undefined
 * when Dovecot decides it at start (a `<file`, `$ENV:`, a template) or refuses it. Worked out without
 * recursion: a `key = $key more` chain can be thousands of lines long.
 */
export function storedText23(analysis: TreeAnalysis, entry: Placed<SettingNode>): string | undefined {
  const known = new Map<Placed<SettingNode>, string | undefined>();
  const pending = [entry];
  while (pending.length > 0) {
    const next = pending[pending.length - 1];
    if (known.has(next)) {
      pending.pop();
      continue;
    }
    const step = expandLine(analysis, next, known);
    if ('needs' in step) pending.push(...step.needs);
    else {
      known.set(next, step.value);
      pending.pop();
    }
  }
  return known.get(entry);
}

/** What `$name` is replaced with: the reading's value as the config service writes it; undefined when not known. */
export function readingValue23(analysis: TreeAnalysis, reading: VariableReading23): string | undefined {
  const text = reading.source ? storedText23(analysis, reading.source) : reading.info.default;
  return text === undefined ? undefined : exportedValue23(reading.info, text);
}
