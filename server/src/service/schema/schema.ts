// Typed Dovecot 2.3 settings schema. Pure: reads only the generated settings-2.3.json
// (scripts/gen-settings.mjs) and answers context-aware lookups.
import pluginReads from '../../../../data/dovecot/plugin-setting-reads-2.3.json';
import rawData from './settings-2.3.json';
import { checkBool, checkEnum, checkOctal, checkPort, checkSize, checkTime, checkUint } from './valueCheck';
import { internalized } from '../syntax/keyTable';

export type SettingType =
  | 'bool'
  | 'uint'
  | 'octal'
  | 'time'
  | 'time_msecs'
  | 'size'
  | 'port'
  | 'enum'
  | 'string'
  | 'string_vars'
  | 'section'
  | 'strlist'
  | 'alias';

export interface SettingInfo {
  name: string;
  /** Section-type path joined by '/': '' (top level), 'service', 'service/inet_listener', 'namespace/mailbox', ... */
  context: string;
  type: SettingType;
  /** Default as `doveconf -a -d` prints it ('' for empty). */
  default: string;
  values?: string[];
  /** Set only on alias entries (e.g. doveadm_proxy_port -> doveadm_port). */
  aliasOf?: string;
  /** Sections only: true for DEFLIST_UNIQUE (a repeated name merges). */
  unique?: boolean;
  /** Hidden from `doveconf -a` (shown with -s). */
  hidden?: boolean;
  /** First settings module that defines the key. */
  module: string;
  /** Every settings module that defines the key (a key can belong to several, e.g. base_dir). */
  modules?: string[];
  description: string;
}

export interface ListenerInfo {
  kind: 'unix' | 'fifo' | 'inet';
  name: string;
  mode?: string;
  user?: string;
  group?: string;
  port?: string;
  ssl?: string;
  address?: string;
  reuse_port?: string;
  haproxy?: string;
}

export interface ServiceInfo {
  name: string;
  role: string;
  defaults: Record<string, string>;
  listeners: ListenerInfo[];
  processLimit1: boolean;
}

export interface PluginKeyInfo {
  name: string;
  description: string;
  shape: string;
}
export interface MailPluginInfo {
  name: string;
  description: string;
  protocols?: string[];
}
export interface ProtocolInfo {
  name: string;
  /** Accepted by `protocols =` (master has a service with this protocol, or `none`). */
  inProtocols: boolean;
  description: string;
}

interface SchemaData {
  settings: SettingInfo[];
  services: ServiceInfo[];
  protocols: ProtocolInfo[];
  mailPlugins: MailPluginInfo[];
  pluginKeys: PluginKeyInfo[];
}

const data = rawData as unknown as SchemaData;

const STRLIST_CONTEXTS = new Set(
  data.settings.filter((s) => s.type === 'strlist').map((s) => joinContext(s.context, s.name)),
);
const settingsByContext = new Map<string, Map<string, SettingInfo>>();
for (const setting of data.settings) {
  let byName = settingsByContext.get(setting.context);
  // Keyed by the engine's one string for each name, as the parser's keys are: a lookup compares by identity.
  if (!byName) settingsByContext.set(internalized(setting.context), (byName = new Map()));
  byName.set(internalized(setting.name), setting);
}
const servicesByName = new Map(data.services.map((s) => [s.name, s]));
const pluginKeysByName = new Map(data.pluginKeys.map((k) => [k.name, k]));
const protocolsByName = new Map(data.protocols.map((p) => [p.name, p]));

function joinContext(context: string, name: string): string {
  return context === '' ? name : `${context}/${name}`;
}

const SLASH = 47;

function normalizeContext(context: string): string {
  if (context.charCodeAt(0) !== SLASH && context.charCodeAt(context.length - 1) !== SLASH) return context;
  return context.replace(/^\/+|\/+$/g, '');
}

function isSectionType(type: SettingType): boolean {
  return type === 'section' || type === 'strlist';
}

/** An alias resolves to its target's type/default/description, keeping its own name and `aliasOf`. */
function resolveAlias(setting: SettingInfo): SettingInfo {
  if (setting.type !== 'alias' || !setting.aliasOf) return setting;
  const target = settingsByContext.get(setting.context)?.get(setting.aliasOf);
  if (!target) return setting;
  return {
    ...target,
    name: setting.name,
    aliasOf: target.name,
    description: setting.description || target.description,
  };
}

/** The setting `key` in `context` (filters removed), aliases resolved; undefined if unknown or inside a strlist. */
export function findSetting(context: string, key: string): SettingInfo | undefined {
  const setting = settingsByContext.get(normalizeContext(context))?.get(key);
  return setting ? resolveAlias(setting) : undefined;
}

/** The names that stand for another setting in some context: any other name is its own canonical name. */
const ALIAS_NAMES: ReadonlySet<string> = new Set(
  data.settings.filter((setting) => setting.aliasOf).map((setting) => setting.name),
);

/** The name `key` stands for in `context`: an alias's target (`doveadm_proxy_port` -> `doveadm_port`), else `key`. */
export function canonicalName(context: string, key: string): string {
  return ALIAS_NAMES.has(key) ? (findSetting(context, key)?.aliasOf ?? key) : key;
}

/** Every entry of the schema (settings, aliases, sections) in every context. */
export function allSettings(): readonly SettingInfo[] {
  return data.settings;
}

/** Scalar settings valid in `context` (aliases included, resolved), sorted by name. */
export function settingsInContext(context: string): SettingInfo[] {
  const byName = settingsByContext.get(normalizeContext(context));
  if (!byName) return [];
  return [...byName.values()].filter((s) => !isSectionType(s.type)).map(resolveAlias);
}

/** Section (DEFLIST) and strlist entries that may be opened in `context`. */
export function sectionTypesInContext(context: string): SettingInfo[] {
  const byName = settingsByContext.get(normalizeContext(context));
  if (!byName) return [];
  return [...byName.values()].filter((s) => isSectionType(s.type));
}

/** `type` is a section (DEFLIST) or strlist that may be opened in `context`. */
export function isSectionTypeIn(context: string, type: string): boolean {
  const setting = settingsByContext.get(normalizeContext(context))?.get(type);
  return setting !== undefined && isSectionType(setting.type);
}

/**
 * Whether Dovecot 2.3's `$name` reads a setting: config_get_value() looks the name up among the top-level
 * settings, inside a section too (config-parser.c@2.3.19). A `section/name/key` path reads a setting of a
 * section when that section exists: undefined (not known here) unless its first part is no top-level setting.
 */
export function variableReadsSetting23(name: string): boolean | undefined {
  const slash = name.indexOf('/');
  if (slash >= 0) return findSetting('', name.slice(0, slash)) ? undefined : false;
  return findSetting('', name) !== undefined;
}

/** True for free-form `key = value` sections: 'plugin', 'dict'. */
export function isStrlistContext(context: string): boolean {
  return STRLIST_CONTEXTS.has(normalizeContext(context));
}

export function listenerKindOfSection(type: string): 'unix' | 'fifo' | 'inet' | undefined {
  switch (type) {
    case 'unix_listener':
      return 'unix';
    case 'fifo_listener':
      return 'fifo';
    case 'inet_listener':
      return 'inet';
    default:
      return undefined;
  }
}

/**
 * Checks a literal value (already unquoted, no `$var` tokens) against the setting's type.
 * Returns doveconf's exact error text, or undefined when doveconf accepts it.
 */
export function checkValue(info: SettingInfo, value: string): string | undefined {
  switch (info.type) {
    case 'bool':
      return checkBool(value);
    case 'uint':
      return checkUint(value);
    case 'octal':
      return checkOctal(value);
    case 'time':
      return checkTime(value, false);
    case 'time_msecs':
      return checkTime(value, true);
    case 'size':
      return checkSize(value);
    case 'port':
      return checkPort(value);
    case 'enum':
      return checkEnum(value, info.values ?? []);
    case 'alias': {
      const target = info.aliasOf ? findSetting(info.context, info.aliasOf) : undefined;
      return target && target.type !== 'alias' ? checkValue(target, value) : undefined;
    }
    default:
      return undefined;
  }
}

/** doveconf's message for an unknown key: the enclosing section types, then the key (filters are not shown). */
export function unknownSettingMessage(context: string, key: string): string {
  const sections = normalizeContext(context)
    .split('/')
    .filter((part) => part !== '');
  return `Unknown setting: ${[...sections, key].join(' { ')}`;
}

/** doveconf's message for an unknown section type `type { ... }` opened in `context` ('Unknown setting: foo { foo'). */
export function unknownSectionMessage(context: string, type: string): string {
  return unknownSettingMessage(joinContext(normalizeContext(context), type), type);
}

export function findService(name: string): ServiceInfo | undefined {
  return servicesByName.get(name);
}

export function allServices(): ServiceInfo[] {
  return data.services;
}

/** Known protocol name, valid in a `protocol NAME {}` filter (includes filter-only names doveadm, lda, ...). */
export function isKnownProtocol(name: string): boolean {
  return protocolsByName.has(name);
}

export function allProtocols(): string[] {
  return data.protocols.map((p) => p.name);
}

/** Names accepted in `protocols =` (doveconf: `protocols: Unknown protocol: <p>` otherwise). `none` only alone. */
export function isValidProtocolsValue(name: string): boolean {
  return protocolsByName.get(name)?.inProtocols === true;
}

export function findProtocol(name: string): ProtocolInfo | undefined {
  return protocolsByName.get(name);
}

export function allMailPlugins(): MailPluginInfo[] {
  return data.mailPlugins;
}

export function findMailPlugin(name: string): MailPluginInfo | undefined {
  return data.mailPlugins.find((p) => p.name === name);
}

const PLUGIN_READ_GLOBALS: ReadonlySet<string> = new Set(pluginReads.reads.map((read) => read.name));

/**
 * Whether a plugin reads `name` from the plugin settings although a top-level setting has the same name
 * (Pigeonhole's recipient_delimiter): then `plugin { name = ... }` is used, not ignored.
 */
export function isReadFromPluginSettings(name: string): boolean {
  return PLUGIN_READ_GLOBALS.has(name);
}

export function findPluginKey(name: string): PluginKeyInfo | undefined {
  return pluginKeysByName.get(name);
}

export function allPluginKeys(): PluginKeyInfo[] {
  return data.pluginKeys;
}

/** Keys longer than this get no "did you mean": no setting name is close to them. */
export const MAX_SUGGESTED_KEY_LENGTH = 80;

/**
 * Levenshtein distance of `a` and `b`, or `limit + 1` as soon as it must exceed `limit` (rows whose
 * smallest cell passes it end the search), so a long key costs no more than a short one.
 */
export function boundedEditDistance(a: string, b: string, limit: number): number {
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    let rowMinimum = i;
    for (let j = 1; j <= b.length; j++) {
      const substitution = previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1);
      current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, substitution);
      rowMinimum = Math.min(rowMinimum, current[j]);
    }
    if (rowMinimum > limit) return limit + 1;
    previous = current;
  }
  return previous[b.length];
}

/** Names in `context` (settings and sections) close to `key`, best first, for "did you mean". */
export function closestSettingNames(context: string, key: string, max = 3): string[] {
  const byName = settingsByContext.get(normalizeContext(context));
  if (!byName || key === '' || key.length > MAX_SUGGESTED_KEY_LENGTH) return [];
  const limit = Math.max(2, Math.floor(key.length / 3));
  const lowerKey = key.toLowerCase();
  return [...byName.keys()]
    .map((name) => ({ name, distance: boundedEditDistance(lowerKey, name.toLowerCase(), limit) }))
    .filter((candidate) => candidate.distance <= limit)
    .sort((a, b) => a.distance - b.distance || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    .slice(0, max)
    .map((candidate) => candidate.name);
}

/** Settings parsed by the auth module: rejected inside local/remote filters (FACTS §1.4). */
export function isAuthSetting(info: SettingInfo): boolean {
  const modules = info.modules ?? [info.module];
  return modules.some((m) => m === 'auth' || m === 'auth_passdb' || m === 'auth_userdb');
}
