#!/usr/bin/env node
// Takes every screenshot the README shows, from the real workbench: code-server + Debian's chromium (the
// driver of the editor tests) and the development extension. Writes images/<name>.png.
//
//   node scripts/screenshots.mjs [--no-build] [NAME...]     (npm run screenshots)
//
// Each shot of SHOTS opens the bundled example pair (examples/replication) as the workspace; `steps(ui)`
// drives the workbench with keyboard and commands the way a user does, then the page is captured. To add
// one, add an entry (and reference images/<name>.png in the README). `replication-view` is taken by the
// editor tests of the Dovecot Replication view on the two real Dovecots of test/e2e/lab.sh (root, Dovecot
// 2.3): the test asks for the picture when the view shows both hosts synced.
import { spawnSync } from 'node:child_process';
import { copyFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CHROMIUM,
  enableDevelopmentPayload,
  installCodeServer,
  launchChromium,
  startCodeServer,
  workbenchUrl,
} from './code-server-driver.mjs';
import { repoRoot } from './integration-tests-bundle.mjs';

const VIEWPORT = { width: 1280, height: 800 };
const args = process.argv.slice(2);

/** What a shot can do in the workbench. */
function driver(page) {
  const settle = (ms = 800) => page.waitForTimeout(ms);
  return {
    page,
    settle,
    /** Runs a command from the palette by its title, e.g. 'Dovecot: Show Effective Configuration'. */
    async command(title) {
      await page.keyboard.press('F1');
      await page.waitForSelector('.quick-input-widget:not([style*="display: none"]) input');
      await page.keyboard.type(title);
      await page.waitForSelector('.quick-input-list .monaco-list-row');
      await settle(400);
      await page.keyboard.press('Enter');
      await settle();
    },
    /** Opens a workspace file with Quick Open and waits for its editor. */
    async open(relativePath) {
      // F1 opens the palette in '>' command mode; without the '>' it is Quick Open (Ctrl+P is the browser's)
      await page.keyboard.press('F1');
      await page.waitForSelector('.quick-input-widget:not([style*="display: none"]) input');
      await page.keyboard.press('Backspace');
      await page.keyboard.type(relativePath);
      await page.waitForSelector('.quick-input-list .monaco-list-row');
      await settle(600);
      await page.keyboard.press('Enter');
      await page.waitForSelector('.monaco-editor .view-lines');
      await settle(1500);
    },
    /** Puts the cursor at 1-based line:column (Go to Line). */
    async goTo(line, column = 1) {
      await page.keyboard.press('Control+G');
      await page.keyboard.type(`${line}:${column}`);
      await page.keyboard.press('Enter');
      await settle(300);
    },
  };
}

const SHOTS = [
  {
    name: 'problems',
    what: 'a conf.d file of the example with its replication problems and the Problems panel',
    async steps(ui) {
      await ui.open('host-a/conf.d/90-replication.conf');
      await ui.command('View: Focus Problems');
      await ui.settle(1500);
    },
  },
  {
    name: 'quick-fix',
    what: 'the quick fixes of a tcp/tcps mismatch between the two hosts, the TLS one first',
    async steps(ui) {
      await ui.open('host-a/conf.d/90-plugin.conf');
      await ui.page.waitForSelector('.monaco-editor .squiggly-error', { timeout: 60000 });
      await ui.goTo(6, 18);
      await ui.page.keyboard.press('Control+.');
      await ui.page.waitForSelector('.action-widget');
      await ui.settle(600);
    },
  },
  {
    name: 'hover',
    what: 'the hover on $mail_plugins: the value it expanded to where the line was read',
    async steps(ui) {
      await ui.open('host-a/conf.d/20-lmtp.conf');
      await ui.goTo(3, 22);
      await ui.command('Show or Focus Hover');
      await ui.page.waitForSelector('.monaco-hover');
      await ui.settle(600);
    },
  },
  {
    name: 'effective',
    what: 'the effective configuration view beside the file, each value linked to where it was set',
    async steps(ui) {
      await ui.open('host-a/dovecot.conf');
      await ui.command('View: Close Primary Side Bar');
      await ui.command('Dovecot: Show Effective Configuration');
      await ui.settle(2000);
    },
  },
  {
    name: 'setup-replication',
    what: 'the replication wizard at its last step: both files as a diff, written only after confirming',
    async steps(ui) {
      await ui.open('host-a/dovecot.conf');
      await ui.command('Dovecot: Set Up Replication');
      const answer = async (text) => {
        await ui.page.waitForSelector('.quick-input-widget:not([style*="display: none"])');
        await ui.settle(500);
        if (text !== undefined) {
          await ui.page.keyboard.press('Control+A');
          await ui.page.keyboard.type(text);
        }
        await ui.page.keyboard.press('Enter');
      };
      await answer('mail2.example.com'); // 1 peer host
      await answer(); // 2 this host: proposed from the tree
      await answer('tcps'); // 3 transport: TLS (typed to filter the pick)
      await answer(); // 4 port
      await answer(); // 5 generated password
      await answer(); // 6 mail user from mail_uid
      await answer(); // 7 the peer's folder: host-b, the sibling of host-a
      await ui.page.getByText('Write the files shown in the diff').first().waitFor(); // 8
      await ui.settle(1500);
    },
  },
  {
    name: 'convert-24',
    what: 'Convert to Dovecot 2.4: a converted file as a diff against the original, the report beside it',
    async steps(ui) {
      await ui.open('host-a/conf.d/10-mail.conf');
      await ui.command('View: Close Primary Side Bar');
      await ui.command('Dovecot: Convert to Dovecot 2.4');
      await ui.page.getByText('Write the converted tree to a new folder').first().waitFor();
      // the question would cover the diff: answer Cancel (nothing is written; the diffs and the report stay)
      await ui.page.keyboard.press('Escape');
      await ui.settle(500);
      // the diffs open one per changed file: bring the mail_location one to the front
      await ui.page.locator('.tab', { hasText: '10-mail.conf ↔ Dovecot 2.4' }).first().click();
      await ui.page.keyboard.press('Control+Home');
      await ui.settle(1500);
    },
  },
];

async function takeShot(codeServerEntry, shot) {
  const data = mkdtempSync(join(tmpdir(), `dovecot-shot-${shot.name}-`));
  const workspace = join(data, 'replication');
  cpSync(join(repoRoot, 'examples', 'replication'), workspace, { recursive: true });
  mkdirSync(join(data, 'user-data', 'User'), { recursive: true });
  let server;
  let browser;
  try {
    server = await startCodeServer({ codeServerEntry, data });
    let page;
    ({ browser, page } = await launchChromium(VIEWPORT));
    await enableDevelopmentPayload(page);
    await page.goto(
      workbenchUrl(server.port, workspace, [
        ['extensionDevelopmentPath', repoRoot],
        ['skipWelcome', 'true'],
        ['skipReleaseNotes', 'true'],
      ]),
    );
    await page.waitForSelector('.monaco-workbench');
    await page.waitForTimeout(3000);
    try {
      await shot.steps(driver(page));
    } catch (error) {
      if (process.env.SHOT_DEBUG)
        await page.screenshot({ path: join(tmpdir(), `dovecot-shot-${shot.name}-failed.png`) });
      throw error;
    }
    const file = join(repoRoot, 'images', `${shot.name}.png`);
    await page.screenshot({ path: file });
    console.log(`images/${shot.name}.png: ${shot.what}`);
  } finally {
    await browser?.close().catch(() => {});
    await server?.stop();
    rmSync(data, { recursive: true, force: true });
  }
}

/** The Dovecot Replication view: its editor tests start the two lab Dovecots and ask for the picture. */
function takeReplicationView() {
  // taken into a scratch folder first: a failed run leaves the committed image alone
  const scratch = mkdtempSync(join(tmpdir(), 'dovecot-shot-replication-view-'));
  try {
    const result = spawnSync(
      process.execPath,
      [join(repoRoot, 'scripts', 'run-vscode-tests.mjs'), '--suite', 'full', '--no-build'],
      {
        cwd: repoRoot,
        stdio: 'inherit',
        env: { ...process.env, DOVECOT_TEST_GREP: 'Dovecot Replication view', DOVECOT_SCREENSHOT_DIR: scratch },
      },
    );
    const taken = join(scratch, 'replication-view.png');
    if (result.status !== 0 || !existsSync(taken))
      throw new Error(
        `replication-view: the view's editor tests failed or took no picture (exit ${result.status}; they need root, Dovecot 2.3 and /tmp/dovecot-lab.lock)`,
      );
    copyFileSync(taken, join(repoRoot, 'images', 'replication-view.png'));
    console.log(
      'images/replication-view.png: the Dovecot Replication view on two real Dovecots, both hosts and their users synced',
    );
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

async function main() {
  const installed = installCodeServer();
  if (installed.skip) {
    console.error(`screenshots: ${installed.skip}`);
    process.exit(1);
  }
  if (!args.includes('--no-build')) {
    const build = spawnSync(process.execPath, [join(repoRoot, 'scripts', 'build.mjs')], { stdio: 'inherit' });
    if (build.status !== 0) process.exit(1);
  }
  const wanted = args.filter((arg) => !arg.startsWith('--'));
  const known = [...SHOTS.map((shot) => shot.name), 'replication-view'];
  const unknown = wanted.filter((name) => !known.includes(name));
  if (unknown.length > 0) throw new Error(`no shot named ${unknown.join(', ')}; known: ${known.join(', ')}`);
  const taking = (name) => wanted.length === 0 || wanted.includes(name);
  console.log(`chromium: ${CHROMIUM}`);
  for (const shot of SHOTS) if (taking(shot.name)) await takeShot(installed.entry, shot);
  if (taking('replication-view')) takeReplicationView();
}

await main();
