import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { blockItem, includeItem } from '../server/src/service/features/completionItems';

const wordRange = { start: { line: 3, character: 0 }, end: { line: 3, character: 4 } };

describe('completion item builders', () => {
  it('a block at the end of a line inserts the whole section with a name placeholder and the cursor inside', () => {
    const item = blockItem({ wordRange, atLineEnd: true }, 'service', 'section', 'doc', 'name');
    assert.deepEqual(item.textEdit, { range: wordRange, newText: 'service ${1:name} {\n\t$0\n}' });
    assert.equal(item.sortText, '1service');
  });

  it('in the middle of a line only the type is inserted', () => {
    const item = blockItem({ wordRange, atLineEnd: false }, 'plugin', 'section', 'doc');
    assert.deepEqual(item.textEdit, { range: wordRange, newText: 'plugin' });
  });

  it('!include items sort last and suggest the conf.d glob', () => {
    const item = includeItem({ wordRange, atLineEnd: true }, '!include_try');
    assert.equal(item.sortText, '3!include_try');
    assert.deepEqual(item.textEdit, { range: wordRange, newText: '!include_try ${1:conf.d/*.conf}' });
  });
});
