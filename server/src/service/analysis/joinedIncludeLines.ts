import { displayPath, type ConfigModel } from '../model/model';
import { maskSettingLine } from '../schema/secrets';
import type { IncludeNode, ParsedFile, SettingNode, Statement, SyntaxProblem } from '../syntax/nodes';
import { parseConfig } from '../syntax/parser';
import { isSecretSetting } from '../schema/secrets';
import type { Range } from 'vscode-languageserver-types';
import type { Finding } from './finding';

export interface Lines {
  file: string;
  first: number;
  last: number;
}

/** A line of `\` alone: it continues the line being joined and adds nothing to it. */
const ONLY_CONTINUATION = /^\s*\\\s*$/;

/**
 * The `\` continuation an included file ends with, still pending when Dovecot reaches the file's end: on
 * its last line, or followed only by lines of `\` alone.
 */
function pendingAtEnd(parsed: ParsedFile): SyntaxProblem | undefined {
  // Most files have no dropped continuation: their line table (a pass over the whole text) is not needed.
  const dropped = parsed.problems.filter((problem) => problem.code === 'continuation-dropped');
  if (dropped.length === 0) return undefined;
  const lines = parsed.textLines;
  let last = lines.lineCount - 1;
  if (last > 0 && lines.lineText(last) === '') last--;
  while (last > 0 && ONLY_CONTINUATION.test(lines.lineText(last))) last--;
  return dropped.find((problem) => problem.range.end.line >= last);
}

/** The first statement at `line`, in document order. */
function statementAt(statements: readonly Statement[], line: number): Statement | undefined {
  for (const statement of statements) {
    if (statement.range.start.line === line) return statement;
    if (statement.kind === 'section' && statement.range.start.line < line && line <= statement.range.end.line) {
      const inner = statementAt(statement.children, line);
      if (inner) return inner;
    }
  }
  return undefined;
}

/**
 * The lines of the statement Dovecot reads at `line` of `file`; 'dropped' for a blank or comment line, which
 * drops the pending text; 'unknown' past the file's end, where Dovecot goes on in the file that included it.
 */
function statementLines(model: ConfigModel, file: string, line: number): Lines | 'dropped' | 'unknown' {
  const parsed = model.files.get(file)?.parsed;
  if (!parsed) return 'dropped';
  const lines = parsed.textLines;
  if (line >= lines.lineCount || (line === lines.lineCount - 1 && lines.lineText(line) === '')) return 'unknown';
  const statement = statementAt(parsed.statements, line);
  if (!statement) return 'dropped';
  const last = statement.kind === 'section' ? statement.headerRange.end.line : statement.range.end.line;
  return { file, first: line, last };
}

/** The text Dovecot reads on `lines` (a continued statement's lines joined as it joins them), secrets masked. */
function textOf(model: ConfigModel, lines: Lines): string {
  const textLines = model.files.get(lines.file)?.parsed.textLines;
  const parts: string[] = [];
  for (let line = lines.first; textLines && line <= lines.last; line++)
    parts.push(
      textLines
        .lineText(line)
        .trim()
        .replace(/\s*\\$/, ''),
    );
  return parts.join(' ');
}

/** The warning on the continuation an included file ends with, saying which line Dovecot joins it with. */
function joinedWarning(model: ConfigModel, file: string, pending: SyntaxProblem, next: Lines | 'unknown'): Finding {
  const dropped = typeof pending.data?.dropped === 'string' ? pending.data.dropped : '';
  const where =
    next === 'unknown'
      ? 'the next line it reads after this file'
      : `the next line it reads, ${displayPath(model.root, next.file)}:${next.first + 1}, and reads "${maskSettingLine(`${dropped} ${textOf(model, next)}`)}" as one line`;
  return {
    code: 'continuation-joins-next-file',
    file,
    range: pending.range,
    message: `This file ends in '\\' with no blank line after it: Dovecot joins "${maskSettingLine(dropped)}" with ${where}.`,
  };
}

/** A `\` continuation an included file ends with, and the statement Dovecot joins it with. */
export interface IncludeJoin {
  /** The `!include` that reads the file. */
  include: IncludeNode;
  /** The included file and its last line's continuation (a `continuation-dropped` problem of its parse). */
  file: string;
  pending: SyntaxProblem;
  /** The lines Dovecot joins to it: the next included file's first line or the line after the `!include`. */
  next: Lines | 'unknown';
}

/** Every `\` continuation of the tree that an included file ends with and Dovecot joins with a later line. */
export function includeJoins(model: ConfigModel): readonly IncludeJoin[] {
  let joins = joinsOfModel.get(model);
  if (!joins) joinsOfModel.set(model, (joins = findIncludeJoins(model)));
  return joins;
}

/** The joins of each analysed model: the 2.3 schema checks, the 2.4 reading and the final filter all ask. */
const joinsOfModel = new WeakMap<ConfigModel, readonly IncludeJoin[]>();

function findIncludeJoins(model: ConfigModel): IncludeJoin[] {
  const joins: IncludeJoin[] = [];
  for (const edge of model.includes) {
    edge.targets.forEach((target, index) => {
      const parsed = model.files.get(target)?.parsed;
      const pending = parsed && pendingAtEnd(parsed);
      if (!pending) return;
      const next =
        index + 1 < edge.targets.length
          ? statementLines(model, edge.targets[index + 1], 0)
          : statementLines(model, edge.from, edge.node.range.end.line + 1);
      if (next !== 'dropped') joins.push({ include: edge.node, file: target, pending, next });
    });
  }
  return joins;
}

/** The line Dovecot reads for a join whose next lines are known, as it joins it (secrets not masked). */
export function joinedText(model: ConfigModel, join: IncludeJoin & { next: Lines }): string {
  const dropped = typeof join.pending.data?.dropped === 'string' ? join.pending.data.dropped : '';
  return `${dropped} ${textOf(model, join.next)}`;
}

/**
 * The setting Dovecot reads for a join, placed on the lines of `next` (the setting it takes in, where doveconf
 * names it); undefined when the joined line is no single setting, or either key is a secret's.
 */
export function joinedSetting(
  model: ConfigModel,
  join: IncludeJoin & { next: Lines },
  next: SettingNode,
): SettingNode | undefined {
  const [statement, ...more] = parseConfig(joinedText(model, join)).statements;
  if (statement?.kind !== 'setting' || more.length > 0) return undefined;
  if ([statement.key, next.key].some((key) => isSecretSetting(key, '2.3') || isSecretSetting(key, '2.4')))
    return undefined;
  const { key, rawValue, value, valueKind, keyQuoted, key23 } = statement;
  const range: Range = next.range;
  return {
    kind: 'setting',
    key,
    keyRange: range,
    rawValue,
    value,
    valueKind,
    valueRange: range,
    variables: [],
    range,
    ...(keyQuoted ? { keyQuoted, key23 } : {}),
  };
}

/** A finding of the joined line's setting, on the setting it takes in, saying which line Dovecot reads there. */
export function joinedLineFinding(
  model: ConfigModel,
  join: IncludeJoin & { next: Lines },
  finding: Finding,
  at: Range,
): Finding {
  const from = displayPath(model.root, join.file);
  const hint = `Dovecot reads this line joined to the last line of ${from}, which ends in '\\': "${joinedText(model, join)}"`;
  return {
    code: finding.code,
    file: join.next.file,
    range: at,
    message: `${finding.message} (${hint})`,
    data: { joinedLine: true },
  };
}

/** A finding on the line Dovecot reads joined (2.3's schema checks judge it where both lines are settings). */
export function isJoinedLineFinding(finding: Finding): boolean {
  return finding.data?.joinedLine === true;
}

/**
 * Dovecot joins a `\` continuation across files: one an included file ends with takes in the next line it
 * reads, the next included file's first line or the line after the `!include` (config_parse_file@2.3.19 and
 * 2.4.4 keep the line being joined when they switch files). We read each file alone: the continued text is
 * not dropped, and the line it takes in is not the statement we read there. Findings on either are left out,
 * but for those on the joined line itself, and the continuation gets a warning naming the line it joins.
 */
export function withJoinedIncludeLines(findings: Finding[], model: ConfigModel): Finding[] {
  const joins = includeJoins(model);
  if (joins.length === 0) return findings;
  const unjudged: Lines[] = [];
  for (const { file, pending, next } of joins) {
    unjudged.push({ file, first: pending.range.start.line, last: pending.range.end.line });
    if (next !== 'unknown') unjudged.push(next);
  }
  const judged = findings.filter(
    (finding) =>
      isJoinedLineFinding(finding) ||
      !unjudged.some(
        (lines) =>
          lines.file === finding.file &&
          lines.first <= finding.range.start.line &&
          finding.range.start.line <= lines.last,
      ),
  );
  return [...judged, ...joins.map(({ file, pending, next }) => joinedWarning(model, file, pending, next))];
}
