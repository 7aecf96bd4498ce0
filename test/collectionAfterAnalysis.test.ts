import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { afterEachAnalysis } from '../server/src/collectionAfterAnalysis';
import { printedByNode } from './helpers/nodeScript';

describe('the collection after each analysis', () => {
  it('is a full collection after the first validation and a scavenge after each later one', () => {
    const kinds: string[] = [];
    const afterValidation = afterEachAnalysis((options) => kinds.push(options?.type ?? 'full'));
    assert.deepEqual(kinds, []);
    afterValidation();
    afterValidation();
    afterValidation();
    assert.deepEqual(kinds, ['full', 'minor', 'minor']);
  });

  it('does nothing when Node does not expose collections', () => {
    assert.doesNotThrow(() => afterEachAnalysis(undefined)());
  });

  it('makes V8 collect in full, then scavenge, in a Node that exposes collections', () => {
    const module = path.join(__dirname, '..', 'server', 'src', 'collectionAfterAnalysis.ts');
    const script = `
      const { PerformanceObserver, constants } = require('node:perf_hooks');
      const kinds = [];
      new PerformanceObserver((list) => {
        for (const entry of list.getEntries())
          kinds.push({ [constants.NODE_PERFORMANCE_GC_MAJOR]: 'major', [constants.NODE_PERFORMANCE_GC_MINOR]: 'minor' }[entry.detail.kind] ?? 'other');
      }).observe({ entryTypes: ['gc'] });
      setTimeout(() => {
        const afterValidation = require(${JSON.stringify(module)}).afterEachAnalysis();
        kinds.length = 0;
        afterValidation();
        afterValidation();
        setTimeout(() => console.log(kinds.join(' ')), 50);
      }, 50);`;
    assert.equal(printedByNode(['--expose-gc', '--import', 'tsx'], script).trim(), 'major minor');
  });
});
