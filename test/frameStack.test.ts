// The open sections as frames: statements placed under the same open sections share one frames array,
// also when a nested section came between them, and a shared array never changes.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { contextOf, FrameStack } from '../server/src/service/model/frameStack';
import type { Frame } from '../server/src/service/model/model';
import { getLanguageService } from '../server/src/service/dovecotLanguageService';
import { MemoryHost } from '../server/src/service/model/host';

const section = (type: string, filter?: Frame['section']['filter']): Frame['section'] =>
  ({ type, filter }) as Frame['section'];
const frame = (type: string): Frame => ({ section: section(type), file: '/f.conf' });
const types = (frames: readonly Frame[]): string[] => frames.map((f) => f.section.type);

describe('FrameStack', () => {
  it('gives the frames before a nested section again after it, unchanged', () => {
    const stack = new FrameStack();
    stack.push(section('service'), '/f.conf');
    const before = stack.frames();
    stack.push(section('unix_listener'), '/f.conf');
    const inside = stack.frames();
    assert.deepEqual(types(inside), ['service', 'unix_listener']);
    assert.equal(stack.pop()?.section.type, 'unix_listener');
    assert.equal(stack.frames(), before, 'the same array as before the nested section');
    assert.deepEqual(types(before), ['service'], 'the shared array was not changed by the push');
    stack.pop();
    assert.deepEqual(stack.frames(), []);
    assert.equal(stack.pop(), undefined, 'popping an empty stack gives nothing');
    assert.deepEqual(stack.frames(), []);
  });

  it('starts from the frames a file is included under and pops past them', () => {
    const outer = [frame('protocol')];
    const stack = new FrameStack(outer);
    assert.deepEqual(stack.frames(), outer);
    stack.push(section('service'), '/f.conf');
    stack.pop();
    assert.deepEqual(stack.frames(), outer);
    stack.pop();
    assert.deepEqual(stack.frames(), []);
    stack.push(section('namespace'), '/f.conf');
    assert.deepEqual(types(stack.popAll()), ['namespace']);
    assert.deepEqual(stack.frames(), []);
  });

  it('gives each frames array the context of its sections, filters left out', () => {
    const stack = new FrameStack([frame('protocol')]);
    assert.equal(contextOf(stack.frames()), 'protocol', 'a frame made elsewhere: from its sections');
    stack.pop();
    stack.push(section('protocol', 'protocol'), '/f.conf');
    assert.equal(contextOf(stack.frames()), '');
    stack.push(section('service'), '/f.conf');
    stack.push(section('local', 'local'), '/f.conf');
    stack.push(section('inet_listener'), '/f.conf');
    const frames = stack.frames();
    assert.equal(contextOf(frames), 'service/inet_listener');
    assert.equal(contextOf(frames.slice(0, 3)), 'service');
    assert.equal(contextOf(frames.map((f) => ({ section: f.section, file: f.file }))), 'service/inet_listener');
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
