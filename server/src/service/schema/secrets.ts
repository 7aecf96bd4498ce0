// One notion of "secret" for every place that shows a value (effective view, hover, inlay hints, outline,
// messages). It is doveconf's own: Dovecot 2.3.19 `doveconf` (src/config/doveconf.c,
// hide_secrets_from_value) hides without -P
// - the whole value of a setting whose name ends in `_password`, `_key` or `_nonce` (a name longer than
//   that suffix) or starts with `ssl_dh`;
// - inside any other value, what follows the `=` of a word that contains `key`, `secret` or `pass` at its
//   start or after a character that is not a letter or digit (`args = password=X`, `secret_api_key=X`,
//   `redis:host=h:password=X`, `connect = ... password=X`), up to white space, `;` or `:`; glued to a
//   letter or digit before it (`nopassword=`) it is not a secret;
// - the `user:password` part of `http://`, `https://` and `ftp://` URLs.
// Dovecot 2.4.4's doveconf also hides the whole value of a setting whose name ends in `_secret`.
// Beyond doveconf: `dnpass` (dovecot-ldap.conf.ext) and `client_secret` (dovecot-oauth2.conf.ext) are
// secret too; doveconf never prints those files, but the editor shows them.

import type { CheckedVersion } from '../model/dialect';

/** A hidden stretch of a value: the whole value, or a part inside it. */
export interface HiddenPart {
  hidden: 'value' | 'part';
}

export type ValueSegment = string | HiddenPart;

const SECRET_SUFFIXES: Record<CheckedVersion, readonly string[]> = {
  '2.3': ['_password', '_key', '_nonce'],
  '2.4': ['_password', '_key', '_nonce', '_secret'],
};
const SECRET_KEYS_OF_EXT_FILES = new Set(['dnpass', 'client_secret']);
/** In doveconf's order: at the same position the first one wins. */
const SECRET_WORDS = ['key', 'secret', 'pass', 'http://', 'https://', 'ftp://'];

/** What the editor shows in place of a secret. */
export const HIDDEN_TEXT = '(hidden)';

const isSpace = (ch: string | undefined): boolean => ch !== undefined && /^[ \t\n\v\f\r]$/.test(ch);
const isAlnum = (ch: string | undefined): boolean => ch !== undefined && /^[A-Za-z0-9]$/.test(ch);

/** Whether the whole value of this setting is a secret. */
export function isSecretSetting(key: string, version: CheckedVersion = '2.3'): boolean {
  return (
    SECRET_SUFFIXES[version].some((suffix) => key.length > suffix.length && key.endsWith(suffix)) ||
    key.startsWith('ssl_dh') ||
    SECRET_KEYS_OF_EXT_FILES.has(key)
  );
}

/** Finds the next secret word from a position; each word's next place is kept, so a scan stays linear in the value. */
function secretWordFinder(value: string): (from: number) => { at: number; word: string } | undefined {
  const places = SECRET_WORDS.map((word) => value.indexOf(word));
  return (from) => {
    let next: { at: number; word: string } | undefined;
    SECRET_WORDS.forEach((word, index) => {
      if (places[index] >= 0 && places[index] < from) places[index] = value.indexOf(word, from);
      const at = places[index];
      if (at >= 0 && (next === undefined || at < next.at)) next = { at, word };
    });
    return next;
  };
}

/**
 * The value cut into shown text and hidden parts, as doveconf hides them; undefined when nothing in it
 * is secret. Empty values are never hidden (doveconf shows `key =`).
 */
export function secretSegments(
  key: string,
  value: string,
  version: CheckedVersion = '2.3',
): ValueSegment[] | undefined {
  if (value === '') return undefined;
  if (isSecretSetting(key, version)) return [{ hidden: 'value' }];
  const segments: ValueSegment[] = [];
  let shownFrom = 0;
  let position = 0;
  const nextSecretWord = secretWordFinder(value);
  for (let found = nextSecretWord(0); found; found = nextSecretWord(position)) {
    if (found.word.includes('://')) {
      const userStart = found.at + found.word.length;
      let end = userStart;
      while (end < value.length && !isSpace(value[end]) && value[end] !== '/' && value[end] !== '@') end++;
      if (value[end] === '@' && end > userStart) {
        segments.push(value.slice(shownFrom, userStart), { hidden: 'part' });
        shownFrom = end;
      }
      position = end;
      continue;
    }
    if (isAlnum(value[found.at - 1])) {
      position = found.at + 1;
      continue;
    }
    let end = found.at;
    while (end < value.length && value[end] !== '=' && !isSpace(value[end])) end++;
    while (isSpace(value[end])) end++;
    if (value[end] === '=') {
      end++;
      segments.push(value.slice(shownFrom, end), { hidden: 'part' });
      while (end < value.length && !isSpace(value[end]) && value[end] !== ';' && value[end] !== ':') end++;
      shownFrom = end;
    }
    position = end;
  }
  if (segments.length === 0) return undefined;
  segments.push(value.slice(shownFrom));
  return segments.filter((segment) => segment !== '');
}

/** The value with each secret replaced by `marker`; the value itself when nothing in it is secret. */
export function maskSecrets(key: string, value: string, marker = HIDDEN_TEXT): string {
  const segments = secretSegments(key, value);
  if (!segments) return value;
  return segments.map((segment) => (typeof segment === 'string' ? segment : marker)).join('');
}

/** A value as written after `=` (possibly in double quotes) with its secrets masked. */
export function maskWrittenValue(key: string, written: string, marker = HIDDEN_TEXT): string {
  const quoted = /^"(.*)"$/s.exec(written);
  return quoted ? `"${maskSecrets(key, quoted[1], marker)}"` : maskSecrets(key, written, marker);
}

/** A whole `key = value` line with its secrets masked; other lines unchanged. */
export function maskSettingLine(line: string, marker = HIDDEN_TEXT): string {
  const match = /^(\s*([^\s=]+)\s*=\s*)(.*)$/s.exec(line);
  return match ? match[1] + maskWrittenValue(match[2], match[3], marker) : line;
}
