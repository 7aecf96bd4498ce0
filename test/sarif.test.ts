// --format sarif: a SARIF 2.1.0 log that the official schema accepts, for code-scanning upload.
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { before, test } from 'node:test';
import Ajv from 'ajv-draft-04';
import officialSchema from '@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json';
import { RULES } from '../server/src/service/analysis/rules';
import { buildBundles, runCli } from './helpers/cli';
import { tempDir } from './helpers/tempDir';

interface SarifLog {
  version: string;
  runs: {
    tool: {
      driver: { name: string; rules: { id: string; helpUri: string; defaultConfiguration: { level: string } }[] };
    };
    results: {
      ruleId: string;
      ruleIndex: number;
      level: string;
      message: { text: string };
      locations: {
        physicalLocation: { artifactLocation: { uri: string; uriBaseId?: string }; region: Record<string, number> };
      }[];
    }[];
  }[];
}

const repo = tempDir('dovecot-sarif-');
mkdirSync(path.join(repo, 'mail 1', 'conf.d'), { recursive: true });
writeFileSync(path.join(repo, 'mail 1', 'dovecot.conf'), 'protocols = imap\n!include conf.d/*.conf\n');
writeFileSync(
  path.join(repo, 'mail 1', 'conf.d', '10-mail.conf'),
  'mail_location = maildir:~/Maildir\nmail_debug = maybe\nprotocols = imap#x\n',
);

// The official schema has a pattern that is not valid as a unicode regular expression.
const validateSarif = new Ajv({ allErrors: true, strict: false, unicodeRegExp: false }).compile(officialSchema);
let log: SarifLog;

before(() => {
  buildBundles();
  const result = runCli(repo, '--format', 'sarif', '.');
  assert.equal(result.status, 1, result.stderr);
  log = JSON.parse(result.stdout) as SarifLog;
});

test('the log is valid against the official SARIF 2.1.0 schema', () => {
  assert.equal(validateSarif(log), true, JSON.stringify(validateSarif.errors, null, 2));
  assert.equal(log.version, '2.1.0');
});

test('the validator rejects a broken log (so the check above means something)', () => {
  const broken = structuredClone(log);
  (broken.runs[0].results[0] as unknown as Record<string, unknown>).level = 'fatal';
  assert.equal(validateSarif(broken), false);
});

test('every rule of the table is described, with a help URI to its anchor in the rule reference', () => {
  const rules = log.runs[0].tool.driver.rules;
  assert.deepEqual(
    rules.map((rule) => rule.id),
    RULES.map((rule) => rule.id),
  );
  for (const rule of rules) assert.match(rule.helpUri, new RegExp(`^https://.+README\\.md#${rule.id}$`));
  assert.equal(rules.find((rule) => rule.id === 'ambiguous-comment')?.defaultConfiguration.level, 'warning');
});

test('results carry the rule, level, message and a 1-based region relative to the checkout', () => {
  const results = log.runs[0].results;
  const invalid = results.find((result) => result.ruleId === 'invalid-value');
  assert.ok(invalid, JSON.stringify(results));
  assert.equal(invalid.level, 'error');
  assert.match(invalid.message.text, /Invalid boolean value: maybe/);
  assert.equal(log.runs[0].tool.driver.rules[invalid.ruleIndex].id, 'invalid-value');
  const location = invalid.locations[0].physicalLocation;
  assert.deepEqual(location.artifactLocation, { uri: 'mail%201/conf.d/10-mail.conf', uriBaseId: 'SRCROOT' });
  assert.equal(location.region.startLine, 2);
  assert.equal(location.region.startColumn, 14);
  const ambiguous = results.find((result) => result.ruleId === 'ambiguous-comment');
  assert.equal(ambiguous?.level, 'warning');
});

test('a clean tree gives a valid log with no results and exit 0', () => {
  const clean = tempDir('dovecot-sarif-clean-');
  writeFileSync(path.join(clean, 'dovecot.conf'), 'protocols = imap\n');
  const result = runCli(clean, '--format', 'sarif', 'dovecot.conf');
  assert.equal(result.status, 0, result.stderr);
  const cleanLog = JSON.parse(result.stdout) as SarifLog;
  assert.equal(validateSarif(cleanLog), true);
  assert.deepEqual(cleanLog.runs[0].results, []);
});
