// Produces docs/images/replication-view.png: the Dovecot Replication view on the two real Dovecot
// instances of test/e2e/lab.sh, in code-server. Runs only the replication-view editor tests, which
// start the lab (under /tmp/dovecot-lab.lock) and ask for the screenshot at the right moment.
//
//   node scripts/screenshots/replicationView.mjs            (as root, with Dovecot 2.3, code-server and chromium)
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Runs the view's editor tests with screenshots on; returns the path of the image. */
export function captureReplicationView(outDir = join(repoRoot, 'docs', 'images')) {
  mkdirSync(outDir, { recursive: true });
  const result = spawnSync(process.execPath, [join(repoRoot, 'scripts', 'run-vscode-tests.mjs'), '--suite', 'full'], {
    cwd: repoRoot,
    stdio: 'inherit',
    env: { ...process.env, DOVECOT_TEST_GREP: 'Dovecot Replication view', DOVECOT_SCREENSHOT_DIR: outDir },
  });
  const image = join(outDir, 'replication-view.png');
  if (result.status !== 0 || !existsSync(image)) throw new Error(`the replication view tests failed or took no screenshot (exit ${result.status})`);
  return image;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  try {
    console.log(captureReplicationView());
  } catch (error) {
    console.error(error.message);
    process.exit(1);
  }
}
