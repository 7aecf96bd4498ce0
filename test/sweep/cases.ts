// The setting sweep: every setting of the 2.3 and 2.4 schemas, placed where Dovecot reads it, with a
// few values chosen by its type (valid ones and the usual mistakes). record-sweep.ts runs the real
// doveconf on each case and writes its verdict to sweep-2.3.txt / sweep-2.4.txt; test/sweep.test.ts
// compares our verdict on the same text with the recorded one.
import { readFileSync } from 'node:fs';
import { allPluginKeys, allSettings, type SettingInfo } from '../../server/src/service/schema/schema';
import { allSettings24, findSetting24, type Setting24Info } from '../../server/src/service/schema/schema24';
import type { DoveconfMessage, DoveconfVerdict } from '../oracle/cases';

export type SweepVersion = '2.3' | '2.4';

export interface SweepCase {
  version: SweepVersion;
  /** Where the setting is written: `global`, a section (`service`, `namespace/mailbox`), `protocol`, ... */
  place: string;
  /** The setting's name in the schema (2.4: the global name, also when written short inside its block). */
  setting: string;
  /** The value exactly as written after `=` (possibly empty). */
  value: string;
}

export interface SweepRecord extends SweepCase {
  verdict: DoveconfVerdict;
  /** 2.4, where doveconf -n accepts the case: doveconf -x -n's verdict (the checks Dovecot runs when it starts). */
  expanded?: DoveconfVerdict;
}

/** The file name each case is written to (and doveconf names in its messages). */
export const SWEEP_FILE = 'dovecot.conf';

const HEADER_24 = ['dovecot_config_version = 2.4.4', 'dovecot_storage_version = 2.4.4'];

const NUMBERS = ['10', '0', '-1', 'abc', '99999999999999999999', '4294967296', '10k', 'unlimited', ''];
const SIZES = ['1G', '1 G', '1GB', '1kib', '1x', '0', '10', '-1', '99999999999999999999G', 'unlimited', ''];
const TIMES = ['10s', '10 secs', '2 weeks', '10', '0', '10 parsecs', '-1s', '1500ms', '1000 ms', 'unlimited', ''];
const MSEC_TIMES = ['10s', '10ms', '1 mins', '10', '0', '10 parsecs', '-1ms', 'unlimited', ''];
const PORTS = ['0', '143', '65535', '65536', '-1', 'abc', ''];
const OCTALS = ['0600', '0800', '600', '0', '0777', '-1', 'abc', ''];
const BOOLS = ['yes', 'no', 'maybe', '1', '0', 'YES', ''];
const STRINGS_23 = ['sweep', '%u', ''];
const STRINGS_24 = ['sweep', '%{user}', '%{user', '%{user | nosuchfilter}', '%u', ''];
const NOVARS_24 = ['sweep', '%{user', ''];
const BOOLLISTS = ['sweep', 'a b', 'a,b', '"a b" c', '"a', ''];
const FILES = ['/nonexistent/sweep', ''];
const STRLISTS = ['sweep', ''];

function enumValues(values: readonly string[] = []): string[] {
  const upper = values.find((value) => value !== value.toUpperCase());
  return [...new Set([...values, 'sweep-wrong', ...(upper ? [upper.toUpperCase()] : []), ''])];
}

/** The values tried for a setting of this type. */
export function valuesFor(type: string, values?: readonly string[], version: SweepVersion = '2.3'): string[] {
  switch (type) {
    case 'bool':
      return BOOLS;
    case 'uint':
      return NUMBERS;
    case 'uintmax':
      return [...NUMBERS, '18446744073709551615', '18446744073709551616'];
    case 'octal':
      return OCTALS;
    case 'size':
      return SIZES;
    case 'time':
      return TIMES;
    case 'time_msecs':
      return MSEC_TIMES;
    case 'port':
      return PORTS;
    case 'enum':
      return enumValues(values);
    case 'boollist':
      return BOOLLISTS;
    case 'strlist':
      return STRLISTS;
    case 'file':
      return FILES;
    case 'string_novars':
      return NOVARS_24;
    default:
      return version === '2.4' ? STRINGS_24 : STRINGS_23;
  }
}

/** A value of the type doveconf accepts, for placing a setting inside filters. */
export function validValue(type: string, values?: readonly string[]): string {
  switch (type) {
    case 'bool':
      return 'yes';
    case 'uint':
    case 'uintmax':
      return '10';
    case 'octal':
      return '0600';
    case 'size':
      return '1G';
    case 'time':
      return '10s';
    case 'time_msecs':
      return '10ms';
    case 'port':
      return '143';
    case 'enum':
      return values?.[0] ?? '';
    case 'file':
      return '';
    default:
      return 'sweep';
  }
}

/** How a block is opened: its lines (outermost first) and the settings its innermost block needs to be valid. */
interface Block {
  open: string[];
  /** Written name → value, added to the innermost block unless the case sets that name itself. */
  base?: Record<string, string>;
}

function blockLines(block: Block, written: string, value: string): string[] {
  const base = Object.entries(block.base ?? {})
    .filter(([name]) => name !== written)
    .map(([name, baseValue]) => `${name} = ${baseValue}`);
  const depth =
    block.open.filter((line) => line.endsWith('{')).length - block.open.filter((line) => line === '}').length;
  return [...block.open, ...base, `${written} = ${value}`, ...Array<string>(depth).fill('}')];
}

// Dovecot 2.3: the settings of the schema in their section, each top-level setting also once inside
// protocol imap { } and local 127.0.0.1 { }, the plugin settings in plugin { }.

const BLOCKS_23: Record<string, Block> = {
  global: { open: [] },
  service: { open: ['service imap {'] },
  'service/inet_listener': { open: ['service imap-login {', 'inet_listener imap {'] },
  'service/unix_listener': { open: ['service imap {', 'unix_listener sweep {'] },
  'service/fifo_listener': { open: ['service imap {', 'fifo_listener sweep {'] },
  namespace: { open: ['namespace inbox {'] },
  'namespace/mailbox': { open: ['namespace inbox {', 'mailbox Sent {'] },
  passdb: { open: ['passdb {'], base: { driver: 'static' } },
  userdb: { open: ['userdb {'], base: { driver: 'static' } },
  metric: { open: ['metric sweep {'], base: { filter: 'event=sweep' } },
  event_exporter: { open: ['event_exporter sweep {'], base: { format: 'json', transport: 'log' } },
  plugin: { open: ['plugin {'] },
  protocol: { open: ['protocol imap {'] },
  local: { open: ['local 127.0.0.1 {'] },
};

function resolved23(info: SettingInfo): SettingInfo {
  if (info.type !== 'alias' || !info.aliasOf) return info;
  return allSettings().find((other) => other.context === info.context && other.name === info.aliasOf) ?? info;
}

function cases23(): SweepCase[] {
  const cases: SweepCase[] = [];
  for (const info of allSettings()) {
    if (info.type === 'section' || info.type === 'strlist') continue;
    const typed = resolved23(info);
    const place = info.context === '' ? 'global' : info.context;
    for (const value of valuesFor(typed.type, typed.values))
      cases.push({ version: '2.3', place, setting: info.name, value });
    if (info.context !== '') continue;
    const valid = validValue(typed.type, typed.values);
    for (const filter of ['protocol', 'local'])
      cases.push({ version: '2.3', place: filter, setting: info.name, value: valid });
  }
  for (const key of allPluginKeys())
    for (const value of ['sweep', '']) cases.push({ version: '2.3', place: 'plugin', setting: key.name, value });
  return cases;
}

function lines23(testCase: SweepCase): string[] {
  const block = BLOCKS_23[testCase.place];
  if (!block) throw new Error(`no 2.3 place ${testCase.place}`);
  return blockLines(block, testCase.setting, testCase.value);
}

// Dovecot 2.4: every setting at the top level; the settings of a block also inside it, written without
// the block's prefix (service_process_limit as process_limit in service imap { }); and each setting once
// inside protocol imap { } and local 127.0.0.1 { }.

const METRIC = ['metric sweep {', 'filter = event=sweep'];

/** The blocks opened in their usual place, or with what they need; the others are opened at the top level. */
const BLOCKS_24: Record<string, Block> = {
  global: { open: [] },
  protocol: { open: ['protocol imap {'] },
  local: { open: ['local 127.0.0.1 {'] },
  service: { open: ['service imap {'] },
  inet_listener: { open: ['service imap-login {', 'inet_listener imap {'] },
  unix_listener: { open: ['service imap {', 'unix_listener sweep {'] },
  fifo_listener: { open: ['service imap {', 'fifo_listener sweep {'] },
  namespace: { open: ['namespace inbox {'] },
  mailbox: { open: ['namespace inbox {', 'mailbox Sent {'] },
  acl: { open: ['acl anyone {'], base: { rights: 'lr' } },
  metric: { open: ['metric sweep {'], base: { filter: 'event=sweep' } },
  metric_group_by: { open: [...METRIC, 'group_by sweep {'] },
  metric_group_by_method: { open: [...METRIC, 'group_by sweep {', 'method linear {'] },
  event_exporter: { open: ['event_exporter sweep {'], base: { format: 'json' } },
  language: { open: ['language en {'], base: { default: 'yes' } },
  sieve_extlists_list: { open: ['sieve_extlists_list :addrbook:sweep {'] },
  dict_map: { open: ['dict sweep {', 'dict_map sweep {'] },
  dict_map_key_field: { open: ['dict sweep {', 'dict_map sweep {', 'key_field sweep {'] },
  dict_map_value_field: { open: ['dict sweep {', 'dict_map sweep {', 'value_field sweep {'] },
};

/** The name a required block is opened with. */
const REQUIRED_NAMES_24: Record<string, string> = { fs: 'posix' };

/** The filter whose block holds a 2.4 setting: the longest filter name that prefixes it. */
export function filterOf24(name: string): Setting24Info | undefined {
  let best: Setting24Info | undefined;
  for (let end = name.indexOf('_'); end > 0; end = name.indexOf('_', end + 1)) {
    const info = findSetting24(name.slice(0, end));
    if (info && (info.type === 'filter' || info.type === 'filter_list')) best = info;
  }
  return best;
}

function block24(filter: Setting24Info): Block {
  const known = BLOCKS_24[filter.name];
  if (known) return known;
  const open = [filter.type === 'filter_list' ? `${filter.name} sweep {` : `${filter.name} {`];
  const required = filter.requiredSetting ? findSetting24(filter.requiredSetting) : undefined;
  if (!required) return { open };
  const written = required.name.startsWith(`${filter.name}_`)
    ? required.name.slice(filter.name.length + 1)
    : required.name;
  if (required.type === 'filter' || required.type === 'filter_list') {
    const name = required.type === 'filter_list' ? ` ${REQUIRED_NAMES_24[required.name] ?? 'sweep'}` : '';
    return { open: [...open, `${written}${name} {`, '}'] };
  }
  return { open, base: { [written]: validValue(required.type, required.values) } };
}

function typed24(info: Setting24Info): Setting24Info {
  return info.type === 'alias' && info.aliasOf ? (findSetting24(info.aliasOf) ?? info) : info;
}

function cases24(): SweepCase[] {
  const cases: SweepCase[] = [];
  for (const info of allSettings24()) {
    if (info.type === 'filter' || info.type === 'filter_list') continue;
    const typed = typed24(info);
    const values = valuesFor(typed.type, typed.values, '2.4');
    for (const value of values) cases.push({ version: '2.4', place: 'global', setting: info.name, value });
    const filter = filterOf24(info.name);
    if (filter)
      for (const value of values) cases.push({ version: '2.4', place: filter.name, setting: info.name, value });
    const valid = validValue(typed.type, typed.values);
    for (const place of ['protocol', 'local']) cases.push({ version: '2.4', place, setting: info.name, value: valid });
  }
  return cases;
}

const UNPREFIXED_24 = new Set(['global', 'protocol', 'local']);

function lines24(testCase: SweepCase): string[] {
  if (UNPREFIXED_24.has(testCase.place))
    return [...HEADER_24, ...blockLines(BLOCKS_24[testCase.place], testCase.setting, testCase.value)];
  const filter = findSetting24(testCase.place);
  if (!filter) throw new Error(`no 2.4 filter ${testCase.place}`);
  const written = testCase.setting.slice(filter.name.length + 1);
  return [...HEADER_24, ...blockLines(block24(filter), written, testCase.value)];
}

export function sweepCases(version: SweepVersion): SweepCase[] {
  return version === '2.3' ? cases23() : cases24();
}

/** The configuration file of a case, line by line. */
export function caseLines(testCase: SweepCase): string[] {
  return testCase.version === '2.3' ? lines23(testCase) : lines24(testCase);
}

export function caseKey(testCase: SweepCase): string {
  return `${testCase.place}\t${testCase.setting}\t${testCase.value}`;
}

// The recorded file: one line per case, tab-separated: place, setting, value, doveconf's exit status,
// then its first fatal error (`F<line>:message`, no line for an error of the whole configuration) and
// its warnings (`W<line>:message`), as the oracle's verdict parsers read them; for a 2.4 case doveconf -n
// accepts, then doveconf -x -n's exit status (`X<rc>`) and its first fatal error (`XF<line>:message`) or
// Panic (`XP:message`).

function encodeMessage(kind: 'F' | 'W', message: DoveconfMessage): string {
  if (message.file !== undefined && message.file !== SWEEP_FILE)
    throw new Error(`message of another file: ${message.file}`);
  return `${kind}${message.line ?? ''}:${message.message}`;
}

export function formatRecord(record: SweepRecord): string {
  const { verdict } = record;
  const messages = [
    ...(verdict.fatal ? [encodeMessage('F', verdict.fatal)] : []),
    ...verdict.warnings.map((warning) => encodeMessage('W', warning)),
  ];
  const { expanded } = record;
  if (expanded) {
    messages.push(`X${expanded.rc}`);
    if (expanded.panic !== undefined) messages.push(`XP:${expanded.panic}`);
    else if (expanded.fatal) messages.push(`X${encodeMessage('F', expanded.fatal)}`);
  }
  for (const message of messages)
    if (message.includes('\t') || message.includes('\n')) throw new Error(`cannot record ${JSON.stringify(message)}`);
  return [caseKey(record), String(verdict.rc), ...messages].join('\t');
}

function decodeMessage(field: string): { kind: string; message: DoveconfMessage } {
  const match = /^([FW])(\d*):(.*)$/.exec(field);
  if (!match) throw new Error(`bad recorded message ${field}`);
  return {
    kind: match[1],
    message: { file: SWEEP_FILE, ...(match[2] ? { line: Number(match[2]) } : {}), message: match[3] },
  };
}

export function readRecords(file: string, version: SweepVersion): SweepRecord[] {
  const records: SweepRecord[] = [];
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const [place, setting, value, rc, ...fields] = line.split('\t');
    const verdict: DoveconfVerdict = { rc: Number(rc), accepted: rc === '0', warnings: [] };
    let expanded: DoveconfVerdict | undefined;
    for (const field of fields) {
      const status = /^X(-?\d+)$/.exec(field);
      if (status) expanded = { rc: Number(status[1]), accepted: status[1] === '0', warnings: [] };
      else if (expanded && field.startsWith('XP:')) expanded.panic = field.slice(3);
      else if (expanded && field.startsWith('X')) expanded.fatal = decodeMessage(field.slice(1)).message;
      else {
        const { kind, message } = decodeMessage(field);
        if (kind === 'F') verdict.fatal = message;
        else verdict.warnings.push(message);
      }
    }
    records.push({ version, place, setting, value, verdict, ...(expanded ? { expanded } : {}) });
  }
  return records;
}
