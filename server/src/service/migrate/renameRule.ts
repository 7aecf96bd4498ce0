// Settings 2.4 renamed (renames-2.3-to-2.4.json kinds "renamed" and "replaced"): the key is rewritten
// in place, shortened inside the block whose prefix it carries (service_idle_kill_interval is
// written idle_kill_interval inside service { }). Values that changed meaning are rewritten too. An old name
// 2.4 still knows as an alias gets the name it stands for: Dovecot 2.4 aborts on the alias.
import type { Placed } from '../model/model';
import { findSetting24 } from '../schema/schema24';
import type { SettingNode } from '../syntax/nodes';
import { innermost, rawValueOf, type MigrationContext } from './context';
import { RENAME_BY_OLD } from './facts';
import { converted, needsReview, leftToHand } from './report';
import { SSL_FILE_KEYS } from './sslRule';

export const RENAME_RULE = 'rename';

/** Keys other rules convert (their value or place changes, not only the name). */
export const CONVERTED_ELSEWHERE: ReadonlySet<string> = new Set([
  'mail_location',
  'location',
  ...SSL_FILE_KEYS,
  'default_fields',
  'override_fields',
  'sieve_dir',
  'sieve_global_dir',
  'sieve_global_path',
]);

type ValueRewrite = (value: string) => string | undefined;

const VALUE_REWRITES: Readonly<Record<string, ValueRewrite>> = {
  disable_plaintext_auth: (value) => (({ yes: 'no', no: 'yes' }) as Record<string, string>)[value],
  ssl_prefer_server_ciphers: (value) => (({ yes: 'server', no: 'client' }) as Record<string, string>)[value],
  service_count: (value) => (value === '0' ? 'unlimited' : /^\d+$/.test(value) ? value : undefined),
  verbose_ssl: (value) => (value === 'yes' ? 'category=ssl' : undefined),
  acl_anyone: (value) => (({ allow: 'yes', forbid: 'no' }) as Record<string, string>)[value],
};

function writtenName(placed: Placed<SettingNode>, name: string): string {
  const section = innermost(placed.frames);
  if (!section) return name;
  const prefix = `${section.type}_`;
  return name.startsWith(prefix) ? name.slice(prefix.length) : name;
}

function targetName(placed: Placed<SettingNode>, key: string, fallback: string): string {
  if (key === 'service_count') return 'service_restart_request_count';
  if (key === 'idle_kill') return 'service_idle_kill_interval';
  return fallback;
}

/** The setting a 2.3 alias stands for, when 2.4 keeps the old name only to abort on it (doveadm_proxy_port). */
function abortingAliasOf(key: string): string | undefined {
  const info = findSetting24(key);
  return info?.type === 'alias' ? info.aliasOf : undefined;
}

/** The `ssl` lines of the tree: the global value last set, and the blocks that set another. */
function sslSettings(ctx: MigrationContext): { global?: string; otherBlocks: string[] } {
  const ssl = ctx.model.settings.filter((placed) => placed.node.key === 'ssl');
  const global = ssl.filter((placed) => placed.frames.length === 0).pop()?.node.value;
  const otherBlocks = ssl
    .filter((placed) => placed.frames.length > 0 && placed.node.value !== 'required')
    .map(({ frames }) => frames.map(({ section }) => `${section.type} ${section.name}`.trim()).join(' / '));
  return { global, otherBlocks };
}

/**
 * A global disable_plaintext_auth = no under a global ssl = required: Dovecot 2.4 refuses auth_allow_cleartext =
 * yes there (login_settings_check@2.4.4), which 2.3 let pass. With no block that lowers ssl it had no effect
 * (every login is over TLS) and goes; otherwise it belongs in those blocks, which the admin writes.
 */
function cleartextUnderRequiredSsl(ctx: MigrationContext, placed: Placed<SettingNode>): boolean {
  if (placed.node.key !== 'disable_plaintext_auth' || placed.node.value !== 'no' || placed.frames.length > 0)
    return false;
  const ssl = sslSettings(ctx);
  if (ssl.global !== 'required') return false;
  const refused =
    'Dovecot 2.4 refuses auth_allow_cleartext = yes with a global ssl = required ("auth_allow_cleartext=yes has no effect with ssl=required")';
  if (ssl.otherBlocks.length > 0) {
    leftToHand(
      ctx,
      placed,
      RENAME_RULE,
      'disable_plaintext_auth = no under ssl = required',
      `disable_plaintext_auth = no: ${refused}; it had an effect only in ${ssl.otherBlocks.join(', ')}, where ssl is not required. Commented out.`,
      `Write auth_allow_cleartext = yes inside ${ssl.otherBlocks.join(', ')}.`,
    );
    return true;
  }
  ctx.commentOut(placed.file, placed.node.range, 'no effect with ssl = required; Dovecot 2.4 refuses it');
  converted(
    ctx,
    { file: placed.file, range: placed.node.range },
    RENAME_RULE,
    `disable_plaintext_auth = no had no effect with ssl = required (every login is over TLS), and ${refused}: commented out.`,
  );
  return true;
}

export function applyRenames(ctx: MigrationContext): void {
  for (const placed of ctx.liveSettings()) {
    const key = placed.node.key;
    if (cleartextUnderRequiredSsl(ctx, placed)) continue;
    const aliasOf = abortingAliasOf(key);
    if (aliasOf !== undefined) {
      ctx.setKey(placed, aliasOf);
      converted(
        ctx,
        { file: placed.file, range: placed.node.range },
        RENAME_RULE,
        `${key} became ${aliasOf}, the setting it stands for: Dovecot 2.4 aborts on the old name.`,
      );
      continue;
    }
    const fact = RENAME_BY_OLD.get(key);
    if (!fact || fact.kind === 'removed' || !fact.new || CONVERTED_ELSEWHERE.has(key)) continue;
    const written = writtenName(placed, targetName(placed, key, fact.new));
    const at = { file: placed.file, range: placed.node.range };
    const rewrite = Object.hasOwn(VALUE_REWRITES, key) ? VALUE_REWRITES[key] : undefined;
    if (rewrite && placed.node.valueKind === 'file') {
      leftToHand(
        ctx,
        placed,
        RENAME_RULE,
        `${key} reads its value from a file; 2.4 cannot`,
        `${key} = <${placed.node.value}: ${fact.new} cannot read its value from a file in 2.4 and the value changes meaning; commented out.`,
        `Write ${fact.new} with the 2.4 value.`,
      );
      continue;
    }
    if (rewrite) {
      const value = rewrite(placed.node.value);
      if (value === undefined) {
        if (key === 'verbose_ssl' && placed.node.value === 'no') {
          ctx.commentOut(placed.file, placed.node.range, 'verbose_ssl = no is the 2.4 default (no log_debug)');
          converted(ctx, at, RENAME_RULE, 'verbose_ssl = no is what 2.4 does by default: commented out.');
          continue;
        }
        ctx.setKey(placed, written);
        needsReview(
          ctx,
          at,
          RENAME_RULE,
          `${key} is ${fact.new} in Dovecot 2.4 and its value changed meaning (${fact.note ?? 'see the 2.4 documentation'}); the value "${placed.node.value}" was kept.`,
          `Write the 2.4 value of ${fact.new} by hand.`,
        );
        continue;
      }
      ctx.setKey(placed, written);
      ctx.setRawValue(placed, rawValueOf(value));
      converted(
        ctx,
        at,
        RENAME_RULE,
        `${key} = ${placed.node.value} became ${written} = ${value}${fact.note ? ` (${fact.note})` : ''}.`,
      );
      continue;
    }
    ctx.setKey(placed, written);
    if (fact.kind === 'replaced') {
      needsReview(
        ctx,
        at,
        RENAME_RULE,
        `${key} was replaced by ${fact.new} in Dovecot 2.4${fact.note ? ` (${fact.note})` : ''}.`,
        `Check that the value suits ${fact.new}.`,
      );
    } else {
      converted(ctx, at, RENAME_RULE, `${key} was renamed ${written} in Dovecot 2.4.`);
    }
  }
}
