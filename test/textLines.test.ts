import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { lineTextAt } from '../server/src/service/syntax/textLines';

describe('lineTextAt', () => {
  it('returns a line without its LF or CRLF end', () => {
    assert.equal(lineTextAt('a = 1\nb = 2\n', 1), 'b = 2');
    assert.equal(lineTextAt('a = 1\r\nb = 2\r\n', 0), 'a = 1');
    assert.equal(lineTextAt('a\r\nlast', 1), 'last');
  });

  it('returns an empty string past the end', () => {
    assert.equal(lineTextAt('a\n', 1), '');
    assert.equal(lineTextAt('a\n', 7), '');
  });
});
