// Writes the README's rule reference (one anchor `rule-<id>` per rule, the target of each diagnostic's
// documentation link) and the keys of the `dovecot.lint.rules` setting in package.json from the rules
// table (server/src/service/analysis/rules.ts).
// Usage: node --import tsx scripts/gen-rule-docs.ts [--check]   (--check: exit 1 when a file is stale)
import { readFileSync, writeFileSync } from 'node:fs';
import { REPLICATION_INTENT } from '../server/src/service/analysis/replicationFacts';
import { RULES, type RuleOrigin, type RuleOrigins } from '../server/src/service/analysis/rules';
import { QUICK_FIXES } from '../server/src/service/features/quickFixTable';

const LEVEL_SETTINGS = ['off', 'hint', 'information', 'warning', 'error'];
const START = '<!-- rules:start -->';
const END = '<!-- rules:end -->';
const ORIGIN: Record<RuleOrigin, string> = {
  doveconf: 'doveconf',
  start: 'Dovecot at start (doveconf -x)',
  runtime: 'Dovecot at run time',
  practice: 'good practice',
};

/** Who finds it, per version when the versions differ. */
function originText(origin: RuleOrigins): string {
  if (typeof origin === 'string') return ORIGIN[origin];
  return Object.entries(origin)
    .map(([version, each]) => `${ORIGIN[each]} in ${version}`)
    .join('; ');
}

function escapeCell(text: string): string {
  return text.replace(/\|/g, '\\|');
}

/** The README anchor of a rule's row. */
export function ruleAnchor(id: string): string {
  return `rule-${id}`;
}

export function ruleTable(): string {
  const header = [
    '| id | default level | found by | what it means | how to fix | quick fix |',
    '|---|---|---|---|---|---|',
  ];
  const rows = RULES.map(
    (rule) =>
      `| <a id="${ruleAnchor(rule.id)}"></a>\`${rule.id}\` | ${rule.level} | ${originText(rule.origin)} | ${escapeCell(rule.summary)} | ${escapeCell(rule.fix)} | ${QUICK_FIXES[rule.id] ? 'yes' : '—'} |`,
  );
  return [START, ...header, ...rows, '', REPLICATION_INTENT, END].join('\n');
}

export function updatedReadme(readme: string): string {
  const start = readme.indexOf(START);
  const end = readme.indexOf(END);
  if (start < 0 || end < 0) throw new Error(`README.md lacks the ${START} / ${END} markers`);
  return readme.slice(0, start) + ruleTable() + readme.slice(end + END.length);
}

/** package.json with `dovecot.lint.rules` offering every rule id as a key (the settings UI lists them). */
export function updatedPackageJson(text: string): string {
  const manifest = JSON.parse(text);
  const setting = manifest.contributes.configuration.properties['dovecot.lint.rules'];
  setting.properties = Object.fromEntries(
    RULES.map((rule) => [
      rule.id,
      {
        type: 'string',
        enum: LEVEL_SETTINGS,
        default: rule.level,
        markdownDescription: `${rule.summary} (default: ${rule.level})`,
      },
    ]),
  );
  setting.propertyNames = { enum: RULES.map((rule) => rule.id) };
  setting.additionalProperties = false;
  return `${JSON.stringify(manifest, null, 2)}\n`;
}

if (require.main === module) {
  const outputs: [string, (text: string) => string][] = [
    ['README.md', updatedReadme],
    ['package.json', updatedPackageJson],
  ];
  for (const [file, update] of outputs) {
    const current = readFileSync(file, 'utf8');
    const updated = update(current);
    if (!process.argv.includes('--check')) writeFileSync(file, updated);
    else if (updated !== current) {
      console.error(`${file} is stale: run npm run gen:rule-docs`);
      process.exit(1);
    }
  }
}
