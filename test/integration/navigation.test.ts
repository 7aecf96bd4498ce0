// Hover, outline, go to definition and formatting through the vscode API, answered by the server.
import * as assert from 'assert';
import * as vscode from 'vscode';
import { fixtureUri, openDovecotDocument, writeWorkspaceFile } from './helpers';

const TEXT = 'mail_plugins = quota\nprotocol lmtp {\nmail_plugins = $mail_plugins sieve\n}\nservice replicator {\n  process_min_avail = 1\n}\n';

function hoverText(hovers: vscode.Hover[]): string {
  return hovers.flatMap((hover) => hover.contents.map((content) => (typeof content === 'string' ? content : content.value))).join('\n');
}

suite('hover, outline, definition, formatting', () => {
  let uri: vscode.Uri;
  let document: vscode.TextDocument;

  suiteSetup(async () => {
    uri = fixtureUri('cases', 'navigation', 'dovecot.conf');
    await writeWorkspaceFile(uri, TEXT);
    document = (await openDovecotDocument(uri)).document;
  });

  test('hover on a key shows its type and the value in effect', async () => {
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', uri, new vscode.Position(0, 3));
    const text = hoverText(hovers);
    assert.match(text, /mail_plugins/);
    assert.match(text, /quota/, `hover: ${text}`);
  });

  test('hover on service replicator explains the service', async () => {
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', uri, new vscode.Position(4, 10));
    assert.match(hoverText(hovers), /replicat/i);
  });

  test('the outline lists sections with their settings', async () => {
    const symbols = await vscode.commands.executeCommand<vscode.DocumentSymbol[]>('vscode.executeDocumentSymbolProvider', uri);
    const names = symbols.map((symbol) => symbol.name);
    assert.deepStrictEqual(names, ['mail_plugins', 'protocol lmtp', 'service replicator']);
    assert.deepStrictEqual(symbols[2].children.map((child) => child.name), ['process_min_avail']);
  });

  test('go to definition takes $mail_plugins to the global assignment', async () => {
    const locations = await vscode.commands.executeCommand<(vscode.Location | vscode.LocationLink)[]>('vscode.executeDefinitionProvider', uri, new vscode.Position(2, 18));
    assert.strictEqual(locations.length, 1);
    const first = locations[0];
    const range = 'range' in first ? first.range : first.targetRange;
    assert.strictEqual(range.start.line, 0);
  });

  test('formatting re-indents the protocol block and changes nothing else', async () => {
    const edits = await vscode.commands.executeCommand<vscode.TextEdit[]>('vscode.executeFormatDocumentProvider', uri, { tabSize: 2, insertSpaces: true });
    const workspaceEdit = new vscode.WorkspaceEdit();
    workspaceEdit.set(uri, edits);
    assert.ok(await vscode.workspace.applyEdit(workspaceEdit));
    assert.strictEqual(document.getText(), TEXT.replace('\nmail_plugins = $mail', '\n  mail_plugins = $mail'));
  });

  test('dovecot files default to two spaces, and formatting a messy file ignores the editor guess', async () => {
    const editorSettings = vscode.workspace.getConfiguration('editor', { languageId: 'dovecot' });
    assert.strictEqual(editorSettings.get('tabSize'), 2);
    assert.strictEqual(editorSettings.get('insertSpaces'), true);
    const messy = fixtureUri('cases', 'messy', 'dovecot.conf');
    await writeWorkspaceFile(messy, 'service imap {\n     process_limit = 5\n  inet_listener imap {\n port = 143\n}\n}\n');
    await openDovecotDocument(messy);
    // what VS Code guessed from this file (five spaces) is passed in; the server formats with two
    const edits = await vscode.commands.executeCommand<vscode.TextEdit[]>('vscode.executeFormatDocumentProvider', messy, { tabSize: 5, insertSpaces: true });
    const workspaceEdit = new vscode.WorkspaceEdit();
    workspaceEdit.set(messy, edits);
    assert.ok(await vscode.workspace.applyEdit(workspaceEdit));
    const formatted = vscode.workspace.textDocuments.find((d) => d.uri.toString() === messy.toString())!.getText();
    assert.strictEqual(formatted, 'service imap {\n  process_limit = 5\n  inet_listener imap {\n    port = 143\n  }\n}\n');
  });
});
