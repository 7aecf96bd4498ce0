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
  // Dovecot 2.4 reads the setting itself as `$SET:key`; its `$key` is literal text.
  const selfName = analysis.dialect === '2.4' ? (key: string) => `SET:${key}` : (key: string) => key;
  for (const entry of analysis.model.settings) {
    const self = selfName(entry.node.key);
    if (entry.file !== file || !entry.node.variables.some((variable) => variable.name === self)) continue;
    const expanded = maskSecrets(entry.node.key, analysis.effective.valueAt(entry));
    const label = expanded.length > MAX_LABEL ? `${expanded.slice(0, MAX_LABEL)}…` : expanded;
    hints.push({
      position: entry.node.valueRange.end,
      label: `= ${label === '' ? '(empty)' : label}`,
      kind: InlayHintKind.Type,
      paddingLeft: true,
      tooltip: `The value Dovecot has for ${entry.node.key} after reading this line ($${self} expanded).`,
    });
  }
  return hints;
}
