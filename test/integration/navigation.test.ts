// Hover, outline, go to definition and formatting through the vscode API, answered by the server.
import * as assert from 'assert';
import * as vscode from 'vscode';
import { fixtureUri, openDovecotDocument, waitForLanguage, writeWorkspaceFile } from './helpers';

const TEXT =
  'mail_plugins = quota\nprotocol lmtp {\nmail_plugins = $mail_plugins sieve\n}\nservice replicator {\n  process_min_avail = 1\n}\n';

function hoverText(hovers: vscode.Hover[]): string {
  return hovers
    .flatMap((hover) => hover.contents.map((content) => (typeof content === 'string' ? content : content.value)))
    .join('\n');
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
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>(
      'vscode.executeHoverProvider',
      uri,
      new vscode.Position(0, 3),
    );
    const text = hoverText(hovers);
    assert.match(text, /mail_plugins/);
    assert.match(text, /quota/, `hover: ${text}`);
  });

  test('hover on service replicator explains the service', async () => {
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>(
      'vscode.executeHoverProvider',
      uri,
      new vscode.Position(4, 10),
    );
    assert.match(hoverText(hovers), /replicat/i);
  });

  test('the outline lists sections with their settings', async () => {
    const symbols = await vscode.commands.executeCommand<vscode.DocumentSymbol[]>(
      'vscode.executeDocumentSymbolProvider',
      uri,
    );
    const names = symbols.map((symbol) => symbol.name);
    assert.deepStrictEqual(names, ['mail_plugins', 'protocol lmtp', 'service replicator']);
    assert.deepStrictEqual(
      symbols[2].children.map((child) => child.name),
      ['process_min_avail'],
    );
  });

  test('go to definition takes $mail_plugins to the global assignment', async () => {
    const locations = await vscode.commands.executeCommand<(vscode.Location | vscode.LocationLink)[]>(
      'vscode.executeDefinitionProvider',
      uri,
      new vscode.Position(2, 18),
    );
    assert.strictEqual(locations.length, 1);
    const first = locations[0];
    const range = 'range' in first ? first.range : first.targetRange;
    assert.strictEqual(range.start.line, 0);
  });

  test('formatting re-indents the protocol block and changes nothing else', async () => {
    const edits = await vscode.commands.executeCommand<vscode.TextEdit[]>('vscode.executeFormatDocumentProvider', uri, {
      tabSize: 2,
      insertSpaces: true,
    });
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
    await writeWorkspaceFile(
      messy,
      'service imap {\n     process_limit = 5\n  inet_listener imap {\n port = 143\n}\n}\n',
    );
    await openDovecotDocument(messy);
    // what VS Code guessed from this file (five spaces) is passed in; the server formats with two
    const edits = await vscode.commands.executeCommand<vscode.TextEdit[]>(
      'vscode.executeFormatDocumentProvider',
      messy,
      { tabSize: 5, insertSpaces: true },
    );
    const workspaceEdit = new vscode.WorkspaceEdit();
    workspaceEdit.set(messy, edits);
    assert.ok(await vscode.workspace.applyEdit(workspaceEdit));
    const formatted = vscode.workspace.textDocuments.find((d) => d.uri.toString() === messy.toString())!.getText();
    assert.strictEqual(
      formatted,
      'service imap {\n  process_limit = 5\n  inet_listener imap {\n    port = 143\n  }\n}\n',
    );
  });

  test('Format Selection re-indents the selected lines only', async () => {
    const partly = fixtureUri('cases', 'selection', 'dovecot.conf');
    await writeWorkspaceFile(partly, 'service imap {\nprocess_limit = 5\ninet_listener imap {\nport = 143\n}\n}\n');
    const editor = await openDovecotDocument(partly);
    const opened = editor.document;
    editor.selection = new vscode.Selection(2, 0, 4, 1);
    await vscode.commands.executeCommand('editor.action.formatSelection');
    assert.strictEqual(
      opened.getText(),
      'service imap {\nprocess_limit = 5\n  inet_listener imap {\n    port = 143\n  }\n}\n',
    );
  });

  test('expand selection steps from a value word out through the setting, each section body and section, to the file', async () => {
    const nested = fixtureUri('cases', 'expand', 'dovecot.conf');
    await writeWorkspaceFile(nested, 'service doveadm {\n  inet_listener {\n    port = 12345\n  }\n}\n');
    const editor = await openDovecotDocument(nested);
    editor.selection = new vscode.Selection(2, 12, 2, 12);
    const selected: string[] = [];
    for (let step = 0; step < 7; step++) {
      await vscode.commands.executeCommand('editor.action.smartSelect.expand');
      selected.push(editor.document.getText(editor.selection));
    }
    assert.deepStrictEqual(selected, [
      '12345',
      'port = 12345',
      '    port = 12345',
      'inet_listener {\n    port = 12345\n  }',
      '  inet_listener {\n    port = 12345\n  }',
      'service doveadm {\n  inet_listener {\n    port = 12345\n  }\n}',
      'service doveadm {\n  inet_listener {\n    port = 12345\n  }\n}\n',
    ]);
  });

  test('an include glob has one link (to its first file); go to definition and hover list every file', async () => {
    const root = fixtureUri('examples', 'replication', 'host-a', 'dovecot.conf');
    const rootDocument = (await openDovecotDocument(root)).document;
    const line = rootDocument
      .getText()
      .split('\n')
      .findIndex((text) => text.startsWith('!include conf.d/*.conf'));
    const links = (
      await vscode.commands.executeCommand<vscode.DocumentLink[]>('vscode.executeLinkProvider', root)
    ).filter((link) => link.range.start.line === line);
    assert.strictEqual(
      links.length,
      1,
      `links on the include line: ${links.map((link) => link.target?.path).join(', ')}`,
    );
    assert.ok(links[0].target?.path.endsWith('/host-a/conf.d/10-auth.conf'), links[0].target?.path);
    const locations = await vscode.commands.executeCommand<(vscode.Location | vscode.LocationLink)[]>(
      'vscode.executeDefinitionProvider',
      root,
      new vscode.Position(line, 12),
    );
    const files = locations.map((location) =>
      ('uri' in location ? location.uri : location.targetUri).path.split('/').pop(),
    );
    assert.deepStrictEqual(files, [
      '10-auth.conf',
      '10-mail.conf',
      '10-ssl.conf',
      '20-lmtp.conf',
      '90-plugin.conf',
      '90-replication.conf',
    ]);
    const hover = hoverText(
      await vscode.commands.executeCommand<vscode.Hover[]>(
        'vscode.executeHoverProvider',
        root,
        new vscode.Position(line, 12),
      ),
    );
    assert.match(
      hover,
      /Reads 6 files, in this order[\s\S]*1\. `conf\.d\/10-auth\.conf`[\s\S]*6\. `conf\.d\/90-replication\.conf`/,
      hover,
    );
  });

  test('go to definition and hover on $mail_plugins in 90-replication.conf use the value in effect when the line was read', async () => {
    const uri = fixtureUri('examples', 'replication', 'host-a', 'conf.d', '90-replication.conf');
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri), { preview: false });
    const position = new vscode.Position(1, 20);
    const locations = await vscode.commands.executeCommand<(vscode.Location | vscode.LocationLink)[]>(
      'vscode.executeDefinitionProvider',
      uri,
      position,
    );
    assert.deepStrictEqual(
      locations.map((location) =>
        ('uri' in location ? location.uri : location.targetUri).path.split('/').slice(-2).join('/'),
      ),
      ['conf.d/10-mail.conf'],
      'the global assignment, not protocol lmtp',
    );
    const hover = hoverText(
      await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', uri, position),
    );
    assert.match(hover, /Expands here to/);
    assert.doesNotMatch(hover, /Expands here to `[^`]*notify replication/, hover);
  });
  test('find all references on mail_plugins lists its assignments and the $mail_plugins reading them across the tree', async () => {
    const uri = fixtureUri('examples', 'replication', 'host-a', 'conf.d', '20-lmtp.conf');
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri), { preview: false });
    // The file becomes a dovecot document once the extension learns it belongs to the host's tree.
    await waitForLanguage(uri, 'dovecot');
    const locations = await vscode.commands.executeCommand<vscode.Location[]>(
      'vscode.executeReferenceProvider',
      uri,
      new vscode.Position(2, 4),
    );
    const places = locations.map(
      (location) =>
        `${location.uri.path.split('/').pop()}:${location.range.start.line}:${location.range.start.character}`,
    );
    assert.deepStrictEqual(places.sort(), [
      '10-mail.conf:5:0',
      '20-lmtp.conf:2:17',
      '20-lmtp.conf:2:2',
      '90-replication.conf:1:0',
      '90-replication.conf:1:15',
    ]);
  });

  test('workspace symbols find a setting in both hosts of the replication example', async () => {
    const symbols = await vscode.commands.executeCommand<vscode.SymbolInformation[]>(
      'vscode.executeWorkspaceSymbolProvider',
      'mail_replica',
    );
    const hosts = symbols
      .filter((symbol) => symbol.name === 'mail_replica' && symbol.location.uri.path.includes('/examples/replication/'))
      .map((symbol) => symbol.location.uri.path.split('/').slice(-3).join('/'));
    assert.deepStrictEqual(hosts.sort(), ['host-a/conf.d/90-plugin.conf', 'host-b/conf.d/90-plugin.conf']);
  });
});
