import type { EffectiveSettings } from '../model/effective';
import type { Dialect } from '../model/dialect';
import type { FileHost } from '../model/host';
import type { AnalysisLimits } from '../model/limits';
import type { ConfigModel } from '../model/model';
import { statementStartLine } from '../syntax/statementLines';
import { lineTextAt } from '../syntax/textLines';
import type { Finding } from './finding';
import { levelFor, type Level, type LevelSetting } from './rules';

/** Everything a check may look at. `peer` is the other host of a replication pair, when known. */
export interface AnalysisContext {
  model: ConfigModel;
  effective: EffectiveSettings;
  dialect: Dialect;
  host: FileHost;
  /** What the analysis reads at most; absent means the defaults. */
  limits?: AnalysisLimits;
  peer?: { model: ConfigModel; effective: EffectiveSettings };
}

export type Check = (context: AnalysisContext) => Finding[];

export interface LintDiagnostic extends Finding {
  level: Level;
}

/** `dovecot-lint: ignore=a,b` (blanks allowed around the commas). */
const SUPPRESSION = /dovecot-lint:\s*ignore=([\w.-]+(?:[ \t]*,[ \t]*[\w.-]+)*)/;

/**
 * Rule ids suppressed for a line: by a comment at its end, or on a comment line just above its
 * statement (the first line of a `\` continuation).
 */
export function suppressedIds(model: ConfigModel, file: string, line: number): Set<string> {
  const ids = new Set<string>();
  const modelFile = model.files.get(file);
  if (!modelFile) return ids;
  const above = statementStartLine(modelFile.parsed, line) - 1;
  for (const comment of modelFile.parsed.comments) {
    const commentLine = comment.range.start.line;
    if (commentLine !== line && commentLine !== above) continue;
    // A comment ending the previous statement line belongs to that line, not to this one.
    if (commentLine === above && commentLine !== line && lineTextAt(modelFile.text, commentLine).slice(0, comment.range.start.character).trim() !== '') continue;
    const match = SUPPRESSION.exec(comment.text);
    if (match) for (const id of match[1].split(',')) ids.add(id.trim());
  }
  return ids;
}

function findingKey(finding: Finding): string {
  const { start } = finding.range;
  return `${finding.file}:${start.line}:${start.character}:${finding.code}:${finding.message}`;
}

/** Runs every check; a failing check becomes one finding instead of taking the others down. */
export function runChecks(context: AnalysisContext, checks: readonly Check[]): Finding[] {
  const findings: Finding[] = [];
  for (const check of checks) {
    try {
      findings.push(...check(context));
    } catch (error) {
      findings.push({
        code: 'internal-error',
        file: context.model.root,
        range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
        message: `dovecot-lint internal error in ${check.name || 'a check'}: ${error instanceof Error ? error.message : String(error)}`,
      });
    }
  }
  return findings;
}

/** Gives findings their level, drops suppressed and switched-off ones, and removes duplicates. */
export function applyLevels(
  findings: readonly Finding[],
  model: ConfigModel,
  overrides: Record<string, LevelSetting> = {},
): LintDiagnostic[] {
  const seen = new Set<string>();
  const diagnostics: LintDiagnostic[] = [];
  for (const finding of findings) {
    const level = levelFor(finding.code, overrides);
    if (level === 'off') continue;
    if (suppressedIds(model, finding.file, finding.range.start.line).has(finding.code)) continue;
    const key = findingKey(finding);
    if (seen.has(key)) continue;
    seen.add(key);
    diagnostics.push({ ...finding, level });
  }
  return diagnostics;
}
