// The safety net, run after every other rule: a setting or block that 2.4 still would not know
// (doveconf 2.4 stops at the first "Unknown setting") is commented out with a marker and reported,
// so the converted tree loads and nothing disappears silently.
import {
  findSetting24,
  isFilter24,
  isListBlock24,
  renamedIn24,
  resolveInFilter24,
  type Setting24Info,
} from '../schema/schema24';
import { checkValue24 } from '../schema/valueCheck24';
import type { Placed } from '../model/model';
import { FILTER_KINDS } from '../syntax/nodes';
import type { Frame } from '../model/model';
import { sectionNames, sectionTypes, type MigrationContext } from './context';
import { withoutPlugin } from './pluginRule';
import { converted, notConverted, leftToHand } from './report';
import type { SectionNode, SettingNode } from '../syntax/nodes';

export const UNKNOWN_RULE = 'unknown-in-2.4';

/** Inside a list block (`fields { }`, `mail_plugins { }`, 2.3 strlist sections) keys are not settings. */
function insideListBlock(frames: readonly Frame[]): boolean {
  return frames.some((frame) => isListBlock24(frame.section.type));
}

/** A value 2.4 would refuse: read from a `<file` by a setting that is not a file path, or of the wrong type. */
function checkValue(ctx: MigrationContext, placed: Placed<SettingNode>, info: Setting24Info): void {
  const line = placed.node.range.start.line;
  if (line !== placed.node.range.end.line) return;
  const raw = ctx.currentRawValue(placed);
  if (raw.startsWith('<') && info.type !== 'file') {
    leftToHand(
      ctx,
      placed,
      UNKNOWN_RULE,
      `${info.name} cannot read its value from a file in 2.4`,
      `${ctx.currentKey(placed)} = ${raw}: in Dovecot 2.4 only file settings take a <file; commented out.`,
      `Write the value of ${info.name} itself.`,
    );
    return;
  }
  const value = unquote(raw);
  const error = value === undefined ? undefined : checkValue24(info, value);
  if (!error) return;
  leftToHand(
    ctx,
    placed,
    UNKNOWN_RULE,
    `2.4 refuses this value: ${error}`,
    `${ctx.currentKey(placed)}: Dovecot 2.4 refuses the value (${error}); commented out.`,
    `Write a 2.4 value for ${info.name}.`,
  );
}

function unquote(raw: string): string | undefined {
  if (!raw.startsWith('"')) return raw.includes('$') ? undefined : raw;
  if (!raw.endsWith('"') || raw.length < 2) return undefined;
  return raw.slice(1, -1).replace(/\\(.)/g, '$1');
}

/** `dict { }` and other 2.3 blocks without a name whose 2.4 namesake needs one. */
function commentUnnamed(ctx: MigrationContext, file: string, section: SectionNode): void {
  const at = { file, range: section.headerRange };
  ctx.commentOut(file, section.range, `${section.type} { } without a name: 2.4 needs ${section.type} NAME { }`);
  if (section.children.length === 0) {
    converted(ctx, at, UNKNOWN_RULE, `The empty ${section.type} { } block is not needed in 2.4: commented out.`);
    return;
  }
  notConverted(
    ctx,
    at,
    UNKNOWN_RULE,
    `${section.type} { } without a name has a different meaning in 2.4 (a named block): commented out.`,
    section.type === 'dict'
      ? 'Write the 2.4 dict_server { dict NAME { driver = ... } } blocks by hand.'
      : `Write ${section.type} NAME { } blocks by hand.`,
  );
}

export function applyLeftovers(ctx: MigrationContext): void {
  for (const placed of ctx.liveSections()) {
    const section = placed.node;
    if (FILTER_KINDS.has(section.type) || section.type === 'plugin' || insideListBlock(placed.frames)) continue;
    const { types, names } = withoutPlugin(sectionTypes(placed.frames), sectionNames(placed.frames));
    const info = resolveInFilter24(types, section.type, names) ?? findSetting24(section.type);
    if (info?.type === 'filter_list' && section.name === '' && !ctx.named.has(section)) {
      commentUnnamed(ctx, placed.file, section);
      continue;
    }
    if (info && (isFilter24(info) || info.type === 'boollist' || info.type === 'strlist')) continue;
    ctx.commentOut(placed.file, section.range, `${section.type} { } is not a Dovecot 2.4 block`);
    notConverted(
      ctx,
      { file: placed.file, range: section.headerRange },
      UNKNOWN_RULE,
      `${section.type} { } is not a block Dovecot 2.4 knows: commented out${renamedIn24(section.type) ? ` ${renamedIn24(section.type)?.hint}` : ''}.`,
      'Find its 2.4 form in the upgrade notes and write it by hand.',
    );
  }
  for (const placed of ctx.liveSettings()) {
    const line = placed.node.range.start.line;
    if (ctx.editsOf(placed.file).isReplaced(line) || insideListBlock(placed.frames)) continue;
    const key = ctx.currentKey(placed);
    const { types, names } = withoutPlugin(sectionTypes(placed.frames), sectionNames(placed.frames));
    const info = resolveInFilter24(types, key, names);
    if (info) {
      checkValue(ctx, placed, info);
      continue;
    }
    ctx.commentOut(placed.file, placed.node.range, `${key} is not a Dovecot 2.4 setting`);
    const hint = renamedIn24(key)?.hint;
    notConverted(
      ctx,
      { file: placed.file, range: placed.node.range },
      UNKNOWN_RULE,
      `${key} is not a setting Dovecot 2.4 knows${types.length > 0 ? ` inside ${types.join(' > ')}` : ''}: commented out${hint ? ` ${hint}` : ''}.`,
      'Find its 2.4 form in the upgrade notes, or remove it if its feature is gone.',
    );
  }
}
