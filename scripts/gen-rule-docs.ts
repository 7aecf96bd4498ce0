// Writes the README's rule reference from the rules table (server/src/service/analysis/rules.ts).
// Usage: node --import tsx scripts/gen-rule-docs.ts [--check]   (--check: exit 1 when README is stale)
import { readFileSync, writeFileSync } from 'node:fs';
import { REPLICATION_INTENT } from '../server/src/service/analysis/replicationFacts';
import { RULES } from '../server/src/service/analysis/rules';
import { QUICK_FIXES } from '../server/src/service/features/quickFixTable';

const START = '<!-- rules:start -->';
const END = '<!-- rules:end -->';
const ORIGIN: Record<string, string> = { doveconf: 'doveconf', runtime: 'Dovecot at run time', practice: 'good practice' };

function escapeCell(text: string): string {
  return text.replace(/\|/g, '\\|');
}

export function ruleTable(): string {
  const header = ['| id | default level | found by | what it means | how to fix | quick fix |', '|---|---|---|---|---|---|'];
  const rows = RULES.map((rule) =>
    `| \`${rule.id}\` | ${rule.level} | ${ORIGIN[rule.origin]} | ${escapeCell(rule.summary)} | ${escapeCell(rule.fix)} | ${QUICK_FIXES[rule.id] ? 'yes' : '—'} |`,
  );
  return [START, ...header, ...rows, '', REPLICATION_INTENT, END].join('\n');
}

export function updatedReadme(readme: string): string {
  const start = readme.indexOf(START);
  const end = readme.indexOf(END);
  if (start < 0 || end < 0) throw new Error(`README.md lacks the ${START} / ${END} markers`);
  return readme.slice(0, start) + ruleTable() + readme.slice(end + END.length);
}

if (require.main === module) {
  const readme = readFileSync('README.md', 'utf8');
  const updated = updatedReadme(readme);
  if (process.argv.includes('--check')) {
    if (updated !== readme) {
      console.error('README.md rule reference is stale: run npm run gen:rule-docs');
      process.exit(1);
    }
  } else {
    writeFileSync('README.md', updated);
  }
}
