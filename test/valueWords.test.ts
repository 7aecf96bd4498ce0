import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parseConfig } from '../server/src/service/syntax/parser';
import type { SettingNode } from '../server/src/service/syntax/nodes';
import { Random } from './helpers/configGen';
import { forEachKeyVariableWord, keyVariableText, keyVariableTexts } from '../server/src/service/syntax/valueWords';

const settingOf = (line: string): SettingNode => parseConfig(`${line}\n`).statements[0] as SettingNode;

describe('the words of a $ line, as Dovecot splits them', () => {
  test('split at spaces, the blanks after a space skipped, a tab alone splitting nothing', () => {
    assert.deepEqual(keyVariableTexts('a  b \t c'), ['a', 'b', 'c']);
    assert.deepEqual(keyVariableTexts('a\t$b'), ['a\t$b']);
    assert.deepEqual(keyVariableTexts('$b\tc d'), ['$b\tc', 'd']);
    assert.deepEqual(keyVariableTexts('x$y\t $z'), ['x$y\t', '$z']);
  });

  test('each word knows where it starts and ends in the value', () => {
    const spans: [number, number][] = [];
    forEachKeyVariableWord('a  \t$b c', (start, end) => spans.push([start, end]));
    assert.deepEqual(spans, [
      [0, 1],
      [4, 6],
      [7, 8],
    ]);
  });

  test('a trailing space leaves an empty last word, as Dovecot keeps it', () => {
    assert.deepEqual(keyVariableTexts('a '), ['a', '']);
    assert.equal(keyVariableText('a '), 'a ');
  });

  test('the stored text joins the words with one space', () => {
    assert.equal(keyVariableText('yo  x$y   $SET:k  \t z'), 'yo x$y $SET:k z');
  });

  test('the stored text splits into the same words again: the expansion may split it a second time', () => {
    const random = new Random(10);
    for (let i = 0; i < 2000; i++) {
      const value = Array.from({ length: random.int(12) }, () =>
        random.pick([' ', '\t', 'a', '$', '$SET:k', 'x']),
      ).join('');
      const stored = keyVariableText(value);
      assert.deepEqual(keyVariableTexts(stored), keyVariableTexts(value), JSON.stringify(value));
      assert.equal(keyVariableText(stored), stored, JSON.stringify(value));
    }
  });
});

describe('the parser reads $ lines with those words', () => {
  test('a $ word after a tab alone is literal text', () => {
    const node = settingOf('mail_plugins = zlib\t$mail_plugins');
    assert.equal(node.valueKind, 'plain');
    assert.deepEqual(node.variables, []);
    assert.equal(node.value, 'zlib\t$mail_plugins');
  });

  test('a $ word runs to the next space, tabs included', () => {
    const node = settingOf('mail_plugins = $mail_plugins\timap_quota zlib');
    assert.equal(node.valueKind, 'variables');
    assert.deepEqual(
      node.variables.map((variable) => variable.name),
      ['mail_plugins\timap_quota'],
    );
    assert.deepEqual(node.variables[0].range, {
      start: { line: 0, character: 15 },
      end: { line: 0, character: 39 },
    });
  });

  test('the value of a $ line is its words joined by one space; the written value stays as written', () => {
    const node = settingOf('login_greeting = a  x$y   $ENV:Z');
    assert.equal(node.value, 'a x$y $ENV:Z');
    assert.equal(node.rawValue, 'a  x$y   $ENV:Z');
    const noWord = settingOf('login_greeting = a  x$y');
    assert.equal(noWord.valueKind, 'plain');
    assert.equal(noWord.value, 'a x$y');
  });

  test('quoted values and values without $ are read as before', () => {
    assert.equal(settingOf('login_greeting = "a  $b"').value, 'a  $b');
    assert.equal(settingOf('login_greeting = a  b').value, 'a  b');
  });
});
