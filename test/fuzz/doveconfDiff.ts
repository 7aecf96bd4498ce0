// The differential tier (`npm run -s fuzz:doveconf`): seeded small configurations (doveconfGen.ts) judged
// by the real doveconf and by our analysis; they must agree on accept/reject, the first error (message,
// file and line), doveconf's warnings and, for 2.4, the errors doveconf -x finds at start.
//   DIFFFUZZ_COUNT (default 1200)  DIFFFUZZ_SEED (default 1)  DIFFFUZZ_WORKERS (default: CPUs, at most 4)
//   DIFFFUZZ_ONLY=N: check input N alone and print it
// Prints each disagreeing input with the seed and index that reproduce it, then "N agreed, N disagreed";
// exits 1 on a disagreement. Without doveconf 2.3 and 2.4 installed it prints SKIPPED and exits 0.
import { fork } from 'node:child_process';
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import * as path from 'node:path';
import { DOVECONF_24 } from '../oracle24/verdict';
import { checkDiffInput, DOVECONF_23, type DiffResult } from './doveconfDiffWorker';

const count = Number(process.env.DIFFFUZZ_COUNT ?? 1200);
const seed = Number(process.env.DIFFFUZZ_SEED ?? 1);
const workers = Math.max(1, Number(process.env.DIFFFUZZ_WORKERS ?? Math.min(4, availableParallelism())));
const WORKER = path.join(__dirname, 'doveconfDiffWorker.ts');

function show(result: DiffResult): string {
  const files = Object.entries(result.input.files).map(
    ([name, text]) =>
      `  --- ${name}\n${text
        .split(/\r?\n/)
        .map((line) => `  | ${JSON.stringify(line).slice(1, -1)}`)
        .join('\n')}`,
  );
  return [
    `DISAGREE input ${result.index} (Dovecot ${result.input.version}; reproduce: DIFFFUZZ_SEED=${seed} DIFFFUZZ_ONLY=${result.index} npm run -s fuzz:doveconf)`,
    ...result.problems.map((problem) => `  ${problem}`),
    ...result.said.map((line) => `  said: ${line}`),
    ...files,
  ].join('\n');
}

/** A disagreement with its numbers and quoted words blurred: the kind it is, to count distinct ones. */
function kind(problem: string): string {
  return problem
    .replace(/"[^"]*"/g, '"…"')
    .replace(/\d+/g, 'N')
    .slice(0, 160);
}

function summary(results: DiffResult[], started: number): void {
  const disagreed = results.filter((result) => result.problems.length > 0);
  const kinds = new Map<string, { count: number; first: number }>();
  for (const result of disagreed)
    for (const problem of result.problems) {
      const entry = kinds.get(kind(problem)) ?? { count: 0, first: result.index };
      entry.count++;
      kinds.set(kind(problem), entry);
    }
  if (kinds.size > 0) {
    console.log('\ndisagreements by kind (count, first input):');
    for (const [text, { count: n, first }] of [...kinds].sort((a, b) => b[1].count - a[1].count))
      console.log(`  ${n} x (input ${first}) ${text}`);
  }
  const left = new Map<string, number>();
  for (const result of results) if (result.leftOut) left.set(result.leftOut, (left.get(result.leftOut) ?? 0) + 1);
  for (const [why, n] of left) console.log(`fuzz:doveconf: ${n} inputs left out: ${why}`);
  const judged = results.length - [...left.values()].reduce((sum, n) => sum + n, 0);
  console.log(`fuzz:doveconf: ${results.length} inputs in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  console.log(`fuzz:doveconf: ${judged - disagreed.length} agreed, ${disagreed.length} disagreed`);
  console.log(`fuzz:doveconf: ${judged - disagreed.length} passed, ${disagreed.length} failed`);
  process.exitCode = disagreed.length > 0 || results.length < count ? 1 : 0;
}

function main(): void {
  const missing = [DOVECONF_23, DOVECONF_24].filter((binary) => !existsSync(binary));
  if (missing.length > 0) {
    console.log(`SKIPPED: the differential tier needs the real doveconf 2.3 and 2.4 (missing: ${missing.join(', ')})`);
    return;
  }
  if (process.env.DIFFFUZZ_ONLY !== undefined) {
    const result = checkDiffInput(seed, Number(process.env.DIFFFUZZ_ONLY));
    const verdict = result.leftOut ? `left out (${result.leftOut})` : 'agreed';
    if (result.problems.length > 0) console.log(show(result));
    else console.log(show(result).replace(/^DISAGREE input \d+/, `input ${result.index}: ${verdict}`));
    process.exitCode = result.problems.length > 0 ? 1 : 0;
    return;
  }
  console.log(`fuzz:doveconf: ${count} inputs, DIFFFUZZ_SEED=${seed}, ${workers} workers`);
  const started = Date.now();
  const results: DiffResult[] = [];
  let running = workers;
  for (let slot = 0; slot < workers; slot++) {
    const indices: number[] = [];
    for (let index = slot; index < count; index += workers) indices.push(index);
    const child = fork(WORKER, [], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    child.on('message', (result: DiffResult) => {
      if (result.index === -2) child.send({ seed, indices });
      if (result.index < 0) {
        if (result.index === -1) child.kill();
        return;
      }
      results.push(result);
      if (result.problems.length > 0) console.log(show(result));
    });
    child.on('exit', () => {
      if (--running === 0) summary(results, started);
    });
  }
}

main();
