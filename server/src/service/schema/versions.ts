// What the analysis needs to know about the Dovecot version a tree is read as: one object per version,
// chosen once per tree (languageService.ts) from the tree's dialect. The editor features add their
// completion and hover hooks to it (features/dialects.ts).
import { MARKER_KEYS, type CheckedVersion, type Dialect } from '../model/dialect';
import type { SettingsFacts } from '../model/effectiveTree';
import type { ConfigModel } from '../model/model';
import { applyObsoleteRewrites } from '../model/obsolete';
import { exportedValue23 } from './exportValue23';
import { canonicalName, findSetting } from './schema';
import { defaultValue24, findSetting24, resolveInFilter24 } from './schema24';
import { parseTyped } from './valueCheck';

export interface VersionSchema {
  version: CheckedVersion;
  /** Setting keys only this version knows (the dialect decision reads them in model/dialect.ts). */
  markerKeys: ReadonlySet<string>;
  /** The settings lookup the effective configuration takes canonical names, defaults and typed values from. */
  settings: SettingsFacts;
  /** The tree as Dovecot of this version applies it. */
  applied(model: ConfigModel): ConfigModel;
  /** Whether the version has the replicator and aggregator services and `mail_replica` (2.4 removed them). */
  hasReplicator: boolean;
}

/**
 * The 2.3 settings table as the effective tree needs it. 2.4 trees are read with it as well: the keys both
 * versions share keep their names, defaults and types, and the 2.4 checks read 2.4's own table.
 */
const SETTINGS_23: SettingsFacts = {
  keyRead: (node) => node.key23 ?? node.key,
  canonicalKey: canonicalName,
  defaultOf: (context, key) => findSetting(context, key)?.default,
  sectionKind: (parentContext, type) => {
    const info = findSetting(parentContext, type);
    return info?.type === 'strlist' ? 'strlist' : info?.unique === false ? 'list' : 'named';
  },
  parseValue: (context, key, value) => parseTyped(findSetting(context, key)?.type, value),
  selfVariable: (key) => key,
  // config_get_value() hands the parser's value to config_export_type(), which writes it in its type's form.
  selfValue: (context, key, previous) => {
    const info = findSetting(context, key);
    return (info && exportedValue23(info, previous)) ?? previous;
  },
  replacesList: () => false,
  sectionSelfReadsTopLevel: true,
  rejectedLineSetting: (node) => (node.read23?.kind === 'setting' ? node.read23.setting : undefined),
};

/** Dovecot 2.3 rewrites its obsolete settings to their new names as it reads them. */
export const SCHEMA_23: VersionSchema = {
  version: '2.3',
  markerKeys: MARKER_KEYS['2.3'],
  settings: SETTINGS_23,
  applied: applyObsoleteRewrites,
  hasReplicator: true,
};

/**
 * 2.4 as the effective tree reads it: its own defaults, `$SET:key` as the self-reference, a boolean or string
 * list (`protocols { imap = yes }`) or a filter (`ssl_server { }`) one block however often it is opened, and a
 * named list filter (`passdb pam { }`) merged by name.
 */
const SETTINGS_24: SettingsFacts = {
  ...SETTINGS_23,
  keyRead: (node) => node.key,
  sectionSelfReadsTopLevel: false,
  rejectedLineSetting: () => undefined,
  defaultOf: (context, key) => defaultValue24(key) ?? SETTINGS_23.defaultOf(context, key),
  selfVariable: (key) => `SET:${key}`,
  // 2.4 puts in the value as it was written.
  selfValue: (_context, _key, previous) => previous,
  replacesList: (key) => {
    const type = findSetting24(key)?.type;
    return type === 'boollist' || type === 'strlist';
  },
  sectionKind: (parentContext, type) => {
    // A block inside a filter by its full name there: `parameters { }` in `pgsql host { }` is pgsql_parameters.
    const info =
      findSetting24(type) ?? (parentContext === '' ? undefined : resolveInFilter24(parentContext.split('/'), type));
    const type24 = info?.type;
    if (type24 === 'boollist' || type24 === 'strlist' || type24 === 'filter') return 'strlist';
    if (type24 === 'filter_list') return 'named';
    return SETTINGS_23.sectionKind(parentContext, type);
  },
};

export const SCHEMA_24: VersionSchema = {
  version: '2.4',
  markerKeys: MARKER_KEYS['2.4'],
  settings: SETTINGS_24,
  applied: (model) => model,
  hasReplicator: false,
};

/** The version a tree of this dialect is read as: 2.4 for a 2.4 tree, 2.3 for all others (2.3, unknown, mixed). */
export function versionOf(dialect: Dialect): CheckedVersion {
  return dialect === '2.4' ? '2.4' : '2.3';
}
