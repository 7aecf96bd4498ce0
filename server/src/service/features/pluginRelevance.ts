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
  for (const [prefix, plugin] of Object.entries(KEY_PLUGIN_EXCEPTIONS)) {
    if (key === prefix || key.startsWith(`${prefix}_`) || (prefix === 'imapsieve' && key.startsWith(prefix))) return plugin;
  }
  const owners = allMailPlugins()
    .map((plugin) => plugin.name)
    .filter((name) => key === name || key.startsWith(`${name}_`) || new RegExp(`^${name}\\d`).test(key));
  return owners.sort((a, b) => b.length - a.length)[0];
}

/** Every plugin some `mail_plugins` of the tree names (globally or in a protocol block). */
export function loadedMailPlugins(analysis: TreeAnalysis): Set<string> {
  const loaded = new Set<string>();
  for (const entry of analysis.effective.assignments('mail_plugins')) {
    for (const token of tokensOf(entry.node.value)) if (!token.startsWith('$')) loaded.add(token);
  }
  return loaded;
}
