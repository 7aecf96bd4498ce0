// dist/cli.js, the dovecot-lint command: starts the linter bundle (dist/cli-main.js) through the code cache.
import * as path from 'node:path';
import { loadCached } from './codeCache';

let analysed = false;
const linter = loadCached(path.join(__dirname, 'cli-main.js'), () => analysed) as {
  main(): boolean;
  run: unknown;
  parseArguments: unknown;
};
if (require.main === module) {
  analysed = linter.main();
  // The linter writes its output synchronously: nothing is left but V8's housekeeping tasks (a collection of
  // the young generation, about 1 ms), which a command that is done need not wait for.
  process.exit();
}
module.exports = linter;
