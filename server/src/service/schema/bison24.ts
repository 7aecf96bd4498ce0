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
