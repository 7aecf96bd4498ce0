// The project file in a real VS Code: the contributed JSON schema validates and completes it.
import * as assert from 'assert';
import * as vscode from 'vscode';
import { fixtureUri, waitForDiagnostics, writeWorkspaceFile } from './helpers';

suite('project file (.dovecot-lint.json)', () => {
  test('the schema reports an unknown rule id and completes rule ids', async () => {
    const uri = fixtureUri('cases', 'project', '.dovecot-lint.json');
    await writeWorkspaceFile(uri, '{\n  "rules": { "no-such-rule": "off", "": "off" }\n}\n');
    const document = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(document);
    assert.equal(document.languageId, 'json');
    await waitForDiagnostics(
      uri,
      (list) => list.some((d) => document.getText(d.range).includes('no-such-rule')),
      'a schema diagnostic on the unknown rule id',
    );
    const position = new vscode.Position(1, document.lineAt(1).text.indexOf('"": "off"') + 1);
    const completions = await vscode.commands.executeCommand<vscode.CompletionList>(
      'vscode.executeCompletionItemProvider',
      uri,
      position,
    );
    const labels = completions.items.map((item) => (typeof item.label === 'string' ? item.label : item.label.label));
    assert.ok(
      labels.some((label) => label.includes('replication-notify-missing')),
      `rule ids not offered: ${labels.slice(0, 20).join(', ')}`,
    );
  });
});
