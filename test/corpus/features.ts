// The editor features over a corpus tree, as a user moving through its files would trigger them.
import * as path from 'node:path';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { LanguageService, TreeAnalysis } from '../../server/src/service/dovecotLanguageService';

/**
 * The editor features on every file of the tree, as a user moving through it would trigger them: none may
 * throw, and formatting may change nothing but blanks and must be stable. Returns what went wrong.
 */
export function exerciseFeatures(service: LanguageService, analysis: TreeAnalysis, treeDir: string): string[] {
  const problems: string[] = [];
  const attempt = (what: string, run: () => unknown): void => {
    try {
      run();
    } catch (error) {
      problems.push(`CRASH in ${what}: ${(error as Error).stack ?? String(error)}`);
    }
  };
  attempt('effective view', () => service.renderEffectiveConfig(analysis));
  for (const file of analysis.files) {
    const text = service.host.readFile(file) ?? '';
    const parsed = service.parse(file, text);
    const where = path.relative(treeDir, file);
    attempt(`symbols of ${where}`, () => service.findDocumentSymbols(parsed));
    attempt(`folding of ${where}`, () => service.getFoldingRanges(parsed));
    attempt(`inlay hints of ${where}`, () => service.getInlayHints(analysis, file));
    attempt(`links of ${where}`, () => service.findDocumentLinks(analysis, file));
    attempt(`formatting of ${where}`, () => {
      // as the server formats: in the unit of the rest of the tree, else the file's own, else two spaces
      const others = [...analysis.model.files.values()].filter((other) => other.path !== file);
      const formatted = TextDocument.applyEdits(TextDocument.create(`file://${file}`, 'dovecot', 1, text), service.format({ text, parsed }, others));
      if (formatted.replace(/\s+/g, '') !== text.replace(/\s+/g, '')) problems.push(`formatting of ${where} changes more than blanks`);
      const again = service.format({ text: formatted, parsed: service.parse(`${file}#formatted`, formatted) }, others);
      if (again.length > 0) problems.push(`formatting of ${where} is not stable`);
    });
    text.split('\n').forEach((line, index) => {
      const first = line.search(/\S/);
      if (first < 0 || line[first] === '#') return;
      attempt(`hover at ${where}:${index + 1}`, () => service.doHover(analysis, file, { line: index, character: first + 1 }));
      attempt(`completion at ${where}:${index + 1}`, () => service.doComplete(analysis, file, { line: index, character: line.length }));
    });
  }
  return problems;
}
