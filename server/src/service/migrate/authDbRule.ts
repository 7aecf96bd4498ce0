// `passdb { driver = X }` / `userdb { }` become named filters (`passdb X { }`), and the driver's
// args string becomes 2.4 settings where 2.4 has them (migration-2.4.json authDrivers).
import type { Placed } from '../model/model';
import type { SectionNode, SettingNode } from '../syntax/nodes';
import { rawValueOf, type MigrationContext } from './context';
import { AUTH_DRIVERS, FIELDS_DEFAULT_SUFFIX } from './facts';
import { converted, needsReview, notConverted, shown, leftToHand } from './report';
import { SHORT_VARIABLES_23 } from '../schema/varExpand24';
import { convertVariables } from './variables';

export const AUTH_DB_RULE = 'auth-db';

function childSetting(section: SectionNode, key: string): SettingNode | undefined {
  return section.children.find((child): child is SettingNode => child.kind === 'setting' && child.key === key);
}

function placedChild(
  ctx: MigrationContext,
  section: SectionNode,
  node: SettingNode | undefined,
): Placed<SettingNode> | undefined {
  if (!node) return undefined;
  return ctx.liveSettings().find((placed) => placed.node === node);
}

/** Names already given to passdb or userdb filters, so a second `passdb { driver = sql }` gets sql2. */
class FilterNames {
  private readonly used = new Map<string, Set<string>>();

  take(type: string, wanted: string): string {
    const names = this.used.get(type) ?? new Set<string>();
    this.used.set(type, names);
    let name = wanted;
    for (let n = 2; names.has(name); n++) name = `${wanted}${n}`;
    names.add(name);
    return name;
  }
}

function sectionName(text: string): string {
  return /^[\w.-]+$/.test(text) ? text : `"${text.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

/** `key=value key2=value2 path` as 2.3 driver args write them. */
function argWords(args: string): string[] {
  return args.split(/\s+/).filter((word) => word !== '');
}

export function applyAuthDbs(ctx: MigrationContext): void {
  const names = new FilterNames();
  for (const placed of ctx.liveSections()) {
    const section = placed.node;
    if ((section.type !== 'passdb' && section.type !== 'userdb') || section.name !== '') {
      if ((section.type === 'passdb' || section.type === 'userdb') && section.name !== '')
        names.take(section.type, section.name);
      continue;
    }
    convertAuthDb(ctx, placed, names);
  }
}

function convertAuthDb(ctx: MigrationContext, placed: Placed<SectionNode>, names: FilterNames): void {
  const section = placed.node;
  const header = { file: placed.file, range: section.headerRange };
  const driver = childSetting(section, 'driver')?.value ?? '';
  const fact = AUTH_DRIVERS.find((row) => row.driver === driver);
  if (driver === '' || fact?.convert === 'removed') {
    ctx.commentOut(
      placed.file,
      section.range,
      driver === '' ? `${section.type} without a driver` : `${section.type} driver ${driver} is removed in 2.4`,
    );
    notConverted(
      ctx,
      header,
      AUTH_DB_RULE,
      driver === ''
        ? `${section.type} { } without a driver: commented out.`
        : `The ${driver} ${section.type} does not exist in Dovecot 2.4: commented out.`,
      fact?.argsNote ?? `Give the ${section.type} a 2.4 driver.`,
    );
    return;
  }
  const name = names.take(section.type, driver);
  const edits = ctx.editsOf(placed.file);
  const typeEnd = section.typeRange.end;
  edits.splice(typeEnd.line, typeEnd.character, typeEnd.character, ` ${sectionName(name)}`);
  ctx.named.add(section);
  converted(
    ctx,
    header,
    AUTH_DB_RULE,
    `${section.type} { driver = ${driver} } became the named filter ${section.type} ${name} { }.${fact?.note ? ` ${fact.note}` : ''}`,
  );
  const args = placedChild(ctx, section, childSetting(section, 'args'));
  if (args) convertArgs(ctx, section.type, driver, args);
  for (const key of ['default_fields', 'override_fields']) {
    const fields = placedChild(ctx, section, childSetting(section, key));
    if (fields) convertFields(ctx, section.type, fields);
  }
}

function convertArgs(ctx: MigrationContext, type: string, driver: string, args: Placed<SettingNode>): void {
  const at = { file: args.file, range: args.node.range };
  const words = argWords(args.node.value);
  if (words.length === 0) {
    ctx.commentOut(args.file, args.node.range, 'empty args: 2.4 has no args setting');
    converted(ctx, at, AUTH_DB_RULE, 'The empty args line is not needed in 2.4: commented out.');
    return;
  }
  const fact = AUTH_DRIVERS.find((row) => row.driver === driver);
  if (args.node.range.start.line !== args.node.range.end.line || args.node.valueKind === 'file') {
    leftToHand(
      ctx,
      args,
      AUTH_DB_RULE,
      `${type} args need converting by hand`,
      `The args of the ${driver} ${type} span several lines or come from a file: commented out.`,
      fact?.argsNote ?? 'Write the 2.4 settings of this driver by hand.',
    );
    return;
  }
  if (driver === 'passwd-file') return convertPasswdFileArgs(ctx, type, args, words);
  if (driver === 'static') return convertStaticArgs(ctx, type, args, words);
  if (driver === 'bsdauth' || driver === 'lua') return convertWorkerArgs(ctx, type, driver, args, words);
  ctx.commentOut(args.file, args.node.range, `${type} args have no 2.4 form: convert by hand`);
  const external = fact?.convert === 'person' ? ` The file ${words[words.length - 1]} is left as it was.` : '';
  notConverted(
    ctx,
    at,
    AUTH_DB_RULE,
    `args = ${shown('args', args.node.value)} of the ${driver} ${type}: Dovecot 2.4 has no args setting; commented out.${external}`,
    fact?.argsNote ?? `Write the 2.4 settings of the ${driver} driver by hand.`,
  );
}

function convertPasswdFileArgs(ctx: MigrationContext, type: string, args: Placed<SettingNode>, words: string[]): void {
  const at = { file: args.file, range: args.node.range };
  const lines: string[] = [];
  const left: string[] = [];
  for (const word of words) {
    const eq = word.indexOf('=');
    if (eq < 0) lines.push(`passwd_file_path = ${rawValueOf(convertVariables(word).value)}`);
    else if (word.startsWith('scheme=') && type === 'passdb')
      lines.push(`default_password_scheme = ${rawValueOf(word.slice(eq + 1))}`);
    else if (word === 'username_format=%u' || word === 'username_format=%{user}') continue;
    else left.push(word);
  }
  if (left.length > 0) {
    argsLeftForAdmin(
      ctx,
      args,
      lines,
      left,
      `passwd-file args: ${left.join(' ')} have no 2.4 setting here.`,
      'username_format= is gone: put the %{user} variables into passwd_file_path instead.',
    );
    return;
  }
  ctx.replaceSettingLine(args, lines);
  converted(ctx, at, AUTH_DB_RULE, `passwd-file args = ${shown('args', args.node.value)} became ${lines.join(', ')}.`);
}

/** Writes `lines` for the args line, with the words not converted in a comment, and reports them to the admin. */
function argsLeftForAdmin(
  ctx: MigrationContext,
  args: Placed<SettingNode>,
  lines: string[],
  left: readonly string[],
  message: string,
  action: string,
): void {
  ctx.replaceSettingLine(args, [...lines, `# [2.4 migration] args not converted: ${left.join(' ')}`]);
  notConverted(ctx, { file: args.file, range: args.node.range }, AUTH_DB_RULE, message, action);
}

/**
 * The 2.3 args of the drivers that ran in auth workers unless blocking=no (lua, bsdauth; 2.3 refused any
 * other word): 2.4 runs them in workers by default too, and blocking=no is use_worker = no. A lua script's
 * file= is lua_file, a lua passdb's scheme= is default_password_scheme. cache_key= has no 2.4 setting: a
 * lua script gives its key from auth_passdb_get_cache_key() / auth_userdb_get_cache_key().
 */
function convertWorkerArgs(
  ctx: MigrationContext,
  type: string,
  driver: string,
  args: Placed<SettingNode>,
  words: string[],
): void {
  const at = { file: args.file, range: args.node.range };
  const lines: string[] = [];
  const left: string[] = [];
  const actions: string[] = [];
  for (const word of words) {
    const eq = word.indexOf('=');
    const key = eq < 0 ? word : word.slice(0, eq);
    const value = word.slice(eq + 1);
    if (word === 'blocking=yes') continue;
    else if (word === 'blocking=no') lines.push('use_worker = no');
    else if (driver === 'lua' && key === 'file' && value !== '') lines.push(`lua_file = ${rawValueOf(value)}`);
    else if (driver === 'lua' && key === 'scheme' && type === 'passdb' && value !== '')
      lines.push(`default_password_scheme = ${rawValueOf(value)}`);
    else if (driver === 'lua' && key === 'cache_key' && value === '') continue;
    else {
      left.push(word);
      if (driver === 'lua' && key === 'cache_key') actions.push(cacheKeyAction(type, value));
    }
  }
  const fact = AUTH_DRIVERS.find((row) => row.driver === driver);
  if (left.length > 0) {
    argsLeftForAdmin(
      ctx,
      args,
      lines,
      left,
      `${driver} ${type} args: ${left.join(' ')} ${left.length === 1 ? 'has' : 'have'} no 2.4 setting.`,
      [...actions, capitalized(fact?.argsNote ?? `Write the 2.4 settings of the ${driver} driver by hand.`)].join(' '),
    );
    return;
  }
  if (lines.length === 0) ctx.commentOut(args.file, args.node.range, `${type} args: nothing left to set in 2.4`);
  else ctx.replaceSettingLine(args, lines);
  converted(
    ctx,
    at,
    AUTH_DB_RULE,
    `${driver} args = ${shown('args', args.node.value)} became ${lines.length === 0 ? 'nothing: 2.4 runs this driver in auth worker processes by default, as blocking=yes did' : lines.join(', ')}.`,
  );
}

/** The letters of 2.3 auth request variables (src/auth/auth-request-var-expand.c@2.3.21) and their 2.4 names (@2.4.4). */
const AUTH_VARIABLES_23: Readonly<Record<string, string>> = {
  ...SHORT_VARIABLES_23,
  p: '%{client_pid}',
  w: '%{password}',
  m: '%{mechanism}',
  c: '%{secured}',
  a: '%{local_port}',
  b: '%{remote_port}',
  k: '%{cert}',
};

function cacheKeyAction(type: string, key23: string): string {
  const key24 = convertVariables(key23, AUTH_VARIABLES_23);
  const complete = key24.unknown.length === 0 && !/%[^%{]/.test(key24.value.replace(/%%/g, ''));
  return complete
    ? `Make the script's auth_${type}_get_cache_key() function return "${key24.value}" (the 2.3 cache key in 2.4 variables).`
    : `Make the script's auth_${type}_get_cache_key() function return the 2.3 cache key ${key23} written with 2.4 variables.`;
}

function capitalized(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1) + (text.endsWith('.') ? '' : '.');
}

function convertStaticArgs(ctx: MigrationContext, type: string, args: Placed<SettingNode>, words: string[]): void {
  const at = { file: args.file, range: args.node.range };
  const lines: string[] = [];
  const fields: string[] = [];
  for (const word of words) {
    const eq = word.indexOf('=');
    const key = eq < 0 ? word : word.slice(0, eq);
    const value = eq < 0 ? 'yes' : word.slice(eq + 1);
    if (type === 'userdb' && key === 'allow_all_users') lines.push(`static_allow_all_users = ${value}`);
    else if (type === 'passdb' && key === 'password') lines.push(`static_password = ${rawValueOf(value)}`);
    else fields.push(`  ${key} = ${rawValueOf(convertVariables(value).value)}`);
  }
  if (fields.length > 0) lines.push('fields {', ...fields, '}');
  ctx.replaceSettingLine(args, lines);
  const what = type === 'passdb' ? 'the static passdb args' : `static args = ${shown('args', args.node.value)}`;
  converted(
    ctx,
    at,
    AUTH_DB_RULE,
    `${what} became ${fields.length > 0 ? `a fields { } block of ${fields.length} field${fields.length === 1 ? '' : 's'}` : ''}${fields.length > 0 && lines.length > fields.length + 2 ? ' and ' : ''}${
      lines.length > fields.length + 2 || fields.length === 0
        ? lines
            .filter((line) => !line.startsWith(' ') && line !== '}' && line !== 'fields {')
            .map((line) => line.replace(/=.*/, '').trim())
            .join(', ')
        : ''
    }.`,
  );
}

function convertFields(ctx: MigrationContext, type: string, fields: Placed<SettingNode>): void {
  const at = { file: fields.file, range: fields.node.range };
  const key = fields.node.key;
  if (fields.node.range.start.line !== fields.node.range.end.line || fields.node.valueKind === 'file') {
    leftToHand(
      ctx,
      fields,
      AUTH_DB_RULE,
      `${key} needs converting by hand`,
      `${key} spans lines or comes from a file: commented out.`,
      `Write a fields { } block inside the ${type}.`,
    );
    return;
  }
  const lines = argWords(fields.node.value).map((word) => {
    const eq = word.indexOf('=');
    const name = eq < 0 ? word : word.slice(0, eq);
    const value = eq < 0 ? 'yes' : word.slice(eq + 1);
    return `  ${key === 'default_fields' ? `${name}${FIELDS_DEFAULT_SUFFIX}` : name} = ${rawValueOf(convertVariables(value).value)}`;
  });
  ctx.replaceSettingLine(fields, ['fields {', ...lines, '}']);
  needsReview(
    ctx,
    at,
    AUTH_DB_RULE,
    `${key} became a fields { } block of the ${type}${key === 'default_fields' ? ' (each name with :default, so the value applies only when the database gives none)' : ''}.`,
    'Check the block against the 2.4 passdb_fields/userdb_fields documentation.',
  );
}
