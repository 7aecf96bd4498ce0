// Zero false alarms on Debian's stock /etc/dovecot (dovecot-core, -imapd, -lmtpd, -sieve, -managesieved),
// analysed as one tree from dovecot.conf; a copy lives in test/fixtures/debian-stock.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { getLanguageService } from '../server/src/service/dovecotLanguageService';
import { DiskHost } from '../server/src/service/model/diskHost';
import { doveconfInstalled, parseVerdict, runDoveconf } from './oracle/cases';

const FIXTURE_ROOT = path.join(__dirname, 'fixtures', 'debian-stock', 'dovecot.conf');
const SYSTEM_ROOT = '/etc/dovecot/dovecot.conf';

function assertNoAlarms(root: string): void {
  const analysis = getLanguageService(new DiskHost()).analyze(root);
  assert.ok(analysis.files.length >= 20, `the whole tree is read (${analysis.files.length} files)`);
  const alarms = analysis.diagnostics.filter((d) => d.level === 'error' || d.level === 'warning');
  assert.deepEqual(
    alarms.map(
      (d) => `${path.relative(path.dirname(root), d.file)}:${d.range.start.line + 1}: ${d.message} [${d.code}]`,
    ),
    [],
  );
}

test('the stock tree copy gives no error and no warning', () => assertNoAlarms(FIXTURE_ROOT));

test('the copy reads the includes of conf.d in glob order and knows the enabled protocols', () => {
  const analysis = getLanguageService(new DiskHost()).analyze(FIXTURE_ROOT);
  const confD = analysis.files.filter(
    (file) => file.includes(`${path.sep}conf.d${path.sep}`) && file.endsWith('.conf'),
  );
  assert.deepEqual(confD, [...confD].sort());
  assert.deepEqual(analysis.effective.value('protocols').value.split(' ').filter(Boolean), ['imap', 'lmtp', 'sieve']);
});

test('doveconf accepts the stock tree copy without warnings', (t) => {
  if (!doveconfInstalled()) {
    console.log('SKIPPED: doveconf not installed (Debian dovecot-core)');
    return t.skip('doveconf not installed');
  }
  const { output, rc } = runDoveconf(FIXTURE_ROOT);
  const verdict = parseVerdict(output, rc);
  assert.equal(verdict.rc, 0, output);
  assert.deepEqual(verdict.warnings, []);
});

test('the installed /etc/dovecot gives no error and no warning', (t) => {
  if (!existsSync(SYSTEM_ROOT)) {
    console.log('SKIPPED: /etc/dovecot/dovecot.conf not installed (Debian dovecot-core)');
    return t.skip('no /etc/dovecot');
  }
  assertNoAlarms(SYSTEM_ROOT);
});
