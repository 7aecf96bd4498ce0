// The Node options the extension starts the language server with are accepted by Node and take effect:
// a mistyped option would stop the server from starting in VS Code.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { SERVER_NODE_OPTIONS } from '../server/src/launcher/nodeOptions';
import { printedByNode } from './helpers/nodeScript';

/** What a Node process started with `options` prints running `script`, without the line end. */
const printedWith = (options: readonly string[], script: string): string => printedByNode(options, script).trim();

describe('the language server Node options', () => {
  it('are accepted by Node and bound the old generation as they say', () => {
    const printed = printedWith(SERVER_NODE_OPTIONS, 'console.log(require("v8").getHeapStatistics().heap_size_limit)');
    const oldSpace = SERVER_NODE_OPTIONS.find((option) => option.startsWith('--max-old-space-size='));
    assert.ok(oldSpace, 'the old generation is bounded');
    const megabytes = Number(oldSpace.split('=')[1]);
    const limit = Number(printed) / (1024 * 1024);
    assert.ok(limit >= megabytes && limit < megabytes + 100, `heap limit ${limit} MB for ${oldSpace}`);
  });

  it('let the old generation grow to 64 MB before V8 collects it in full', () => {
    // 16 rounds of about 6 MB of objects that live long enough to reach the old generation, then die.
    const script = `
      const { PerformanceObserver, constants } = require('perf_hooks');
      let full = 0;
      new PerformanceObserver((list) => {
        for (const entry of list.getEntries()) if (entry.detail.kind === constants.NODE_PERFORMANCE_GC_MAJOR) full++;
      }).observe({ entryTypes: ['gc'] });
      let kept = [];
      for (let round = 0; round < 16; round++) {
        kept = [];
        for (let i = 0; i < 60000; i++) kept.push({ a: i, b: String(i), c: [i] });
      }
      setTimeout(() => console.log(full), 50);`;
    const initial = '--initial-old-space-size=64';
    assert.ok(SERVER_NODE_OPTIONS.includes(initial));
    const fullWith = Number(printedWith(SERVER_NODE_OPTIONS, script));
    const fullWithout = Number(
      printedWith(
        SERVER_NODE_OPTIONS.filter((option) => option !== initial),
        script,
      ),
    );
    assert.ok(fullWith < fullWithout, `full collections: ${fullWith} with the option, ${fullWithout} without`);
  });

  it('leave scavenges to the server: V8 starts none when it goes idle', () => {
    // The young generation filled to 90% with garbage, then the process idles; V8's scavenge task would run then.
    const script = `
      const v8 = require('v8');
      const { PerformanceObserver, performance, constants } = require('perf_hooks');
      const scavenges = [];
      new PerformanceObserver((list) => {
        for (const entry of list.getEntries())
          if (entry.detail.kind === constants.NODE_PERFORMANCE_GC_MINOR) scavenges.push(entry.startTime);
      }).observe({ entryTypes: ['gc'] });
      const young = () => v8.getHeapSpaceStatistics().find((space) => space.space_name === 'new_space');
      const youngFull = () => young().space_used_size / (young().space_used_size + young().space_available_size);
      setTimeout(() => {
        let garbage;
        for (let i = 0; youngFull() < 0.9; i++) for (let j = 0; j < 100; j++) garbage = { i, j, list: [i, j] };
        const idleFrom = performance.now();
        setTimeout(() => console.log(scavenges.filter((start) => start >= idleFrom).length), 300);
      }, 50);`;
    const option = '--no-minor-gc-task';
    assert.ok(SERVER_NODE_OPTIONS.includes(option));
    const without = SERVER_NODE_OPTIONS.filter((each) => each !== option);
    assert.equal(Number(printedWith(SERVER_NODE_OPTIONS, script)), 0, 'idle scavenges with the option');
    assert.ok(Number(printedWith(without, script)) > 0, 'V8 scavenges when idle without the option');
  });

  it('let the server ask for a full collection', () => {
    assert.equal(printedWith(SERVER_NODE_OPTIONS, 'console.log(typeof gc)'), 'function');
  });

  it('give V8 one helper thread instead of four', { skip: !existsSync('/proc/self/status') && 'no /proc' }, () => {
    // Linux counts a process's threads in /proc.
    const threads =
      'console.log(/Threads:\\s+(\\d+)/.exec(require("fs").readFileSync("/proc/self/status", "utf8"))[1])';
    const without = Number(printedWith([], threads));
    assert.equal(without - Number(printedWith(SERVER_NODE_OPTIONS, threads)), 3);
  });

  it('are the ones the README gives for other editors', () => {
    const readme = readFileSync(path.join(__dirname, '..', 'README.md'), 'utf8');
    const commandLine = /`node ([^`]*) dist\/server\.js --stdio`/.exec(readme);
    assert.ok(commandLine, 'the README shows the command line');
    assert.deepEqual(commandLine[1].split(' '), SERVER_NODE_OPTIONS);
    const neovim = /cmd = \{ 'node', ([^}]*)'\/path\/to\/dist\/server\.js'/.exec(readme);
    assert.ok(neovim, 'the README shows the Neovim set-up');
    assert.deepEqual(
      neovim[1]
        .split(',')
        .map((option) => option.trim().replace(/^'|'$/g, ''))
        .filter(Boolean),
      SERVER_NODE_OPTIONS,
    );
  });
});
