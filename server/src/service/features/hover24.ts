// Hover for configurations detected as Dovecot 2.4: the 2.4 setting a key resolves to through the
// filter prefixes (FACTS §4.2), with its type, default and description. Nothing is validated here.
import { MarkupKind, type Hover, type Position, type Range } from 'vscode-languageserver-types';
import { findProtocol } from '../schema/schema';
import { findMailPlugin24, findSetting24, resolveInFilter24 } from '../schema/schema24';
import type { SectionNode, SettingNode } from '../syntax/nodes';
import { rangeContains, type CursorContext } from './cursorContext';
import { code } from './settingMarkdown';
import { FILTER_DESCRIPTIONS_24, services24, settingMarkdown24 } from './settingMarkdown24';

/** Hover at `position` for a 2.4 tree; `cursor` is the cursor context doHover computed. */
export function doHover24(cursor: CursorContext, position: Position): Hover | null {
  const { header, statement } = cursor;
  if (header) {
    const onType = rangeContains(header.typeRange, position);
    const onName = header.nameRange !== undefined && rangeContains(header.nameRange, position);
    if (onType || onName) return result(sectionHover24(header), onName && header.nameRange ? header.nameRange : header.typeRange);
  }
  if (statement?.kind !== 'setting') return null;
  if (rangeContains(statement.keyRange, position)) return result(keyHover24(cursor, statement), statement.keyRange);
  if (rangeContains(statement.valueRange, position)) {
    const word = wordAt(cursor, position);
    return word ? result(valueWordHover24(cursor, statement, word.text), word.range) : null;
  }
  return null;
}

function result(value: string | undefined, range: Range): Hover | null {
  return value === undefined ? null : { contents: { kind: MarkupKind.Markdown, value }, range };
}

function keyHover24(cursor: CursorContext, statement: SettingNode): string | undefined {
  const inner = cursor.section;
  if (inner?.type === 'mail_plugins') {
    const plugin = findMailPlugin24(statement.key);
    return plugin ? `**${plugin.name}** (mail plugin)\n\n${plugin.description}` : undefined;
  }
  const info = resolveInFilter24(cursor.frames.map((frame) => frame.section.type), statement.key, cursor.frames.map((frame) => frame.section.name));
  if (!info) return undefined;
  return [`**${statement.key}**`, '', settingMarkdown24(info, statement.key)].join('\n');
}

function wordAt(cursor: CursorContext, position: Position): { text: string; range: Range } | undefined {
  const before = /\S*$/.exec(cursor.linePrefix)?.[0] ?? '';
  const after = /^\S*/.exec(cursor.lineSuffix)?.[0] ?? '';
  const text = before + after;
  if (text === '') return undefined;
  const start = cursor.linePrefix.length - before.length;
  return { text, range: { start: { line: position.line, character: start }, end: { line: position.line, character: start + text.length } } };
}

function valueWordHover24(cursor: CursorContext, statement: SettingNode, word: string): string | undefined {
  const info = resolveInFilter24(cursor.frames.map((frame) => frame.section.type), statement.key, cursor.frames.map((frame) => frame.section.name));
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

function sectionHover24(section: SectionNode): string | undefined {
  const title = `**${section.type}${section.name ? ` ${section.name}` : ''}**`;
  if (section.filter) return [title, '', FILTER_DESCRIPTIONS_24[section.filter]].join('\n');
  if (section.type === 'service') {
    // The 2.3 service roles describe 2.3 behaviour (replicator, plugin {}): only the names carry over.
    const service = services24().find((candidate) => candidate.name === section.name);
    const listeners = service?.listeners.map((listener) => code(`${listener.kind}_listener ${listener.name}`)) ?? [];
    const known = service ? `Built-in service${listeners.length > 0 ? `; default listeners: ${listeners.join(', ')}` : ''}.` : 'Not one of the built-in services.';
    const serviceInfo = findSetting24('service');
    return [title, '', known, ...(serviceInfo ? ['', settingMarkdown24(serviceInfo)] : [])].join('\n');
  }
  const info = findSetting24(section.type);
  if (!info) return undefined;
  const lines = [title, '', settingMarkdown24(info)];
  if (info.type === 'filter' || info.type === 'filter_list') lines.push('', `Inside it, ${code('x')} means ${code(`${section.type}_x`)} when that setting exists.`);
  return lines.join('\n');
}
