import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { TextEdit } from 'vscode-languageserver-types';
import {
  DEFAULT_INDENT_UNIT,
  formatIndentation,
  formatRangeIndentation,
  formattingUnit,
  indentUnitOf,
} from '../server/src/service/features/formatting';
import { parseConfig } from '../server/src/service/syntax/parser';

function apply(text: string, edits: TextEdit[]): string {
  const lines = text.split('\n');
  for (const edit of [...edits].reverse()) {
    const line = lines[edit.range.start.line];
    lines[edit.range.start.line] =
      line.slice(0, edit.range.start.character) + edit.newText + line.slice(edit.range.end.character);
  }
  return lines.join('\n');
}

const format = (text: string, insertSpaces = true) =>
  apply(text, formatIndentation(text, parseConfig(text), insertSpaces ? '  ' : '\t'));

describe('formatting', () => {
  it('indents sections by depth and leaves everything else as written', () => {
    const input =
      'service aggregator {\nfifo_listener replication-notify-fifo {\n      user = vmail   # owner\n}\n    }\n';
    assert.equal(
      format(input),
      'service aggregator {\n  fifo_listener replication-notify-fifo {\n    user = vmail   # owner\n  }\n}\n',
    );
  });

  it('puts comment lines at the depth of what follows, inside a section before its }', () => {
    const input = 'plugin {\n# replica\nmail_replica = tcp:b:1\n# trailing note\n}\n# top\nmail_debug = no\n';
    assert.equal(
      format(input),
      'plugin {\n  # replica\n  mail_replica = tcp:b:1\n  # trailing note\n}\n# top\nmail_debug = no\n',
    );
  });

  it('indents continuation lines one level deeper and keeps CRLF line ends', () => {
    const input = 'service imap {\r\nexecutable = imap \\\r\npostlogin\r\n}\r\n';
    assert.equal(format(input, false), 'service imap {\r\n\texecutable = imap \\\r\n\t\tpostlogin\r\n}\r\n');
  });

  it('returns no edits for a file that is already formatted', () => {
    const input = 'protocol lmtp {\n  mail_plugins = $mail_plugins sieve\n}\n';
    assert.deepEqual(formatIndentation(input, parseConfig(input), '  '), []);
  });
});

describe('formatting a range', () => {
  const messy = 'service imap {\nprocess_limit = 5\ninet_listener imap {\nport = 143\n}\n}\nplugin {\nx = y\n}\n';
  const formatLines = (start: number, end: number, endCharacter = 0) =>
    apply(
      messy,
      formatRangeIndentation(messy, parseConfig(messy), '  ', {
        start: { line: start, character: 3 },
        end: { line: end, character: endCharacter },
      }),
    );

  it('re-indents only the lines the range touches, by their depth in the whole file', () => {
    assert.equal(
      formatLines(2, 4, 3),
      'service imap {\nprocess_limit = 5\n  inet_listener imap {\n    port = 143\n  }\n}\nplugin {\nx = y\n}\n',
    );
  });

  it('leaves out the line a selection of whole lines ends on, at its start', () => {
    assert.equal(
      formatLines(1, 3),
      'service imap {\n  process_limit = 5\n  inet_listener imap {\nport = 143\n}\n}\nplugin {\nx = y\n}\n',
    );
  });

  it('gives the same edits as the whole file for a range over every line', () => {
    const parsed = parseConfig(messy);
    const whole = { start: { line: 0, character: 0 }, end: { line: 10, character: 0 } };
    assert.deepEqual(formatRangeIndentation(messy, parsed, '  ', whole), formatIndentation(messy, parsed, '  '));
  });
});

describe('indentation style of the tree', () => {
  const file = (text: string) => ({ text, parsed: parseConfig(text) });
  const messy = file('service imap {\n     process_limit = 5\n  inet_listener imap {\n port = 143\n}\n}\n');

  it('a tree indented consistently keeps its unit (4 spaces, tabs), continuation lines aside', () => {
    assert.equal(
      indentUnitOf([
        file('service a {\n    inet_listener {\n        port = 1\n    }\n}\n'),
        file('plugin {\n    x = a \\\n  b\n}\n'),
      ]),
      '    ',
    );
    assert.equal(indentUnitOf([file('service a {\n\tvsz_limit = 1G\n}\n')]), '\t');
  });

  it('an inconsistent tree, or one without indentation, is formatted with two spaces', () => {
    assert.equal(indentUnitOf([messy]), DEFAULT_INDENT_UNIT);
    assert.equal(
      indentUnitOf([file('service a {\n    x = 1\n}\n'), file('service b {\n  y = 1\n}\n')]),
      DEFAULT_INDENT_UNIT,
    );
    assert.equal(indentUnitOf([file('protocols = imap\n')]), undefined);
    assert.equal(formattingUnit(file('protocols = imap\n'), []), '  ');
  });

  it('a closing brace inside a section, a continued statement and an include line count with their depth', () => {
    assert.equal(indentUnitOf([file('service a {\n  b {\n    x = 1\n   }\n}\n')]), DEFAULT_INDENT_UNIT);
    assert.equal(indentUnitOf([file('service a {\n\tb {\n\t\tx = 1\n\t}\n}\n')]), '\t');
    assert.equal(indentUnitOf([file('service a {\n   x = a \\\n  b\n   !include x.conf\n}\n')]), '   ');
    assert.equal(indentUnitOf([file('service a {\n   x = a \\\n  b\n  !include x.conf\n}\n')]), DEFAULT_INDENT_UNIT);
    assert.equal(indentUnitOf([file('service a {\r\n    x = 1\r\n}\r\n')]), '    ');
  });

  it('a messy file is formatted in the style of the rest of its tree, never by the editor guess', () => {
    const rest = [file('service a {\n    x = 1\n}\n')];
    const unit = formattingUnit(messy, rest);
    assert.equal(unit, '    ');
    assert.equal(
      apply(messy.text, formatIndentation(messy.text, messy.parsed, unit)),
      'service imap {\n    process_limit = 5\n    inet_listener imap {\n        port = 143\n    }\n}\n',
    );
    assert.equal(formattingUnit(messy, []), '  ', 'alone and inconsistent: two spaces');
  });
});
