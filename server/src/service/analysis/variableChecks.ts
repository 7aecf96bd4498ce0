import { contextOf } from '../model/model';
import { findSetting, variableReadsSetting23 } from '../schema/schema';
import { maskSecrets } from '../schema/secrets';
import type { AnalysisContext } from './analyzer';
import type { Finding } from './finding';
import { keyVariableTexts } from '../syntax/valueWords';

/** The `$name` words Dovecot 2.3 reads as variables in a value (config_write_keyvariable@2.3.19). */
function variableWords(value: string): Set<string> {
  const words = new Set<string>();
  for (const word of keyVariableTexts(value)) if (word.startsWith('$')) words.add(word);
  return words;
}

/**
 * `$name` must name a top-level setting: the config service expands variables at start and fails with
 * `Unknown variable: $name` (FACTS §1.7; doveconf -n prints it too but exits 0). `key = $key` is expanded
 * by doveconf -n as well, so there it stops too.
 */
export function variableChecks(context: AnalysisContext): Finding[] {
  const findings: Finding[] = [];
  for (const { node, file, frames } of context.model.settings) {
    if (node.variables.length === 0) continue;
    const words = variableWords(node.value);
    const key = node.key23 ?? node.key;
    // The words a message may name: the value with its secrets masked, worked out once per line.
    let shownWords: Set<string> | undefined;
    for (const variable of node.variables) {
      const name = variable.name;
      if (name.startsWith('ENV:') || name === '' || !words.has(`$${name}`)) continue;
      if (variableReadsSetting23(name) !== false) continue;
      if (name === key) {
        // The line's own key: naming it shows nothing of the value.
        findings.push({
          code: 'unknown-self-variable',
          file,
          range: variable.range,
          message: `Unknown variable: $${name}. A $name reads the top-level setting of that name, and there is no top-level ${name}: doveconf -n and Dovecot's config service both stop here. Write the whole value.`,
        });
        continue;
      }
      // A `$word` inside a secret (`doveadm_password = $ecret`) is named only by its setting.
      shownWords ??= variableWords(maskSecrets(node.key, node.value));
      const shown = shownWords.has(`$${name}`);
      const named = shown ? `: $${name}` : ` in ${node.key} (not shown: it is part of a secret)`;
      const sectionOnly = findSetting(contextOf(frames), name)
        ? ` A $name reads a top-level setting, and ${shown ? name : 'that name'} is only a setting of this section.`
        : '';
      findings.push({
        code: 'unknown-variable',
        file,
        range: variable.range,
        message: `Unknown variable${named}.${sectionOnly} Dovecot's config service expands variables at start and refuses to run; a literal $ must be written inside quotes.`,
      });
    }
  }
  return findings;
}
