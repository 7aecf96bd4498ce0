// The 2.4 `%{...}` program parser: each expected message below was given by doveconf 2.4.4 for the same
// value of mail_path (the oracle cases x20-x45 record a selection of them with file and line).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { varExpandPieces24, varExpandProgramError24 } from '../server/src/service/schema/varExpandParser24';

const REJECTED: Array<[string, string]> = [
  ['%{user', 'syntax error, unexpected end of file, expecting CCBRACE or PIPE'],
  ['%{user | domain(}', 'syntax error, unexpected CCBRACE, expecting MINUS or NAME or VALUE or NUMBER'],
  ['%{user + }', 'syntax error, unexpected CCBRACE, expecting MINUS or NAME or NUMBER'],
  ['%{%{user}}', 'syntax error, unexpected PERC, expecting CCBRACE or PIPE or NAME'],
  ['%{"x"}', 'syntax error, unexpected VALUE, expecting CCBRACE or PIPE or NAME'],
  ['%{user,}', 'syntax error, unexpected COMMA, expecting CCBRACE or PIPE'],
  ['%{user = 1}', 'syntax error, unexpected EQ, expecting CCBRACE or PIPE'],
  ['%{1}', 'syntax error, unexpected NUMBER, expecting CCBRACE or PIPE or NAME'],
  ['%{user | substr(a=)}', 'syntax error, unexpected CBRACE, expecting MINUS or NAME or VALUE or NUMBER'],
  ['%{user|lookup("a\\q")}', 'Invalid character escape'],
  ['%{user|lookup("a\\777")}', 'Invalid character escape'],
  ['%{user|lookup("a\\8")}', 'Invalid character escape'],
  ['%{user + 99999999999999999999}', 'Not a number'],
  ['%{user ? (}', 'Premature program end'],
];

const ACCEPTED = [
  '%{}',
  '%{user}}',
  '%{user | }',
  '%{ | user}',
  '%{user ?}',
  '%{nosuchvar}',
  '%{user | nosuchfilter}',
  '%{user|lookup("a\\x41")}',
  '%{user|lookup("a\\101")}',
  "%{user|lookup('a\\'b')}",
  '%{user + 9223372036854775807}',
  '%{user}x%{home}%%{y}%%',
  '%%{user',
  '%{user | if("=", "x", "a", "b")}',
  '%{env:HOME}',
  "%{user | default('x}')}",
];

test("doveconf 2.4.4's message for each malformed program", () => {
  for (const [value, message] of REJECTED) assert.equal(varExpandProgramError24(value), message, value);
});

test('programs doveconf 2.4.4 parses (unknown variables and filters fail only when a service expands them)', () => {
  for (const value of ACCEPTED) assert.equal(varExpandProgramError24(value), undefined, value);
});

test('values without %{ are not programs; an oversized program is refused before parsing', () => {
  assert.equal(varExpandProgramError24('~/Maildir/%u'), undefined);
  assert.equal(varExpandProgramError24(`%{user}${'x'.repeat(8200)}`), 'Program size exceeds maximum of 8192 bytes');
});

test('a value cut into its literal text and its programs, as the parser reads it', () => {
  assert.deepEqual(varExpandPieces24("é%%x%{user | lookup('}')}%%{y}"), [
    { text: 'é%%x' },
    { program: "%{user | lookup('}')}" },
    { text: '%{y}' },
  ]);
  assert.deepEqual(varExpandPieces24('no programs'), [{ text: 'no programs' }]);
  assert.equal(varExpandPieces24('%{user'), undefined);
});
