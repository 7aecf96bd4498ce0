// The project as users install it: `npm pack`, then an install of the tarball somewhere else.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { REPO } from './cli';
import { tempDir } from './tempDir';

export const npm = (cwd: string, ...args: string[]) =>
  spawnSync('npm', [...args, '--no-audit', '--no-fund', '--loglevel=error'], { cwd, encoding: 'utf8' });

/** Packs the repository (dist/ must be built) and returns the tarball and the files it holds. */
export function packRepository(): { tarball: string; files: string[] } {
  const packDir = tempDir('dovecot-pack-');
  // dist/ is already built: packing must not rebuild it under the feet of tests running beside this one.
  const pack = npm(REPO, 'pack', '--ignore-scripts', '--json', '--pack-destination', packDir);
  assert.equal(pack.status, 0, pack.stderr);
  const [packed] = JSON.parse(pack.stdout) as { filename: string; files: { path: string }[] }[];
  return { tarball: path.join(packDir, packed.filename), files: packed.files.map((file) => file.path) };
}
