// Gives the `dovecot` language to every file of an analysed include tree, whatever its name or folder
// (`conf.d/90-replication.conf` of a repository opens as Properties otherwise), unless the user chose
// the file's language: a `files.associations` entry matching it, or switching it away from dovecot.
import * as path from 'path';
import picomatch from 'picomatch';
import * as vscode from 'vscode';

import type { TreeFiles } from '../../server/src/protocol';

/** What the client needs from the language client: ask whether a file belongs to a tree. */
export type InTreeQuery = (uri: string) => Promise<boolean>;

/** Names that can be Dovecot configuration when a tree includes them; anything else is never asked about. */
function mayBeIncluded(uri: vscode.Uri): boolean {
  return uri.scheme === 'file' && /\.(conf|ext)$|(^|\/)conf\.d\/[^/]+$/.test(uri.path);
}

/** A `files.associations` pattern the file matches: the user decided its language. */
export function associatedByUser(filePath: string, associations: Record<string, string> | undefined): boolean {
  return Object.keys(associations ?? {}).some((pattern) => {
    const subject = pattern.includes('/') ? filePath.split(path.sep).join('/') : path.basename(filePath);
    return picomatch(pattern, { dot: true, nocase: process.platform === 'win32' })(subject);
  });
}

export class TreeLanguage implements vscode.Disposable {
  private readonly treeFiles = new Map<string, Set<string>>();
  /** Files the user moved from dovecot to another language. */
  private readonly userChoice = new Set<string>();
  /** Documents closed in this tick: a language change closes and reopens the document synchronously. */
  private readonly justClosed = new Set<string>();
  private readonly subscriptions: vscode.Disposable[] = [];
  private readonly checked = new vscode.EventEmitter<vscode.TextDocument>();
  /** Fires after a document was examined (switched or left alone); the integration tests wait on it. */
  readonly onDidCheck = this.checked.event;

  constructor(
    private readonly languageId: string,
    private readonly inTree: () => InTreeQuery | undefined,
  ) {
    this.subscriptions.push(
      this.checked,
      vscode.workspace.onDidOpenTextDocument((document) => void this.examine(document)),
      vscode.workspace.onDidCloseTextDocument((document) => this.noteClosed(document)),
    );
  }

  /** Examines the documents already open (restored editors) once the server runs. */
  examineOpenDocuments(): void {
    for (const document of vscode.workspace.textDocuments) void this.examine(document);
  }

  onTreeFiles(tree: TreeFiles): void {
    if (!tree || !Array.isArray(tree.files)) return;
    this.treeFiles.set(normalizeUri(tree.root), new Set(tree.files.map(normalizeUri)));
    for (const document of vscode.workspace.textDocuments) {
      if (this.inKnownTree(document.uri)) void this.examine(document);
    }
  }

  private noteClosed(document: vscode.TextDocument): void {
    if (document.languageId !== this.languageId) return;
    const key = document.uri.toString();
    this.justClosed.add(key);
    setTimeout(() => this.justClosed.delete(key), 0);
  }

  private inKnownTree(uri: vscode.Uri): boolean {
    const key = uri.toString();
    for (const files of this.treeFiles.values()) if (files.has(key)) return true;
    return false;
  }

  private async examine(document: vscode.TextDocument): Promise<void> {
    try {
      if (await this.shouldSwitch(document)) {
        await vscode.languages.setTextDocumentLanguage(document, this.languageId);
      }
    } catch {
      // the document was closed meanwhile, or the server is restarting: nothing to switch
    } finally {
      this.checked.fire(document);
    }
  }

  private async shouldSwitch(document: vscode.TextDocument): Promise<boolean> {
    const key = document.uri.toString();
    if (document.languageId === this.languageId || !mayBeIncluded(document.uri)) return false;
    // a dovecot document closed and reopened in another language in the same tick: the user changed it
    if (this.justClosed.has(key)) this.userChoice.add(key);
    if (this.userChoice.has(key)) return false;
    const associations = vscode.workspace
      .getConfiguration('files', document.uri)
      .get<Record<string, string>>('associations');
    if (associatedByUser(document.uri.fsPath, associations)) return false;
    if (this.inKnownTree(document.uri)) return true;
    const query = this.inTree();
    return query !== undefined && (await query(key)) && !document.isClosed && document.languageId !== this.languageId;
  }

  dispose(): void {
    for (const subscription of this.subscriptions) subscription.dispose();
  }
}

/** The server and VS Code may encode the same file URI differently (e.g. `%3A`); compare parsed forms. */
function normalizeUri(uri: string): string {
  try {
    return vscode.Uri.parse(uri).toString();
  } catch {
    return uri;
  }
}
