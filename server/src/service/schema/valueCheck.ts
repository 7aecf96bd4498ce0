// Literal value checks with doveconf 2.3's exact messages (FACTS §1.14). Every accept/reject rule here
// was checked against the real doveconf 2.3.19.1 (`doveconf -n -c`); the tests in test/schema.test.ts
// encode those transcripts.

const UINT_MAX = 4294967295n;
const UINTMAX_MAX = 18446744073709551615n; // uintmax_t and uoff_t: parse overflow limit
const PORT_MAX = 65535n;

export type CheckedType = 'bool' | 'uint' | 'octal' | 'time' | 'time_msecs' | 'size' | 'port' | 'enum';

/** Leading decimal digits as str_parse_uintmax reads them; undefined when absent or overflowing. */
function parseLeadingNumber(value: string): { num: bigint; rest: string } | undefined {
  const match = /^[0-9]+/.exec(value);
  if (!match) return undefined;
  const num = BigInt(match[0]);
  if (num > UINTMAX_MAX) return undefined;
  return { num, rest: value.slice(match[0].length) };
}

export function checkBool(value: string): string | undefined {
  // settings-parser.c accepts yes/y/1 case-insensitively, but only "no" for false: `0` is an error.
  if (/^(yes|y|1|no)$/i.test(value)) return undefined;
  return `Invalid boolean value: ${value} (use yes or no)`;
}

function uintError(value: string): string | undefined {
  if (/^[0-9]+$/.test(value)) {
    return BigInt(value) > UINT_MAX ? `Invalid number ${value}: Number too large` : undefined;
  }
  if (/^-[0-9]/.test(value)) return `Invalid number ${value}: Number too small`;
  return `Invalid number ${value}: Not a valid number`;
}

export function checkUint(value: string): string | undefined {
  return uintError(value);
}

export function checkOctal(value: string): string | undefined {
  // A leading 0 switches to octal parsing with a different message; larger values wrap silently.
  if (value.startsWith('0')) {
    return /^[0-7]+$/.test(value) && BigInt('0o' + value) <= UINTMAX_MAX ? undefined : `Invalid number: ${value}`;
  }
  return uintError(value);
}

export function checkPort(value: string): string | undefined {
  if (/^[0-9]+$/.test(value) && BigInt(value) <= PORT_MAX) return undefined;
  return `Invalid port number ${value}`;
}

export function checkEnum(value: string, values: readonly string[]): string | undefined {
  return values.includes(value) ? undefined : `Invalid value: ${value}`;
}

/** strncasecmp(unit, word, strlen(unit)) == 0: the unit is a case-insensitive prefix of word. */
function isUnitPrefix(unit: string, ...words: string[]): boolean {
  const lower = unit.toLowerCase();
  return words.some((word) => lower.length <= word.length && word.startsWith(lower));
}

export function checkTime(value: string, milliseconds: boolean): string | undefined {
  const invalid = `Invalid time interval: ${value}`;
  const parsed = parseLeadingNumber(value);
  if (!parsed) return invalid;
  let { num } = parsed;
  const unit = parsed.rest.replace(/^ +/, '');
  if (unit === '' && num !== 0n) return `Time interval '${value}' is missing units (add e.g. 's' for seconds)`;
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
        if (!milliseconds && num % 1000n !== 0n) return `Milliseconds not supported for this setting: ${value}`;
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
  if (num > UINT_MAX / multiply) return `Time interval is too large: ${value}`;
  return undefined;
}

const SIZE_MULTIPLIERS: Record<string, bigint> = { B: 1n, K: 1n << 10n, M: 1n << 20n, G: 1n << 30n, T: 1n << 40n };

export function checkSize(value: string): string | undefined {
  const invalid = `Invalid size: ${value}`;
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
  if (parsed.num > UINTMAX_MAX / multiply) return `Size is too large: ${value}`;
  return undefined;
}
