// Sieve extensions Pigeonhole 2.3 had as deprecated and 2.4 no longer has: enabling one in a 2.4 list makes
// doveconf warn `sieve: ignored unknown extension 'imapflags' while configuring available extensions`
// (src/lib-sieve/sieve-extensions.c@0.5.19 sieve_deprecated_extensions, absent @2.4.4).
import type { Placed } from '../model/model';
import { contextOf } from '../model/model';
import type { SettingNode } from '../syntax/nodes';
import type { AnalysisContext } from './analyzer';
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
      message: `sieve: ignored unknown extension '${listed.name}' while configuring available extensions`,
      data: { extension: listed.name, list: listed.block ?? entry.node.key, inBlock: listed.block !== undefined },
    }));
}
