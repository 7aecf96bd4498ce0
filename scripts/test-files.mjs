// The test files of node's test runner tiers: every test/**/*.test.ts except the editor suites, which
// run inside a real VS Code extension host (scripts/run-vscode-tests.mjs).
import { globSync } from 'tinyglobby';

export function unitTestFiles(filters = []) {
  const files = globSync('test/**/*.test.ts', { ignore: ['test/integration/**'] }).sort();
  return filters.length === 0 ? files : files.filter((file) => filters.some((filter) => file.includes(filter)));
}

export const isEndToEnd = (file) => file.startsWith('test/e2e/');
