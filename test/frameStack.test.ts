// The open sections as frames: statements placed under the same open sections share one frames array,
// also when a nested section came between them, and a shared array never changes.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { FrameStack } from '../server/src/service/model/frameStack';
import type { Frame } from '../server/src/service/model/model';
import { getLanguageService } from '../server/src/service/dovecotLanguageService';
import { MemoryHost } from '../server/src/service/model/host';

const frame = (type: string): Frame => ({ section: { type } as Frame['section'], file: '/f.conf' });

describe('FrameStack', () => {
  it('gives the frames before a nested section again after it, unchanged', () => {
    const stack = new FrameStack();
    const service = frame('service');
    stack.push(service);
    const before = stack.frames();
    stack.push(frame('unix_listener'));
    const inside = stack.frames();
    assert.deepEqual(
      inside.map((f) => f.section.type),
      ['service', 'unix_listener'],
    );
    assert.equal(stack.pop()?.section.type, 'unix_listener');
    assert.equal(stack.frames(), before, 'the same array as before the nested section');
    assert.deepEqual(before, [service], 'the shared array was not changed by the push');
    stack.pop();
    assert.deepEqual(stack.frames(), []);
    assert.equal(stack.pop(), undefined, 'popping an empty stack gives nothing');
    assert.deepEqual(stack.frames(), []);
  });

  it('starts from the frames a file is included under and pops past them', () => {
    const outer = [frame('protocol')];
    const stack = new FrameStack(outer);
    assert.deepEqual(stack.frames(), outer);
    stack.push(frame('service'));
    stack.pop();
    assert.deepEqual(stack.frames(), outer);
    stack.pop();
    assert.deepEqual(stack.frames(), []);
    stack.push(frame('namespace'));
    assert.deepEqual(
      stack.popAll().map((f) => f.section.type),
      ['namespace'],
    );
    assert.deepEqual(stack.frames(), []);
  });

  it('places the settings before and after a nested section under one frames array', () => {
    const root = '/etc/dovecot/dovecot.conf';
    const text =
      'service imap {\n  process_limit = 1\n  unix_listener x {\n    mode = 0600\n  }\n  vsz_limit = 1G\n}\n';
    const model = getLanguageService(new MemoryHost({ [root]: text })).buildModel(root);
    const framesOf = (key: string) => model.settings.find((entry) => entry.node.key === key)!.frames;
    assert.equal(framesOf('process_limit'), framesOf('vsz_limit'));
    assert.deepEqual(
      framesOf('mode').map((f) => f.section.type),
      ['service', 'unix_listener'],
    );
  });
});
