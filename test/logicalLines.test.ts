// FACTS §1.1: comment stripping, quotes, Ambiguous '#', trimming and `\` continuation; LF and CRLF.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { scanLines } from '../server/src/service/syntax/logicalLines';

const texts = (source: string): string[] => scanLines(source).lines.map((line) => line.text);

for (const eol of ['\n', '\r\n']) {
  const src = (...lines: string[]): string => lines.join(eol) + eol;
  describe(`logical lines (${JSON.stringify(eol)})`, () => {
    test('blank lines and # lines are skipped, leading/trailing blanks trimmed', () => {
      assert.deepEqual(texts(src('', '   ', '# comment', '\t mail_debug = yes \t')), ['mail_debug = yes']);
      assert.equal(scanLines(src('a = 1')).eol, eol);
    });
    test('# starts a comment outside quotes only', () => {
      assert.deepEqual(texts(src('a = b # c', 'x = "a # b" # c', "y = 'a # b'")), [
        'a = b',
        'x = "a # b"',
        "y = 'a # b'",
      ]);
    });
    test('an escaped quote does not close the quoted run', () => {
      assert.deepEqual(texts(src('x = "in \\"q\\" # not" # yes')), ['x = "in \\"q\\" # not"']);
    });
    test('an unterminated quote stops comment stripping', () => {
      assert.deepEqual(texts(src('x = "unterminated # kept')), ['x = "unterminated # kept']);
    });
    test("Ambiguous '#' warning when # is not preceded by white space, on the # character", () => {
      const scan = scanLines(src('mail_debug = yes', 'protocols = imap#x'));
      assert.deepEqual(
        scan.lines.map((l) => l.text),
        ['mail_debug = yes', 'protocols = imap'],
      );
      assert.equal(scan.problems.length, 1);
      assert.equal(scan.problems[0].code, 'ambiguous-comment');
      assert.match(
        scan.problems[0].message,
        /^Ambiguous '#' character in line, treating it as comment\. Add a space before it/,
      );
      assert.deepEqual(scan.problems[0].range, { start: { line: 1, character: 16 }, end: { line: 1, character: 17 } });
      assert.equal(scanLines(src('a = b #c')).problems.length, 0);
    });
    test('trailing \\ joins the next (left-trimmed) line with exactly one space', () => {
      assert.deepEqual(texts(src('mail_location = maildir:~/Maildir\\', '   :LAYOUT=fs')), [
        'mail_location = maildir:~/Maildir :LAYOUT=fs',
      ]);
      assert.deepEqual(texts(src('mail_plugins = quota   \\', '  acl \\', '  notify')), [
        'mail_plugins = quota acl notify',
      ]);
      assert.deepEqual(texts(src('service imap \\', '{', '}')), ['service imap {', '}']);
    });
    test('a continued line maps positions back to each physical line', () => {
      const [line] = scanLines(src('a = x \\', '    yz')).lines;
      assert.equal(line.text, 'a = x yz');
      assert.deepEqual(line.positionAt(6), { line: 1, character: 4 });
      assert.deepEqual(line.range, { start: { line: 0, character: 0 }, end: { line: 1, character: 6 } });
    });
    test('a blank or comment line (or the end of file) drops a pending continuation, as doveconf does', () => {
      assert.deepEqual(texts(src('mail_plugins = quota \\', '', '  acl = 1')), ['acl = 1']);
      assert.deepEqual(texts(src('mail_plugins = quota \\', '  # c', '  acl')), ['acl']);
      assert.deepEqual(texts(src('mail_debug = yes', 'service imap { \\')), ['mail_debug = yes']);
    });
    test('a dropped continuation is reported as a warning on the dropped lines', () => {
      const dropped = scanLines(src('mail_plugins = quota \\', '', 'acl = 1')).problems;
      assert.deepEqual(
        dropped.map((p) => [p.code, p.range.start.line, p.range.end.line]),
        [['continuation-dropped', 0, 0]],
      );
      assert.equal(dropped[0].data?.dropped, 'mail_plugins = quota');
      assert.deepEqual(scanLines(src('a = 1 \\', 'b = 2')).problems, []);
      assert.deepEqual(
        scanLines(src('x = 1', 'service imap { \\')).problems.map((p) => p.code),
        ['continuation-dropped'],
      );
    });
    test('comments are collected with their ranges', () => {
      const scan = scanLines(src('# top', 'a = 1 # tail'));
      assert.deepEqual(
        scan.comments.nodes.map((c) => [c.text, c.range.start.line, c.range.start.character]),
        [
          ['# top', 0, 0],
          ['# tail', 1, 6],
        ],
      );
    });
  });
}
