// FACTS §1.9: glob(GLOB_BRACE) patterns `*?[]{a,b}`, sorted, relative to the including directory.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { expandBraces, globFiles } from '../server/src/service/model/glob';
import { MemoryHost } from '../server/src/service/model/host';

const host = new MemoryHost({
  '/d/conf.d/10-a.conf': '',
  '/d/conf.d/2-b.conf': '',
  '/d/conf.d/9-c.conf': '',
  '/d/conf.d/x.ext': '',
  '/d/conf.d/.hidden.conf': '',
  '/d/sub/one/x.conf': '',
  '/d/sub/two/x.conf': '',
});

test('* and ? and [] match names in the directory, sorted bytewise, dot files excluded', () => {
  assert.deepEqual(globFiles(host, 'conf.d/*.conf', '/d'), [
    '/d/conf.d/10-a.conf',
    '/d/conf.d/2-b.conf',
    '/d/conf.d/9-c.conf',
  ]);
  assert.deepEqual(globFiles(host, 'conf.d/?-?.conf', '/d'), ['/d/conf.d/2-b.conf', '/d/conf.d/9-c.conf']);
  assert.deepEqual(globFiles(host, 'conf.d/[12]*', '/d'), ['/d/conf.d/10-a.conf', '/d/conf.d/2-b.conf']);
});

test('{a,b} alternatives expand in order, nested too', () => {
  assert.deepEqual(expandBraces('x{a,b{c,d}}y'), ['xay', 'xbcy', 'xbdy']);
  assert.deepEqual(globFiles(host, 'conf.d/{9-c.conf,x.ext}', '/d'), ['/d/conf.d/9-c.conf', '/d/conf.d/x.ext']);
});

test('globs in directory components, absolute patterns, and no match', () => {
  assert.deepEqual(globFiles(host, 'sub/*/x.conf', '/d'), ['/d/sub/one/x.conf', '/d/sub/two/x.conf']);
  assert.deepEqual(globFiles(host, '/d/conf.d/x.ext', '/elsewhere'), ['/d/conf.d/x.ext']);
  assert.deepEqual(globFiles(host, 'nothing/*.conf', '/d'), []);
  assert.deepEqual(globFiles(host, 'missing.conf', '/d'), []);
});

test('brace expansion is bounded: 30 groups of {a,b} or 100,000 {a} groups neither explode nor overflow the stack', () => {
  assert.ok(expandBraces('{a,b}'.repeat(30)).length <= 4096);
  assert.ok(expandBraces('{a}'.repeat(100_000)).length <= 1);
  assert.deepEqual(expandBraces('x{a,b{c,d}}y{1,2}'), ['xay1', 'xay2', 'xbcy1', 'xbcy2', 'xbdy1', 'xbdy2']);
});
