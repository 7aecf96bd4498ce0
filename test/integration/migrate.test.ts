// Dovecot: Convert to Dovecot 2.4… in the real workbench: diffs of the converted tree against the original,
// the report beside them, files written only after the choice and only where chosen; the mixed-dialect quick
// fix; the "Convert this tree to 2.4…" code action when 2.4 is the target. Replacing the originals and the
// Browse… dialog are driven through a scripted ConvertUi reached through the extension's exports.
import * as assert from 'assert';
import { existsSync, readFileSync } from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import type { ServerController } from '../../client/src/extension';
import type { ConversionOutcome, Converter } from '../../client/src/commands/convertTo24';
import type {
  ConvertUi,
  Destination,
  DestinationQuestion,
  FolderQuestion,
  FolderReply,
  WarningQuestion,
} from '../../client/src/commands/convertUi';
import {
  applyCodeAction,
  closeAllEditors,
  extension,
  fixtureUri,
  hasRule,
  openDovecotDocument,
  quickFixesAt,
  ruleOf,
  waitForActivation,
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

/** One answer of the script, for the question of that kind. */
type Step =
  | { destination: Destination | undefined }
  | { warn: boolean }
  | { folder: (question: FolderQuestion) => FolderReply }
  | { chooseFolder: string | undefined };

/** Answers the command's questions in order from `script`, recording what each asked; fails on a question out of turn. */
class ScriptedConvertUi implements ConvertUi {
  readonly asked: string[] = [];
  readonly warnings: WarningQuestion[] = [];
  readonly folderValues: string[] = [];
  readonly dialogStarts: string[] = [];
  constructor(private readonly script: Step[]) {}

  private next<K extends string>(kind: K): Extract<Step, Record<K, unknown>> {
    this.asked.push(kind);
    const step = this.script.shift();
    assert.ok(step && kind in step, `question ${this.asked.length} (${kind}) is not the script's next step`);
    return step as Extract<Step, Record<K, unknown>>;
  }

  async destination(question: DestinationQuestion): Promise<Destination | undefined> {
    const step = this.next('destination');
    assert.ok(
      question.items.some((item) => item.value === step.destination),
      `no item for ${String(step.destination)} in ${question.items.map((item) => item.label).join(' | ')}`,
    );
    return step.destination;
  }

  async warn(question: WarningQuestion): Promise<boolean> {
    this.warnings.push(question);
    return this.next('warn').warn;
  }

  async folder(question: FolderQuestion): Promise<FolderReply> {
    this.folderValues.push(question.value);
    return this.next('folder').folder(question);
  }

  async chooseFolder(start: vscode.Uri): Promise<string | undefined> {
    this.dialogStarts.push(start.fsPath);
    return this.next('chooseFolder').chooseFolder;
  }

  /** Every step of the script was asked for. */
  finished(): void {
    assert.equal(this.script.length, 0, `${this.script.length} scripted answers were never asked for`);
  }
}

async function converter(): Promise<Converter> {
  await waitForActivation(extension());
  const api = extension().exports as ServerController;
  assert.ok(api.converter, 'the extension exposes Convert to Dovecot 2.4');
  return api.converter;
}

/** The converted text of `file` as its diff shows it. */
async function shownConversion(file: vscode.Uri): Promise<string> {
  const diff = migratedDiffTabs().find((tab) => tab.original.fsPath === file.fsPath);
  assert.ok(diff, `a diff of ${file.fsPath} is open`);
  return (await vscode.workspace.openTextDocument(diff.modified)).getText();
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

  test('replaces the original files only after the modal warning is confirmed, and writes nothing when it is dismissed', async () => {
    const { root, mail, auth } = await tree23('migrate-replace');
    const folder = path.dirname(root.fsPath);
    const convert = await converter();

    const dismissed = new ScriptedConvertUi([{ destination: 'replace' }, { warn: false }]);
    const kept = await convert.run(root, dismissed);
    dismissed.finished();
    assert.deepEqual(dismissed.asked, ['destination', 'warn']);
    assert.equal(kept.notWritten, 'cancelled');
    assert.equal(kept.written, undefined);
    assert.deepEqual(kept.writtenFiles, []);
    assert.ok(dismissed.warnings[0].message.includes(folder), dismissed.warnings[0].message);
    assert.equal(dismissed.warnings[0].confirm, 'Replace 2 Files', 'the root and 10-mail.conf change');
    assert.equal(readFileSync(root.fsPath, 'utf8'), ROOT_TEXT, 'dismissed: the root is untouched');
    assert.equal(readFileSync(mail.fsPath, 'utf8'), MAIL_TEXT);
    assert.equal(readFileSync(auth.fsPath, 'utf8'), AUTH_TEXT);
    assert.ok(!existsSync(`${folder}-2.4`), 'no new folder either');

    const confirmed = new ScriptedConvertUi([{ destination: 'replace' }, { warn: true }]);
    const outcome = await convert.run(root, confirmed);
    confirmed.finished();
    assert.deepEqual(confirmed.asked, ['destination', 'warn']);
    assert.equal(outcome.notWritten, undefined);
    assert.equal(outcome.written, folder);
    assert.deepEqual(outcome.writtenFiles.sort(), [root.fsPath, mail.fsPath].sort());
    const convertedMail = readFileSync(mail.fsPath, 'utf8');
    assert.equal(convertedMail, await shownConversion(mail), 'what is written is what the diff showed');
    assert.match(convertedMail, /^mail_driver = maildir$/m);
    assert.match(readFileSync(root.fsPath, 'utf8'), /^dovecot_config_version = /m);
    assert.equal(readFileSync(auth.fsPath, 'utf8'), AUTH_TEXT, 'the unchanged file is not rewritten');
    assert.ok(!existsSync(`${folder}-2.4`));
    for (const file of [root, mail]) {
      const open = vscode.workspace.textDocuments.find((document) => document.uri.toString() === file.toString());
      assert.ok(open, `${file.fsPath} was edited through the editor`);
      assert.ok(!open.isDirty, `${file.fsPath} is saved`);
      assert.equal(open.getText(), readFileSync(file.fsPath, 'utf8'));
    }
  });

  test('replacing the originals converts an open unsaved buffer and saves it', async () => {
    const { root, mail } = await tree23('migrate-replace-unsaved');
    await openDovecotDocument(root);
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(mail), { preview: false });
    // conf.d/10-mail.conf becomes a Dovecot document (sent to the server) once the tree including it is analysed
    const included = await until('10-mail.conf to become a Dovecot document', async () =>
      vscode.workspace.textDocuments.find(
        (document) => document.uri.toString() === mail.toString() && document.languageId === 'dovecot',
      ),
    );
    const editor = await vscode.window.showTextDocument(included, { preview: false });
    const edited = await editor.edit((edit) =>
      edit.replace(editor.document.lineAt(0).range, 'mail_location = mdbox:~/mdbox'),
    );
    assert.ok(edited && editor.document.isDirty, 'the buffer holds an unsaved edit');
    assert.equal(readFileSync(mail.fsPath, 'utf8'), MAIL_TEXT, 'the disk still has the old text');

    const ui = new ScriptedConvertUi([{ destination: 'replace' }, { warn: true }]);
    const outcome = await (await converter()).run(root, ui);
    ui.finished();
    assert.equal(outcome.written, path.dirname(root.fsPath));
    assert.ok(outcome.writtenFiles.includes(mail.fsPath), outcome.writtenFiles.join(', '));
    const onDisk = readFileSync(mail.fsPath, 'utf8');
    assert.match(onDisk, /^mail_driver = mdbox$/m, 'the unsaved edit was converted, not the text on disk');
    assert.doesNotMatch(onDisk, /maildir/);
    assert.match(onDisk, /mail_home = \/home\/%\{user\}/);
    assert.ok(!editor.document.isDirty, 'the buffer is saved');
    assert.equal(editor.document.getText(), onDisk, 'the buffer holds the converted text');
  });

  test('Browse… picks the folder the converted tree is then written to', async () => {
    const { root, mail, auth } = await tree23('migrate-browse');
    const proposed = `${path.dirname(root.fsPath)}-2.4`;
    const chosen = fixtureUri('cases', 'migrate-browse-chosen').fsPath;
    const notEmpty = path.dirname(mail.fsPath);
    assert.ok(!existsSync(chosen));
    const ui = new ScriptedConvertUi([
      { destination: 'new-folder' },
      {
        folder: (question) => {
          assert.equal(question.value, proposed, 'the box proposes the sibling folder');
          return 'browse';
        },
      },
      { chooseFolder: undefined },
      {
        folder: (question) => {
          assert.equal(question.value, proposed, 'a dismissed dialog keeps the value');
          return 'browse';
        },
      },
      { chooseFolder: chosen },
      {
        folder: (question) => {
          assert.equal(question.value, chosen, 'the box shows the folder picked in the dialog');
          assert.equal(question.validate(question.value), undefined);
          assert.ok(question.validate(notEmpty), 'a folder that is not empty is refused');
          return { value: question.value };
        },
      },
    ]);
    const outcome = await (await converter()).run(root, ui);
    ui.finished();
    assert.deepEqual(ui.dialogStarts, [path.dirname(proposed), path.dirname(proposed)]);
    assert.equal(outcome.written, chosen);
    assert.deepEqual(outcome.writtenFiles.map((file) => path.relative(chosen, file)).sort(), [
      'conf.d/10-auth.conf',
      'conf.d/10-mail.conf',
      'dovecot.conf',
    ]);
    assert.equal(readFileSync(path.join(chosen, 'conf.d', '10-mail.conf'), 'utf8'), await shownConversion(mail));
    assert.equal(readFileSync(path.join(chosen, 'conf.d', '10-auth.conf'), 'utf8'), AUTH_TEXT);
    assert.ok(!existsSync(proposed), 'the proposed folder was not used');
    assert.equal(readFileSync(root.fsPath, 'utf8'), ROOT_TEXT, 'the original is untouched');
    assert.equal(readFileSync(mail.fsPath, 'utf8'), MAIL_TEXT);
    assert.equal(readFileSync(auth.fsPath, 'utf8'), AUTH_TEXT);
  });
});
