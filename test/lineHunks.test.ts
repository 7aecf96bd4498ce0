import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { conversionEdit, lineGroups, lineHunks } from '../server/src/service/migrate/lineHunks';

function apply(
  text: string,
  edit: {
    range: { start: { line: number; character: number }; end: { line: number; character: number } };
    newText: string;
  },
): string {
  return TextDocument.applyEdits(TextDocument.create('file:///x', 'dovecot', 1, text), [edit]);
}

describe('line hunks of a converted file', () => {
  it('finds replaced, inserted and removed runs', () => {
    const hunks = lineHunks('a\nb\nc\nd\ne\n', 'a\nB1\nB2\nc\ne\nf\n');
    assert.deepEqual(hunks, [
      { start: 1, end: 2, lines: ['B1', 'B2'] },
      { start: 3, end: 4, lines: [] },
      { start: 5, end: 5, lines: ['f'] },
    ]);
  });

  it('gives nothing for equal texts', () => {
    assert.deepEqual(lineHunks('a\nb\n', 'a\nb\n'), []);
  });
});

describe('conversion edit of some original lines', () => {
  const original = 'protocols = imap\nmail_location = maildir:~/Maildir\nfirst_valid_uid = 500\n';
  const converted =
    'dovecot_config_version = 2.4.4\nprotocols = imap\nmail_driver = maildir\nmail_path = ~/Maildir\nfirst_valid_uid = 500\n';

  it("replaces exactly the construct's lines with what the converter wrote there", () => {
    const edit = conversionEdit(original, converted, 1, 1);
    assert.ok(edit);
    assert.equal(
      apply(original, edit),
      'protocols = imap\nmail_driver = maildir\nmail_path = ~/Maildir\nfirst_valid_uid = 500\n',
    );
  });

  it("leaves out the converter's changes elsewhere in the file, and gives nothing for an unchanged line", () => {
    const edit = conversionEdit(original, converted, 1, 1);
    assert.ok(!edit?.newText.includes('dovecot_config_version'));
    assert.equal(conversionEdit(original, converted, 2, 2), undefined);
  });

  it('handles a last line without line end, and CRLF files', () => {
    const edit = conversionEdit('a\r\nb', 'a\r\nB\r\nC', 1, 1);
    assert.ok(edit);
    assert.equal(apply('a\r\nb', edit), 'a\r\nB\r\nC');
  });
});

describe('line groups: one group per construct', () => {
  const isMarker = (line: string): boolean => line.startsWith('# [marker]');

  it('pairs lines one to one when the run keeps its line count, marker comments joining the line below', () => {
    const groups = lineGroups('a\nb\nc\n', 'A\n# [marker] why\n#b\nc\n', { anchors: new Map(), isMarker });
    assert.deepEqual(groups, [
      { start: 0, end: 1, lines: ['A'] },
      { start: 1, end: 2, lines: ['# [marker] why', '#b'] },
    ]);
  });

  it('cuts a run where the converter says an original line went', () => {
    // line 0 became two lines, line 1 was renamed: converted line 2 holds original line 1
    const groups = lineGroups('loc = x:y\nold = 1\n', 'driver = x\npath = y\nnew = 1\n', {
      anchors: new Map([
        [0, 0],
        [1, 2],
      ]),
      isMarker,
    });
    assert.deepEqual(groups, [
      { start: 0, end: 1, lines: ['driver = x', 'path = y'] },
      { start: 1, end: 2, lines: ['new = 1'] },
    ]);
    assert.equal(
      conversionEdit('loc = x:y\nold = 1\n', 'driver = x\npath = y\nnew = 1\n', 1, 1, {
        anchors: new Map([
          [0, 0],
          [1, 2],
        ]),
        isMarker,
      })?.newText,
      'new = 1\n',
    );
  });

  it('joins inserted lines to the line below them', () => {
    const groups = lineGroups('a\nb\n', '# [marker] version\nv = 1\na\nb\n', { anchors: new Map(), isMarker });
    assert.deepEqual(groups, [{ start: 0, end: 1, lines: ['# [marker] version', 'v = 1', 'a'] }]);
  });
});
