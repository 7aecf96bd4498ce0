import type { Range } from 'vscode-languageserver-types';
import type { TextLines } from './textLines';

/** What the parser can find wrong in one file (the analysis reports each under the rule of that name). */
export type SyntaxProblemCode =
  | 'expecting-brace'
  | 'garbage-after-brace'
  | 'missing-key'
  | 'ambiguous-comment'
  | 'continuation-dropped'
  | 'unknown-escape'
  | 'analysis-limit';

/** A problem found while reading one file, before includes or schema are known. */
export interface SyntaxProblem {
  code: SyntaxProblemCode;
  range: Range;
  message: string;
  data?: {
    /**
     * Set when only one Dovecot version reads the line this way: 2.4's `group @label name {` lines, and lines
     * whose key is written in double quotes.
     */
    dialect?: '2.3' | '2.4';
    /** The text a dropped `\` continuation held (the analysis quotes it, secrets masked). */
    dropped?: string;
  };
}

/** What Jinja2/Go template parts make unknown in a statement of a template file. */
export interface TemplateMarks {
  /** The key, or the section type, is (partly) a template expression. */
  key?: true;
  /** The value, section name or include pattern is (partly) a template expression. */
  value?: true;
  /** The statement lies in a `{% if %}`/`{% for %}` (or Go `{{ if }}`/`{{ range }}`) body: it may not be there at all. */
  conditional?: true;
}

export type ValueKind = 'plain' | 'quoted' | 'file' | 'variables';

/** `$name` or `$ENV:NAME` token inside an unquoted value (FACTS §1.7). */
export interface VariableToken {
  name: string;
  range: Range;
}

export interface SettingNode {
  kind: 'setting';
  key: string;
  keyRange: Range;
  /** The value text as written after `=` (after comment and continuation handling). */
  rawValue: string;
  /** The value as Dovecot stores it: quotes removed and unescaped, `<` removed for file values. */
  value: string;
  valueKind: ValueKind;
  valueRange: Range;
  variables: VariableToken[];
  range: Range;
  template?: TemplateMarks;
  /**
   * The key was written in double quotes (`"a b" = c`): Dovecot 2.4 reads it unquoted and unescaped, as
   * `key` holds it (and never as an include group); 2.3 reads the quote as part of the key.
   */
  keyQuoted?: true;
  /** With `keyQuoted`: the key Dovecot 2.3 reads on this line (`"x"`), when 2.3 reads the line as a setting. */
  key23?: string;
}

export type FilterKind = 'protocol' | 'local' | 'local_name' | 'remote';

export interface SectionNode {
  kind: 'section';
  type: string;
  typeRange: Range;
  /** Section name, unescaped; '' when the section has none. */
  name: string;
  nameRange?: Range;
  nameQuoted: boolean;
  filter?: FilterKind;
  /** `group @label name {` (Dovecot 2.4 include groups): the `@label`; `name` holds the group name. */
  groupLabel?: string;
  children: Statement[];
  /** From the type to the `{`. */
  headerRange: Range;
  closeRange?: Range;
  /** From the type to the closing `}` (or the last child when unclosed). */
  range: Range;
  template?: TemplateMarks;
  /** Nested deeper than MAX_SECTION_DEPTH: the body was only brace-counted, `children` is empty. */
  bodySkipped?: true;
  /** The type was written in double quotes (`"namespace" inbox {`): Dovecot 2.4 reads it unquoted, 2.3 does not. */
  typeQuoted?: true;
  /** With `typeQuoted`: the type Dovecot 2.3 reads (`"namespace"`), when 2.3 reads the line as a section header. */
  type23?: string;
}

export interface IncludeNode {
  kind: 'include';
  optional: boolean;
  pattern: string;
  patternRange: Range;
  range: Range;
  template?: TemplateMarks;
}

/** A `}` that closes no section of this file: it closes the including file's section, or is an error. */
export interface CloseNode {
  kind: 'close';
  range: Range;
}

/** A line Dovecot rejects as a whole (e.g. `Expecting '{'`); kept so features still see its key. */
export interface InvalidNode {
  kind: 'invalid';
  key: string;
  keyRange: Range;
  range: Range;
  template?: TemplateMarks;
  /**
   * A line whose key is written in double quotes that only Dovecot 2.4 rejects (`"mail_debug = yes`): what
   * 2.3, which keeps the quote in the key, reads it as, a setting or a section header, and its key; a
   * setting as 2.3 reads it (in no file's statements).
   */
  read23?: { kind: 'setting'; key: string; setting: SettingNode } | { kind: 'section'; key: string };
  /**
   * A block header rejected before any line of its file that 2.4 reads (a line with an unknown escape is
   * none): the lines after it to the block's `}`
   * (0-based, inclusive), which Dovecot passes over with the block except in a 2.4 root before its version
   * line, where it reads them as top-level lines. They are parsed here as that root reads them.
   */
  passedOver?: { first: number; last: number };
}

export type Statement = SettingNode | SectionNode | IncludeNode | CloseNode | InvalidNode;

export interface CommentNode {
  text: string;
  range: Range;
}

export interface ParsedFile {
  statements: Statement[];
  comments: CommentNode[];
  problems: SyntaxProblem[];
  /** The file's positions, lines counted as the LSP counts them; every range above uses them. */
  textLines: TextLines;
  eol: '\n' | '\r\n';
  /** In a template file: the ranges of the template expressions, whose values are unknown. */
  templateExpressions?: Range[];
}

/**
 * Sections nested deeper than this are not analysed (their body is skipped with a diagnostic), so no
 * walk over the tree grows with hostile nesting. Valid Dovecot configurations nest a few levels.
 */
export const MAX_SECTION_DEPTH = 100;

export const FILTER_KINDS: ReadonlySet<string> = new Set<FilterKind>(['protocol', 'local', 'local_name', 'remote']);
