// Findings as LSP diagnostics (lspDiagnostics.ts): ours with severity, rule link and tag; doveconf's on its line.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DiagnosticSeverity, DiagnosticTag } from 'vscode-languageserver-types';
import { doveconfDiagnostic, toLspDiagnostic } from '../server/src/lspDiagnostics';
import { getLanguageService } from '../server/src/service/dovecotLanguageService';
import { MemoryHost } from '../server/src/service/model/host';

const ROOT = '/etc/dovecot/dovecot.conf';

test('a finding becomes an LSP diagnostic with its severity and, when known, the link to its rule', () => {
  const finding = {
    code: 'ambiguous-comment' as const,
    level: 'warning' as const,
    file: ROOT,
    range: { start: { line: 0, character: 0 }, end: { line: 0, character: 1 } },
    message: 'm',
  };
  const plain = toLspDiagnostic(finding);
  assert.equal(plain.severity, DiagnosticSeverity.Warning);
  assert.equal(plain.codeDescription, undefined);
  const linked = toLspDiagnostic(
    finding,
    (file) => `file://${file}`,
    new Map([['ambiguous-comment', 'file:///README.md#L9']]),
  );
  assert.deepEqual(linked.codeDescription, { href: 'file:///README.md#L9' });
});

test('a diagnostic on a setting Dovecot dropped is struck through, on text Dovecot ignores faded out', () => {
  const host = new MemoryHost({
    [ROOT]: 'ssl_protocols = TLSv1.2\nplugin {\n  mail_debug = yes\n}\nmail_locaton = maildir:~/Maildir\n',
  });
  const analysis = getLanguageService(host).analyze(ROOT);
  const tags = Object.fromEntries(
    analysis.diagnostics.map((diagnostic) => [diagnostic.code, toLspDiagnostic(diagnostic).tags]),
  );
  assert.deepEqual(tags, {
    'obsolete-setting': [DiagnosticTag.Deprecated],
    'setting-ignored-in-plugin': [DiagnosticTag.Unnecessary],
    'unknown-setting': undefined,
  });
});

test("doveconf's finding covers the line it names; one that names no line is on the first and says so", () => {
  const text = 'protocols = imap\r\nmail_plugins = quota\n';
  const named = doveconfDiagnostic({ file: ROOT, line: 1, severity: 'error', message: 'Unknown plugin' }, text);
  assert.deepEqual(named, {
    range: { start: { line: 1, character: 0 }, end: { line: 1, character: 20 } },
    severity: DiagnosticSeverity.Error,
    source: 'doveconf',
    message: 'Unknown plugin',
  });
  const unnamed = doveconfDiagnostic({ file: ROOT, line: undefined, severity: 'warning', message: 'Obsolete' }, text);
  assert.deepEqual(unnamed.range, { start: { line: 0, character: 0 }, end: { line: 0, character: 16 } });
  assert.equal(unnamed.severity, DiagnosticSeverity.Warning);
  assert.equal(unnamed.message, 'Obsolete (doveconf names no line)');
  assert.equal(
    doveconfDiagnostic({ file: ROOT, line: 9, severity: 'error', message: 'x' }, text).range.end.character,
    0,
  );
});
