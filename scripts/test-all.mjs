// Runs every test tier and prints one closing line: "N passed, N failed, N skipped".
// Tiers: typecheck, ESLint, Prettier; node's test runner over test/**/*.test.ts (unit, grammar, oracle, protocol, e2e); the fuzz tier;
// the differential tier against the real doveconf;
// the extension inside a real VS Code extension host (code-server + Chromium); Neovim as a second client;
// the real-world corpus (test/corpus, when recreated by scripts/corpus-fetch.mjs).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { formatFailures } from './count-reporter.mjs';
import { isEndToEnd, unitTestFiles } from './test-files.mjs';

// `npm test` has just built dist/; the tests use it as it is (test/helpers/cli.ts buildBundles).
process.env.DOVECOT_TEST_BUNDLES_BUILT = '1';

const totals = { passed: 0, failed: 0, skipped: 0 };
const summary = [];
/** Failing tests of the node:test tiers with the start of their error, repeated at the end of the summary. */
const failures = [];

function run(command, args, options = {}) {
  const result = spawnSync(command, args, {
    stdio: ['ignore', 'pipe', 'inherit'],
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
    ...options,
  });
  process.stdout.write(result.stdout ?? '');
  return { status: result.status ?? 1, stdout: result.stdout ?? '' };
}

function record(tier, counts, status) {
  const failed = counts ? counts.failed : status === 0 ? 0 : 1;
  const passed = counts ? counts.passed : status === 0 ? 1 : 0;
  const skipped = counts?.skipped ?? 0;
  const failedTier = failed > 0 || status !== 0;
  totals.passed += passed;
  totals.failed += failed === 0 && failedTier ? 1 : failed;
  totals.skipped += skipped;
  summary.push(`${failedTier ? 'FAIL' : 'ok  '} ${tier}: ${passed} passed, ${failed} failed, ${skipped} skipped`);
}

function lastCounts(output) {
  const matches = [...output.matchAll(/^(?:\w+: )?(\d+) passed, (\d+) failed(?:, (\d+) skipped)?\s*$/gm)];
  const last = matches.at(-1);
  return last ? { passed: Number(last[1]), failed: Number(last[2]), skipped: Number(last[3] ?? 0) } : undefined;
}

const typecheck = run('npx', ['tsc', '-p', '.', '--noEmit']);
record('typecheck', undefined, typecheck.status);
const lint = run('npx', ['eslint', '--max-warnings=0', '.']);
record('lint (ESLint)', undefined, lint.status);
const format = run('npx', ['prettier', '--check', '--log-level=warn', '.']);
record('format (Prettier)', undefined, format.status);

const resultsDir = mkdtempSync(join(tmpdir(), 'dovecot-lsp-tests-'));

/** Runs test files with node's test runner; e2e files share loopback addresses, so they run one at a time. */
function nodeTestTier(tier, files, concurrency) {
  const countsFile = join(resultsDir, `${concurrency}-${files.length}.json`);
  const result = run(process.execPath, [
    '--import',
    'tsx',
    '--test',
    `--test-concurrency=${concurrency}`,
    '--test-reporter=spec',
    '--test-reporter-destination=stdout',
    '--test-reporter=./scripts/count-reporter.mjs',
    `--test-reporter-destination=${countsFile}`,
    ...files,
  ]);
  const counts = JSON.parse(readFileSync(countsFile, 'utf8'));
  for (const failure of counts.failures) failures.push({ tier, ...failure });
  record(tier, counts, result.status);
}

const testFiles = unitTestFiles();
nodeTestTier(
  'unit, grammar, oracle, protocol (node --test)',
  testFiles.filter((f) => !isEndToEnd(f)),
  2,
);
nodeTestTier('end-to-end with two real Dovecots (node --test)', testFiles.filter(isEndToEnd), 1);

// Seeded fuzz inputs (FUZZ_COUNT, FUZZ_SEED) in child processes with a per-input watchdog; counts inputs.
const fuzz = run(process.execPath, ['--import', 'tsx', 'test/fuzz/fuzz.ts']);
record('fuzz: generated and mutated configs (npm run fuzz)', lastCounts(fuzz.stdout), fuzz.status);

// Seeded inputs judged by the real doveconf 2.3 and 2.4 and by us (DIFFFUZZ_COUNT, DIFFFUZZ_SEED: a fixed seed
// and about 40 s on 2 cores); SKIPPED where either doveconf is missing.
const diff = run(process.execPath, ['--import', 'tsx', 'test/fuzz/doveconfDiff.ts']);
const diffTier = 'differential: generated configs against the real doveconf (npm run fuzz:doveconf)';
if (!lastCounts(diff.stdout) && /SKIPPED/.test(diff.stdout) && diff.status === 0) {
  totals.skipped += 1;
  summary.push(`SKIP ${diffTier}`);
} else {
  record(diffTier, lastCounts(diff.stdout), diff.status);
}

for (const [tier, command, args] of [
  ['VS Code extension host (code-server + Chromium)', process.execPath, ['scripts/run-vscode-tests.mjs']],
  ['Neovim LSP client', 'bash', ['scripts/run-neovim-test.sh']],
  // Skips (SKIPPED, counted as skipped) where the corpus was not recreated, as in CI, which has no mirrors.
  ['real-world corpus against doveconf verdicts', process.execPath, ['--import', 'tsx', 'test/corpus/run.ts']],
]) {
  const result = run(command, args);
  const counts = lastCounts(result.stdout);
  if (!counts && /SKIPPED/.test(result.stdout) && result.status === 0) {
    totals.skipped += 1;
    summary.push(`SKIP ${tier}`);
  } else {
    record(tier, counts, result.status);
  }
}

rmSync(resultsDir, { recursive: true, force: true });

console.log('\n=== test summary ===');
for (const line of summary) console.log(line);
if (failures.length > 0) console.log(`\n=== failing tests ===\n${formatFailures(failures, process.cwd())}\n`);
console.log(`${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
process.exit(totals.failed > 0 ? 1 : 0);
