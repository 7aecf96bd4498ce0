// Quick fixes listed by vscode.executeCodeActionProvider, applied as the lightbulb would.
import * as assert from 'assert';
import * as vscode from 'vscode';
import {
  applyCodeAction,
  extension,
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

interface LspCodeAction {
  title: string;
  isPreferred?: boolean;
  edit?: {
    documentChanges?: { textDocument: { uri: string }; edits: { annotationId?: string }[] }[];
    changeAnnotations?: Record<string, { needsConfirmation?: boolean }>;
  };
}
interface ClientApi {
  languageClient?: { sendRequest<R>(method: string, params: unknown): Promise<R> };
}

/**
 * The annotations of a quick fix as the server sends them to this VS Code client (the API's CodeAction
 * drops edit metadata): for each edited file, whether every edit of it needs confirmation.
 */
async function confirmationByFile(
  uri: vscode.Uri,
  diagnostic: vscode.Diagnostic,
  title: string,
): Promise<Record<string, boolean>> {
  const client = (extension().exports as ClientApi).languageClient;
  assert.ok(client, 'the language client runs');
  const range = {
    start: { line: diagnostic.range.start.line, character: diagnostic.range.start.character },
    end: { line: diagnostic.range.end.line, character: diagnostic.range.end.character },
  };
  const actions = await client.sendRequest<LspCodeAction[]>('textDocument/codeAction', {
    textDocument: { uri: uri.toString() },
    range,
    context: {
      diagnostics: [{ range, code: ruleOf(diagnostic), message: diagnostic.message, severity: 1, source: 'dovecot' }],
    },
  });
  const action = actions.find((candidate) => candidate.title === title);
  assert.ok(
    action?.edit?.documentChanges,
    `"${title}" comes as document changes with annotations: ${JSON.stringify(action)}`,
  );
  const annotations = action.edit.changeAnnotations ?? {};
  return Object.fromEntries(
    action.edit.documentChanges.map((change) => [
      vscode.Uri.parse(change.textDocument.uri).path,
      change.edits.every(
        (edit) => edit.annotationId !== undefined && annotations[edit.annotationId]?.needsConfirmation === true,
      ),
    ]),
  );
}

suite('quick fixes across the replication pair', () => {
  const hostA = (...segments: string[]) => fixtureUri('examples', 'replication', 'host-a', ...segments);
  const hostB = (...segments: string[]) => fixtureUri('examples', 'replication', 'host-b', ...segments);

  test('a tcp/tcps mismatch offers the TLS fix first and prefers only it', async () => {
    const uri = hostA('conf.d', '90-plugin.conf');
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri), { preview: false });
    const diagnostic = await diagnosticFor(uri, 'peer-transport-mismatch');
    const fixes = await quickFixesAt(uri, diagnostic.range);
    const titles = fixes.map((fix) => `${fix.title}${fix.isPreferred ? ' [preferred]' : ''}`);
    assert.match(titles[0] ?? '', /^Use tcps: in mail_replica.*\[preferred\]$/, titles.join(' | '));
    assert.equal(fixes.filter((fix) => fix.isPreferred).length, 1, titles.join(' | '));
    const unencrypted = fixes.findIndex((fix) => fix.title.includes('ssl = no'));
    assert.ok(unencrypted > 0 && !fixes[unencrypted].isPreferred, titles.join(' | '));
  });

  test("a fix that changes the peer's file names it and needs confirmation before it is written", async () => {
    const uri = hostA('conf.d', '90-plugin.conf');
    const diagnostic = await diagnosticFor(uri, 'peer-transport-mismatch');
    const fixes = await quickFixesAt(uri, diagnostic.range);
    const onPeer = fixes.find((fix) => fix.title.includes("peer's doveadm listener"));
    assert.ok(onPeer, `no fix on the peer: ${fixes.map((fix) => fix.title).join(' | ')}`);
    assert.ok(onPeer.title.endsWith('(in examples/replication/host-b/conf.d/90-replication.conf)'), onPeer.title);
    const peerFile = hostB('conf.d', '90-replication.conf').path;
    assert.deepEqual(await confirmationByFile(uri, diagnostic, onPeer.title), { [peerFile]: true });

    const tls = fixes.find((fix) => fix.title.startsWith('Use tcps:'));
    assert.ok(tls, 'the TLS fix');
    // it also sets ssl = yes in this host's other file: that edit is shown first too, the one in this file is not
    assert.deepEqual(await confirmationByFile(uri, diagnostic, tls.title), {
      [uri.path]: false,
      [hostA('conf.d', '90-replication.conf').path]: true,
    });
  });
});
