import type { Diagnostic } from 'vscode-languageserver-types';
import { isRuleId } from '../analysis/rules';
import type { TreeAnalysis } from '../languageService';
import { findSuppression } from '../analysis/suppression';
import type { FileHost } from '../model/host';
import { statementStartLine } from '../syntax/statementLines';
import { lineTextAt } from '../syntax/textLines';
import { renderFix } from './fixEdits';
import type { QuickFix, QuickFixContext, QuickFixOptions } from './quickFix';
import { QUICK_FIXES } from './quickFixTable';

function lineIndent(text: string, line: number): string {
  const lineText = lineTextAt(text, line);
  return /^[ \t]*/.exec(lineText)?.[0] ?? '';
}

/** End of the id list of a suppression comment line, e.g. `# dovecot-lint: ignore=a,b`, else undefined. */
function suppressionListEnd(lineText: string): number | undefined {
  const commentStart = /^[ \t]*#/.exec(lineText)?.[0].length;
  if (commentStart === undefined) return undefined;
  const found = findSuppression(lineText.slice(commentStart));
  return found ? commentStart + found.listEnd : undefined;
}

/**
 * `# dovecot-lint: ignore=<id>` on its own line above the reported line; when that line already is a
 * suppression comment, the id is added to its list (a new line would push the old one out of reach).
 */
export function suppressionFix(context: QuickFixContext): QuickFix | undefined {
  const code = String(context.diagnostic.code ?? '');
  if (code === '') return undefined;
  const text = context.analysis.model.files.get(context.file)?.text ?? context.host.readFile(context.file);
  if (text === undefined) return undefined;
  const parsed = context.analysis.model.files.get(context.file)?.parsed;
  // Above the statement's first line: a comment line inside a `\` continuation would cut it.
  const line = parsed
    ? statementStartLine(parsed, context.diagnostic.range.start.line)
    : context.diagnostic.range.start.line;
  const title = `Ignore ${code} on this line`;
  const listEnd = line > 0 ? suppressionListEnd(lineTextAt(text, line - 1)) : undefined;
  if (listEnd !== undefined) {
    const at = { line: line - 1, character: listEnd };
    return { title, edits: { [context.file]: [{ range: { start: at, end: at }, newText: `,${code}` }] } };
  }
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  return {
    title,
    edits: {
      [context.file]: [
        {
          range: { start: { line, character: 0 }, end: { line, character: 0 } },
          newText: `${lineIndent(text, line)}# dovecot-lint: ignore=${code}${eol}`,
        },
      ],
    },
  };
}

function isRewrittenLine(analysis: TreeAnalysis, file: string, line: number): boolean {
  return analysis.model.settings.some(
    (entry) =>
      entry.rewrittenFrom !== undefined &&
      entry.file === file &&
      entry.node.range.start.line <= line &&
      line <= entry.node.range.end.line,
  );
}

/**
 * All quick fixes for the diagnostics of one file: each rule's own fixes, then the suppression. Edits
 * are plain text unless `options.snippetEdits` says the client takes snippet edits.
 */
export function quickFixes(
  analysis: TreeAnalysis,
  file: string,
  diagnostics: Diagnostic[],
  host: FileHost,
  options: QuickFixOptions = {},
): { fix: QuickFix; diagnostic: Diagnostic }[] {
  const result: { fix: QuickFix; diagnostic: Diagnostic }[] = [];
  for (const diagnostic of diagnostics) {
    const context: QuickFixContext = { analysis, diagnostic, file, host };
    // A line Dovecot rewrites (an obsolete setting) holds other text than the setting the rule saw:
    // only the obsolete-setting fix, which rewrites the line, may edit it.
    const onRewrittenLine =
      diagnostic.code !== 'obsolete-setting' && isRewrittenLine(analysis, file, diagnostic.range.start.line);
    const code = String(diagnostic.code ?? '');
    const provider = onRewrittenLine || !isRuleId(code) ? undefined : QUICK_FIXES[code];
    try {
      for (const fix of provider?.(context) ?? [])
        result.push({ fix: 'planned' in fix ? renderFix(fix, options.snippetEdits === true) : fix, diagnostic });
    } catch {
      // A broken fix provider must not hide the suppression fix.
    }
    const suppression = suppressionFix(context);
    if (suppression) result.push({ fix: suppression, diagnostic });
  }
  return result;
}
