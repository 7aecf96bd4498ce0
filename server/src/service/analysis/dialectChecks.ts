import type { MigrationReportEntry } from '../migrate/types';
import { treeConversion } from '../migrate/treeConversion';
import { first24Marker } from '../model/dialect';
import type { AnalysisContext } from './analyzer';
import type { Finding } from './finding';

/**
 * A configuration that mixes 2.3 and 2.4 constructs: reported on the 2.4 marker that decided it, and
 * on every 2.3 construct the 2.4 conversion changes, with what it becomes (the quick fix writes it).
 */
export function dialectChecks(context: AnalysisContext): Finding[] {
  if (context.dialect !== 'mixed') return [];
  const marker = first24Marker(context.model);
  if (!marker) return [];
  const summary: Finding = {
    code: 'mixed-dialect',
    file: marker.file,
    range: marker.range,
    message:
      'This configuration mixes Dovecot 2.3 constructs (plugin {}, mail_location, ssl_cert, $mail_plugins...) with 2.4 ones (dovecot_config_version, mail_driver, ssl_server_*...); neither version accepts both. The 2.3 checks are applied.',
  };
  return [summary, ...constructFindings(context)];
}

/** One finding per entry of the 2.4 conversion of the tree: each is a 2.3 construct. */
function constructFindings(context: AnalysisContext): Finding[] {
  const conversion = treeConversion(context.model, context.host);
  if (!conversion) return [];
  return conversion.report
    .filter((entry) => context.model.files.has(entry.file))
    .map((entry) => ({
      code: 'mixed-dialect',
      file: entry.file,
      range: entry.range,
      message: constructMessage(entry),
      data: { conversionRule: entry.rule },
    }));
}

function constructMessage(entry: MigrationReportEntry): string {
  const action = entry.action ? ` ${entry.action}` : '';
  if (entry.kind === 'not-converted')
    return `Dovecot 2.3 form in a configuration that also uses 2.4, with no 2.4 equivalent: ${entry.message}${action}`;
  return `Dovecot 2.3 form in a configuration that also uses 2.4. In 2.4: ${entry.message}${action}`;
}
