import * as path from 'node:path';
import { displayPath } from '../model/model';
import type { AnalysisContext } from './analyzer';
import type { Finding } from './finding';

/** Filter findings of the model that follow 2.3's rules; for a 2.4 tree parser24Checks makes its own. */
const FILTER_CODES_23: ReadonlySet<string> = new Set(['filter-nesting', 'invalid-network-mask']);

/** Parser and include-graph findings collected while the model was built. */
export function modelFindings(context: AnalysisContext): Finding[] {
  const version = context.dialect === '2.4' ? '2.4' : '2.3';
  const findings = context.model.findings.filter((finding) => finding.data?.dialect === undefined || finding.data.dialect === version);
  if (version === '2.3') return findings;
  return findings
    .filter((finding) => !FILTER_CODES_23.has(finding.code))
    // 2.4 reads `= value` as a setting with an empty name (config_parse_line@2.4.4).
    .map((finding) => (finding.code === 'missing-key' ? { ...finding, code: 'unknown-setting', message: ': Unknown setting: ' } : finding))
    // 2.4 names the file as it opened it, relative to the root's directory (settings_include@2.4.4).
    .map((finding) => (finding.code === 'include-recursive' && typeof finding.data?.target === 'string'
      ? { ...finding, message: `Recursive include file: ${displayPath(context.model.root, finding.data.target)}` }
      : finding));
}

/** `key = <file` whose file is missing: doveconf -n does not read it, the config service does (FACTS §1.6). */
export function fileValueChecks(context: AnalysisContext): Finding[] {
  const findings: Finding[] = [];
  for (const { node, file } of context.model.settings) {
    if (node.valueKind !== 'file' || node.value === '') continue;
    const target = path.resolve(path.dirname(file), node.value);
    if (context.host.isFile(target)) continue;
    findings.push({
      code: 'file-value-missing',
      file,
      range: node.valueRange,
      message: `${node.key}: file ${node.value} does not exist here; Dovecot's config service fails with "${node.key}: Can't open file ${node.value}: No such file or directory" if it is missing on the server too.`,
    });
  }
  return findings;
}
