// One object per Dovecot version for the editor features: which items completion offers and what
// hover says. The version is decided once per tree (model/dialect.ts, from its markers); completion.ts
// and hover.ts find what is under the cursor once and ask the tree's dialect for the rest.
import type { CompletionItem, Position } from 'vscode-languageserver-types';
import type { TreeAnalysis } from '../languageService';
import type { Dialect } from '../model/dialect';
import type { SectionNode, SettingNode } from '../syntax/nodes';
import { COMPLETION_23 } from './completion23';
import { COMPLETION_24 } from './completion24';
import type { CompletionPlace } from './completionItems';
import type { CursorContext } from './cursorContext';
import { HOVER_23 } from './hover23';
import { HOVER_24 } from './hover24';

export interface CompletionHooks {
  /** Setting keys, section and filter types, `!include` at the start of a line. */
  keys(place: CompletionPlace): CompletionItem[];
  /** Values after `key =`; `valueText` is everything after the `=` up to the cursor. */
  values(key: string, valueText: string, place: CompletionPlace): CompletionItem[];
  /** Names after a section type (`service |`, `protocol |`). */
  sectionNames(type: string, place: CompletionPlace): CompletionItem[];
  /** The replication snippets offered at the top level. */
  snippets(place: CompletionPlace): CompletionItem[];
}

export interface HoverPlace {
  analysis: TreeAnalysis;
  cursor: CursorContext;
  position: Position;
}

/** Markdown for what the cursor is on, undefined when there is nothing to say. */
export interface HoverHooks {
  section(place: HoverPlace, section: SectionNode): string | undefined;
  key(place: HoverPlace, statement: SettingNode): string | undefined;
  valueWord(place: HoverPlace, statement: SettingNode, word: string): string | undefined;
  /** A `$name` in a value; without this hook the word under the cursor is described instead. */
  variable?(place: HoverPlace, statement: SettingNode, name: string): string | undefined;
}

export interface FeatureDialect {
  /** The Dovecot version whose settings the hooks describe. */
  version: '2.3' | '2.4';
  completion: CompletionHooks;
  hover: HoverHooks;
}

export const DIALECT_23: FeatureDialect = { version: '2.3', completion: COMPLETION_23, hover: HOVER_23 };
export const DIALECT_24: FeatureDialect = { version: '2.4', completion: COMPLETION_24, hover: HOVER_24 };

/** The features of a tree's dialect: 2.4 trees their own, all others (2.3, unknown, mixed) the 2.3 ones. */
export function featureDialect(dialect: Dialect): FeatureDialect {
  return dialect === '2.4' ? DIALECT_24 : DIALECT_23;
}
