// One string per key for the whole process: the same characters back, a bounded table.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseConfig } from '../server/src/service/syntax/parser';
import { internalized, sharedKey, sharedKeyCount, sharedKeyIn } from '../server/src/service/syntax/keyTable';
import type { SettingNode } from '../server/src/service/syntax/nodes';

describe('shared keys', () => {
  it('gives back the key it is given, for keys seen before and new ones', () => {
    const line = 'mail_location = maildir:~/Maildir';
    const key = line.slice(0, 13);
    assert.equal(sharedKey(key), 'mail_location');
    assert.equal(sharedKey(line.slice(0, 13)), 'mail_location');
    assert.equal(sharedKey(''), '');
    assert.equal(sharedKey('x'.repeat(500)), 'x'.repeat(500));
  });

  it('finds the key written in a text as the table holds it, also for keys that share a recent slot', () => {
    const text = 'aXmYb = 1\naZmWb = 2\nx = 3\n= 4';
    const first = sharedKey('aXmYb');
    const second = sharedKey('aZmWb');
    for (let round = 0; round < 3; round++) {
      assert.equal(sharedKeyIn(text, 0, 5), first);
      assert.equal(sharedKeyIn(text, 10, 15), second);
      assert.equal(sharedKeyIn(text, 20, 21), sharedKey('x'));
      assert.equal(sharedKeyIn(text, 26, 26), '');
    }
    assert.equal(sharedKeyIn(text, 0, 4), 'aXmY');
    assert.equal(sharedKeyIn(text, 1, 5), 'XmYb');
  });

  it('gives the characters back as one string, also for names objects treat apart', () => {
    for (const name of ['mail_location', '', '__proto__', 'constructor', '1', '01', '4294967295', 'x'.repeat(300)])
      assert.equal(internalized(name), name);
    assert.equal(sharedKey('__proto__'), '__proto__');
  });

  it('holds keys the parser read once each, and stops growing at its limit', () => {
    parseConfig('service imap {\n}\n');
    const before = sharedKeyCount();
    const parsed = parseConfig('key_table_a = plain\nkey_table_a = plain login\nkey_table_s imap {\n}\n');
    assert.deepEqual(
      parsed.statements.map((statement) =>
        statement.kind === 'section' ? statement.type : (statement as SettingNode).key,
      ),
      ['key_table_a', 'key_table_a', 'key_table_s'],
    );
    assert.equal(sharedKeyCount(), before + 2);
    for (let i = 0; i < 30_000; i++) assert.equal(sharedKey(`generated_key_${i}`), `generated_key_${i}`);
    assert.equal(sharedKeyCount(), 20_000);
    // Past its limit the table keeps no more keys; keys are still read with their characters.
    const text = 'beyond_the_table_a = 1\nbeyond_the_table_b = 1';
    for (let round = 0; round < 2; round++) {
      assert.equal(sharedKeyIn(text, 0, 18), 'beyond_the_table_a');
      assert.equal(sharedKeyIn(text, 23, 41), 'beyond_the_table_b');
    }
    assert.equal(sharedKeyCount(), 20_000);
  });
});
