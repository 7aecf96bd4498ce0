// Files of an include tree get the dovecot language from the server's analysis, whatever their path:
// the bundled example has no `dovecot/` folder, so its conf.d files open as Properties by name.
import * as assert from 'assert';
import * as vscode from 'vscode';
import {
  completionLabels,
  extension,
  fixtureUri,
  hasRule,
  hoverText,
  LANGUAGE_ID,
  lineOf,
  quickFixesAt,
  ruleOf,
  waitForActivation,
  waitForDiagnostics,
  waitForLanguage,
  writeWorkspaceFile,
} from './helpers';

interface ExtensionApi {
  treeLanguage: { onDidCheck: vscode.Event<vscode.TextDocument> };
}

/** Opens a file and resolves once the extension has examined it (whatever it decided). */
async function openAndExamine(uri: vscode.Uri): Promise<vscode.TextDocument> {
  const api = extension().exports as ExtensionApi;
  const examined = new Promise<void>((resolve) => {
    const subscription = api.treeLanguage.onDidCheck((document) => {
      if (document.uri.toString() !== uri.toString()) return;
      subscription.dispose();
      resolve();
    });
  });
  const document = await vscode.workspace.openTextDocument(uri);
  await vscode.window.showTextDocument(document, { preview: false });
  await examined;
  return vscode.workspace.textDocuments.find((open) => open.uri.toString() === uri.toString()) ?? document;
}

const example = (...segments: string[]): vscode.Uri => fixtureUri('examples', 'replication', 'host-a', ...segments);

suite('language of included files', () => {
  suiteSetup(() => waitForActivation(extension()));

  test('a conf.d file of the example tree (no dovecot/ folder in its path) becomes dovecot', async () => {
    const uri = example('conf.d', '90-replication.conf');
    const opened = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(opened, { preview: false });
    const document = await waitForLanguage(uri, LANGUAGE_ID);
    assert.equal(document.languageId, LANGUAGE_ID);
  });

  test('the switched file gets hover, completion and quick fixes', async () => {
    const uri = example('conf.d', '90-replication.conf');
    const document = await waitForLanguage(uri, LANGUAGE_ID);
    const line = lineOf(document, 'process_min_avail');
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>(
      'vscode.executeHoverProvider',
      uri,
      new vscode.Position(line, 4),
    );
    assert.match(hoverText(hovers), /process_min_avail/, 'hover on process_min_avail');

    const { server } = await completionLabels(uri, new vscode.Position(line, 2));
    assert.ok(
      server.includes('process_limit'),
      `service settings offered inside service replicator: ${server.slice(0, 20).join(', ')}`,
    );

    const diagnostics = await waitForDiagnostics(
      uri,
      hasRule('aggregator-fifo-permissions'),
      'the fifo permission error',
    );
    const fifo = diagnostics.find((diagnostic) => ruleOf(diagnostic) === 'aggregator-fifo-permissions')!;
    const fixes = await quickFixesAt(uri, fifo.range);
    assert.ok(
      fixes.some((fix) => fix.title.includes('user')),
      `quick fixes: ${fixes.map((fix) => fix.title).join(' | ') || '(none)'}`,
    );
  });

  test('an included file opened before its root was analysed is switched too (.conf.ext under any folder)', async () => {
    const root = fixtureUri('roles', 'mail', 'files', 'dovecot.conf');
    const ext = fixtureUri('roles', 'mail', 'files', 'auth-sql.conf.ext');
    await writeWorkspaceFile(ext, 'passdb {\n  driver = sql\n}\n');
    await writeWorkspaceFile(root, 'protocols = imap\n!include auth-sql.conf.ext\n');
    await openAndExamine(ext);
    const document = await waitForLanguage(ext, LANGUAGE_ID);
    assert.equal(document.languageId, LANGUAGE_ID);
  });

  test('a .conf file that no tree includes keeps its language', async () => {
    const document = await openAndExamine(fixtureUri('other', 'foo.conf'));
    assert.notEqual(document.languageId, LANGUAGE_ID);
  });

  test("the user's own language choice for an included file is kept", async () => {
    const uri = example('conf.d', '10-mail.conf');
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri), { preview: false });
    const dovecot = await waitForLanguage(uri, LANGUAGE_ID);
    const examinedAsPlaintext = (): Promise<void> =>
      new Promise((resolve) => {
        const subscription = (extension().exports as ExtensionApi).treeLanguage.onDidCheck((document) => {
          if (document.uri.toString() !== uri.toString() || document.languageId !== 'plaintext') return;
          subscription.dispose();
          resolve();
        });
      });
    const first = examinedAsPlaintext();
    await vscode.languages.setTextDocumentLanguage(dovecot, 'plaintext');
    await first;
    // the next analysis of the tree (an edit of its root) examines the file again and must leave it alone
    const again = examinedAsPlaintext();
    const root = await vscode.workspace.openTextDocument(example('dovecot.conf'));
    const edit = new vscode.WorkspaceEdit();
    edit.insert(root.uri, new vscode.Position(0, 0), '# edited\n');
    assert.ok(await vscode.workspace.applyEdit(edit));
    await again;
    assert.equal(
      vscode.workspace.textDocuments.find((document) => document.uri.toString() === uri.toString())?.languageId,
      'plaintext',
    );
    const undo = new vscode.WorkspaceEdit();
    undo.delete(root.uri, new vscode.Range(0, 0, 1, 0));
    assert.ok(await vscode.workspace.applyEdit(undo));
  });
});
