// A mail plugin that only some programs may load (imap_quota: imap; sieve: dovecot-lda and lmtp) in the
// mail_plugins of another program that will run: doveadm, which loads the global list for nearly every
// command whatever `protocols` says, dovecot-lda, or a served protocol. Dovecot (src/lib/module-dir.c) refuses
// it there, by the plugin's `<module>_binary_dependency`, or the plugin cannot even be opened outside its
// program, and the process stops. doveconf -n does not load plugins, so it accepts the configuration.
import type { Range } from 'vscode-languageserver-types';
import type { CheckedVersion } from '../model/dialect';
import { filtersOf, isInFilter, type Placed } from '../model/model';
import type { SettingNode } from '../syntax/nodes';
import type { TextLines } from '../syntax/textLines';
import type { AnalysisContext } from './analyzer';
import type { Finding } from './finding';
import {
  formOf,
  listed,
  listReader,
  listWrite,
  LOADED_ONLY_BY,
  ORDER,
  programOf,
  protocolsLoading,
  usesOwnVariable,
  writtenWords,
  type BoundPlugin,
  type ListReader,
} from './mailPluginDependencies';

/**
 * A protocol filter the plugin must be added to once the line no longer loads it: `order` is the setting
 * (there the order of a `mail_plugins` line of that filter, the one that decides its list) to add it beside;
 * without it, a new `protocol` block is written.
 */
export interface ProgramTarget {
  protocol: string;
  order?: number;
}

/** What the quick fix needs: the plugin, the programs it is for, and how the line that loads it is written. */
export interface ProgramFixData {
  plugin: string;
  programs: string[];
  form: 'list' | 'block';
  version: CheckedVersion;
  /** The processes that stop. */
  protocols: string[];
  /** Where the plugin is to go; absent when a list it would go to is not known. */
  targets?: ProgramTarget[];
}

/** One plugin loaded from one line by processes that may not load it. */
interface Blame {
  entry: Placed<SettingNode>;
  plugin: string;
  protocols: Set<string>;
}

/**
 * 2.3: the line that wrote a plugin into a list, following `$mail_plugins` back from the line whose value a
 * process reads (a protocol line that starts with `$mail_plugins` inherits the global line's words).
 */
function writtenBy(context: AnalysisContext, entry: Placed<SettingNode>, plugin: string): Placed<SettingNode> {
  let at = entry;
  for (let hops = 0; hops < 1000 && !writtenWords(at).includes(plugin) && usesOwnVariable(at); hops++) {
    const before = context.effective.valueBefore(at, 'mail_plugins').entry;
    if (!before) break;
    at = before;
  }
  return at;
}

/** The line that wrote a plugin into the list of a process, from the entry that list holds it by. */
const sourceOf = (context: AnalysisContext, at: Placed<SettingNode>, plugin: string): Placed<SettingNode> =>
  context.schema.version === '2.3' ? writtenBy(context, at, plugin) : at;

/** A word of a one-line value: its text and where it starts on the line. */
export interface ValueWord {
  text: string;
  character: number;
}

/** The words of a setting's value written on one line (split at blanks and commas); undefined over several lines. */
export function valueWordsOnLine(lines: TextLines, node: SettingNode): ValueWord[] | undefined {
  const { start, end } = node.valueRange;
  if (start.line !== end.line) return undefined;
  const value = lines.lineText(start.line).slice(start.character, end.character);
  return [...value.matchAll(/[^ ,]+/g)].map((word) => ({ text: word[0], character: start.character + word.index }));
}

/** The plugin's own word on a one-line `mail_plugins = …`, else the whole value (or the key of a block line). */
function rangeOf(context: AnalysisContext, entry: Placed<SettingNode>, plugin: string): Range {
  const { node } = entry;
  if (formOf(entry) !== 'list') return node.keyRange;
  const lines = context.model.files.get(entry.file)?.parsed.textLines;
  const word = lines && valueWordsOnLine(lines, node)?.find((candidate) => candidate.text === plugin);
  if (!word) return node.valueRange;
  const line = node.valueRange.start.line;
  return { start: { line, character: word.character }, end: { line, character: word.character + plugin.length } };
}

/** Dovecot's refusal as the first program logs it (module_check_wrong_binary_dependency), or its other form. */
function refusal(plugin: string, bound: BoundPlugin, program: string): string {
  const only = bound.programs.length === 1 ? `${bound.programs[0]} binary` : `binaries: ${bound.programs.join(' ')}`;
  return (
    `"Fatal: Couldn't load required plugin .../${bound.module}: Can't load plugin ${plugin}_plugin: ` +
    `Plugin is intended to be used only by ${only} (we're ${program})" ` +
    `(or with a "dlopen() failed: ... undefined symbol" error where the plugin cannot be opened outside ${listed(bound.programs)})`
  );
}

/** The filter line that decides a protocol's list: 2.3 the one in effect, 2.4 the last one of that filter. */
function filterLine(context: AnalysisContext, protocol: string): Placed<SettingNode> | undefined {
  const inFilter = (entry: Placed<SettingNode>) => {
    const filters = filtersOf(entry.frames);
    return filters.length === 1 && filters[0].name === protocol;
  };
  if (context.schema.version === '2.3') {
    const entry = context.effective.value('mail_plugins', { protocol }).entry;
    return entry && inFilter(entry) ? entry : undefined;
  }
  let last: Placed<SettingNode> | undefined;
  for (const entry of context.model.settings)
    if (inFilter(entry) && listWrite(entry)?.list === 'mail_plugins' && (!last || entry.order > last.order))
      last = entry;
  return last;
}

/** The filters the plugin must be added to once this line no longer loads it; undefined where one is not known. */
function targetsOf(
  context: AnalysisContext,
  reader: ListReader,
  blame: Blame,
  bound: BoundPlugin,
): ProgramTarget[] | undefined {
  const targets: ProgramTarget[] = [];
  for (const program of bound.programs) {
    const protocol = program === 'managesieve' ? 'sieve' : program;
    const list = reader.listFor(protocol);
    if (!list) return undefined;
    const at = list.loaded.get(blame.plugin);
    if (at && sourceOf(context, at, blame.plugin) !== blame.entry) continue;
    const line = filterLine(context, protocol);
    targets.push(line ? { protocol, order: line.order } : { protocol });
  }
  return targets;
}

function finding(context: AnalysisContext, reader: ListReader, blame: Blame): Finding {
  const version = context.schema.version;
  const { entry, plugin } = blame;
  const bound = LOADED_ONLY_BY[version][plugin];
  const protocols = ORDER.filter((protocol) => blame.protocols.has(protocol));
  const programs = protocols.map(programOf);
  const filters = listed([...bound.programs].sort().map((program) => `protocol ${program} { }`));
  const inFilter = isInFilter(entry.frames);
  const message =
    `${plugin} works only in ${listed(bound.programs)}, but ${listed(programs)} load${programs.length > 1 ? '' : 's'} it from ` +
    `${inFilter ? 'this block' : 'this global list'}: Dovecot stops ${programs.length > 1 ? 'them' : 'it'} with ` +
    `${refusal(plugin, bound, programs[0])}. Load ${plugin} in ${filters} only.`;
  const data = {
    plugin,
    programs: [...bound.programs],
    form: formOf(entry) === 'list' ? 'list' : 'block',
    version,
    protocols,
    targets: targetsOf(context, reader, blame, bound),
  } satisfies ProgramFixData;
  return {
    code: 'mail-plugin-for-other-program',
    file: entry.file,
    range: rangeOf(context, entry, plugin),
    message,
    data,
  };
}

/** mail-plugin-for-other-program over the lists in effect for the protocols whose processes load them. */
export function mailPluginProgramChecks(context: AnalysisContext): Finding[] {
  // A piece of a configuration (the global list may be in a file not at hand), or a tree neither version reads.
  if (context.fragment || context.dialect === 'mixed') return [];
  const version = context.schema.version;
  const reader = listReader(context);
  if (!reader.readable) return [];
  const blames = new Map<string, Blame>();
  for (const protocol of protocolsLoading(reader)) {
    const list = reader.listFor(protocol);
    if (!list) continue;
    for (const [plugin, loadedAt] of list.loaded) {
      const bound = LOADED_ONLY_BY[version][plugin];
      if (!bound || bound.programs.includes(programOf(protocol))) continue;
      const entry = sourceOf(context, loadedAt, plugin);
      const key = `${entry.order} ${plugin}`;
      let blame = blames.get(key);
      if (!blame) blames.set(key, (blame = { entry, plugin, protocols: new Set() }));
      blame.protocols.add(protocol);
    }
  }
  return [...blames.values()].map((blame) => finding(context, reader, blame));
}
