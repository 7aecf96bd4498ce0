// doveconf 2.3's settings checks after parsing (schema/structChecks23.ts), run for the global settings and
// for each protocol/local/remote filter: a filter's own values over the global ones (also those written after
// it). The finding goes on the line of the first setting of the failing struct the scope sets, found in the
// filter itself before the globals.
import type { Placed } from '../model/model';
import { contextOf } from '../model/model';
import { findSetting, isValidProtocolsValue } from '../schema/schema';
import { default23, SECTION_CHECKS_23, STRUCT_CHECKS_23, structCheckError23 } from '../schema/structChecks23';
import type { SectionNode, SettingNode } from '../syntax/nodes';
import type { AnalysisContext } from './analyzer';
import type { Finding } from './finding';

/** A scope's values: key → the line that set it last, with its value (undefined when not literal). */
type Scope = Map<string, { entry: Placed<SettingNode>; value: string | undefined }>;

function literalValue(node: SettingNode): string | undefined {
  return node.valueKind === 'plain' || node.valueKind === 'quoted' ? node.value : undefined;
}

/** The global scope and each filter's own lines over the global ones, in order. */
function scopes(context: AnalysisContext): { own: Scope; inherited: Scope }[] {
  const global: Scope = new Map();
  const filters = new Map<SectionNode, { own: Scope; inherited: Scope }>();
  const settings = [...context.model.settings].sort((a, b) => a.order - b.order);
  for (const entry of settings) {
    if (contextOf(entry.frames) !== '') continue;
    const set = { entry, value: literalValue(entry.node) };
    const filter = entry.frames.length > 0 ? entry.frames[entry.frames.length - 1].section : undefined;
    if (filter === undefined) {
      global.set(entry.node.key, set);
      continue;
    }
    let scope = filters.get(filter);
    if (!scope) filters.set(filter, (scope = { own: new Map(), inherited: global }));
    scope.own.set(entry.node.key, set);
  }
  return [{ own: global, inherited: new Map() }, ...filters.values()];
}

/** master_settings_verify() in a filter: each `protocols` word must be a protocol (the global line is the master's check). */
function protocolsError(value: string | undefined): string | undefined {
  const words = value?.split(' ').filter((word) => word !== '') ?? [];
  if (words.length === 1 && words[0] === 'none') return undefined;
  const unknown = words.find((word) => !isValidProtocolsValue(word));
  return unknown === undefined ? undefined : `protocols: Unknown protocol: ${unknown}`;
}

/** The checks of passdb, userdb, namespace, mailbox and service blocks, on each block's own values. */
function sectionFindings(context: AnalysisContext): Finding[] {
  const own = new Map<SectionNode, Map<string, Placed<SettingNode>>>();
  for (const entry of context.model.settings) {
    const section = entry.frames[entry.frames.length - 1]?.section;
    if (!section) continue;
    let settings = own.get(section);
    if (!settings) own.set(section, (settings = new Map()));
    settings.set(entry.node.key, entry);
  }
  const findings: Finding[] = [];
  for (const placed of context.model.sections) {
    const check = SECTION_CHECKS_23[placed.node.type];
    const sectionContext = [contextOf(placed.frames), placed.node.type].filter((part) => part !== '').join('/');
    if (!check || placed.node.filter || check.context !== sectionContext) continue;
    const settings = own.get(placed.node) ?? new Map<string, Placed<SettingNode>>();
    const value = (key: string) => {
      const set = settings.get(key);
      return set ? literalValue(set.node) : findSetting(sectionContext, key)?.default;
    };
    const message = check.fails(value, placed.node.name ?? '');
    if (message === undefined) continue;
    const at = check.keys.map((key) => settings.get(key)).find((set) => set !== undefined);
    findings.push({
      code: 'settings-check',
      file: at?.file ?? placed.file,
      range: at?.node.range ?? placed.node.headerRange,
      message,
    });
  }
  return findings;
}

export function settingsChecks23(context: AnalysisContext): Finding[] {
  // A piece of a configuration (a conf.d file opened alone): the other files may set what a check reads.
  if (context.fragment) return [];
  const findings: Finding[] = sectionFindings(context);
  const reported = new Set<string>();
  for (const [index, { own, inherited }] of scopes(context).entries()) {
    const protocols = own.get('protocols');
    const wrongProtocol = index > 0 && protocols ? protocolsError(protocols.value) : undefined;
    if (protocols && wrongProtocol)
      findings.push({
        code: 'settings-check',
        file: protocols.entry.file,
        range: protocols.entry.node.range,
        message: wrongProtocol,
      });
    const lookup = (key: string) => own.get(key) ?? inherited.get(key);
    const value = (key: string) => {
      const set = lookup(key);
      return set ? set.value : default23(key);
    };
    for (const check of STRUCT_CHECKS_23) {
      const message = structCheckError23(check, value);
      if (message === undefined) continue;
      const at =
        check.keys.map((key) => own.get(key)).find((set) => set !== undefined) ??
        check.keys.map((key) => inherited.get(key)).find((set) => set !== undefined);
      if (!at) continue;
      const id = `${at.entry.file}:${at.entry.node.range.start.line}:${message}`;
      if (reported.has(id)) continue;
      reported.add(id);
      findings.push({ code: 'settings-check', file: at.entry.file, range: at.entry.node.range, message });
    }
  }
  return findings;
}
