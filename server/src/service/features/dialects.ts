// One object per Dovecot version: its schema, markers and settings lookup (schema/versions.ts) with the
// editor features' hooks, which items completion offers and what hover says. The language service
// chooses it once per tree (from the dialect model/dialect.ts decides); completion.ts and hover.ts find
// what is under the cursor once and ask the tree's dialect for the rest.
import type { CompletionItem, Position } from 'vscode-languageserver-types';
import type { TreeAnalysis } from '../languageService';
import type { CheckedVersion, Dialect } from '../model/dialect';
import { SCHEMA_23, SCHEMA_24, versionOf, type VersionSchema } from '../schema/versions';
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
  /**
   * What `keys` reads besides the tree, the cursor's sections and the word's place, as a string: lists
   * are kept per tree by it (completion.ts), so two places with the same state must get the same list.
   */
  keysState(place: CompletionPlace): string;
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

export interface FeatureDialect extends VersionSchema {
  completion: CompletionHooks;
  hover: HoverHooks;
}

export const DIALECT_23: FeatureDialect = { ...SCHEMA_23, completion: COMPLETION_23, hover: HOVER_23 };
export const DIALECT_24: FeatureDialect = { ...SCHEMA_24, completion: COMPLETION_24, hover: HOVER_24 };

const DIALECTS: Readonly<Record<CheckedVersion, FeatureDialect>> = { '2.3': DIALECT_23, '2.4': DIALECT_24 };

/** The dialect object of a tree: 2.4 trees their own, all others (2.3, unknown, mixed) the 2.3 one. */
export function featureDialect(dialect: Dialect): FeatureDialect {
  return DIALECTS[versionOf(dialect)];
}
