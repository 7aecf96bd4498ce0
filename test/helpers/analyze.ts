// Shared helper for tests: analyse an in-memory tree and pick diagnostics.
import type { LintDiagnostic } from '../../server/src/service/analysis/analyzer';
import {
  getLanguageService,
  type LanguageService,
  type TreeAnalysis,
} from '../../server/src/service/dovecotLanguageService';
import { MemoryHost } from '../../server/src/service/model/host';

export const ROOT = '/etc/dovecot/dovecot.conf';

/** The language service reading `files` (absolute path -> text) from memory; a plain string is the root file. */
export function serviceOver(files: Record<string, string> | string, root = ROOT): LanguageService {
  return getLanguageService(new MemoryHost(typeof files === 'string' ? { [root]: files } : files));
}

/** Analyses `files` (absolute path -> text); a plain string is the root file. */
export function analyzeFiles(files: Record<string, string> | string, root = ROOT): TreeAnalysis {
  return serviceOver(files, root).analyze(root);
}

export function withCode(analysis: TreeAnalysis, code: string): LintDiagnostic[] {
  return analysis.diagnostics.filter((diagnostic) => diagnostic.code === code);
}

/** `line:character message` (0-based line/character) of each diagnostic with the code. */
export function brief(analysis: TreeAnalysis, code: string): string[] {
  return withCode(analysis, code).map((d) => `${d.range.start.line}:${d.range.start.character} ${d.message}`);
}
