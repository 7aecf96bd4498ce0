import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';

/** What a new Node process started with `options` prints running `script`; it must exit cleanly. */
export function printedByNode(options: readonly string[], script: string): string {
  const result = spawnSync(process.execPath, [...options, '-e', script], { encoding: 'utf8' });
  assert.equal(result.status, 0, result.stderr);
  return result.stdout;
}
