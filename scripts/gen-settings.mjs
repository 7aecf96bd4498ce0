#!/usr/bin/env node
// Generates server/src/service/schema/settings-2.3.json from the Dovecot 2.3 facts data in data/dovecot/,
// and settings-2.4.json from the 2.4 inventory (see scripts/gen-settings-24.mjs).
//
//   node scripts/gen-settings.mjs                  write the JSON from the checked-in data
//   node scripts/gen-settings.mjs --check          exit 1 if the checked-in JSON is not current
//   node scripts/gen-settings.mjs --from-doveconf  take service/top-level defaults from the local
//                                                  `doveconf -a -d` instead of the checked-in dump
//
// Inputs (all in data/dovecot/):
//   settings-2.3.tsv                        typed inventory (context, name, type, defaults, enum values, module)
//   doveconf-a-2.3.19-builtin-defaults.txt  `doveconf -a -d`: top-level defaults and the default services
//   descriptions-2.3.json                   our own descriptions, keyed "<context>/<name>" or "<name>" (top level)
//   services-2.3.json                       roles of the default services + the process_limit_1 list
//   protocols-2.3.json, mail-plugins-2.3.json, plugin-keys-2.3.json   hand-written tables
import { readFileSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generate24, OUTPUT_24 } from './gen-settings-24.mjs';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const DATA = join(ROOT, 'data', 'dovecot');
export const OUTPUT = join(ROOT, 'server', 'src', 'service', 'schema', 'settings-2.3.json');

const TYPE_MAP = {
  SET_BOOL: 'bool',
  SET_UINT: 'uint',
  SET_UINT_OCT: 'octal',
  SET_TIME: 'time',
  SET_TIME_MSECS: 'time_msecs',
  SET_SIZE: 'size',
  SET_IN_PORT: 'port',
  SET_ENUM: 'enum',
  SET_STR: 'string',
  SET_STR_VARS: 'string_vars',
  SET_DEFLIST: 'section',
  SET_DEFLIST_UNIQUE: 'section',
  SET_STRLIST: 'strlist',
};

function readJson(name) {
  return JSON.parse(readFileSync(join(DATA, name), 'utf8'));
}

function compareStrings(a, b) {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Parses the TSV's "source-file [module]; ..." column into module names, in file order. */
function parseModules(column) {
  const modules = [];
  for (const match of column.matchAll(/\[([^\]]+)\]/g)) {
    if (!modules.includes(match[1])) modules.push(match[1]);
  }
  return modules;
}

/** The default as doveconf prints it; the TSV marks non-printable ones with parentheses. */
function cleanDefault(printed, literal, type) {
  if (type === 'section' || type === 'strlist' || type === 'alias') return '';
  if (printed === '""' || printed.startsWith('(NULL')) return '';
  if (!printed.startsWith('(')) return printed;
  // Service and listener rows: the TSV has only the C literal; normalise it to doveconf's print form.
  if (literal === '""') return '';
  if (literal === 'FALSE') return 'no';
  if (literal === 'TRUE') return 'yes';
  if (literal === 'UOFF_T_MAX') return '18446744073709551615 B';
  return literal;
}

export function parseSettingsTsv(text) {
  const rows = text
    .split('\n')
    .slice(1)
    .filter((line) => line.trim() !== '');
  return rows.map((line) => {
    const [context, name, rawType, literal, printed, enumValues, source] = line.split('\t');
    const hidden = rawType.includes('[hidden]');
    const baseType = rawType.replace(' [hidden]', '');
    const aliasMatch = /^SET_ALIAS\(of (\w+)\)$/.exec(baseType);
    const type = aliasMatch ? 'alias' : TYPE_MAP[baseType];
    if (!type) throw new Error(`settings-2.3.tsv: unknown type ${rawType} for ${context}/${name}`);
    const setting = {
      name,
      context: context === '(top)' ? '' : context,
      type,
      default: cleanDefault(printed, literal, type),
      module: '',
      modules: parseModules(source),
      description: '',
    };
    setting.module = setting.modules[0] ?? '';
    if (type === 'enum') setting.values = enumValues.split('|');
    if (aliasMatch) setting.aliasOf = aliasMatch[1];
    if (type === 'section') setting.unique = baseType === 'SET_DEFLIST_UNIQUE';
    if (hidden) setting.hidden = true;
    return setting;
  });
}

/**
 * Parses `doveconf -a` output: top-level `key = value` lines and `service NAME {}` blocks with their
 * listeners. Other sections (plugin, namespace...) are recorded as top-level section keys only.
 */
export function parseDoveconfDump(text) {
  const topLevel = new Map();
  const services = [];
  const stack = [];
  for (const rawLine of text.split('\n')) {
    if (rawLine.startsWith('#') || rawLine.trim() === '') continue;
    const line = rawLine.trim();
    if (line === '}') {
      stack.pop();
      continue;
    }
    const section = /^(\S+)(?:\s+(.*?))?\s*\{$/.exec(line);
    if (section) {
      const [, type, name = ''] = section;
      const parent = stack[stack.length - 1];
      if (!parent) {
        topLevel.set(type, '');
        if (type === 'service') {
          const service = { name, defaults: {}, listeners: [] };
          services.push(service);
          stack.push({ kind: 'service', service });
        } else {
          stack.push({ kind: 'other' });
        }
      } else if (parent.kind === 'service' && type.endsWith('_listener')) {
        const listener = { kind: type.replace('_listener', ''), name };
        parent.service.listeners.push(listener);
        stack.push({ kind: 'listener', listener });
      } else {
        stack.push({ kind: 'other' });
      }
      continue;
    }
    const assignment = /^(\S+) =\s?(.*)$/.exec(line);
    if (!assignment) throw new Error(`unexpected doveconf dump line: ${rawLine}`);
    const [, key, value] = assignment;
    const current = stack[stack.length - 1];
    if (!current) topLevel.set(key, value);
    else if (current.kind === 'service') current.service.defaults[key] = value;
    else if (current.kind === 'listener') current.listener[key] = value;
  }
  return { topLevel, services };
}

function sortKeys(object) {
  return Object.fromEntries(Object.entries(object).sort(([a], [b]) => compareStrings(a, b)));
}

function describe(descriptions, setting) {
  const key = setting.context === '' ? setting.name : `${setting.context}/${setting.name}`;
  return descriptions[key] ?? '';
}

function buildSettings(tsvText, dump, descriptions) {
  const settings = parseSettingsTsv(tsvText);
  // plugin {} and dict {} must be top-level strlists (FACTS §1.10) even if the inventory missed them.
  for (const name of ['plugin', 'dict']) {
    if (!settings.some((s) => s.context === '' && s.name === name)) {
      settings.push({
        name,
        context: '',
        type: 'strlist',
        default: '',
        module: 'mail',
        modules: ['mail'],
        description: '',
      });
    }
  }
  for (const setting of settings) {
    // The builtin dump is the authority for top-level defaults (the TSV column came from the Debian config).
    if (
      setting.context === '' &&
      dump.topLevel.has(setting.name) &&
      setting.type !== 'section' &&
      setting.type !== 'strlist'
    ) {
      setting.default = dump.topLevel.get(setting.name);
    }
    setting.description = describe(descriptions, setting);
  }
  const seen = new Set();
  for (const setting of settings) {
    const id = `${setting.context}/${setting.name}`;
    if (seen.has(id)) throw new Error(`duplicate setting ${id}`);
    seen.add(id);
  }
  const known = new Set(settings.map((s) => (s.context === '' ? s.name : `${s.context}/${s.name}`)));
  const stale = Object.keys(descriptions).filter((key) => !known.has(key));
  if (stale.length > 0) throw new Error(`descriptions-2.3.json: no such setting: ${stale.join(', ')}`);
  settings.sort((a, b) => compareStrings(a.context, b.context) || compareStrings(a.name, b.name));
  return settings.map((s) => orderSettingFields(s));
}

function orderSettingFields(s) {
  const out = { name: s.name, context: s.context, type: s.type, default: s.default };
  if (s.values) out.values = s.values;
  if (s.aliasOf) out.aliasOf = s.aliasOf;
  if (s.unique !== undefined) out.unique = s.unique;
  if (s.hidden) out.hidden = true;
  out.module = s.module;
  out.modules = s.modules;
  out.description = s.description;
  return out;
}

function buildServices(dump, serviceData) {
  const missingRoles = dump.services.filter((s) => !serviceData.roles[s.name]).map((s) => s.name);
  if (missingRoles.length > 0) throw new Error(`services-2.3.json: no role for ${missingRoles.join(', ')}`);
  return dump.services
    .map((service) => ({
      name: service.name,
      role: serviceData.roles[service.name],
      defaults: sortKeys(service.defaults),
      listeners: service.listeners
        .map(({ kind, name, ...rest }) => ({ kind, name, ...sortKeys(rest) }))
        .sort((a, b) => compareStrings(a.kind, b.kind) || compareStrings(a.name, b.name)),
      processLimit1: serviceData.processLimit1.includes(service.name),
    }))
    .sort((a, b) => compareStrings(a.name, b.name));
}

function sortByName(list) {
  return [...list].sort((a, b) => compareStrings(a.name, b.name));
}

export function generate({ fromDoveconf = false } = {}) {
  const tsvText = readFileSync(join(DATA, 'settings-2.3.tsv'), 'utf8');
  const dumpText = fromDoveconf
    ? execFileSync('doveconf', ['-a', '-d'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] })
    : readFileSync(join(DATA, 'doveconf-a-2.3.19-builtin-defaults.txt'), 'utf8');
  const dump = parseDoveconfDump(dumpText);
  const descriptions = readJson('descriptions-2.3.json');
  const serviceData = readJson('services-2.3.json');
  const result = {
    version: '2.3',
    generatedFrom: fromDoveconf
      ? 'settings-2.3.tsv + doveconf -a -d (local)'
      : 'settings-2.3.tsv + doveconf-a-2.3.19-builtin-defaults.txt',
    settings: buildSettings(tsvText, dump, descriptions),
    services: buildServices(dump, serviceData),
    protocols: sortByName(readJson('protocols-2.3.json')),
    mailPlugins: sortByName(readJson('mail-plugins-2.3.json')),
    pluginKeys: sortByName(readJson('plugin-keys-2.3.json')),
  };
  return JSON.stringify(result, null, 1) + '\n';
}

/** Where the 2.4-only section types go: read by the version detection (server/src/service/model/dialect.ts). */
export const SECTIONS_24_ONLY = join(ROOT, 'server', 'src', 'service', 'model', 'sections-2.4-only.json');

/**
 * Section types only Dovecot 2.4 has: its boolean lists written as blocks (`protocols { imap = yes }`), its
 * filters that are no section in 2.3 (`ssl_server { }`, `oauth2 { }`) and its named filters that are none
 * either (`quota "User quota" { }`, `mysql localhost { }`). One in a file says it is 2.4.
 */
export function generateSections24Only(json23, json24) {
  const sections23 = new Set(
    JSON.parse(json23)
      .settings.filter((s) => s.type === 'section' || s.type === 'strlist')
      .map((s) => s.name),
  );
  const names = JSON.parse(json24)
    .settings.filter((s) => s.type === 'boollist' || s.type === 'filter' || s.type === 'filter_list')
    .map((s) => s.name)
    .filter((name) => !sections23.has(name))
    .sort();
  return JSON.stringify({ generatedFrom: 'settings-2.3.json + settings-2.4.json', sections: names }, null, 1) + '\n';
}

function main(args) {
  const json23 = generate({ fromDoveconf: args.includes('--from-doveconf') });
  const json24 = generate24();
  const outputs = [
    [OUTPUT, json23],
    [OUTPUT_24, json24],
    [SECTIONS_24_ONLY, generateSections24Only(json23, json24)],
  ];
  if (args.includes('--check')) {
    const stale = outputs.filter(([file, output]) => readFileSync(file, 'utf8') !== output);
    for (const [file] of stale) console.error(`${file} is not current: run npm run gen:settings`);
    if (stale.length > 0) process.exit(1);
    return;
  }
  for (const [file, output] of outputs) {
    writeFileSync(file, output);
    console.log(`wrote ${file}`);
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) main(process.argv.slice(2));
