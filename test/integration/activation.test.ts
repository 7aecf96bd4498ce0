// Runs first in a fresh extension host: nothing has activated the extension before these tests.
import * as assert from 'assert';
import * as vscode from 'vscode';
import { extension, fixtureUri, LANGUAGE_ID, openDovecotDocument, waitForActivation } from './helpers';

interface ExtensionApi {
  languageClient?: { isRunning(): boolean };
}

suite('activation and language', () => {
  test('registers the dovecot language', async () => {
    const languages = await vscode.languages.getLanguages();
    assert.ok(languages.includes(LANGUAGE_ID), `languages: ${languages.join(', ')}`);
  });

  test('does not take over a plain foo.conf outside a dovecot folder', async () => {
    const document = await vscode.workspace.openTextDocument(fixtureUri('other', 'foo.conf'));
    await vscode.window.showTextDocument(document);
    assert.notEqual(document.languageId, LANGUAGE_ID);
    assert.equal(extension().isActive, false, 'opening foo.conf must not activate the extension');
  });

  test('activates on a conf.d/*.conf file', async () => {
    await openDovecotDocument(fixtureUri('etc', 'dovecot', 'conf.d', '10-mail.conf'));
    await waitForActivation(extension());
    const api = extension().exports as ExtensionApi;
    assert.ok(api.languageClient?.isRunning(), 'the language client should be running after activation');
  });

  test('gives dovecot.conf the dovecot language', async () => {
    const editor = await openDovecotDocument(fixtureUri('etc', 'dovecot', 'dovecot.conf'));
    assert.equal(editor.document.languageId, LANGUAGE_ID);
  });
});
