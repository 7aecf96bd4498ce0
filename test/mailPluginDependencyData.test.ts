// The mail plugin dependency data (data/dovecot/mail-plugin-dependencies.json): what the script makes of the
// Dovecot sources when their mirrors are at hand (SKIPPED otherwise), and the facts the rule relies on.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import dependencyData from '../data/dovecot/mail-plugin-dependencies.json';

type Version = '2.3' | '2.4';

describe('the plugin dependency data', () => {
  test('is what scripts/mail-plugin-dependencies.mjs reads from the Dovecot sources', (t) => {
    const mirrors = process.env.DOVECOT_SOURCE_MIRRORS || '/work/.mirror';
    const repos = ['dovecot+core', 'dovecot+pigeonhole', 'grosjo+fts-xapian'].map((repo) =>
      path.join(mirrors, repo, 'repo'),
    );
    const missing = repos.find((repo) => !existsSync(repo));
    if (missing) {
      console.log(`SKIPPED: no source mirror at ${missing}; the checked-in data was not regenerated`);
      t.skip('no source mirrors');
      return;
    }
    const script = path.join(__dirname, '..', 'scripts', 'mail-plugin-dependencies.mjs');
    const run = spawnSync(process.execPath, [script, '--mirrors', mirrors, '--check'], { encoding: 'utf8' });
    assert.equal(run.status, 0, run.stderr);
  });

  test('holds the dependencies each version declares, and no plugin without any', () => {
    const of = (version: Version) =>
      Object.fromEntries(dependencyData.versions[version].plugins.map((p) => [p.name, p.dependencies.join(' ')]));
    const v23 = of('2.3');
    const v24 = of('2.4');
    for (const table of [v23, v24]) {
      assert.equal(table.imap_quota, 'quota');
      assert.equal(table.trash, 'quota');
      assert.equal(table.quota_clone, 'quota');
      assert.equal(table.mail_log, 'notify');
      assert.equal(table.push_notification, 'notify');
      assert.equal(table.imap_acl, 'acl');
      assert.equal(table.mail_crypt_acl, 'acl');
      assert.equal(table.fts_xapian, 'fts');
      // Pigeonhole's imap_sieve and imap_filter_sieve declare none (only that they run in imap).
      assert.equal(table.imap_sieve, undefined);
      assert.equal(table.imap_filter_sieve, undefined);
    }
    assert.equal(v23.fts_lucene, 'fts');
    assert.equal(v23.replication, 'notify');
    assert.equal(v24.fts_flatcurve, 'fts');
    assert.equal(v24.fts_lucene, undefined);
    for (const version of ['2.3', '2.4'] as const) {
      const onlyBy = dependencyData.versions[version].loadedOnlyBy as Record<string, string[] | undefined>;
      assert.deepEqual(onlyBy.imap_quota, ['imap']);
      assert.deepEqual(onlyBy.imap_sieve, ['imap']);
      assert.deepEqual(onlyBy.sieve, ['lda', 'lmtp']);
      assert.equal(onlyBy.quota, undefined);
    }
  });
});
