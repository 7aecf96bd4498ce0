// The 2.3 event filter parser: each expected message below was given by doveconf 2.3.19.1 for the same
// value of log_debug (`Invalid log_debug: MESSAGE`). With doveconf installed, those values and a generated
// set of filters (parentheses, quotes, escapes, NOT/AND/OR, operators, wildcards, stray characters) are
// run through it again, message for message.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { eventFilterError23 } from '../server/src/service/schema/eventFilter23';
import { prng } from './helpers/configGen';
import { tempDir } from './helpers/tempDir';
import { doveconfInstalled, parseVerdict, runDoveconf } from './oracle/cases';

const REJECTED: Array<[string, string]> = [
  ['event=imap_command_finished AND (', "syntax error, unexpected $end, expecting TOKEN or STRING or NOT or '('"],
  ['event=imap_command_finished AND nosuch ~ x', "syntax error, unexpected $undefined, expecting '=' or '>' or '<'"],
  [' or category=mail', 'syntax error, unexpected OR, expecting $end'],
  ['(category=mail', "syntax error, unexpected $end, expecting AND or OR or ')'"],
  ['category=mail)', "syntax error, unexpected ')', expecting $end"],
  ['category', "syntax error, unexpected $end, expecting '=' or '>' or '<'"],
  ['category=mail event=x', 'syntax error, unexpected TOKEN, expecting $end'],
  ['foo==bar', "syntax error, unexpected '='"],
  ['event=a,event=b', 'syntax error, unexpected $undefined, expecting $end'],
  ['user=é', 'syntax error, unexpected $undefined'],
  ['event="imap_command_finished', 'syntax error, unexpected $end'],
  // 2.4 reads `/` and `%` in a word; 2.3 does not.
  ['path=/var/mail', 'syntax error, unexpected $undefined'],
  ['user=%u', 'syntax error, unexpected $undefined'],
  ['event>imap_command_finished', 'Only fields support inequality comparisons'],
  ['"category"<=mail', 'Only fields support inequality comparisons'],
  ['"source_location">x', 'Only fields support inequality comparisons'],
];

const ACCEPTED = [
  '',
  'category=mail',
  'category=mail OR event=imap_command_finished',
  '(category=mail or event=x) and not "user"="a b"',
  'bytes>=10 AND duration<5',
  'user=and',
  'cmd_name=*FETCH?',
  'andx=1',
  'event="a\\"b"',
  // 2.3 keeps the backslash of `\e`: the key is `\event`, a field, which may be compared with `>`.
  '"\\event">x',
];

test("doveconf 2.3.19's message for each malformed event filter", () => {
  for (const [value, message] of REJECTED) assert.equal(eventFilterError23(value), `event filter: ${message}`, value);
});

test('event filters doveconf 2.3.19 parses', () => {
  for (const value of ACCEPTED) assert.equal(eventFilterError23(value), undefined, value);
});

// Each piece is well-formed nine times in ten, so that a good share of the filters parse.
const KEYS = [
  'event',
  'category',
  'source_location',
  'user',
  'cmd_name',
  '"user"',
  '"event"',
  '"ev\\ent"',
  '"\\event"',
];
const OPS = { good: ['=', '=', '=', '=', '>', '<', '>=', '<='], broken: ['==', '=<', '~', '!=', ''] };
const VALUES = {
  good: [
    'imap_command_finished',
    'mail',
    '*FETCH?',
    '10',
    'and',
    'OR',
    'not',
    '"a b"',
    '"a\\"b"',
    '"a\\\\b"',
    'a-b.c:d',
  ],
  broken: ['"x', '"\\', '/tmp', '%u', 'é', '$x'],
};
const JOINERS = {
  good: [' AND ', ' or ', ' And NOT ', ' and not '],
  broken: [' ', '', ' ( ', ' ) ', ',', ' && ', "'"],
};

/** Filters made of comparisons joined by keywords and stray characters, some parenthesized or negated. */
function generatedFilters(count: number): string[] {
  const next = prng(23);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)];
  const piece = (pieces: { good: string[]; broken: string[] }): string =>
    pick(next() < 0.9 ? pieces.good : pieces.broken);
  const comparison = (): string => {
    const text = `${pick(KEYS)}${piece(OPS)}${piece(VALUES)}`;
    const roll = next();
    return roll < 0.15 ? `(${text})` : roll < 0.25 ? `NOT ${text}` : roll < 0.3 ? `(${text}` : text;
  };
  const filters: string[] = [];
  for (let i = 0; i < count; i++) {
    let filter = comparison();
    const parts = Math.floor(next() * 3);
    for (let part = 0; part < parts; part++) filter += `${piece(JOINERS)}${comparison()}`;
    filters.push(filter);
  }
  return filters;
}

test('the same verdicts from the live doveconf 2.3, for the values above and 400 generated filters', (t) => {
  if (!doveconfInstalled()) {
    console.log('SKIPPED: doveconf 2.3 not installed (Debian dovecot-core); the recorded messages were checked');
    t.skip('doveconf not installed');
    return;
  }
  const file = path.join(tempDir('event-filter-23-'), 'dovecot.conf');
  const values = [...REJECTED.map(([value]) => value), ...ACCEPTED, ...generatedFilters(400)];
  const differing: string[] = [];
  for (const value of values) {
    // A quoted value reaches the filter parser as written once `\\` and `\"` are read.
    writeFileSync(file, `log_debug = "${value.replace(/[\\"]/g, '\\$&')}"\n`);
    const { output, rc } = runDoveconf(file);
    const theirs = parseVerdict(output, rc).fatal?.message;
    const error = eventFilterError23(value);
    const ours = error === undefined ? undefined : `Invalid log_debug: ${error}`;
    if (theirs !== ours) differing.push(`${value}: doveconf ${theirs ?? 'accepts'}, we ${ours ?? 'accept'}`);
  }
  assert.deepEqual(differing, []);
});
