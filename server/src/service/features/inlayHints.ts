import * as path from 'node:path';
import { InlayHintKind, type InlayHint } from 'vscode-languageserver-types';
import type { TreeAnalysis } from '../languageService';
import { maskSecrets } from '../schema/secrets';

const MAX_LABEL = 120;

/**
 * After a value that refers to itself (`mail_plugins = $mail_plugins sieve`), the value Dovecot actually
 * got when it read the line — the place where a plugin list silently loses `notify replication`.
 */
export function inlayHints(analysis: TreeAnalysis, filePath: string): InlayHint[] {
  const file = path.resolve(filePath);
  const hints: InlayHint[] = [];
  for (const entry of analysis.model.settings) {
    if (entry.file !== file || !entry.node.variables.some((variable) => variable.name === entry.node.key)) continue;
    const expanded = maskSecrets(entry.node.key, analysis.effective.valueAt(entry));
    const label = expanded.length > MAX_LABEL ? `${expanded.slice(0, MAX_LABEL)}…` : expanded;
    hints.push({
      position: entry.node.valueRange.end,
      label: `= ${label === '' ? '(empty)' : label}`,
      kind: InlayHintKind.Type,
      paddingLeft: true,
      tooltip: `The value Dovecot has for ${entry.node.key} after reading this line ($${entry.node.key} expanded).`,
    });
  }
  return hints;
}
