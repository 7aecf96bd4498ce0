// Dovecot 2.4 part of scripts/gen-settings.mjs: builds server/src/service/schema/settings-2.4.json.
//
// Inputs (all in data/dovecot/, each produced from a real Dovecot 2.4.4 + Pigeonhole 2.4.4 build made by
// scripts/build-dovecot24.sh):
//   settings-2.4.4-defines.tsv  every setting definition as compiled: struct, key, type, hidden, enum
//                               values, required setting, the setting a named list filter keeps its
//                               name in (scripts/extract-settings-24/)
//   doveconf-d-2.4.4.txt        `doveconf -d -s`: the default of every setting as doveconf prints it
//                               (scripts/dump-doveconf-24.sh)
//   doveconf-n-2.4.4-list-probe-2.4.4.txt, …-2.4.0.txt
//                               `doveconf -n` of every list opened at top level with an entry of its own,
//                               for dovecot_config_version 2.4.4 and 2.4.0: what a list's block starts from
//                               (scripts/dump-doveconf-24.sh)
//   doveconf-x-2.4.4-process-limit-1.txt
//                               the built-in services `doveconf -x` requires to run as one process
//                               (`process_limit must be 1`), probed one by one (scripts/dump-doveconf-24.sh)
//   renames-2.3-to-2.4.json     2.3 names that 2.4 renamed, replaced or removed, with sources
//   descriptions-2.4.json       our own descriptions, hand-written, keyed by setting name; read, never
//                               written. Every 2.4 setting has one (a test checks); a new setting that
//                               lacks one gets a short description generated from its type and default
//   mail-plugins-2.4.json       hand-written table of the mail plugins that still exist in 2.4
//
// 2.4 has no settings hierarchy: every definition is one global name (a name defined by several
// structs is merged), so there is no context column.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const DATA = join(ROOT, 'data', 'dovecot');
export const DEFINES_24 = join(DATA, 'settings-2.4.4-defines.tsv');
export const DUMP_24 = join(DATA, 'doveconf-d-2.4.4.txt');
const LIST_PROBE_24 = (version) => join(DATA, `doveconf-n-2.4.4-list-probe-${version}.txt`);
const PROCESS_LIMIT_1_24 = join(DATA, 'doveconf-x-2.4.4-process-limit-1.txt');
/** The entry the list probes open each list with. */
const PROBE_ENTRY = 'dovecot-lint-probe';
export const OUTPUT_24 = join(ROOT, 'server', 'src', 'service', 'schema', 'settings-2.4.json');

/** The install prefix of the build the dump comes from: defaults under it are build-time paths. */
const BUILD_PREFIX = '/opt/dovecot-2.4.4';

const TYPE_MAP_24 = {
  SET_BOOL: 'bool',
  SET_UINT: 'uint',
  SET_UINTMAX: 'uintmax',
  SET_UINT_OCT: 'octal',
  SET_TIME: 'time',
  SET_TIME_MSECS: 'time_msecs',
  SET_SIZE: 'size',
  SET_IN_PORT: 'port',
  SET_ENUM: 'enum',
  SET_STR: 'string',
  SET_STR_NOVARS: 'string_novars',
  SET_FILE: 'file',
  SET_BOOLLIST: 'boollist',
  SET_STRLIST: 'strlist',
  SET_ALIAS: 'alias',
  SET_FILTER_NAME: 'filter',
  SET_FILTER_ARRAY: 'filter_list',
};

/** Types without a scalar default: blocks and lists. */
const BLOCK_TYPES = new Set(['boollist', 'strlist', 'filter', 'filter_list']);

/** Settings the parser itself handles, so no settings struct defines them. */
const PARSER_SETTINGS = [{ name: 'dovecot_config_version', type: 'string', default: '', structs: [], hidden: false }];

function compareStrings(a, b) {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** data/dovecot/settings-2.4.4-defines.tsv rows: one per definition, in the order of the structs. */
export function parseDefinesTsv(text) {
  const rows = [];
  let previousKey;
  let previousStruct;
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#') || line.startsWith('struct\t')) continue;
    const [struct, name, rawType, flags = '', enumValues = '', required = '', nameSetting = ''] = line.split('\t');
    const type = TYPE_MAP_24[rawType];
    if (!type) throw new Error(`settings-2.4.4-defines.tsv: unknown type ${rawType} for ${name}`);
    const row = { name, type, structs: [struct], hidden: flags.includes('hidden') };
    // SET_ALIAS names the definition just above it in the same struct.
    if (type === 'alias' && previousStruct === struct) row.aliasOf = previousKey;
    if (type === 'enum' && enumValues !== '') row.values = enumValues.split(':');
    if (required !== '') row.requiredSetting = required;
    if (nameSetting !== '') row.nameSetting = nameSetting;
    rows.push(row);
    if (type !== 'alias') {
      previousKey = name;
      previousStruct = struct;
    }
  }
  return rows;
}

function mergeRows(rows) {
  const byName = new Map();
  for (const row of rows) {
    const known = byName.get(row.name);
    if (!known) {
      byName.set(row.name, { ...row, structs: [...row.structs] });
      continue;
    }
    if (known.type !== row.type)
      throw new Error(`settings-2.4.4-defines.tsv: ${row.name} has types ${known.type} and ${row.type}`);
    for (const struct of row.structs) if (!known.structs.includes(struct)) known.structs.push(struct);
    known.hidden = known.hidden && row.hidden;
    known.requiredSetting ??= row.requiredSetting;
    if (known.nameSetting !== row.nameSetting)
      throw new Error(
        `settings-2.4.4-defines.tsv: ${row.name} keeps its name in ${known.nameSetting} and ${row.nameSetting}`,
      );
  }
  return [...byName.values()];
}

/**
 * Walks the lines of a `doveconf -d -s` dump: `visit(kind, line, depth)` with kind `open` (a block
 * header, depth = its own depth), `close` (depth = the depth left) or `value` (depth of the block it is in).
 */
function walkDump(text, visit) {
  let depth = 0;
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    if (line.endsWith('{')) visit('open', line, ++depth);
    else if (line === '}') visit('close', line, --depth);
    else visit('value', line, depth);
  }
}

/**
 * `doveconf -d -s` of 2.4.4: the top-level `key = value` lines are the defaults as the real binary
 * prints them; the blocks (built-in services, listeners, filters) are skipped.
 */
export function parseDoveconfDump24(text) {
  const defaults = new Map();
  walkDump(text, (kind, line, depth) => {
    const match = kind === 'value' && depth === 0 ? /^([^\s=]+) =(?: (.*))?$/.exec(line) : null;
    if (match) defaults.set(match[1], match[2] ?? '');
  });
  return defaults;
}

/** A one-line boolean list as doveconf prints it: elements split at blanks, a `"quoted"` one unescaped. */
function dumpedListElements(value) {
  return [...value.matchAll(/"((?:[^"\\]|\\.)*)"|[^\s"]+/g)].map((match) =>
    match[1] === undefined ? match[0] : match[1].replace(/\\(.)/g, '$1'),
  );
}

/**
 * The lists the filters of the `doveconf -d -s` dump fill their own way (`mbox { read_locks = fcntl }`,
 * `auth_policy { request_attributes { … } }`): filter → list full name → [key, value] entries in doveconf's
 * order, a boolean list printed on one line each element `yes`. `types`: setting name → type.
 */
export function parseDumpLists24(text, types) {
  const isList = (name) => types.get(name) === 'boollist' || types.get(name) === 'strlist';
  const resolve = (filter, key) => (types.has(`${filter}_${key}`) ? `${filter}_${key}` : key);
  const lists = new Map();
  const add = (filter, list, entries) => {
    if (!lists.has(filter)) lists.set(filter, new Map());
    lists.get(filter).set(list, entries);
  };
  // Per open block, by depth: the filter it is ({ filter }), or the list it fills ({ entries }).
  const stack = [];
  walkDump(text, (kind, line, depth) => {
    if (kind === 'open') {
      const name = /^(\S+) \{$/.exec(line)?.[1];
      const parent = stack[depth - 2];
      let state;
      if (name !== undefined && depth === 1 && types.get(name) === 'filter') state = { filter: name };
      else if (name !== undefined && depth === 2 && parent?.filter !== undefined) {
        const list = resolve(parent.filter, name);
        if (isList(list)) {
          state = { entries: [] };
          add(parent.filter, list, state.entries);
        }
      }
      stack[depth - 1] = state;
      stack.length = depth;
    } else if (kind === 'close') stack.length = depth;
    else {
      const entry = /^(\S+) = (.*)$/.exec(line);
      const block = stack[depth - 1];
      if (!entry) return;
      if (block?.entries) block.entries.push([entry[1], entry[2]]);
      else if (block?.filter !== undefined) {
        const list = resolve(block.filter, entry[1]);
        if (isList(list))
          add(
            block.filter,
            list,
            dumpedListElements(entry[2]).map((element) => [element, 'yes']),
          );
      }
    }
  });
  return lists;
}

/** A key or value as doveconf -n prints it: a `"quoted"` one unescaped. */
function unquoted(text) {
  return /^"(.*)"$/.test(text) ? text.slice(1, -1).replace(/\\(.)/g, '$1') : text;
}

/**
 * A list probe (`doveconf -n` of every list opened with the entry `dovecot-lint-probe = no`, at top level and
 * in each built-in service): where ('' for the global block, `service/NAME`) → list full name → the [key,
 * value] entries Dovecot put before the probe, i.e. what a `list { }` block there starts from.
 */
export function parseListProbe24(text) {
  const lists = new Map();
  const add = (where, list, entries) => {
    if (!lists.has(where)) lists.set(where, new Map());
    lists.get(where).set(list, entries);
  };
  let service;
  let open;
  walkDump(text, (kind, line, depth) => {
    if (kind === 'open') {
      const named = depth === 1 ? /^service (\S+) \{$/.exec(line) : null;
      const name = /^(\S+) \{$/.exec(line)?.[1];
      if (named) service = named[1];
      open = name !== undefined && (depth === 1 || (depth === 2 && service)) ? [] : undefined;
      if (open) add(depth === 1 ? '' : `service/${service}`, depth === 1 ? name : `service_${name}`, open);
    } else if (kind === 'close') {
      open = undefined;
      if (depth === 0) service = undefined;
    } else if (open) {
      const entry = /^("(?:[^"\\]|\\.)*"|\S+) = (.*)$/.exec(line);
      if (entry && unquoted(entry[1]) !== PROBE_ENTRY) open.push([unquoted(entry[1]), unquoted(entry[2])]);
    }
  });
  return lists;
}

/**
 * The include groups Dovecot defines itself (`group @metric_defaults backend { metric auth_successes { … } }`)
 * as the dump lists them: label (without `@`), name and the tree of named blocks each adds, in order.
 */
export function parseDumpGroups24(text) {
  const groups = [];
  const stack = [];
  walkDump(text, (kind, line, depth) => {
    if (kind === 'open') {
      const header = /^(\S+)(?: (.*?))? \{$/.exec(line);
      const group = depth === 1 ? /^group @(\S+) (\S+) \{$/.exec(line) : null;
      if (group) {
        const entry = { label: group[1], name: group[2], blocks: [] };
        groups.push(entry);
        stack[0] = entry;
      } else if (depth > 1 && stack[depth - 2] && header) {
        const block = { type: header[1], name: header[2] ?? '', blocks: [] };
        stack[depth - 2].blocks.push(block);
        stack[depth - 1] = block;
      } else stack[depth - 1] = undefined;
    } else if (kind === 'close') stack.length = depth;
  });
  return groups.map(function withoutEmpty({ blocks, ...rest }) {
    return blocks.length > 0 ? { ...rest, blocks: blocks.map(withoutEmpty) } : rest;
  });
}

/**
 * The built-in services of the `doveconf -d -s` dump: name, protocol, the settings each sets itself (the
 * global `service_*` defaults apply to the others), whether Dovecot requires it to run as one process
 * (`processLimit1`, the names given), and its listeners: kind, name as the dump prints it (quoted when it has
 * to be), the path a unix or fifo listener opens (the unquoted name) and the settings each sets itself.
 */
export function parseDumpServices24(text, processLimit1 = []) {
  const services = [];
  let service;
  let listener;
  walkDump(text, (kind, line, depth) => {
    if (kind === 'open') {
      const header = /^(\S+)\s+(.*?)\s*\{$/.exec(line);
      if (depth === 1 && header?.[1] === 'service') {
        const name = header[2];
        service = { name, protocol: '', defaults: {}, processLimit1: processLimit1.includes(name), listeners: [] };
        services.push(service);
      }
      const listenerKind = /^(unix|fifo|inet)_listener$/.exec(header?.[1] ?? '');
      listener = undefined;
      if (depth === 2 && service && listenerKind) {
        listener = { kind: listenerKind[1], name: header[2], settings: {} };
        if (listener.kind !== 'inet') listener.path = unquoted(header[2]);
        service.listeners.push(listener);
      }
    } else if (kind === 'close') {
      listener = undefined;
      if (depth === 0) service = undefined;
    } else {
      const entry = /^(\S+) =(?: (.*))?$/.exec(line);
      if (!entry || !service) return;
      if (depth === 1) service.defaults[entry[1]] = entry[2] ?? '';
      if (depth === 1 && entry[1] === 'protocol') service.protocol = entry[2] ?? '';
      if (depth === 2 && listener) listener.settings[entry[1]] = entry[2] ?? '';
    }
  });
  return services.sort((a, b) => compareStrings(a.name, b.name));
}

/** The names of the `doveconf -x` probe of data/dovecot/doveconf-x-2.4.4-process-limit-1.txt. */
export function parseProcessLimit1Probe24(text) {
  return text.split('\n').filter((line) => line !== '' && !line.startsWith('#'));
}

const TYPE_PHRASES = {
  bool: 'Boolean (`yes`/`no`)',
  uint: 'Number (or `unlimited`)',
  uintmax: 'Number',
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
  if (setting.defaultUnknown)
    return `default set at build time (\`${setting.defaultUnknown}\` in the 2.4.4 build this data comes from)`;
  return setting.default === '' ? 'empty by default' : `default \`${setting.default}\``;
}

function structPhrase(setting) {
  return setting.structs.length > 0
    ? ` Part of the ${setting.structs.map((s) => `\`${s}\``).join(', ')} settings.`
    : '';
}

/** One-line description from the type and default, for settings without one of our own. */
export function generatedDescription(setting) {
  const part = structPhrase(setting);
  switch (setting.type) {
    case 'alias':
      return `Other name of \`${setting.aliasOf}\`; setting either sets the same value.`;
    case 'filter':
      return `Named filter: write \`${setting.name} { … }\`; names inside it are tried with the \`${setting.name}_\` prefix first.${part}`;
    case 'filter_list':
      return `Named list filter: write \`${setting.name} <name> { … }\`; names inside it are tried with the \`${setting.name}_<name>_\` and \`${setting.name}_\` prefixes first.${part}`;
    case 'boollist':
      return `Boolean list: \`${setting.name} = a b\` replaces the list, \`${setting.name} { a = yes }\` changes one entry.${part}`;
    case 'strlist':
      return `Free-form \`key = value\` list written as \`${setting.name} { … }\`.${part}`;
    default:
      return `${TYPE_PHRASES[setting.type]}; ${defaultPhrase(setting)}.${part}`;
  }
}

function orderFields24(s) {
  const out = { name: s.name, type: s.type, default: s.default };
  if (s.listDefault) out.listDefault = s.listDefault;
  if (s.listDefault240) out.listDefault240 = s.listDefault240;
  if (s.listDefaultIn) out.listDefaultIn = s.listDefaultIn;
  if (s.listDefaultIn240) out.listDefaultIn240 = s.listDefaultIn240;
  if (s.defaultUnknown) out.defaultUnknown = s.defaultUnknown;
  if (s.values) out.values = s.values;
  if (s.aliasOf) out.aliasOf = s.aliasOf;
  if (s.hidden) out.hidden = true;
  if (s.requiredSetting) out.requiredSetting = s.requiredSetting;
  if (s.nameSetting) out.nameSetting = s.nameSetting;
  out.structs = s.structs;
  out.description = s.description;
  return out;
}

/** Checks that the inputs agree with each other; every problem is a message. */
function consistencyProblems(settings, dumped, descriptions, renames) {
  const known = new Set(settings.map((s) => s.name));
  const problems = [];
  const stale = Object.keys(descriptions).filter((name) => !known.has(name));
  if (stale.length > 0) problems.push(`descriptions-2.4.json: no such setting: ${stale.join(', ')}`);
  const undefinedDumped = [...dumped.keys()].filter((name) => !known.has(name));
  if (undefinedDumped.length > 0)
    problems.push(`doveconf-d-2.4.4.txt prints settings the definitions lack: ${undefinedDumped.join(', ')}`);
  const staleRenames = renames.filter((entry) => known.has(entry.old) || (entry.new && !known.has(entry.new)));
  if (staleRenames.length > 0)
    problems.push(
      `renames-2.3-to-2.4.json: old name still exists or new name unknown: ${staleRenames.map((e) => e.old).join(', ')}`,
    );
  return problems;
}

function withDefault(row, dumped) {
  const setting = { ...row, default: '' };
  if (BLOCK_TYPES.has(row.type) || row.type === 'alias') return setting;
  const value = dumped.get(row.name);
  if (value === undefined) return setting;
  if (value.startsWith(BUILD_PREFIX)) setting.defaultUnknown = value;
  else setting.default = value;
  return setting;
}

export function generate24() {
  const rows = mergeRows(parseDefinesTsv(readFileSync(DEFINES_24, 'utf8')));
  const descriptions = JSON.parse(readFileSync(join(DATA, 'descriptions-2.4.json'), 'utf8'));
  const dumpText = readFileSync(DUMP_24, 'utf8');
  const dumped = parseDoveconfDump24(dumpText);
  const renames = JSON.parse(readFileSync(join(DATA, 'renames-2.3-to-2.4.json'), 'utf8')).entries;
  const settings = [...rows.map((row) => withDefault(row, dumped)), ...PARSER_SETTINGS];
  // A list's block in the global block or a service starts from what the probes show (the managesieve
  // capabilities doveconf -d prints are worked out by running managesieve-login, no list Dovecot fills); in
  // another filter, from the filter's own list, as doveconf -d prints it.
  const probe = parseListProbe24(readFileSync(LIST_PROBE_24('2.4.4'), 'utf8'));
  const probe240 = parseListProbe24(readFileSync(LIST_PROBE_24('2.4.0'), 'utf8'));
  const filterLists = parseDumpLists24(dumpText, new Map(rows.map((row) => [row.name, row.type])));
  const same = (a, b) => JSON.stringify(a ?? []) === JSON.stringify(b ?? []);
  for (const setting of settings) {
    const entries = probe.get('')?.get(setting.name);
    if (entries && entries.length > 0) setting.listDefault = entries;
    const entries240 = probe240.get('')?.get(setting.name);
    if (entries240 && !same(entries240, entries)) setting.listDefault240 = entries240;
    for (const [filter, listsThere] of filterLists) {
      const inFilter = listsThere.get(setting.name);
      if (inFilter && inFilter.length > 0) setting.listDefaultIn = { ...setting.listDefaultIn, [filter]: inFilter };
    }
    for (const [where, listsThere] of probe) {
      const inService = listsThere.get(setting.name);
      if (where !== '' && inService && inService.length > 0)
        setting.listDefaultIn = { ...setting.listDefaultIn, [where]: inService };
    }
    for (const [where, listsThere] of probe240) {
      const inService = listsThere.get(setting.name);
      if (where !== '' && inService && !same(inService, probe.get(where)?.get(setting.name)))
        setting.listDefaultIn240 = { ...setting.listDefaultIn240, [where]: inService };
    }
  }
  for (const setting of settings) setting.description = descriptions[setting.name] ?? generatedDescription(setting);
  const problems = consistencyProblems(settings, dumped, descriptions, renames);
  if (problems.length > 0) throw new Error(problems.join('\n'));
  settings.sort((a, b) => compareStrings(a.name, b.name));
  const mailPlugins = JSON.parse(readFileSync(join(DATA, 'mail-plugins-2.4.json'), 'utf8'));
  const result = {
    version: '2.4',
    generatedFrom:
      'settings-2.4.4-defines.tsv + doveconf-d-2.4.4.txt + doveconf-n-2.4.4-list-probe-*.txt + doveconf-x-2.4.4-process-limit-1.txt + renames-2.3-to-2.4.json + descriptions-2.4.json + mail-plugins-2.4.json',
    settings: settings.map(orderFields24),
    mailPlugins: [...mailPlugins].sort((a, b) => compareStrings(a.name, b.name)),
    services: parseDumpServices24(dumpText, parseProcessLimit1Probe24(readFileSync(PROCESS_LIMIT_1_24, 'utf8'))),
    groups: parseDumpGroups24(dumpText),
    renames: renames.map(({ old, new: replacement, kind, note }) => ({
      old,
      ...(replacement ? { new: replacement } : {}),
      kind,
      ...(note ? { note } : {}),
    })),
  };
  return JSON.stringify(result, null, 1) + '\n';
}
