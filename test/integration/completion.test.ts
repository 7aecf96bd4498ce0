// Context-aware completion through vscode.executeCompletionItemProvider.
import * as assert from 'assert';
import * as vscode from 'vscode';
import { completionLabels, fixtureUri, openDovecotDocument, writeWorkspaceFile } from './helpers';

const TEXT = 'protocols = imap\n\nservice aggregator {\n  \n}\n';
const TOP_LEVEL = new vscode.Position(1, 0);
const INSIDE_AGGREGATOR = new vscode.Position(3, 2);

suite('completion', () => {
  let uri: vscode.Uri;

  suiteSetup(async () => {
    uri = fixtureUri('cases', 'completion', 'dovecot.conf');
    await writeWorkspaceFile(uri, TEXT);
    await openDovecotDocument(uri);
  });

  test('offers top-level settings and sections at top level', async () => {
    const { server } = await completionLabels(uri, TOP_LEVEL);
    for (const expected of ['mail_plugins', 'service']) {
      assert.ok(server.includes(expected), `missing ${expected}; got ${server.slice(0, 40).join(', ')}`);
    }
  });

  test('offers service settings and listeners inside service aggregator', async () => {
    const { server } = await completionLabels(uri, INSIDE_AGGREGATOR);
    for (const expected of ['process_min_avail', 'unix_listener', 'fifo_listener', 'inet_listener']) {
      assert.ok(server.includes(expected), `missing ${expected}; got ${server.slice(0, 40).join(', ')}`);
    }
    assert.ok(!server.includes('mail_plugins'), 'a top-level setting must not be offered inside a service');
  });

  test('the documentation and detail of a setting arrive when VS Code resolves the item, and the item inserts the key', async () => {
    const list = await vscode.commands.executeCommand<vscode.CompletionList>(
      'vscode.executeCompletionItemProvider',
      uri,
      TOP_LEVEL,
      undefined,
      1000,
    );
    const item = list.items.find((candidate) => candidate.label === 'mail_debug');
    assert.ok(item, 'mail_debug offered');
    const documentation = item.documentation;
    const text = typeof documentation === 'string' ? documentation : documentation?.value;
    assert.ok(text?.includes('Default: `no`'), `documentation resolved: ${String(text)}`);
    assert.ok(item.detail?.includes('default no'), `detail resolved: ${String(item.detail)}`);
    const insert = item.textEdit?.newText ?? item.insertText;
    const inserted = typeof insert === 'string' ? insert : insert?.value;
    assert.ok(inserted?.startsWith('mail_debug'), `inserts the key: ${String(inserted)}`);
  });
});
