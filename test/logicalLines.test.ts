// FACTS §1.1: comment stripping, quotes, Ambiguous '#', trimming and `\` continuation; LF and CRLF.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { scanLines, type LogicalLine } from '../server/src/service/syntax/logicalLines';

/** The scan of `source`, with each logical line's text (a continued one's joined text) and its continued lines. */
function scanned(source: string) {
  const lines: string[] = [];
  const continued: LogicalLine[] = [];
  const scan = scanLines(source, (line) => {
    lines.push(line.text.slice(line.start, line.end));
    if (line.continued) continued.push(line.continued);
  });
  return { ...scan, lines, continued };
}

const texts = (source: string): string[] => scanned(source).lines;

for (const eol of ['\n', '\r\n']) {
  const src = (...lines: string[]): string => lines.join(eol) + eol;
  describe(`logical lines (${JSON.stringify(eol)})`, () => {
    test('blank lines and # lines are skipped, leading/trailing blanks trimmed', () => {
      assert.deepEqual(texts(src('', '   ', '# comment', '\t mail_debug = yes \t')), ['mail_debug = yes']);
      assert.equal(scanned(src('a = 1')).eol, eol);
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
    test('a line that is only a backslash adds nothing to the joined line, not even a space', () => {
      assert.deepEqual(texts(src('x = a \t\\', '\\', 'y = b \\', '  \\  ', '  c')), ['x = a y = b c']);
      const alone = scanned(src('\\', '', 'mail_debug = yes'));
      assert.deepEqual(alone.lines, ['mail_debug = yes']);
      assert.deepEqual(alone.problems, [], 'nothing was pending, so nothing is dropped');
    });
    test('an unterminated quote stops comment stripping', () => {
      assert.deepEqual(texts(src('x = "unterminated # kept')), ['x = "unterminated # kept']);
    });
    test("Ambiguous '#' warning when # is not preceded by white space, on the # character", () => {
      const scan = scanned(src('mail_debug = yes', 'protocols = imap#x'));
      assert.deepEqual(scan.lines, ['mail_debug = yes', 'protocols = imap']);
      assert.equal(scan.problems.length, 1);
      assert.equal(scan.problems[0].code, 'ambiguous-comment');
      assert.match(
        scan.problems[0].message,
        /^Ambiguous '#' character in line, treating it as comment\. Add a space before it/,
      );
      assert.deepEqual(scan.problems[0].range, { start: { line: 1, character: 16 }, end: { line: 1, character: 17 } });
      assert.equal(scanned(src('a = b #c')).problems.length, 0);
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
    test("a line that is not continued is read as offsets into the file's text, no string cut for it", () => {
      const source = src('  a = 1 # c', 'b = 2 \\', 'c');
      const spans: [number, number, boolean, string][] = [];
      scanLines(source, (line) =>
        spans.push([line.start, line.end, line.text === source, line.text.slice(line.start, line.end)]),
      );
      assert.deepEqual(spans, [
        [2, 7, true, 'a = 1'],
        [0, 7, false, 'b = 2 c'],
      ]);
    });
    test('a continued line maps positions back to each physical line', () => {
      const [line] = scanned(src('a = x \\', '    yz')).continued;
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
      const dropped = scanned(src('mail_plugins = quota \\', '', 'acl = 1')).problems;
      assert.deepEqual(
        dropped.map((p) => [p.code, p.range.start.line, p.range.end.line]),
        [['continuation-dropped', 0, 0]],
      );
      assert.equal(dropped[0].data?.dropped, 'mail_plugins = quota');
      assert.deepEqual(scanned(src('a = 1 \\', 'b = 2')).problems, []);
      assert.deepEqual(
        scanned(src('x = 1', 'service imap { \\')).problems.map((p) => p.code),
        ['continuation-dropped'],
      );
    });
    test('comments are collected with their ranges', () => {
      const scan = scanned(src('# top', 'a = 1 # tail'));
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
