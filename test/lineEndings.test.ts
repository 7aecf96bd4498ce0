// Lines as the LSP counts them (`\r\n`, `\n` and a lone `\r`) in every position we send, while the
// parser reads Dovecot's lines (ended by `\n` only; doveconf 2.3.19 keeps a lone `\r` in the value).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { TreeEditor } from '../server/src/service/features/fixEdits';
import { DEFAULT_INDENT_UNIT, formatIndentation } from '../server/src/service/features/formatting';
import { MemoryHost } from '../server/src/service/model/host';
import { parseConfig } from '../server/src/service/syntax/parser';
import { lineTextAt, TextLines } from '../server/src/service/syntax/textLines';
import { analyzeFiles, ROOT } from './helpers/analyze';
import { generateTree, LINE_ENDS, Random } from './helpers/configGen';
import {
  applyEdits,
  diagnosticRangeViolations,
  formattingViolations,
  quickFixViolations,
  rangeProblem,
} from './helpers/invariants';
import { getLanguageService } from '../server/src/service/dovecotLanguageService';

const format = (text: string): string =>
  applyEdits(text, formatIndentation(text, parseConfig(text), DEFAULT_INDENT_UNIT));

describe('a lone CR is a line break for the LSP, part of the value for Dovecot', () => {
  test('the parser keeps a lone CR inside the value, as doveconf does', () => {
    const [setting] = parseConfig('mail_plugins = quota\rservice imap {\n').statements;
    assert.equal(setting.kind, 'setting');
    assert.equal(setting.kind === 'setting' && setting.value, 'quota\rservice imap {');
    // One CR before LF is the line end; a second one stays in the value.
    const [crcrlf] = parseConfig('mail_plugins = quota\r\r\n').statements;
    assert.equal(crcrlf.kind === 'setting' && crcrlf.value, 'quota\r');
  });

  test('ranges count the lone CR as a line break', () => {
    const [setting] = parseConfig('a = 1\rb = 2\nc = 3\n').statements;
    assert.deepEqual(setting.range, { start: { line: 0, character: 0 }, end: { line: 1, character: 5 } });
    const [, next] = parseConfig('a = 1\rb = 2\nc = 3\n').statements;
    assert.deepEqual(next.range.start, { line: 2, character: 0 });
  });

  test('formatting leaves the text after a lone CR alone (it is inside the value)', () => {
    assert.equal(format('mail_plugins = quota\rservice imap {\n'), 'mail_plugins = quota\rservice imap {\n');
    assert.equal(format('plugin {\nx = 1\r  y\n}\n'), 'plugin {\n  x = 1\r  y\n}\n');
  });

  test('a diagnostic after a lone CR is inside its line', () => {
    const text = 'mail_debug = yes\runknown_setting = 1\nunknown_other = 2\n';
    const analysis = analyzeFiles(text);
    assert.deepEqual(
      diagnosticRangeViolations(analysis, () => text),
      [],
    );
    const unknown = analysis.diagnostics.find((d) => d.code === 'unknown-setting');
    assert.deepEqual(unknown?.range.start, { line: 2, character: 0 });
  });

  test('lineTextAt and TextLines count lines as the LSP does', () => {
    assert.equal(lineTextAt('a\rb\r\nc\nd', 1), 'b');
    assert.equal(lineTextAt('a\rb\r\nc\nd', 3), 'd');
    const lines = new TextLines('a\rb\r\r\nc');
    assert.equal(lines.lineCount, 4);
    assert.deepEqual(
      [0, 1, 2, 3].map((line) => lines.lineText(line)),
      ['a', 'b', '', 'c'],
    );
    assert.equal(lines.dovecotLineStart(lines.lineStart(1)), 0);
  });
});

describe('quick fixes on files ending in CR or using CR CR LF stay in their lines', () => {
  test('a line appended to a file ending in a lone CR starts on a line of its own', () => {
    for (const text of ['mail_debug = yes\r', 'mail_debug = yes\r\r\n', 'a = 1\r\nmail_debug = yes\r']) {
      const editor = new TreeEditor(analyzeFiles(text).model);
      const edit = editor.insertLines(ROOT, 99, ['protocols = imap']);
      const fixed = applyEdits(text, [{ range: edit.range, newText: [edit.text].flat().join('') }]);
      const keys = parseConfig(fixed).statements.map(
        (statement) => statement.kind === 'setting' && [statement.key, statement.value],
      );
      assert.deepEqual(keys.at(-1), ['protocols', 'imap'], JSON.stringify(fixed));
      assert.equal(keys.length, parseConfig(text).statements.length + 1);
    }
  });

  test('a line inserted after a statement holding a lone CR goes after the whole Dovecot line', () => {
    const text = 'mail_debug = yes # note\rstill the comment\nlast = 1\n';
    const editor = new TreeEditor(analyzeFiles(text).model);
    const [statement] = parseConfig(text).statements;
    const edit = editor.insertLines(ROOT, statement.range.end.line + 1, ['protocols = imap']);
    assert.equal(
      applyEdits(text, [{ range: edit.range, newText: [edit.text].flat().join('') }]),
      'mail_debug = yes # note\rstill the comment\nprotocols = imap\nlast = 1\n',
    );
    const removed = editor.deleteLines(ROOT, statement.range.start.line, statement.range.end.line);
    assert.equal(applyEdits(text, [{ range: removed.range, newText: '' }]), 'last = 1\n');
  });

  test('fixes of a file using CR CR LF stay in range and add no syntax error', () => {
    const text = 'mail_plugins = quota\r\r\nplugin {\r\r\n  mail_replica = tcp:peer\r\r\n}\r\r\ndoveadm_password =\r';
    const host = new MemoryHost({ [ROOT]: text });
    const service = getLanguageService(host);
    const analysis = service.analyze(ROOT);
    assert.ok(service.doQuickFixes(analysis, ROOT, analysis.diagnostics, host).length > 3);
    assert.deepEqual(quickFixViolations(analysis, host), []);
  });

  test('a suppression comment goes above the Dovecot line, not after its lone CR', () => {
    const text = 'mail_debug = yes\rfoo = 1\nunknown_setting = 2\r\r\n';
    const host = new MemoryHost({ [ROOT]: text });
    const service = getLanguageService(host);
    const analysis = service.analyze(ROOT);
    const diagnostic = analysis.diagnostics.find((d) => d.code === 'unknown-setting');
    assert.ok(diagnostic);
    const suppression = service
      .doQuickFixes(analysis, ROOT, [diagnostic], host)
      .find(({ fix }) => fix.title.startsWith('Ignore'));
    assert.ok(suppression);
    const fixed = applyEdits(text, suppression.fix.edits[ROOT]);
    assert.equal(
      fixed,
      'mail_debug = yes\rfoo = 1\n# dovecot-lint: ignore=unknown-setting\r\nunknown_setting = 2\r\r\n',
    );
    assert.deepEqual(
      analyzeFiles(fixed).diagnostics.filter((d) => d.code === 'unknown-setting'),
      [],
    );
  });
});

describe('property: random line ends never break formatting, fixes or ranges', () => {
  const random = new Random(20261128);
  for (let index = 0; index < 150; index++) {
    const tree = generateTree(random);
    // The same tree with every line end replaced by a random one (LF, CRLF, lone CR, CR CR LF).
    for (const file of Object.keys(tree.files))
      tree.files[file] = tree.files[file].replace(/\r\n|\r|\n/g, () => random.pick(LINE_ENDS));
    test(`tree ${index}`, () => {
      const host = new MemoryHost(tree.files);
      const service = getLanguageService(host);
      const analysis = service.analyze(tree.root);
      const textOf = (file: string) => analysis.model.files.get(file)?.text;
      assert.deepEqual(diagnosticRangeViolations(analysis, textOf), []);
      for (const file of analysis.files) assert.deepEqual(formattingViolations(textOf(file) ?? ''), [], file);
      assert.deepEqual(quickFixViolations(analysis, host, 40), []);
    });
  }

  test('rangeProblem notices a character past the end of a CR-ended line', () => {
    assert.match(
      rangeProblem('abc\rdef', { start: { line: 0, character: 5 }, end: { line: 0, character: 5 } }) ?? '',
      /past the end/,
    );
    assert.equal(
      rangeProblem('abc\rdef', { start: { line: 1, character: 3 }, end: { line: 1, character: 3 } }),
      undefined,
    );
  });
});
