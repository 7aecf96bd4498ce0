import type { AnalysisContext } from './analyzer';
import type { Finding } from './finding';

const MARKERS_24 = new Set(['dovecot_config_version', 'dovecot_storage_version', 'mail_driver', 'mail_path']);

/** A configuration that mixes 2.3 and 2.4 constructs (FACTS §4.3): reported on the first 2.4 marker. */
export function dialectChecks(context: AnalysisContext): Finding[] {
  if (context.dialect !== 'mixed') return [];
  const marker = context.model.settings.find(({ node }) => MARKERS_24.has(node.key) || node.key.startsWith('ssl_server_') || node.rawValue.includes('$SET:'));
  const place = marker ?? context.model.settings[0];
  if (!place) return [];
  return [{
    code: 'mixed-dialect',
    file: place.file,
    range: place.node.keyRange,
    message: 'This configuration mixes Dovecot 2.3 constructs (plugin {}, mail_location, ssl_cert, $mail_plugins...) with 2.4 ones (dovecot_config_version, mail_driver, ssl_server_*...); neither version accepts both. The 2.3 checks are applied.',
  }];
}
