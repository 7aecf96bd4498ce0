// Pigeonhole's script locations (`sieve = file:~/sieve;active=~/.dovecot.sieve`, sieve_before,
// sieve_after, sieve_default, sieve_global, sieve_discard) become 2.4 `sieve_script NAME { }` blocks
// (docs 2.4-converted-settings.inc); sieve_dir, sieve_global_dir and sieve_global_path are reported.
import type { Placed } from '../model/model';
import type { SettingNode } from '../syntax/nodes';
import { rawValueOf, type MigrationContext } from './context';
import { converted, notConverted } from './report';
import { convertVariables } from './variables';

export const SIEVE_RULE = 'sieve-script';

const TYPES: Readonly<Record<string, string>> = {
  sieve: 'personal',
  sieve_before: 'before',
  sieve_after: 'after',
  sieve_default: 'default',
  sieve_global: 'global',
  sieve_discard: 'discard',
};

const LOCATION_OPTIONS: Readonly<Record<string, string>> = { active: 'active_path', name: 'name', bindir: 'bin_path' };
const REMOVED = new Set(['sieve_dir', 'sieve_global_dir', 'sieve_global_path']);

/** `sieve_before2` → ['sieve_before', '2']. */
function scriptKey(key: string): { base: string; index: string } | undefined {
  const match = /^(sieve(?:_before|_after|_default|_global|_discard)?)(\d*)$/.exec(key);
  return match ? { base: match[1], index: match[2] } : undefined;
}

export interface ScriptBlock {
  lines: string[];
  left: string[];
}

/** A 2.3 Sieve location as the lines of a 2.4 sieve_script block. */
export function sieveScriptBlock(name: string, type: string, location: string): ScriptBlock {
  const [main, ...options] = location.split(';');
  const colon = /^([a-z]+):(.*)$/.exec(main);
  const driver = colon ? colon[1] : 'file';
  const path = colon ? colon[2] : main;
  const lines = [
    `sieve_script ${name} {`,
    `  type = ${type}`,
    `  driver = ${driver}`,
    `  path = ${rawValueOf(convertVariables(path).value)}`,
  ];
  const left: string[] = [];
  for (const option of options) {
    const eq = option.indexOf('=');
    const key = eq < 0 ? option : option.slice(0, eq);
    const setting = LOCATION_OPTIONS[key];
    if (setting) lines.push(`  ${setting} = ${rawValueOf(convertVariables(option.slice(eq + 1)).value)}`);
    else left.push(option);
  }
  lines.push('}');
  return { lines, left };
}

export function applySieveScripts(ctx: MigrationContext): void {
  const names = new Set<string>();
  for (const placed of ctx.liveSettings()) {
    if (!placed.frames.some((frame) => frame.section.type === 'plugin')) continue;
    const key = placed.node.key;
    if (REMOVED.has(key)) {
      reportRemoved(ctx, placed);
      continue;
    }
    const parts = scriptKey(key);
    if (!parts) continue;
    const at = { file: placed.file, range: placed.node.range };
    if (placed.node.value === '') {
      ctx.commentOut(placed.file, placed.node.range, `empty ${key}: no script`);
      converted(ctx, at, SIEVE_RULE, `${key} is empty (no script): commented out.`);
      continue;
    }
    if (placed.node.range.start.line !== placed.node.range.end.line) {
      ctx.commentOut(placed.file, placed.node.range, `${key} needs converting by hand`);
      notConverted(
        ctx,
        at,
        SIEVE_RULE,
        `${key} spans several lines: commented out.`,
        'Write a sieve_script block by hand.',
      );
      continue;
    }
    const type = TYPES[parts.base];
    let name = parts.base === 'sieve' ? 'personal' : `${type}${parts.index}`;
    for (let n = 2; names.has(name); n++) name = `${type}${parts.index}_${n}`;
    names.add(name);
    const block = sieveScriptBlock(name, type, placed.node.value);
    ctx.replaceSettingLine(
      placed,
      block.left.length > 0
        ? [...block.lines, `# [2.4 migration] location options not converted: ${block.left.join(';')}`]
        : block.lines,
    );
    if (block.left.length > 0) {
      notConverted(
        ctx,
        at,
        SIEVE_RULE,
        `${key} = ${placed.node.value} became sieve_script ${name} { }, except the options ${block.left.join(';')}.`,
        'Add the 2.4 sieve_script settings for these options by hand.',
      );
    } else {
      converted(ctx, at, SIEVE_RULE, `${key} = ${placed.node.value} became sieve_script ${name} { type = ${type} }.`);
    }
  }
}

function reportRemoved(ctx: MigrationContext, placed: Placed<SettingNode>): void {
  ctx.commentOut(placed.file, placed.node.range, `${placed.node.key} is removed in 2.4`);
  notConverted(
    ctx,
    { file: placed.file, range: placed.node.range },
    SIEVE_RULE,
    `${placed.node.key} does not exist in Dovecot 2.4: commented out.`,
    'Describe the script storage with a sieve_script block (type personal or global, driver, path).',
  );
}
