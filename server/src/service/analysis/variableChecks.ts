import { contextOf } from '../model/model';
import { findSetting } from '../schema/schema';
import { maskSecrets } from '../schema/secrets';
import type { AnalysisContext } from './analyzer';
import type { Finding } from './finding';

/**
 * `$name` must name a setting: the config service expands variables at start and fails with
 * `Unknown variable: $name` (FACTS §1.7; doveconf -n prints it too but exits 0).
 */
export function variableChecks(context: AnalysisContext): Finding[] {
  const findings: Finding[] = [];
  for (const { node, file, frames } of context.model.settings) {
    if (node.variables.length === 0) continue;
    const settingContext = contextOf(frames);
    for (const variable of node.variables) {
      if (variable.name.startsWith('ENV:') || variable.name === '') continue;
      if (findSetting(settingContext, variable.name) || findSetting('', variable.name)) continue;
      // A `$word` inside a secret (`doveadm_password = $ecret`) is named only by its setting.
      const named = maskSecrets(node.key, node.value).includes(`$${variable.name}`)
        ? `: $${variable.name}`
        : ` in ${node.key} (not shown: it is part of a secret)`;
      findings.push({
        code: 'unknown-variable',
        file,
        range: variable.range,
        message: `Unknown variable${named}. Dovecot's config service expands variables at start and refuses to run; a literal $ must be written inside quotes.`,
      });
    }
  }
  return findings;
}
