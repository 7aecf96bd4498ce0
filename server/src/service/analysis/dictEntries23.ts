// Dovecot 2.3's `dict { }` holds only `NAME = driver:args` entries: each line names a dictionary and gives its
// URI. A line without `:` in its value (`user = vmail`, meant for the dict process) is a dictionary with no
// driver: doveconf accepts it, and the dict process fails with `Failed to initialize dictionary 'user':
// Dictionary URI is missing ':': vmail` when something asks for it (dict_init@2.3.19, checked on Dovecot
// 2.3.19 with doveadm dict get).
import { contextOf } from '../model/model';
import { findSetting } from '../schema/schema';
import type { AnalysisContext } from './analyzer';
import type { Finding } from './finding';

export function dictEntryChecks(context: AnalysisContext): Finding[] {
  const findings: Finding[] = [];
  for (const { node, file, frames } of context.model.settings) {
    if (contextOf(frames) !== 'dict' || node.template || node.key === '') continue;
    if (node.valueKind !== 'plain' && node.valueKind !== 'quoted') continue;
    const uri = node.value;
    if (uri === '' || uri.includes(':') || uri.includes('$')) continue;
    const serviceSetting = findSetting('service', node.key) !== undefined;
    const where = serviceSetting ? ' A setting of the dict process goes in service dict { }.' : '';
    findings.push({
      code: 'dict-entry-not-a-uri',
      file,
      range: node.range,
      message: `${node.key} = ${uri} in dict { } names a dictionary "${node.key}" whose URI has no driver: Dovecot's dict process fails with "Failed to initialize dictionary '${node.key}': Dictionary URI is missing ':': ${uri}" when something uses it. dict { } holds only NAME = driver:args lines (NAME = mysql:/etc/dovecot/dict-sql.conf.ext).${where}`,
    });
  }
  return findings;
}
