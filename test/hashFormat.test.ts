import assert from 'node:assert/strict';
import { test } from 'node:test';
import { hashFormatError } from '../server/src/service/schema/hashFormat';

test('hash formats Dovecot reads: methods with optional bits, B and X encodings, plain text around them', () => {
  for (const format of ['%{sha1}', '%X{md5}x%B{sha256:64}', 'plain', '%{size}', '%{sha3-512:8}'])
    assert.equal(hashFormatError(format), undefined, format);
});

test("hash_format_init()'s errors, the first one met", () => {
  assert.equal(hashFormatError('%u'), "No '{' after '%'");
  assert.equal(hashFormatError('%{sha1}%'), "No '{' after '%'");
  assert.equal(hashFormatError('%{sha1'), "Missing '}'");
  assert.equal(hashFormatError('%{nosuch}'), 'Unknown hash method: nosuch');
  assert.equal(hashFormatError('%{sha1:0}'), 'Invalid :bits number: 0');
  assert.equal(hashFormatError('%{sha1:x}'), 'Invalid :bits number: x');
  assert.equal(hashFormatError('%{sha256:512}'), 'Invalid :bits number: 512');
  assert.equal(hashFormatError('%{sha1:12}'), 'Currently :bits must be divisible by 8: 12');
  assert.equal(hashFormatError('%{nosuch}%{sha1'), 'Unknown hash method: nosuch');
});
