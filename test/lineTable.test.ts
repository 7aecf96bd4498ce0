import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { makeLineTable } from '../server/src/lineTable';

/** The document library's own line table (undefined until it is made). */
const lineTableOf = (document: TextDocument): number[] | undefined =>
  (document as unknown as { _lineOffsets?: number[] })._lineOffsets;

describe('the line table of an opened document', () => {
  const text = 'protocols = imap\nservice imap {\n  process_limit = 10\n}\n';

  it('is made when the document opens, before its first edit', () => {
    const document = TextDocument.create('file:///etc/dovecot/dovecot.conf', 'dovecot', 1, text);
    assert.equal(lineTableOf(document), undefined, 'the library makes it lazily');
    assert.equal(makeLineTable(document), 5);
    assert.deepEqual(lineTableOf(document), [0, 17, 32, 53, 55]);
  });

  it('is updated in place by an edit, not made again', () => {
    const document = TextDocument.create('file:///etc/dovecot/dovecot.conf', 'dovecot', 1, text);
    makeLineTable(document);
    const table = lineTableOf(document);
    const range = { start: { line: 2, character: 20 }, end: { line: 2, character: 20 } };
    TextDocument.update(document, [{ range, text: '0\n  vsz_limit = 1G' }], 2);
    assert.equal(lineTableOf(document), table);
    const fresh = TextDocument.create(document.uri, 'dovecot', 2, document.getText());
    makeLineTable(fresh);
    assert.equal(document.lineCount, 6);
    assert.deepEqual(lineTableOf(document), lineTableOf(fresh));
  });
});
