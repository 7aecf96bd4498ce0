// The fuzz tier (`npm run fuzz`): seeded, deterministic inputs (see test/helpers/configGen.ts) checked
// in child processes for the invariants of test/helpers/invariants.ts: no crash, no hang, diagnostic
// ranges inside their lines, formatting whitespace-only and idempotent, quick fixes in range without
// new syntax errors, no message showing the content of a file read with `<file`.
//   FUZZ_COUNT (default 20000)  FUZZ_SEED (default 1)  FUZZ_WORKERS (default: CPUs, at most 4)
//   FUZZ_TIMEOUT_MS: one input taking longer is a hang (default 10000)
// Prints one line per failing input (with the seed and index that reproduce it) and a closing
// "N passed, N failed" line; exits 1 when an input failed.
import { fork, type ChildProcess } from 'node:child_process';
import { availableParallelism } from 'node:os';
import * as path from 'node:path';
import type { FuzzReport } from './fuzzWorker';

const count = Number(process.env.FUZZ_COUNT ?? 20000);
const seed = Number(process.env.FUZZ_SEED ?? 1);
const workers = Math.max(1, Number(process.env.FUZZ_WORKERS ?? Math.min(4, availableParallelism())));
const timeoutMs = Number(process.env.FUZZ_TIMEOUT_MS ?? 10000);
const CHUNK = 250;
const WORKER = path.join(__dirname, 'fuzzWorker.ts');

interface Range {
  from: number;
  to: number;
}

/** Inputs still to check, in chunks; a killed worker's unchecked rest goes back here. */
const queue: Range[] = [];
for (let from = 0; from < count; from += CHUNK) queue.push({ from, to: Math.min(count, from + CHUNK) });

let passed = 0;
const failures: number[] = [];
const started = Date.now();

function report(index: number, violations: string[]): void {
  if (violations.length === 0) {
    passed++;
    return;
  }
  failures.push(index);
  console.log(
    `FAIL input ${index} (reproduce: FUZZ_SEED=${seed} FUZZ_ONLY=${index} npm run fuzz)\n  ${violations.slice(0, 5).join('\n  ')}`,
  );
}

/**
 * One worker slot: a child process takes chunks from the queue until it is empty. The watchdog kills
 * it when one input takes longer than the bound (a hang); a worker that dies is a crash of its input.
 */
function runSlot(done: () => void): void {
  const child: ChildProcess = fork(WORKER, [], {
    execArgv: ['--import', 'tsx', '--max-old-space-size=1024'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  let range: Range | undefined;
  let current = 0;
  let lastProgress = Date.now();
  let over = false;
  const stop = (failure?: string): void => {
    if (over) return;
    over = true;
    clearInterval(watchdog);
    child.kill('SIGKILL');
    if (!failure || !range) return done();
    report(current, [failure]);
    if (current + 1 < range.to) queue.unshift({ from: current + 1, to: range.to });
    runSlot(done);
  };
  const takeChunk = (): void => {
    range = queue.shift();
    if (!range) return stop();
    current = range.from;
    lastProgress = Date.now();
    child.send({ seed, from: range.from, to: range.to });
  };
  const watchdog = setInterval(() => {
    if (range && Date.now() - lastProgress > timeoutMs) stop(`hang: no answer within ${timeoutMs} ms`);
  }, 250);
  child.on('message', (message: FuzzReport) => {
    if (over) return; // from a worker already killed: its inputs went back to the queue
    lastProgress = Date.now();
    if (message.index < 0) return takeChunk();
    report(message.index, message.violations);
    current = message.index + 1;
  });
  child.on('exit', (code, signal) => stop(`crash: the worker died (${signal ?? `exit status ${code}`})`));
  // The worker says it is ready (index -1) once loaded, so its start-up never counts as a hang.
}

function reproduce(index: number): void {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { checkInput } = require('./fuzzWorker') as typeof import('./fuzzWorker');
  const violations = checkInput(seed, index);
  console.log(violations.length === 0 ? `input ${index}: ok` : violations.join('\n'));
  console.log(`fuzz: ${violations.length === 0 ? 1 : 0} passed, ${violations.length === 0 ? 0 : 1} failed`);
  process.exitCode = violations.length === 0 ? 0 : 1;
}

function main(): void {
  if (process.env.FUZZ_ONLY !== undefined) return reproduce(Number(process.env.FUZZ_ONLY));
  console.log(`fuzz: ${count} inputs, FUZZ_SEED=${seed}, ${workers} workers, at most ${timeoutMs} ms per input`);
  let running = workers;
  for (let slot = 0; slot < workers; slot++) {
    runSlot(() => {
      if (--running === 0) summary();
    });
  }
}

function summary(): void {
  const unchecked = count - passed - failures.length;
  if (unchecked > 0) console.log(`FAIL ${unchecked} inputs were never checked (a worker could not start)`);
  console.log(`fuzz: ${count} inputs in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  console.log(`fuzz: ${passed} passed, ${failures.length + Math.max(0, unchecked)} failed`);
  process.exitCode = failures.length > 0 || unchecked > 0 ? 1 : 0;
}

main();
