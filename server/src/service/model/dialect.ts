import type { Range } from 'vscode-languageserver-types';
import { displayPath, type ConfigModel } from './model';

export type Dialect = '2.3' | '2.4' | 'mixed' | 'unknown';

/** `dovecot.version` / `--dovecot-version`: force a version instead of detecting it. */
export type VersionSetting = 'auto' | '2.3' | '2.4';

/** The Dovecot version a tree is read and checked as: 2.4 for a 2.4 tree, 2.3 for every other one (mixed included). */
export type CheckedVersion = '2.3' | '2.4';

export interface DialectDecision {
  dialect: Dialect;
  /** Why, for the admin: `dovecot_config_version = 2.4.4 (dovecot.conf:1)`, `set by dovecot.version`, ... */
  reason: string;
  /** True when the version was forced by the setting or the command line. */
  forced: boolean;
}

/** Setting keys only one version knows: one of them in a tree says which version it is written for. */
export const MARKER_KEYS: Readonly<Record<CheckedVersion, ReadonlySet<string>>> = {
  '2.4': new Set([
    'dovecot_config_version',
    'dovecot_storage_version',
    'mail_driver',
    'mail_path',
    'sieve_script',
    'passwd_file_path',
  ]),
  '2.3': new Set(['mail_location', 'ssl_cert', 'mail_replica']),
};

/** A construct only one version has: what it is, and where (the setting's key or the section's header). */
export interface Marker {
  text: string;
  file: string;
  range: Range;
}

const NO_MARKER: { v24?: string; v23?: string } = Object.freeze({});

/** A 2.4 variable with a filter (`%{user | domain}`): 2.3 has no filters. */
const FILTERED_VARIABLE = /%\{[^{}|]*\|[^{}]*\}/;

/** Sections only 2.4 has: the ssl_server/ssl_client filters and the blocks of its boolean lists. */
const SECTIONS_24: ReadonlySet<string> = new Set([
  'mail_plugins',
  'sieve_script',
  'group',
  'ssl_server',
  'ssl_client',
  'import_environment',
  'protocols',
]);

function settingMarker(
  key: string,
  rawValue: string,
  variables: readonly { name: string }[],
): { v24?: string; v23?: string } {
  const key24 = MARKER_KEYS['2.4'].has(key) || key.startsWith('ssl_server_') || key.startsWith('@');
  const key23 = MARKER_KEYS['2.3'].has(key);
  const filtered = rawValue.includes('|') && FILTERED_VARIABLE.test(rawValue);
  if (!key24 && !key23 && !filtered && !rawValue.includes('$')) return NO_MARKER;
  const v24 = key24
    ? key
    : rawValue.includes('$SET:')
      ? '$SET:'
      : filtered
        ? (FILTERED_VARIABLE.exec(rawValue)?.[0] ?? '%{ | }')
        : undefined;
  const v23 = key23 ? key : variables.some((v) => v.name === 'mail_plugins') ? '$mail_plugins' : undefined;
  return { v24, v23 };
}

function sectionMarker(type: string, name: string): { v24?: string; v23?: string } {
  if (SECTIONS_24.has(type)) return { v24: `${type} { }` };
  if (type === 'plugin') return { v23: 'plugin { }' };
  if (type === 'passdb' && name === '') return { v23: 'passdb { } without a name' };
  if (type === 'service' && (name === 'replicator' || name === 'aggregator')) return { v23: `service ${name}` };
  return NO_MARKER;
}

interface Markers {
  configVersion?: Marker;
  first24?: Marker;
  first23?: Marker;
}

function collectMarkers(model: ConfigModel): Markers {
  const markers: Markers = {};
  // The range is read only where a marker is shown: reading it maps the whole file's lines.
  const at = (text: string, file: string, node: { keyRange: Range } | { typeRange: Range }): Marker => ({
    text,
    file,
    get range() {
      return 'keyRange' in node ? node.keyRange : node.typeRange;
    },
  });
  for (const { node, file } of model.settings) {
    if (node.key === 'dovecot_config_version' && !markers.configVersion)
      markers.configVersion = at(`dovecot_config_version = ${node.value}`, file, node);
    const { v24, v23 } = settingMarker(node.key, node.rawValue, node.variables);
    if (v24 && !markers.first24) markers.first24 = at(v24, file, node);
    if (v23 && !markers.first23) markers.first23 = at(v23, file, node);
  }
  for (const { node, file } of model.sections) {
    const { v24, v23 } = sectionMarker(node.type, node.name);
    if (v24 && !markers.first24) markers.first24 = at(v24, file, node);
    if (v23 && !markers.first23) markers.first23 = at(v23, file, node);
  }
  return markers;
}

/** The first Dovecot 2.4-only construct of the tree (settings first, then sections), if any. */
export function first24Marker(model: ConfigModel): Marker | undefined {
  return collectMarkers(model).first24;
}

/** Which Dovecot version the configuration is written for, by the markers of the 2.3 → 2.4 changes. */
export function detectDialect(model: ConfigModel): Dialect {
  return decideDialect(model).dialect;
}

/**
 * The dialect and why. `dovecot_config_version` settles it (Dovecot 2.3 rejects that setting, 2.4
 * requires it); otherwise 2.4-only and 2.3-only constructs decide, and both together are `mixed`.
 */
export function decideDialect(model: ConfigModel, setting: VersionSetting = 'auto'): DialectDecision {
  if (setting !== 'auto')
    return {
      dialect: setting,
      reason: `Dovecot ${setting} (set by dovecot.version / --dovecot-version)`,
      forced: true,
    };
  const markers = collectMarkers(model);
  const where = (marker: Marker): string =>
    `${marker.text} (${displayPath(model.root, marker.file)}:${marker.range.start.line + 1})`;
  if (markers.configVersion) return { dialect: '2.4', reason: where(markers.configVersion), forced: false };
  if (markers.first24 && markers.first23)
    return {
      dialect: 'mixed',
      reason: `2.4: ${where(markers.first24)}; 2.3: ${where(markers.first23)}`,
      forced: false,
    };
  if (markers.first24) return { dialect: '2.4', reason: where(markers.first24), forced: false };
  if (markers.first23) return { dialect: '2.3', reason: where(markers.first23), forced: false };
  return { dialect: 'unknown', reason: 'no version marker found; read as Dovecot 2.3', forced: false };
}
