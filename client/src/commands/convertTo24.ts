// `dovecot.convertTo24`: asks the server to convert the tree of the active file to Dovecot 2.4 (the pure
// converter; nothing is written), opens one diff per changed file against a read-only virtual document of
// the converted text, shows the report beside them, and writes only when the admin chooses where: a new
// folder (default: a sibling `<folder>-2.4`), or over the original files after a separate modal warning.
// In an untrusted workspace it previews and never writes.
// Its questions go through a ConvertUi (convertUi.ts): VS Code's widgets, or a scripted one in the editor tests.
import { lstatSync, readdirSync, statSync } from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import { planTarget, TargetError, writeAtomically, type PlannedWrite } from '../../../server/src/atomicWrites';
import {
  CONVERT_TO_24_COMMAND,
  MigrateTreeRequest,
  type MigrateTreeParams,
  type MigrateTreeResult,
} from '../../../server/src/protocol';
import {
  defaultDestination,
  destinationProblem,
  planInPlace,
  planNewFolder,
  type WritePlan,
} from '../../../server/src/service/migrate/writePlan';
import type { ServerController } from '../extension';
import { VscodeConvertUi, type ConvertUi, type Destination } from './convertUi';

export const MIGRATED_SCHEME = 'dovecot-migrated';
export const MIGRATION_REPORT_SCHEME = 'dovecot-migration-report';
const TITLE = 'Dovecot: Convert to Dovecot 2.4';
const TARGET = '2.4';
/** `conf.d/10-mail.conf:12` in the report: a place in the original tree. */
const PLACE = /`([^`\s]+):(\d+)`/g;

/** What the command did, for its caller (the integration tests read it). */
export interface ConversionOutcome {
  root?: string;
  /** Changed files shown as diffs (absolute paths of the originals). */
  diffs: string[];
  /** The folder written to, or the original folder when the originals were replaced; undefined when nothing was written. */
  written?: string;
  writtenFiles: string[];
  /** Why nothing was written (cancelled, untrusted workspace, no change, an error). */
  notWritten?: string;
}

/** The command as the extension exposes it: `run` with another ConvertUi (the editor tests). */
export interface Converter {
  run(target?: vscode.Uri | string, ui?: ConvertUi): Promise<ConversionOutcome>;
}

/** Converted texts and reports, served read-only under their own schemes. */
class MigrationDocuments implements vscode.TextDocumentContentProvider, vscode.DocumentLinkProvider, vscode.Disposable {
  private readonly contents = new Map<string, string>();
  /** Root folder of the tree each report describes: its `file:line` places are relative to it. */
  private readonly reportFolders = new Map<string, string>();
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  /** A second run changes documents that may still be open: the editor must re-read them. */
  readonly onDidChange = this.changed.event;

  set(uri: vscode.Uri, content: string, reportFolder?: string): void {
    const previous = this.contents.get(uri.toString());
    this.contents.set(uri.toString(), content);
    if (reportFolder !== undefined) this.reportFolders.set(uri.toString(), reportFolder);
    if (previous !== undefined && previous !== content) this.changed.fire(uri);
  }

  dispose(): void {
    this.changed.dispose();
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.contents.get(uri.toString()) ?? '';
  }

  provideDocumentLinks(document: vscode.TextDocument): vscode.DocumentLink[] {
    const folder = this.reportFolders.get(document.uri.toString());
    if (folder === undefined) return [];
    const links: vscode.DocumentLink[] = [];
    for (let line = 0; line < document.lineCount; line++) {
      const text = document.lineAt(line).text;
      for (const match of text.matchAll(PLACE)) {
        const [, shown, lineNumber] = match;
        const start = (match.index ?? 0) + 1;
        const target = vscode.Uri.file(path.resolve(folder, shown)).with({ fragment: `L${lineNumber}` });
        const link = new vscode.DocumentLink(
          new vscode.Range(line, start, line, start + shown.length + 1 + lineNumber.length),
          target,
        );
        link.tooltip = `Open ${shown} at line ${lineNumber} (the original)`;
        links.push(link);
      }
    }
    return links;
  }
}

export function migratedUriFor(file: string): vscode.Uri {
  return vscode.Uri.from({ scheme: MIGRATED_SCHEME, path: vscode.Uri.file(file).path, query: `to=${TARGET}` });
}

export function registerConvertTo24(context: vscode.ExtensionContext, controller: ServerController): Converter {
  const documents = new MigrationDocuments();
  const run = async (
    target?: vscode.Uri | string,
    ui: ConvertUi = new VscodeConvertUi(),
  ): Promise<ConversionOutcome> => {
    try {
      return await convert(
        controller,
        documents,
        ui,
        typeof target === 'string' ? vscode.Uri.parse(target) : target instanceof vscode.Uri ? target : undefined,
      );
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      void vscode.window.showErrorMessage(`${TITLE}: ${message}`);
      return { diffs: [], writtenFiles: [], notWritten: message };
    }
  };
  context.subscriptions.push(
    documents,
    vscode.workspace.registerTextDocumentContentProvider(MIGRATED_SCHEME, documents),
    vscode.workspace.registerTextDocumentContentProvider(MIGRATION_REPORT_SCHEME, documents),
    vscode.languages.registerDocumentLinkProvider({ scheme: MIGRATION_REPORT_SCHEME }, documents),
    // The code action passes the file's URI as a string (it comes from the server); the palette passes nothing.
    vscode.commands.registerCommand(CONVERT_TO_24_COMMAND, (target?: vscode.Uri | string) => run(target)),
  );
  return { run };
}

async function convert(
  controller: ServerController,
  documents: MigrationDocuments,
  ui: ConvertUi,
  target: vscode.Uri | undefined,
): Promise<ConversionOutcome> {
  const source = target ?? (await sourceFile());
  if (!source) {
    void vscode.window.showInformationMessage(`${TITLE}: open a dovecot.conf (or a file it includes) first.`);
    return { diffs: [], writtenFiles: [], notWritten: 'no configuration' };
  }
  const client = controller.languageClient;
  if (!client?.isRunning())
    throw new Error('the Dovecot language server is not running (Dovecot: Restart Language Server)');
  const params: MigrateTreeParams = { uri: source.toString(), target: TARGET };
  const result = await client.sendRequest(MigrateTreeRequest, params);
  if (!result)
    throw new Error('the configuration could not be converted (Dovecot: Show Language Server Output says why)');

  const diffs = await showDiffs(documents, result);
  await showReport(documents, result);
  const outcome: ConversionOutcome = { root: result.root, diffs, writtenFiles: [] };
  if (diffs.length === 0) {
    void vscode.window.showInformationMessage(
      `${TITLE}: nothing to change in ${path.basename(result.root)}; the report says what was checked.`,
    );
    return { ...outcome, notWritten: 'no change' };
  }
  if (!vscode.workspace.isTrusted) {
    void vscode.window.showInformationMessage(
      `${TITLE}: this is a preview. Files are written only in a trusted workspace (Manage Workspace Trust).`,
    );
    return { ...outcome, notWritten: 'untrusted workspace' };
  }
  const plan = await chooseDestination(ui, result);
  if (!plan) return { ...outcome, notWritten: 'cancelled' };
  const written = plan.inPlace ? await replaceOriginals(plan) : writeNewFolder(plan);
  announce(plan, written, result);
  return { ...outcome, written: plan.folder, writtenFiles: written };
}

/** The active Dovecot file, else the workspace's dovecot.conf (asked when there are several). */
async function sourceFile(): Promise<vscode.Uri | undefined> {
  const active = vscode.window.activeTextEditor?.document;
  if (active?.uri.scheme === 'file' && active.languageId === 'dovecot') return active.uri;
  const found = await vscode.workspace.findFiles('**/dovecot.conf', '**/node_modules/**', 50);
  if (found.length <= 1) return found[0];
  const pick = await vscode.window.showQuickPick(
    found.map((uri) => ({ label: vscode.workspace.asRelativePath(uri), uri })),
    { title: TITLE, placeHolder: 'Which configuration to convert' },
  );
  return pick?.uri;
}

async function showDiffs(documents: MigrationDocuments, result: MigrateTreeResult): Promise<string[]> {
  const changed = result.files.filter((file) => file.changed);
  for (const file of changed) {
    const converted = migratedUriFor(file.path);
    documents.set(converted, file.converted);
    const document = await vscode.workspace.openTextDocument(converted);
    if (document.languageId !== 'dovecot') await vscode.languages.setTextDocumentLanguage(document, 'dovecot');
    await vscode.commands.executeCommand(
      'vscode.diff',
      vscode.Uri.file(file.path),
      converted,
      `${file.relativePath} ↔ Dovecot ${TARGET}`,
      { preview: false, viewColumn: vscode.ViewColumn.One },
    );
  }
  return changed.map((file) => file.path);
}

async function showReport(documents: MigrationDocuments, result: MigrateTreeResult): Promise<void> {
  const report = vscode.Uri.from({
    scheme: MIGRATION_REPORT_SCHEME,
    path: `${vscode.Uri.file(path.dirname(result.root)).path}/Dovecot ${TARGET} conversion report.md`,
  });
  documents.set(report, result.reportMarkdown, path.dirname(result.root));
  const document = await vscode.workspace.openTextDocument(report);
  await vscode.window.showTextDocument(document, {
    preview: false,
    viewColumn: vscode.ViewColumn.Beside,
    preserveFocus: true,
  });
}

type Plan = WritePlan & { inPlace: boolean };

/** New folder (the default), the originals (after a modal warning), or nothing. */
async function chooseDestination(ui: ConvertUi, result: MigrateTreeResult): Promise<Plan | undefined> {
  const proposed = defaultDestination(result.root, TARGET);
  const changedCount = result.files.filter((file) => file.changed).length;
  const choice: Destination | undefined = await ui.destination({
    title: `${TITLE}: write?`,
    placeholder: result.complete
      ? 'Check the diffs, then choose where to write'
      : 'Some parts need you (see the report): check the diffs, then choose where to write',
    items: [
      {
        label: '$(new-folder) Write the converted tree to a new folder…',
        description: proposed,
        detail: `All ${result.files.length} files, in the same layout; the original stays as it is.`,
        value: 'new-folder',
      },
      {
        label: '$(warning) Replace the original files…',
        description: `${changedCount} file${changedCount === 1 ? '' : 's'}`,
        detail: 'Asks again before writing over them.',
        value: 'replace',
      },
      { label: '$(close) Cancel', description: 'write nothing', value: undefined },
    ],
  });
  if (choice === 'new-folder') {
    const folder = await askFolder(ui, result.root, proposed);
    return folder === undefined ? undefined : { ...planNewFolder(result, folder), inPlace: false };
  }
  if (choice === 'replace') {
    const confirmed = await ui.warn({
      message: `Write the Dovecot ${TARGET} configuration over the original files in ${path.dirname(result.root)}?`,
      detail: `Dovecot ${TARGET} and 2.3 cannot read each other's configuration: the running Dovecot 2.3 will fail to start or reload from these files. Keep a copy (version control or a backup) before you continue.`,
      confirm: `Replace ${changedCount} File${changedCount === 1 ? '' : 's'}`,
    });
    return confirmed ? { ...planInPlace(result.root, result), inPlace: true } : undefined;
  }
  return undefined;
}

/** The destination folder, proposed as a sibling of the original; Browse… opens the folder dialog and asks again with its choice. */
async function askFolder(ui: ConvertUi, root: string, proposed: string): Promise<string | undefined> {
  const problem = (value: string): string | undefined => {
    if (!path.isAbsolute(value)) return 'an absolute path';
    return destinationProblem(root, value) ?? notEmpty(value);
  };
  let value = proposed;
  for (;;) {
    const reply = await ui.folder({
      title: `${TITLE}: new folder`,
      prompt: 'Folder for the converted tree (created if it does not exist; must be empty)',
      value,
      validate: problem,
    });
    if (reply === undefined) return undefined;
    if (reply === 'browse') {
      value = (await ui.chooseFolder(vscode.Uri.file(path.dirname(proposed)))) ?? value;
      continue;
    }
    // the real box refuses a value with a problem; a scripted answer is held to the same rule
    const complaint = problem(reply.value);
    if (complaint) throw new Error(`${reply.value}: ${complaint}`);
    return path.resolve(reply.value);
  }
}

function notEmpty(folder: string): string | undefined {
  try {
    if (!statSync(folder).isDirectory()) return 'this is not a folder';
    return readdirSync(folder).length > 0 ? 'this folder is not empty: choose a new or empty one' : undefined;
  } catch {
    return undefined;
  }
}

/** The whole tree into the new folder: every target checked first (no link out, no existing file), then written together, each with its original's mode. */
function writeNewFolder(plan: Plan): string[] {
  const writes: PlannedWrite[] = plan.files.map((file) => ({
    target: planTarget(plan.folder, file.relativePath, 'folder', false),
    content: Buffer.from(file.content, 'utf8'),
    mode: modeOf(file.source),
  }));
  try {
    writeAtomically(writes);
  } catch (error) {
    if (error instanceof TargetError) throw new Error(`nothing was written: ${error.message}`);
    throw error;
  }
  return writes.map((write) => write.target.path);
}

/** A configuration file may hold passwords: the copy gets the original's permissions. */
function modeOf(file: string): number {
  try {
    return lstatSync(file).mode & 0o777;
  } catch {
    return 0o600;
  }
}

/** Over the originals, through the editor: open documents (even unsaved ones) get the converted text, then everything is saved. */
async function replaceOriginals(plan: Plan): Promise<string[]> {
  const edit = new vscode.WorkspaceEdit();
  const documents: vscode.TextDocument[] = [];
  for (const file of plan.files) {
    const document = await vscode.workspace.openTextDocument(vscode.Uri.file(file.source));
    const whole = new vscode.Range(0, 0, document.lineCount, 0);
    edit.replace(document.uri, whole, file.content);
    documents.push(document);
  }
  if (!(await vscode.workspace.applyEdit(edit))) throw new Error('the editor refused the change; nothing was written');
  for (const document of documents) await document.save();
  return plan.files.map((file) => file.source);
}

function announce(plan: Plan, written: string[], result: MigrateTreeResult): void {
  const left =
    plan.left.length > 0 ? ` Not written: ${plan.left.map((file) => `${file.path} (${file.reason})`).join('; ')}.` : '';
  const todo = result.complete ? '' : ' Some parts need you: see the report.';
  const where = plan.inPlace ? `over the originals in ${plan.folder}` : `to ${plan.folder}`;
  const open = 'Open the Converted Root';
  void vscode.window
    .showInformationMessage(
      `${TITLE}: ${written.length} file${written.length === 1 ? '' : 's'} written ${where}.${left}${todo}`,
      open,
    )
    .then(async (choice) => {
      if (choice !== open) return;
      const root = plan.inPlace
        ? result.root
        : path.join(plan.folder, path.relative(path.dirname(result.root), result.root));
      await vscode.window.showTextDocument(vscode.Uri.file(root), { preview: false });
    });
}
