// Dovecot: Show Effective Configuration in the real extension host: the command opens a read-only (content provider),
// highlighted virtual document with the tree's settings in effect, and it follows unsaved edits.
import * as assert from 'assert';
import * as vscode from 'vscode';
import {
  EVENT_TIMEOUT_MS,
  fixtureUri,
  openDovecotDocument,
  replaceLine,
  setDocumentText,
  waitForOpenDocument,
} from './helpers';

const SCHEME = 'dovecot-effective';

function effectiveDocument(): vscode.TextDocument | undefined {
  return vscode.workspace.textDocuments.find((document) => document.uri.scheme === SCHEME);
}

/** Resolves once the open effective document's text satisfies `predicate` (now or after a change event). */
function waitForEffectiveText(predicate: (text: string) => boolean, what: string): Promise<vscode.TextDocument> {
  return new Promise((resolve, reject) => {
    const check = (): boolean => {
      const document = effectiveDocument();
      if (!document || !predicate(document.getText())) return false;
      finish();
      resolve(document);
      return true;
    };
    const opened = vscode.workspace.onDidOpenTextDocument(() => check());
    const changed = vscode.workspace.onDidChangeTextDocument((event) => {
      if (event.document.uri.scheme === SCHEME) check();
    });
    const timer = setTimeout(() => {
      finish();
      reject(
        new Error(`timed out waiting for ${what}; effective text:\n${effectiveDocument()?.getText() ?? '(not open)'}`),
      );
    }, EVENT_TIMEOUT_MS);
    const finish = (): void => {
      clearTimeout(timer);
      opened.dispose();
      changed.dispose();
    };
    check();
  });
}

suite('show effective configuration', () => {
  let mail: vscode.TextEditor;
  let original: string;

  suiteSetup(async () => {
    mail = await openDovecotDocument(fixtureUri('etc', 'dovecot', 'conf.d', '10-mail.conf'));
    original = mail.document.getText();
  });

  suiteTeardown(async () => {
    if (mail.document.getText() !== original) await setDocumentText(mail.document, original);
  });

  test('the command is contributed with its palette title', () => {
    const commands = (
      vscode.extensions.getExtension('dovecot-tooling.dovecot-lsp')?.packageJSON as {
        contributes: { commands: { command: string; title: string; category: string }[] };
      }
    ).contributes.commands;
    const command = commands.find((entry) => entry.command === 'dovecot.showEffectiveConfig');
    assert.deepStrictEqual(command && `${command.category}: ${command.title}`, 'Dovecot: Show Effective Configuration');
  });

  test('opens a read-only dovecot document with the merged tree and where each value was set', async () => {
    await vscode.commands.executeCommand('dovecot.showEffectiveConfig');
    const document = await waitForEffectiveText(
      (text) => text.includes('mail_location = maildir:~/Maildir # conf.d/10-mail.conf:1'),
      'the effective configuration',
    );
    assert.strictEqual(document.languageId, 'dovecot');
    const text = document.getText();
    assert.match(
      text,
      /^doveadm_password = # hidden: "Reveal Secrets" in the title bar shows it # conf\.d\/30-dsync\.conf:\d+$/m,
    );
    assert.doesNotMatch(text, /--show-secrets/, 'no command-line flag in the editor');
    assert.doesNotMatch(text, /secret-shared-by-both-hosts/);
    assert.match(text, /^service doveadm \{ # conf\.d\/30-dsync\.conf:\d+$/m);
    assert.match(text, /^mail_plugins = " notify replication" # conf\.d\/10-mail\.conf:5$/m);
    const shown = vscode.window.visibleTextEditors.some((editor) => editor.document.uri.scheme === SCHEME);
    assert.ok(shown, 'the effective document is shown in an editor');
    // Content-provider documents are read-only in the editor UI (typing is refused); the API's applyEdit
    // still reaches the model, so there is nothing to assert here beyond the scheme.
    assert.strictEqual(document.uri.scheme, SCHEME);
  });

  test('follows an unsaved edit of an included file, then its undoing', async () => {
    await replaceLine(mail.document, 0, 'mail_location = mdbox:~/mdbox');
    await waitForEffectiveText(
      (text) => text.includes('mail_location = mdbox:~/mdbox # conf.d/10-mail.conf:1'),
      'the edited mail_location',
    );
    await setDocumentText(mail.document, original);
    await waitForEffectiveText(
      (text) => text.includes('mail_location = maildir:~/Maildir # conf.d/10-mail.conf:1'),
      'the restored mail_location',
    );
  });

  test('each # file:line note is a link to that line of that file', async () => {
    const document = await waitForEffectiveText(
      (text) => text.includes('# conf.d/10-mail.conf:1'),
      'the effective configuration',
    );
    const links = await vscode.commands.executeCommand<vscode.DocumentLink[]>(
      'vscode.executeLinkProvider',
      document.uri,
    );
    const line = document
      .getText()
      .split('\n')
      .findIndex((text) => text.startsWith('mail_location = maildir:~/Maildir # conf.d/10-mail.conf:1'));
    const link = links.find((candidate) => candidate.range.start.line === line);
    assert.ok(
      link?.target,
      `no link on line ${line + 1}; links on lines ${links.map((l) => l.range.start.line + 1).join(', ')}`,
    );
    assert.strictEqual(document.getText(link.range), 'conf.d/10-mail.conf:1');
    assert.strictEqual(link.target.path, fixtureUri('etc', 'dovecot', 'conf.d', '10-mail.conf').path);
    assert.strictEqual(link.target.fragment, 'L1');
    const settingLines = document
      .getText()
      .split('\n')
      .filter((text) => / # \S+:\d+$/.test(text)).length;
    assert.strictEqual(links.length, settingLines, 'one link per provenance note');
  });

  test('"Reveal Secrets" is offered in the view and shows the hidden values there', async () => {
    const hidden = await waitForEffectiveText((text) => text.includes('# hidden'), 'the view with hidden secrets');
    const menus = (
      vscode.extensions.getExtension('dovecot-tooling.dovecot-lsp')?.packageJSON as {
        contributes: { menus: Record<string, { command: string; when?: string }[]> };
      }
    ).contributes.menus;
    assert.ok(
      menus['editor/title'].some(
        (item) => item.command === 'dovecot.revealSecrets' && item.when?.includes('dovecot-effective'),
      ),
      'title-bar action',
    );
    await vscode.window.showTextDocument(hidden, { preview: false });
    await vscode.commands.executeCommand('dovecot.revealSecrets');
    const revealed = await waitForOpenDocument(
      (d) => d.uri.scheme === SCHEME && d.getText().includes('doveadm_password = secret-shared-by-both-hosts'),
      'with the revealed password',
    );
    assert.match(revealed.uri.path, /\(effective, secrets shown\)\.conf$/);
    assert.strictEqual(vscode.window.activeTextEditor?.document.uri.toString(), revealed.uri.toString());
    assert.ok(hidden.getText().includes('# hidden'), 'the other view still hides them');
  });
});
