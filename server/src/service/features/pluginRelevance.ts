// Which mail plugin a `plugin {}` setting belongs to, and which plugins a tree loads, so completion can
// put the settings of loaded plugins first and those of plugins nothing loads last.
import { tokensOf } from '../analysis/replicationFacts';
import type { TreeAnalysis } from '../languageService';
import { allMailPlugins } from '../schema/schema';

/** Setting names that do not start with their plugin's name. */
const KEY_PLUGIN_EXCEPTIONS: Readonly<Record<string, string>> = {
  mail_replica: 'replication',
  noreplicate: 'replication',
  imapsieve: 'imap_sieve',
};

/** The plugin a `plugin {}` key configures: the longest plugin name it starts with, else undefined. */
export function pluginOfKey(key: string): string | undefined {
  if (pluginsOfKeys.has(key)) return pluginsOfKeys.get(key);
  const plugin = findPluginOfKey(key);
  pluginsOfKeys.set(key, plugin);
  return plugin;
}

/** Keys already looked up (completion asks for every plugin key on each request). */
const pluginsOfKeys = new Map<string, string | undefined>();

function findPluginOfKey(key: string): string | undefined {
  for (const [prefix, plugin] of Object.entries(KEY_PLUGIN_EXCEPTIONS)) {
    if (key === prefix || key.startsWith(`${prefix}_`) || (prefix === 'imapsieve' && key.startsWith(prefix)))
      return plugin;
  }
  const owners = allMailPlugins()
    .map((plugin) => plugin.name)
    .filter((name) => key === name || key.startsWith(`${name}_`) || new RegExp(`^${name}\\d`).test(key));
  return owners.sort((a, b) => b.length - a.length)[0];
}

/** Per analysed tree (its effective view never changes). */
const loadedByTree = new WeakMap<TreeAnalysis['effective'], ReadonlySet<string>>();

/** Every plugin some `mail_plugins` of the tree names (globally or in a protocol block). */
export function loadedMailPlugins(analysis: TreeAnalysis): Set<string> {
  const known = loadedByTree.get(analysis.effective);
  if (known) return new Set(known);
  const loaded = new Set<string>();
  for (const entry of analysis.effective.assignments('mail_plugins')) {
    for (const token of tokensOf(entry.node.value)) if (!token.startsWith('$')) loaded.add(token);
  }
  loadedByTree.set(analysis.effective, loaded);
  return new Set(loaded);
}
