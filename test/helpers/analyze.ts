// Shared helper for tests: analyse an in-memory tree and pick diagnostics.
import type { LintDiagnostic } from '../../server/src/service/analysis/analyzer';
import { DovecotLanguageService, type TreeAnalysis } from '../../server/src/service/languageService';
import { MemoryHost } from '../../server/src/service/model/host';

export const ROOT = '/etc/dovecot/dovecot.conf';

/** Analyses `files` (absolute path -> text); a plain string is the root file. */
export function analyzeFiles(files: Record<string, string> | string, root = ROOT): TreeAnalysis {
  const tree = typeof files === 'string' ? { [root]: files } : files;
  return new DovecotLanguageService(new MemoryHost(tree)).analyze(root);
}

export function withCode(analysis: TreeAnalysis, code: string): LintDiagnostic[] {
  return analysis.diagnostics.filter((diagnostic) => diagnostic.code === code);
}

/** `line:character message` (0-based line/character) of each diagnostic with the code. */
export function brief(analysis: TreeAnalysis, code: string): string[] {
  return withCode(analysis, code).map((d) => `${d.range.start.line}:${d.range.start.character} ${d.message}`);
}
