// The conversion rules, one row each, applied in this order: rules that comment out whole constructs
// first, then the ones that rewrite what is left, the safety net, then the lines added at the top
// (version lines first: dovecot_config_version must be the first setting).
import { applyAuthDbs, AUTH_DB_RULE } from './authDbRule';
import { applyBoolLists, BOOL_LIST_RULE } from './boolListRule';
import type { MigrationContext } from './context';
import { applyChangedDefaults, DEFAULTS_RULE } from './defaultsRule';
import { applyEventExporters, EVENT_EXPORTER_RULE } from './eventExporterRule';
import { applyOutsideIncludes, INCLUDE_RULE } from './includeRule';
import { applyLeftovers, UNKNOWN_RULE } from './leftoverRule';
import { applyImportEnvironment, IMPORT_ENVIRONMENT_RULE } from './importEnvironmentRule';
import { applyMailLocation, MAIL_LOCATION_RULE } from './mailLocationRule';
import { applyMetricGroupBy, METRIC_GROUP_BY_RULE } from './metricGroupByRule';
import { applyNamespaces, NAMESPACE_RULE } from './namespaceRule';
import { applyPluginBlocks, PLUGIN_RULE } from './pluginRule';
import { applyPluginSettings, PLUGIN_SETTINGS_RULE } from './pluginSettingsRule';
import { applyQuota, QUOTA_RULE } from './quotaRule';
import { applyRemoved, REMOVED_RULE } from './removedRule';
import { applyRenames, RENAME_RULE } from './renameRule';
import { applyReplication, REPLICATION_RULE } from './replicationRule';
import { applyServices, SERVICE_RULE } from './serviceRule';
import { applySieveScripts, SIEVE_RULE } from './sieveRule';
import { applySslFiles, SSL_FILE_RULE } from './sslRule';
import { applyValueChanges, VALUE_CHANGE_RULE } from './valueChangeRule';
import { applyVariables, VARIABLES_RULE } from './variablesRule';
import { applyVersionLines, VERSION_RULE } from './versionRule';

export interface MigrationRule {
  /** Stable id, the `rule` of the report entries it makes. */
  id: string;
  /** What the rule looks for in a 2.3 tree. */
  matches: string;
  /** What it writes in its place. */
  rewrites: string;
  /** Where the fact comes from (data/dovecot/*.json `sources`). */
  source: string;
  apply(ctx: MigrationContext): void;
}

export const MIGRATION_RULES: readonly MigrationRule[] = [
  {
    id: REPLICATION_RULE,
    matches:
      'service replicator/aggregator, mail_replica, replication_*, replicator_*, noreplicate, replication in mail_plugins',
    rewrites: 'commented out with a marker; one entry lists the routes that exist for a pair',
    source: 'replication-routes-2.4.json',
    apply: applyReplication,
  },
  {
    id: REMOVED_RULE,
    matches: 'settings and services 2.4 removed (director, ipc, imap_id_log, auth_stats, ...)',
    rewrites: 'commented out with a marker and reported',
    source: 'renames-2.3-to-2.4.json removed; migration-2.4.json removedServices',
    apply: applyRemoved,
  },
  {
    id: AUTH_DB_RULE,
    matches: 'passdb { } / userdb { } without a name; driver args; default_fields, override_fields',
    rewrites: 'passdb DRIVER { }, passwd_file_path, default_password_scheme, static fields { }; sql/ldap args reported',
    source: 'migration-2.4.json authDrivers (docs 2.4-section-naming.inc, 2.4-converted-settings.inc)',
    apply: applyAuthDbs,
  },
  {
    id: MAIL_LOCATION_RULE,
    matches: 'mail_location, namespace location',
    rewrites: 'mail_driver, mail_path, mail_inbox_path, mail_index_path, ... (one line per parameter)',
    source: 'migration-2.4.json mailLocationParameters (mailbox-list.c@2.3.19)',
    apply: applyMailLocation,
  },
  {
    id: SSL_FILE_RULE,
    matches: 'ssl_cert, ssl_key, ssl_ca, ssl_dh, ssl_alt_*, ssl_client_cert/key = <file',
    rewrites: 'ssl_server_*_file / ssl_client_*_file = path',
    source: 'renames-2.3-to-2.4.json (docs 2.4-converted-settings.inc)',
    apply: applySslFiles,
  },
  {
    id: SIEVE_RULE,
    matches: 'plugin { sieve, sieve_before, sieve_after, sieve_default, sieve_global, sieve_discard, sieve_dir, ... }',
    rewrites: 'sieve_script NAME { type, driver, path, active_path }',
    source: 'docs 2.4-converted-settings.inc',
    apply: applySieveScripts,
  },
  {
    id: QUOTA_RULE,
    matches: 'plugin { quota = driver:name, quota_rule = *:storage=..., quota_warning }',
    rewrites: 'quota "name" { driver }, quota_storage_size, quota_message_count; others reported',
    source: 'docs 2.4-converted-settings.inc',
    apply: applyQuota,
  },
  {
    id: PLUGIN_SETTINGS_RULE,
    matches: 'plugin { acl = vfile:PATH:cache_secs=N, fts = DRIVER }',
    rewrites: 'acl_driver, acl_cache_ttl; fts DRIVER { }; other backends reported',
    source: 'docs 2.4-converted-settings.inc; acl-settings.c@2.4.4',
    apply: applyPluginSettings,
  },
  {
    id: PLUGIN_RULE,
    matches: 'plugin { }',
    rewrites: 'the block lines commented out, its settings kept as ordinary settings',
    source: 'docs 2.4-redesign.inc',
    apply: applyPluginBlocks,
  },
  {
    id: RENAME_RULE,
    matches:
      'settings 2.4 renamed (acl_anyone, disable_plaintext_auth, service_count, ...) or keeps only as an alias it aborts on (doveadm_proxy_port)',
    rewrites: 'the 2.4 name, with the value rewritten where its meaning changed',
    source: 'renames-2.3-to-2.4.json',
    apply: applyRenames,
  },
  {
    id: VALUE_CHANGE_RULE,
    matches: 'sieve_vacation_max_period = 0, ssl_options with no_compression',
    rewrites: 'unlimited; the word dropped (2.4 default)',
    source: 'migration-2.4.json valueChanges',
    apply: applyValueChanges,
  },
  {
    id: SERVICE_RULE,
    matches: 'inet_listener { address }',
    rewrites: 'inet_listener { listen }',
    source: 'docs 2.4-converted-settings.inc',
    apply: applyServices,
  },
  {
    id: NAMESPACE_RULE,
    matches: 'namespace { } without a name',
    rewrites: 'namespace NAME { }',
    source: 'docs 2.4-section-naming.inc',
    apply: applyNamespaces,
  },
  {
    id: BOOL_LIST_RULE,
    matches: 'mail_plugins = $mail_plugins x, protocols = $protocols x, sieve_extensions = +x -y; plugins 2.4 removed',
    rewrites: 'NAME { x = yes  y = no } blocks; zlib → mail_compress; removed plugins reported',
    source: 'migration-2.4.json boolLists (doveconf 2.4.4); mail-plugins-2.4.json',
    apply: applyBoolLists,
  },
  {
    id: IMPORT_ENVIRONMENT_RULE,
    matches: 'import_environment = NAME NAME=value ...',
    rewrites: 'import_environment { NAME = %{env:NAME}  NAME = value } (adds to the 2.4 default entries)',
    source: 'master-service-settings.c@2.4.4 (string list and its defaults)',
    apply: applyImportEnvironment,
  },
  {
    id: EVENT_EXPORTER_RULE,
    matches: 'event_exporter { transport, transport_args, transport_timeout, format_args }',
    rewrites: 'driver; http_post_url and http_client_request_absolute_timeout (http-post); time_format',
    source:
      'stats-settings.c@2.3.21 (transports, format args); stats-settings.c and event-exporter-transport-http-post.c@2.4.4; docs 2.4-converted-settings.inc',
    apply: applyEventExporters,
  },
  {
    id: METRIC_GROUP_BY_RULE,
    matches: 'metric { group_by = FIELD FIELD:exponential:MIN:MAX:BASE FIELD:linear:MIN:MAX:STEP }',
    rewrites: 'group_by FIELD { } blocks, with method exponential|linear { } for ranges',
    source: 'stats-settings.c@2.3.21 (word format); stats-settings.c and stats-metrics.c@2.4.4 (blocks)',
    apply: applyMetricGroupBy,
  },
  {
    id: VARIABLES_RULE,
    matches: '%u, %n, %d, %h, %Lu, %{username}, ... and $setting references',
    rewrites: '%{user}, %{user | username}, %{user | domain}, %{home}, %{user | lower}, $SET:setting',
    source: 'migration-2.4.json variables; varExpand24.ts (docs 2.4-var-expand.inc)',
    apply: applyVariables,
  },
  {
    id: UNKNOWN_RULE,
    matches: 'any setting or block 2.4 does not know after the rules above',
    rewrites: 'commented out with a marker and reported',
    source: 'schema/settings-2.4.json (settings of 2.4.4)',
    apply: applyLeftovers,
  },
  {
    id: INCLUDE_RULE,
    matches: '!include of files outside the root folder',
    rewrites: 'nothing (reported)',
    source: '-',
    apply: applyOutsideIncludes,
  },
  {
    id: VERSION_RULE,
    matches: 'the root file',
    rewrites: 'dovecot_config_version and dovecot_storage_version above its first statement',
    source: 'migration-2.4.json versionLines (config-parser.c@2.4.4)',
    apply: applyVersionLines,
  },
  {
    id: DEFAULTS_RULE,
    matches: 'protocols never set in the tree',
    rewrites: 'protocols = imap pop3 lmtp (the 2.3 default; 2.4 defaults to none)',
    source: 'migration-2.4.json defaultChanges',
    apply: applyChangedDefaults,
  },
];
