// The Node options the extension starts the language server with are accepted by Node and take effect:
// a mistyped option would stop the server from starting in VS Code.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { SERVER_NODE_OPTIONS } from '../server/src/launcher/nodeOptions';

/** What a Node process started with `options` prints running `script`; it must exit cleanly. */
function printedWith(options: readonly string[], script: string): string {
  const result = spawnSync(process.execPath, [...options, '-e', script], { encoding: 'utf8' });
  assert.equal(result.status, 0, result.stderr);
  return result.stdout.trim();
}

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
});
