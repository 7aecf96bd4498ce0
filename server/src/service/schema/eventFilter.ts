// Dovecot's event filter language (src/lib/event-filter-lexer.l and event-filter-parser.y), as 2.3 and 2.4
// read it: the value of log_debug, log_core_filter, process_shutdown_filter and a metric's filter, which
// doveconf parses after reading the configuration.
//
// The scanner follows the lexer's rules; the parser is driven by the LALR(1) tables Bison generated for the
// real grammar (scripts/gen-grammars-24.mjs), so a syntax error is found at the same token and reported
// with the same expected tokens. The two versions share the grammar's rules; their lexers differ in the
// characters of a word and in what a quoted string keeps of its backslashes.
import { bisonParse, type BisonEntry, type BisonTables, type BisonToken } from './bison24';

/** What one Dovecot version's event filter reading differs in. */
export interface EventFilterDialect {
  grammar: BisonTables;
  /** A character of an unquoted word (TOKEN). */
  tokenChar: RegExp;
  /** A quoted key's name, from the characters between the quotes (backslashes as written). */
  quotedKey(raw: string): string;
}

const END = 0;
/** Bison's symbol for a character no token stands for (`invalid token`; `$undefined` before Bison 3.6). */
const INVALID = 2;
const KEYWORDS: Record<string, string> = { and: 'AND', or: 'OR', not: 'NOT' };
/** Keys whose comparison can only be `=` (key_value() in the grammar). */
const EQUALITY_ONLY_KEYS = ['event', 'category', 'source_location'];

/** The lexer: quoted strings (kept with their backslashes), keywords, words, `<>=()`, anything else invalid. */
function* tokens(value: string, dialect: EventFilterDialect, symbol: Record<string, number>): Generator<BisonToken> {
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
      yield { symbol: symbol.STRING, text };
      continue;
    }
    if ('<>=()'.includes(char)) {
      pos++;
      yield { symbol: symbol[`'${char}'`], text: char };
      continue;
    }
    let end = pos;
    while (end < value.length && dialect.tokenChar.test(value[end])) end++;
    if (end === pos) {
      pos++;
      yield { symbol: INVALID, text: char };
      continue;
    }
    const word = value.slice(pos, end);
    pos = end;
    const keyword = KEYWORDS[word.toLowerCase()];
    yield keyword ? { symbol: symbol[keyword], text: word } : { symbol: symbol.TOKEN, text: word };
  }
}

/** The table-driven LALR(1) parse; the error without the `event filter: ` prefix, or undefined. */
function parse(value: string, dialect: EventFilterDialect, symbol: Record<string, number>): string | undefined {
  const scanner = tokens(value, dialect, symbol);
  /** What a reduced nonterminal carries: a key's name, an operator's characters. */
  const reducedText = (lhs: string, rhs: BisonEntry[]): string => {
    if (lhs === 'key') return rhs[0].symbol === symbol.STRING ? dialect.quotedKey(rhs[0].text) : rhs[0].text;
    if (lhs === 'op') return rhs.map((entry) => entry.text).join('');
    return '';
  };
  return bisonParse(dialect.grammar, {
    next: () => scanner.next().value ?? { symbol: END, text: '' },
    reduced: (lhsName, rhs) =>
      lhsName === 'key_value' && EQUALITY_ONLY_KEYS.includes(rhs[0].text) && rhs[1].text !== '='
        ? { error: 'Only fields support inequality comparisons' }
        : { text: reducedText(lhsName, rhs) },
  });
}

/** The event filter check of one dialect: doveconf's error (`event filter: …`), or undefined when it parses. */
export function eventFilterChecker(dialect: EventFilterDialect): (value: string) => string | undefined {
  const symbol = Object.fromEntries(dialect.grammar.names.map((name, index) => [name, index]));
  return (value) => {
    const error = parse(value, dialect, symbol);
    return error === undefined ? undefined : `event filter: ${error}`;
  };
}
