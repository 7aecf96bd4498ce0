// `dovecot.showEffectiveConfig`: asks the server for the settings in effect over the active file's include
// tree (like `doveconf -n`, each line with the file:line that set it) and shows them in a read-only,
// highlighted virtual document that refreshes whenever the server analyses the tree again.
import * as path from 'path';
import * as vscode from 'vscode';
import { EffectiveConfigRequest } from '../../../server/src/protocol';
import type { ServerController } from '../extension';

export const SHOW_EFFECTIVE_CONFIG_COMMAND = 'dovecot.showEffectiveConfig';
export const REVEAL_SECRETS_COMMAND = 'dovecot.revealSecrets';
/** What a hidden password or key says in the view: the title-bar action, not the CLI flag. */
const HIDDEN_MARKER = '# hidden: "Reveal Secrets" in the title bar shows it';
/** `# conf.d/10-mail.conf:3` at the end of a line: where the value was set. */
const PROVENANCE = /# ([^#\r\n]+?):(\d+)[ \t]*$/;
export const EFFECTIVE_SCHEME = 'dovecot-effective';
const TITLE = 'Dovecot: Show Effective Configuration';

/**
 * The virtual document of a source file: named after it so tabs tell trees apart (and whether secrets are
 * shown, which the title-bar action tests), source URI in the query.
 */
export function effectiveUriFor(source: vscode.Uri, showSecrets: boolean): vscode.Uri {
  const name = `${path.basename(source.path)} (effective${showSecrets ? ', secrets shown' : ''}).conf`;
  return vscode.Uri.from({
    scheme: EFFECTIVE_SCHEME,
    path: `/${name}`,
    query: new URLSearchParams({ source: source.toString(), secrets: showSecrets ? '1' : '0' }).toString(),
  });
}

class EffectiveConfigProvider implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;
  /** Root directory of the tree each open virtual document shows, from the last answer. */
  private readonly rootDirs = new Map<string, string>();
  private readonly subscription: vscode.Disposable;

  constructor(private readonly controller: ServerController) {
    this.subscription = controller.onTreeAnalysed((tree) =>
      this.refreshFor(tree.files.map((file) => vscode.Uri.parse(file))),
    );
  }

  async provideTextDocumentContent(uri: vscode.Uri): Promise<string> {
    const query = new URLSearchParams(uri.query);
    const source = query.get('source');
    const client = this.controller.languageClient;
    if (!source) return '# no source file given\n';
    if (!client) return '# the Dovecot language server is not running (Dovecot: Restart Language Server)\n';
    const result = await client.sendRequest(EffectiveConfigRequest, {
      uri: source,
      showSecrets: query.get('secrets') === '1',
      hiddenMarker: HIDDEN_MARKER,
    });
    if (!result)
      return '# the language server could not compute the effective configuration (see its output channel)\n';
    this.rootDirs.set(uri.toString(), path.dirname(result.root));
    return result.text;
  }

  /** The server tells the files of a tree after each analysis: re-render the views of the trees they belong to. */
  private refreshFor(changed: readonly vscode.Uri[]): void {
    const openEffective = vscode.workspace.textDocuments.filter((document) => document.uri.scheme === EFFECTIVE_SCHEME);
    for (const document of openEffective) {
      const rootDir = this.rootDirs.get(document.uri.toString());
      const inTree = (file: vscode.Uri): boolean =>
        file.scheme === 'file' && rootDir !== undefined && !path.relative(rootDir, file.fsPath).startsWith('..');
      if (changed.some(inTree)) this.changed.fire(document.uri);
    }
  }

  /** `# file:line` notes link to the line that set the value (paths are relative to the root's directory). */
  provideDocumentLinks(document: vscode.TextDocument): vscode.DocumentLink[] {
    const rootDir = this.rootDirs.get(document.uri.toString());
    if (rootDir === undefined) return [];
    const links: vscode.DocumentLink[] = [];
    for (let line = 0; line < document.lineCount; line++) {
      const text = document.lineAt(line).text;
      const match = PROVENANCE.exec(text);
      if (!match) continue;
      const [, shownPath, lineNumber] = match;
      const file = vscode.Uri.file(path.resolve(rootDir, shownPath));
      const start = match.index + 2;
      const link = new vscode.DocumentLink(
        new vscode.Range(line, start, line, start + shownPath.length + 1 + lineNumber.length),
        file.with({ fragment: `L${lineNumber}` }),
      );
      link.tooltip = `Open ${shownPath} at line ${lineNumber}`;
      links.push(link);
    }
    return links;
  }

  /** Re-requests an already open document (running the command again shows the current state). */
  refresh(uri: vscode.Uri): void {
    if (vscode.workspace.textDocuments.some((document) => document.uri.toString() === uri.toString()))
      this.changed.fire(uri);
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
  }
}

export function registerShowEffectiveConfig(context: vscode.ExtensionContext, controller: ServerController): void {
  const provider = new EffectiveConfigProvider(controller);
  context.subscriptions.push(
    provider,
    vscode.workspace.registerTextDocumentContentProvider(EFFECTIVE_SCHEME, provider),
    vscode.languages.registerDocumentLinkProvider({ scheme: EFFECTIVE_SCHEME }, provider),
    vscode.commands.registerCommand(REVEAL_SECRETS_COMMAND, async (target?: vscode.Uri) => {
      const view = target instanceof vscode.Uri ? target : vscode.window.activeTextEditor?.document.uri;
      const source = view?.scheme === EFFECTIVE_SCHEME ? new URLSearchParams(view.query).get('source') : undefined;
      if (!source) {
        void vscode.window.showInformationMessage(
          'Dovecot: Reveal Secrets works in the effective configuration view (Dovecot: Show Effective Configuration).',
        );
        return;
      }
      await vscode.commands.executeCommand(SHOW_EFFECTIVE_CONFIG_COMMAND, vscode.Uri.parse(source), {
        showSecrets: true,
        viewColumn: vscode.ViewColumn.Active,
      });
    }),
    vscode.commands.registerCommand(
      SHOW_EFFECTIVE_CONFIG_COMMAND,
      async (target?: vscode.Uri, options?: { showSecrets?: boolean; viewColumn?: vscode.ViewColumn }) => {
        try {
          const source = target instanceof vscode.Uri ? target : vscode.window.activeTextEditor?.document.uri;
          if (source?.scheme === EFFECTIVE_SCHEME) return provider.refresh(source);
          if (!source) {
            void vscode.window.showInformationMessage(`${TITLE}: open a Dovecot configuration file first.`);
            return;
          }
          const uri = effectiveUriFor(source, options?.showSecrets === true);
          provider.refresh(uri);
          let document = await vscode.workspace.openTextDocument(uri);
          if (document.languageId !== 'dovecot')
            document = await vscode.languages.setTextDocumentLanguage(document, 'dovecot');
          await vscode.window.showTextDocument(document, {
            preview: false,
            viewColumn: options?.viewColumn ?? vscode.ViewColumn.Beside,
          });
        } catch (error) {
          const message = error instanceof Error ? error.message : String(error);
          void vscode.window.showErrorMessage(`${TITLE}: ${message}`);
        }
      },
    ),
  );
}
