// The Node options the extension starts the language server with are accepted by Node and take effect:
// a mistyped option would stop the server from starting in VS Code.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { SERVER_NODE_OPTIONS } from '../server/src/launcher/nodeOptions';

describe('the language server Node options', () => {
  it('are accepted by Node and bound the old generation as they say', () => {
    const result = spawnSync(
      process.execPath,
      [...SERVER_NODE_OPTIONS, '-e', 'console.log(require("v8").getHeapStatistics().heap_size_limit)'],
      { encoding: 'utf8' },
    );
    assert.equal(result.status, 0, result.stderr);
    const oldSpace = SERVER_NODE_OPTIONS.find((option) => option.startsWith('--max-old-space-size='));
    assert.ok(oldSpace, 'the old generation is bounded');
    const megabytes = Number(oldSpace.split('=')[1]);
    const limit = Number(result.stdout.trim()) / (1024 * 1024);
    assert.ok(limit >= megabytes && limit < megabytes + 100, `heap limit ${limit} MB for ${oldSpace}`);
  });

  /** The threads of a Node process started with `options` (Linux counts them in /proc). */
  const threadsWith = (options: readonly string[]): number => {
    const script = 'console.log(/Threads:\\s+(\\d+)/.exec(require("fs").readFileSync("/proc/self/status", "utf8"))[1])';
    const result = spawnSync(process.execPath, [...options, '-e', script], { encoding: 'utf8' });
    assert.equal(result.status, 0, result.stderr);
    return Number(result.stdout.trim());
  };

  it('give V8 one helper thread instead of four', { skip: !existsSync('/proc/self/status') && 'no /proc' }, () => {
    assert.equal(threadsWith([]) - threadsWith(SERVER_NODE_OPTIONS), 3);
  });
});
