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

  test('activates without any file open, because the workspace contains a dovecot.conf', async () => {
    assert.equal(vscode.workspace.textDocuments.filter((document) => document.languageId === LANGUAGE_ID).length, 0);
    await waitForActivation(extension());
    const api = extension().exports as ExtensionApi;
    assert.ok(api.languageClient?.isRunning(), 'the language client should be running after activation');
  });

  test('a conf.d/*.conf file under a dovecot folder is dovecot by its name', async () => {
    await openDovecotDocument(fixtureUri('etc', 'dovecot', 'conf.d', '10-mail.conf'));
  });

  test('gives dovecot.conf the dovecot language', async () => {
    const editor = await openDovecotDocument(fixtureUri('etc', 'dovecot', 'dovecot.conf'));
    assert.equal(editor.document.languageId, LANGUAGE_ID);
  });
});
