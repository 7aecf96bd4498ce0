// The project file shared by dovecot-lint and the extension: where it is found and what it may say.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { MemoryHost } from '../server/src/service/model/host';
import { findProjectFile, peerFromPairs, readProjectFile } from '../server/src/service/project/projectFile';
import { schemaText, SCHEMA_PATH } from '../scripts/gen-project-schema';
import { RULES } from '../server/src/service/analysis/rules';

const R = path.resolve('/repo');
const at = (name: string): string => path.join(R, name);

test('paths are resolved against the project folder; pairs work in both directions', () => {
  const host = new MemoryHost({
    [at('.dovecot-lint.json')]: JSON.stringify({
      pairs: [{ a: 'h/1/dovecot.conf', b: 'h/2/dovecot.conf' }],
      roots: ['h/*/dovecot.conf'],
      rules: { 'unknown-setting': 'warning' },
      dovecotVersion: '2.3',
    }),
  });
  const { config, errors } = readProjectFile(host, at('.dovecot-lint.json'));
  assert.deepEqual(errors, []);
  assert.ok(config);
  assert.deepEqual(config.roots, [at('h/*/dovecot.conf')]);
  assert.deepEqual(config.rules, { 'unknown-setting': 'warning' });
  assert.equal(config.dovecotVersion, '2.3');
  assert.equal(peerFromPairs(config.pairs, at('h/1/dovecot.conf')), at('h/2/dovecot.conf'));
  assert.equal(peerFromPairs(config.pairs, at('h/2/dovecot.conf')), at('h/1/dovecot.conf'));
  assert.equal(peerFromPairs(config.pairs, at('h/3/dovecot.conf')), undefined);
});

test('the nearest folder wins; in one folder .dovecot-lint.json wins over package.json', () => {
  const host = new MemoryHost({
    [at('.dovecot-lint.json')]: '{}',
    [at('package.json')]: JSON.stringify({ 'dovecot-lint': {} }),
    [at('a/package.json')]: JSON.stringify({ 'dovecot-lint': {} }),
    [at('a/b/package.json')]: JSON.stringify({ name: 'no key' }),
    [at('a/b/c/x.conf')]: '',
  });
  assert.equal(findProjectFile(host, at('a/b/c')), at('a/package.json'));
  assert.equal(findProjectFile(host, R), at('.dovecot-lint.json'));
  assert.equal(findProjectFile(new MemoryHost({ [at('x/y.conf')]: '' }), at('x')), undefined);
});

test('wrong settings are reported with where they are, not thrown', () => {
  const host = new MemoryHost({
    [at('.dovecot-lint.json')]: JSON.stringify({ dovecotVersion: '3.0', templates: { extensions: ['j2'] } }),
  });
  const { config, errors } = readProjectFile(host, at('.dovecot-lint.json'));
  assert.equal(config, undefined);
  assert.ok(
    errors.some((e) => e.endsWith('dovecotVersion: must be one of auto, 2.3, 2.4')),
    errors.join('\n'),
  );
  assert.ok(
    errors.some((e) => e.includes('templates.extensions.0: must match pattern')),
    errors.join('\n'),
  );
});

test('the committed JSON schema is generated from the rules table', () => {
  assert.equal(
    readFileSync(path.join(__dirname, '..', SCHEMA_PATH), 'utf8'),
    schemaText(),
    'run npm run gen:rule-docs',
  );
  const schema = JSON.parse(schemaText()) as { properties: { rules: { propertyNames: { enum: string[] } } } };
  assert.deepEqual(
    schema.properties.rules.propertyNames.enum,
    RULES.map((rule) => rule.id),
  );
});
