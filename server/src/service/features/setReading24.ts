// What a `$SET:name` of a Dovecot 2.4 value reads (config_write_keyvariable@2.4.4), for hover and go to
// definition. `key = $SET:key more` is expanded while the line is read: the value before it. Any other
// `$SET:name` is expanded once the whole configuration is read, from the line's filter, else the filters
// around it (`local` around `protocol`), else the top level, else the default: known here for a line at top
// level or directly inside protocol/local/remote filters, not inside a service, passdb or other block.
import type { TreeAnalysis } from '../languageService';
import type { EffectiveValue } from '../model/effective';
import type { Placed } from '../model/model';
import type { SettingNode } from '../syntax/nodes';

export interface SetReading24 {
  name: string;
  /** Read while the line is read (the line's own key), not once the configuration is read. */
  selfReference: boolean;
  value: EffectiveValue;
}

/** The reading of a `$word` token (its name without `$`); undefined where 2.4 reads no setting or we cannot tell. */
export function setReading24(
  analysis: TreeAnalysis,
  entry: Placed<SettingNode>,
  token: string,
): SetReading24 | undefined {
  if (!token.startsWith('SET:')) return undefined;
  const name = token.slice('SET:'.length);
  if (name.includes('/') || entry.node.template) return undefined;
  if (name === entry.node.key) return { name, selfReference: true, value: analysis.effective.valueBefore(entry, name) };
  if (!entry.frames.every((frame) => frame.section.filter)) return undefined;
  return { name, selfReference: false, value: valueThroughFilters(analysis, entry, name) };
}

/**
 * The value of `name` where the line is, following a default that is itself a `$SET:` (the `service_*` limits
 * default to `$SET:default_process_limit` and its kin), as Dovecot chains them.
 */
function valueThroughFilters(analysis: TreeAnalysis, entry: Placed<SettingNode>, name: string): EffectiveValue {
  const value = lastValueThroughFilters(analysis, entry, name);
  const chained = value.entry ? undefined : /^\$SET:(\w+)$/.exec(value.value)?.[1];
  return chained === undefined || chained === name ? value : lastValueThroughFilters(analysis, entry, chained);
}

/** The last value of `name` in the line's filter, else in the filters around it, else the top-level one. */
function lastValueThroughFilters(analysis: TreeAnalysis, entry: Placed<SettingNode>, name: string): EffectiveValue {
  const tree = analysis.effective.tree();
  const [, ...filterRoots] = tree.rootsAround(entry.frames);
  for (const root of filterRoots.reverse()) {
    const read = root && tree.lastRead(root, name);
    if (read) return analysis.effective.valueOfRead(read);
  }
  return analysis.effective.value(name);
}
