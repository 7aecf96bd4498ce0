import type { ConfigModel } from './model';

export type Dialect = '2.3' | '2.4' | 'mixed' | 'unknown';

const MARKERS_24 = new Set(['dovecot_config_version', 'dovecot_storage_version', 'mail_driver', 'mail_path', 'sieve_script']);
const MARKERS_23 = new Set(['mail_location', 'ssl_cert', 'mail_replica']);

/** Which Dovecot version the configuration is written for, by the markers of FACTS §4.3. */
export function detectDialect(model: ConfigModel): Dialect {
  let has23 = false;
  let has24 = false;
  for (const { node } of model.settings) {
    if (MARKERS_24.has(node.key) || node.key.startsWith('ssl_server_') || node.rawValue.includes('$SET:')) has24 = true;
    if (MARKERS_23.has(node.key) || node.variables.some((v) => v.name === 'mail_plugins')) has23 = true;
  }
  for (const { node } of model.sections) {
    if (node.type === 'plugin' || (node.type === 'passdb' && node.name === '') || node.type === 'mail_plugins') {
      if (node.type === 'mail_plugins') has24 = true;
      else has23 = true;
    }
    if (node.type === 'service' && (node.name === 'replicator' || node.name === 'aggregator')) has23 = true;
    if (node.type === 'sieve_script' || node.type === 'group') has24 = true;
  }
  if (has23 && has24) return 'mixed';
  if (has24) return '2.4';
  return has23 ? '2.3' : 'unknown';
}
