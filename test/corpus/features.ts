// The editor features over a corpus tree, as a user moving through its files would trigger them.
import * as path from 'node:path';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { doComplete } from '../../server/src/service/features/completion';
import { renderEffectiveConfig } from '../../server/src/service/features/effectiveConfig';
import { foldingRanges } from '../../server/src/service/features/folding';
import { formatIndentation, formattingUnit } from '../../server/src/service/features/formatting';
import { doHover } from '../../server/src/service/features/hover';
import { inlayHints } from '../../server/src/service/features/inlayHints';
import { documentLinks } from '../../server/src/service/features/links';
import { documentSymbols } from '../../server/src/service/features/symbols';
import type { DovecotLanguageService, TreeAnalysis } from '../../server/src/service/languageService';

/**
 * The editor features on every file of the tree, as a user moving through it would trigger them: none may
 * throw, and formatting may change nothing but blanks and must be stable. Returns what went wrong.
 */
export function exerciseFeatures(service: DovecotLanguageService, analysis: TreeAnalysis, treeDir: string): string[] {
  const problems: string[] = [];
  const attempt = (what: string, run: () => unknown): void => {
    try {
      run();
    } catch (error) {
      problems.push(`CRASH in ${what}: ${(error as Error).stack ?? String(error)}`);
    }
  };
  attempt('effective view', () => renderEffectiveConfig(analysis));
  for (const file of analysis.files) {
    const text = service.host.readFile(file) ?? '';
    const parsed = service.parse(file, text);
    const where = path.relative(treeDir, file);
    attempt(`symbols of ${where}`, () => documentSymbols(parsed));
    attempt(`folding of ${where}`, () => foldingRanges(parsed));
    attempt(`inlay hints of ${where}`, () => inlayHints(analysis, file));
    attempt(`links of ${where}`, () => documentLinks(analysis, file, service.host));
    attempt(`formatting of ${where}`, () => {
      // the unit the server formats with: the rest of the tree's style, else the file's own, else two spaces
      const others = [...analysis.model.files.values()].filter((other) => other.path !== file);
      const unit = formattingUnit({ text, parsed }, others);
      const formatted = TextDocument.applyEdits(TextDocument.create(`file://${file}`, 'dovecot', 1, text), formatIndentation(text, parsed, unit));
      if (formatted.replace(/\s+/g, '') !== text.replace(/\s+/g, '')) problems.push(`formatting of ${where} changes more than blanks`);
      if (formatIndentation(formatted, service.parse(`${file}#formatted`, formatted), unit).length > 0) problems.push(`formatting of ${where} is not stable`);
    });
    text.split('\n').forEach((line, index) => {
      const first = line.search(/\S/);
      if (first < 0 || line[first] === '#') return;
      attempt(`hover at ${where}:${index + 1}`, () => doHover(analysis, file, { line: index, character: first + 1 }));
      attempt(`completion at ${where}:${index + 1}`, () => doComplete(analysis, file, { line: index, character: line.length }));
    });
  }
  return problems;
}
