#!/usr/bin/env node
// Offline editor tests: runs test/integration (mocha, `vscode` API) inside VS Code's real Node extension
// host, served by code-server (npm) and driven by Debian's headless chromium through playwright-core.
//
//   node scripts/run-vscode-tests.mjs [--suite full|smoke|all] [--no-build] [--extension-path DIR]
//
//   full   the development folder (this repository) with the whole integration suite
//   smoke  `npm run package`, check the .vsix contents, install it into a fresh extensions dir and run
//          the smoke suite against the INSTALLED extension
//   untrusted  the development folder with workspace trust on and the folder NOT trusted: the live
//          replication actions and the doveconf check must refuse to run (test/integration/untrusted.test.ts)
//   all    all three (default)
//
// Prints `N passed, N failed` and exits non-zero on failure. When code-server or chromium cannot be
// installed here (not root, no apt), prints a loud SKIPPED line and exits 0.
// Env: TEST_TIMEOUT_MS (per session, default 420000: the full session runs the two lab Dovecots too), DOVECOT_TEST_GREP (mocha grep), CS_VERBOSE=1
// (echo code-server output), PAGE_CONSOLE=1 (echo the workbench console), KEEP_DATA=1 (keep temp dirs).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { format } from 'node:util';
import {
  CHROMIUM,
  enableDevelopmentPayload,
  installCodeServer as installOrSkip,
  launchChromium,
  startCodeServer,
  workbenchUrl,
} from './code-server-driver.mjs';
import { bundleIntegrationTests, copyFixtureWorkspace, repoRoot, testsEntry } from './integration-tests-bundle.mjs';
import { screenshotOnMarker } from './screenshots/marker.mjs';

// printed by test/integration/index.ts once mocha has finished and written the result file
const RUN_FINISHED_MARKER = 'DOVECOT-INTEGRATION-RUN-FINISHED';
const SESSION_TIMEOUT_MS = Number(process.env.TEST_TIMEOUT_MS || 420000);

const startedAt = Date.now();
const log = (...args) => console.log(`[run-vscode-tests +${((Date.now() - startedAt) / 1000).toFixed(1)}s]`, ...args);

function parseArgs(argv) {
  const options = { suite: 'all', build: true, extensionPath: repoRoot };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--suite') options.suite = argv[++i];
    else if (arg === '--no-build') options.build = false;
    else if (arg === '--extension-path') options.extensionPath = resolve(argv[++i]);
    else throw new Error(`unknown argument ${arg}`);
  }
  if (!['full', 'smoke', 'untrusted', 'all'].includes(options.suite))
    throw new Error(`--suite must be full, smoke, untrusted or all`);
  return options;
}

function skip(reason) {
  console.log('');
  console.log('#'.repeat(78));
  console.log(`# SKIPPED: VS Code extension-host tests: ${reason}`);
  console.log('#'.repeat(78));
  console.log('0 passed, 0 failed (skipped)');
  process.exit(0);
}

function runChecked(command, args, what, options = {}) {
  const result = spawnSync(command, args, { cwd: repoRoot, encoding: 'utf8', ...options });
  if (result.status !== 0) {
    console.error(`${what} failed (exit ${result.status}):\n${result.stdout ?? ''}${result.stderr ?? ''}`);
    process.exit(1);
  }
  return result;
}

function installCodeServer() {
  const installed = installOrSkip();
  if (installed.skip) skip(installed.skip);
  return installed.entry;
}

// Workbench chatter that says nothing about the extension (the offline gallery lookup fails by design).
const WORKBENCH_NOISE =
  /open-vsx\.org|^\s+at |Creating a socket|connection token|Creation of workbench contribution|Updating additional builtin|\[Service Worker\]|ChatSessionStore/;

function printWorkbenchLog(message) {
  const lines = message.split('\n').filter((line) => process.env.CS_VERBOSE || !WORKBENCH_NOISE.test(line));
  if (lines.length > 0) console.log(lines.join('\n'));
}

/**
 * One code-server + chromium session running the mocha entry `out/integration/index.js`.
 * Returns { passed, failed, ok }.
 */
async function runSession({
  name,
  codeServerEntry,
  extensionDevelopmentPath,
  extensionsDir,
  env,
  trustWorkspace = true,
}) {
  const data = mkdtempSync(join(tmpdir(), `dovecot-vscode-${name}-`));
  const workspace = copyFixtureWorkspace(data);
  const resultFile = join(data, 'result.json');
  let server;
  let browser;
  let timer;
  const outcome = { passed: 0, failed: 0, ok: false };
  try {
    server = await startCodeServer({
      codeServerEntry,
      data,
      extensionsDir,
      trustWorkspace,
      env: { ...env, DOVECOT_TEST_RESULT_FILE: resultFile },
      onOutput: (chunk) => {
        if (process.env.CS_VERBOSE) process.stdout.write(chunk);
      },
    });
    const { port } = server;
    log(`${name}: code-server up on 127.0.0.1:${port}`);
    let page;
    ({ browser, page } = await launchChromium());
    // The suite prints RUN_FINISHED_MARKER (after its result file) when mocha is done. The workbench then
    // stops the extension host and should call codeAutomationExit, but code-server 4.100.3 can hang while
    // it collects the logs before that call; so whichever comes first ends the session.
    const finished = new Promise((resolveExit, rejectExit) => {
      page.exposeFunction('codeAutomationLog', (_type, args) => {
        const message = format(...args);
        if (message.includes(RUN_FINISHED_MARKER)) resolveExit(undefined);
        else if (process.env.DOVECOT_SCREENSHOT_DIR) {
          screenshotOnMarker(page, message).then(
            (taken) => taken || printWorkbenchLog(message),
            (error) => console.error(`screenshot failed: ${error.message}`),
          );
        } else printWorkbenchLog(message);
      });
      page.exposeFunction('codeAutomationExit', (code) => resolveExit(code));
      timer = setTimeout(
        () => rejectExit(new Error(`${name}: no result after ${SESSION_TIMEOUT_MS} ms`)),
        SESSION_TIMEOUT_MS,
      );
    });
    if (process.env.PAGE_CONSOLE)
      page.on('console', (message) => console.log('[page]', message.type(), message.text()));
    await enableDevelopmentPayload(page);
    const url = workbenchUrl(port, workspace, [
      ['extensionDevelopmentPath', extensionDevelopmentPath],
      ['extensionTestsPath', testsEntry],
      ['skipWelcome', 'true'],
      ['skipReleaseNotes', 'true'],
    ]);
    log(`${name}: opening the workbench`);
    await page.goto(url);
    const exitCode = await finished;
    log(`${name}: extension tests finished${exitCode === undefined ? '' : `, exit code ${exitCode}`}`);
    if (existsSync(resultFile)) {
      const result = JSON.parse(readFileSync(resultFile, 'utf8'));
      outcome.passed = result.passed;
      outcome.failed = result.failed;
      outcome.ok = (exitCode === undefined || exitCode === 0) && result.failed === 0;
    } else {
      console.error(
        `${name}: the suite never reported a result (exit code ${exitCode}); code-server output:\n${server.output().slice(-3000)}`,
      );
      outcome.failed = 1;
    }
  } catch (error) {
    console.error(`${name}: ${error instanceof Error ? error.message : error}`);
    outcome.failed = Math.max(outcome.failed, 1);
  } finally {
    clearTimeout(timer);
    await browser?.close().catch(() => {});
    await server?.stop();
    if (process.env.KEEP_DATA) log(`${name}: kept ${data}`);
    else rmSync(data, { recursive: true, force: true });
  }
  return outcome;
}

/**
 * `scripts/package.mjs` packages with vsce and fails unless the .vsix holds exactly the runtime files.
 * Returns the .vsix path, or undefined when packaging or that check failed (counted as one failed test).
 */
function packageVsix() {
  const result = spawnSync(process.execPath, [join(repoRoot, 'scripts', 'package.mjs'), '--no-build', '--print-path'], {
    cwd: repoRoot,
    encoding: 'utf8',
  });
  if (result.status !== 0) {
    console.log(`  ✗ package: scripts/package.mjs failed (exit ${result.status}):\n${result.stdout}${result.stderr}`);
    return undefined;
  }
  const vsix = result.stdout.trim().split('\n').pop();
  console.log(`  ✓ package: ${result.stdout.trim().split('\n')[0]}`);
  return vsix;
}

function installVsix(codeServerEntry, vsix, extensionsDir) {
  const scratch = mkdtempSync(join(tmpdir(), 'dovecot-vsix-install-'));
  try {
    runChecked(
      process.execPath,
      [codeServerEntry, '--extensions-dir', extensionsDir, '--install-extension', vsix, '--force'],
      'installing the .vsix into code-server',
      {
        env: { ...process.env, XDG_DATA_HOME: scratch, XDG_CONFIG_HOME: scratch, XDG_CACHE_HOME: scratch },
      },
    );
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

/** A do-nothing development extension: lets the workbench run extensionTestsPath while the real one is installed. */
function writeSmokeHost(parent) {
  const hostDir = join(parent, 'smoke-host');
  mkdirSync(hostDir, { recursive: true });
  writeFileSync(
    join(hostDir, 'package.json'),
    JSON.stringify({
      name: 'dovecot-smoke-host',
      publisher: 'dovecot-tests',
      version: '0.0.0',
      engines: { vscode: '^1.100.0' },
    }),
  );
  return hostDir;
}

async function main() {
  const options = parseArgs(process.argv.slice(2));
  if (!existsSync(CHROMIUM) && spawnSync('id', ['-u'], { encoding: 'utf8' }).stdout.trim() !== '0') {
    skip(`${CHROMIUM} is missing and this user cannot install Debian packages (npm run system-deps)`);
  }
  const codeServerEntry = installCodeServer();
  if (!existsSync(CHROMIUM)) skip(`${CHROMIUM} is still missing after install-code-server.sh`);
  log(`code-server: ${codeServerEntry}`);

  if (options.build)
    runChecked(process.execPath, [join(repoRoot, 'scripts', 'build.mjs')], 'npm run build', { stdio: 'inherit' });
  if (!existsSync(join(options.extensionPath, 'dist', 'server.js'))) {
    console.error(`${options.extensionPath}/dist/server.js is missing: build first`);
    process.exit(1);
  }
  await bundleIntegrationTests();

  let passed = 0;
  let failed = 0;
  const tally = (outcome) => {
    passed += outcome.passed;
    failed += outcome.failed;
  };

  if (options.suite === 'full' || options.suite === 'all') {
    tally(
      await runSession({
        name: 'full',
        codeServerEntry,
        extensionDevelopmentPath: options.extensionPath,
        env: { DOVECOT_TEST_SUITE: 'full', DOVECOT_TEST_GREP: process.env.DOVECOT_TEST_GREP ?? '' },
      }),
    );
  }

  if (options.suite === 'untrusted' || options.suite === 'all') {
    tally(
      await runSession({
        name: 'untrusted',
        codeServerEntry,
        extensionDevelopmentPath: options.extensionPath,
        env: { DOVECOT_TEST_SUITE: 'untrusted' },
        trustWorkspace: false,
      }),
    );
  }

  if (options.suite === 'smoke' || options.suite === 'all') {
    log('smoke: packaging the .vsix');
    const vsix = packageVsix();
    if (!vsix) {
      failed += 1;
    } else {
      passed += 1;
      const scratch = mkdtempSync(join(tmpdir(), 'dovecot-vscode-smoke-ext-'));
      try {
        const extensionsDir = join(scratch, 'extensions');
        installVsix(codeServerEntry, vsix, extensionsDir);
        log(`smoke: installed ${vsix} into ${extensionsDir}`);
        tally(
          await runSession({
            name: 'smoke',
            codeServerEntry,
            extensionDevelopmentPath: writeSmokeHost(scratch),
            extensionsDir,
            env: { DOVECOT_TEST_SUITE: 'smoke', DOVECOT_EXPECT_EXTENSIONS_DIR: extensionsDir },
          }),
        );
      } finally {
        rmSync(scratch, { recursive: true, force: true });
      }
    }
  }

  log('done');
  console.log(`${passed} passed, ${failed} failed`);
  process.exit(failed === 0 && passed > 0 ? 0 : 1);
}

await main();
