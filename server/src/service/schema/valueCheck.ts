// Literal value checks with doveconf 2.3's exact messages (FACTS §1.14). Every accept/reject rule here
// was checked against the real doveconf 2.3.19.1 (`doveconf -n -c`); the tests in test/schema.test.ts
// encode those transcripts.

const UINT_MAX = 4294967295n;
const UINTMAX_MAX = 18446744073709551615n; // uintmax_t and uoff_t: parse overflow limit
const PORT_MAX = 65535;

export type CheckedType = 'bool' | 'uint' | 'octal' | 'time' | 'time_msecs' | 'size' | 'port' | 'enum';

/** A value parsed as settings-parser.c parses it: the number (bytes, seconds or milliseconds) or doveconf's error. */
export type Parsed<T> = { value: T; error?: undefined } | { value?: undefined; error: string };

/** Leading decimal digits as str_parse_uintmax reads them; undefined when absent or overflowing. */
function parseLeadingNumber(value: string): { num: bigint; rest: string } | undefined {
  const match = /^[0-9]+/.exec(value);
  if (!match) return undefined;
  const num = BigInt(match[0]);
  if (num > UINTMAX_MAX) return undefined;
  return { num, rest: value.slice(match[0].length) };
}

export function parseBool(value: string): Parsed<boolean> {
  // settings-parser.c accepts yes/y/1 case-insensitively, but only "no" for false: `0` is an error.
  if (/^(yes|y|1)$/i.test(value)) return { value: true };
  if (/^no$/i.test(value)) return { value: false };
  return { error: `Invalid boolean value: ${value} (use yes or no)` };
}

export function checkBool(value: string): string | undefined {
  return parseBool(value).error;
}

export function parseUint(value: string): Parsed<bigint> {
  if (/^[0-9]+$/.test(value)) {
    const parsed = BigInt(value);
    return parsed > UINT_MAX ? { error: `Invalid number ${value}: Number too large` } : { value: parsed };
  }
  if (/^-[0-9]+$/.test(value)) return { error: `Invalid number ${value}: Number too small` };
  return { error: `Invalid number ${value}: Not a valid number` };
}

export function checkUint(value: string): string | undefined {
  return parseUint(value).error;
}

export function parseOctal(value: string): Parsed<bigint> {
  // A leading 0 switches to octal parsing with a different message; larger values wrap silently.
  if (value.startsWith('0')) {
    const parsed = /^[0-7]+$/.test(value) ? BigInt('0o' + value) : undefined;
    return parsed !== undefined && parsed <= UINTMAX_MAX ? { value: parsed } : { error: `Invalid number: ${value}` };
  }
  return parseUint(value);
}

export function checkOctal(value: string): string | undefined {
  return parseOctal(value).error;
}

export function parsePort(value: string): Parsed<number> {
  // Digits only: Number() is exact up to the limit and larger above it.
  const port = /^[0-9]+$/.test(value) ? Number(value) : undefined;
  if (port !== undefined && port <= PORT_MAX) return { value: port };
  return { error: `Invalid port number ${value}` };
}

export function checkPort(value: string): string | undefined {
  return parsePort(value).error;
}

export function checkEnum(value: string, values: readonly string[]): string | undefined {
  return values.includes(value) ? undefined : `Invalid value: ${value}`;
}

/** strncasecmp(unit, word, strlen(unit)) == 0: the unit is a case-insensitive prefix of word. */
function isUnitPrefix(unit: string, ...words: string[]): boolean {
  const lower = unit.toLowerCase();
  return words.some((word) => lower.length <= word.length && word.startsWith(lower));
}

/** A time interval in seconds (milliseconds for msec settings), as settings_get_time() reads it. */
export function parseTime(value: string, milliseconds: boolean): Parsed<bigint> {
  const invalid = { error: `Invalid time interval: ${value}` };
  const parsed = parseLeadingNumber(value);
  if (!parsed) return invalid;
  let { num } = parsed;
  const unit = parsed.rest.replace(/^ +/, '');
  if (unit === '' && num !== 0n)
    return { error: `Time interval '${value}' is missing units (add e.g. 's' for seconds)` };
  let multiply = milliseconds ? 1000n : 1n;
  let matched = unit === '';
  switch (unit.charAt(0).toUpperCase()) {
    case 'S':
      matched = isUnitPrefix(unit, 'secs', 'seconds');
      break;
    case 'M':
      multiply *= 60n;
      if (isUnitPrefix(unit, 'mins', 'minutes')) {
        matched = true;
      } else if (isUnitPrefix(unit, 'msecs', 'mseconds', 'millisecs', 'milliseconds')) {
        if (!milliseconds && num % 1000n !== 0n)
          return { error: `Milliseconds not supported for this setting: ${value}` };
        if (!milliseconds) num /= 1000n;
        multiply = 1n;
        matched = true;
      }
      break;
    case 'H':
      multiply *= 3600n;
      matched = isUnitPrefix(unit, 'hours');
      break;
    case 'D':
      multiply *= 86400n;
      matched = isUnitPrefix(unit, 'days');
      break;
    case 'W':
      multiply *= 604800n;
      matched = isUnitPrefix(unit, 'weeks');
      break;
  }
  if (!matched) return invalid;
  if (num > UINT_MAX / multiply) return { error: `Time interval is too large: ${value}` };
  return { value: num * multiply };
}

export function checkTime(value: string, milliseconds: boolean): string | undefined {
  return parseTime(value, milliseconds).error;
}

const SIZE_MULTIPLIERS: Record<string, bigint> = { B: 1n, K: 1n << 10n, M: 1n << 20n, G: 1n << 30n, T: 1n << 40n };

/** A size in bytes, as settings_get_size() reads it (`1G`, `1 G`, `10kiB`). */
export function parseSize(value: string): Parsed<bigint> {
  const invalid = { error: `Invalid size: ${value}` };
  const parsed = parseLeadingNumber(value);
  if (!parsed) return invalid;
  let rest = parsed.rest.replace(/^ +/, '');
  const multiply = SIZE_MULTIPLIERS[rest.charAt(0).toUpperCase()] ?? 1n;
  if (rest !== '' && SIZE_MULTIPLIERS[rest.charAt(0).toUpperCase()] !== undefined) rest = rest.slice(1);
  if (multiply > 1n) {
    // k, ki, kiB, kB are all accepted; a bare "B" takes no suffix.
    if (rest.charAt(0).toUpperCase() === 'I') rest = rest.slice(1);
    if (rest.charAt(0).toUpperCase() === 'B') rest = rest.slice(1);
  }
  if (rest !== '') return invalid;
  if (parsed.num > UINTMAX_MAX / multiply) return { error: `Size is too large: ${value}` };
  return { value: parsed.num * multiply };
}

export function checkSize(value: string): string | undefined {
  return parseSize(value).error;
}

/** A value parsed as its setting type reads it (bool, numbers, port, octal, size, time); undefined for other types and invalid values. */
export function parseTyped(type: string | undefined, value: string): bigint | number | boolean | undefined {
  switch (type) {
    case 'bool':
      return parseBool(value).value;
    case 'uint':
      return parseUint(value).value;
    case 'port':
      return parsePort(value).value;
    case 'octal':
      return parseOctal(value).value;
    case 'size':
      return parseSize(value).value;
    case 'time':
    case 'time_msecs':
      return parseTime(value, type === 'time_msecs').value;
    default:
      return undefined;
  }
}
