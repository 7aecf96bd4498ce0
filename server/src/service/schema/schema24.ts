// Dovecot 2.4 settings schema (best-effort 2.4.4 inventory). Pure: reads only the generated
// settings-2.4.json (scripts/gen-settings-24.mjs). Used for completion and hover only, never for
// validation: the inventory is incomplete, and a false alarm is worse than none.
import rawData from './settings-2.4.json';

export type Setting24Type =
  | 'bool' | 'uint' | 'octal' | 'time' | 'time_msecs' | 'size' | 'port' | 'enum'
  | 'string' | 'string_novars' | 'file' | 'boollist' | 'strlist' | 'filter' | 'filter_list' | 'alias';

export interface Setting24Info {
  /** The global name (2.4 has no hierarchy, FACTS §4.2). */
  name: string;
  type: Setting24Type;
  /** Default in config syntax ('' for empty or unknown). */
  default: string;
  /** The C constant of a default fixed at build time (PKG_RUNDIR, ...), when the inventory does not resolve it. */
  defaultUnknown?: string;
  values?: string[];
  aliasOf?: string;
  hidden?: boolean;
  /** Source files whose settings structs define the name. */
  sources: string[];
  description: string;
}

export interface MailPlugin24Info { name: string; description: string; protocols?: string[] }

/** A setting found through a filter's prefix: `name` as written inside the block, `info` the global setting. */
export interface Resolved24 { written: string; info: Setting24Info }

const SETTINGS = rawData.settings as Setting24Info[];
const BY_NAME = new Map(SETTINGS.map((info) => [info.name, info]));
const MAIL_PLUGINS = rawData.mailPlugins as MailPlugin24Info[];

export function findSetting24(name: string): Setting24Info | undefined {
  return BY_NAME.get(name);
}

export function allSettings24(): readonly Setting24Info[] {
  return SETTINGS;
}

export function allMailPlugins24(): readonly MailPlugin24Info[] {
  return MAIL_PLUGINS;
}

export function findMailPlugin24(name: string): MailPlugin24Info | undefined {
  return MAIL_PLUGINS.find((plugin) => plugin.name === name);
}

/** `NAME {` (named filter) or `NAME value {` (named list filter) blocks. */
export function isFilter24(info: Setting24Info): boolean {
  return info.type === 'filter' || info.type === 'filter_list';
}

/** Blocks whose keys are list members, not settings: `mail_plugins { notify = yes }`, `passdb_fields { … }`. */
export function isListBlock24(sectionType: string): boolean {
  const info = findSetting24(sectionType);
  return info?.type === 'boollist' || info?.type === 'strlist';
}

/**
 * The names tried for `key` inside the blocks `sectionTypes` (outermost first), most specific first:
 * the innermost block's type and name as prefix, its type as prefix, then the bare name. In
 * `service imap { inet_listener imaps { ssl } }` that is inet_listener_imaps_ssl, inet_listener_ssl,
 * ssl (FACTS §4.2; `passdb static { password }` finds passdb_static_password).
 */
export function candidateNames24(sectionTypes: readonly string[], key: string, sectionNames: readonly string[] = []): string[] {
  const index = sectionTypes.length - 1;
  const type = sectionTypes[index];
  if (type === undefined) return [key];
  const name = sectionNames[index] ?? '';
  const candidates = [`${type}_${key}`, key];
  if (/^[\w.-]+$/.test(name)) candidates.unshift(`${type}_${name}_${key}`);
  return candidates;
}

/** The setting `key` means inside the blocks `sectionTypes`, trying the prefixed names first. */
export function resolveInFilter24(sectionTypes: readonly string[], key: string, sectionNames: readonly string[] = []): Setting24Info | undefined {
  for (const candidate of candidateNames24(sectionTypes, key, sectionNames)) {
    const info = findSetting24(candidate);
    if (info) return info;
  }
  return undefined;
}

/**
 * The settings that resolve through the prefix of block `sectionType`, with the short name users write
 * inside it: in `service X {}`, service_process_min_avail is written process_min_avail.
 */
export function prefixedSettings24(sectionType: string): Resolved24[] {
  const prefix = `${sectionType}_`;
  return SETTINGS.filter((info) => info.name.startsWith(prefix) && info.name.length > prefix.length)
    .map((info) => ({ written: info.name.slice(prefix.length), info }));
}
