import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { LintDiagnostic } from '../service/analysis/analyzer';
import { RULES } from '../service/analysis/rules';
import { ciLevel, RULE_REFERENCE_URL, ruleHelpUri } from './ruleHelp';

export const SARIF_SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json';

export interface SarifOptions {
  /** Directory the result paths are relative to (the repository checkout in CI). */
  baseDir: string;
  toolVersion: string;
}

/** A forward-slash path relative to the base directory, or a file URI for files outside it. */
function artifactLocation(file: string, baseDir: string): { uri: string; uriBaseId?: string } {
  const relative = path.relative(baseDir, file);
  if (relative === '' || relative.startsWith('..') || path.isAbsolute(relative))
    return { uri: pathToFileURL(file).href };
  return { uri: relative.split(path.sep).map(encodeURIComponent).join('/'), uriBaseId: 'SRCROOT' };
}

function sarifRule(rule: (typeof RULES)[number]) {
  return {
    id: rule.id,
    shortDescription: { text: rule.summary },
    help: { text: rule.fix, markdown: `${rule.summary}\n\n**How to fix:** ${rule.fix}` },
    helpUri: ruleHelpUri(rule.id),
    defaultConfiguration: { level: ciLevel(rule.level) },
  };
}

function sarifResult(diagnostic: LintDiagnostic, ruleIndex: Map<string, number>, baseDir: string) {
  const { start, end } = diagnostic.range;
  return {
    ruleId: diagnostic.code,
    ruleIndex: ruleIndex.get(diagnostic.code) ?? -1,
    level: ciLevel(diagnostic.level),
    message: { text: diagnostic.message },
    locations: [
      {
        physicalLocation: {
          artifactLocation: artifactLocation(diagnostic.file, baseDir),
          region: {
            startLine: start.line + 1,
            startColumn: start.character + 1,
            endLine: end.line + 1,
            endColumn: end.character + 1,
          },
        },
      },
    ],
  };
}

/** A SARIF 2.1.0 log of one run, with every rule of the table so code scanning can show their help. */
export function toSarif(diagnostics: readonly LintDiagnostic[], options: SarifOptions): object {
  const ruleIndex = new Map(RULES.map((rule, index) => [rule.id, index]));
  return {
    $schema: SARIF_SCHEMA,
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'dovecot-lint',
            version: options.toolVersion,
            informationUri: RULE_REFERENCE_URL,
            rules: RULES.map(sarifRule),
          },
        },
        originalUriBaseIds: { SRCROOT: { uri: pathToFileURL(options.baseDir + path.sep).href } },
        results: diagnostics.map((diagnostic) => sarifResult(diagnostic, ruleIndex, options.baseDir)),
      },
    ],
  };
}
