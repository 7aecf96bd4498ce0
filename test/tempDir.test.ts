// The tests' temporary directories are removed when the test process ends, whether it passed or not.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';

const HELPER = path.resolve(__dirname, 'helpers', 'tempDir.ts');

/** Runs `body` after making a temporary directory with a file in it; returns the directory's path and the exit status. */
function runWithTempDir(body: string): { dir: string; status: number | null } {
  const script = [
    `const dir = require(${JSON.stringify(HELPER)}).tempDir('dovecot-temp-dir-test-');`,
    "require('node:fs').writeFileSync(require('node:path').join(dir, 'file.conf'), 'mail_debug = yes\\n');",
    'console.log(dir);',
    body,
  ].join('\n');
  const result = spawnSync(process.execPath, ['--import', 'tsx', '-e', script], { encoding: 'utf8' });
  return { dir: result.stdout.trim().split('\n')[0], status: result.status };
}

describe('test temporary directories', () => {
  it('are removed when the process ends normally', () => {
    const { dir, status } = runWithTempDir('');
    assert.equal(status, 0);
    assert.ok(path.isAbsolute(dir), dir);
    assert.equal(existsSync(dir), false);
  });

  it('are removed when the process fails', () => {
    const { dir, status } = runWithTempDir("throw new Error('a failing test file');");
    assert.notEqual(status, 0);
    assert.ok(path.isAbsolute(dir), dir);
    assert.equal(existsSync(dir), false);
  });
});
