// The real doveconf's verdict mapped to files and lines. Cases run the installed doveconf when it is
// there; the captured lines below are Dovecot 2.3.19's own (data/dovecot/doveconf-2.3.19-error-cases.txt).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseDoveconfOutput } from '../server/src/service/live/doveconfFindings';
import { checkWithDoveconf } from '../server/src/live/doveconfCheck';

const DOVECONF = '/usr/bin/doveconf';
const noDoveconf = existsSync(DOVECONF) ? false : 'SKIPPED: doveconf not installed (apt-get install dovecot-core)';

async function verdict(files: Record<string, string>) {
  const dir = mkdtempSync(join(tmpdir(), 'doveconf-findings-'));
  try {
    for (const [name, text] of Object.entries(files)) {
      mkdirSync(join(dir, name, '..'), { recursive: true });
      writeFileSync(join(dir, name), text);
    }
    const outcome = await checkWithDoveconf(join(dir, 'dovecot.conf'), { doveconfPath: DOVECONF });
    assert.ok(outcome.ok, 'doveconf ran');
    return {
      dir,
      findings: outcome.findings.map((f) => ({ ...f, file: f.file.slice(dir.length + 1) })),
      cleanup: () => rmSync(dir, { recursive: true, force: true }),
    };
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
}

test('a Fatal error in an included file lands on that file and line', { skip: noDoveconf }, async () => {
  const { findings, cleanup } = await verdict({
    'dovecot.conf': '!include conf.d/*.conf\n',
    'conf.d/10-mail.conf': '# mail\n\nmail_debug = maybe\n',
  });
  cleanup();
  assert.deepEqual(findings, [
    {
      file: 'conf.d/10-mail.conf',
      line: 2,
      severity: 'error',
      message: 'Invalid boolean value: maybe (use yes or no)',
    },
  ]);
});

test(
  "Missing '}' is reported where the section started; a service check names no line",
  { skip: noDoveconf },
  async () => {
    const missing = await verdict({
      'dovecot.conf': '!include conf.d/*.conf\n',
      'conf.d/10-a.conf': 'mail_debug = no\nservice imap {\n',
    });
    missing.cleanup();
    assert.equal(missing.findings.length, 1);
    assert.equal(missing.findings[0].file, 'conf.d/10-a.conf');
    assert.equal(missing.findings[0].line, 1);
    const service = await verdict({ 'dovecot.conf': 'service replicator {\n  process_limit = 2\n}\n' });
    service.cleanup();
    assert.deepEqual(service.findings, [
      {
        file: 'dovecot.conf',
        line: undefined,
        severity: 'error',
        message: 'service(replicator): process_limit must be 1',
      },
    ]);
  },
);

test('a config doveconf accepts gives no finding', { skip: noDoveconf }, async () => {
  const { findings, cleanup } = await verdict({ 'dovecot.conf': 'mail_debug = yes\n' });
  cleanup();
  assert.deepEqual(findings, []);
});

test('warnings with and without "Configuration file", repeated lines once, relative paths from the root directory', () => {
  const stderr = [
    "doveconf: Warning: Configuration file a02_comment.conf line 2: Ambiguous '#' character in line, treating it as comment. Add a space before it to remove this warning.",
    "doveconf: Warning: Configuration file a02_comment.conf line 2: Ambiguous '#' character in line, treating it as comment. Add a space before it to remove this warning.",
    "doveconf: Warning: f06.conf line 4: Global setting mail_debug won't change the setting inside an earlier filter at f06.conf line 2 (if this is intentional, avoid this warning by moving the global setting before f06.conf line 2)",
    'doveconf: Fatal: open(/etc/x/dovecot.conf) failed: Permission denied',
  ].join('\n');
  const findings = parseDoveconfOutput(stderr, '/etc/x/dovecot.conf');
  assert.deepEqual(
    findings.map((f) => [f.file, f.line, f.severity]),
    [
      ['/etc/x/a02_comment.conf', 1, 'warning'],
      ['/etc/x/f06.conf', 3, 'warning'],
      ['/etc/x/dovecot.conf', undefined, 'error'],
    ],
  );
});

test('a doveconf that is not there is a failure that says so', async () => {
  const outcome = await checkWithDoveconf('/etc/dovecot/dovecot.conf', { doveconfPath: '/nonexistent/doveconf' });
  assert.equal(outcome.ok, false);
  assert.match(!outcome.ok ? outcome.failure.what : '', /\/nonexistent\/doveconf was not found on this machine/);
});
