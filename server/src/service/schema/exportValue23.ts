// How Dovecot 2.3's config service writes a setting's value where a `$name` naming it stood
// (config_export_type() called from config_write_keyvariable@2.3.19): the value as the settings parser
// holds it, a size or time in its largest whole unit (`256 M`, `1 mins`), a boolean as yes or no.
import type { SettingInfo } from './schema';
import { checkEnum, parseBool, parseOctal, parsePort, parseSize, parseTime, parseUint } from './valueCheck';

const SIZE_SUFFIXES = ['B', 'k', 'M', 'G', 'T'];

/** config_export_size(): the largest unit that divides the size. */
function exportSize(bytes: bigint): string {
  if (bytes === 0n) return '0';
  let size = bytes;
  let suffix = 0;
  while (suffix + 1 < SIZE_SUFFIXES.length && size % 1024n === 0n) {
    size /= 1024n;
    suffix++;
  }
  return `${size} ${SIZE_SUFFIXES[suffix]}`;
}

/** config_export_time(): seconds in the largest unit that divides them. */
function exportTime(seconds: bigint): string {
  if (seconds === 0n) return '0';
  const units: Array<[string, bigint]> = [
    ['mins', 60n],
    ['hours', 60n],
    ['days', 24n],
    ['weeks', 7n],
  ];
  let value = seconds;
  let suffix = 'secs';
  for (const [unit, factor] of units) {
    if (value % factor !== 0n) break;
    value /= factor;
    suffix = unit;
  }
  return `${value} ${suffix}`;
}

/** How the config service writes the value `text` of setting `info` where `$name` stood; undefined if it cannot. */
export function exportedValue23(info: SettingInfo, text: string): string | undefined {
  switch (info.type) {
    case 'string':
    case 'string_vars':
      return text;
    case 'enum':
      return checkEnum(text, info.values ?? []) === undefined ? text : undefined;
    case 'bool': {
      const value = parseBool(text).value;
      return value === undefined ? undefined : value ? 'yes' : 'no';
    }
    case 'uint':
      return parseUint(text).value?.toString();
    case 'port':
      return parsePort(text).value?.toString();
    case 'octal': {
      const value = parseOctal(text).value;
      // get_octal() keeps the number in an unsigned int.
      return value === undefined ? undefined : `0${BigInt.asUintN(32, value).toString(8)}`;
    }
    case 'size': {
      const value = parseSize(text).value;
      return value === undefined ? undefined : exportSize(value);
    }
    case 'time': {
      const value = parseTime(text, false).value;
      return value === undefined ? undefined : exportTime(value);
    }
    case 'time_msecs': {
      const value = parseTime(text, true).value;
      if (value === undefined) return undefined;
      return value % 1000n === 0n ? exportTime(value / 1000n) : `${value} ms`;
    }
    default:
      // Lists and sections cannot be expanded (`Invalid variable`).
      return undefined;
  }
}
