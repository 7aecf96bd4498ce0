import type { CodeAction, Diagnostic, TextEdit } from 'vscode-languageserver-types';
import { CodeActionKind } from 'vscode-languageserver-types';
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
  /** Edits contain snippet placeholders (`${1:value}`); clients without snippet edits get the defaults. */
  snippet?: boolean;
}

export type QuickFixProvider = (context: QuickFixContext) => QuickFix[];

const providers = new Map<string, QuickFixProvider[]>();

/** Registers the quick fixes of a rule (called by each rule family's fix module). */
export function registerQuickFixes(ruleId: string, provider: QuickFixProvider): void {
  providers.set(ruleId, [...(providers.get(ruleId) ?? []), provider]);
}

function lineIndent(text: string, line: number): string {
  const lineText = text.split('\n')[line] ?? '';
  return /^[ \t]*/.exec(lineText)?.[0] ?? '';
}

/** `# dovecot-lint: ignore=<id>` on its own line above the reported line. */
export function suppressionFix(context: QuickFixContext): QuickFix | undefined {
  const code = String(context.diagnostic.code ?? '');
  if (code === '') return undefined;
  const text = context.analysis.model.files.get(context.file)?.text ?? context.host.readFile(context.file);
  if (text === undefined) return undefined;
  const line = context.diagnostic.range.start.line;
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  return {
    title: `Ignore ${code} on this line`,
    edits: { [context.file]: [{ range: { start: { line, character: 0 }, end: { line, character: 0 } }, newText: `${lineIndent(text, line)}# dovecot-lint: ignore=${code}${eol}` }] },
  };
}

/** All quick fixes for the diagnostics of one file: each rule's own fixes, then the suppression. */
export function quickFixes(analysis: TreeAnalysis, file: string, diagnostics: Diagnostic[], host: FileHost): { fix: QuickFix; diagnostic: Diagnostic }[] {
  const result: { fix: QuickFix; diagnostic: Diagnostic }[] = [];
  for (const diagnostic of diagnostics) {
    const context: QuickFixContext = { analysis, diagnostic, file, host };
    for (const provider of providers.get(String(diagnostic.code ?? '')) ?? []) {
      try {
        for (const fix of provider(context)) result.push({ fix, diagnostic });
      } catch {
        // A broken fix provider must not hide the other fixes.
      }
    }
    const suppression = suppressionFix(context);
    if (suppression) result.push({ fix: suppression, diagnostic });
  }
  return result;
}

export const QUICK_FIX_KIND = CodeActionKind.QuickFix;
export type { CodeAction };
