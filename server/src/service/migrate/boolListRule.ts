// Boolean lists (mail_plugins, protocols, sieve_extensions, ...): 2.4 cannot expand `$mail_plugins`
// in them ("Setting type can't be expanded to string", doveconf 2.4.4). `x = $x a b` becomes the block
// form `x { a = yes  b = yes }`, which adds to the inherited list as the 2.3 line did; `+a -b` likewise.
// Mail plugins 2.4 renamed or removed are renamed or reported.
import { findMailPlugin24, findSetting24, resolveInFilter24 } from '../schema/schema24';
import type { Placed } from '../model/model';
import type { SettingNode } from '../syntax/nodes';
import { sectionNames, sectionTypes, type MigrationContext } from './context';
import { REPLICATION } from './facts';
import { withoutPlugin } from './pluginRule';
import { converted, notConverted } from './report';

export const BOOL_LIST_RULE = 'bool-list';

const RENAMED_PLUGINS: Readonly<Record<string, string>> = { zlib: 'mail_compress' };

function isBoolList(placed: Placed<SettingNode>, key: string): boolean {
  const { types, names } = withoutPlugin(sectionTypes(placed.frames), sectionNames(placed.frames));
  const info = resolveInFilter24(types, key, names) ?? findSetting24(key);
  return info?.type === 'boollist';
}

interface ListWords {
  additive: boolean;
  entries: [string, 'yes' | 'no'][];
  dropped: string[];
  renamed: string[];
}

function listWords(key: string, value: string): ListWords {
  const words = value.split(/[\s,]+/).filter((word) => word !== '');
  const additive = words.some((word) => word === `$${key}` || /^[+-]/.test(word));
  const result: ListWords = { additive, entries: [], dropped: [], renamed: [] };
  for (const word of words) {
    if (word === `$${key}`) continue;
    const enabled = word.startsWith('-') ? 'no' : 'yes';
    let name = word.replace(/^[+-]/, '');
    if (key === 'mail_plugins') {
      if (name === REPLICATION.settings.mailPlugin) continue;
      if (RENAMED_PLUGINS[name]) {
        result.renamed.push(`${name} → ${RENAMED_PLUGINS[name]}`);
        name = RENAMED_PLUGINS[name];
      } else if (!findMailPlugin24(name)) {
        result.dropped.push(name);
        continue;
      }
    }
    result.entries.push([name, enabled]);
  }
  return result;
}

export function applyBoolLists(ctx: MigrationContext): void {
  for (const placed of ctx.liveSettings()) {
    const line = placed.node.range.start.line;
    if (
      ctx.editsOf(placed.file).isReplaced(line) ||
      line !== placed.node.range.end.line ||
      placed.node.valueKind === 'file'
    )
      continue;
    const key = ctx.currentKey(placed);
    if (!isBoolList(placed, key)) continue;
    const words = listWords(placed.node.key, ctx.currentRawValue(placed).replace(/^"|"$/g, ''));
    const at = { file: placed.file, range: placed.node.range };
    if (words.dropped.length > 0) {
      notConverted(
        ctx,
        at,
        BOOL_LIST_RULE,
        `The mail plugins ${words.dropped.join(', ')} do not exist in Dovecot 2.4: left out of mail_plugins.`,
        'Remove their settings too, or install a 2.4 build of these plugins (third-party plugins) and add them back.',
      );
    }
    if (words.renamed.length > 0)
      converted(ctx, at, BOOL_LIST_RULE, `Mail plugins renamed for 2.4: ${words.renamed.join(', ')}.`);
    if (!words.additive) {
      if (words.dropped.length > 0 || words.renamed.length > 0)
        ctx.setRawValue(placed, words.entries.map(([name]) => name).join(' '));
      continue;
    }
    if (words.entries.length === 0) {
      ctx.commentOut(placed.file, placed.node.range, `${key} adds nothing to the inherited list`);
      converted(
        ctx,
        at,
        BOOL_LIST_RULE,
        `${placed.node.key} = ${placed.node.rawValue} adds nothing in 2.4: commented out.`,
      );
      continue;
    }
    ctx.replaceSettingLine(placed, [
      `${key} {`,
      ...words.entries.map(([name, enabled]) => `  ${name} = ${enabled}`),
      '}',
    ]);
    converted(
      ctx,
      at,
      BOOL_LIST_RULE,
      `${placed.node.key} = ${placed.node.rawValue} became a ${key} { } block that adds to the inherited list (2.4 boolean list).`,
    );
  }
}
