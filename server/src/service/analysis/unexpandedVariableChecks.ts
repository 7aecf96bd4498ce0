// Dovecot 2.3 reads `key = $name` with `$name` replaced by the value of setting `name` when it starts
// (the config service expands variables), but doveconf without -x keeps `$name` as written and checks it
// as the setting's type: in a boolean, number, size, time, port or enum setting `doveconf -n` stops with
// `Invalid size: $default_vsz_limit` and so does anything that reads the configuration with doveconf,
// while the daemon runs (config-parser.c@2.3.19 config_write_keyvariable; verified with both).
//
// The value `$name` stands for is the one the line's filter holds at that point: a `protocol`, `local`,
// `local_name` or `remote` block starts from the defaults (the values of the blocks around it do not
// count), sections such as `service` use the filter they are in. The config service writes it as
// config_export_type() does (`256 M`, `1 mins`, `yes`).
import { contextOf, type Frame } from '../model/model';
import { checkValue, findSetting, type SettingInfo } from '../schema/schema';
import { exportedValue23 } from '../schema/exportValue23';
import type { SettingNode } from '../syntax/nodes';
import type { AnalysisContext } from './analyzer';
import type { Finding } from './finding';

/** The setting types whose value doveconf parses: `$name` written there is refused as it stands. */
const TYPED = new Set(['bool', 'uint', 'octal', 'time', 'time_msecs', 'size', 'port', 'enum']);

/** The filter a place belongs to, as doveconf identifies it: the filter blocks around it, outermost first. */
function filterKey(frames: readonly Frame[], depth = Infinity): string {
  let key = '';
  let filters = 0;
  for (const { section } of frames) {
    if (!section.filter) continue;
    if (filters === depth) break;
    key = filters++ === 0 ? `${section.type} ${section.name}` : `${key}\n${section.type} ${section.name}`;
  }
  return key;
}

/** The top-level settings each filter has set so far: the text Dovecot stores, undefined when we cannot know it. */
class FilterValues {
  private readonly byFilter = new Map<string, Map<string, string | undefined>>();

  set(filter: string, key: string, text: string | undefined): void {
    let values = this.byFilter.get(filter);
    if (!values) this.byFilter.set(filter, (values = new Map()));
    values.set(key, text);
  }

  /**
   * config_get_value(): `$name` reads the line's filter (set there, else the default); `$key` on the
   * line of `key` itself reads the nearest filter around it that set it, up to the top level.
   */
  lookup(frames: readonly Frame[], info: SettingInfo, self: boolean): string | undefined {
    let depth = 0;
    for (const { section } of frames) if (section.filter) depth++;
    for (let level = depth; level >= (self ? 0 : depth); level--) {
      const values = this.byFilter.get(filterKey(frames, level));
      if (values?.has(info.name)) {
        const text = values.get(info.name);
        return text === undefined ? undefined : exportedValue23(info, text);
      }
    }
    return exportedValue23(info, info.default);
  }
}

interface Expansion {
  /** The value as Dovecot reads it; undefined when a variable's value is not known. */
  expanded?: string;
  /** The value as doveconf -n reads it (`$key` naming the line's own setting is expanded there too). */
  literal?: string;
  /** The `$name` words that are not the setting itself. */
  others: string[];
}

/** The value of a `$` line with each `$name` word replaced as the config service replaces it. */
function expand(node: SettingNode, frames: readonly Frame[], values: FilterValues): Expansion {
  const others: string[] = [];
  // doveconf splits the words at spaces only; a tab inside a value is left to Dovecot.
  if (node.value.includes('\t')) return { others };
  // Joined with `+`, not `join`: a `key = $key more` chain of thousands of lines then shares its earlier
  // values instead of copying each one into the next.
  let expanded: string | undefined;
  let literal: string | undefined;
  const append = (to: string | undefined, word: string): string => (to === undefined ? word : to + ' ' + word);
  for (const word of node.value.split(' ')) {
    if (word === '') continue;
    if (!word.startsWith('$')) {
      expanded = append(expanded, word);
      literal = append(literal, word);
      continue;
    }
    const name = word.slice(1);
    const self = name === node.key;
    if (!self) others.push(word);
    const info = name.startsWith('ENV:') || name.includes('/') ? undefined : findSetting('', name);
    const value = info ? values.lookup(frames, info, self) : undefined;
    if (value === undefined) return { others };
    expanded = append(expanded, value);
    literal = append(literal, self ? value : word);
  }
  return { expanded: expanded ?? '', literal: literal ?? '', others };
}

/** The text Dovecot stores for a setting line; undefined when it comes from a file, a template or an unknown variable. */
function storedText(node: SettingNode, expansion: Expansion | undefined): string | undefined {
  if (node.template?.value) return undefined;
  switch (node.valueKind) {
    case 'plain':
    case 'quoted':
      return node.value;
    case 'variables':
      return expansion?.expanded;
    default:
      return undefined;
  }
}

/**
 * The settings whose values the check must follow: those a `$name` of another setting's line reads, and the
 * setting of a line that reads both another setting and itself. Empty (nothing to check) in most trees.
 */
function settingsToFollow(settings: AnalysisContext['model']['settings']): Set<string> {
  const names = new Set<string>();
  for (const { node } of settings) {
    if (node.valueKind !== 'variables' || node.template) continue;
    let readsOther = false;
    let readsSelf = false;
    for (const word of node.value.split(' ')) {
      if (!word.startsWith('$')) continue;
      const name = word.slice(1);
      if (name === node.key) readsSelf = true;
      else if (!name.startsWith('ENV:')) {
        readsOther = true;
        names.add(findSetting('', name)?.name ?? name);
      }
    }
    if (readsOther && readsSelf) names.add(findSetting('', node.key)?.name ?? node.key);
  }
  return names;
}

export function unexpandedVariableChecks(context: AnalysisContext): Finding[] {
  const followed = settingsToFollow(context.model.settings);
  if (followed.size === 0) return [];
  const findings: Finding[] = [];
  const values = new FilterValues();
  for (const { node, file, frames } of context.model.settings) {
    const hasVariables = node.valueKind === 'variables' && !node.template;
    const settingContext = contextOf(frames);
    if (!hasVariables && settingContext !== '') continue;
    const info = findSetting(settingContext, node.key);
    if (!info) continue;
    const stored = settingContext === '' && followed.has(info.name);
    if (!hasVariables && !stored) continue;
    const expansion = hasVariables ? expand(node, frames, values) : undefined;
    if (expansion?.expanded !== undefined && expansion.others.length > 0 && TYPED.has(info.type)) {
      const doveconfError = checkValue(info, expansion.literal ?? '');
      if (doveconfError !== undefined && checkValue(info, expansion.expanded) === undefined) {
        const names = expansion.others.join(' and ');
        findings.push({
          code: 'variable-fails-doveconf',
          file,
          range: node.valueRange,
          message: `Dovecot expands ${names} when it starts (${node.key} = ${expansion.expanded}), but doveconf -n stops here with "${doveconfError}", so anything that checks the configuration with doveconf (doveconf -n, dovecot -n, doveadm config) fails.`,
          data: { replacement: expansion.expanded },
        });
      }
    }
    if (stored) values.set(filterKey(frames), info.name, storedText(node, expansion));
  }
  return findings;
}
