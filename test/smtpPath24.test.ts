// SMTP paths as Dovecot 2.4's Sieve address sources read them; every verdict below was checked with
// doveconf 2.4.4 -n on `sieve_redirect_envelope_from = "VALUE"` (the value trimmed and in lower case first).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { smtpPathRefused } from '../server/src/service/schema/smtpPath24';

const accepted = [
  '<a@b>',
  '<>',
  '<@x:a@b>',
  '<@a,@b:c@d>',
  '<"a b"@c>',
  '<"a\\"b"@c>',
  '<""@b>',
  '<a.@b>',
  '<.a@b>',
  '<a@b_c>',
  '<a@-b>',
  '<a@b-->',
  '<a@1>',
  '<a@_>',
];
const refused = [
  '<a>',
  '<@x:>',
  '<a@b>x',
  '<a@b> x',
  '<a@b.>',
  '<a@b..c>',
  '<a@b.c.>',
  '<a@@b>',
  '<@b,c:a@b>',
  '< a@b>',
  '<a b@c>',
  '<a@b',
  '<x',
  '</etc/x',
  'x>',
  '<"a@b">',
  '<ä@b>',
  '<a@bä>',
];

test('paths doveconf 2.4 accepts as an address source', () => {
  for (const path of accepted) assert.equal(smtpPathRefused(path), false, path);
});

test('paths doveconf 2.4 refuses as an address source', () => {
  for (const path of refused) assert.equal(smtpPathRefused(path), true, path);
});

test('an address literal is not judged', () => {
  // doveconf accepts <a@[1.2.3.4]>, <a@[ipv6:::1]> and <a@[foo:x]>, refuses <a@[x]>: left unjudged.
  for (const path of ['<a@[1.2.3.4]>', '<a@[ipv6:::1]>', '<a@[foo:x]>', '<a@[x]>'])
    assert.equal(smtpPathRefused(path), undefined, path);
});
