import type { Diagnostic, TextEdit } from 'vscode-languageserver-types';
import type { TreeAnalysis } from '../languageService';
import type { FileHost } from '../model/host';

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

export interface QuickFix {
  title: string;
  edits: FileEdits;
  isPreferred?: boolean;
  /** Edits contain snippet placeholders (`${1:value}`); adapters give clients without snippet edits the defaults. */
  snippet?: boolean;
}

export type QuickFixProvider = (context: QuickFixContext) => QuickFix[];

/** Quick fixes per rule id: one entry per rule that has fixes. */
export type QuickFixTable = Readonly<Record<string, QuickFixProvider>>;
