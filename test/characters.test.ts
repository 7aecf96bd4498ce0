// Dovecot's blanks between tokens (syntax/characters.ts): spaces and tabs, nothing else.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isBlankCode } from '../server/src/service/syntax/characters';

test('a space and a tab are blanks; a carriage return, a vertical tab, a no-break space and a letter are not', () => {
  assert.deepEqual(
    [' ', '\t', '\r', '\v', '\f', '\u00a0', 'a', '='].map((char) => isBlankCode(char.charCodeAt(0))),
    [true, true, false, false, false, false, false, false],
  );
  assert.equal(isBlankCode(NaN), false);
});
