import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { Diagnostic } from 'vscode-languageserver-types';
import { unknownSettingFixes } from '../server/src/service/features/schemaFixes';
import { getLanguageService } from '../server/src/service/dovecotLanguageService';
import { diagnosticsForFile } from '../server/src/service/languageService';
import { MemoryHost } from '../server/src/service/model/host';
import { ROOT } from './helpers/cursor';

function setup(files: Record<string, string>) {
  const host = new MemoryHost(files);
  const service = getLanguageService(host);
  const analysis = service.analyze(ROOT);
  return { host, analysis, service };
}

function unknownSettingDiagnostics(files: Record<string, string>, file: string) {
  const { host, analysis, service } = setup(files);
  const diagnostics: Diagnostic[] = diagnosticsForFile(analysis, file)
    .filter((d) => d.code === 'unknown-setting')
    .map((d) => ({ range: d.range, message: d.message, code: d.code, data: d.data }));
  return { host, analysis, diagnostics, service };
}

function apply(
  text: string,
  file: string,
  edits: Record<string, { range: Diagnostic['range']; newText: string }[]>,
): string {
  return TextDocument.applyEdits(TextDocument.create(file, 'dovecot', 1, text), edits[file]);
}

describe('did-you-mean fix for unknown-setting', () => {
  it('replaces only the key with each close name, first preferred, and the result is clean', () => {
    const text = 'protocols = imap\nmail_locaton = maildir:~/Maildir # note\n';
    const { host, analysis, diagnostics } = unknownSettingDiagnostics({ [ROOT]: text }, ROOT);
    assert.equal(diagnostics.length, 1);
    const fixes = unknownSettingFixes({ analysis, diagnostic: diagnostics[0], file: ROOT, host });
    assert.ok(fixes.length >= 1);
    assert.equal(fixes[0].title, "Change to 'mail_location'");
    assert.equal(fixes[0].isPreferred, true);
    assert.ok(fixes.slice(1).every((fix) => !fix.isPreferred));
    const fixed = apply(text, ROOT, fixes[0].edits);
    assert.equal(fixed, 'protocols = imap\nmail_location = maildir:~/Maildir # note\n');
    const after = setup({ [ROOT]: fixed }).analysis.diagnostics.filter((d) => d.code === 'unknown-setting');
    assert.deepEqual(after, []);
  });

  it('works in a file included inside a service, with the service context', () => {
    const files = {
      [ROOT]: 'service imap {\n  !include conf.d/imap.conf\n}\n',
      '/etc/dovecot/conf.d/imap.conf': '  proces_limit = 4\n',
    };
    const { host, analysis, diagnostics } = unknownSettingDiagnostics(files, '/etc/dovecot/conf.d/imap.conf');
    assert.equal(diagnostics.length, 1);
    const fixes = unknownSettingFixes({
      analysis,
      diagnostic: diagnostics[0],
      file: '/etc/dovecot/conf.d/imap.conf',
      host,
    });
    assert.equal(fixes[0].title, "Change to 'process_limit'");
    assert.deepEqual(Object.keys(fixes[0].edits), ['/etc/dovecot/conf.d/imap.conf']);
    assert.equal(
      apply(files['/etc/dovecot/conf.d/imap.conf'], '/etc/dovecot/conf.d/imap.conf', fixes[0].edits),
      '  process_limit = 4\n',
    );
  });

  it('an unknown section type gets section names of its parent context', () => {
    const text = 'servce imap {\n}\n';
    const { host, analysis, diagnostics } = unknownSettingDiagnostics({ [ROOT]: text }, ROOT);
    assert.equal(diagnostics.length, 1);
    const fixes = unknownSettingFixes({ analysis, diagnostic: diagnostics[0], file: ROOT, host });
    assert.equal(apply(text, ROOT, fixes[0].edits), 'service imap {\n}\n');
  });

  it('no fix without a close name, and none when the text under the range changed', () => {
    const { host, analysis, diagnostics } = unknownSettingDiagnostics({ [ROOT]: 'zzzzqqqqxxxx = 1\n' }, ROOT);
    assert.deepEqual(unknownSettingFixes({ analysis, diagnostic: diagnostics[0], file: ROOT, host }), []);
    const stale = unknownSettingDiagnostics({ [ROOT]: 'mail_locaton = x\n' }, ROOT);
    const moved: Diagnostic = {
      ...stale.diagnostics[0],
      range: { start: { line: 0, character: 14 }, end: { line: 0, character: 20 } },
    };
    assert.deepEqual(
      unknownSettingFixes({ analysis: stale.analysis, diagnostic: moved, file: ROOT, host: stale.host }),
      [],
    );
  });

  it('no rename of a key holding a quote: the quote hides a later # from comment stripping', () => {
    // Found by the fuzz tier: `proto"cols` -> `protocols` turned `imap#x` into `imap` plus a comment.
    const { host, analysis, diagnostics } = unknownSettingDiagnostics({ [ROOT]: 'proto"cols = imap#x\n' }, ROOT);
    assert.equal(diagnostics.length, 1);
    assert.deepEqual(unknownSettingFixes({ analysis, diagnostic: diagnostics[0], file: ROOT, host }), []);
  });

  it('is listed in the quick-fix table (codeActions offers it before the suppression)', () => {
    const { host, analysis, diagnostics, service } = unknownSettingDiagnostics({ [ROOT]: 'mail_debgu = yes\n' }, ROOT);
    const titles = service.doQuickFixes(analysis, ROOT, diagnostics, host).map(({ fix }) => fix.title);
    assert.equal(titles[0], "Change to 'mail_debug'");
    assert.equal(titles[titles.length - 1], 'Ignore unknown-setting on this line');
  });
});
