// Dovecot: Convert to Dovecot 2.4… in the real workbench: diffs of the converted tree against the original,
// the report beside them, files written only after the choice and only where chosen; the mixed-dialect quick
// fix; the "Convert this tree to 2.4…" code action when 2.4 is the target.
import * as assert from 'assert';
import { existsSync, readFileSync } from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import type { ConversionOutcome } from '../../client/src/commands/convertTo24';
import {
  applyCodeAction,
  closeAllEditors,
  fixtureUri,
  hasRule,
  openDovecotDocument,
  quickFixesAt,
  ruleOf,
  waitForDiagnostics,
  writeWorkspaceFile,
} from './helpers';
import { until } from '../helpers/poll';

const ROOT_TEXT = 'protocols = imap\n!include conf.d/*.conf\n';
const MAIL_TEXT = 'mail_location = maildir:~/Maildir\nmail_home = /home/%u\n';
const AUTH_TEXT = 'auth_mechanisms = plain\n';

/** A fresh 2.3 tree under cases/NAME: dovecot.conf, conf.d/10-mail.conf (changes), conf.d/10-auth.conf (unchanged). */
async function tree23(name: string): Promise<{ root: vscode.Uri; mail: vscode.Uri; auth: vscode.Uri }> {
  const root = fixtureUri('cases', name, 'dovecot.conf');
  const mail = fixtureUri('cases', name, 'conf.d', '10-mail.conf');
  const auth = fixtureUri('cases', name, 'conf.d', '10-auth.conf');
  await writeWorkspaceFile(root, ROOT_TEXT);
  await writeWorkspaceFile(mail, MAIL_TEXT);
  await writeWorkspaceFile(auth, AUTH_TEXT);
  return { root, mail, auth };
}

/**
 * Runs the command and answers its questions with one workbench command, repeated until the command is
 * done (a quick input raises no event when it shows): accept = the proposed choice, close = cancel.
 */
async function runAnswering(
  answer: 'workbench.action.acceptSelectedQuickOpenItem' | 'workbench.action.closeQuickOpen',
  target: vscode.Uri,
): Promise<ConversionOutcome> {
  let outcome: ConversionOutcome | undefined;
  const running = Promise.resolve(
    vscode.commands.executeCommand<ConversionOutcome>('dovecot.convertTo24', target),
  ).then((value) => {
    outcome = value;
  });
  while (outcome === undefined) {
    await Promise.race([running, new Promise((resolve) => setTimeout(resolve, 150))]);
    if (outcome === undefined) await vscode.commands.executeCommand(answer);
  }
  return outcome;
}

function migratedDiffTabs(): vscode.TabInputTextDiff[] {
  return vscode.window.tabGroups.all
    .flatMap((group) => group.tabs)
    .map((tab) => tab.input)
    .filter(
      (input): input is vscode.TabInputTextDiff =>
        input instanceof vscode.TabInputTextDiff && input.modified.scheme === 'dovecot-migrated',
    );
}

suite('Convert to Dovecot 2.4', () => {
  teardown(closeAllEditors);

  test('opens one read-only diff per changed file and the report, and writes nothing when cancelled', async () => {
    const { root, mail, auth } = await tree23('migrate-cancel');
    const outcome = await runAnswering('workbench.action.closeQuickOpen', root);
    assert.equal(outcome.notWritten, 'cancelled');
    assert.equal(outcome.root, root.fsPath);
    assert.deepEqual(
      outcome.diffs.sort(),
      [root.fsPath, mail.fsPath].sort(),
      'the root gains the version lines, 10-mail.conf its mail_driver; 10-auth.conf is unchanged',
    );

    const tabs = migratedDiffTabs();
    assert.deepEqual(tabs.map((tab) => tab.original.fsPath).sort(), outcome.diffs.sort());
    const mailDiff = tabs.find((tab) => tab.original.fsPath === mail.fsPath)!;
    const converted = await vscode.workspace.openTextDocument(mailDiff.modified);
    assert.match(converted.getText(), /^mail_driver = maildir$/m);
    assert.match(converted.getText(), /mail_home = \/home\/%\{user\}/);
    assert.equal(converted.languageId, 'dovecot');
    assert.ok(
      !(await vscode.workspace.fs.isWritableFileSystem('dovecot-migrated')),
      'the converted documents cannot be saved',
    );

    const report = vscode.workspace.textDocuments.find(
      (document) => document.uri.scheme === 'dovecot-migration-report',
    );
    assert.ok(report, 'the report is open');
    assert.match(report.getText(), /`conf\.d\/10-mail\.conf:1`/);
    const links = await vscode.commands.executeCommand<vscode.DocumentLink[]>('vscode.executeLinkProvider', report.uri);
    assert.ok(
      links.some((link) => link.target?.fsPath === mail.fsPath && link.target.fragment === 'L1'),
      `links: ${links.map((link) => link.target?.toString()).join(', ')}`,
    );

    assert.ok(!existsSync(`${path.dirname(root.fsPath)}-2.4`), 'nothing was written');
    assert.equal(readFileSync(mail.fsPath, 'utf8'), MAIL_TEXT);
    assert.equal(readFileSync(auth.fsPath, 'utf8'), AUTH_TEXT);

    // a second run after an edit shows the new conversion in the documents still open
    await writeWorkspaceFile(mail, 'mail_location = mdbox:~/mdbox\n');
    // the diff holds the original open: the server converts what the editor has, once it has re-read the file
    await until('the editor to re-read 10-mail.conf', async () => {
      const open = vscode.workspace.textDocuments.find((document) => document.uri.toString() === mail.toString());
      return open === undefined || open.getText().includes('mdbox') ? true : undefined;
    });
    await runAnswering('workbench.action.closeQuickOpen', root);
    await until('the open converted document to show the edit', async () =>
      /^mail_driver = mdbox$/m.test(converted.getText()) ? true : undefined,
    );
  });

  test('writes the whole converted tree to the proposed new folder once the choice is made, leaving the original as it was', async () => {
    const { root, mail, auth } = await tree23('migrate-write');
    const destination = `${path.dirname(root.fsPath)}-2.4`;
    assert.ok(!existsSync(destination));
    const outcome = await runAnswering('workbench.action.acceptSelectedQuickOpenItem', mail);
    assert.equal(outcome.written, destination);
    assert.deepEqual(outcome.writtenFiles.map((file) => path.relative(destination, file)).sort(), [
      'conf.d/10-auth.conf',
      'conf.d/10-mail.conf',
      'dovecot.conf',
    ]);

    const convertedMail = readFileSync(path.join(destination, 'conf.d', '10-mail.conf'), 'utf8');
    const shown = migratedDiffTabs().find((tab) => tab.original.fsPath === mail.fsPath)!;
    assert.equal(
      convertedMail,
      (await vscode.workspace.openTextDocument(shown.modified)).getText(),
      'what is written is what the diff showed',
    );
    assert.match(readFileSync(path.join(destination, 'dovecot.conf'), 'utf8'), /^dovecot_config_version = /m);
    assert.equal(readFileSync(path.join(destination, 'conf.d', '10-auth.conf'), 'utf8'), AUTH_TEXT);
    assert.equal(readFileSync(root.fsPath, 'utf8'), ROOT_TEXT, 'the original root is untouched');
    assert.equal(readFileSync(mail.fsPath, 'utf8'), MAIL_TEXT);
    assert.equal(readFileSync(auth.fsPath, 'utf8'), AUTH_TEXT);
  });

  test('the mixed-dialect quick fix writes the 2.4 form of a 2.3 line', async () => {
    const uri = fixtureUri('cases', 'migrate-mixed', 'dovecot.conf');
    // mail_driver is 2.4, ssl_cert = <file is 2.3: the tree mixes both
    await writeWorkspaceFile(uri, 'mail_driver = maildir\nmail_home = /home/%u\nssl_cert = </etc/ssl/cert.pem\n');
    const editor = await openDovecotDocument(uri);
    const diagnostics = await waitForDiagnostics(
      uri,
      (list) =>
        hasRule('mixed-dialect')(list) && list.some((d) => ruleOf(d) === 'mixed-dialect' && d.range.start.line === 1),
      'a mixed-dialect diagnostic on the %u line',
    );
    const onLine = diagnostics.find((d) => ruleOf(d) === 'mixed-dialect' && d.range.start.line === 1)!;
    const fixes = await quickFixesAt(uri, onLine.range);
    const convert = fixes.find((fix) => fix.title === 'Convert to Dovecot 2.4: mail_home = /home/%{user}');
    assert.ok(convert, `offered: ${fixes.map((fix) => fix.title).join(' | ')}`);
    await applyCodeAction(convert);
    assert.equal(editor.document.lineAt(1).text, 'mail_home = /home/%{user}');
    assert.equal(editor.document.lineAt(0).text, 'mail_driver = maildir', 'the 2.4 line is left alone');
  });

  test('"Convert this tree to 2.4…" is offered on a 2.3 file when dovecot.version says 2.4', async () => {
    const { root } = await tree23('migrate-action');
    await openDovecotDocument(root);
    const config = vscode.workspace.getConfiguration('dovecot');
    const range = new vscode.Range(0, 0, 0, 0);
    const offered = async (): Promise<(vscode.CodeAction | vscode.Command)[]> =>
      (await vscode.commands.executeCommand<(vscode.CodeAction | vscode.Command)[]>(
        'vscode.executeCodeActionProvider',
        root,
        range,
        vscode.CodeActionKind.RefactorRewrite.value,
      )) ?? [];
    const convertIn = (actions: (vscode.CodeAction | vscode.Command)[]) =>
      actions.find((action) => action.title === 'Convert this tree to 2.4…');
    assert.equal(convertIn(await offered()), undefined, 'not offered while nothing says 2.4');
    await config.update('version', '2.4', vscode.ConfigurationTarget.Workspace);
    try {
      // the server hears of the setting change on its own schedule: ask until it answers with the action
      const action = await until('"Convert this tree to 2.4…" after setting dovecot.version to 2.4', async () =>
        convertIn(await offered()),
      );
      const command =
        'command' in action && typeof action.command === 'object' ? action.command : (action as vscode.Command);
      assert.equal(command.command, 'dovecot.convertTo24');
      assert.equal(String(command.arguments?.[0]), root.toString());
    } finally {
      await config.update('version', undefined, vscode.ConfigurationTarget.Workspace);
    }
  });
});
