// Runs test/**/*.test.ts (not the editor suites) with node's test runner.
// Usage: node scripts/run-unit-tests.mjs [substring-filter...]
import { spawnSync } from 'node:child_process';
import { unitTestFiles } from './test-files.mjs';

const files = unitTestFiles(process.argv.slice(2));
const result = spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-reporter=spec', ...files], {
  stdio: 'inherit',
});
process.exit(result.status ?? 1);
