// An edit inside one setting line reuses the rest of the file's parse: the result must be exactly the
// parse of the whole edited text, on real configuration files, for every setting line edited three ways.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { reparseEditedLine } from '../server/src/service/syntax/lineEdit';
import type { ParsedFile, Statement } from '../server/src/service/syntax/nodes';
import { parseConfig } from '../server/src/service/syntax/parser';

const STOCK = path.join(__dirname, 'fixtures', 'debian-stock');
const FILES = [
  ...readdirSync(path.join(STOCK, 'conf.d')).map((name) => path.join(STOCK, 'conf.d', name)),
  path.join(STOCK, 'dovecot.conf'),
  ...readdirSync(path.join(__dirname, 'fixtures', 'dovecot24', 'conf.d')).map((name) =>
    path.join(__dirname, 'fixtures', 'dovecot24', 'conf.d', name),
  ),
];

/** Everything a feature can read of a statement, ranges included. */
function shape(statement: Statement): unknown {
  switch (statement.kind) {
    case 'setting':
      return {
        ...[
          statement.key,
          statement.value,
          statement.rawValue,
          statement.valueKind,
          statement.keyQuoted,
          statement.key23,
        ],
        ranges: [statement.range, statement.keyRange, statement.valueRange],
        variables: statement.variables.map((variable) => [variable.name, variable.range]),
      };
    case 'section':
      return {
        header: [
          statement.type,
          statement.name,
          statement.nameQuoted,
          statement.filter,
          statement.groupLabel,
          statement.typeQuoted,
          statement.type23,
        ],
        ranges: [
          statement.range,
          statement.typeRange,
          statement.nameRange,
          statement.headerRange,
          statement.closeRange,
        ],
        children: statement.children.map(shape),
      };
    default:
      return { ...statement };
  }
}

function fileShape(parsed: ParsedFile): unknown {
  return {
    statements: parsed.statements.map(shape),
    comments: parsed.comments.map((comment) => [comment.text, comment.range]),
    problems: parsed.problems.map((problem) => [problem.code, problem.range, problem.message]),
    lines: parsed.textLines.lineCount,
    eol: parsed.eol,
  };
}

/** The setting node that starts on `line`, at any depth. */
function settingOnLine(statements: readonly Statement[], line: number): Statement | undefined {
  for (const statement of statements) {
    if (statement.kind === 'setting' && statement.range.start.line === line) return statement;
    if (statement.kind === 'section') {
      const inner = settingOnLine(statement.children, line);
      if (inner) return inner;
    }
  }
  return undefined;
}

/** Three edits of each line: a longer value, a key with a letter changed, the value removed. */
function editsOf(line: string): string[] {
  const equals = line.indexOf('=');
  if (equals < 0) return [];
  const keyStart = line.search(/\S/);
  return [
    `${line}x`,
    `${line.slice(0, keyStart)}${line[keyStart] === 'z' ? 'y' : 'z'}${line.slice(keyStart + 1)}`,
    line.slice(0, equals + 1),
  ];
}

describe('reparsing one edited setting line', () => {
  it('gives exactly the whole parse of the edited text, for every setting line of real files', () => {
    let reused = 0;
    let declined = 0;
    // Each file as it is and with CRLF line ends.
    const texts = FILES.flatMap((file) => {
      const text = readFileSync(file, 'utf8');
      return [
        [file, text],
        [`${file} (CRLF)`, text.replace(/\n/g, '\r\n')],
      ];
    });
    for (const [file, text] of texts) {
      const previous = { text, parsed: parseConfig(text) };
      const lines = text.split('\n');
      lines.forEach((line, index) => {
        for (const edited of editsOf(line)) {
          const next = [...lines.slice(0, index), edited, ...lines.slice(index + 1)].join('\n');
          const incremental = reparseEditedLine(previous, next);
          if (!incremental) {
            declined++;
            continue;
          }
          reused++;
          const whole = parseConfig(next);
          assert.deepEqual(fileShape(incremental.parsed), fileShape(whole), `${file}:${index + 1} -> ${edited}`);
          const starts = (parsed: ParsedFile): number[] =>
            Array.from({ length: parsed.textLines.lineCount }, (_, at) => parsed.textLines.lineStart(at));
          assert.deepEqual(starts(incremental.parsed), starts(whole), 'the lines start where they do in the new text');
          // The setting it replaced is the previous parse's on that line; the new one is on the same line.
          assert.equal(settingOnLine(previous.parsed.statements, index), incremental.before);
          assert.equal(settingOnLine(incremental.parsed.statements, index), incremental.after);
        }
      });
    }
    assert.ok(reused > 100, `reused the parse ${reused} times`);
    assert.ok(declined > 0, 'some edits (comments, section lines) are parsed whole');
  });

  it('parses the file whole when the edit adds a line, touches a comment, a section or a continuation', () => {
    const text = 'a = 1\nservice imap {\n  b = 2 \\\n  c\n  d = 4 # note\n}\n';
    const previous = { text, parsed: parseConfig(text) };
    for (const next of [
      'a = 1\nx = 2\nservice imap {\n  b = 2 \\\n  c\n  d = 4 # note\n}\n',
      'a = 1\nservice pop3 {\n  b = 2 \\\n  c\n  d = 4 # note\n}\n',
      'a = 1\nservice imap {\n  b = 3 \\\n  c\n  d = 4 # note\n}\n',
      'a = 1\nservice imap {\n  b = 2 \\\n  cc\n  d = 4 # note\n}\n',
      'a = 1\nservice imap {\n  b = 2 \\\n  c\n  d = 5 # note\n}\n',
      'a = {{ x }}\nservice imap {\n  b = 2 \\\n  c\n  d = 4 # note\n}\n',
    ])
      assert.equal(reparseEditedLine(previous, next), undefined, next);
    const edited = 'a = 11\nservice imap {\n  b = 2 \\\n  c\n  d = 4 # note\n}\n';
    assert.deepEqual(fileShape(reparseEditedLine(previous, edited)!.parsed), fileShape(parseConfig(edited)));
  });

  it('a setting whose key is written in double quotes keeps what 2.4 and 2.3 read of it', () => {
    const text = 'service imap {\n}\n"mail_debug" = yes\n';
    const previous = { text, parsed: parseConfig(text) };
    for (const next of [
      'service imap {\n}\n"mail_debug" = no\n',
      'service imap {\n}\n"mail_debugx" = yes\n',
      'service imap {\n}\nmail_debug = yes\n',
    ]) {
      const incremental = reparseEditedLine(previous, next);
      assert.ok(incremental, next);
      assert.deepEqual(fileShape(incremental.parsed), fileShape(parseConfig(next)), next);
    }
    assert.deepEqual(
      [previous.parsed.statements[1]].map((s) => s.kind === 'setting' && [s.key, s.keyQuoted, s.key23]),
      [['mail_debug', true, '"mail_debug"']],
    );
  });
});
