import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { RULES } from '../server/src/service/analysis/rules';
import { updatedReadme } from '../scripts/gen-rule-docs';

describe('rules table and README rule reference', () => {
  it('has unique kebab-case ids, each with a summary and a fix', () => {
    const ids = RULES.map((rule) => rule.id);
    assert.equal(new Set(ids).size, ids.length);
    for (const rule of RULES) {
      assert.match(rule.id, /^[a-z0-9]+(-[a-z0-9.]+)*$/);
      assert.ok(rule.summary.length > 10 && rule.fix.length > 5, rule.id);
    }
  });

  it('README documents every rule and is current (npm run gen:rule-docs)', () => {
    const readme = readFileSync('README.md', 'utf8');
    assert.equal(updatedReadme(readme), readme);
    for (const rule of RULES) assert.ok(readme.includes(`| \`${rule.id}\` |`), rule.id);
  });
});
