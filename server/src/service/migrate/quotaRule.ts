// The quota plugin's `quota = driver:name` and `quota_rule = *:storage=1G` become a 2.4
// `quota "name" { driver = ... }` block and quota_storage_size / quota_message_count
// (docs 2.4-converted-settings.inc). Other quota rules and warnings are reported.
import type { Placed } from '../model/model';
import type { SettingNode } from '../syntax/nodes';
import type { MigrationContext } from './context';
import { converted, leftToHand } from './report';

export const QUOTA_RULE = 'quota';

const DRIVERS_24: ReadonlySet<string> = new Set(['count', 'fs', 'imapc', 'maildir']);
const LIMITS: Readonly<Record<string, string>> = {
  storage: 'quota_storage_size',
  bytes: 'quota_storage_size',
  messages: 'quota_message_count',
};

function inPlugin(placed: Placed<SettingNode>): boolean {
  return placed.frames.some((frame) => frame.section.type === 'plugin');
}

function quoted(name: string): string {
  return /^[\w.-]+$/.test(name) ? name : `"${name.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

/** `*:storage=1G:messages=1000` → [[quota_storage_size, 1G], [quota_message_count, 1000]]; undefined when not that form. */
export function defaultQuotaRule(value: string): [string, string][] | undefined {
  const [mailbox, ...limits] = value.split(':');
  if (mailbox !== '*' || limits.length === 0) return undefined;
  const settings: [string, string][] = [];
  for (const limit of limits) {
    const match = /^(storage|bytes|messages)=(\d+[a-zA-Z%]*)$/.exec(limit);
    if (!match || match[2].endsWith('%')) return undefined;
    const size = match[1] === 'storage' && /^\d+$/.test(match[2]) ? `${match[2]}k` : match[2];
    settings.push([
      LIMITS[match[1]],
      size.replace(/^(\d+)([kmgt])$/i, (_all, n: string, unit: string) => `${n}${unit.toUpperCase()}`),
    ]);
  }
  return settings;
}

export function applyQuota(ctx: MigrationContext): void {
  for (const placed of ctx.liveSettings()) {
    if (!inPlugin(placed) || placed.node.range.start.line !== placed.node.range.end.line) continue;
    const key = placed.node.key;
    const at = { file: placed.file, range: placed.node.range };
    if (key === 'quota') {
      const [driver, name = 'User quota', ...params] = placed.node.value.split(':');
      if (!DRIVERS_24.has(driver) || params.length > 0) {
        leftToHand(
          ctx,
          placed,
          QUOTA_RULE,
          'quota needs converting by hand',
          `quota = ${placed.node.value}: ${DRIVERS_24.has(driver) ? `the options ${params.join(':')} have no automatic 2.4 form` : `the ${driver} quota backend does not exist in 2.4`}; commented out.`,
          'Write a quota "NAME" { driver = count|fs|imapc|maildir } block by hand (count replaces dict and dirsize).',
        );
        continue;
      }
      ctx.replaceSettingLine(placed, [`quota ${quoted(name)} {`, `  driver = ${driver}`, '}']);
      converted(
        ctx,
        at,
        QUOTA_RULE,
        `quota = ${placed.node.value} became quota ${quoted(name)} { driver = ${driver} }.`,
      );
    } else if (key === 'quota_rule') {
      const settings = defaultQuotaRule(placed.node.value);
      if (!settings) {
        leftToHand(
          ctx,
          placed,
          QUOTA_RULE,
          'quota_rule needs converting by hand',
          `quota_rule = ${placed.node.value} has no automatic 2.4 form: commented out.`,
          'Write quota_storage_size / quota_message_count (inside a mailbox { } block for per-mailbox rules) by hand.',
        );
        continue;
      }
      ctx.replaceSettingLine(
        placed,
        settings.map(([name, value]) => `${name} = ${value}`),
      );
      converted(
        ctx,
        at,
        QUOTA_RULE,
        `quota_rule = ${placed.node.value} became ${settings.map(([name, value]) => `${name} = ${value}`).join(', ')}.`,
      );
    } else if (/^quota_(rule|warning)\d*$/.test(key) || /^quota\d+$/.test(key)) {
      leftToHand(
        ctx,
        placed,
        QUOTA_RULE,
        `${key} needs converting by hand`,
        `${key} = ${placed.node.value} has no automatic 2.4 form: commented out.`,
        key.startsWith('quota_warning')
          ? 'Write a quota_warning NAME { quota_warning_resource, quota_warning_threshold, execute } block by hand.'
          : 'Write the 2.4 quota settings for it by hand (per-mailbox limits go inside mailbox { } blocks).',
      );
    }
  }
}
