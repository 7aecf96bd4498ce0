// Hover for configurations detected as Dovecot 2.4: the 2.4 setting a key resolves to through the
// filter prefixes (FACTS §4.2), with its type, default and description. Nothing is validated here.
import { findProtocol } from '../schema/schema';
import { findMailPlugin24, findSetting24, resolveInBlocks24 } from '../schema/schema24';
import { maskSecrets } from '../schema/secrets';
import type { SectionNode, SettingNode } from '../syntax/nodes';
import type { HoverHooks, HoverPlace } from './dialects';
import { groupIncludeHover } from './includeGroups24';
import { shown, whereSet } from './hoverPlaces';
import { setReading24 } from './setReading24';
import { code } from './settingMarkdown';
import { FILTER_DESCRIPTIONS_24, services24, settingMarkdown24 } from './settingMarkdown24';

/** `@label = name` includes a group; a quoted `"@label"` is a setting of that name (config_parser_apply_line@2.4.4). */
const isGroupInclude = (statement: SettingNode): boolean => statement.key.startsWith('@') && !statement.keyQuoted;

function keyHover24({ analysis, cursor }: HoverPlace, statement: SettingNode): string | undefined {
  if (isGroupInclude(statement)) return groupIncludeHover(analysis, statement.key, statement.value);
  const inner = cursor.section;
  if (inner?.type === 'mail_plugins') {
    const plugin = findMailPlugin24(statement.key);
    return plugin ? `**${plugin.name}** (mail plugin)\n\n${plugin.description}` : undefined;
  }
  const info = resolveInBlocks24(cursor.frames, statement.key);
  if (!info) return undefined;
  return [`**${statement.key}**`, '', settingMarkdown24(info, statement.key)].join('\n');
}

function valueWordHover24({ analysis, cursor }: HoverPlace, statement: SettingNode, word: string): string | undefined {
  if (isGroupInclude(statement)) return groupIncludeHover(analysis, statement.key, word);
  const info = resolveInBlocks24(cursor.frames, statement.key);
  if (info?.name === 'mail_plugins') {
    const plugin = findMailPlugin24(word);
    return plugin ? `**${plugin.name}** (mail plugin)\n\n${plugin.description}` : undefined;
  }
  if (info?.name === 'protocols') {
    const protocol = findProtocol(word);
    return protocol ? `**${protocol.name}** (protocol)\n\n${protocol.description}` : undefined;
  }
  return undefined;
}

function sectionHover24(_place: HoverPlace, section: SectionNode): string | undefined {
  const title = `**${section.type}${section.name ? ` ${section.name}` : ''}**`;
  if (section.filter) return [title, '', FILTER_DESCRIPTIONS_24[section.filter]].join('\n');
  if (section.type === 'service') {
    // The 2.3 service roles describe 2.3 behaviour (replicator, plugin {}): only the names carry over.
    const service = services24().find((candidate) => candidate.name === section.name);
    const listeners = service?.listeners.map((listener) => code(`${listener.kind}_listener ${listener.name}`)) ?? [];
    const known = service
      ? `Built-in service${listeners.length > 0 ? `; default listeners: ${listeners.join(', ')}` : ''}.`
      : 'Not one of the built-in services.';
    const serviceInfo = findSetting24('service');
    return [title, '', known, ...(serviceInfo ? ['', settingMarkdown24(serviceInfo)] : [])].join('\n');
  }
  const info = findSetting24(section.type);
  if (!info) return undefined;
  const lines = [title, '', settingMarkdown24(info)];
  if (info.type === 'filter' || info.type === 'filter_list')
    lines.push('', `Inside it, ${code('x')} means ${code(`${section.type}_x`)} when that setting exists.`);
  return lines.join('\n');
}

/** `$SET:name`: the value it reads and where that was set, when known (setReading24.ts); nothing inside a secret. */
function variableHover24({ analysis }: HoverPlace, statement: SettingNode, token: string): string | undefined {
  if (maskSecrets(statement.key, statement.value) !== statement.value) return undefined;
  const entry = analysis.model.settings.find((placed) => placed.node === statement);
  const reading = entry && setReading24(analysis, entry, token);
  if (!reading || reading.value.unknown) return undefined;
  const { name, value } = reading;
  const put = `${shown(name, value.value, value.entry)} (${value.entry ? `set at ${whereSet(analysis, value.entry)}` : 'the default'})`;
  const text = reading.selfReference
    ? `Expands here to ${put}, the value before this line.`
    : `Dovecot puts in ${put} when it starts, once the whole configuration is read: \`doveconf -x\` shows it, \`doveconf -n\` keeps ${code(`$SET:${name}`)}.`;
  return [`**$SET:${name}**`, '', text].join('\n');
}

/** The 2.4 hover hooks the shared dispatch (hover.ts) calls. */
export const HOVER_24: HoverHooks = {
  section: sectionHover24,
  key: keyHover24,
  valueWord: valueWordHover24,
  variable: variableHover24,
};
