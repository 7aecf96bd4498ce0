// 2.3 `%u`-style and `%{username}`-style variables to 2.4 `%{user}` expressions (FACTS §4.2).
import { SHORT_VARIABLES_23, shortVariables23 } from '../schema/varExpand24';
import { LONG_VARIABLES } from './facts';

/** Settings whose `%` sequences are not 2.3 variables (strftime formats) or need a person. */
export const NOT_VARIABLE_VALUES: ReadonlySet<string> = new Set(['log_timestamp']);
export const FORMAT_VALUES: ReadonlySet<string> = new Set(['login_log_format', 'deliver_log_format']);

export interface VariableConversion {
  value: string;
  /** 2.3 long names the table does not know: left as written. */
  unknown: string[];
  changed: boolean;
}

/**
 * Converts the variables of a value written in 2.3 syntax (quotes and all, as raw text), with a setting's own
 * letters when it has them; `knownNames` are 2.4 variables of the setting, kept as written.
 */
export function convertVariables(
  raw: string,
  variables: Readonly<Record<string, string>> = SHORT_VARIABLES_23,
  knownNames: ReadonlySet<string> = new Set(),
): VariableConversion {
  const unknown: string[] = [];
  let result = '';
  let last = 0;
  const shorts = shortVariables23(raw, variables);
  const longPattern = /%%|%\{([A-Za-z_][\w:]*)\}/g;
  const spans: { start: number; end: number; text: string }[] = shorts.map((s) => ({
    start: s.offset,
    end: s.offset + s.text.length,
    text: s.replacement,
  }));
  for (let match = longPattern.exec(raw); match; match = longPattern.exec(raw)) {
    if (match[0] === '%%') continue;
    const name = match[1];
    if (knownNames.has(name)) continue;
    const replacement = LONG_VARIABLES[name];
    if (replacement === undefined) {
      if (
        !/^(env|auth|session|remote_port|local_port|real_\w+|orig_\w+|master_user|login_user|mechanism|secured|ssl_\w+|cert|passdb:\w+|userdb:\w+|owner_\w+|original_user|lip|rip)$/.test(
          name,
        )
      )
        unknown.push(name);
      continue;
    }
    spans.push({ start: match.index, end: match.index + match[0].length, text: replacement });
  }
  spans.sort((a, b) => a.start - b.start);
  for (const span of spans) {
    if (span.start < last) continue;
    result += raw.slice(last, span.start) + span.text;
    last = span.end;
  }
  result += raw.slice(last);
  return { value: result, unknown, changed: result !== raw };
}

/** pop3_uidl_format's own variables (pop3-commands.c@2.3.19:656-667 and @2.4.4:668-676). */
const POP3_UIDL_VARIABLES: Readonly<Record<string, string>> = {
  v: 'uidvalidity',
  u: 'uid',
  m: 'md5',
  f: 'filename',
  g: 'guid',
};

/** `%08Xu%08Xv` → `%{uid | hex(8)}%{uidvalidity | hex(8)}`; undefined when a part has no known form. */
export function convertPop3UidlFormat(value: string): string | undefined {
  let failed = false;
  const converted = value.replace(
    /%%|%(0?)(\d*)(X?)([a-zA-Z])|%\{(\w+)\}/g,
    (all, _zero: string, width: string, hex: string, letter: string, long: string) => {
      if (all === '%%') return all;
      const name = long ?? POP3_UIDL_VARIABLES[letter];
      if (!name || !Object.values(POP3_UIDL_VARIABLES).includes(name)) {
        failed = true;
        return all;
      }
      if (hex) return `%{${name} | hex${width ? `(${width})` : ''}}`;
      return width ? ((failed = true), all) : `%{${name}}`;
    },
  );
  return failed ? undefined : converted;
}
