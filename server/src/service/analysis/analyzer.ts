import type { EffectiveSettings } from '../model/effective';
import type { Dialect } from '../model/dialect';
import type { VersionSchema } from '../schema/versions';
import type { FileHost } from '../model/host';
import type { AnalysisLimits } from '../model/limits';
import type { ConfigModel, ModelFile } from '../model/model';
import { statementStartLine } from '../syntax/statementLines';
import { lineTextAt } from '../syntax/textLines';
import type { Finding } from './finding';
import { levelFor, type Level, type LevelSetting } from './rules';
import { findSuppression } from './suppression';

/** Everything a check may look at. `peer` is the other host of a replication pair, when known. */
export interface AnalysisContext {
  model: ConfigModel;
  effective: EffectiveSettings;
  dialect: Dialect;
  /** The version the tree is read and checked as, with its settings lookup. */
  schema: VersionSchema;
  host: FileHost;
  /** What the analysis reads at most; absent means the defaults. */
  limits?: AnalysisLimits;
  peer?: { model: ConfigModel; effective: EffectiveSettings };
  /**
   * The tree is a piece of a configuration whose root is not at hand: its root file is not named as a root
   * (dovecot.conf), no file sets dovecot_config_version and no version was forced.
   */
  fragment?: boolean;
}

export type Check = (context: AnalysisContext) => Finding[];

/** A check with the name an internal error reports it by (the bundles do not keep function names). */
export interface NamedCheck {
  name: string;
  check: Check;
}

export interface LintDiagnostic extends Finding {
  level: Level;
}

interface SuppressionComment {
  ids: string[];
  /** Nothing but the comment on its line: it then also applies to the statement below it. */
  fullLine: boolean;
}

/** A file's suppression comments by line. */
interface SuppressionIndex {
  byLine: Map<number, SuppressionComment>;
}

const suppressionIndexes = new WeakMap<ModelFile, SuppressionIndex>();

function suppressionIndex(modelFile: ModelFile): SuppressionIndex {
  let index = suppressionIndexes.get(modelFile);
  if (index) return index;
  const byLine = new Map<number, SuppressionComment>();
  for (const comment of modelFile.parsed.comments) {
    const match = findSuppression(comment.text);
    if (!match) continue;
    const line = comment.range.start.line;
    const fullLine = lineTextAt(modelFile.text, line).slice(0, comment.range.start.character).trim() === '';
    byLine.set(line, { ids: match.ids, fullLine });
  }
  index = { byLine };
  suppressionIndexes.set(modelFile, index);
  return index;
}

/**
 * Rule ids suppressed for a line: by a comment at its end, or on a comment line just above its
 * statement (the first line of a `\` continuation). Indexed per file, so each lookup is constant time.
 */
export function suppressedIds(model: ConfigModel, file: string, line: number): Set<string> {
  const ids = new Set<string>();
  const modelFile = model.files.get(file);
  if (!modelFile) return ids;
  const index = suppressionIndex(modelFile);
  if (index.byLine.size === 0) return ids;
  const above = statementStartLine(modelFile.parsed, line) - 1;
  for (const id of index.byLine.get(line)?.ids ?? []) ids.add(id);
  const aboveComment = above !== line ? index.byLine.get(above) : undefined;
  // A comment ending the previous statement line belongs to that line, not to this one.
  if (aboveComment?.fullLine) for (const id of aboveComment.ids) ids.add(id);
  return ids;
}

function findingKey(finding: Finding): string {
  const { start } = finding.range;
  return `${finding.file}:${start.line}:${start.character}:${finding.code}:${finding.message}`;
}

/** Runs every check; a failing check becomes one finding instead of taking the others down. */
export function runChecks(context: AnalysisContext, checks: readonly NamedCheck[]): Finding[] {
  const findings: Finding[] = [];
  for (const { name, check } of checks) {
    try {
      for (const finding of check(context)) findings.push(finding);
    } catch (error) {
      findings.push({
        code: 'internal-error',
        file: context.model.root,
        range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
        message: `dovecot-lint internal error in ${name}: ${error instanceof Error ? error.message : String(error)}`,
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
