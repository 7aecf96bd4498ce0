// Completion for Dovecot 2.3 trees (and trees whose version is unknown or mixed): every key, section
// and value in the context the schema gives it (FACTS §1, §3).
import { CompletionItemKind, InsertTextFormat, type Command, type CompletionItem } from 'vscode-languageserver-types';
import * as path from 'node:path';
import { deriveReplicationFacts } from '../analysis/replicationFacts';
import type { TreeAnalysis } from '../languageService';
import type { Frame, Placed } from '../model/model';
import {
  allMailPlugins,
  allPluginKeys,
  allProtocols,
  allServices,
  findProtocol,
  findService,
  findSetting,
  isAuthSetting,
  isStrlistContext,
  isValidProtocolsValue,
  isSectionTypeIn,
  sectionTypesInContext,
  settingsInContext,
  type SettingInfo,
} from '../schema/schema';
import type { FilterKind, SectionNode, SettingNode } from '../syntax/nodes';
import {
  blockItem,
  includeItem,
  markdown,
  otherWords,
  SORT_ALREADY_SET,
  SORT_FIRST,
  SORT_LAST,
  SORT_NORMAL,
  valueItem,
  type CompletionPlace as Place,
  typedValueItems,
} from './completionItems';
import type { CompletionHooks } from './dialects';
import { filePathItems } from './pathCompletion';
import { FILTER_DESCRIPTIONS, SECTION_NAME_PLACEHOLDERS } from './sectionDocs';
import { listenerSummary, pluginKeyMarkdown, serviceMarkdown, settingDetail, settingMarkdown } from './settingMarkdown';
import { indentUnitOf } from './formatting';
import { loadedMailPlugins, pluginOfKey } from './pluginRelevance';
import { DEFAULT_DOVEADM_PORT, DEFAULT_MAIL_USER } from './replicationSetup';
import { snippetCompletions } from './snippets';

const TRIGGER_SUGGEST: Command = { title: 'Suggest values', command: 'editor.action.triggerSuggest' };
const FILTER_ORDER: readonly FilterKind[] = ['local', 'local_name', 'remote', 'protocol'];
const LISTENER_MODES = ['0600', '0660', '0666'];
const FALLBACK_USERS = [DEFAULT_MAIL_USER, 'dovecot'];
const REPLICA_PORT_PLACEHOLDER = String(DEFAULT_DOVEADM_PORT);
const MAIL_REPLICA_KEY = /^mail_replica\d*$/;
const PATH_SETTING_NAME = /(?:^|_)(?:path|dir|file)$/;

/** Settings whose value is a path (not `<file` contents): `*_dir`, `*_path`, `*_file`, listener `path` (FACTS §3.5). */
function isPathSetting(key: string, context: string): boolean {
  if (!PATH_SETTING_NAME.test(key)) return false;
  const info = findSetting(context, key);
  return info !== undefined && (info.type === 'string' || info.type === 'string_vars');
}

/** The 2.3 value hook: `<file` contents and path settings complete file names, the rest by the schema. */
function valueItems23(key: string, valueText: string, place: Place): CompletionItem[] {
  if (valueText.startsWith('<')) return filePathItems(valueText.slice(1).trimStart(), place);
  if (/^["']/.test(valueText)) return [];
  if (isPathSetting(key, place.cursor.context) && valueText.startsWith('/') && !/\s/.test(valueText))
    return filePathItems(valueText, place);
  return valueCompletions(key, valueText, place);
}

/** Replication snippets at the top level, the mail user and indentation taken from the tree. */
function snippetItems23(place: Place): CompletionItem[] {
  const { analysis } = place;
  return snippetCompletions('', analysis.versionDialect, {
    mailUser: mailUser(analysis),
    indentUnit: indentUnitOf(analysis.model.files.values()),
  });
}

function mailUser(analysis: TreeAnalysis): string | undefined {
  const value = analysis.effective.value('mail_uid').value.trim();
  return value === '' ? undefined : value;
}

function keyCompletions(place: Place): CompletionItem[] {
  const { cursor } = place;
  if (cursor.context === 'plugin') return pluginKeyItems(place);
  const items: CompletionItem[] = [includeItem(place, '!include'), includeItem(place, '!include_try')];
  if (isStrlistContext(cursor.context)) return items;
  const alreadySet = keysSetInScope(place);
  const insideLocalOrRemote = cursor.filters.some((filter) => filter.filter === 'local' || filter.filter === 'remote');
  for (const info of settingsInContext(cursor.context)) {
    if (insideLocalOrRemote && isAuthSetting(info)) continue;
    items.push(settingItem(place, info, alreadySet.has(info.name)));
  }
  for (const info of sectionTypesInContext(cursor.context)) {
    if (cursor.filters.length > 0 && !isSectionAllowedInFilters(info, insideLocalOrRemote)) continue;
    items.push(sectionItem(place, info.name, settingMarkdown(info), info.description));
  }
  if (isFilterAllowedHere(cursor.frames)) {
    for (const kind of allowedFilterKinds(cursor.filters))
      items.push(sectionItem(place, kind, FILTER_DESCRIPTIONS[kind], 'filter'));
  }
  return items;
}

/** `service` inside a filter has no effect; passdb/userdb are auth settings, rejected in local/remote (FACTS §1.4). */
function isSectionAllowedInFilters(info: SettingInfo, insideLocalOrRemote: boolean): boolean {
  if (info.name === 'service') return false;
  return !(insideLocalOrRemote && (info.name === 'passdb' || info.name === 'userdb'));
}

/** Filters exist only at the top level and inside other filters. */
function isFilterAllowedHere(frames: readonly Frame[]): boolean {
  return frames.every((frame) => frame.section.filter !== undefined);
}

/** Nesting order local > local_name > remote > protocol; local and remote may narrow themselves (FACTS §1.4). */
function allowedFilterKinds(filters: readonly SectionNode[]): FilterKind[] {
  const innermost = filters[filters.length - 1]?.filter;
  if (!innermost) return [...FILTER_ORDER];
  const rank = FILTER_ORDER.indexOf(innermost);
  return FILTER_ORDER.filter(
    (kind, index) => index > rank || (kind === innermost && (kind === 'local' || kind === 'remote')),
  );
}

/**
 * The settings of a model by scope, found once per model; by key within a scope when that scope is first
 * asked for. A scope is its frames: a named section by type and name (two `service imap {}` blocks are
 * one scope), an unnamed one by the block itself.
 */
interface ScopeIndex {
  settings: readonly Placed<SettingNode>[];
  unnamedIds: Map<SectionNode, number>;
  /**
   * Per scope, where each run of its settings starts in the model's list (settings under the same open sections
   * share one frames array, so a run ends where the frames change): one start for most scopes, kept without a list.
   */
  runs: Map<string, number | number[]>;
  keys: Map<string, Map<string, Placed<SettingNode>[]>>;
}
const scopeIndexes = new WeakMap<readonly Placed<SettingNode>[], ScopeIndex>();

/** The scope's key; undefined for a scope with an unnamed block the index has not seen (no setting there). */
function scopeKey(frames: readonly Frame[], unnamedIds: Map<SectionNode, number>, assign: boolean): string | undefined {
  const parts: string[] = [];
  for (const { section } of frames) {
    if (section.name !== '') {
      parts.push(`${section.type}\u0001${section.name}`);
      continue;
    }
    let id = unnamedIds.get(section);
    if (id === undefined) {
      if (!assign) return undefined;
      id = unnamedIds.size;
      unnamedIds.set(section, id);
    }
    parts.push(`#${id}`);
  }
  return parts.join('\u0000');
}

function scopeIndex(settings: readonly Placed<SettingNode>[]): ScopeIndex {
  let index = scopeIndexes.get(settings);
  if (index) return index;
  index = { settings, unnamedIds: new Map(), runs: new Map(), keys: new Map() };
  for (let start = 0, end = 1; start < settings.length; start = end++) {
    const { frames } = settings[start];
    while (end < settings.length && settings[end].frames === frames) end++;
    const scope = scopeKey(frames, index.unnamedIds, true) as string;
    const starts = index.runs.get(scope);
    if (starts === undefined) index.runs.set(scope, start);
    else if (typeof starts === 'number') index.runs.set(scope, [starts, start]);
    else starts.push(start);
  }
  scopeIndexes.set(settings, index);
  return index;
}

/** The settings of one scope by key. */
function keysOfScope(index: ScopeIndex, scope: string): Map<string, Placed<SettingNode>[]> | undefined {
  let keys = index.keys.get(scope);
  if (keys) return keys;
  const starts = index.runs.get(scope);
  if (starts === undefined) return undefined;
  keys = new Map();
  const { settings } = index;
  for (const start of typeof starts === 'number' ? [starts] : starts) {
    const { frames } = settings[start];
    for (let i = start; i < settings.length && settings[i].frames === frames; i++) {
      const entry = settings[i];
      const entries = keys.get(entry.node.key);
      if (entries) entries.push(entry);
      else keys.set(entry.node.key, [entry]);
    }
  }
  index.keys.set(scope, keys);
  return keys;
}

/** The keys already set in the cursor's scope, once per completion request (the list's state and its items read them). */
const keysSetAt = new WeakMap<Place, ReadonlySet<string>>();

function keysSetInScope(place: Place): ReadonlySet<string> {
  let keys = keysSetAt.get(place);
  if (!keys) keysSetAt.set(place, (keys = findKeysSetInScope(place)));
  return keys;
}

/** What key lists depend on besides the cursor's sections: the keys already set in its scope. */
function keysState23(place: Place): string {
  return [...keysSetInScope(place)].sort().join(' ');
}

/** Keys set in the cursor's scope: an edited file counts as it reads now, the other files as last analysed. */
function findKeysSetInScope(place: Place): Set<string> {
  const index = scopeIndex(place.analysis.model.settings);
  const scope = scopeKey(place.cursor.frames, index.unnamedIds, false);
  const inScope =
    (scope === undefined ? undefined : keysOfScope(index, scope)) ?? new Map<string, Placed<SettingNode>[]>();
  const edited = place.analysis.edited;
  const lineEdit = edited?.lineEdit;
  // After an edit of one setting line, only that setting reads differently from the analysis.
  const counts = (entry: Placed<SettingNode>): boolean =>
    entry.node !== place.cursor.statement &&
    (lineEdit ? entry.node !== lineEdit.before : entry.file !== edited?.file.path);
  const keys = new Set<string>();
  for (const [key, entries] of inScope) if (entries.some(counts)) keys.add(key);
  if (lineEdit) {
    const wasInScope = inScope.get(lineEdit.before.key)?.some((entry) => entry.node === lineEdit.before) === true;
    if (wasInScope && lineEdit.after !== place.cursor.statement) keys.add(lineEdit.after.key);
    return keys;
  }
  // Any other edit: the edited file's settings are placed again and compared, not indexed.
  for (const entry of edited?.settings ?? []) {
    if (entry.node !== place.cursor.statement && isSameScope(entry.frames, place.cursor.frames))
      keys.add(entry.node.key);
  }
  return keys;
}

/** Whether two section paths are one scope: named blocks by type and name, an unnamed block by itself. */
function isSameScope(a: readonly Frame[], b: readonly Frame[]): boolean {
  if (a.length !== b.length) return false;
  return a.every(({ section }, i) => {
    const other = b[i].section;
    return section === other || (section.name !== '' && section.type === other.type && section.name === other.name);
  });
}

/**
 * Builds what completion looks up across the whole tree (keys per scope, the loaded plugins), once per
 * analysis: called after an analysis, it keeps that work out of the first completion that follows.
 */
export function prepareCompletion(analysis: TreeAnalysis): void {
  scopeIndex(analysis.model.settings);
  loadedMailPlugins(analysis);
  indentUnitOf(analysis.model.files.values());
}

function hasValueCompletions(info: SettingInfo): boolean {
  return (
    info.type === 'bool' || info.type === 'enum' || ['mail_plugins', 'protocols', 'special_use'].includes(info.name)
  );
}

function settingItem(place: Place, info: SettingInfo, alreadySet: boolean): CompletionItem {
  const whole = place.atLineEnd;
  return {
    label: info.name,
    kind: CompletionItemKind.Property,
    detail: settingDetail(info) + (alreadySet ? ' · already set here' : ''),
    documentation: markdown(settingMarkdown(info)),
    sortText: (alreadySet ? SORT_ALREADY_SET : SORT_NORMAL) + info.name,
    filterText: info.name,
    textEdit: { range: place.wordRange, newText: whole ? `${info.name} = ` : info.name },
    command: whole && hasValueCompletions(info) ? TRIGGER_SUGGEST : undefined,
  };
}

function sectionItem(place: Place, type: string, documentation: string, description: string): CompletionItem {
  return blockItem(
    place,
    type,
    description === 'filter' ? 'filter block' : 'section',
    documentation,
    SECTION_NAME_PLACEHOLDERS[type],
  );
}

/** Settings of loaded plugins first, then those of unknown plugins, then those of plugins no `mail_plugins` loads. */
function pluginKeyItems(place: Place): CompletionItem[] {
  const alreadySet = keysSetInScope(place);
  const loaded = loadedMailPlugins(place.analysis);
  const group = (name: string): string => {
    if (alreadySet.has(name)) return SORT_ALREADY_SET;
    const plugin = pluginOfKey(name);
    if (plugin === undefined) return SORT_NORMAL;
    return loaded.has(plugin) ? SORT_FIRST : SORT_LAST;
  };
  return allPluginKeys().map((key) => ({
    label: key.name,
    kind: CompletionItemKind.Property,
    detail: `plugin setting · ${key.shape}${alreadySet.has(key.name) ? ' · already set here' : pluginNote(key.name, loaded)}`,
    documentation: markdown(pluginKeyMarkdown(key)),
    sortText: group(key.name) + key.name,
    filterText: key.name,
    textEdit: { range: place.wordRange, newText: place.atLineEnd ? `${key.name} = ` : key.name },
    command: place.atLineEnd && (key.shape === 'bool' || MAIL_REPLICA_KEY.test(key.name)) ? TRIGGER_SUGGEST : undefined,
  }));
}

function pluginNote(key: string, loaded: ReadonlySet<string>): string {
  const plugin = pluginOfKey(key);
  return plugin !== undefined && !loaded.has(plugin) ? ` · plugin ${plugin} is not loaded` : '';
}

function valueCompletions(key: string, valueText: string, place: Place): CompletionItem[] {
  const { context } = place.cursor;
  if (context === 'plugin') return pluginValueCompletions(key, valueText, place);
  if (isStrlistContext(context)) return [];
  const info = findSetting(context, key);
  if (!info) return [];
  if (context === '' && key === 'protocols') return protocolsValueItems(valueText, place);
  if (context === '' && key === 'mail_plugins') return mailPluginValueItems(valueText, place);
  const typed = typedValueItems(place, info);
  if (typed) return typed;
  if (context === 'namespace/mailbox' && key === 'special_use') return specialUseValueItems(valueText, place);
  if (info.type === 'octal' && key === 'mode')
    return LISTENER_MODES.map((mode) => valueItem(place, mode, { detail: modeDetail(mode) }));
  if (context.startsWith('service') && (key === 'user' || key === 'group')) return accountValueItems(key, place);
  return [];
}

function modeDetail(mode: string): string {
  switch (mode) {
    case '0600':
      return 'owner only (default)';
    case '0660':
      return 'owner and group';
    default:
      return 'everyone';
  }
}

/** The mail uid/gid in effect first: the aggregator listeners must be owned by it (FACTS §0.7). */
function accountValueItems(key: 'user' | 'group', place: Place): CompletionItem[] {
  const configured = place.analysis.effective.value(key === 'user' ? 'mail_uid' : 'mail_gid').value.trim();
  const names = [...new Set([configured, ...FALLBACK_USERS].filter((name) => name !== '' && !name.includes('$')))];
  return names.map((name, index) =>
    valueItem(place, name, {
      sortText: SORT_NORMAL + index,
      detail: name === configured ? `${key === 'user' ? 'mail_uid' : 'mail_gid'} in effect` : undefined,
    }),
  );
}

function protocolsValueItems(valueText: string, place: Place): CompletionItem[] {
  const present = otherWords(valueText, place.word);
  return allProtocols()
    .filter((name) => isValidProtocolsValue(name) && !present.has(name))
    .filter((name) => name !== 'none' || present.size === 0)
    .map((name) =>
      valueItem(place, name, {
        kind: CompletionItemKind.EnumMember,
        documentation: markdown(findProtocol(name)?.description ?? ''),
      }),
    );
}

/** Inside `protocol X {}` the list replaces the global one unless it starts with `$mail_plugins` (FACTS §1.7). */
function mailPluginValueItems(valueText: string, place: Place): CompletionItem[] {
  const present = otherWords(valueText, place.word);
  const items: CompletionItem[] = [];
  const inProtocol = place.cursor.filters.some((filter) => filter.filter === 'protocol');
  if (inProtocol && !present.has('$mail_plugins')) {
    items.push(
      valueItem(place, '$mail_plugins', {
        kind: CompletionItemKind.Variable,
        sortText: SORT_FIRST,
        detail: 'keep the global list',
        documentation: markdown(
          'Expands to the global `mail_plugins`. Without it this protocol loads only the plugins listed here.',
        ),
        preselect: true,
      }),
    );
  }
  if (place.word.startsWith('$')) return items;
  for (const plugin of allMailPlugins()) {
    if (present.has(plugin.name)) continue;
    items.push(
      valueItem(place, plugin.name, { kind: CompletionItemKind.Module, documentation: markdown(plugin.description) }),
    );
  }
  return items;
}

function pluginValueCompletions(key: string, valueText: string, place: Place): CompletionItem[] {
  if (MAIL_REPLICA_KEY.test(key)) return valueText === place.word ? mailReplicaItems(place) : [];
  const pluginKey = allPluginKeys().find((candidate) => candidate.name === key);
  if (pluginKey?.shape === 'bool') return ['yes', 'no'].map((label) => valueItem(place, label));
  return [];
}

/** The peer's own doveadm listener, when the pair is known: `tcp:`/`tcps:` (as its `ssl`) with its address and port. */
function peerReplicaItem(place: Place): CompletionItem | undefined {
  const peer = place.analysis.peer;
  if (!peer || !place.host) return undefined;
  const facts = deriveReplicationFacts({ model: peer.model, effective: peer.effective, host: place.host });
  for (const listener of facts.dsyncListeners) {
    const address = listener.addresses.find((candidate) => !['*', '::', '[::]', '0.0.0.0'].includes(candidate));
    const port = listener.port ?? facts.doveadmPort.port;
    if (address === undefined || port === undefined) continue;
    const host = address.includes(':') && !address.startsWith('[') ? `[${address}]` : address;
    const value = `${listener.ssl ? 'tcps' : 'tcp'}:${host}:${port}`;
    return valueItem(place, value, {
      kind: CompletionItemKind.Value,
      detail: `the peer's doveadm listener (${path.basename(path.dirname(peer.root))}/${path.basename(peer.root)})`,
      sortText: SORT_FIRST + value,
      preselect: true,
    });
  }
  return undefined;
}

/** `mail_replica` shapes (FACTS §3.3); without a port in the value, `doveadm_port` is used. */
function mailReplicaItems(place: Place): CompletionItem[] {
  const peer = peerReplicaItem(place);
  const doveadmPort = place.analysis.effective.value('doveadm_port').value.trim();
  const port = doveadmPort !== '' && doveadmPort !== '0' ? doveadmPort : REPLICA_PORT_PLACEHOLDER;
  const shapes: [string, string, string][] = [
    ['tcp:', `tcp:\${1:host}:\${2:${port}}`, "plain doveadm protocol to the peer's doveadm inet_listener"],
    ['tcps:', `tcps:\${1:host}:\${2:${port}}`, 'doveadm protocol over TLS; the host must match the peer certificate'],
    ['remote:', 'remote:${1:host}', 'run dsync over `dsync_remote_cmd` (ssh by default)'],
  ];
  return [
    ...(peer ? [peer] : []),
    ...shapes.map(([label, snippet, detail], index) =>
      valueItem(place, label, {
        kind: CompletionItemKind.Snippet,
        detail,
        sortText: SORT_NORMAL + index,
        insertTextFormat: InsertTextFormat.Snippet,
        textEdit: { range: place.wordRange, newText: snippet },
      }),
    ),
  ];
}

function sectionNameCompletions(type: string, place: Place): CompletionItem[] {
  return sectionNames(type, place).map(({ name, detail, documentation, sortText, body }) => ({
    label: name,
    kind: CompletionItemKind.EnumMember,
    detail,
    documentation: documentation === undefined ? undefined : markdown(documentation),
    sortText: sortText ?? SORT_NORMAL + name,
    filterText: name,
    insertTextFormat: InsertTextFormat.Snippet,
    textEdit: {
      range: place.wordRange,
      newText: place.atLineEnd
        ? `${escapeSnippet(name)} {\n${(body ?? []).map((line) => `\t${line}\n`).join('')}\t$0\n}`
        : escapeSnippet(name),
    },
  }));
}

interface NameChoice {
  name: string;
  detail?: string;
  documentation?: string;
  sortText?: string;
  /** Snippet lines put inside the block before the final cursor (already snippet-escaped). */
  body?: string[];
}

function escapeSnippet(text: string): string {
  return text.replace(/[\\$}]/g, '\\$&');
}

function firstSentence(text: string): string {
  const match = /^.*?[.!?](\s|$)/.exec(text);
  return (match ? match[0] : text).trim();
}

function sectionNames(type: string, place: Place): NameChoice[] {
  const { cursor } = place;
  const parentIsKnown = (context: string) => isSectionTypeIn(context, type);
  if (type === 'service' && cursor.filters.length === 0 && parentIsKnown(cursor.context)) {
    return allServices().map((service) => ({
      name: service.name,
      detail: firstSentence(service.role),
      documentation: serviceMarkdown(service),
    }));
  }
  if (
    (type === 'unix_listener' || type === 'fifo_listener' || type === 'inet_listener') &&
    cursor.section?.type === 'service'
  ) {
    const kind = type.slice(0, type.indexOf('_'));
    const listeners = findService(cursor.section.name)?.listeners.filter((listener) => listener.kind === kind) ?? [];
    return listeners.map((listener) => ({
      name: listener.name,
      detail: `default ${type} of ${cursor.section?.name}`,
      documentation: listenerSummary(listener),
    }));
  }
  if (
    type === 'protocol' &&
    isFilterAllowedHere(cursor.frames) &&
    allowedFilterKinds(cursor.filters).includes('protocol')
  ) {
    return protocolFilterNames(place.word.startsWith('!'));
  }
  if (type === 'namespace' && parentIsKnown(cursor.context)) return namespaceNames(place);
  if (type === 'mailbox' && cursor.section?.type === 'namespace' && parentIsKnown(cursor.context))
    return mailboxNames();
  return [];
}

/** `protocol !imap {}` applies to every protocol except imap (FACTS §1.4); negated names sort after the plain ones. */
function protocolFilterNames(onlyNegated: boolean): NameChoice[] {
  const names = allProtocols().filter((name) => name !== 'none');
  const plain = names.map((name) => ({
    name,
    detail: firstSentence(findProtocol(name)?.description ?? ''),
    documentation: findProtocol(name)?.description,
  }));
  const negated = names.map((name) => ({
    name: `!${name}`,
    detail: `every protocol except ${name}`,
    sortText: SORT_ALREADY_SET + name,
  }));
  return onlyNegated ? negated : [...plain, ...negated];
}

/** `inbox` first, then the names of namespaces already in the tree (named sections merge, FACTS §1.3). */
function namespaceNames(place: Place): NameChoice[] {
  const choices: NameChoice[] = [
    { name: 'inbox', detail: 'the namespace holding INBOX', sortText: SORT_FIRST + 'inbox' },
  ];
  const seen = new Set(['inbox']);
  for (const entry of sectionsAsEdited(place.analysis)) {
    const { node } = entry;
    if (
      node.type !== 'namespace' ||
      node.name === '' ||
      seen.has(node.name) ||
      node === place.cursor.header ||
      !/^[^\s"'{}]+$/.test(node.name)
    )
      continue;
    seen.add(node.name);
    choices.push({ name: node.name, detail: `namespace in ${path.basename(entry.file)} (blocks with one name merge)` });
  }
  return choices;
}

/** The tree's sections with an edited file's own as they read now (an edit of one setting line changes none). */
function* sectionsAsEdited(analysis: TreeAnalysis): Iterable<Placed<SectionNode>> {
  const edited = analysis.edited?.lineEdit ? undefined : analysis.edited;
  for (const entry of analysis.model.sections) if (entry.file !== edited?.file.path) yield entry;
  if (edited) yield* edited.sections;
}

/** Common special-use mailboxes (RFC 6154) with the `special_use` flag and `auto` a new block gets. */
const SPECIAL_MAILBOXES: readonly { name: string; use: string }[] = [
  { name: 'Drafts', use: '\\Drafts' },
  { name: 'Junk', use: '\\Junk' },
  { name: 'Trash', use: '\\Trash' },
  { name: 'Sent', use: '\\Sent' },
  { name: '"Sent Messages"', use: '\\Sent' },
  { name: 'Archive', use: '\\Archive' },
];

const SPECIAL_USE_FLAGS = ['\\All', '\\Archive', '\\Drafts', '\\Flagged', '\\Junk', '\\Sent', '\\Trash'];

function mailboxNames(): NameChoice[] {
  return SPECIAL_MAILBOXES.map(({ name, use }, index) => ({
    name,
    detail: `special_use = ${use}, auto = subscribe`,
    sortText: SORT_NORMAL + index,
    body: [`special_use = ${escapeSnippet(use)}`, 'auto = subscribe'],
  }));
}

/** `special_use` is a space-separated list of flags; the one matching the mailbox's name comes first. */
function specialUseValueItems(valueText: string, place: Place): CompletionItem[] {
  const present = otherWords(valueText, place.word);
  const mailboxName = place.cursor.section?.type === 'mailbox' ? place.cursor.section.name : '';
  const expected = SPECIAL_MAILBOXES.find((mailbox) => mailbox.name.replace(/"/g, '') === mailboxName)?.use;
  return SPECIAL_USE_FLAGS.filter((flag) => !present.has(flag)).map((flag, index) =>
    valueItem(place, flag, {
      kind: CompletionItemKind.EnumMember,
      sortText: (flag === expected ? SORT_FIRST : SORT_NORMAL) + index,
      preselect: flag === expected ? true : undefined,
    }),
  );
}

/** The 2.3 completion hooks the shared dispatch (completion.ts) calls. */
export const COMPLETION_23: CompletionHooks = {
  keys: keyCompletions,
  keysState: keysState23,
  values: valueItems23,
  sectionNames: sectionNameCompletions,
  snippets: snippetItems23,
};
