// Reading the LALR(1) tables GNU Bison 3.8 generates (scripts/gen-grammars-24.mjs writes them as JSON)
// the way the generated C parser does: the state after a reduction and the verbose syntax error.

/** The tables of one grammar, as scripts/gen-grammars-24.mjs writes them. */
export interface BisonTables {
  final: number;
  last: number;
  tokens: number;
  pactNinf: number;
  names: string[];
  pact: number[];
  defact: number[];
  pgoto: number[];
  defgoto: number[];
  table: number[];
  check: number[];
  r1: number[];
  r2: number[];
}

const ERROR = 1;

/** The state reached after reducing to nonterminal `lhs` with `below` on top of the stack (yygoto). */
export function bisonGoto(grammar: BisonTables, lhs: number, below: number): number {
  const goto = grammar.pgoto[lhs - grammar.tokens] + below;
  return goto >= 0 && goto <= grammar.last && grammar.check[goto] === below
    ? grammar.table[goto]
    : grammar.defgoto[lhs - grammar.tokens];
}

/** Bison's verbose message: the unexpected token and, when there are at most four, the expected ones. */
export function bisonSyntaxError(grammar: BisonTables, state: number, token: number): string {
  let message = `syntax error, unexpected ${grammar.names[token]}`;
  const base = grammar.pact[state];
  if (base === grammar.pactNinf) return message;
  const expected: string[] = [];
  const first = base < 0 ? -base : 0;
  const last = Math.min(grammar.last - base + 1, grammar.tokens);
  for (let symbol = first; symbol < last; symbol++) {
    if (grammar.check[symbol + base] === symbol && symbol !== ERROR) expected.push(grammar.names[symbol]);
  }
  if (expected.length > 0 && expected.length <= 4) message += `, expecting ${expected.join(' or ')}`;
  return message;
}

/** A token as the parser reads it: its symbol number and its text. */
export interface BisonToken {
  symbol: number;
  text: string;
}

/** An entry of the parser's stack: a state, with the symbol and the text it stands for. */
export interface BisonEntry extends BisonToken {
  state: number;
}

/** What one grammar adds to the table-driven parse. */
export interface BisonHooks {
  /** The next token; the end of the input is symbol 0. */
  next(): BisonToken;
  /** An error the scanner reports for a token it just read, which ends the parse. */
  scanError?(token: BisonToken): string | undefined;
  /** A token was shifted. */
  shifted?(token: BisonToken): void;
  /** A rule was reduced: the text the nonterminal carries, or the semantic error that ends the parse. */
  reduced(lhsName: string, rhs: BisonEntry[]): { text: string } | { error: string };
  /** The message of a syntax error (default: Bison's verbose message). */
  syntaxError?(message: string): string;
}

const END = 0;
const MAX_STEPS = 100000;

/** The table-driven LALR(1) parse yyparse() runs; the first error message, or undefined when the input parses. */
export function bisonParse(grammar: BisonTables, hooks: BisonHooks): string | undefined {
  const stack: BisonEntry[] = [{ state: 0, symbol: END, text: '' }];
  let lookahead: BisonToken | undefined;
  for (let steps = 0; steps < MAX_STEPS; steps++) {
    const state = stack[stack.length - 1].state;
    let action: number | undefined;
    const base = grammar.pact[state];
    if (base !== grammar.pactNinf) {
      if (!lookahead) {
        lookahead = hooks.next();
        const scanError = hooks.scanError?.(lookahead);
        if (scanError !== undefined) return scanError;
      }
      const index = base + lookahead.symbol;
      if (index >= 0 && index <= grammar.last && grammar.check[index] === lookahead.symbol)
        action = grammar.table[index];
    }
    if (action !== undefined && action > 0 && lookahead) {
      if (action === grammar.final) return undefined;
      hooks.shifted?.(lookahead);
      stack.push({ state: action, symbol: lookahead.symbol, text: lookahead.text });
      lookahead = undefined;
      continue;
    }
    const rule = action !== undefined ? -action : grammar.defact[state];
    if (rule === 0) {
      const message = bisonSyntaxError(grammar, state, lookahead?.symbol ?? END);
      return hooks.syntaxError ? hooks.syntaxError(message) : message;
    }
    const lhs = grammar.r1[rule];
    const rhs = stack.splice(stack.length - grammar.r2[rule], grammar.r2[rule]);
    const reduced = hooks.reduced(grammar.names[lhs], rhs);
    if ('error' in reduced) return reduced.error;
    const goto = bisonGoto(grammar, lhs, stack[stack.length - 1].state);
    if (goto === grammar.final) return undefined;
    stack.push({ state: goto, symbol: lhs, text: reduced.text });
  }
  return 'syntax error';
}
