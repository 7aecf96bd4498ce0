// Whether Dovecot 2.4's `%{...}` program parser (src/lib-var-expand@2.4.4) accepts a value, and its
// error message when not. doveconf runs only this parser on a value (it never expands it), so an
// unknown variable or filter is not an error here: it fails when a service expands the value.
//
// The scanner is our own reading of the program's lexical rules; the parser is driven by the LALR(1)
// tables Bison generated for the real grammar (varExpandGrammar24.json, scripts/gen-grammars-24.mjs),
// so a syntax error is found at the same token and reported with the same expected tokens.
import grammar from './varExpandGrammar24.json';
import { bisonParse, type BisonEntry, type BisonToken } from './bison24';

/** var_expand_program_create() refuses longer programs before parsing them. */
const MAX_PROGRAM_SIZE = 8192;
const INTMAX_MAX = 9223372036854775807n;
const INTMAX_MIN = -9223372036854775808n;

const SYMBOL = Object.fromEntries(grammar.names.map((name, index) => [name, index]));
const END = 0;
const ERROR = 1;

const isAsciiLetter = (byte: number): boolean => (byte >= 0x41 && byte <= 0x5a) || (byte >= 0x61 && byte <= 0x7a);
const isDigit = (byte: number): boolean => byte >= 0x30 && byte <= 0x39;
const isHexDigit = (byte: number): boolean =>
  isDigit(byte) || (byte >= 0x41 && byte <= 0x46) || (byte >= 0x61 && byte <= 0x66);
const isNameStart = (byte: number): boolean => isAsciiLetter(byte) || byte >= 0x80;
const isNameByte = (byte: number): boolean =>
  isNameStart(byte) || isDigit(byte) || '_/;:.-'.includes(String.fromCharCode(byte));

const PUNCTUATION: Record<string, string> = {
  '%': 'PERC',
  '|': 'PIPE',
  '(': 'OBRACE',
  ')': 'CBRACE',
  ',': 'COMMA',
  '=': 'EQ',
  '+': 'PLUS',
  '-': 'MINUS',
  '*': 'STAR',
  '/': 'SLASH',
};

/**
 * The scanner, on the UTF-8 bytes of the value. Outside `%{` text is literal; inside, names, numbers,
 * quoted strings and punctuation are tokens. A character no rule matches inside `%{` is remembered as
 * "Premature program end" but scanning goes on (the program still parses if nothing else is wrong);
 * a bad escape in a string ends scanning with an error token.
 */
class Scanner {
  private pos = 0;
  private inExpression = false;
  /** The first error the scanner noticed (doveconf keeps only the first message). */
  firstError?: string;

  constructor(private readonly bytes: Uint8Array) {}

  /** The byte offset of the next token. */
  get position(): number {
    return this.pos;
  }

  private note(message: string): void {
    this.firstError ??= message;
  }

  private token(name: string, text = ''): BisonToken {
    return { symbol: SYMBOL[name], text };
  }

  private text(start: number, end: number): string {
    return Buffer.from(this.bytes.subarray(start, end)).toString('latin1');
  }

  next(): BisonToken {
    return this.inExpression ? this.nextInExpression() : this.nextInText();
  }

  private nextInText(): BisonToken {
    const bytes = this.bytes;
    if (this.pos >= bytes.length) return { symbol: END, text: '' };
    if (bytes[this.pos] === 0x25) {
      if (bytes[this.pos + 1] === 0x7b) {
        this.pos += 2;
        this.inExpression = true;
        return this.token('OCBRACE');
      }
      if (bytes[this.pos + 1] === 0x25 && bytes[this.pos + 2] === 0x7b) {
        this.pos += 3;
        return this.token('VALUE', '%{');
      }
      this.pos++;
      return this.token('PERC');
    }
    const start = this.pos;
    while (this.pos < bytes.length && bytes[this.pos] !== 0x25) this.pos++;
    return this.token('VALUE', this.text(start, this.pos));
  }

  private nextInExpression(): BisonToken {
    const bytes = this.bytes;
    for (;;) {
      if (this.pos >= bytes.length) return { symbol: END, text: '' };
      const byte = bytes[this.pos];
      const char = String.fromCharCode(byte);
      if (char === '}') {
        this.pos++;
        this.inExpression = false;
        return this.token('CCBRACE');
      }
      if (char === ' ' || char === '\t') {
        this.pos++;
        continue;
      }
      if (isNameStart(byte)) return this.run('NAME', isNameByte);
      if (isDigit(byte)) return this.run('NUMBER', isDigit);
      if (char === '"' || char === "'") return this.quoted(byte);
      this.pos++;
      const punctuation = PUNCTUATION[char];
      if (punctuation) return this.token(punctuation);
      this.note('Premature program end');
    }
  }

  private run(name: string, continues: (byte: number) => boolean): BisonToken {
    const start = this.pos;
    this.pos++;
    while (this.pos < this.bytes.length && continues(this.bytes[this.pos])) this.pos++;
    return this.token(name, this.text(start, this.pos));
  }

  /** A quoted string up to its closing quote; at the end of the value the scanner simply ends. */
  private quoted(quote: number): BisonToken {
    const bytes = this.bytes;
    this.pos++;
    let text = '';
    while (this.pos < bytes.length) {
      const byte = bytes[this.pos];
      if (byte === quote) {
        this.pos++;
        return this.token('VALUE', text);
      }
      if (byte !== 0x5c) {
        text += String.fromCharCode(byte);
        this.pos++;
        continue;
      }
      const escaped = this.escape(this.pos + 1);
      if (escaped === undefined) return this.token('end of file');
      if (escaped === 'error') {
        this.note('Invalid character escape');
        return { symbol: ERROR, text: '' };
      }
      text += escaped.char;
      this.pos = escaped.end;
    }
    return { symbol: END, text: '' };
  }

  /** The character a backslash escape at `at` stands for; undefined at the end of the value. */
  private escape(at: number): { char: string; end: number } | 'error' | undefined {
    const bytes = this.bytes;
    if (at >= bytes.length) return undefined;
    const char = String.fromCharCode(bytes[at]);
    const simple: Record<string, string> = { '\\': '\\', t: '\t', r: '\r', n: '\n', '"': '"', "'": "'" };
    if (char === 'x' && isHexDigit(bytes[at + 1] ?? 0) && isHexDigit(bytes[at + 2] ?? 0)) {
      return { char: String.fromCharCode(parseInt(this.text(at + 1, at + 3), 16)), end: at + 3 };
    }
    if (isDigit(bytes[at])) {
      let end = at;
      while (end < at + 3 && isDigit(bytes[end] ?? 0)) end++;
      const digits = this.text(at, end);
      if (!/^[0-7]+$/.test(digits) || parseInt(digits, 8) > 255) return 'error';
      return { char: String.fromCharCode(parseInt(digits, 8)), end };
    }
    if (simple[char] !== undefined) return { char: simple[char], end: at + 1 };
    return 'error';
  }
}

/** Names the program registers as variables when they come first in a `%{...}`: they are usually filters. */
const FIRST_NAMES_NOT_VARIABLES = ['literal', 'lookup', 'if', 'calculate'];

export interface VarExpandProgram24 {
  /** doveconf's message when the program does not parse. */
  error?: string;
  /** The variables the program reads, sorted (var_expand_program_variables()). */
  variables: string[];
}

/** What a reduction registers as a variable: a name argument, a `+ name` operand, or a program's first filter. */
class Variables {
  readonly names = new Set<string>();
  private firstFilterSeen = false;

  newExpression(): void {
    this.firstFilterSeen = false;
  }

  reduce(lhs: string, rhs: BisonEntry[]): void {
    const last = rhs[rhs.length - 1];
    if ((lhs === 'argument' || lhs === 'math') && last?.symbol === SYMBOL.NAME) this.names.add(last.text);
    if (lhs !== 'func') return;
    if (!this.firstFilterSeen && !FIRST_NAMES_NOT_VARIABLES.includes(rhs[0].text)) this.names.add(rhs[0].text);
    this.firstFilterSeen = true;
  }
}

/** The `number` rules check that the digits fit in an intmax_t. */
function numberFits(digits: string): boolean {
  const number = BigInt(digits);
  return number <= INTMAX_MAX && number >= INTMAX_MIN;
}

/** The text a reduced nonterminal carries: a name for funcname/key, the digits of a number. */
function reducedText(lhs: string, rhs: BisonEntry[]): string {
  if (lhs === 'number') return rhs.map((entry) => (entry.symbol === SYMBOL.MINUS ? '-' : entry.text)).join('');
  if (lhs === 'funcname' || lhs === 'key') return rhs[0]?.text ?? '';
  if (lhs === 'func') return rhs[0]?.text ?? '';
  return '';
}

/** The table-driven LALR(1) parse; the first error message, or undefined when the program parses. */
function parse(bytes: Uint8Array, variables: Variables): string | undefined {
  const scanner = new Scanner(bytes);
  return bisonParse(grammar, {
    next: () => scanner.next(),
    scanError: (token) => (token.symbol === ERROR ? (scanner.firstError ?? 'syntax error') : undefined),
    shifted: (token) => {
      if (token.symbol === SYMBOL.OCBRACE) variables.newExpression();
    },
    reduced: (lhsName, rhs) => {
      const text = reducedText(lhsName, rhs);
      if (lhsName === 'number' && !numberFits(text)) return { error: scanner.firstError ?? 'Not a number' };
      variables.reduce(lhsName, rhs);
      return { text };
    },
    syntaxError: (message) => scanner.firstError ?? message,
  });
}

/** Parses a `%{...}` program as var_expand_program_create() does (also a value without `%{`). */
export function varExpandProgram24(value: string): VarExpandProgram24 {
  const bytes = new TextEncoder().encode(value);
  if (bytes.length > MAX_PROGRAM_SIZE)
    return { error: `Program size exceeds maximum of ${MAX_PROGRAM_SIZE} bytes`, variables: [] };
  const variables = new Variables();
  const error = parse(bytes, variables);
  return {
    error,
    variables: error !== undefined ? [] : [...variables.names].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)),
  };
}

/**
 * The error doveconf 2.4 reports for the `%{...}` program in `value` (without the `setting: value: `
 * prefix), or undefined when it parses. Only values containing `%{` are parsed by doveconf.
 */
export function varExpandProgramError24(value: string): string | undefined {
  if (!value.includes('%{')) return undefined;
  return varExpandProgram24(value).error;
}

/** A piece of a value as the program parser cuts it: literal text, or the source of one `%{...}` program. */
export type VarExpandPiece24 = { text: string } | { program: string };

/** `value` cut into its literal text (`%%{` gives `%{`, a lone `%` itself) and its programs; undefined when it does not parse. */
export function varExpandPieces24(value: string): VarExpandPiece24[] | undefined {
  if (varExpandProgram24(value).error !== undefined) return undefined;
  const bytes = new TextEncoder().encode(value);
  const utf8 = (start: number, end: number): string => Buffer.from(bytes.subarray(start, end)).toString('utf8');
  const scanner = new Scanner(bytes);
  const pieces: VarExpandPiece24[] = [];
  let text: number[] = [];
  let programStart = -1;
  for (let token = scanner.next(); token.symbol !== END; token = scanner.next()) {
    if (token.symbol === SYMBOL.OCBRACE) {
      pieces.push({ text: Buffer.from(text).toString('utf8') });
      text = [];
      programStart = scanner.position - 2;
    } else if (token.symbol === SYMBOL.CCBRACE) {
      pieces.push({ program: utf8(programStart, scanner.position) });
      programStart = -1;
    } else if (programStart < 0) text.push(...Buffer.from(token.symbol === SYMBOL.PERC ? '%' : token.text, 'latin1'));
  }
  pieces.push({ text: Buffer.from(text).toString('utf8') });
  return pieces;
}
