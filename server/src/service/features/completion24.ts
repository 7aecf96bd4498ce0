// Completion for configurations detected as Dovecot 2.4 (model/dialect.ts). 2.4 has no settings
// hierarchy: any setting may be written in any block, and inside a named filter the names with the
// filter's prefix are tried first (FACTS §4.2). No 2.3-only construct (plugin {}, mail_replica,
// replicator/aggregator services) is offered here.
import { CompletionItemKind, InsertTextFormat, type CompletionItem } from 'vscode-languageserver-types';
import { allProtocols, findProtocol } from '../schema/schema';
import {
  allMailPlugins24,
  allSettings24,
  findService24,
  isListBlock24,
  prefixedSettings24,
  resolveInFilter24,
  type Setting24Info,
} from '../schema/schema24';
import type { FilterKind } from '../syntax/nodes';
import {
  blockItem,
  includeItem,
  markdown,
  otherWords,
  SORT_FIRST,
  SORT_NORMAL,
  valueItem,
  type CompletionPlace as Place,
  typedValueItems,
} from './completionItems';
import type { CursorContext } from './cursorContext';
import type { CompletionHooks } from './dialects';
import { FILTER_DESCRIPTIONS_24, services24, settingDetail24, settingMarkdown24 } from './settingMarkdown24';
import { groupIncludeItems, groupNameItems } from './includeGroups24';
import { snippetCompletions } from './snippets';

const FILTER_KINDS: readonly FilterKind[] = ['local', 'local_name', 'remote', 'protocol'];

function sectionTypes(cursor: CursorContext): string[] {
  return cursor.frames.map((frame) => frame.section.type);
}

function sectionNames(cursor: CursorContext): string[] {
  return cursor.frames.map((frame) => frame.section.name);
}

function keyItems(place: Place): CompletionItem[] {
  const inner = place.cursor.section;
  const items: CompletionItem[] = [includeItem(place, '!include'), includeItem(place, '!include_try')];
  if (inner && isListBlock24(inner.type)) {
    if (inner.type === 'mail_plugins') items.push(...mailPluginKeyItems(place));
    return items;
  }
  const labels = new Set<string>();
  const add = (item: CompletionItem) => {
    if (labels.has(item.label)) return;
    labels.add(item.label);
    items.push(item);
  };
  // Inside `passdb static {}` first passdb_static_*, then passdb_*: the lookup order of FACTS §4.2.
  if (inner) {
    const prefixes =
      /^[\w.-]+$/.test(inner.name) && !inner.filter ? [`${inner.type}_${inner.name}`, inner.type] : [inner.type];
    for (const prefix of prefixes) {
      for (const { written, info } of prefixedSettings24(prefix))
        if (info.type !== 'alias') add(settingItem(place, info, written, SORT_FIRST));
    }
  }
  // An alias (doveadm_proxy_port) makes Dovecot 2.4 abort: the name it stands for is offered instead.
  for (const info of allSettings24()) if (info.type !== 'alias') add(settingItem(place, info, info.name, SORT_NORMAL));
  for (const item of groupIncludeItems(place)) add(item);
  if (place.cursor.frames.every((frame) => frame.section.filter !== undefined)) {
    for (const kind of FILTER_KINDS)
      add(blockItem(place, kind, 'filter block', FILTER_DESCRIPTIONS_24[kind], kind === 'protocol' ? 'imap' : 'name'));
  }
  return items;
}

function settingItem(place: Place, info: Setting24Info, written: string, sortGroup: string): CompletionItem {
  if (info.type === 'filter' || info.type === 'filter_list') {
    return blockItem(
      place,
      written,
      settingDetail24(info),
      settingMarkdown24(info, written),
      info.type === 'filter_list' ? 'name' : undefined,
      sortGroup,
    );
  }
  const offersValues = info.type === 'bool' || info.type === 'enum' || info.name === 'mail_plugins';
  return {
    label: written,
    kind: CompletionItemKind.Property,
    detail: written === info.name ? settingDetail24(info) : `${info.name} · ${settingDetail24(info)}`,
    documentation: markdown(settingMarkdown24(info, written)),
    sortText: sortGroup + written,
    filterText: written,
    textEdit: { range: place.wordRange, newText: place.atLineEnd ? `${written} = ` : written },
    command:
      place.atLineEnd && offersValues
        ? { title: 'Suggest values', command: 'editor.action.triggerSuggest' }
        : undefined,
  };
}

/** `mail_plugins { notify = yes }` adds a plugin to the boolean list (FACTS §4.2). */
function mailPluginKeyItems(place: Place): CompletionItem[] {
  return allMailPlugins24().map((plugin) => ({
    label: plugin.name,
    kind: CompletionItemKind.Module,
    detail: 'mail plugin',
    documentation: markdown(plugin.description),
    sortText: SORT_NORMAL + plugin.name,
    filterText: plugin.name,
    textEdit: { range: place.wordRange, newText: place.atLineEnd ? `${plugin.name} = yes` : plugin.name },
  }));
}

function valueItems(key: string, valueText: string, place: Place): CompletionItem[] {
  if (/^["'<]/.test(valueText)) return [];
  if (key.startsWith('@')) return groupNameItems(key, place);
  const { cursor } = place;
  if (cursor.section?.type === 'mail_plugins') return ['yes', 'no'].map((label) => valueItem(place, label));
  if (cursor.section && isListBlock24(cursor.section.type)) return [];
  const info = resolveInFilter24(sectionTypes(cursor), key, sectionNames(cursor));
  if (!info) return [];
  const present = otherWords(valueText, place.word);
  if (info.name === 'mail_plugins') {
    return allMailPlugins24()
      .filter((plugin) => !present.has(plugin.name))
      .map((plugin) =>
        valueItem(place, plugin.name, { kind: CompletionItemKind.Module, documentation: markdown(plugin.description) }),
      );
  }
  if (info.name === 'protocols') {
    return allProtocols()
      .filter((name) => name !== 'none' && !present.has(name))
      .map((name) =>
        valueItem(place, name, {
          kind: CompletionItemKind.EnumMember,
          documentation: markdown(findProtocol(name)?.description ?? ''),
        }),
      );
  }
  const typed = typedValueItems(place, info);
  if (typed) return typed;
  return [];
}

function sectionNameItems(type: string, place: Place): CompletionItem[] {
  return sectionNameChoices(type, place.cursor).map(({ name, detail }) => ({
    label: name,
    kind: CompletionItemKind.EnumMember,
    detail,
    sortText: SORT_NORMAL + name,
    filterText: name,
    insertTextFormat: InsertTextFormat.Snippet,
    textEdit: { range: place.wordRange, newText: place.atLineEnd ? `${name} {\n\t$0\n}` : name },
  }));
}

function sectionNameChoices(type: string, cursor: CursorContext): Array<{ name: string; detail: string }> {
  if (type === 'service') return services24().map((service) => ({ name: service.name, detail: 'default service' }));
  if (type === 'protocol')
    return allProtocols()
      .filter((name) => name !== 'none')
      .map((name) => ({ name, detail: 'protocol' }));
  const listenerKind = /^(unix|fifo|inet)_listener$/.exec(type)?.[1];
  if (listenerKind && cursor.section?.type === 'service') {
    const serviceName = cursor.section.name;
    const listeners = findService24(serviceName)?.listeners.filter((listener) => listener.kind === listenerKind) ?? [];
    return listeners.map((listener) => ({ name: listener.name, detail: `default ${type} of ${serviceName}` }));
  }
  return [];
}

/** 2.4 trees get only the snippets that do not need the 2.3 replicator (snippets.ts decides). */
function snippetItems(place: Place): CompletionItem[] {
  return snippetCompletions('', place.analysis.versionDialect);
}

/** The 2.4 completion hooks the shared dispatch (completion.ts) calls. */
export const COMPLETION_24: CompletionHooks = {
  keys: keyItems,
  // The 2.4 key lists depend only on the cursor's sections and the word's place.
  keysState: () => '',
  values: valueItems,
  sectionNames: sectionNameItems,
  snippets: snippetItems,
};
