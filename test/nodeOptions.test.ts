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

  /** The option of `SERVER_NODE_OPTIONS` named `name` (with its value), and the options without it. */
  const splitOption = (name: string): { option: string; without: readonly string[] } => {
    const option = SERVER_NODE_OPTIONS.find((each) => each.startsWith(`${name}=`));
    assert.ok(option, `${name} is set`);
    return { option, without: SERVER_NODE_OPTIONS.filter((each) => each !== option) };
  };

  it('let the old generation reach its initial size before V8 collects it in full', () => {
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
    const { option, without } = splitOption('--initial-old-space-size');
    const fullWith = Number(printedWith(SERVER_NODE_OPTIONS, script));
    const fullWithout = Number(printedWith(without, script));
    assert.ok(fullWith < fullWithout, `full collections: ${fullWith} with ${option}, ${fullWithout} without`);
  });

  /** A script that keeps about 20 MB live while it makes 16 rounds of garbage; prints the most the heap took (MB) and the young generation's largest size (MB). */
  const HEAP_UNDER_CHURN = `
    const v8 = require('v8');
    let mostHeap = 0;
    let mostYoung = 0;
    const live = [];
    for (let i = 0; i < 200000; i++) live.push({ a: i, b: String(i), c: [i] });
    for (let round = 0; round < 16; round++) {
      let garbage = [];
      for (let i = 0; i < 60000; i++) garbage.push({ a: i, b: String(i), c: [i] });
      mostHeap = Math.max(mostHeap, v8.getHeapStatistics().total_heap_size);
      const young = v8.getHeapSpaceStatistics().find((space) => space.space_name === 'new_space');
      mostYoung = Math.max(mostYoung, young.space_size);
    }
    console.log((mostHeap / 1048576).toFixed(1), (mostYoung / 1048576).toFixed(1), live.length);`;
  const heapUnderChurn = (options: readonly string[]): { heap: number; young: number } => {
    const [heap, young] = printedWith(options, HEAP_UNDER_CHURN).split(' ').map(Number);
    return { heap, young };
  };

  /** The growth factors V8 chose for the old generation's limit after each full collection while running `HEAP_UNDER_CHURN`, as its trace prints them (one decimal). */
  const growthFactors = (options: readonly string[]): number[] =>
    [
      ...printedWith([...options, '--trace-gc-verbose'], HEAP_UNDER_CHURN).matchAll(
        /\[HeapController\] Limit: .*\(([\d.]+)\)/g,
      ),
    ].map((match) => Number(match[1]));

  it('let the heap grow only a little beyond what it keeps between full collections', () => {
    // The factor is what the option sets; the heap sizes it leads to depend on how busy the machine is.
    const { option, without } = splitOption('--heap-growing-percent');
    const allowed = 1 + Number(option.split('=')[1]) / 100;
    const withOption = growthFactors(SERVER_NODE_OPTIONS);
    assert.ok(withOption.length > 0, 'V8 collected in full and set a new limit');
    assert.ok(
      withOption.every((factor) => factor <= allowed + 0.05),
      `growth factors ${withOption.join(', ')} with ${option}`,
    );
    const withoutOption = growthFactors(without);
    assert.ok(
      withoutOption.some((factor) => factor > allowed + 0.05),
      `growth factors ${withoutOption.join(', ')} without ${option}`,
    );
  });

  it('keep the young generation small', () => {
    const { option, without } = splitOption('--max-semi-space-size');
    const megabytes = Number(option.split('=')[1]);
    const withOption = heapUnderChurn(SERVER_NODE_OPTIONS).young;
    assert.ok(withOption <= 2 * megabytes, `young generation ${withOption} MB with ${option}`);
    assert.ok(heapUnderChurn(without).young > 2 * megabytes, 'V8 grows it further without the option');
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
