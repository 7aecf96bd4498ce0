// The named list filters doveconf 2.4 reads again from inside a parent struct's check: the auth check
// gets every `passdb NAME { }` and `userdb NAME { }` (auth_settings_get_passdbs() in
// src/auth/auth-settings.c@2.4.4), the namespace check every `mailbox NAME { }` inside it
// (src/lib-storage/mail-storage-settings.c), the language check every `language NAME { }`
// (src/lib-language/lang-settings.c). That second read (settings_get_filter()) must turn each value
// into its type, so a `%{variable}` in a string, boolean, number, time or enum setting of that struct is
// expanded, and doveconf has no variables: the check fails with `Failed to get passdb NAME: …`.
import { SIEVE_INIT_STRUCTS_24, sieveInitFailure24 } from './moreChecks24';
import { findSetting24 } from './schema24';
import { EXPANDED_TYPES_24 } from './valueCheck24';
import { varExpandProgram24 } from './varExpandParser24';

/** Filter key of the named list filter → the struct its block is read as (setting_parser_info.name). */
const LOOKED_UP_FILTERS: Readonly<Record<string, { struct: string; parentKind?: string }>> = {
  passdb: { struct: 'auth_passdb' },
  userdb: { struct: 'auth_userdb' },
  mailbox: { struct: 'mailbox', parentKind: 'namespace' },
  language: { struct: 'language' },
};

/**
 * The variable doveconf fails on: only for a value whose program reads one plain variable (no
 * `provider:` and no function first), so that the first failing expression is certainly that one.
 */
function unknownVariable(value: string): string | undefined {
  if (!value.includes('%{') || value.includes('$ENV:') || value.includes('$SET:')) return undefined;
  const program = varExpandProgram24(value);
  if (program.error !== undefined || program.variables.length !== 1) return undefined;
  const [variable] = program.variables;
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(variable)) return undefined;
  const firstExpression = /%\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*(\||\})/.exec(value);
  return firstExpression?.[1] === variable && value.indexOf('%{') === firstExpression.index ? variable : undefined;
}

/**
 * doveconf's error for `key = value` written directly in the block `filterName` (`passdb/static`),
 * whose parent block is of kind `parentKind` (`namespace`), or undefined.
 */
export function filterLookupError24(
  filterName: string,
  parentKind: string | undefined,
  key: string,
  value: string,
): string | undefined {
  const slash = filterName.indexOf('/');
  if (slash < 0) return undefined;
  const filterKey = filterName.slice(0, slash);
  const lookedUp = LOOKED_UP_FILTERS[filterKey];
  if (!lookedUp || (lookedUp.parentKind !== undefined && lookedUp.parentKind !== parentKind)) return undefined;
  const info = findSetting24(key);
  if (!info || !EXPANDED_TYPES_24.has(info.type) || !(info.structs ?? []).includes(lookedUp.struct)) return undefined;
  const variable = unknownVariable(value);
  if (variable === undefined) return undefined;
  const name = filterName.slice(slash + 1);
  return (
    `Failed to get ${filterKey} ${name}: ${lookedUp.struct} settings (filter=${filterName}): ` +
    `Failed to parse configuration: Failed to expand ${key} setting variables: Unknown variable '${variable}'`
  );
}

/** The enum settings of an `event_exporter` block, in the order the struct defines them. */
export const EXPORTER_ENUM_KEYS_24 = ['event_exporter_driver', 'event_exporter_time_format'] as const;

/**
 * stats_settings_ext_check() reads the `event_exporter NAME { }` a metric names without expanding it, so
 * an enum value holding a `%{…}` program is parsed as written and fails. `$ENV:`/`$SET:` values fail the
 * same way with `doveconf -n` only; we leave those alone.
 */
export function exporterLookupError24(exporter: string, key: string, value: string): string | undefined {
  if (!value.includes('%{') || value.includes('$ENV:') || value.includes('$SET:')) return undefined;
  if (varExpandProgram24(value).error !== undefined) return undefined;
  return (
    `Failed to get event_exporter ${exporter}: stats_exporter settings (filter=event_exporter/${exporter}): ` +
    `Failed to parse configuration: Invalid setting ${key}=${value}: Invalid value: ${value}`
  );
}

/**
 * doveconf initialises Sieve with the global settings to list the ManageSieve capabilities: the settings of
 * the structs it reads then (SIEVE_INIT_STRUCTS_24) are expanded, so a `%{variable}` in one fails it.
 */
export function sieveInitVariableError24(key: string, value: string): string | undefined {
  const info = findSetting24(key);
  const struct = info?.structs?.find((name) => SIEVE_INIT_STRUCTS_24.has(name));
  if (!info || struct === undefined || !EXPANDED_TYPES_24.has(info.type)) return undefined;
  const variable = unknownVariable(value);
  if (variable === undefined) return undefined;
  return sieveInitFailure24(
    struct,
    `Failed to parse configuration: Failed to expand ${key} setting variables: Unknown variable '${variable}'`,
  );
}
