// Checked-in data generated from Dovecot's sources: the tests run the generating script with --check against
// the git mirrors of those sources, and say SKIPPED loudly where a mirror is missing.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import type { TestContext } from 'node:test';

/** `scripts/<script> --mirrors DIR --check` must pass; `repos` are the mirrors it reads (OWNER+NAME). */
export function assertGeneratedFromMirrors(t: TestContext, script: string, repos: readonly string[]): void {
  const mirrors = process.env.DOVECOT_SOURCE_MIRRORS || '/work/.mirror';
  const missing = repos.map((repo) => path.join(mirrors, repo, 'repo')).find((repo) => !existsSync(repo));
  if (missing) {
    console.log(`SKIPPED: no source mirror at ${missing}; the checked-in data was not regenerated`);
    t.skip('no source mirrors');
    return;
  }
  const scriptPath = path.join(__dirname, '..', '..', 'scripts', script);
  const run = spawnSync(process.execPath, [scriptPath, '--mirrors', mirrors, '--check'], { encoding: 'utf8' });
  assert.equal(run.status, 0, run.stderr);
}
