import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Position, SelectionRange } from 'vscode-languageserver-types';
import { selectionRanges } from '../server/src/service/features/selectionRanges';
import { parseConfig } from '../server/src/service/syntax/parser';
import { TextLines } from '../server/src/service/syntax/textLines';

const TEXT = [
  'mail_plugins = $mail_plugins quota notify',
  'service doveadm {',
  '  inet_listener {',
  '    port = 12345 # replication',
  '  }',
  '}',
  '!include conf.d/*.conf',
  '',
].join('\n');

/** The text each step of an "expand selection" selects, innermost first. */
function steps(text: string, position: Position): string[] {
  const parsed = parseConfig(text);
  const lines = new TextLines(text);
  const [chain] = selectionRanges(parsed, [position]);
  const texts: string[] = [];
  for (let step: SelectionRange | undefined = chain; step; step = step.parent)
    texts.push(text.slice(lines.offsetAt(step.range.start), lines.offsetAt(step.range.end)));
  return texts;
}

describe('selection ranges', () => {
  it('widen from a word of a value through the value and the line to the file', () => {
    assert.deepEqual(steps(TEXT, { line: 0, character: 31 }), [
      'quota',
      '$mail_plugins quota notify',
      'mail_plugins = $mail_plugins quota notify',
      TEXT,
    ]);
  });

  it('take a $variable whole', () => {
    assert.deepEqual(steps(TEXT, { line: 0, character: 18 }).slice(0, 2), [
      '$mail_plugins',
      '$mail_plugins quota notify',
    ]);
  });

  it('step out through each enclosing section body and section', () => {
    assert.deepEqual(steps(TEXT, { line: 3, character: 5 }), [
      'port',
      'port = 12345',
      '    port = 12345 # replication',
      'inet_listener {\n    port = 12345 # replication\n  }',
      '  inet_listener {\n    port = 12345 # replication\n  }',
      'service doveadm {\n  inet_listener {\n    port = 12345 # replication\n  }\n}',
      TEXT,
    ]);
  });

  it('select a section name, then its header, then the section', () => {
    assert.deepEqual(steps(TEXT, { line: 1, character: 10 }).slice(0, 3), [
      'doveadm',
      'service doveadm {',
      'service doveadm {\n  inet_listener {\n    port = 12345 # replication\n  }\n}',
    ]);
  });

  it('select a trailing comment inside the section body, not the setting before it', () => {
    assert.deepEqual(steps(TEXT, { line: 3, character: 20 }).slice(0, 2), [
      '# replication',
      '    port = 12345 # replication',
    ]);
  });

  it('select an include pattern, and answer a position outside any statement with the file', () => {
    assert.deepEqual(steps(TEXT, { line: 6, character: 12 }), ['conf.d/*.conf', '!include conf.d/*.conf', TEXT]);
    assert.deepEqual(steps(TEXT, { line: 7, character: 0 }), [TEXT]);
  });

  it('give one chain per position, in the order asked', () => {
    const parsed = parseConfig(TEXT);
    const chains = selectionRanges(parsed, [
      { line: 3, character: 12 },
      { line: 0, character: 2 },
    ]);
    assert.deepEqual(
      chains.map((chain) => chain.range),
      [
        { start: { line: 3, character: 11 }, end: { line: 3, character: 16 } },
        { start: { line: 0, character: 0 }, end: { line: 0, character: 12 } },
      ],
    );
  });
});
