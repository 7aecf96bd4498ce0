import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { RULES } from '../server/src/service/analysis/rules';
import { ruleAnchor, updatedPackageJson, updatedReadme } from '../scripts/gen-rule-docs';

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
    for (const rule of RULES)
      assert.ok(readme.includes(`| <a id="${ruleAnchor(rule.id)}"></a>\`${rule.id}\` |`), rule.id);
  });

  it('README has an anchor for every rule (the target of its diagnostics documentation link)', () => {
    const readme = readFileSync('README.md', 'utf8');
    for (const rule of RULES) assert.equal(readme.split(`<a id="${ruleAnchor(rule.id)}"></a>`).length, 2, rule.id);
  });

  it('dovecot.lint.rules offers every rule id as a key with the levels as values, and package.json is current', () => {
    const text = readFileSync('package.json', 'utf8');
    assert.equal(updatedPackageJson(text), text);
    const setting = JSON.parse(text).contributes.configuration.properties['dovecot.lint.rules'];
    assert.deepEqual(
      Object.keys(setting.properties),
      RULES.map((rule) => rule.id),
    );
    assert.deepEqual(
      setting.propertyNames.enum,
      RULES.map((rule) => rule.id),
    );
    assert.equal(setting.additionalProperties, false);
    for (const rule of RULES)
      assert.deepEqual(setting.properties[rule.id].enum, ['off', 'hint', 'information', 'warning', 'error']);
  });
});
