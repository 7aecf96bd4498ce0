// Folding: sections fold from the header to the line before `}`, runs of comment lines fold as comments; LF and CRLF.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { FoldingRange } from 'vscode-languageserver-types';
import { getLanguageService } from '../server/src/service/dovecotLanguageService';
import { MemoryHost } from '../server/src/service/model/host';

const service = getLanguageService(new MemoryHost());
const FILE = '/etc/dovecot/dovecot.conf';

/** `start-end` for section folds, `start-end comment` for comment folds, sorted by start line. */
function folds(ranges: FoldingRange[]): string[] {
  return [...ranges]
    .sort((a, b) => a.startLine - b.startLine || a.endLine - b.endLine)
    .map((r) => `${r.startLine}-${r.endLine}${r.kind ? ` ${r.kind}` : ''}`);
}

for (const eol of ['\n', '\r\n']) {
  const foldsOf = (...lines: string[]) => folds(service.getFoldingRanges(service.parse(FILE, lines.join(eol) + eol)));
  describe(`folding ranges (${JSON.stringify(eol)})`, () => {
    test('nested sections fold up to the line before their }', () => {
      assert.deepEqual(
        foldsOf(
          'service imap-login {', // 0
          '  inet_listener imap {', // 1
          '    port = 143', // 2
          '  }', // 3
          '  process_min_avail = 1', // 4
          '}', // 5
          'protocols = imap', // 6
        ),
        ['0-4', '1-2'],
      );
    });

    test('a section whose } follows its header directly, or a one-line header, does not fold', () => {
      assert.deepEqual(foldsOf('service imap {', '}', 'plugin {', '  a = 1', '}'), ['2-3']);
    });

    test('an unclosed section folds to its last child, its unclosed parent too', () => {
      assert.deepEqual(foldsOf('service imap {', '  inet_listener imap {', '    port = 143', '    ssl = no'), [
        '0-3',
        '1-3',
      ]);
    });

    test('runs of two or more comment lines fold as comment; a single comment line does not', () => {
      assert.deepEqual(
        foldsOf(
          '# Dovecot configuration', // 0
          '# second line', // 1
          '# third line', // 2
          '', // 3
          '# lone comment', // 4
          'protocols = imap', // 5
          'plugin {', // 6
          '  # indented comment', // 7
          '  # another', // 8
          '  sieve = file:~/sieve', // 9
          '}', // 10
        ),
        ['0-2 comment', '6-9', '7-8 comment'],
      );
    });

    test('comments at the end of setting lines are not comment lines and do not fold', () => {
      assert.deepEqual(foldsOf('a = 1 # one', 'b = 2 # two', 'c = 3 # three'), []);
      assert.deepEqual(foldsOf('# heading', 'a = 1 # one', 'b = 2 # two'), []);
    });

    test('an empty file has no folds', () => {
      assert.deepEqual(foldsOf(), []);
    });
  });
}
