// Compares our analysis of a config with doveconf's verdict on the same files.
import * as path from 'node:path';
import type { LintDiagnostic } from '../../server/src/service/analysis/analyzer';
import { findRule } from '../../server/src/service/analysis/rules';
import {
  getLanguageService,
  type AnalyzeOptions,
  type LanguageService,
  type TreeAnalysis,
} from '../../server/src/service/dovecotLanguageService';
import { DiskHost } from '../../server/src/service/model/diskHost';
import type { ConfigModel } from '../../server/src/service/model/model';
import type { Statement } from '../../server/src/service/syntax/nodes';
import type { DoveconfMessage, DoveconfVerdict } from './cases';

/** The language service reading the disk, as the CLI does. */
export function diskService(): LanguageService {
  return getLanguageService(new DiskHost());
}

export function analyzeOnDisk(configPath: string, options: AnalyzeOptions = {}): TreeAnalysis {
  return diskService().analyze(configPath, options);
}

interface SequenceEntry {
  file: string;
  line: number;
}

/** Every statement's (file, first line) in the order doveconf reads them, includes expanded in place. */
function processingSequence(model: ConfigModel): SequenceEntry[] {
  const sequence: SequenceEntry[] = [];
  const active: string[] = [];
  const visitFile = (file: string): void => {
    const parsed = model.files.get(file)?.parsed;
    if (!parsed || active.includes(file)) return;
    active.push(file);
    visit(file, parsed.statements);
    active.pop();
  };
  const visit = (file: string, statements: Statement[]): void => {
    for (const statement of statements) {
      sequence.push({ file, line: statement.range.start.line });
      if (statement.kind === 'section') visit(file, statement.children);
      if (statement.kind === 'include') {
        const edge = model.includes.find((include) => include.node === statement);
        for (const target of edge?.targets ?? []) visitFile(target);
      }
    }
  };
  visitFile(model.root);
  return sequence;
}

/** Whether doveconf itself has this opinion (rules of origin `doveconf`); the others are our additions. */
export function isDoveconfRule(code: string): boolean {
  return findRule(code)?.origin === 'doveconf';
}

/** Our doveconf-origin errors sorted in doveconf's processing order (the statement a finding is on decides). */
export function errorsInProcessingOrder(analysis: TreeAnalysis): LintDiagnostic[] {
  const sequence = processingSequence(analysis.model);
  const rank = (diagnostic: LintDiagnostic): number => {
    let best = -1;
    sequence.forEach((entry, index) => {
      if (entry.file === diagnostic.file && entry.line <= diagnostic.range.start.line) best = index;
    });
    return best;
  };
  return analysis.diagnostics
    .filter((diagnostic) => diagnostic.level === 'error' && isDoveconfRule(diagnostic.code))
    .map((diagnostic) => ({ diagnostic, order: rank(diagnostic) }))
    .sort((a, b) => a.order - b.order || a.diagnostic.range.start.line - b.diagnostic.range.start.line)
    .map((entry) => entry.diagnostic);
}

function describe(diagnostic: LintDiagnostic, dir: string): string {
  return `${path.relative(dir, diagnostic.file)}:${diagnostic.range.start.line + 1}: ${diagnostic.message} [${diagnostic.code}]`;
}

export interface Exception {
  /** Rule id of ours whose wording must differ from doveconf's (same kind of message). */
  code?: string;
  /** Rules not of doveconf origin (replication, good practice) that deliberately fire on this case. */
  extraRules?: string[];
  why: string;
}

/**
 * Returns the disagreements between our analysis and doveconf's verdict (empty when we agree).
 * `dir` is the directory doveconf ran in: its file names are relative to it.
 */
export function disagreements(analysis: TreeAnalysis, verdict: DoveconfVerdict, dir: string, exception?: Exception): string[] {
  const problems: string[] = [];
  const errors = errorsInProcessingOrder(analysis);
  const resolve = (message: DoveconfMessage): string => path.resolve(dir, message.file ?? '');
  if (verdict.accepted) {
    if (errors.length > 0) problems.push(`doveconf accepts, we report: ${errors.map((e) => describe(e, dir)).join(' | ')}`);
  } else if (errors.length === 0) {
    problems.push(`doveconf rejects (${verdict.fatal?.message ?? `rc=${verdict.rc}`}), we report no error`);
  } else if (verdict.fatal) {
    problems.push(...firstErrorDisagreement(errors, verdict.fatal, resolve(verdict.fatal), analysis.root, dir, exception));
  }
  const warnings = analysis.diagnostics.filter((diagnostic) => diagnostic.level === 'warning' && isDoveconfRule(diagnostic.code));
  // A warning without a line (doveconf names no place) matches one of ours with the same text anywhere.
  const sameWarning = (w: LintDiagnostic, theirs: DoveconfMessage): boolean =>
    theirs.line === undefined
      ? w.message === theirs.message
      : w.file === resolve(theirs) && w.range.start.line + 1 === theirs.line && w.message === theirs.message;
  for (const warning of verdict.warnings) {
    const ours = warnings.find((w) => sameWarning(w, warning));
    if (!ours) problems.push(`doveconf warns at ${warning.file}:${warning.line ?? '(no line)'} "${warning.message}", we do not`);
  }
  for (const warning of warnings) {
    const theirs = verdict.warnings.some((w) => (w.line === undefined ? sameWarning(warning, w) : resolve(w) === warning.file && w.line === warning.range.start.line + 1));
    if (!theirs) problems.push(`we warn where doveconf does not: ${describe(warning, dir)}`);
  }
  for (const extra of analysis.diagnostics) {
    if (isDoveconfRule(extra.code) || extra.level === 'information' || extra.level === 'hint') continue;
    if (!exception?.extraRules?.includes(extra.code)) problems.push(`unlisted ${extra.level} of a non-doveconf rule: ${describe(extra, dir)}`);
  }
  return problems;
}

function firstErrorDisagreement(
  errors: LintDiagnostic[],
  fatal: DoveconfMessage,
  fatalFile: string,
  root: string,
  dir: string,
  exception?: Exception,
): string[] {
  if (fatal.line === undefined) {
    // End-of-parse and master checks: no line in doveconf's message; one of our errors must say the same.
    // doveconf names the root file for a check of the whole configuration (`Missing '}'`, a settings
    // check such as `last_valid_uid must not be 0`); we put it where it comes from (the section never
    // closed, the line that set the value), in whichever file of the tree that is.
    const same = errors.find((error) => sameText(error.message, fatal.message) && (error.file === fatalFile || fatalFile === root));
    const sameKind = exception?.code && errors.find((error) => error.code === exception.code);
    return same || sameKind ? [] : [`doveconf: "${fatal.message}", ours: ${errors.map((e) => describe(e, dir)).join(' | ')}`];
  }
  const first = errors[0];
  const where = first.file === fatalFile && first.range.start.line + 1 === fatal.line;
  const sameMessage = sameText(first.message, fatal.message);
  const sameKind = exception?.code === first.code;
  if (where && (sameMessage || sameKind)) return [];
  return [`doveconf: ${fatal.file}:${fatal.line}: "${fatal.message}", our first error: ${describe(first, dir)}`];
}

/** Our message says what doveconf says, possibly followed by a hint (`(did you mean ...)`, `. It is a plugin setting...`). */
function sameText(ours: string, theirs: string): boolean {
  return ours === theirs || (ours.startsWith(theirs) && /^[ .(]/.test(ours.slice(theirs.length)));
}
