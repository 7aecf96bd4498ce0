// Runs every test/**/*.test.ts (except the editor suites under test/integration) with node's test runner.
// Usage: node scripts/run-unit-tests.mjs [substring-filter...]
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';

function findTests(dir) {
  const found = [];
  for (const entry of readdirSync(dir)) {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) {
      if (path !== join('test', 'integration')) found.push(...findTests(path));
    } else if (entry.endsWith('.test.ts')) {
      found.push(path);
    }
  }
  return found.sort();
}

const filters = process.argv.slice(2);
const files = findTests('test').filter((file) => filters.length === 0 || filters.some((f) => file.includes(f)));
const result = spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-reporter=spec', ...files], { stdio: 'inherit' });
process.exit(result.status ?? 1);
