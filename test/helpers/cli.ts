// Running dovecot-lint as users do: the bundled dist/cli.js in a child process.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import * as path from 'node:path';

export const REPO = path.join(__dirname, '..', '..');
const CLI = path.join(REPO, 'dist', 'cli.js');

export interface CliResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

export function runCli(cwd: string, ...args: string[]): CliResult {
  const result = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8' });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** Builds dist/ (call from a `before` hook). */
export function buildBundles(): void {
  // npm test builds once before any test runs: rebuilding here would rewrite dist/ under tests reading it.
  if (process.env.DOVECOT_TEST_BUNDLES_BUILT === '1') return;
  const build = spawnSync(process.execPath, [path.join(REPO, 'scripts', 'build.mjs')], { cwd: REPO, encoding: 'utf8' });
  assert.equal(build.status, 0, build.stderr);
}

export interface BoundedRun extends CliResult {
  /** True when the run was killed for taking longer than its timeout (a hang). */
  timedOut: boolean;
}

/**
 * Runs dist/cli.js with a memory cap (`--max-old-space-size`) and a kill timeout, so a test of a
 * hang or a blow-up fails instead of taking the shared machine down. `keepStdinOpen` gives the CLI a
 * pipe on stdin that is never written or closed (what `key = </dev/stdin` blocked on).
 */
export function runCliBounded(
  cwd: string,
  args: string[],
  options: { timeoutMs?: number; maxOldSpaceMb?: number; keepStdinOpen?: boolean } = {},
): Promise<BoundedRun> {
  const { timeoutMs = 60_000, maxOldSpaceMb = 512, keepStdinOpen = false } = options;
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [`--max-old-space-size=${maxOldSpaceMb}`, CLI, ...args], {
      cwd,
      stdio: [keepStdinOpen ? 'pipe' : 'ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeoutMs);
    child.on('close', (status) => {
      clearTimeout(timer);
      resolve({ status, stdout, stderr, timedOut });
    });
  });
}
