import { first24Marker } from '../model/dialect';
import type { AnalysisContext } from './analyzer';
import type { Finding } from './finding';

/** A configuration that mixes 2.3 and 2.4 constructs (FACTS §4.3): reported on the first 2.4 marker. */
export function dialectChecks(context: AnalysisContext): Finding[] {
  if (context.dialect !== 'mixed') return [];
  const marker = first24Marker(context.model);
  if (!marker) return [];
  return [{
    code: 'mixed-dialect',
    file: marker.file,
    range: marker.range,
    message: 'This configuration mixes Dovecot 2.3 constructs (plugin {}, mail_location, ssl_cert, $mail_plugins...) with 2.4 ones (dovecot_config_version, mail_driver, ssl_server_*...); neither version accepts both. The 2.3 checks are applied.',
  }];
}
