// Literal value checks of the Dovecot 2.4 config parser (settings_value_check in
// src/config/config-parser.c@2.4.4), with its exact messages. The number, time and size parsers are
// the ones 2.3 used (src/lib/str-parse.c@2.4.4 keeps their messages); 2.4 adds `unlimited`/`infinite`
// for numbers, times and sizes, and a 64-bit number type.
import { keyVariableTexts } from '../syntax/valueWords';
import { findSetting24, type Setting24Info } from './schema24';
import { checkBool, checkEnum, checkOctal, checkPort, checkSize, checkTime, checkUint } from './valueCheck';

const UINTMAX_MAX = 18446744073709551615n;

/** settings_value_is_unlimited(): both words are accepted for every number, time and size. */
function isUnlimited(value: string): boolean {
  return value === 'unlimited' || value === 'infinite';
}

function checkUintmax(value: string): string | undefined {
  if (/^[0-9]+$/.test(value))
    return BigInt(value) > UINTMAX_MAX ? `Invalid number ${value}: Number too large` : undefined;
  return checkUint(value);
}

/**
 * Whether doveconf checks the value's type at all: not when it holds a `%{variable}` (expanded later
 * by the service) nor a `$SET:`/`$ENV:` reference (config_parser.c setting_value_can_check).
 */
export function valueCheckable24(value: string): boolean {
  return !value.includes('%{') && !value.includes('$SET:') && !value.includes('$ENV:');
}

/**
 * What a settings check reads for a value holding a `%{…}` program: doveconf cannot know what it expands
 * to and gives the check this text instead (set_value_unknown in src/lib-settings/settings-parser.c).
 */
export const UNKNOWN_VALUE_24 = 'UNKNOWN_VALUE_WITH_VARIABLES';

/**
 * Types Dovecot expands `%{…}` in before converting the text (config_fill_set_parser: not lists, files, novars):
 * a settings check reads such a value as UNKNOWN_VALUE_24.
 */
export const EXPANDED_TYPES_24: ReadonlySet<string> = new Set([
  'string',
  'bool',
  'uint',
  'uintmax',
  'octal',
  'time',
  'time_msecs',
  'size',
  'port',
  'enum',
]);

/** The value a check reads for `value` of `key`: UNKNOWN_VALUE_24 for a `%{…}` program doveconf does not expand. */
export function checkedValue24(key: string, value: string): string {
  const type = findSetting24(key)?.type;
  return value.includes('%{') && type !== undefined && EXPANDED_TYPES_24.has(type) ? UNKNOWN_VALUE_24 : value;
}

/** doveconf 2.4's error for a literal value of the setting, or undefined when it accepts it. */
export function checkValue24(info: Setting24Info, value: string): string | undefined {
  return valueCheckable24(value) ? checkText24(info, value) : undefined;
}

/** The error for `value` read as text of the setting's type, `$SET:` and `%{` in it included. */
export function checkText24(info: Setting24Info, value: string): string | undefined {
  switch (info.type) {
    case 'bool':
      return checkBool(value);
    case 'uintmax':
      return checkUintmax(value);
    case 'octal':
      return value.startsWith('0') ? checkOctal(value) : isUnlimited(value) ? undefined : checkUint(value);
    case 'uint':
      return isUnlimited(value) ? undefined : checkUint(value);
    case 'time':
      return isUnlimited(value) ? undefined : checkTime(value, false);
    case 'time_msecs':
      return isUnlimited(value) ? undefined : checkTime(value, true);
    case 'size':
      return isUnlimited(value) ? undefined : checkSize(value);
    case 'port':
      return checkPort(value);
    case 'enum':
      return checkEnum(value, info.values ?? []);
    default:
      return undefined;
  }
}

const SIZE_FACTORS: Record<string, bigint> = { B: 1n, K: 1024n, M: 1024n ** 2n, G: 1024n ** 3n, T: 1024n ** 4n };

/** Bytes of a size doveconf accepts (`10M`, `1 G`, `512 kB`); undefined for anything else. */
export function sizeInBytes24(value: string): bigint | undefined {
  const match = /^(\d+)\s*([bkmgt]?)i?b?$/i.exec(value.trim());
  if (!match) return undefined;
  return BigInt(match[1]) * (SIZE_FACTORS[(match[2] || 'B').toUpperCase()] ?? 1n);
}

/** settings_section_unescape(): the escapes a list element may carry (`\\_` a space, `\\s` a slash ...). */
const SECTION_UNESCAPES: Readonly<Record<string, string>> = { e: '=', s: '/', _: ' ', '+': ',', '\\': '\\', '.': '' };

function sectionUnescape(element: string): string {
  return element.replace(/\\([es_+\\.])/g, (_all, char: string) => SECTION_UNESCAPES[char] ?? char);
}

/**
 * settings_parse_boollist_string(): the elements of `a b,"c d"`, which replaces a boolean list, or the
 * error doveconf gives for a misplaced or unclosed quote.
 */
export function parseBoollist24(value: string): { elements: string[]; error?: string } {
  const elements: string[] = [];
  let element = '';
  let quoted = false;
  let endOfQuote = false;
  const fail = (error: string) => ({ elements, error });
  for (let i = 0; i < value.length; i++) {
    const ch = value[i];
    if (ch === '"') {
      if (!quoted) {
        if (element.length !== 0) return fail("'\"' in the middle of a string");
        quoted = true;
      } else if (endOfQuote) return fail("Expected ',' or ' ' after '\"'");
      else endOfQuote = true;
    } else if ((ch === ' ' || ch === ',') && !(quoted && !endOfQuote)) {
      if (quoted || element.length > 0) elements.push(sectionUnescape(element));
      element = '';
      quoted = false;
      endOfQuote = false;
    } else {
      let char = ch;
      if (ch === '\\' && quoted) {
        i++;
        if (i >= value.length) return fail("Value ends with '\\'");
        char = value[i];
      }
      if (endOfQuote) return fail("Expected ',' or ' ' after '\"'");
      element += char;
    }
  }
  if (quoted && !endOfQuote) return fail("Missing ending '\"'");
  if (quoted || element.length > 0) elements.push(sectionUnescape(element));
  return { elements };
}

/**
 * The error doveconf gives for a boolean list's value, undefined when it parses. Each element is then read
 * as a `$` value of the setting named "" (config_apply_boollist@2.4.4): a word `$SET:` names that setting
 * itself, which doveconf expands even with -n, and finds no setting of that name.
 */
export function boollistError24(value: string): string | undefined {
  const parsed = parseBoollist24(value);
  if (parsed.error !== undefined) return parsed.error;
  if (parsed.elements.some((element) => keyVariableTexts(element).includes('$SET:')))
    return 'Failed to expand $SET:: Unknown setting: ';
  return undefined;
}

/**
 * The words a check reads from a list setting's value: a boolean list's elements as doveconf parses them
 * (quotes and escapes), a string list split at spaces and commas. Undefined when unknown or unparsable, and
 * for a quoted string list (its check splits without looking at quotes, which we leave alone).
 */
export function listWords24(key: string, value: string | undefined): string[] | undefined {
  if (value === undefined) return undefined;
  if (findSetting24(key)?.type === 'boollist') {
    const parsed = parseBoollist24(value);
    return parsed.error === undefined ? parsed.elements : undefined;
  }
  if (value.includes('"')) return undefined;
  return value.split(/[ ,]+/).filter((word) => word !== '');
}

/**
 * The first word of a list setting's value that `accepted` refuses, as the setting's check finds it; undefined
 * when all pass or the value is unknown. A string list with quotes in it is split as written too: its check
 * keeps the quotes and backslashes in the words (`Unknown feature: "y"`), which the value holds as doveconf does.
 */
export function firstRefusedWord24(
  key: string,
  value: string | undefined,
  accepted: (word: string) => boolean,
): string | undefined {
  if (value === undefined) return undefined;
  if (findSetting24(key)?.type === 'boollist') return listWords24(key, value)?.find((word) => !accepted(word));
  return value
    .split(/[ ,]+/)
    .filter((word) => word !== '')
    .find((word) => !accepted(word));
}
