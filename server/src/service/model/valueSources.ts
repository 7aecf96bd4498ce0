// Where a value comes from, when it is not written in the configuration itself: `key = <file` is the
// file's whole content (newline included, FACTS §1.6); `$ENV:NAME` and `$name` of another setting are
// expanded by Dovecot's config service at start (FACTS §1.7), so the linter cannot know them.
import * as path from 'node:path';
import type { SettingNode } from '../syntax/nodes';
import type { FileHost } from './host';
import type { Placed } from './model';

/** The content of a `key = <file` value when that is a readable regular file; undefined otherwise. */
export function readValueFile(host: FileHost, entry: Placed<SettingNode>): string | undefined {
  if (entry.node.valueKind !== 'file' || entry.node.value === '') return undefined;
  const target = path.resolve(path.dirname(entry.file), entry.node.value);
  return host.isFile(target) ? host.readFile(target) : undefined;
}

/** A `$ENV:NAME` or a `$name` other than the setting's own (`key = $key more`, which doveconf expands itself). */
export function hasOpaqueVariable(node: SettingNode): boolean {
  return node.valueKind === 'variables' && node.variables.some((variable) => variable.name !== node.key);
}
