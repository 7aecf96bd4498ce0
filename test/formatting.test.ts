import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { TextEdit } from 'vscode-languageserver-types';
import { formatIndentation } from '../server/src/service/features/formatting';
import { parseConfig } from '../server/src/service/syntax/parser';

function apply(text: string, edits: TextEdit[]): string {
  const lines = text.split('\n');
  for (const edit of [...edits].reverse()) {
    const line = lines[edit.range.start.line];
    lines[edit.range.start.line] = line.slice(0, edit.range.start.character) + edit.newText + line.slice(edit.range.end.character);
  }
  return lines.join('\n');
}

const format = (text: string, insertSpaces = true) => apply(text, formatIndentation(text, parseConfig(text), { tabSize: 2, insertSpaces }));

describe('formatting', () => {
  it('indents sections by depth and leaves everything else as written', () => {
    const input = 'service aggregator {\nfifo_listener replication-notify-fifo {\n      user = vmail   # owner\n}\n    }\n';
    assert.equal(format(input), 'service aggregator {\n  fifo_listener replication-notify-fifo {\n    user = vmail   # owner\n  }\n}\n');
  });

  it('puts comment lines at the depth of what follows, inside a section before its }', () => {
    const input = 'plugin {\n# replica\nmail_replica = tcp:b:1\n# trailing note\n}\n# top\nmail_debug = no\n';
    assert.equal(format(input), 'plugin {\n  # replica\n  mail_replica = tcp:b:1\n  # trailing note\n}\n# top\nmail_debug = no\n');
  });

  it('indents continuation lines one level deeper and keeps CRLF line ends', () => {
    const input = 'service imap {\r\nexecutable = imap \\\r\npostlogin\r\n}\r\n';
    assert.equal(format(input, false), 'service imap {\r\n\texecutable = imap \\\r\n\t\tpostlogin\r\n}\r\n');
  });

  it('returns no edits for a file that is already formatted', () => {
    const input = 'protocol lmtp {\n  mail_plugins = $mail_plugins sieve\n}\n';
    assert.deepEqual(formatIndentation(input, parseConfig(input), { tabSize: 2, insertSpaces: true }), []);
  });
});
