import type { Diagnostic, TextEdit } from 'vscode-languageserver-types';
import type { TreeAnalysis } from '../languageService';
import type { RuleId } from '../analysis/rules';
import type { FileHost } from '../model/host';
import type { PlannedEdit } from './fixEdits';

/** What a quick-fix provider gets: the analysis, the diagnostic it fixes and the file it is in. */
export interface QuickFixContext {
  analysis: TreeAnalysis;
  diagnostic: Diagnostic;
  file: string;
  host: FileHost;
}

/** Edits keyed by absolute file path; adapters turn them into a WorkspaceEdit. */
export interface FileEdits {
  [file: string]: TextEdit[];
}

/** How the client takes edits. */
export interface QuickFixOptions {
  /** The client applies snippet edits (tab stops with defaults); otherwise every edit is plain text. */
  snippetEdits?: boolean;
}

export interface QuickFix {
  title: string;
  edits: FileEdits;
  isPreferred?: boolean;
  /** Edits contain snippet placeholders (`${1:value}`): only when the client takes snippet edits. */
  snippet?: boolean;
}

/** A fix whose edits may hold placeholders, rendered plain or as a snippet for the client that asks. */
export interface PlannedFix {
  title: string;
  planned: PlannedEdit[];
  isPreferred?: boolean;
}

/** A rule's fixes: ready edits (QuickFix) or planned ones (PlannedFix) rendered for the client. */
export type QuickFixProvider<Fix extends QuickFix | PlannedFix = QuickFix | PlannedFix> = (
  context: QuickFixContext,
) => Fix[];

/** Quick fixes per rule id: one entry per rule that has fixes (a key that is no rule id does not compile). */
export type QuickFixTable = Readonly<Partial<Record<RuleId, QuickFixProvider>>>;
