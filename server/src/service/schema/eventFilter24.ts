// Dovecot 2.4's event filters (src/lib/event-filter-lexer.l and event-filter-parser.y @2.4.4), on the tables
// of eventFilterGrammar24.json.
import grammar from './eventFilterGrammar24.json';
import { eventFilterChecker } from './eventFilter';

/** doveconf 2.4's error for an event filter (`event filter: syntax error, …`), or undefined when it parses. */
export const eventFilterError24 = eventFilterChecker({
  grammar,
  tokenChar: /[A-Za-z0-9:.*?/%_-]/,
  // The lexer keeps a string's backslashes; the grammar's str_unescape() drops each, keeping what follows.
  quotedKey: (raw) => raw.replace(/\\(.)/g, '$1'),
});
