// 2.3 `%u`-style and `%{username}`-style variables to 2.4 `%{user}` expressions (FACTS §4.2).
import { shortVariables23 } from '../schema/varExpand24';
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

/** Converts the variables of a value written in 2.3 syntax (quotes and all, as raw text). */
export function convertVariables(raw: string): VariableConversion {
  const unknown: string[] = [];
  let result = '';
  let last = 0;
  const shorts = shortVariables23(raw);
  const longPattern = /%%|%\{([A-Za-z_][\w:]*)\}/g;
  const spans: { start: number; end: number; text: string }[] = shorts.map((s) => ({ start: s.offset, end: s.offset + s.text.length, text: s.replacement }));
  for (let match = longPattern.exec(raw); match; match = longPattern.exec(raw)) {
    if (match[0] === '%%') continue;
    const name = match[1];
    const replacement = LONG_VARIABLES[name];
    if (replacement === undefined) {
      if (!/^(env|auth|session|remote_port|local_port|real_\w+|orig_\w+|master_user|login_user|mechanism|secured|ssl_\w+|cert|passdb:\w+|userdb:\w+|owner_\w+|original_user|lip|rip)$/.test(name)) unknown.push(name);
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
