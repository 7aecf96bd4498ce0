// Dovecot 2.3 reads `key = $name` with `$name` replaced by the value of setting `name` when it starts
// (the config service expands variables), but doveconf without -x keeps `$name` as written and checks it
// as the setting's type: in a boolean, number, size, time, port or enum setting `doveconf -n` stops with
// `Invalid size: $default_vsz_limit` and so does anything that reads the configuration with doveconf,
// while the daemon runs (config-parser.c@2.3.19 config_write_keyvariable; verified with both). Where
// Dovecot's own reading fails too, or is not known here (`$ENV:`), doveconf's message is an error.
//
// What `$name` stands for, and the text doveconf -n checks, are worked out in variableReading23.ts.
import { contextOf, type Placed } from '../model/model';
import { checkValue, findSetting, variableReadsSetting23 } from '../schema/schema';
import type { SettingNode } from '../syntax/nodes';
import type { AnalysisContext } from './analyzer';
import type { Finding } from './finding';
import { doveconfText23, storedText23, variableLineWords } from './variableReading23';

/** The setting types whose value doveconf parses: `$name` written there is refused as it stands. */
const TYPED = new Set(['bool', 'uint', 'octal', 'time', 'time_msecs', 'size', 'port', 'enum']);

/** The `$name` words doveconf -n keeps as written: all but `$key` on a top-level line of its own key. */
export function unexpandedWords(entry: Placed<SettingNode>): string[] {
  const { node } = entry;
  const self = contextOf(entry.frames) === '' ? `$${node.key23 ?? node.key}` : undefined;
  return variableLineWords(node).filter((word) => word.startsWith('$') && word !== self);
}

/** A `$name` on the line that names no setting: Dovecot stops there at start (unknown-variable says so). */
function namesNoSetting(entry: Placed<SettingNode>): boolean {
  return unexpandedWords(entry).some((word) => {
    const name = word.slice(1);
    return name !== '' && !name.startsWith('ENV:') && variableReadsSetting23(name) === false;
  });
}

/**
 * The warning for a `$` line doveconf -n refuses as written (`doveconfMessage`) while Dovecot reads it as
 * `expanded` at start and accepts it. `atLine`: doveconf names the line (a value it parses as it reads it).
 */
export function variableFailsDoveconf(
  entry: Placed<SettingNode>,
  expanded: string,
  doveconfMessage: string,
  atLine: boolean,
): Finding {
  const names = unexpandedWords(entry).join(' and ');
  return {
    code: 'variable-fails-doveconf',
    file: entry.file,
    range: entry.node.valueRange,
    message: `Dovecot expands ${names} when it starts (${entry.node.key} = ${expanded === '' ? '""' : expanded}), but doveconf -n stops ${atLine ? 'here ' : ''}with "${doveconfMessage}", so anything that checks the configuration with doveconf (doveconf -n, dovecot -n, doveadm config) fails.`,
    data: { replacement: expanded },
  };
}

/**
 * What Dovecot reads at start for the `$` lines a failing check read, when it knows them all and some `$name`
 * there is not expanded by doveconf -n; undefined otherwise (doveconf's error then stands for Dovecot too).
 */
function expandedReadings(
  context: AnalysisContext,
  lines: readonly Placed<SettingNode>[],
): Map<Placed<SettingNode>, string> | undefined {
  const variableLines = lines.filter((entry) => unexpandedWords(entry).length > 0);
  if (variableLines.length === 0) return undefined;
  const expanded = new Map<Placed<SettingNode>, string>();
  for (const entry of variableLines) {
    if (namesNoSetting(entry)) return undefined;
    const text = storedText23(context.effective, entry);
    if (text === undefined) return undefined;
    expanded.set(entry, text);
  }
  return expanded;
}

/**
 * A check doveconf -n fails after reading the whole configuration (`finding`, doveconf's message) on values
 * of `lines` that may hold a `$name` doveconf -n keeps as written: variable-fails-doveconf instead when
 * Dovecot's reading at start is known and `passesExpanded` with it.
 */
export function checkFailure(
  context: AnalysisContext,
  lines: readonly Placed<SettingNode>[],
  passesExpanded: (expanded: Map<Placed<SettingNode>, string>) => boolean,
  finding: Finding,
): Finding {
  const expanded = expandedReadings(context, lines);
  if (!expanded || !passesExpanded(expanded)) return finding;
  const [line, value] = [...expanded][0];
  return variableFailsDoveconf(line, value, finding.message, false);
}

/**
 * What doveconf -n and Dovecot say about a typed setting's `$name` value (`entry`): invalid-value where both
 * refuse it, variable-fails-doveconf where only doveconf -n does; undefined where it passes.
 */
export function unexpandedVariableFinding(context: AnalysisContext, entry: Placed<SettingNode>): Finding | undefined {
  const { node, file } = entry;
  if (node.valueKind !== 'variables' || node.template) return undefined;
  const info = findSetting(contextOf(entry.frames), node.key);
  if (!info || !TYPED.has(info.type)) return undefined;
  const literal = doveconfText23(context.effective, entry);
  const doveconfError = literal === undefined ? undefined : checkValue(info, literal);
  if (doveconfError === undefined) return undefined;
  const expanded = expandedReadings(context, [entry])?.get(entry);
  if (expanded !== undefined && checkValue(info, expanded) === undefined)
    return variableFailsDoveconf(entry, expanded, doveconfError, true);
  return { code: 'invalid-value', file, range: node.valueRange, message: doveconfError, data: { key: node.key } };
}

export function unexpandedVariableChecks(context: AnalysisContext): Finding[] {
  const findings: Finding[] = [];
  for (const entry of context.model.settings) {
    const finding = unexpandedVariableFinding(context, entry);
    if (finding) findings.push(finding);
  }
  return findings;
}
