import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { TextLines, lineTextAt } from '../server/src/service/syntax/textLines';

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

describe('TextLines counts lines and positions exactly as the LSP TextDocument does', () => {
  const pieces = ['a', 'key = v', ' ', '\n', '\r\n', '\r', '\r\r\n', '\n\r', 'é', ''];
  /** A deterministic pseudo-random text of line breaks of every kind. */
  function textOf(seed: number): string {
    let state = seed;
    let text = '';
    for (let i = 0; i < 40; i++) {
      state = (state * 1103515245 + 12345) % 2147483648;
      text += pieces[state % pieces.length];
    }
    return text;
  }

  it('every offset, every line start and end, and offsets of positions past a line end', () => {
    for (let seed = 1; seed <= 300; seed++) {
      const text = textOf(seed);
      const ours = new TextLines(text);
      const theirs = TextDocument.create('', '', 0, text);
      assert.equal(ours.lineCount, theirs.lineCount, JSON.stringify(text));
      for (let offset = -1; offset <= text.length + 1; offset++)
        assert.deepEqual(ours.positionAt(offset), theirs.positionAt(offset), `${JSON.stringify(text)} @${offset}`);
      for (let line = 0; line < theirs.lineCount; line++) {
        assert.equal(ours.lineStart(line), theirs.offsetAt({ line, character: 0 }));
        assert.equal(ours.offsetAt({ line, character: 1000 }), theirs.offsetAt({ line, character: 1000 }));
      }
    }
  });
});
