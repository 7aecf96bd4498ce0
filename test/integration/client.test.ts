// The thin client's own features: dialect status bar item and the restart command.
import * as assert from 'assert';
import * as vscode from 'vscode';
import {
  EVENT_TIMEOUT_MS,
  extension,
  fixtureUri,
  hasRule,
  openDovecotDocument,
  waitForDiagnostics,
  writeWorkspaceFile,
} from './helpers';

interface StatusBarApi {
  command: string | undefined;
  shownText: string | undefined;
  shownTooltip: string | undefined;
  onDidRender: vscode.Event<string | undefined>;
}
interface ExtensionApi {
  statusBar: StatusBarApi;
  languageClient?: { isRunning(): boolean };
}

function waitForStatusText(statusBar: StatusBarApi, predicate: (text: string | undefined) => boolean): Promise<void> {
  if (predicate(statusBar.shownText)) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      subscription.dispose();
      reject(new Error(`status bar still shows ${JSON.stringify(statusBar.shownText)} after ${EVENT_TIMEOUT_MS} ms`));
    }, EVENT_TIMEOUT_MS);
    const subscription = statusBar.onDidRender((text) => {
      if (!predicate(text)) return;
      clearTimeout(timer);
      subscription.dispose();
      resolve();
    });
  });
}

suite('client', () => {
  test('the status bar shows the detected dialect for a dovecot file and hides for others', async () => {
    const api = extension().exports as ExtensionApi;
    const root = fixtureUri('etc', 'dovecot', 'dovecot.conf');
    await openDovecotDocument(fixtureUri('etc', 'dovecot', 'conf.d', '30-dsync.conf'));
    await waitForStatusText(api.statusBar, (text) => text === 'Dovecot 2.3');
    assert.ok(api.statusBar.shownTooltip?.includes(root.fsPath), `tooltip: ${api.statusBar.shownTooltip}`);

    const other = await vscode.workspace.openTextDocument(fixtureUri('other', 'foo.conf'));
    await vscode.window.showTextDocument(other);
    await waitForStatusText(api.statusBar, (text) => text === undefined);
  });

  test('clicking the status item opens a menu whose entries run real commands', async () => {
    const api = extension().exports as ExtensionApi;
    assert.strictEqual(api.statusBar.command, 'dovecot.statusMenu');
    const commands = await vscode.commands.getCommands(true);
    const { STATUS_MENU } = await import('../../client/src/commands/statusMenu');
    assert.deepStrictEqual(
      STATUS_MENU.map((entry) => entry.command).filter((command) => !commands.includes(command)),
      [],
      'every entry runs a registered command',
    );
    assert.ok(
      STATUS_MENU.some((entry) => /Effective Configuration/.test(entry.label)) &&
        STATUS_MENU.some((entry) => /Replication/.test(entry.label)),
    );

    // pick the first entry the way a user does: the menu opens a quick pick, Enter accepts it
    await openDovecotDocument(fixtureUri('etc', 'dovecot', 'conf.d', '30-dsync.conf'));
    const opened = new Promise<vscode.TextDocument>((resolve) => {
      const subscription = vscode.workspace.onDidOpenTextDocument((document) => {
        if (document.uri.scheme !== 'dovecot-effective') return;
        subscription.dispose();
        resolve(document);
      });
    });
    let menuDone = false;
    const menu = Promise.resolve(vscode.commands.executeCommand('dovecot.statusMenu')).then(() => {
      menuDone = true;
    });
    // the quick pick raises no event when it shows: press Enter until the menu has taken the pick
    while (!menuDone) {
      await vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
      await Promise.race([menu, new Promise((resolve) => setTimeout(resolve, 100))]);
    }
    const effective = await opened;
    assert.match(effective.uri.path, /30-dsync\.conf \(effective\)\.conf$/);
  });

  test('dovecot.restartServer restarts a working server', async () => {
    await vscode.commands.executeCommand('dovecot.restartServer');
    const api = extension().exports as ExtensionApi;
    assert.ok(api.languageClient?.isRunning(), 'the client should run again after the restart');

    const uri = fixtureUri('cases', 'restart', 'dovecot.conf');
    await writeWorkspaceFile(uri, 'foo = bar\n');
    await openDovecotDocument(uri);
    await waitForDiagnostics(uri, hasRule('unknown-setting'), 'diagnostics from the restarted server');
  });
});
