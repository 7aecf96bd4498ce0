// Sieve extension names doveconf 2.4 does not know: enabling one in a list makes doveconf warn `sieve: ignored
// unknown extension 'NAME' while configuring available extensions` (src/lib-sieve/sieve-extensions.c@2.4.4).
// The deprecated extensions Pigeonhole 2.3 had and 2.4 no longer has (imapflags, notify; 0.5.19's
// sieve_deprecated_extensions) have their own rule; other names are judged where doveconf judges them.
import type { Placed } from '../model/model';
import { contextOf } from '../model/model';
import { SIEVE_CAPABILITY_KEYS_24 } from '../schema/moreChecks24';
import { boollistError24, parseBoollist24 } from '../schema/valueCheck24';
import type { SettingNode } from '../syntax/nodes';
import type { AnalysisContext } from './analyzer';
import { fileValueWarnsDoveconf } from './fileValueFails';
import type { Finding } from './finding';

const REMOVED_EXTENSIONS: ReadonlySet<string> = new Set(['imapflags', 'notify']);
const EXTENSION_LISTS: ReadonlySet<string> = new Set([
  'sieve_extensions',
  'sieve_global_extensions',
  'sieve_implicit_extensions',
]);

interface ListEntry {
  name: string;
  enabled: boolean;
  /** The list this entry belongs to, when the entry is a line of its block (`list { name = yes }`). */
  block?: string;
}

/** The removed extensions a setting enables or disables: `list { name = yes|no }`, or the words of `list = a b`. */
function listEntries(entry: Placed<SettingNode>): ListEntry[] {
  const { key, value } = entry.node;
  const context = contextOf(entry.frames);
  const list = context.split('/').pop() ?? '';
  if (EXTENSION_LISTS.has(list) && REMOVED_EXTENSIONS.has(key))
    return [{ name: key, enabled: value === 'yes', block: list }];
  if (!EXTENSION_LISTS.has(key) || (entry.node.valueKind !== 'plain' && entry.node.valueKind !== 'quoted')) return [];
  return value
    .split(/\s+/)
    .filter((word) => REMOVED_EXTENSIONS.has(word))
    .map((name) => ({ name, enabled: true }));
}

export function sieveExtensions24Checks(context: AnalysisContext): Finding[] {
  const last = new Map<string, { entry: Placed<SettingNode>; listed: ListEntry }>();
  for (const entry of context.model.settings)
    for (const listed of listEntries(entry)) last.set(listed.name, { entry, listed });
  return [...last.values()]
    .filter(({ listed }) => listed.enabled)
    .map(({ entry, listed }) => ({
      code: 'sieve-extension-removed',
      file: entry.file,
      range: entry.node.range,
      message: unknownExtensionWarning(listed.name),
      data: { extension: listed.name, list: listed.block ?? entry.node.key, inBlock: listed.block !== undefined },
    }));
}

/** The extensions Pigeonhole 2.4.4 registers itself (sieve_extensions[], the dummy comparators, ihave). */
const KNOWN_EXTENSIONS: ReadonlySet<string> = new Set([
  'fileinto',
  'reject',
  'envelope',
  'encoded-character',
  'vacation',
  'subaddress',
  'comparator-i;ascii-numeric',
  'comparator-i;octet',
  'comparator-i;ascii-casemap',
  'comparator-i;unicode-casemap',
  'relational',
  'regex',
  'imap4flags',
  'copy',
  'include',
  'body',
  'variables',
  'enotify',
  'environment',
  'mailbox',
  'date',
  'index',
  'ihave',
  'duplicate',
  'mime',
  'foreverypart',
  'extracttext',
  'vacation-seconds',
  'spamtest',
  'spamtestplus',
  'virustest',
  'editheader',
  'mboxmetadata',
  'servermetadata',
  'special-use',
  'extlists',
  'vnd.dovecot.debug',
  'vnd.dovecot.environment',
  'vnd.dovecot.report',
]);

/** The extensions Pigeonhole's own plugins register when sieve_plugins loads them. */
const PLUGIN_EXTENSIONS: Readonly<Record<string, readonly string[]>> = {
  sieve_extprograms: ['vnd.dovecot.pipe', 'vnd.dovecot.filter', 'vnd.dovecot.execute'],
  sieve_imapsieve: ['imapsieve', 'vnd.dovecot.imapsieve'],
};

/**
 * A value Dovecot 2.4 reads as written: plain, quoted, or with `$word`s it keeps as text (it expands only
 * `$SET:` and `$ENV:`; config_write_keyvariable@2.4.4), as `protocols = $mail_plugins` enables "$mail_plugins".
 */
function isLiteral24(node: SettingNode): boolean {
  if (node.valueKind === 'plain' || node.valueKind === 'quoted') return true;
  return (
    node.valueKind === 'variables' &&
    node.variables.every(({ name }) => !name.startsWith('SET:') && !name.startsWith('ENV:'))
  );
}

/**
 * A `protocol { }` block without a name at top level (or `protocol "" { }`): its settings are read where no
 * protocol is set, as by the program doveconf runs to list the ManageSieve capabilities (Dovecot's master
 * does not read them).
 */
function isNamelessProtocol(entry: Placed<SettingNode>): boolean {
  const outer = entry.frames[0]?.section;
  return outer !== undefined && outer.filter === 'protocol' && outer.name === '';
}

/**
 * The final global value of each boolean list `names` (in order of reading): `key = a b` replaces the list,
 * `key { a = yes|no }` adds or removes an element. A list whose value we cannot read is undefined; a list
 * never written is missing. A block written before any `key = …` line starts from an empty list: right for
 * the lists that are empty by default. With `namelessProtocol`, the lines of a nameless `protocol { }` block
 * come after the global ones, as a filter's value wins over the global one whatever their order.
 */
export function globalLists(
  context: AnalysisContext,
  names: ReadonlySet<string>,
  namelessProtocol = false,
): Map<string, Map<string, Placed<SettingNode>> | undefined> {
  const lists = new Map<string, Map<string, Placed<SettingNode>> | undefined>();
  const later: Placed<SettingNode>[] = [];
  for (const entry of context.model.settings) {
    if (namelessProtocol && isNamelessProtocol(entry)) later.push(entry);
    else readListLine(lists, names, entry, entry.frames.length);
  }
  for (const entry of later) readListLine(lists, names, entry, entry.frames.length - 1);
  return lists;
}

/** One line of a list of `names` into `lists`, the line `depth` blocks deep below the level the lists are read at. */
function readListLine(
  lists: Map<string, Map<string, Placed<SettingNode>> | undefined>,
  names: ReadonlySet<string>,
  entry: Placed<SettingNode>,
  depth: number,
): void {
  const { node, frames } = entry;
  const block = frames[frames.length - 1]?.section;
  if (depth === 0 && names.has(node.key)) {
    const parsed = parseBoollist24(node.value);
    const known = isLiteral24(node) && boollistError24(node.value) === undefined;
    lists.set(node.key, known ? new Map(parsed.elements.map((name) => [name, entry])) : undefined);
  } else if (depth === 1 && !block.filter && names.has(block.type)) {
    const list = block.type;
    const elements = lists.has(list) ? lists.get(list) : new Map<string, Placed<SettingNode>>();
    if (elements === undefined) return;
    if (node.value === 'yes') elements.set(node.key, entry);
    else if (node.value === 'no') elements.delete(node.key);
    else {
      lists.set(list, undefined);
      return;
    }
    lists.set(list, elements);
  }
}

/**
 * doveconf initialises Sieve with the global settings to list the ManageSieve capabilities, and then warns
 * about each unknown name its lists enable. Not judged when a plugin we do not know could add extensions.
 */
export function unknownSieveExtensions24Checks(context: AnalysisContext): Finding[] {
  // A piece of a configuration opened alone: sieve_plugins may be set in another file.
  if (context.fragment) return [];
  const capabilitiesGiven = SIEVE_CAPABILITY_KEYS_24.every((key) =>
    context.model.settings.some(({ node, frames }) => frames.length === 0 && node.key === key),
  );
  if (capabilitiesGiven) return [];
  const fromFiles = fileLists(context).map((entry) => {
    const words = `<${entry.node.value}`.split(/[ \t]+/).filter((word) => word !== '' && !KNOWN_EXTENSIONS.has(word));
    return fileValueWarnsDoveconf(entry.node, entry.file, words.map(unknownExtensionWarning));
  });
  return [...fromFiles, ...unknownNames(context)];
}

/** The global extension lists whose last `list = …` line is a `<file` (a `list { name = yes }` block adds to it). */
function fileLists(context: AnalysisContext): Placed<SettingNode>[] {
  const last = new Map<string, Placed<SettingNode>>();
  for (const entry of context.model.settings)
    if (entry.frames.length === 0 && EXTENSION_LISTS.has(entry.node.key)) last.set(entry.node.key, entry);
  return [...last.values()].filter((entry) => entry.node.valueKind === 'file');
}

function unknownExtensionWarning(name: string): string {
  return `sieve: ignored unknown extension '${name}' while configuring available extensions`;
}

/** The names the global lists enable that neither Pigeonhole nor the plugins sieve_plugins loads know. */
function unknownNames(context: AnalysisContext): Finding[] {
  const plugins = globalLists(context, new Set(['sieve_plugins']), true).get('sieve_plugins') ?? new Map();
  if (plugins === undefined) return [];
  const known = new Set(KNOWN_EXTENSIONS);
  for (const plugin of plugins.keys()) {
    const extensions = PLUGIN_EXTENSIONS[plugin];
    if (extensions === undefined) return [];
    for (const extension of extensions) known.add(extension);
  }
  const findings: Finding[] = [];
  for (const [list, elements] of globalLists(context, EXTENSION_LISTS, true)) {
    for (const [name, entry] of elements ?? []) {
      if (known.has(name) || REMOVED_EXTENSIONS.has(name)) continue;
      findings.push({
        code: 'sieve-extension-unknown',
        file: entry.file,
        range: entry.node.range,
        message: unknownExtensionWarning(name),
        data: { extension: name, list },
      });
    }
  }
  return findings;
}
