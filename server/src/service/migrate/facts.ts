// The upgrade facts the conversion rules read: data/dovecot/*.json, each row with its source.
import renamesFile from '../../../../data/dovecot/renames-2.3-to-2.4.json';
import migrationFile from '../../../../data/dovecot/migration-2.4.json';
import replicationFile from '../../../../data/dovecot/replication-routes-2.4.json';

export interface RenameFact {
  old: string;
  new?: string;
  kind: 'renamed' | 'replaced' | 'removed';
  note?: string;
  source: string;
}

export interface MailLocationParameter {
  param: string;
  setting: string;
  fixedValue?: string;
  extra?: Record<string, string>;
  source: string;
}

export interface AuthDriverFact {
  driver: string;
  convert: 'name' | 'passwd-file' | 'static' | 'person' | 'removed';
  /** Said when the driver is converted, where 2.4's driver differs from what an admin may expect. */
  note?: string;
  argsNote?: string;
  source: string;
}

export interface ReplicationRoute {
  id: string;
  title: string;
  how: string;
  tradeOffs: string;
  status?: string;
  sources: string[];
}

export const RENAMES: readonly RenameFact[] = [
  ...(renamesFile.entries as RenameFact[]),
  ...(migrationFile.moreRenames as RenameFact[]),
];
export const RENAME_SOURCES: Readonly<Record<string, string>> = renamesFile.sources;
export const RENAME_BY_OLD: ReadonlyMap<string, RenameFact> = new Map(RENAMES.map((entry) => [entry.old, entry]));

export const MIGRATION_SOURCES: Readonly<Record<string, string>> = migrationFile.sources;
export const VERSION_LINES = migrationFile.versionLines;
export const MAIL_LOCATION_PARAMETERS: readonly MailLocationParameter[] =
  migrationFile.mailLocationParameters as MailLocationParameter[];
export const REMOVED_SERVICES: readonly { name: string; note?: string; replication?: boolean }[] =
  migrationFile.removedServices;
export const AUTH_DRIVERS: readonly AuthDriverFact[] = migrationFile.authDrivers as AuthDriverFact[];
export const LONG_VARIABLES: Readonly<Record<string, string>> = migrationFile.variables.longNames;
/** default_fields entries become `name:default` in a 2.4 fields { } block. */
export const FIELDS_DEFAULT_SUFFIX: string = migrationFile.fieldsDefaultSuffix.suffix;
/** Shared namespaces: 2.3's escaped owner variables (`%%u`) in the location and in the prefix. */
export const SHARED_LOCATION_VARIABLES: Readonly<Record<string, string>> =
  migrationFile.sharedNamespace.locationVariables;
export const SHARED_PREFIX_VARIABLES: Readonly<Record<string, string>> = migrationFile.sharedNamespace.prefixVariables;
export const BOOL_LISTS: ReadonlySet<string> = new Set(migrationFile.boolLists.settings);

export interface ValueChange {
  setting: string;
  from?: string;
  to?: string;
  dropWords?: string[];
  why: string;
  source: string;
}

export interface DefaultChange {
  setting: string;
  default23: string;
  default24: string;
  why: string;
  source: string;
}

export const DEFAULT_CHANGES: readonly DefaultChange[] = migrationFile.defaultChanges;

export const VALUE_CHANGES: readonly ValueChange[] = migrationFile.valueChanges;

export const REPLICATION = replicationFile;
export const REPLICATION_ROUTES: readonly ReplicationRoute[] = replicationFile.routes;

/** Whether a 2.3 setting name belongs to the removed replication feature. */
export function isReplicationKey(key: string): boolean {
  return (
    REPLICATION.settings.keys.includes(key) || REPLICATION.settings.keyPrefixes.some((prefix) => key.startsWith(prefix))
  );
}
