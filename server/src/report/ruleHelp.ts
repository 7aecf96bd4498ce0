import { RULES, type Level } from '../service/analysis/rules';

/** Where the README's rule reference is published; each rule has an anchor named after its id. */
export const RULE_REFERENCE_URL = 'https://github.com/dovecot-tooling/dovecot-lsp/blob/main/README.md';

export function ruleHelpUri(ruleId: string): string {
  return `${RULE_REFERENCE_URL}#${ruleId}`;
}

export const ruleIds = (): string[] => RULES.map((rule) => rule.id);

/** The three levels CI systems know: error, warning and a note for everything milder. */
export type CiLevel = 'error' | 'warning' | 'note';

export function ciLevel(level: Level): CiLevel {
  return level === 'error' || level === 'warning' ? level : 'note';
}
