// Findings as LSP diagnostics: ours from the analysis, and doveconf's from a check with the installed Dovecot.
import { DiagnosticSeverity, DiagnosticTag, type Diagnostic } from 'vscode-languageserver/node';
import type { LintDiagnostic } from './service/analysis/analyzer';
import { findRule, type Level, type RuleTag } from './service/analysis/rules';
import type { DoveconfFinding } from './service/live/doveconfFindings';
import { URI } from './uri';

const SEVERITY: Record<Level, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  information: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};

const TAGS: Record<RuleTag, DiagnosticTag> = {
  deprecated: DiagnosticTag.Deprecated,
  unnecessary: DiagnosticTag.Unnecessary,
};

/**
 * A finding as an LSP diagnostic: severity from its level, a link to its rule's row in the README when known,
 * and its rule's tag (editors strike through a dropped setting, fade out text Dovecot ignores).
 */
export function toLspDiagnostic(
  diagnostic: LintDiagnostic,
  uriOf: (file: string) => string = (file) => URI.fromPath(file),
  ruleDocLinks: ReadonlyMap<string, string> = new Map(),
): Diagnostic {
  const href = ruleDocLinks.get(String(diagnostic.code));
  const tag = findRule(String(diagnostic.code))?.tag;
  return {
    range: diagnostic.range,
    severity: SEVERITY[diagnostic.level],
    code: diagnostic.code,
    ...(tag ? { tags: [TAGS[tag]] } : {}),
    ...(href ? { codeDescription: { href } } : {}),
    source: 'dovecot',
    message: diagnostic.message,
    relatedInformation: diagnostic.related?.map((place) => ({
      location: { uri: uriOf(place.file), range: place.range },
      message: place.message,
    })),
    data: diagnostic.data,
  };
}

/** One of doveconf's findings on the whole line it names (`text` is its file's), the first line when it names none. */
export function doveconfDiagnostic(finding: DoveconfFinding, text: string): Diagnostic {
  const line = finding.line ?? 0;
  const length = text.split(/\r?\n/)[line]?.length ?? 0;
  return {
    range: { start: { line, character: 0 }, end: { line, character: length } },
    severity: finding.severity === 'error' ? DiagnosticSeverity.Error : DiagnosticSeverity.Warning,
    source: 'doveconf',
    message: finding.line === undefined ? `${finding.message} (doveconf names no line)` : finding.message,
  };
}
