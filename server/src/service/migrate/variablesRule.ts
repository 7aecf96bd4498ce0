// `%u`, `%Ld`, `%{username}`... in values become 2.4 `%{user}`, `%{user | domain | lower}`...
// (varExpand24.ts, migration-2.4.json variables; docs 2.4-var-expand.inc). `$name` references to
// other settings become `$SET:name` (FACTS §4.2); boolean lists are the bool-list rule's.
import { findSetting24 } from '../schema/schema24';
import { defaultVariableNames24, shortVariablesOf } from '../schema/settingVariables24';
import type { MigrationContext } from './context';
import { BOOL_LISTS } from './facts';
import { converted, leftToHand, needsReview, shown } from './report';
import { convertPop3UidlFormat, convertVariables, FORMAT_VALUES, NOT_VARIABLE_VALUES } from './variables';
import type { Placed } from '../model/model';
import type { SettingNode } from '../syntax/nodes';

export const VARIABLES_RULE = 'variables';

export function applyVariables(ctx: MigrationContext): void {
  for (const placed of ctx.liveSettings()) {
    const edits = ctx.editsOf(placed.file);
    if (edits.isReplaced(placed.node.range.start.line) || placed.node.range.start.line !== placed.node.range.end.line)
      continue;
    const key = ctx.currentKey(placed);
    const at = { file: placed.file, range: placed.node.range };
    const raw = ctx.currentRawValue(placed);
    if (!raw.includes('%') || NOT_VARIABLE_VALUES.has(placed.node.key) || placed.node.valueKind === 'file') continue;
    if (placed.node.key === 'pop3_uidl_format') {
      convertUidlFormat(ctx, placed, raw);
      continue;
    }
    if (FORMAT_VALUES.has(placed.node.key)) {
      needsReview(
        ctx,
        at,
        VARIABLES_RULE,
        `${placed.node.key} is a log format whose %-codes 2.4 writes differently: kept as it was.`,
        `Rewrite it with 2.4 variables (%{message}, %{elements}...) or remove it to use the 2.4 default.`,
      );
      continue;
    }
    const conversion = convertVariables(
      raw,
      shortVariablesOf(placed.node.key),
      defaultVariableNames24(placed.node.key),
    );
    if (conversion.changed) {
      ctx.setRawValue(placed, conversion.value);
      converted(
        ctx,
        at,
        VARIABLES_RULE,
        `Variables of ${key} rewritten for 2.4: ${shown(key, placed.node.rawValue)} became ${shown(key, conversion.value)}.`,
      );
    }
    if (conversion.unknown.length > 0) {
      needsReview(
        ctx,
        at,
        VARIABLES_RULE,
        `${key} uses ${conversion.unknown.map((name) => `%{${name}}`).join(', ')}, which the converter does not know in 2.4.`,
        'Check these variables against the 2.4 variable list.',
      );
    }
  }
  convertSettingReferences(ctx);
}

function convertSettingReferences(ctx: MigrationContext): void {
  for (const placed of ctx.liveSettings()) {
    const references = placed.node.variables.filter((variable) => !variable.name.startsWith('ENV:'));
    if (references.length === 0 || BOOL_LISTS.has(placed.node.key)) continue;
    const line = placed.node.range.start.line;
    if (ctx.editsOf(placed.file).isReplaced(line) || line !== placed.node.range.end.line) continue;
    const at = { file: placed.file, range: placed.node.range };
    let raw = ctx.currentRawValue(placed);
    for (const reference of references) {
      const target = findSetting24(reference.name);
      if (!target || target.type === 'boollist' || target.type === 'strlist') {
        needsReview(
          ctx,
          at,
          VARIABLES_RULE,
          `$${reference.name} refers to a setting 2.4 cannot expand here: kept as it was.`,
          `Write the value of ${reference.name} out.`,
        );
        continue;
      }
      raw = raw.replace(new RegExp(`\\$${reference.name}(?![\\w])`), `$SET:${reference.name}`);
      converted(ctx, at, VARIABLES_RULE, `$${reference.name} became $SET:${reference.name}.`);
    }
    ctx.setRawValue(placed, raw);
  }
}

function convertUidlFormat(ctx: MigrationContext, placed: Placed<SettingNode>, raw: string): void {
  const at = { file: placed.file, range: placed.node.range };
  const value = convertPop3UidlFormat(raw);
  if (value === undefined) {
    leftToHand(
      ctx,
      placed,
      VARIABLES_RULE,
      'pop3_uidl_format needs converting by hand',
      `pop3_uidl_format = ${placed.node.rawValue} has no automatic 2.4 form: commented out.`,
      'Write it with %{uid}, %{uidvalidity}, %{md5}, %{filename}, %{guid} and the hex filter; keep the UIDLs the clients already saw.',
    );
    return;
  }
  ctx.setRawValue(placed, value);
  converted(ctx, at, VARIABLES_RULE, `pop3_uidl_format = ${placed.node.rawValue} became ${value} (same UIDLs).`);
}
