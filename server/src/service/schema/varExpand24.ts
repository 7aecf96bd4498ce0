// Dovecot 2.4 `%{variable | filter}` programs (src/lib-var-expand@2.4.4). doveconf parses every value
// that contains `%{` and rejects a program it cannot parse; a 2.3 short form such as `%u` has no `{` and
// is kept as literal text ("%" followed by "u").

/** 2.3 short variables (the mail user's) and the 2.4 expressions that replace them; pid and uid come from 2.4's process provider. */
export const SHORT_VARIABLES_23: Readonly<Record<string, string>> = {
  u: '%{user}',
  n: '%{user | username}',
  d: '%{user | domain}',
  h: '%{home}',
  s: '%{protocol}',
  l: '%{local_ip}',
  r: '%{remote_ip}',
  p: '%{process:pid}',
  i: '%{process:uid}',
};

export interface ShortVariable23 {
  /** Offset of the `%` in the value. */
  offset: number;
  text: string;
  replacement: string;
}

/** An IPv6 address (or network) that ends just before `offset`: the `%` there starts its zone (`fe80::1%eth0`). */
function isZoneIndex(value: string, offset: number): boolean {
  return /(?:^|[^0-9A-Za-z])[0-9A-Fa-f:]*:[0-9A-Fa-f:]*:[0-9A-Fa-f.]*(?:\/\d+)?$/.test(value.slice(0, offset));
}

/**
 * 2.3-style short variables (`%u`, `%Ld`, `%n`) in a value. `%%` is a literal percent sign and is
 * skipped, and so is the `%` of an IPv6 zone (`fe80::1%lo`); only letters of `variables` (the mail user's
 * unless the setting has its own) are reported.
 */
export function shortVariables23(
  value: string,
  variables: Readonly<Record<string, string>> = SHORT_VARIABLES_23,
): ShortVariable23[] {
  const found: ShortVariable23[] = [];
  const pattern = /%(%|[LUER0-9.-]*([a-zA-Z$]))/g;
  for (let match = pattern.exec(value); match; match = pattern.exec(value)) {
    if (match[1] === '%' || isZoneIndex(value, match.index)) continue;
    const letter = match[2];
    const replacement = variables[letter];
    if (replacement === undefined) continue;
    const modifiers = match[1].slice(0, -1);
    const lower = modifiers.includes('L') ? replacement.replace('}', ' | lower}') : replacement;
    found.push({
      offset: match.index,
      text: match[0],
      replacement: modifiers.includes('U') ? lower.replace('}', ' | upper}') : lower,
    });
  }
  return found;
}
