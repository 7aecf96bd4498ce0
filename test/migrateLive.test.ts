// Live tier of the 2.4 migration proof: converts the fixture trees and every 2.3 tree of the corpus and
// asks the real doveconf 2.4.4 whether it accepts them, and compares the settings in effect with
// doveconf 2.3.19's through the known renames. The outcome must match test/migrate/results.json.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, test } from 'node:test';
import { corpusDir } from './corpus/corpus';
import { corpusCases, DOVECONF_24, fixtureCases, runCase, type CaseResult } from './migrate/live';

const RECORDED = new Map(
  (
    JSON.parse(readFileSync(path.join(__dirname, 'migrate', 'results.json'), 'utf8')) as { results: CaseResult[] }
  ).results.map((r) => [r.id, r]),
);
const work = mkdtempSync(path.join(tmpdir(), 'dovecot-migrate-live-test-'));
after(() => rmSync(work, { recursive: true, force: true }));

const has24 = existsSync(DOVECONF_24);
const has23 = existsSync('/usr/sbin/doveconf') || existsSync('/usr/bin/doveconf');
if (!has24) console.log('SKIPPED: no Dovecot 2.4 doveconf (see scripts/build-dovecot24.sh)');
if (!has23) console.log('SKIPPED: no Dovecot 2.3 doveconf (apt-get install dovecot-core)');

const corpus = corpusCases();
if (has24 && corpus.length === 0)
  console.log(`SKIPPED: the real-world corpus is absent (${corpusDir()}; see test/corpus/)`);

for (const live of [...fixtureCases(), ...corpus]) {
  test(
    `${live.id}: 2.4.4 accepts the converted tree, settings in effect as recorded`,
    { skip: !has24 || !has23 ? 'no doveconf 2.3 and 2.4' : false },
    () => {
      const { result } = runCase(live, work);
      const recorded = RECORDED.get(live.id);
      assert.ok(recorded, `${live.id} is in results.json (run test/migrate/live.ts --record)`);
      assert.equal(result.accepted23, recorded.accepted23);
      if (result.accepted23)
        assert.ok(result.accepted24, `2.4.4 refused the converted ${live.id}: ${result.fatal24 ?? ''}`);
      assert.deepEqual(result.differences, recorded.differences);
      assert.equal(result.same, recorded.same);
    },
  );
}
