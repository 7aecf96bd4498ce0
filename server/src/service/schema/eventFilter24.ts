// Whether Dovecot 2.4's event filter parser (src/lib/event-filter-parser.y and event-filter-lexer.l
// @2.4.4) accepts a value, and its error message when not: the language of log_debug, log_core_filter,
// process_shutdown_filter and a metric's filter, which doveconf parses after reading the configuration.
//
// The scanner follows the lexer's rules; the parser is driven by the LALR(1) tables Bison generated for
// the real grammar (eventFilterGrammar24.json, scripts/gen-grammars-24.mjs), so a syntax error is found
// at the same token and reported with the same expected tokens.
import grammar from './eventFilterGrammar24.json';
import { bisonParse, type BisonEntry, type BisonToken } from './bison24';

const SYMBOL = Object.fromEntries(grammar.names.map((name, index) => [name, index]));
const END = 0;
const INVALID = SYMBOL['invalid token'];
const KEYWORDS: Record<string, string> = { and: 'AND', or: 'OR', not: 'NOT' };
const TOKEN_CHAR = /[A-Za-z0-9:.*?/%_-]/;
/** Keys whose comparison can only be `=` (key_value() in the grammar). */
const EQUALITY_ONLY_KEYS = ['event', 'category', 'source_location'];

/** The lexer: quoted strings (kept with their backslashes), keywords, words, `<>=()`, anything else invalid. */
function* tokens(value: string): Generator<BisonToken> {
  let pos = 0;
  while (pos < value.length) {
    const char = value[pos];
    if (' \t\n\r'.includes(char)) {
      pos++;
      continue;
    }
    if (char === '"') {
      let text = '';
      pos++;
      for (;;) {
        // An unterminated string ends the input: the lexer returns end of file.
        if (pos >= value.length) return;
        if (value[pos] === '"') break;
        if (value[pos] === '\\' && pos + 1 < value.length) {
          text += value.slice(pos, pos + 2);
          pos += 2;
          continue;
        }
        text += value[pos++];
      }
      pos++;
      yield { symbol: SYMBOL.STRING, text };
      continue;
    }
    if ('<>=()'.includes(char)) {
      pos++;
      yield { symbol: SYMBOL[`'${char}'`], text: char };
      continue;
    }
    let end = pos;
    while (end < value.length && TOKEN_CHAR.test(value[end])) end++;
    if (end === pos) {
      pos++;
      yield { symbol: INVALID, text: char };
      continue;
    }
    const word = value.slice(pos, end);
    pos = end;
    const keyword = KEYWORDS[word.toLowerCase()];
    yield keyword ? { symbol: SYMBOL[keyword], text: word } : { symbol: SYMBOL.TOKEN, text: word };
  }
}

/** str_unescape(): a backslash keeps the character after it. */
function unescape(text: string): string {
  return text.replace(/\\(.)/g, '$1');
}

/** What a reduced nonterminal carries: a key's name (a quoted key unescaped), an operator's characters. */
function reducedText(lhs: string, rhs: BisonEntry[]): string {
  if (lhs === 'key') return rhs[0].symbol === SYMBOL.STRING ? unescape(rhs[0].text) : rhs[0].text;
  if (lhs === 'op') return rhs.map((entry) => entry.text).join('');
  return '';
}

/** The table-driven LALR(1) parse; the error without the `event filter: ` prefix, or undefined. */
function parse(value: string): string | undefined {
  const scanner = tokens(value);
  return bisonParse(grammar, {
    next: () => scanner.next().value ?? { symbol: END, text: '' },
    reduced: (lhsName, rhs) =>
      lhsName === 'key_value' && EQUALITY_ONLY_KEYS.includes(rhs[0].text) && rhs[1].text !== '='
        ? { error: 'Only fields support inequality comparisons' }
        : { text: reducedText(lhsName, rhs) },
  });
}

/** doveconf 2.4's error for an event filter (`event filter: syntax error, …`), or undefined when it parses. */
export function eventFilterError24(value: string): string | undefined {
  const error = parse(value);
  return error === undefined ? undefined : `event filter: ${error}`;
}
