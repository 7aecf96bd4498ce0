// varExpandGrammar24.json and eventFilterGrammar24.json must be what Bison makes of Dovecot 2.4.4's %{...}
// and event filter grammars. Needs bison and the 2.4.4 source tree that scripts/build-dovecot24.sh
// unpacks; without them the check is skipped loudly.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';

const SOURCE = path.join(process.env.DOVECOT24_BUILD_DIR ?? '/tmp/dovecot24-build', 'core');
const GRAMMAR = path.join(SOURCE, 'src', 'lib-var-expand', 'var-expand-parser.y');
const SCRIPT = path.join(__dirname, '..', 'scripts', 'gen-grammars-24.mjs');

test('the %{...} and event filter grammar tables are current (scripts/gen-grammars-24.mjs --check)', (t) => {
  const bison = spawnSync('bison', ['--version'], { encoding: 'utf8' });
  if (bison.status !== 0 || !existsSync(GRAMMAR)) {
    const why =
      bison.status !== 0 ? 'no bison' : `no Dovecot 2.4.4 source at ${SOURCE} (see scripts/build-dovecot24.sh)`;
    console.log(`SKIPPED: ${why}; the grammar tables were not regenerated`);
    t.skip(why);
    return;
  }
  const run = spawnSync(process.execPath, [SCRIPT, SOURCE, '--check'], { encoding: 'utf8' });
  assert.equal(run.status, 0, run.stderr);
});

// The 2.3.19 event filter table: from a 2.3.19 source tree or a dovecot/core git repository named by
// $DOVECOT23_SOURCE (e.g. a bare clone with tag 2.3.19).
test('the 2.3 event filter grammar table is current (scripts/gen-grammars-24.mjs --core23 --check)', (t) => {
  const core23 = process.env.DOVECOT23_SOURCE;
  const bison = spawnSync('bison', ['--version'], { encoding: 'utf8' });
  if (bison.status !== 0 || !core23 || !existsSync(GRAMMAR)) {
    const why =
      bison.status !== 0 ? 'no bison' : !core23 ? 'DOVECOT23_SOURCE not set' : `no Dovecot 2.4.4 source at ${SOURCE}`;
    console.log(`SKIPPED: ${why}; the 2.3 event filter table was not regenerated`);
    t.skip(why);
    return;
  }
  const run = spawnSync(process.execPath, [SCRIPT, SOURCE, `--core23=${core23}`, '--check'], { encoding: 'utf8' });
  assert.equal(run.status, 0, run.stderr);
  assert.match(run.stdout, /eventFilterGrammar23\.json is current/);
});
