// Compares our analysis of a config with doveconf's verdict on the same files.
import * as path from 'node:path';
import type { LintDiagnostic } from '../../server/src/service/analysis/analyzer';
import { findRule, ruleOrigin, type RuleOrigin } from '../../server/src/service/analysis/rules';
import type { CheckedVersion } from '../../server/src/service/model/dialect';
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
  /** The statement's last line: past `line` when it is continued with `\\` (a section: its header line). */
  endLine: number;
}

/** Every statement's (file, first line) in the order doveconf reads them, includes expanded in place, and each section's `}`. */
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
      const endLine = statement.kind === 'section' ? statement.range.start.line : statement.range.end.line;
      sequence.push({ file, line: statement.range.start.line, endLine });
      if (statement.kind === 'section') {
        visit(file, statement.children);
        // Its `}` is read after all it holds, the files it includes too (an error there is met then).
        const close = statement.closeRange?.start.line;
        if (close !== undefined) sequence.push({ file, line: close, endLine: close });
      }
      if (statement.kind === 'include') {
        const edge = model.includes.find((include) => include.node === statement);
        for (const target of edge?.targets ?? []) visitFile(target);
      }
    }
  };
  visitFile(model.root);
  return sequence;
}

/** Who has a rule's opinion on a tree read as `version`; undefined for a code that is no rule. */
function originOf(code: string, version: CheckedVersion): RuleOrigin | undefined {
  const rule = findRule(code);
  return rule && ruleOrigin(rule, version);
}

/** Whether doveconf -n itself has this opinion (rules of origin `doveconf`); the others are our additions. */
export function isDoveconfRule(code: string, version: CheckedVersion): boolean {
  return originOf(code, version) === 'doveconf';
}

/** Whether Dovecot has this opinion when it starts, as doveconf -x does and doveconf -n does not. */
export function isStartRule(code: string, version: CheckedVersion): boolean {
  return originOf(code, version) === 'start';
}

/**
 * The position in doveconf's processing order of the statement at (file, 0-based line); -1 before the first.
 * A file included twice is read twice: doveconf meets the statement on its first reading after `after`.
 */
function processingRank(sequence: SequenceEntry[], file: string, line: number, after = -1): number {
  let best = -1;
  sequence.forEach((entry, index) => {
    if (index > after && entry.file === file && entry.line <= line && (best < 0 || entry.line > sequence[best].line))
      best = index;
  });
  return best;
}

/**
 * Findings about a statement that comes after an earlier one (named in `related`): a block that repeats an
 * earlier one, a global setting after a filter's. A file read twice can be both.
 */
const REPEATS_RELATED = ['duplicate-auth-block-name', 'global-after-filter'];

/**
 * Where doveconf meets a finding's statement: on its first reading, or for one that comes after an earlier
 * statement on its first reading after that one's, the second reading of a file included twice.
 */
function diagnosticRank(sequence: SequenceEntry[], diagnostic: LintDiagnostic): number {
  const earlier = REPEATS_RELATED.includes(diagnostic.code) ? diagnostic.related?.[0] : undefined;
  const first = processingRank(sequence, diagnostic.file, diagnostic.range.start.line);
  if (!earlier) return first;
  const after = processingRank(sequence, diagnostic.file, diagnostic.range.start.line, processingRank(sequence, earlier.file, earlier.range.start.line));
  return after < 0 ? first : after;
}

/**
 * Errors doveconf finds once the whole configuration is read (a section left open, the settings and master
 * checks): it names no line for them, and any error with a line comes first, however early we place them.
 */
function afterReading(diagnostic: LintDiagnostic): boolean {
  return (
    [
      'missing-close-brace',
      'settings-check',
      'storage-version-missing',
      'filter-required-setting',
      'value-aborts-doveconf',
    ].includes(diagnostic.code) ||
    findRule(diagnostic.code)?.family === 'master'
  );
}

/** Warnings of doveconf's checks once the whole configuration is read (2.4's Sieve and mailbox settings). */
const WARNINGS_AFTER_READING = [
  'sieve-extension-unknown',
  'sieve-extension-removed',
  'special-use-unknown',
  'file-value-fails-doveconf',
  'file-value-doveconf-warns',
];

/**
 * A warning that stands for a check doveconf makes once everything is read: those above, and a 2.3 `$name`
 * that fails a check of the whole configuration (its message says where doveconf stops only for a line).
 */
function warnsAfterReading(diagnostic: LintDiagnostic): boolean {
  if (diagnostic.code === 'variable-fails-doveconf') return !diagnostic.message.includes(' stops here ');
  return WARNINGS_AFTER_READING.includes(diagnostic.code);
}

/**
 * When doveconf meets an error of ours after reading everything: 0 while reading, then a section left open, then
 * (2.4) a value it aborts on as it writes the configuration out, then the checks of the whole configuration.
 */
function readingPhase(diagnostic: LintDiagnostic): number {
  if (!afterReading(diagnostic)) return 0;
  if (diagnostic.code === 'missing-close-brace') return 1;
  return diagnostic.code === 'value-aborts-doveconf' ? 2 : WHOLE_CHECKS_PHASE;
}

/** The phase of the checks of the whole configuration, the warnings' of them too. */
const WHOLE_CHECKS_PHASE = 3;

/** Where doveconf meets an error of ours: at its statement, or after reading everything for a check of the whole. */
function errorRank(sequence: SequenceEntry[]): (diagnostic: LintDiagnostic) => number {
  return (diagnostic) => readingPhase(diagnostic) * sequence.length + diagnosticRank(sequence, diagnostic);
}

/** Our doveconf-origin errors sorted in doveconf's processing order (the statement a finding is on decides). */
export function errorsInProcessingOrder(analysis: TreeAnalysis): LintDiagnostic[] {
  const version = analysis.versionDialect.version;
  const rank = errorRank(processingSequence(analysis.model));
  return analysis.diagnostics
    .filter((diagnostic) => diagnostic.level === 'error' && isDoveconfRule(diagnostic.code, version))
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

/** Cases recorded for both 2.3 and 2.4 where an included file's last `\\` joins the next line Dovecot reads: we warn, doveconf does not. */
export const JOINED_ACROSS_FILES: Record<string, Exception> = {
  'inc/ds03.conf': {
    extraRules: ['continuation-joins-next-file'],
    why: 'an included file ends in a continuation and a line of \\ alone, which Dovecot joins with the next line it reads; doveconf says nothing, we warn',
  },
  'inc/ds12.conf': {
    extraRules: ['continuation-joins-next-file'],
    why: 'an included file ends in a continuation that Dovecot joins with the next line it reads, which it then refuses; we warn on the continuation too',
  },
  'inc/ds13.conf': {
    extraRules: ['continuation-joins-next-file'],
    why: 'an included file ends in a continuation that Dovecot joins with the next line it reads, which it then refuses; we warn on the continuation too',
  },
};

/**
 * doveconf 2.4 aborting on its built-in settings (`Panic: Error in internal import configuration line N: …`):
 * the loop that looks for dovecot_config_version at the top of the root file never empties the line a `\\`
 * continuation builds, and doveconf then reads its built-in settings onto the end of it (config_parse@2.4.4).
 * It is reached only when that loop ends with such a line built: the version line written over several lines,
 * or a file with no setting that ends in a continuation (or in a line doveconf cannot read, joined to one).
 * The Panic names no line of the configuration and differs with the text left over.
 */
export function abortsOnBuiltInSettings(verdict: DoveconfVerdict): boolean {
  return verdict.panic !== undefined && /^Error in internal import configuration line \d+: /.test(verdict.panic);
}

/**
 * Returns the disagreements between our analysis and doveconf's verdict (empty when we agree).
 * `dir` is the directory doveconf ran in: its file names are relative to it. `expanded` is doveconf -x's
 * verdict on the same files, which our start-time errors are compared with.
 */
export function disagreements(
  analysis: TreeAnalysis,
  verdict: DoveconfVerdict,
  dir: string,
  exception?: Exception,
  expanded?: DoveconfVerdict,
): string[] {
  const version = analysis.versionDialect.version;
  const problems: string[] = [];
  const errors = errorsInProcessingOrder(analysis);
  const resolve = (message: DoveconfMessage): string => path.resolve(dir, message.file ?? '');
  const sequence = processingSequence(analysis.model);
  const rank = (diagnostic: LintDiagnostic): number => diagnosticRank(sequence, diagnostic);
  const fatal = verdict.fatal;
  // doveconf names the last line of a statement continued with `\\`: it has read them all when it judges it.
  const lastLineOf = (file: string, line: number): number =>
    sequence.find((entry) => entry.file === file && entry.line <= line && line <= entry.endLine)?.endLine ?? line;
  const atLine = (diagnostic: LintDiagnostic, line: number): boolean =>
    diagnostic.range.start.line + 1 === line || lastLineOf(diagnostic.file, diagnostic.range.start.line) + 1 === line;
  // Our warning that doveconf -n stops with this very message (Dovecot itself reads the value): for a `$name`
  // at the line doveconf names or, for a check of the whole configuration (no line), anywhere; for a `<file`
  // doveconf -n checks once it has read everything.
  const standIn =
    fatal === undefined
      ? undefined
      : analysis.diagnostics.find(
          (d) =>
            d.message.includes(`"${fatal.message}"`) &&
            (fatal.line === undefined
              ? (d.code === 'variable-fails-doveconf' || d.code === 'file-value-fails-doveconf') &&
                warnsAfterReading(d)
              : d.code === 'variable-fails-doveconf' &&
                d.file === resolve(fatal) &&
                d.range.start.line + 1 === fatal.line),
        );
  if (verdict.accepted) {
    if (errors.length > 0) problems.push(`doveconf accepts, we report: ${errors.map((e) => describe(e, dir)).join(' | ')}`);
  } else if (
    standIn &&
    !errors.some(
      (error) =>
        errorRank(sequence)(error) <
        (warnsAfterReading(standIn) ? WHOLE_CHECKS_PHASE * sequence.length : 0) + rank(standIn),
    )
  ) {
    // doveconf -n stops where our warning says it does.
  } else if (errors.length === 0) {
    problems.push(`doveconf rejects (${verdict.fatal?.message ?? `rc=${verdict.rc}`}), we report no error`);
  } else if (abortsOnBuiltInSettings(verdict)) {
    // doveconf's own bug, which says nothing about the configuration: that both reject is all there is to compare.
  } else if (verdict.panic !== undefined && !verdict.fatal) {
    // doveconf aborted (its Panic names no line): our first error must be the one saying it aborts so.
    if (!errors[0].message.includes(verdict.panic))
      problems.push(`doveconf aborts (Panic: ${verdict.panic}), our first error: ${describe(errors[0], dir)}`);
  } else if (verdict.fatal) {
    problems.push(
      ...firstErrorDisagreement(errors, verdict.fatal, resolve(verdict.fatal), analysis.root, dir, exception, lastLineOf),
    );
  }
  // doveconf stops reading at an error with a line: it cannot warn about the statements after it, nor give
  // the warnings of its checks of the whole configuration. It stops as well where it aborts on a line (an
  // old name 2.4 reaches i_unreached() on), which its Panic does not name: where we say it aborts.
  const abortedAt = verdict.panic === undefined ? undefined : errors.find((e) => e.code === 'setting-aborts-dovecot');
  const stoppedAt =
    fatal?.line !== undefined
      ? processingRank(sequence, resolve(fatal), fatal.line - 1)
      : abortedAt
        ? rank(abortedAt)
        : Infinity;
  // A line after the one doveconf stops at that we read as no statement (a continuation Dovecot drops) has
  // that statement's rank: it comes after all the same.
  const pastFatalLine = (diagnostic: LintDiagnostic): boolean =>
    fatal?.line !== undefined && diagnostic.file === resolve(fatal) && diagnostic.range.start.line + 1 > fatal.line;
  // A section left open is found once the files are read, before the checks of the whole configuration.
  const unclosed = fatal !== undefined && fatal.line === undefined && fatal.message.startsWith("Missing '}'");
  const warnings = analysis.diagnostics.filter(
    (diagnostic) =>
      diagnostic.level === 'warning' &&
      diagnostic !== standIn &&
      isDoveconfRule(diagnostic.code, version) &&
      (rank(diagnostic) < stoppedAt || (rank(diagnostic) === stoppedAt && !pastFatalLine(diagnostic))) &&
      !((stoppedAt !== Infinity || unclosed) && warnsAfterReading(diagnostic)),
  );
  // A warning without a line (doveconf names no place) matches one of ours with the same text anywhere.
  // Our warning on a `<file` value quotes each warning doveconf -n prints for its text.
  const sameWarning = (w: LintDiagnostic, theirs: DoveconfMessage): boolean =>
    theirs.line === undefined
      ? w.message === theirs.message ||
        (w.code === 'file-value-doveconf-warns' && w.message.includes(`"${theirs.message}"`))
      : w.file === resolve(theirs) && atLine(w, theirs.line) && w.message === theirs.message;
  for (const warning of verdict.warnings) {
    // 2.3's managesieve capability dump reads the configuration with variables expanded before doveconf does,
    // and can read past the line doveconf stops at: its warnings there are not doveconf's.
    if (warning.line !== undefined && processingRank(sequence, resolve(warning), warning.line - 1) > stoppedAt) continue;
    const ours = warnings.find((w) => sameWarning(w, warning));
    if (!ours) problems.push(`doveconf warns at ${warning.file}:${warning.line ?? '(no line)'} "${warning.message}", we do not`);
  }
  // Our warning that doveconf -n stops with a message of its checks of the whole configuration, where another
  // of them failed first: doveconf logs every one that fails as an error, then stops with the first.
  const loggedByWholeChecks = (warning: LintDiagnostic): boolean =>
    fatal !== undefined &&
    fatal.line === undefined &&
    (warning.code === 'variable-fails-doveconf' || warning.code === 'file-value-fails-doveconf') &&
    warnsAfterReading(warning) &&
    (verdict.errors ?? []).some((message) => warning.message.includes(`"${message}"`));
  for (const warning of warnings) {
    const theirs =
      verdict.warnings.some((w) =>
        w.line === undefined ? sameWarning(warning, w) : resolve(w) === warning.file && atLine(warning, w.line),
      ) || loggedByWholeChecks(warning);
    if (!theirs) problems.push(`we warn where doveconf does not: ${describe(warning, dir)}`);
  }
  for (const extra of analysis.diagnostics) {
    if (isDoveconfRule(extra.code, version) || extra.level === 'information' || extra.level === 'hint') continue;
    if (expanded && extra.level === 'error' && isStartRule(extra.code, version)) continue;
    if (!exception?.extraRules?.includes(extra.code)) problems.push(`unlisted ${extra.level} of a non-doveconf rule: ${describe(extra, dir)}`);
  }
  if (expanded && verdict.accepted) problems.push(...startDisagreements(analysis, expanded, resolve, dir, atLine));
  return problems;
}

/**
 * Our start-time errors against doveconf -x's verdict on a configuration doveconf -n accepts: none when -x
 * accepts; one saying what -x says (its Panic, or its first error at its line) when it rejects. A rejection
 * we do not judge is one that depends on the machine doveconf runs on: a file it cannot open, or a line
 * whose value is an environment variable or a file.
 */
function startDisagreements(
  analysis: TreeAnalysis,
  expanded: DoveconfVerdict,
  resolve: (message: DoveconfMessage) => string,
  dir: string,
  atLine: (diagnostic: LintDiagnostic, line: number) => boolean,
): string[] {
  const version = analysis.versionDialect.version;
  const ours = analysis.diagnostics.filter((d) => d.level === 'error' && isStartRule(d.code, version));
  const list = () => ours.map((e) => describe(e, dir)).join(' | ');
  if (expanded.accepted) return ours.length > 0 ? [`doveconf -x accepts, we report: ${list()}`] : [];
  if (expanded.panic !== undefined) {
    const panic = expanded.panic;
    if (ours.some((error) => error.message.includes(panic))) return [];
    return [ours.length > 0 ? `doveconf -x aborts (Panic: ${panic}), ours: ${list()}` : `doveconf -x rejects (Panic: ${panic}), we report no start-time error`];
  }
  const fatal = expanded.fatal;
  if (!fatal) return ours.length > 0 ? [] : [`doveconf -x rejects (rc=${expanded.rc}), we report no start-time error`];
  const same = ours.find(
    (error) =>
      (sameText(error.message, fatal.message) ||
        sameUnderBaseDir(error.message, fatal.message) ||
        sameButExpandedValue(error.message, fatal.message)) &&
      (fatal.line === undefined || (error.file === resolve(fatal) && atLine(error, fatal.line))),
  );
  if (same) return [];
  // doveconf -x stops at what the machine has (it may come before the line ours is on): not judged.
  if (dependsOnMachine(analysis, fatal, resolve(fatal))) return [];
  const theirs = `${fatal.file}:${fatal.line ?? '(no line)'}: "${fatal.message}"`;
  if (ours.length > 0) return [`doveconf -x: ${theirs}, ours: ${list()}`];
  return [`doveconf -x rejects (${theirs}), we report no start-time error`];
}

/**
 * `duplicate listener: PATH in base_dir`, which we say when base_dir is left at the value Dovecot was built
 * with, is doveconf's `duplicate listener: BASE_DIR/PATH`.
 */
function sameUnderBaseDir(ours: string, theirs: string): boolean {
  const relative = /^duplicate listener: (.+) in base_dir(?:$|[ .(]|: )/.exec(ours)?.[1];
  return relative !== undefined && theirs.startsWith('duplicate listener: /') && theirs.endsWith(`/${relative}`);
}

/**
 * `Invalid setting KEY=… (before expansion: VALUE): whatever the %{…} give, …`, which we say when the expanded
 * text depends on the machine (an environment variable, the process id), is doveconf -x's `Invalid setting
 * KEY=TEXT (before expansion: VALUE): ERROR` for the text this machine gave.
 */
function sameButExpandedValue(ours: string, theirs: string): boolean {
  const match = /^(.*=)… (\(before expansion: .*\)): whatever the %\{…\} give, /.exec(ours);
  return match !== null && theirs.startsWith(match[1]) && theirs.includes(` ${match[2]}: `);
}

/** A `%{…}` form whose text is the machine's: an environment variable, the process's or the system's values. */
const MACHINE_EXPANSION = /\(before expansion: .*%\{[ \t]*(env|process|system):/;

/**
 * A doveconf -x error about what the machine has: a file it cannot open, a value from the environment or a
 * file. A check of the whole configuration names no line: any value from the environment may be what it judges.
 */
function dependsOnMachine(analysis: TreeAnalysis, fatal: DoveconfMessage, file: string): boolean {
  if (/\bopen\(.*\) failed|Can't open file /.test(fatal.message)) return true;
  // The master's conversion of a value expanded with the machine's text: what it says depends on that text.
  if (MACHINE_EXPANSION.test(fatal.message)) return true;
  if (fatal.line === undefined)
    return analysis.model.settings.some((setting) =>
      setting.node.variables.some((variable) => variable.name.startsWith('ENV:')),
    );
  // doveconf names the last line of a statement continued with `\\`.
  const entry = analysis.model.settings.find(
    (setting) =>
      setting.file === file &&
      setting.node.range.start.line + 1 <= fatal.line! &&
      fatal.line! <= setting.node.range.end.line + 1,
  );
  return (
    entry !== undefined &&
    (entry.node.valueKind === 'file' || entry.node.variables.some((variable) => variable.name.startsWith('ENV:')))
  );
}

function firstErrorDisagreement(
  errors: LintDiagnostic[],
  fatal: DoveconfMessage,
  fatalFile: string,
  root: string,
  dir: string,
  exception: Exception | undefined,
  lastLineOf: (file: string, line: number) => number,
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
  // doveconf names the last line of a statement continued with `\\`: it has read them all when it judges it.
  const where =
    first.file === fatalFile &&
    (first.range.start.line + 1 === fatal.line || lastLineOf(first.file, first.range.start.line) + 1 === fatal.line);
  const sameMessage = sameText(first.message, fatal.message);
  const sameKind = exception?.code === first.code;
  if (where && (sameMessage || sameKind)) return [];
  return [`doveconf: ${fatal.file}:${fatal.line}: "${fatal.message}", our first error: ${describe(first, dir)}`];
}

/**
 * Our message says what doveconf says, possibly followed by a hint (`(did you mean ...)`, `. It is a plugin
 * setting...`, `: doveconf -n accepts this line...`).
 */
function sameText(ours: string, theirs: string): boolean {
  return ours === theirs || (ours.startsWith(theirs) && /^[ .(]|^: /.test(ours.slice(theirs.length)));
}
