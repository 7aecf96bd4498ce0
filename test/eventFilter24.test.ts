// The 2.4 event filter parser: each expected message below was given by doveconf 2.4.4 for the same
// value of log_debug (`Invalid log_debug: MESSAGE`); with the real doveconf 2.4 installed, every value
// is also run through it again.
import assert from 'node:assert/strict';
import { existsSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { eventFilterError24 } from '../server/src/service/schema/eventFilter24';
import { tempDir } from './helpers/tempDir';
import { runDoveconf } from './oracle/cases';
import { DOVECONF_24, parseVerdict24 } from './oracle24/verdict';

const REJECTED: Array<[string, string]> = [
  ['category=mail or', "syntax error, unexpected end of file, expecting TOKEN or STRING or NOT or '('"],
  [' or category=mail', 'syntax error, unexpected OR, expecting end of file'],
  ['(category=mail', "syntax error, unexpected end of file, expecting AND or OR or ')'"],
  ['category=mail)', "syntax error, unexpected ')', expecting end of file"],
  ['NOT', "syntax error, unexpected end of file, expecting TOKEN or STRING or NOT or '('"],
  ['category', "syntax error, unexpected end of file, expecting '=' or '>' or '<'"],
  ['category=mail event=x', 'syntax error, unexpected TOKEN, expecting end of file'],
  ['foo==bar', "syntax error, unexpected '='"],
  ['event=a,event=b', 'syntax error, unexpected invalid token, expecting end of file'],
  ['user=é', 'syntax error, unexpected invalid token'],
  ['event="imap_command_finished', 'syntax error, unexpected end of file'],
  ['</etc/dovecot/filter', "syntax error, unexpected '<', expecting end of file"],
  ['event>imap_command_finished', 'Only fields support inequality comparisons'],
  ['"category"<=mail', 'Only fields support inequality comparisons'],
  ['source_location>x', 'Only fields support inequality comparisons'],
  ['UNKNOWN_VALUE_WITH_VARIABLES', "syntax error, unexpected end of file, expecting '=' or '>' or '<'"],
];

const ACCEPTED = [
  '',
  '   ',
  'category=mail',
  'category=mail OR event=imap_command_finished',
  '(category=mail or event=x) and not "user"="a b"',
  'bytes>=10k AND duration<5s',
  'user=and',
  'cmd_name=*FETCH?',
  'Category=mail',
  'andx=1',
  'event="a\\"b"',
];

test("doveconf 2.4.4's message for each malformed event filter", () => {
  for (const [value, message] of REJECTED) assert.equal(eventFilterError24(value), `event filter: ${message}`, value);
});

test('event filters doveconf 2.4.4 parses', () => {
  for (const value of ACCEPTED) assert.equal(eventFilterError24(value), undefined, value);
});

test('the same verdicts from the live doveconf 2.4', (t) => {
  if (!existsSync(DOVECONF_24)) {
    console.log(
      'SKIPPED: no Dovecot 2.4 doveconf (see scripts/build-dovecot24.sh); the recorded messages were checked',
    );
    t.skip('no Dovecot 2.4 doveconf');
    return;
  }
  const dir = tempDir('event-filter-24-');
  const file = path.join(dir, 'dovecot.conf');
  const values: Array<[string, string | undefined]> = [
    ...REJECTED.map(([value, message]): [string, string] => [value, `Invalid log_debug: event filter: ${message}`]),
    ...ACCEPTED.map((value): [string, undefined] => [value, undefined]),
  ];
  for (const [value, message] of values) {
    writeFileSync(file, `dovecot_config_version = 2.4.4\ndovecot_storage_version = 2.4.4\nlog_debug = ${value}\n`);
    const { output, rc } = runDoveconf(file, DOVECONF_24);
    assert.equal(parseVerdict24(output, rc, file).fatal?.message, message, value);
  }
});
