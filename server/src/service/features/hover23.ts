// Hover for Dovecot 2.3 trees (and trees whose version is unknown or mixed): the setting, its value in
// effect across the include tree and where it was set.
import type { TreeAnalysis } from '../languageService';
import type { MergedSection } from '../model/effective';
import type { Frame, Placed } from '../model/model';
import {
  findMailPlugin,
  findPluginKey,
  findProtocol,
  findService,
  findSetting,
  isStrlistContext,
  listenerKindOfSection,
  type ListenerInfo,
} from '../schema/schema';
import { readingValue23, readVariable23, storedText23 } from '../analysis/variableReading23';
import { maskSecrets } from '../schema/secrets';
import type { SectionNode, SettingNode } from '../syntax/nodes';
import type { HoverHooks, HoverPlace } from './dialects';
import { FILTER_DESCRIPTIONS } from './sectionDocs';
import { shown, where, whereSet } from './hoverPlaces';
import { code, listenerSummary, pluginKeyMarkdown, serviceMarkdown, settingMarkdown } from './settingMarkdown';

function keyHover(place: HoverPlace, statement: SettingNode): string | undefined {
  const { cursor } = place;
  // 2.3 reads the quotes of a key written in double quotes as part of it: no setting has such a name.
  if (statement.keyQuoted) return undefined;
  if (cursor.context === 'plugin') {
    const key = findPluginKey(statement.key);
    const body = key ? pluginKeyMarkdown(key) : 'Free-form plugin setting (no built-in description).';
    return [`**${statement.key}** (plugin setting)`, '', body, '', pluginEffectiveLine(place, statement.key)].join(
      '\n',
    );
  }
  if (isStrlistContext(cursor.context)) return undefined;
  const info = findSetting(cursor.context, statement.key);
  if (!info) return undefined;
  const lines = [`**${info.name}**`, '', settingMarkdown(info), ''];
  lines.push(
    ...(cursor.context === ''
      ? globalEffectiveLines(place, statement.key)
      : sectionEffectiveLines(place, statement.key)),
  );
  return lines.join('\n').trimEnd();
}

/** Top-level keys: the global value, or the value for the protocol of the filter the cursor is in. */
function globalEffectiveLines(place: HoverPlace, key: string): string[] {
  const { analysis, cursor } = place;
  const protocolFilter = cursor.filters.find((filter) => filter.filter === 'protocol' && !filter.name.startsWith('!'));
  const otherFilters = cursor.filters.filter((filter) => filter.filter !== 'protocol');
  const effective = analysis.effective.value(key, protocolFilter ? { protocol: protocolFilter.name } : {});
  const source = effective.entry ? whereSet(analysis, effective.entry) : 'default';
  const scope = protocolFilter ? ` for protocol ${protocolFilter.name}` : '';
  // A `<file` value is shown as written (`shown` adds the `<`): its content may be a secret (ssl_key) or a whole file.
  const written = effective.entry?.node.valueKind === 'file' ? effective.entry.node.value : effective.value;
  const lines = [`In effect${scope}: ${shown(key, written, effective.entry)} (${source})`];
  if (otherFilters.length > 0)
    lines.push(
      '',
      `This block applies only to connections matching ${otherFilters.map((f) => code(`${f.type} ${f.name}`)).join(' ')}.`,
    );
  if (!protocolFilter) {
    const overriding = analysis.effective.protocolsOverriding(key);
    if (overriding.length > 0)
      lines.push('', `Overridden in ${overriding.map((name) => code(`protocol ${name}`)).join(', ')}.`);
  }
  return lines;
}

/** Keys inside sections: the merged section's last assignment (named blocks merge, FACTS §1.3), else the default. */
function sectionEffectiveLines(place: HoverPlace, key: string): string[] {
  const { analysis, cursor } = place;
  if (cursor.filters.length > 0) return [];
  const merged = mergedSectionFor(analysis, cursor.frames);
  const entry = merged?.settings.get(key);
  if (entry) return [`In effect: ${shown(key, entry.node.value, entry)} (${whereSet(analysis, entry)})`];
  const fallback = sectionDefault(cursor.frames, key);
  return fallback === undefined ? [] : [`In effect: ${shown(key, fallback)} (default)`];
}

function pluginEffectiveLine(place: HoverPlace, key: string): string {
  const { analysis } = place;
  let entry: Placed<SettingNode> | undefined;
  for (const section of analysis.effective.sections('plugin')) entry = section.settings.get(key) ?? entry;
  if (!entry) return 'In effect: not set in `plugin { }` (a userdb extra field may still set it).';
  return `In effect: ${shown(key, entry.node.value, entry)} (${whereSet(analysis, entry)}); a userdb extra field overrides it.`;
}

/** The merged section for a chain of enclosing frames (no filters), following the exact blocks. */
export function mergedSectionFor(analysis: TreeAnalysis, frames: readonly Frame[]): MergedSection | undefined {
  if (frames.length === 0) return undefined;
  let candidates = analysis.effective.sections(frames[0].section.type);
  let current: MergedSection | undefined;
  for (const frame of frames) {
    current = candidates.find((merged) => merged.occurrences.some((occurrence) => occurrence.node === frame.section));
    if (!current) return undefined;
    candidates = current.children;
  }
  return current;
}

function defaultListener(service: SectionNode | undefined, listener: SectionNode): ListenerInfo | undefined {
  const kind = listenerKindOfSection(listener.type);
  if (!service || service.type !== 'service' || !kind) return undefined;
  return findService(service.name)?.listeners.find(
    (candidate) => candidate.kind === kind && candidate.name === listener.name,
  );
}

/** Built-in default of a key in a service or listener block: per-service defaults first, then the schema. */
function sectionDefault(frames: readonly Frame[], key: string): string | undefined {
  const innermost = frames[frames.length - 1]?.section;
  const outer = frames[frames.length - 2]?.section;
  if (innermost?.type === 'service') {
    const value = findService(innermost.name)?.defaults[key];
    if (value !== undefined) return value;
  }
  if (innermost && listenerKindOfSection(innermost.type)) {
    const listener = defaultListener(outer, innermost);
    const value = listener?.[key as keyof ListenerInfo];
    if (value !== undefined) return value;
  }
  const context = frames.map((frame) => frame.section.type).join('/');
  return findSetting(context, key)?.default;
}

/**
 * `$name`: the value Dovecot puts in its place, read when it read this line (a later assignment does not reach
 * it); inside a filter block, from that filter. Silent where the value is not known here.
 */
function variableHover(place: HoverPlace, statement: SettingNode, name: string): string | undefined {
  // a `$name` inside a secret value is part of the secret: no hover names it
  if (maskSecrets(statement.key, statement.value) !== statement.value) return undefined;
  const { analysis } = place;
  const entry = analysis.model.settings.find((placed) => placed.node === statement);
  const reading = entry && readVariable23(analysis.effective, entry, name);
  if (!reading) return undefined;
  const value = readingValue23(analysis.effective, reading);
  if (value === undefined) return undefined;
  const { info, key } = reading;
  const source = reading.read ? `set at ${whereSet(analysis, reading.read.origin)}` : 'the default';
  const lines = [
    `**$${name}**`,
    '',
    `Expands here to ${shown(info.name, value)} (${source}), the value when Dovecot read this line.`,
  ];
  if (name !== (statement.key23 ?? statement.key))
    lines.push(
      `Dovecot's config service puts it in when it starts: \`doveconf -x\` shows the value, \`doveconf -n\` keeps ${code(`$${name}`)}.`,
    );
  const tree = analysis.effective.tree();
  if (reading.filter) {
    const global = tree.readBefore(tree.global, key, entry.order);
    const notGlobal = global
      ? `: the global value set at ${whereSet(analysis, global.origin)} does not count here`
      : '';
    lines.push(
      '',
      `Inside ${code(`${reading.filter} { }`)}, ${code(`$${name}`)} reads what this filter has set, else the default${notGlobal}.`,
    );
  }
  const later = reading.root && tree.lastRead(reading.root, key);
  if (later && later.origin.order > entry.order) {
    const laterValue = storedText23(analysis.effective, later.origin, later);
    const to = laterValue === undefined ? '' : ` to ${shown(info.name, laterValue)}`;
    lines.push(
      '',
      `A later line (${whereSet(analysis, later.origin)}) changes ${code(name)}${to}; that does not reach this line.`,
    );
  }
  return lines.join('\n');
}

function valueWordHover(place: HoverPlace, statement: SettingNode, word: string): string | undefined {
  const { cursor } = place;
  if (cursor.context !== '') return undefined;
  if (statement.key === 'mail_plugins') {
    const plugin = findMailPlugin(word);
    return plugin ? `**${plugin.name}** (mail plugin)\n\n${plugin.description}` : undefined;
  }
  if (statement.key === 'protocols') {
    const protocol = findProtocol(word);
    return protocol ? `**${protocol.name}** (protocol)\n\n${protocol.description}` : undefined;
  }
  return undefined;
}

function sectionHover(place: HoverPlace, section: SectionNode): string | undefined {
  const { cursor, analysis } = place;
  if (section.filter) {
    const lines = [
      `**${section.type}${section.name ? ` ${section.name}` : ''}**`,
      '',
      FILTER_DESCRIPTIONS[section.filter],
    ];
    const protocol = section.filter === 'protocol' ? findProtocol(section.name.replace(/^!/, '')) : undefined;
    if (protocol) lines.push('', `${code(protocol.name)}: ${protocol.description}`);
    return lines.join('\n');
  }
  const info = findSetting(cursor.context, section.type);
  if (section.type === 'service') {
    const service = findService(section.name);
    const body = service
      ? serviceMarkdown(service)
      : [`**service ${section.name}**`, '', info?.description ?? '', '', 'Not one of the built-in services.'].join(
          '\n',
        );
    const merged = cursor.filters.length === 0 ? analysis.effective.section('service', section.name) : undefined;
    const places =
      merged && merged.occurrences.length > 1
        ? `\n\nMerged from ${merged.occurrences.map((o) => where(analysis, o.file, o.node.headerRange)).join(', ')}.`
        : '';
    return body + places;
  }
  if (listenerKindOfSection(section.type)) {
    const listener = defaultListener(cursor.section, section);
    const serviceName = cursor.section?.type === 'service' ? cursor.section.name : undefined;
    const lines = [`**${section.type} ${section.name}**`, '', info?.description ?? ''];
    if (listener)
      lines.push(
        '',
        `Default listener of ${code(`service ${serviceName}`)}: ${listenerSummary(listener)}. Keys set here override these defaults.`,
      );
    else if (serviceName)
      lines.push('', `Not a default listener of ${code(`service ${serviceName}`)}: this block adds a new listener.`);
    return lines.join('\n');
  }
  if (!info) return undefined;
  return [`**${section.type}${section.name ? ` ${section.name}` : ''}**`, '', settingMarkdown(info)].join('\n');
}

/** The 2.3 hover hooks the shared dispatch (hover.ts) calls. */
export const HOVER_23: HoverHooks = {
  section: sectionHover,
  key: keyHover,
  valueWord: valueWordHover,
  variable: variableHover,
};
