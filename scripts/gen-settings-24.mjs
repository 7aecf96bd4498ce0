// Dovecot 2.4 part of scripts/gen-settings.mjs: builds server/src/service/schema/settings-2.4.json.
//
// Inputs (all in data/dovecot/):
//   settings-2.4.4-names.tsv   best-effort 2.4.4 inventory (name, type, C default literal, enum values, source)
//   descriptions-2.4.json      our own descriptions, keyed by setting name; every other setting gets a
//                              short description generated from its type and default
//   mail-plugins-2.4.json      hand-written table of the mail plugins that still exist in 2.4
//
// 2.4 has no settings hierarchy (FACTS §4.2): every row is one global name, so there is no context column.
// The TSV lists a name once per settings struct that defines it; the rows are merged by name.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const DATA = join(ROOT, 'data', 'dovecot');
export const TSV_24 = join(DATA, 'settings-2.4.4-names.tsv');
export const OUTPUT_24 = join(ROOT, 'server', 'src', 'service', 'schema', 'settings-2.4.json');

const TYPE_MAP_24 = {
  SET_BOOL: 'bool',
  SET_UINT: 'uint',
  SET_UINTMAX: 'uint',
  SET_UINT_OCT: 'octal',
  SET_TIME: 'time',
  SET_TIME_MSECS: 'time_msecs',
  SET_SIZE: 'size',
  SET_IN_PORT: 'port',
  SET_ENUM: 'enum',
  SET_STR: 'string',
  SET_STR_NFC: 'string',
  SET_STR_NOVARS: 'string_novars',
  SET_FILE: 'file',
  SET_BOOLLIST: 'boollist',
  SET_STRLIST: 'strlist',
  SET_FILTER_NAME: 'filter',
  SET_FILTER_ARRAY: 'filter_list',
};

/** Types without a scalar default: blocks and lists. */
const BLOCK_TYPES = new Set(['boollist', 'strlist', 'filter', 'filter_list']);

/** Settings the parser itself handles, so no settings struct (and no TSV row) defines them (FACTS §4.2). */
const PARSER_SETTINGS = [{ name: 'dovecot_config_version', type: 'string', default: '', sources: ['src/config/config-parser.c'] }];

function compareStrings(a, b) {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Evaluates the integer C expressions of the TSV (`60*60*24`, `(1 << 20)`); undefined for anything else. */
export function evaluateIntegerLiteral(literal) {
  const tokens = literal.match(/\d+|<<|[*()]|\S/g) ?? [];
  let index = 0;
  const factor = () => {
    const token = tokens[index++];
    if (token === '(') {
      const value = shift();
      return tokens[index++] === ')' ? value : NaN;
    }
    return /^\d+$/.test(token ?? '') ? Number(token) : NaN;
  };
  const product = () => {
    let value = factor();
    while (tokens[index] === '*') {
      index++;
      value *= factor();
    }
    return value;
  };
  const shift = () => {
    let value = product();
    while (tokens[index] === '<<') {
      index++;
      value *= 2 ** product();
    }
    return value;
  };
  const value = shift();
  return index === tokens.length && Number.isSafeInteger(value) ? value : undefined;
}

/** Joins adjacent C string literals (`"a" "b"`); undefined when the literal is not only strings. */
function stringLiteral(literal) {
  if (!/^("(?:[^"\\]|\\.)*"\s*)+$/.test(literal)) return undefined;
  return [...literal.matchAll(/"((?:[^"\\]|\\.)*)"/g)].map((m) => m[1].replace(/\\(.)/g, '$1')).join('');
}

function largestUnit(value, units) {
  for (const [size, name] of units) {
    if (value % size === 0) return `${value / size} ${name}`;
  }
  return String(value);
}

const TIME_UNITS = [[604800, 'weeks'], [86400, 'days'], [3600, 'hours'], [60, 'mins'], [1, 'secs']];
const SIZE_UNITS = [[1024 ** 3, 'G'], [1024 ** 2, 'M'], [1024, 'k'], [1, 'B']];

/** A number in the style doveconf prints it for the type ('1 hours', '10 M', '250 ms'). */
function formatNumber(value, type) {
  if (value === 0) return '0';
  if (type === 'time') return largestUnit(value, TIME_UNITS);
  if (type === 'time_msecs') return value % 1000 === 0 ? largestUnit(value / 1000, TIME_UNITS) : `${value} ms`;
  if (type === 'size') return largestUnit(value, SIZE_UNITS);
  return String(value);
}

/**
 * The default in config syntax, or `{ unknown: literal }` when the TSV has only a build-time C constant
 * (PKG_RUNDIR, MODULEDIR, ...): the inventory does not say what it expands to.
 */
export function cleanDefault24(literal, type, values) {
  if (BLOCK_TYPES.has(type) || type === 'alias') return { value: '' };
  if (type === 'enum' && values) return { value: values[0] };
  if (literal === '' || literal === 'NULL') return { value: '' };
  if (literal === 'TRUE') return { value: 'yes' };
  if (literal === 'FALSE') return { value: 'no' };
  if (/^(SET_UINT_UNLIMITED|SET_SIZE_UNLIMITED|UINT_MAX)$/.test(literal)) return { value: 'unlimited' };
  if (type === 'octal' && /^0[0-7]*$/.test(literal)) return { value: literal };
  const text = stringLiteral(literal);
  if (text !== undefined) return { value: text };
  const number = evaluateIntegerLiteral(literal);
  if (number !== undefined) return { value: formatNumber(number, type) };
  return { value: '', unknown: literal };
}

export function parseSettings24Tsv(text) {
  const rows = text.split('\n').slice(1).filter((line) => line.trim() !== '');
  return rows.map((line) => {
    const [name, rawType, literal = '', enumValues = '', source = ''] = line.split('\t');
    const hidden = rawType.includes('[hidden]');
    const baseType = rawType.replace(' [hidden]', '');
    const aliasMatch = /^SET_ALIAS\(of (\w+)\)$/.exec(baseType);
    const type = aliasMatch ? 'alias' : TYPE_MAP_24[baseType];
    if (!type) throw new Error(`settings-2.4.4-names.tsv: unknown type ${rawType} for ${name}`);
    const values = type === 'enum' && enumValues !== '' ? enumValues.split('|') : undefined;
    const row = { name, type, literal, source: source.replace(/\s*\[.*$/, '') };
    if (values) row.values = values;
    if (aliasMatch) row.aliasOf = aliasMatch[1];
    if (hidden) row.hidden = true;
    return row;
  });
}

const TYPE_PHRASES = {
  bool: 'Boolean (`yes`/`no`)',
  uint: 'Number',
  octal: 'Octal file mode',
  time: 'Time interval (give a unit, e.g. `30 secs`)',
  time_msecs: 'Time interval with millisecond precision (give a unit)',
  size: 'Size (give a unit, e.g. `10 M`)',
  port: 'TCP port',
  enum: 'One of a fixed set of values',
  string: 'String (`%{variables}` are expanded where the setting supports them)',
  string_novars: 'String, used as written',
  file: 'Path of a file whose contents are read',
};

function defaultPhrase(setting) {
  if (setting.defaultUnknown) return `default set at build time (\`${setting.defaultUnknown}\`)`;
  return setting.default === '' ? 'empty by default' : `default \`${setting.default}\``;
}

/** One-line description from the type and default, for settings without one of our own. */
export function generatedDescription(setting) {
  const defined = setting.sources.length > 0 ? ` Defined in ${setting.sources.join(', ')}.` : '';
  switch (setting.type) {
    case 'alias': return `Old name of \`${setting.aliasOf}\`; setting either sets the same value.`;
    case 'filter': return `Named filter: write \`${setting.name} { … }\`; names inside it are tried with the \`${setting.name}_\` prefix first.${defined}`;
    case 'filter_list': return `Named list filter: write \`${setting.name} <name> { … }\`; names inside it are tried with the \`${setting.name}_\` prefix first.${defined}`;
    case 'boollist': return `Boolean list: \`${setting.name} = a b\` replaces the list, \`${setting.name} { a = yes }\` adds to it.${defined}`;
    case 'strlist': return `Free-form \`key = value\` list written as \`${setting.name} { … }\`.${defined}`;
    default: return `${TYPE_PHRASES[setting.type]}; ${defaultPhrase(setting)}.${defined}`;
  }
}

function mergeRows(rows) {
  const byName = new Map();
  for (const row of rows) {
    const known = byName.get(row.name);
    if (!known) {
      byName.set(row.name, { ...row, sources: row.source ? [row.source] : [] });
      continue;
    }
    if (known.type !== row.type) throw new Error(`settings-2.4.4-names.tsv: ${row.name} has types ${known.type} and ${row.type}`);
    if (row.source && !known.sources.includes(row.source)) known.sources.push(row.source);
    if (known.literal === '' || known.literal === 'ARRAY_INIT') known.literal = row.literal;
  }
  return [...byName.values()];
}

function orderFields24(s) {
  const out = { name: s.name, type: s.type, default: s.default };
  if (s.defaultUnknown) out.defaultUnknown = s.defaultUnknown;
  if (s.values) out.values = s.values;
  if (s.aliasOf) out.aliasOf = s.aliasOf;
  if (s.hidden) out.hidden = true;
  out.sources = s.sources;
  out.description = s.description;
  return out;
}

export function generate24() {
  const rows = mergeRows(parseSettings24Tsv(readFileSync(TSV_24, 'utf8')));
  const descriptions = JSON.parse(readFileSync(join(DATA, 'descriptions-2.4.json'), 'utf8'));
  const settings = [...rows.map((row) => {
    const { value, unknown } = cleanDefault24(row.literal, row.type, row.values);
    const setting = { ...row, default: value };
    if (unknown) setting.defaultUnknown = unknown;
    return setting;
  }), ...PARSER_SETTINGS];
  for (const setting of settings) setting.description = descriptions[setting.name] ?? generatedDescription(setting);
  const known = new Set(settings.map((s) => s.name));
  const stale = Object.keys(descriptions).filter((name) => !known.has(name));
  if (stale.length > 0) throw new Error(`descriptions-2.4.json: no such setting: ${stale.join(', ')}`);
  settings.sort((a, b) => compareStrings(a.name, b.name));
  const mailPlugins = JSON.parse(readFileSync(join(DATA, 'mail-plugins-2.4.json'), 'utf8'));
  const result = {
    version: '2.4',
    generatedFrom: 'settings-2.4.4-names.tsv + descriptions-2.4.json + mail-plugins-2.4.json',
    settings: settings.map(orderFields24),
    mailPlugins: [...mailPlugins].sort((a, b) => compareStrings(a.name, b.name)),
  };
  return JSON.stringify(result, null, 1) + '\n';
}
