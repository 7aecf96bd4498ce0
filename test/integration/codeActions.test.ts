// Quick fixes listed by vscode.executeCodeActionProvider, applied as the lightbulb would.
import * as assert from 'assert';
import * as vscode from 'vscode';
import {
  applyCodeAction,
  fixtureUri,
  hasRule,
  lacksRule,
  lineOf,
  openDovecotDocument,
  quickFixesAt,
  replaceLine,
  ruleOf,
  setDocumentText,
  waitForDiagnostics,
  writeWorkspaceFile,
} from './helpers';

async function diagnosticFor(uri: vscode.Uri, rule: string): Promise<vscode.Diagnostic> {
  const diagnostics = await waitForDiagnostics(uri, hasRule(rule), `a ${rule} diagnostic`);
  return diagnostics.find((d) => ruleOf(d) === rule)!;
}

suite('code actions', () => {
  test('the "Ignore <rule> on this line" quick fix removes its diagnostic', async () => {
    const uri = fixtureUri('cases', 'suppress', 'dovecot.conf');
    await writeWorkspaceFile(uri, 'protocols = imap\nfoo = bar\n');
    await openDovecotDocument(uri);
    const diagnostic = await diagnosticFor(uri, 'unknown-setting');

    const fixes = await quickFixesAt(uri, diagnostic.range);
    const ignore = fixes.find((a) => a.title.startsWith('Ignore'));
    assert.ok(ignore, `no "Ignore ..." quick fix; offered: ${fixes.map((a) => a.title).join(' | ') || '(none)'}`);
    await applyCodeAction(ignore);
    await waitForDiagnostics(uri, lacksRule('unknown-setting'), 'the suppressed diagnostic to go away');
  });

  test('the replication-notify-missing quick fix adds notify to mail_plugins', async () => {
    const uri = fixtureUri('etc', 'dovecot', 'conf.d', '10-mail.conf');
    const editor = await openDovecotDocument(uri);
    const original = editor.document.getText();
    try {
      const pluginsLine = lineOf(editor.document, 'mail_plugins');
      await replaceLine(editor.document, pluginsLine, 'mail_plugins = $mail_plugins replication');
      const diagnostic = await diagnosticFor(uri, 'replication-notify-missing');
      assert.equal(diagnostic.range.start.line, pluginsLine, 'reported on the mail_plugins line');

      const fixes = (await quickFixesAt(uri, diagnostic.range)).filter((a) => !a.title.startsWith('Ignore'));
      const fix = fixes.find((a) => a.diagnostics?.some((d) => ruleOf(d) === 'replication-notify-missing')) ?? fixes[0];
      assert.ok(fix, 'no quick fix (other than Ignore) for replication-notify-missing');
      await applyCodeAction(fix);
      await waitForDiagnostics(uri, lacksRule('replication-notify-missing'), 'the fixed diagnostic to go away');
      const fixedLine = editor.document.lineAt(pluginsLine).text;
      assert.match(fixedLine, /\bnotify\b/, `fixed line: ${fixedLine}`);
      assert.match(fixedLine, /\breplication\b/, `fixed line: ${fixedLine}`);
    } finally {
      await setDocumentText(editor.document, original);
    }
  });
});
