// Recorded tier of the 2.4 migration proof: the fixture trees (Debian 12's stock /etc/dovecot and the
// bundled replication pair) convert exactly as recorded in test/migrate/expected/, which
// test/migrate/live.ts --record wrote after the real doveconf 2.4.4 accepted those conversions.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { getLanguageService } from '../server/src/service/dovecotLanguageService';
import { DiskHost } from '../server/src/service/model/diskHost';
import { expectation, expectedPath, fixtureCases } from './migrate/live';

interface Results {
  results: { id: string; accepted23: boolean; accepted24: boolean; differences: { aspect: string; what: string }[] }[];
}

const RESULTS = JSON.parse(readFileSync(path.join(__dirname, 'migrate', 'results.json'), 'utf8')) as Results;

for (const live of fixtureCases()) {
  test(`${live.id}: converts as recorded (2.4.4 accepted the recorded conversion)`, () => {
    const recorded = RESULTS.results.find((result) => result.id === live.id);
    assert.ok(recorded?.accepted24, `results.json records 2.4.4 accepting ${live.id}`);
    const migration = getLanguageService(new DiskHost()).migrateTree(live.root, '2.4');
    const expected = JSON.parse(readFileSync(expectedPath(live.id), 'utf8')) as unknown;
    assert.deepEqual(expectation(migration, path.dirname(live.root)), expected);
  });
}

test('example pair: replication is reported with the routes, never converted', () => {
  for (const live of fixtureCases().filter((c) => c.source === 'example')) {
    const migration = getLanguageService(new DiskHost()).migrateTree(live.root, '2.4');
    assert.equal(migration.complete, false);
    const converted = migration.files.map((file) => file.converted).join('\n');
    assert.doesNotMatch(converted, /^\s*service (replicator|aggregator) \{/m);
    assert.doesNotMatch(converted, /^\s*mail_replica\s*=/m);
    assert.match(converted, /^\s*#mail_replica = /m);
    assert.ok(
      migration.report.some((entry) => entry.rule === 'replication' && entry.action?.includes('Shared storage')),
    );
  }
});

test('results.json: every tree 2.3 accepted is accepted by 2.4.4 after conversion', () => {
  for (const result of RESULTS.results) if (result.accepted23) assert.ok(result.accepted24, result.id);
});
