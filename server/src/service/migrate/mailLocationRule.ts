// `mail_location = driver:path:KEY=VALUE...` (and `location` inside namespace { }) split into the 2.4
// mail_driver, mail_path and the settings that replace each parameter (migration-2.4.json).
import type { Placed } from '../model/model';
import type { SettingNode } from '../syntax/nodes';
import { innermost, rawValueOf, type MigrationContext } from './context';
import { MAIL_LOCATION_PARAMETERS, SHARED_LOCATION_VARIABLES, SHARED_PREFIX_VARIABLES } from './facts';
import { converted, needsReview, notConverted, leftToHand } from './report';
import { convertVariables } from './variables';

export const MAIL_LOCATION_RULE = 'mail-location';

/** Mail storage drivers of 2.3 that 2.4 still has (mail_driver values). */
const DRIVERS: ReadonlySet<string> = new Set([
  'maildir',
  'mbox',
  'mdbox',
  'sdbox',
  'dbox',
  'imapc',
  'pop3c',
  'raw',
  'shared',
  'virtual',
  'fail',
]);

export interface SplitLocation {
  settings: [string, string][];
  problems: string[];
}

/** Splits on `:` not doubled (`::` is a literal colon in 2.3 locations). */
function splitColons(location: string): string[] {
  const parts: string[] = [];
  let current = '';
  for (let i = 0; i < location.length; i++) {
    if (location[i] === ':' && location[i + 1] === ':') {
      current += ':';
      i++;
    } else if (location[i] === ':') {
      parts.push(current);
      current = '';
    } else {
      current += location[i];
    }
  }
  parts.push(current);
  return parts;
}

/** The 2.4 settings that say what a 2.3 mail location said. */
export function splitMailLocation(location: string): SplitLocation {
  const parts = splitColons(location);
  const problems: string[] = [];
  let driver = parts[0];
  let rest = parts.slice(1);
  if (!DRIVERS.has(driver)) {
    if (parts.length === 1 || location.startsWith('/') || location.startsWith('~')) {
      return { settings: [], problems: [`"${location}" names no mail storage driver (2.3 guessed it from the path)`] };
    }
    return { settings: [], problems: [`unknown mail storage driver "${driver}"`] };
  }
  if (driver === 'dbox') driver = 'sdbox';
  const settings: [string, string][] = [['mail_driver', driver]];
  const [pathPart, ...params] = rest;
  if (pathPart !== undefined && pathPart !== '') settings.push(['mail_path', pathPart]);
  rest = params;
  for (const param of rest) {
    if (param === '') continue;
    const eq = param.indexOf('=');
    const name = eq < 0 ? param : param.slice(0, eq);
    const value = eq < 0 ? '' : param.slice(eq + 1);
    const fact = MAIL_LOCATION_PARAMETERS.find((row) => row.param === name);
    if (!fact) {
      problems.push(`unknown location parameter ${name}`);
      continue;
    }
    settings.push([fact.setting, fact.fixedValue ?? (name === 'LAYOUT' ? value.toLowerCase() : value)]);
    for (const [extraKey, extraValue] of Object.entries(fact.extra ?? {})) settings.push([extraKey, extraValue]);
  }
  return { settings, problems };
}

/** 2.3's escaped owner variables of a shared namespace location (`%%h`) as 2.4's owner_* variables. */
export function ownerVariables(value: string): string {
  return value.replace(/%%([undh])/g, (_all, letter: string) => SHARED_LOCATION_VARIABLES[letter]);
}

/** The shared namespace prefix names its owner with $user, $username, $domain in 2.4, %u, %n, %d in 2.3 (migration-2.4.json sharedNamespace). */
export function sharedPrefix(value: string): string {
  return value.replace(/%%([und])/g, (_all, letter: string) => SHARED_PREFIX_VARIABLES[letter]);
}

function convertSharedPrefix(ctx: MigrationContext, placed: Placed<SettingNode>): void {
  const section = innermost(placed.frames);
  const prefix = ctx.liveSettings().find((other) => other.node.key === 'prefix' && innermost(other.frames) === section);
  if (!prefix) return;
  const raw = ctx.currentRawValue(prefix);
  const rewritten = sharedPrefix(raw);
  if (rewritten === raw || !ctx.setRawValue(prefix, rewritten)) return;
  needsReview(
    ctx,
    { file: prefix.file, range: prefix.node.range },
    MAIL_LOCATION_RULE,
    `The shared namespace prefix ${raw} became ${rewritten}: 2.4 names the owner with $user, $username, $domain here.`,
    'Check that clients still see the shared folders under the same names.',
  );
}

function isLocationSetting(placed: Placed<SettingNode>): boolean {
  if (placed.node.key === 'mail_location') return true;
  return placed.node.key === 'location' && innermost(placed.frames)?.type === 'namespace';
}

export function applyMailLocation(ctx: MigrationContext): void {
  for (const placed of ctx.liveSettings()) {
    if (!isLocationSetting(placed)) continue;
    const at = { file: placed.file, range: placed.node.range };
    const key = placed.node.key;
    if (
      placed.node.valueKind === 'file' ||
      placed.node.variables.length > 0 ||
      placed.node.range.start.line !== placed.node.range.end.line
    ) {
      leftToHand(
        ctx,
        placed,
        MAIL_LOCATION_RULE,
        `${key} needs converting by hand`,
        `${key} is read from a file, uses $variables or spans lines: not converted, commented out.`,
        'Write mail_driver, mail_path and the other mail_* settings by hand.',
      );
      continue;
    }
    if (placed.node.value === '') {
      ctx.commentOut(placed.file, placed.node.range, `empty ${key}: 2.4 has no such setting`);
      if (key === 'location')
        converted(
          ctx,
          at,
          MAIL_LOCATION_RULE,
          'An empty namespace location (use the default) needs no setting in 2.4: commented out.',
        );
      else
        needsReview(
          ctx,
          at,
          MAIL_LOCATION_RULE,
          'An empty mail_location made 2.3 look for the mail in the usual places; 2.4 has no such search by default: commented out.',
          'Set mail_driver and mail_path to where the mail is.',
        );
      continue;
    }
    const split = splitMailLocation(placed.node.value);
    if (split.settings.length === 0) {
      leftToHand(
        ctx,
        placed,
        MAIL_LOCATION_RULE,
        `${key} needs converting by hand`,
        `${key}: ${split.problems.join('; ')}: commented out.`,
        'Write mail_driver, mail_path and the other mail_* settings by hand.',
      );
      continue;
    }
    const shared =
      innermost(placed.frames)?.children.some(
        (child) => child.kind === 'setting' && child.key === 'type' && child.value === 'shared',
      ) === true;
    const lines = split.settings.map(
      ([name, value]) => `${name} = ${rawValueOf(convertVariables(shared ? ownerVariables(value) : value).value)}`,
    );
    ctx.replaceSettingLine(placed, lines);
    if (shared) convertSharedPrefix(ctx, placed);
    const what = `${key} = ${placed.node.value} became ${split.settings.map(([name, value]) => `${name} = ${value}`).join(', ')}`;
    if (split.problems.length > 0) {
      notConverted(
        ctx,
        at,
        MAIL_LOCATION_RULE,
        `${what}; left out: ${split.problems.join('; ')}.`,
        'Add the 2.4 settings for the parameters left out by hand.',
      );
    } else if (shared) {
      needsReview(
        ctx,
        at,
        MAIL_LOCATION_RULE,
        `${what}. In a shared namespace 2.3 wrote the owner's variables as %%u, %%n, %%d, %%h; they became %{owner_user}, %{owner_user | username}, %{owner_user | domain}, %{owner_home}.`,
        'Check the shared namespace paths: the owner_* variables stand for the user who shares, the others for the user who reads.',
      );
    } else {
      converted(ctx, at, MAIL_LOCATION_RULE, `${what}.`);
    }
  }
}
