// The Node options the extension starts the language server with are accepted by Node and take effect:
// a mistyped option would stop the server from starting in VS Code.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
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
});
