// The end-to-end tests' one retry of a lab scenario: a second failure is the test's, and the lab is taken down between.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Lab, withOneRetry } from './e2e/lab';

class CountingLab extends Lab {
  downs = 0;
  constructor() {
    super('/nonexistent-lab');
  }
  override down(): void {
    this.downs += 1;
  }
}

function scenario(outcomes: (string | Error)[]): () => string {
  return () => {
    const next = outcomes.shift();
    if (next === undefined) throw new Error('scenario ran more often than expected');
    if (next instanceof Error) throw next;
    return next;
  };
}

test('a scenario that works the first time runs once and keeps its lab', () => {
  const lab = new CountingLab();
  assert.equal(withOneRetry(lab, scenario(['replicated'])), 'replicated');
  assert.equal(lab.downs, 0);
});

test('a scenario that fails once is reported, runs again on a new lab, and its second result counts', (t) => {
  const printed = t.mock.method(console, 'log', () => undefined);
  const lab = new CountingLab();
  assert.equal(withOneRetry(lab, scenario([new Error('not on B after 10s\n--- log B:'), 'replicated'])), 'replicated');
  assert.equal(lab.downs, 1);
  assert.equal(printed.mock.callCount(), 1);
  assert.equal(
    printed.mock.calls[0].arguments[0],
    '# RETRIED: the first attempt failed, running it again on a new lab:\n#   not on B after 10s\n#   --- log B:',
  );
});

test('a scenario that fails twice fails with the second error', (t) => {
  t.mock.method(console, 'log', () => undefined);
  const lab = new CountingLab();
  const run = scenario([new Error('first: not on B'), new Error('second: not on B'), 'never reached']);
  assert.throws(() => withOneRetry(lab, run), /second: not on B/);
  assert.equal(lab.downs, 1);
});
