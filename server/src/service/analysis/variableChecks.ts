import { contextOf } from '../model/model';
import { findSetting } from '../schema/schema';
import type { AnalysisContext } from './analyzer';
import type { Finding } from './finding';

/**
 * `$name` must name a setting: the config service expands variables at start and fails with
 * `Unknown variable: $name` (FACTS §1.7; doveconf -n prints it too but exits 0).
 */
export function variableChecks(context: AnalysisContext): Finding[] {
  if (context.dialect === '2.4') return [];
  const findings: Finding[] = [];
  for (const { node, file, frames } of context.model.settings) {
    const settingContext = contextOf(frames);
    for (const variable of node.variables) {
      if (variable.name.startsWith('ENV:') || variable.name === '') continue;
      if (findSetting(settingContext, variable.name) || findSetting('', variable.name)) continue;
      findings.push({
        code: 'unknown-variable',
        file,
        range: variable.range,
        message: `Unknown variable: $${variable.name}. Dovecot's config service expands variables at start and refuses to run; a literal $ must be written inside quotes.`,
      });
    }
  }
  return findings;
}
