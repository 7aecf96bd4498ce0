// Dovecot 2.4 settings schema. Pure: reads only the generated settings-2.4.json
// (scripts/gen-settings-24.mjs: the setting names and defaults of a real 2.4.4 `doveconf -a`, the
// types of the 2.4.4 settings definitions).
import { boundedEditDistance, MAX_SUGGESTED_KEY_LENGTH } from './schema';

export type Setting24Type =
  | 'bool'
  | 'uint'
  | 'uintmax'
  | 'octal'
  | 'time'
  | 'time_msecs'
  | 'size'
  | 'port'
  | 'enum'
  | 'string'
  | 'string_novars'
  | 'file'
  | 'boollist'
  | 'strlist'
  | 'filter'
  | 'filter_list'
  | 'alias';

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
  /** Names of the settings structs (`setting_parser_info.name`) that define it, e.g. `auth`. */
  structs?: string[];
  /** Named (list) filters only: the setting the block must contain (doveconf: `is required to have`). */
  requiredSetting?: string;
  /** Named list filters only: the setting the block keeps its name in (`inet_listener` → `inet_listener_name`). */
  nameSetting?: string;
  /** Boolean and string lists Dovecot fills itself: the [key, value] entries, in doveconf's order. */
  listDefault?: [string, string][];
  /**
   * The same where it differs in a tree with `dovecot_config_version = 2.4.0`: doveconf 2.4.4 starts such a
   * tree's list from the default 2.4.0 had (and a tree of a later 2.4 version from today's).
   */
  listDefault240?: [string, string][];
  /** The same, inside the filters that fill the list their own way, by filter (`mbox`, `service/lmtp`). */
  listDefaultIn?: Record<string, [string, string][]>;
  /** The same where it differs in a tree with `dovecot_config_version = 2.4.0` (see listDefault240). */
  listDefaultIn240?: Record<string, [string, string][]>;
  description: string;
}

/** A named block an include group adds where it is included (`metric mail_deliveries`), with the blocks inside it. */
export interface GroupBlock24 {
  /** The full name of its type, as doveconf prints it (`metric_group_by`). */
  type: string;
  name: string;
  blocks?: GroupBlock24[];
}

/** An include group Dovecot defines itself: `group @label name { … }`, the blocks it adds in its order. */
export interface BuiltInGroup24 {
  label: string;
  name: string;
  blocks?: GroupBlock24[];
}

export interface MailPlugin24Info {
  name: string;
  description: string;
  protocols?: string[];
}

/** A setting found through a filter's prefix: `name` as written inside the block, `info` the global setting. */
export interface Resolved24 {
  written: string;
  info: Setting24Info;
}

interface Schema24Data {
  settings: Setting24Info[];
  mailPlugins: MailPlugin24Info[];
  services?: Service24Info[];
  renames?: Rename24[];
  groups?: BuiltInGroup24[];
}

interface Schema24Tables {
  settings: Setting24Info[];
  byName: Map<string, Setting24Info>;
  mailPlugins: MailPlugin24Info[];
  services: Service24Info[];
  renames: Map<string, Rename24>;
  groups: BuiltInGroup24[];
}

let tables: Schema24Tables | undefined;

/** Read on first use: a 2.3 tree (and the CLI's start) never pays for loading the 2.4 data. */
function schema24(): Schema24Tables {
  if (tables) return tables;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const data = require('./settings-2.4.json') as Schema24Data;
  tables = {
    settings: data.settings,
    byName: new Map(data.settings.map((info) => [info.name, info])),
    mailPlugins: data.mailPlugins,
    services: data.services ?? [],
    renames: new Map((data.renames ?? []).map((entry) => [entry.old, entry])),
    groups: data.groups ?? [],
  };
  return tables;
}

/**
 * Include groups Dovecot defines itself since 2.4.1, before reading any file, with what each adds
 * (src/config/default-settings-import.h@2.4.4): label → group name → description.
 */
export const BUILT_IN_GROUPS_24: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  metric_defaults: {
    proxy:
      'The metrics of a proxy: `auth_successes`, `auth_failures`, `login_aborted` (by reason) and `proxy_session_established`.',
    backend:
      'The metrics of a backend: `auth_successes`, `auth_failures`, `imap_commands` (by tagged reply state), `mail_deliveries`, `mail_submissions` and `mail_user_session_finished` (with rss and utime).',
  },
  mailbox_defaults: {
    english:
      'The `inbox` namespace with the special-use mailboxes Drafts, Junk, Sent and Trash, each subscribed automatically.',
  },
};

/** The include group `@label = name` of Dovecot's own (2.4.4's `doveconf -d`), undefined for others. */
export function findBuiltInGroup24(label: string, name: string): BuiltInGroup24 | undefined {
  return schema24().groups.find((group) => group.label === label && group.name === name);
}

export function findSetting24(name: string): Setting24Info | undefined {
  return schema24().byName.get(name);
}

/** Setting types `$SET:` cannot read (config_get_value@2.4.4 returns 0 for them). */
const UNEXPANDABLE_TYPES: ReadonlySet<string> = new Set(['strlist', 'boollist', 'filter', 'filter_list']);

/** Why Dovecot 2.4 cannot expand `$SET:name` (config_write_keyvariable@2.4.4), or undefined when it can. */
export function setExpansionError(name: string): string | undefined {
  const info = findSetting24(name);
  if (!info) return `Failed to expand $SET:${name}: Unknown setting: ${name}`;
  if (UNEXPANDABLE_TYPES.has(info.type))
    return `Failed to expand $SET:${name}: Setting type can't be expanded to string`;
  return undefined;
}

/**
 * A setting's 2.4 default as the value it stands for: the inventory keeps it as doveconf prints it, quoted
 * when it has spaces at its ends (log_timestamp `"%b %d %H:%M:%S "`).
 */
export function defaultValue24(name: string): string | undefined {
  const printed = findSetting24(name)?.default;
  if (printed === undefined || printed.length < 2 || !printed.startsWith('"') || !printed.endsWith('"')) return printed;
  return printed.slice(1, -1).replace(/\\(["\\])/g, '$1');
}

/** Every name the 2.4 config parser knows: settings, named filters and lists (its `all_keys`). */
export function isKnownKey24(name: string): boolean {
  return schema24().byName.has(name);
}

/** Settings of the `auth` settings struct, which doveconf refuses inside local/remote filters. */
export function isAuthSetting24(info: Setting24Info): boolean {
  return info.structs?.includes('auth') === true;
}

export function allSettings24(): readonly Setting24Info[] {
  return schema24().settings;
}

export function allMailPlugins24(): readonly MailPlugin24Info[] {
  return schema24().mailPlugins;
}

export function findMailPlugin24(name: string): MailPlugin24Info | undefined {
  return schema24().mailPlugins.find((plugin) => plugin.name === name);
}

/** `NAME {` (named filter) or `NAME value {` (named list filter) blocks. */
export function isFilter24(info: Setting24Info): boolean {
  return info.type === 'filter' || info.type === 'filter_list';
}

let namedFilters24: string[] | undefined;

/**
 * The named filter doveconf -n lists a setting in when its name starts with the filter's (`ssl_server_cert_file`
 * → `ssl_server`, `imapc_host` → `imapc`): config_parser_get_filter_name_prefixes() in config-parser.c@2.4.4.
 */
export function namedFilterOfKey24(key: string): string | undefined {
  namedFilters24 ??= allSettings24()
    .filter((info) => info.type === 'filter')
    .map((info) => info.name)
    .sort((a, b) => b.length - a.length);
  return namedFilters24.find((name) => key.startsWith(`${name}_`));
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
export function candidateNames24(
  sectionTypes: readonly string[],
  key: string,
  sectionNames: readonly string[] = [],
): string[] {
  const index = sectionTypes.length - 1;
  const type = sectionTypes[index];
  if (type === undefined) return [key];
  const name = sectionNames[index] ?? '';
  const candidates = [`${type}_${key}`, key];
  if (/^[\w.-]+$/.test(name)) candidates.unshift(`${type}_${name}_${key}`);
  return candidates;
}

/** The setting `key` means inside the blocks `sectionTypes`, trying the prefixed names first. */
export function resolveInFilter24(
  sectionTypes: readonly string[],
  key: string,
  sectionNames: readonly string[] = [],
): Setting24Info | undefined {
  for (const candidate of candidateNames24(sectionTypes, key, sectionNames)) {
    const info = findSetting24(candidate);
    if (info) return info;
  }
  return undefined;
}

/** The setting `key` means inside these blocks (outermost first), by their types and names. */
export function resolveInBlocks24(
  blocks: readonly { readonly section: { readonly type: string; readonly name: string } }[],
  key: string,
): Setting24Info | undefined {
  return resolveInFilter24(
    blocks.map((block) => block.section.type),
    key,
    blocks.map((block) => block.section.name),
  );
}

/**
 * The settings that resolve through the prefix of block `sectionType`, with the short name users write
 * inside it: in `service X {}`, service_process_min_avail is written process_min_avail.
 */
export function prefixedSettings24(sectionType: string): Resolved24[] {
  const prefix = `${sectionType}_`;
  return schema24()
    .settings.filter((info) => info.name.startsWith(prefix) && info.name.length > prefix.length)
    .map((info) => ({ written: info.name.slice(prefix.length), info }));
}

/** A listener of a built-in 2.4.4 service as `doveconf -d` lists it. */
export interface Listener24Info {
  kind: 'unix' | 'fifo' | 'inet';
  /** As the dump prints it: quoted when it has to be (`"srv.imap/%{pid}"`). */
  name: string;
  /** A unix or fifo listener: the path it opens (its name unquoted), relative to base_dir unless absolute. */
  path?: string;
  /** The settings the listener sets itself (short names: `mode`, `port`); the others keep their global default. */
  settings: Record<string, string>;
}

/** A built-in service of 2.4.4 as `doveconf -d` lists it. */
export interface Service24Info {
  name: string;
  protocol: string;
  /** The settings the service sets itself (short names: `process_limit`); the others keep the global `service_*` default. */
  defaults: Record<string, string>;
  /** doveconf -x requires it to run as one process (`process_limit must be 1`). */
  processLimit1: boolean;
  listeners: Listener24Info[];
}

export function allServices24(): readonly Service24Info[] {
  return schema24().services;
}

export function findService24(name: string): Service24Info | undefined {
  return schema24().services.find((service) => service.name === name);
}

/** A 2.3 name that 2.4 renamed, replaced or removed (data/dovecot/renames-2.3-to-2.4.json). */
export interface Rename24 {
  old: string;
  new?: string;
  kind: 'renamed' | 'replaced' | 'removed';
  note?: string;
}

export interface RenameHint24 {
  /** The 2.4 setting to write instead, when there is one. */
  replacement?: string;
  removed: boolean;
  /** Parenthesised text appended to doveconf's message. */
  hint: string;
}

export function allRenames24(): Rename24[] {
  return [...schema24().renames.values()];
}

/** What became of a 2.3 name in 2.4; undefined for names 2.3 did not have either. */
export function renamedIn24(name: string): RenameHint24 | undefined {
  const entry = schema24().renames.get(name);
  if (!entry) return undefined;
  const note = entry.note ? `: ${entry.note}` : '';
  switch (entry.kind) {
    case 'renamed':
      return { replacement: entry.new, removed: false, hint: `(renamed in Dovecot 2.4 to ${entry.new}${note})` };
    case 'replaced':
      return { replacement: entry.new, removed: false, hint: `(replaced in Dovecot 2.4 by ${entry.new}${note})` };
    default:
      return { removed: true, hint: `(removed in Dovecot 2.4${note})` };
  }
}

/**
 * 2.4 names close to `key` (edit distance), best first, for "did you mean". Inside a block whose
 * prefix is `prefix` (`service`), the short names written there (`process_limit`) are candidates too.
 */
export function suggestions24(key: string, prefix?: string, max = 3): string[] {
  if (key === '' || key.length > MAX_SUGGESTED_KEY_LENGTH) return [];
  const limit = key.length <= 4 ? 1 : Math.max(2, Math.floor(key.length / 4));
  const lower = key.toLowerCase();
  const names = schema24()
    .settings.filter((info) => !info.hidden)
    .map((info) => info.name);
  const short = prefix
    ? names.filter((name) => name.startsWith(`${prefix}_`)).map((name) => name.slice(prefix.length + 1))
    : [];
  return [...new Set([...short, ...names])]
    .filter((name) => Math.abs(name.length - key.length) <= limit)
    .map((name) => ({ name, distance: boundedEditDistance(lower, name.toLowerCase(), limit) }))
    .filter((candidate) => candidate.distance <= limit)
    .sort((a, b) => a.distance - b.distance || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    .slice(0, max)
    .map((candidate) => candidate.name);
}
