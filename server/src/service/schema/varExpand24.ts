// Dovecot 2.4 `%{variable | filter}` programs (src/lib-var-expand@2.4.4). doveconf parses every value
// that contains `%{` and rejects a program it cannot parse; a 2.3 short form such as `%u` has no `{` and
// is kept as literal text ("%" followed by "u").

/** 2.3 short variables and the 2.4 expressions that replace them. */
export const SHORT_VARIABLES_23: Readonly<Record<string, string>> = {
  u: '%{user}',
  n: '%{user | username}',
  d: '%{user | domain}',
  h: '%{home}',
  s: '%{protocol}',
  l: '%{local_ip}',
  r: '%{remote_ip}',
  p: '%{pid}',
  i: '%{uid}',
};

export interface ShortVariable23 {
  /** Offset of the `%` in the value. */
  offset: number;
  text: string;
  replacement: string;
}

/**
 * 2.3-style short variables (`%u`, `%Ld`, `%n`) in a value. `%%` is a literal percent sign and is
 * skipped; only letters that were 2.3 variables are reported.
 */
export function shortVariables23(value: string): ShortVariable23[] {
  const found: ShortVariable23[] = [];
  const pattern = /%(%|[LUER0-9.-]*([a-zA-Z]))/g;
  for (let match = pattern.exec(value); match; match = pattern.exec(value)) {
    if (match[1] === '%') continue;
    const letter = match[2];
    const replacement = SHORT_VARIABLES_23[letter];
    if (replacement === undefined) continue;
    const modifiers = match[1].slice(0, -1);
    const lower = modifiers.includes('L') ? replacement.replace('}', ' | lower}') : replacement;
    found.push({ offset: match.index, text: match[0], replacement: modifiers.includes('U') ? lower.replace('}', ' | upper}') : lower });
  }
  return found;
}

/**
 * The error doveconf reports for a value's `%{...}` program, or undefined when the program is well
 * formed as far as we can tell. Only an unterminated `%{` is reported: doveconf's other syntax errors
 * come from a generated parser whose wording we do not reproduce, so we stay silent rather than guess.
 */
export function varExpandError24(value: string): string | undefined {
  let depthOpen = -1;
  for (let i = 0; i < value.length; i++) {
    if (value.startsWith('%%{', i)) {
      i += 2;
      continue;
    }
    if (depthOpen < 0 && value.startsWith('%{', i)) {
      depthOpen = i;
      i++;
      continue;
    }
    if (depthOpen >= 0) {
      const ch = value[i];
      if (ch === '"' || ch === "'") {
        const close = value.indexOf(ch, i + 1);
        if (close < 0) return undefined;
        i = close;
      } else if (ch === '}') depthOpen = -1;
    }
  }
  return depthOpen >= 0 ? 'syntax error, unexpected end of file, expecting CCBRACE or PIPE' : undefined;
}
