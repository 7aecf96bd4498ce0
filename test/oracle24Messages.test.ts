// test/oracle24/MESSAGES.md names, for each doveconf 2.4.4 message, the oracle cases that cover it: every
// case it names must exist in the recorded cases, and must be one whose doveconf output is not empty.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { readCases } from './oracle/cases';

const DIR = path.join(__dirname, 'oracle24');

function namedCases(markdown: string): string[] {
  const names: string[] = [];
  for (const line of markdown.split('\n')) {
    if (!/^\| \d/.test(line)) continue;
    const cells = line.split(/(?<!\\)\|/).map((cell) => cell.trim());
    const covered = cells[cells.length - 2];
    if (covered === '—') continue;
    for (const item of covered.replace(/\(.*?\)/g, '').split(',')) if (item.trim() !== '') names.push(item.trim());
  }
  return names;
}

test('every case MESSAGES.md names is a recorded case with doveconf output', () => {
  const cases = new Map(
    readCases(path.join(DIR, 'cases.txt')).map((testCase) => [testCase.name.replace(/\.conf$/, ''), testCase]),
  );
  const names = namedCases(readFileSync(path.join(DIR, 'MESSAGES.md'), 'utf8'));
  assert.ok(names.length > 100, `${names.length} names`);
  for (const name of names) {
    const testCase = cases.get(name);
    assert.ok(testCase, `MESSAGES.md names ${name}, which is not in cases.txt`);
    assert.ok(testCase.recorded.output.includes('doveconf: '), `${name} has no doveconf message`);
  }
});
