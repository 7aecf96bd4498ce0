// The dovecot.* settings reach the server: a per-rule level override changes the published diagnostics.
import * as vscode from 'vscode';
import { fixtureUri, hasRule, lacksRule, openDovecotDocument, waitForDiagnostics, writeWorkspaceFile } from './helpers';

suite('settings', () => {
  let uri: vscode.Uri;

  suiteSetup(async () => {
    uri = fixtureUri('cases', 'settings', 'dovecot.conf');
    await writeWorkspaceFile(uri, 'protocols = imap\nfoo_bar = 1\n');
    await openDovecotDocument(uri);
    await waitForDiagnostics(uri, hasRule('unknown-setting'), 'unknown-setting before the override');
  });

  suiteTeardown(async () => {
    await vscode.workspace
      .getConfiguration('dovecot')
      .update('lint.rules', undefined, vscode.ConfigurationTarget.Workspace);
  });

  test('dovecot.lint.rules { "unknown-setting": "off" } removes the diagnostic, and removing the override brings it back', async () => {
    await vscode.workspace
      .getConfiguration('dovecot')
      .update('lint.rules', { 'unknown-setting': 'off' }, vscode.ConfigurationTarget.Workspace);
    await waitForDiagnostics(uri, lacksRule('unknown-setting'), 'unknown-setting switched off');
    await vscode.workspace
      .getConfiguration('dovecot')
      .update('lint.rules', undefined, vscode.ConfigurationTarget.Workspace);
    await waitForDiagnostics(uri, hasRule('unknown-setting'), 'unknown-setting back after removing the override');
  });
});
