import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseConfig } from '../server/src/service/syntax/parser';
import { statementFirstLine, statementStartLine } from '../server/src/service/syntax/statementLines';

for (const eol of ['\n', '\r\n']) {
  describe(`statementFirstLine (${JSON.stringify(eol)})`, () => {
    const parsed = parseConfig(
      ['service imap {', '  executable = imap \\', '    postlogin', '}', 'mail_debug = yes'].join(eol),
    );

    it('maps every line of a continued setting to its first line', () => {
      assert.equal(statementFirstLine(parsed, 1), 1);
      assert.equal(statementFirstLine(parsed, 2), 1);
    });

    it('maps a section header and a plain line to themselves, and an unknown line to itself', () => {
      assert.equal(statementFirstLine(parsed, 0), 0);
      assert.equal(statementFirstLine(parsed, 4), 4);
      assert.equal(statementFirstLine(parsed, 40), 40);
    });

    it('maps the lines of a rejected `= value` line continued with \\ to its first line (found by the fuzz tier)', () => {
      const rejected = parseConfig(['= missing key \\', 'protocols = imap#x', 'mail_debug = yes'].join(eol));
      assert.equal(statementFirstLine(rejected, 1), 0);
      assert.equal(statementFirstLine(rejected, 2), 2);
    });
  });
}

describe('statementStartLine', () => {
  it("goes back over lone CRs to where Dovecot's line starts", () => {
    const parsed = parseConfig('a = 1\nb = 2\rc = 3 \\\nd\n');
    assert.equal(statementStartLine(parsed, 3), 1);
    assert.equal(statementStartLine(parsed, 2), 1);
    assert.equal(statementStartLine(parsed, 0), 0);
  });
});
