#!/usr/bin/env node
// `npm run test:vscode`: the integration suite in desktop VS Code through @vscode/test-electron, for
// contributors with internet access (it downloads VS Code into .vscode-test/). Offline machines use
// scripts/run-vscode-tests.mjs (code-server + chromium) instead; both run the same test/integration suite.
//   node scripts/run-vscode-tests-electron.mjs [--no-build]
// Env: VSCODE_VERSION (default: the engines.vscode minimum, 1.100.0), DOVECOT_TEST_GREP (mocha grep).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runTests } from '@vscode/test-electron';
import { bundleIntegrationTests, copyFixtureWorkspace, repoRoot, testsEntry } from './integration-tests-bundle.mjs';

const { engines } = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8'));
const version = process.env.VSCODE_VERSION || engines.vscode.replace(/^[^\d]*/, '');

if (!process.argv.includes('--no-build')) {
  const build = spawnSync(process.execPath, [join(repoRoot, 'scripts', 'build.mjs')], { stdio: 'inherit' });
  if (build.status !== 0) process.exit(1);
}
await bundleIntegrationTests();

const data = mkdtempSync(join(tmpdir(), 'dovecot-vscode-electron-'));
const resultFile = join(data, 'result.json');
let exitCode = 1;
try {
  await runTests({
    version,
    extensionDevelopmentPath: repoRoot,
    extensionTestsPath: testsEntry,
    launchArgs: [
      copyFixtureWorkspace(data),
      '--disable-extensions',
      '--disable-workspace-trust',
      '--user-data-dir',
      join(data, 'user-data'),
    ],
    extensionTestsEnv: {
      DOVECOT_TEST_SUITE: 'full',
      DOVECOT_TEST_RESULT_FILE: resultFile,
      DOVECOT_TEST_GREP: process.env.DOVECOT_TEST_GREP ?? '',
    },
  });
  exitCode = 0;
} catch (error) {
  const message = error instanceof Error ? error.message : String(error);
  if (/ENOTFOUND|EAI_AGAIN|ECONNREFUSED|getaddrinfo/.test(message)) {
    console.error(`Could not download VS Code ${version} (${message}).`);
    console.error('This machine is offline: use `node scripts/run-vscode-tests.mjs` (code-server + chromium) instead.');
  } else {
    console.error(`VS Code test run failed: ${message}`);
  }
}
try {
  const { passed, failed } = JSON.parse(readFileSync(resultFile, 'utf8'));
  console.log(`${passed} passed, ${failed} failed`);
  if (failed > 0) exitCode = 1;
} catch {
  console.log('0 passed, 1 failed');
  exitCode = 1;
}
rmSync(data, { recursive: true, force: true });
process.exit(exitCode);
