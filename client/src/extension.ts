// VS Code entry point: starts the bundled language server and wires the status bar and commands.
import * as path from 'path';
import * as vscode from 'vscode';
import { LanguageClient, LanguageClientOptions, ServerOptions, TransportKind } from 'vscode-languageclient/node';
import { registerCommands } from './commands';
import { registerLiveReplication, type LiveReplication } from './commands/liveReplication';
import { SERVER_NODE_OPTIONS } from '../../server/src/launcher/nodeOptions';
import { InTreeRequest, StatusNotification, TreeFilesNotification, type TreeFiles } from '../../server/src/protocol';
import type { Converter } from './commands/convertTo24';
import type { SetupWizard } from './commands/setupReplication';
import { DialectStatusBar } from './statusBar';
import { TreeLanguage } from './treeLanguage';

export const LANGUAGE_ID = 'dovecot';
const CLIENT_ID = 'dovecot';
const CLIENT_NAME = 'Dovecot Language Server';

/** Owns the running LanguageClient so commands can restart it. */
export class ServerController {
  private client: LanguageClient | undefined;
  /** The Dovecot Replication view and status bar item (the integration tests read them). */
  live: LiveReplication | undefined;
  /** The replication setup wizard (the integration tests run it with a scripted UI). */
  setupWizard: SetupWizard | undefined;
  /** Convert to Dovecot 2.4 (the integration tests run it with a scripted UI). */
  converter: Converter | undefined;

  private readonly treeAnalysed = new vscode.EventEmitter<TreeFiles>();
  /** Fires after every analysis of a tree (whether or not its diagnostics changed), with its files. */
  readonly onTreeAnalysed = this.treeAnalysed.event;

  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly outputChannel: vscode.OutputChannel,
    readonly statusBar: DialectStatusBar,
    readonly treeLanguage: TreeLanguage,
  ) {
    context.subscriptions.push(this.treeAnalysed);
  }

  showOutput(): void {
    this.outputChannel.show(true);
  }

  get languageClient(): LanguageClient | undefined {
    return this.client;
  }

  async start(): Promise<void> {
    const client = createLanguageClient(this.context, this.outputChannel);
    client.onNotification(StatusNotification, (status) => this.statusBar.update(status));
    client.onNotification(TreeFilesNotification, (tree) => {
      this.treeLanguage.onTreeFiles(tree);
      this.treeAnalysed.fire(tree);
    });
    this.client = client;
    await client.start();
    this.treeLanguage.examineOpenDocuments();
  }

  async stop(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    this.statusBar.clear();
    if (client) await client.stop();
  }

  async restart(): Promise<void> {
    await this.stop();
    await this.start();
  }
}

function createLanguageClient(context: vscode.ExtensionContext, outputChannel: vscode.OutputChannel): LanguageClient {
  const serverModule = context.asAbsolutePath(path.join('dist', 'server.js'));
  const serverOptions: ServerOptions = {
    run: { module: serverModule, transport: TransportKind.ipc, options: { execArgv: [...SERVER_NODE_OPTIONS] } },
    debug: {
      module: serverModule,
      transport: TransportKind.ipc,
      options: { execArgv: [...SERVER_NODE_OPTIONS, '--nolazy', '--inspect=6010'] },
    },
  };
  const clientOptions: LanguageClientOptions = {
    // Each diagnostic links to its rule's row in the README shipped with the extension.
    // The server runs doveconf only in a trusted workspace; it is told again when trust is granted.
    initializationOptions: {
      ruleDocs: context.asAbsolutePath('README.md'),
      workspaceTrusted: vscode.workspace.isTrusted,
      conversionCommand: true,
    },
    documentSelector: [
      { scheme: 'file', language: LANGUAGE_ID },
      { scheme: 'untitled', language: LANGUAGE_ID },
    ],
    synchronize: {
      configurationSection: 'dovecot',
      // Included files change on disk too (git checkout, another editor): the server re-analyses their trees.
      fileEvents: watchConfigFiles(context),
    },
    outputChannel,
    traceOutputChannel: outputChannel,
  };
  // The client reads the trace level from `<CLIENT_ID>.trace.server`, i.e. `dovecot.trace.server`.
  return new LanguageClient(CLIENT_ID, CLIENT_NAME, serverOptions, clientOptions);
}

function watchConfigFiles(context: vscode.ExtensionContext): vscode.FileSystemWatcher {
  const watcher = vscode.workspace.createFileSystemWatcher(
    '**/{*.conf,*.conf.ext,conf.d/*,*.txt,*.pem,.dovecot-lint.json,package.json}',
  );
  context.subscriptions.push(watcher);
  return watcher;
}

let controller: ServerController | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<ServerController> {
  const outputChannel = vscode.window.createOutputChannel(CLIENT_NAME);
  const statusBar = new DialectStatusBar(LANGUAGE_ID);
  const treeLanguage = new TreeLanguage(LANGUAGE_ID, () => {
    const client = controller?.languageClient;
    return client?.isRunning() ? (uri) => client.sendRequest(InTreeRequest, { uri }) : undefined;
  });
  context.subscriptions.push(outputChannel, statusBar, treeLanguage);
  controller = new ServerController(context, outputChannel, statusBar, treeLanguage);
  registerCommands(context, controller);
  controller.live = registerLiveReplication(context, controller);
  await controller.start();
  return controller;
}

export async function deactivate(): Promise<void> {
  await controller?.stop();
  controller = undefined;
}
