// Dovecot 2.3's event filters (src/lib/event-filter-lexer.l and event-filter-parser.y @2.3.19), on the tables
// of eventFilterGrammar23.json: a word has no `/` or `%`, and a Bison older than 3.6 names the end of the
// input `$end` and a character no token stands for `$undefined`.
import grammar from './eventFilterGrammar23.json';
import { eventFilterChecker } from './eventFilter';

/** doveconf 2.3's error for an event filter (`event filter: syntax error, …`), or undefined when it parses. */
export const eventFilterError23 = eventFilterChecker({
  grammar,
  tokenChar: /[A-Za-z0-9:.*?_-]/,
  // The lexer reads `\\` as `\` and `\"` as `"` and keeps any other backslash with the character after it.
  quotedKey: (raw) => raw.replace(/\\([\\"])/g, '$1'),
});
