import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { onceAfterFirstAnalysis } from '../server/src/firstCollection';

describe('the full collection after the first analysis', () => {
  it('runs once, after the first validation only', () => {
    let collections = 0;
    const afterValidation = onceAfterFirstAnalysis(() => collections++);
    assert.equal(collections, 0);
    afterValidation();
    afterValidation();
    afterValidation();
    assert.equal(collections, 1);
  });

  it('does nothing when Node does not expose a full collection', () => {
    assert.doesNotThrow(() => onceAfterFirstAnalysis(undefined)());
  });
});
