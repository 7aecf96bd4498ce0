// Temporary directories for tests: made under the system's temporary folder and removed when the test
// process ends, whether its tests passed or not, so that repeated runs do not fill the folder.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';

const made: string[] = [];

process.once('exit', () => {
  for (const dir of made) {
    try {
      rmSync(dir, { recursive: true, force: true });
    } catch {
      // Left in place: a test's result does not depend on its clean-up.
    }
  }
});

/** A new empty directory named `prefix` and a random tail, removed at the end of the process. */
export function tempDir(prefix: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  made.push(dir);
  return dir;
}
