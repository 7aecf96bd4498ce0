// The edits quick fixes are built from (TreeEditor): lines appended at the end of a file whose last line ends
// in a `\` continuation, which Dovecot drops there, keep it dropped instead of joining it.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { TreeEditor } from '../server/src/service/features/fixEdits';
import { parseConfig } from '../server/src/service/syntax/parser';
import { analyzeFiles, ROOT } from './helpers/analyze';
import { applyEdits } from './helpers/invariants';

/** `text` with `lines` appended by insertLines at the end of the file. */
function appended(text: string, lines: string[]): string {
  const edit = new TreeEditor(analyzeFiles(text).model).insertLines(ROOT, 1000, lines);
  return applyEdits(text, [{ range: edit.range, newText: [edit.text].flat().join('') }]);
}

const BLOCK = ['protocol imap {', '  mail_plugins = $mail_plugins imap_quota', '}'];

describe('lines appended at the end of a file', () => {
  test('after a last line ending in \\ come after a blank line, so the continuation stays dropped', () => {
    for (const text of [
      'ssl = required\n\\\n',
      'ssl = required\nx = 1 \\\n',
      'x = 1 \\ # note\n',
      'x = 1 \\',
      'x = 1 \\\r\n',
    ]) {
      const fixed = appended(text, BLOCK);
      const parsed = parseConfig(fixed);
      const sections = parsed.statements.filter((statement) => statement.kind === 'section');
      assert.deepEqual(
        sections.map((section) => section.kind === 'section' && [section.type, section.name, section.children.length]),
        [['protocol', 'imap', 1]],
        JSON.stringify(fixed),
      );
      assert.deepEqual(
        parsed.problems.map((problem) => problem.code),
        parseConfig(text).problems.map((problem) => problem.code),
        `the same problems as before: ${JSON.stringify(fixed)}`,
      );
    }
  });

  test('after any other last line come right after it', () => {
    assert.equal(appended('ssl = required\n', ['a = 1']), 'ssl = required\na = 1\n');
    assert.equal(appended('# ends in \\\n', ['a = 1']), '# ends in \\\na = 1\n');
    assert.equal(appended('ssl = required', ['a = 1']), 'ssl = required\na = 1');
  });
});
