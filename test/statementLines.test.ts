import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseConfig } from '../server/src/service/syntax/parser';
import { statementFirstLine } from '../server/src/service/syntax/statementLines';

for (const eol of ['\n', '\r\n']) {
  describe(`statementFirstLine (${JSON.stringify(eol)})`, () => {
    const parsed = parseConfig(['service imap {', '  executable = imap \\', '    postlogin', '}', 'mail_debug = yes'].join(eol));

    it('maps every line of a continued setting to its first line', () => {
      assert.equal(statementFirstLine(parsed, 1), 1);
      assert.equal(statementFirstLine(parsed, 2), 1);
    });

    it('maps a section header and a plain line to themselves, and an unknown line to itself', () => {
      assert.equal(statementFirstLine(parsed, 0), 0);
      assert.equal(statementFirstLine(parsed, 4), 4);
      assert.equal(statementFirstLine(parsed, 40), 40);
    });
  });
}
