// How Dovecot splits the value of a line holding a `$` (config_write_keyvariable, 2.3.19 and 2.4.4): at each
// space, the blanks after it skipped. A tab alone separates nothing: `a<tab>$x` is one literal word, and
// `$x<tab>b` names `x<tab>b`. Dovecot keeps the words joined by one space each.
import { isBlankCode } from './characters';

/** Calls `visit` with where each word of a `$` line's value starts and ends (the last may be empty after a trailing space). */
export function forEachKeyVariableWord(value: string, visit: (start: number, end: number) => void): void {
  for (let start = 0; ;) {
    const space = value.indexOf(' ', start);
    visit(start, space < 0 ? value.length : space);
    if (space < 0) return;
    start = space + 1;
    while (isBlankCode(value.charCodeAt(start))) start++;
  }
}

/** The words of a value as Dovecot reads a line holding a `$`. */
export function keyVariableTexts(value: string): string[] {
  const words: string[] = [];
  forEachKeyVariableWord(value, (start, end) => words.push(value.slice(start, end)));
  return words;
}

/** The value Dovecot stores for a line holding a `$`, before any word is expanded: its words joined by one space. */
export function keyVariableText(value: string): string {
  // Only blanks after a space are dropped: most values have none and are stored as written.
  if (!value.includes('  ') && !value.includes(' \t')) return value;
  return keyVariableTexts(value).join(' ');
}

/** Whether Dovecot reads the value as one with `$` words (unquoted and holding a `$`). */
export function isKeyVariableValue(rawValue: string): boolean {
  const first = rawValue[0];
  return first !== '"' && first !== "'" && rawValue.includes('$');
}
