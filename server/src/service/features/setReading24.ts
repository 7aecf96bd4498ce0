// What a `$SET:name` of a Dovecot 2.4 value reads (config_write_keyvariable@2.4.4), for hover and go to
// definition. `key = $SET:key more` is expanded while the line is read: the value before it. Any other
// `$SET:name` is expanded once the whole configuration is read, from the line's filter, else the filters
// around it, else the default: known here for a top-level line only.
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
  if (entry.frames.length > 0) return undefined;
  return { name, selfReference: false, value: analysis.effective.value(name) };
}
