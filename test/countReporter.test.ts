// The test reporter behind `npm test`'s counts: a real node:test run of a small file, read back as the summary reads it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { tempDir } from './helpers/tempDir';
// @ts-expect-error plain ES module script without type declarations
import { formatFailures } from '../scripts/count-reporter.mjs';

const REPORTER = path.join(__dirname, '..', 'scripts', 'count-reporter.mjs');

const SAMPLE = `
import { test } from 'node:test';
import assert from 'node:assert/strict';
test('passes', () => {});
test('is skipped', { skip: 'not here' }, () => {});
test('fails with a long story', () => {
  assert.fail(Array.from({ length: 200 }, (_, i) => 'line ' + i).join('\\n'));
});
test('fails briefly', () => {
  assert.equal(1, 2, 'one is not two');
});
`;

function report(): {
  passed: number;
  failed: number;
  skipped: number;
  failures: { name: string; file: string; message: string }[];
} {
  const dir = tempDir('count-reporter-');
  const sample = path.join(dir, 'sample.test.mjs');
  const out = path.join(dir, 'counts.json');
  writeFileSync(sample, SAMPLE);
  const run = spawnSync(
    process.execPath,
    ['--test', `--test-reporter=${REPORTER}`, `--test-reporter-destination=${out}`, sample],
    // Without the parent runner's marker, which would make the child skip its files.
    { encoding: 'utf8', env: { ...process.env, NODE_TEST_CONTEXT: undefined } },
  );
  assert.equal(run.status, 1, `the sample run should fail: ${run.stderr}`);
  return JSON.parse(readFileSync(out, 'utf8'));
}

test('counts passed, failed and skipped tests and keeps each failure with the start of its error', () => {
  const counts = report();
  assert.deepEqual({ ...counts, failures: undefined }, { passed: 1, failed: 2, skipped: 1, failures: undefined });
  assert.deepEqual(
    counts.failures.map((failure) => failure.name),
    ['fails with a long story', 'fails briefly'],
  );
  for (const failure of counts.failures) assert.match(failure.file, /sample\.test\.mjs$/);
  const [long, brief] = counts.failures.map((failure) => failure.message);
  assert.match(brief, /^one is not two\b/);
  assert.match(long, /^line 0\nline 1\n/);
  assert.ok(long.includes('line 79\n'), long);
  assert.ok(!long.includes('line 80'), 'a long error is cut after 80 lines');
  assert.match(long, /more characters in the tier's output above\)$/);
});

test('the closing summary names each failing test, its tier and file, with its error indented', () => {
  const shown = formatFailures(
    [
      { tier: 'unit', name: 'parses', file: '/repo/test/parse.test.ts', message: 'expected 1\nactual 2' },
      { tier: 'end-to-end', name: 'replicates', message: 'timed out' },
    ],
    '/repo',
  );
  assert.equal(
    shown,
    'FAIL unit: parses (test/parse.test.ts)\n  expected 1\n  actual 2\nFAIL end-to-end: replicates\n  timed out',
  );
});
