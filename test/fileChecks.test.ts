// `key = <file` (FACTS §1.6): doveconf -n does not read it, so a missing file is information only.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { analyzeFiles, brief, withCode } from './helpers/analyze';

test('a missing <file is an information note on the path, relative to the including file', () => {
  const analysis = analyzeFiles({
    '/etc/dovecot/dovecot.conf': '!include conf.d/10-ssl.conf\n',
    '/etc/dovecot/conf.d/10-ssl.conf': 'ssl_cert = <certs/cert.pem\n',
  });
  const [note] = withCode(analysis, 'file-value-missing');
  assert.equal(note.level, 'information');
  assert.equal(note.file, '/etc/dovecot/conf.d/10-ssl.conf');
  assert.deepEqual(note.range, { start: { line: 0, character: 12 }, end: { line: 0, character: 26 } });
  assert.ok(!analysis.diagnostics.some((d) => d.level === 'error' || d.level === 'warning'));
});

test('an existing <file gives nothing, absolute or relative', () => {
  const files = {
    '/etc/dovecot/dovecot.conf': 'ssl_cert = </etc/ssl/c.pem\ndoveadm_password = < pw.txt\n',
    '/etc/ssl/c.pem': 'x',
    '/etc/dovecot/pw.txt': 'secret\n',
  };
  assert.deepEqual(brief(analyzeFiles(files), 'file-value-missing'), []);
});
