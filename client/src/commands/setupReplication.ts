// `dovecot.setupReplication`: asks for the peer, transport, port and password, then writes
// conf.d/90-replication.conf next to the root config (or inserts into the open config) and,
// optionally, the peer's mirror file. The config text comes from the pure generator.
import * as path from 'path';
import * as vscode from 'vscode';
import { DovecotLanguageService } from '../../../server/src/service/languageService';
import { DiskHost } from '../../../server/src/service/model/diskHost';
import {
  DEFAULT_DOVEADM_PORT,
  DEFAULT_MAIL_USER,
  MailPluginsPlan,
  planMailPlugins,
  generatePassword,
  generatePeerConfig,
  generateReplicationConfig,
  ReplicationSetupError,
  ReplicationSetupOptions,
  ReplicationTransport,
  REPLICATION_CONF_PATH,
} from '../../../server/src/service/features/replicationSetup';

export const SETUP_REPLICATION_COMMAND = 'dovecot.setupReplication';
const TITLE = 'Dovecot: Set Up Replication';

export function registerSetupReplication(context: vscode.ExtensionContext): void {
  context.subscriptions.push(
    vscode.commands.registerCommand(SETUP_REPLICATION_COMMAND, async () => {
      try {
        await setupReplication();
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        void vscode.window.showErrorMessage(`${TITLE}: ${message}`);
      }
    }),
  );
}

async function setupReplication(): Promise<void> {
  const answers = await askOptions();
  if (!answers) return;
  const editor = vscode.window.activeTextEditor;
  const canInsert = editor?.document.languageId === 'dovecot';
  const rootFile = await findRootConfig();
  const target = await pickTarget(rootFile, canInsert);
  if (!target) return;

  const mailPlugins = rootFile ? await findGlobalMailPlugins(rootFile) : undefined;
  const setup = generateReplicationConfig({ ...answers, mailPlugins });
  const content = setup.files[0].content;

  if (target === 'insert' && editor) {
    await editor.edit((builder) => builder.insert(editor.selection.active, content));
  } else if (rootFile) {
    const file = vscode.Uri.file(path.join(path.dirname(rootFile.fsPath), REPLICATION_CONF_PATH));
    if (!(await writeAsking(file, content))) return;
    await vscode.window.showTextDocument(file, { preview: false });
  }
  // The generated text has no mail_plugins line when it is extended in place instead.
  for (const [file, edits] of Object.entries(setup.edits)) await applyFileEdits(file, edits);

  await offerPeerFile(answers);
  const notes = [...setup.notes];
  if (mailPlugins?.kind === 'extend') notes.unshift(`mail_plugins extended in ${path.basename(mailPlugins.file)} line ${mailPlugins.range.start.line + 1}.`);
  void vscode.window.showInformationMessage(`${TITLE}: done. ${notes.join(' ')}`.trim());
}

type Answers = ReplicationSetupOptions;

async function askOptions(): Promise<Answers | undefined> {
  const peerHost = await vscode.window.showInputBox({
    title: `${TITLE} (1/5)`,
    prompt: 'Peer host: the other replica, as this host reaches it (name or IP address)',
    placeHolder: 'mail2.example.com',
    ignoreFocusOut: true,
    validateInput: (value) => problemWith({ peerHost: value }, 'peer host'),
  });
  if (!peerHost) return undefined;
  const transportPick = await vscode.window.showQuickPick(
    [
      { label: 'tcps', description: 'TLS (needs ssl_cert/ssl_key and the CA of the peer certificate)', transport: 'tcps' as const },
      { label: 'tcp', description: 'plain TCP (only on a trusted network or a VPN)', transport: 'tcp' as const },
    ],
    { title: `${TITLE} (2/5)`, placeHolder: 'Transport for dsync between the hosts', ignoreFocusOut: true },
  );
  if (!transportPick) return undefined;
  const transport: ReplicationTransport = transportPick.transport;
  const portText = await vscode.window.showInputBox({
    title: `${TITLE} (3/5)`,
    prompt: 'doveadm port (the same on both hosts)',
    value: String(DEFAULT_DOVEADM_PORT),
    ignoreFocusOut: true,
    validateInput: (value) => (/^\d+$/.test(value) ? problemWith({ port: Number(value) }, 'port') : 'a number from 1 to 65535'),
  });
  if (!portText) return undefined;
  const password = await askPassword();
  if (!password) return undefined;
  const mailUser = await vscode.window.showInputBox({
    title: `${TITLE} (5/5)`,
    prompt: 'System user the mail processes run as (owner of the replication notify fifo and sockets)',
    value: DEFAULT_MAIL_USER,
    ignoreFocusOut: true,
    validateInput: (value) => problemWith({ mailUser: value }, 'mail user'),
  });
  if (!mailUser) return undefined;
  let caFile: string | undefined;
  if (transport === 'tcps') {
    const ca = await vscode.window.showInputBox({
      title: `${TITLE}: CA file`,
      prompt: "Path of the CA that signed the peer's certificate (empty: a public CA from /etc/ssl/certs)",
      placeHolder: '/etc/dovecot/replication-ca.pem',
      ignoreFocusOut: true,
      validateInput: (value) => (value === '' ? undefined : problemWith({ transport: 'tcps', caFile: value }, 'CA file')),
    });
    if (ca === undefined) return undefined;
    caFile = ca === '' ? undefined : ca;
  }
  return { peerHost, transport, port: Number(portText), password, mailUser, caFile };
}

async function askPassword(): Promise<string | undefined> {
  const generated = generatePassword();
  const choice = await vscode.window.showQuickPick(
    [
      { label: 'Use a generated password', description: `${generated.slice(0, 8)}… (${generated.length} random characters)`, generate: true },
      { label: 'Enter a password', description: 'e.g. the one already set on the peer', generate: false },
    ],
    { title: `${TITLE} (4/5)`, placeHolder: 'doveadm_password (identical on both hosts)', ignoreFocusOut: true },
  );
  if (!choice) return undefined;
  if (choice.generate) return generated;
  return vscode.window.showInputBox({
    title: `${TITLE} (4/5)`,
    prompt: 'doveadm_password (identical on both hosts)',
    password: true,
    ignoreFocusOut: true,
    validateInput: (value) => problemWith({ password: value }, 'password'),
  });
}

/** The generator's complaint about one field, or undefined when it is fine. */
function problemWith(field: Partial<ReplicationSetupOptions>, topic: string): string | undefined {
  try {
    generateReplicationConfig({ peerHost: 'peer.example.com', transport: 'tcp', port: DEFAULT_DOVEADM_PORT, password: 'x', ...field });
    return undefined;
  } catch (error) {
    if (!(error instanceof ReplicationSetupError)) throw error;
    return error.message.split('; ').find((part) => part.includes(topic.split(' ')[0])) ?? error.message;
  }
}

async function pickTarget(rootFile: vscode.Uri | undefined, canInsert: boolean): Promise<'file' | 'insert' | undefined> {
  const items: { label: string; description: string; target: 'file' | 'insert' }[] = [];
  if (rootFile) items.push({ label: `Write ${REPLICATION_CONF_PATH}`, description: `next to ${vscode.workspace.asRelativePath(rootFile)}`, target: 'file' });
  if (canInsert) items.push({ label: 'Insert into the open file', description: 'at the cursor', target: 'insert' });
  if (items.length === 0) {
    void vscode.window.showErrorMessage(`${TITLE}: no dovecot.conf found; open one or set dovecot.rootConfig.`);
    return undefined;
  }
  if (items.length === 1) return items[0].target;
  return (await vscode.window.showQuickPick(items, { title: TITLE, placeHolder: 'Where should the configuration go?', ignoreFocusOut: true }))?.target;
}

async function findRootConfig(): Promise<vscode.Uri | undefined> {
  const document = vscode.window.activeTextEditor?.document;
  const folder = (document && vscode.workspace.getWorkspaceFolder(document.uri)) ?? vscode.workspace.workspaceFolders?.[0];
  const configured = vscode.workspace.getConfiguration('dovecot', document?.uri).get<string>('rootConfig', '');
  if (configured) return vscode.Uri.file(path.isAbsolute(configured) || !folder ? configured : path.join(folder.uri.fsPath, configured));
  if (document?.uri.scheme === 'file') {
    for (let dir = path.dirname(document.uri.fsPath); ; dir = path.dirname(dir)) {
      const candidate = vscode.Uri.file(path.join(dir, 'dovecot.conf'));
      if (await exists(candidate)) return candidate;
      if (path.dirname(dir) === dir) break;
    }
  }
  const found = await vscode.workspace.findFiles('**/dovecot.conf', '**/node_modules/**', 20);
  if (found.length <= 1) return found[0];
  const pick = await vscode.window.showQuickPick(found.map((uri) => ({ label: vscode.workspace.asRelativePath(uri), uri })), { title: TITLE, placeHolder: 'Root configuration of this host' });
  return pick?.uri;
}

/** The global `mail_plugins` in effect, found by analysing the whole include tree with the same engine as the server. */
async function findGlobalMailPlugins(rootFile: vscode.Uri): Promise<MailPluginsPlan> {
  const service = new DovecotLanguageService(new DiskHost());
  return planMailPlugins(service.analyze(rootFile.fsPath));
}

/** The service's minimal edits (LSP ranges) applied to one file of the tree, then saved. */
async function applyFileEdits(file: string, edits: { range: { start: { line: number; character: number }; end: { line: number; character: number } }; newText: string }[]): Promise<void> {
  const document = await vscode.workspace.openTextDocument(vscode.Uri.file(file));
  const edit = new vscode.WorkspaceEdit();
  for (const change of edits) {
    const { start, end } = change.range;
    edit.replace(document.uri, new vscode.Range(start.line, start.character, end.line, end.character), change.newText);
  }
  await vscode.workspace.applyEdit(edit);
  await document.save();
}

async function offerPeerFile(answers: Answers): Promise<void> {
  const choice = await vscode.window.showInformationMessage(`${TITLE}: also write the mirror file for ${answers.peerHost}?`, 'Write peer file', 'Skip');
  if (choice !== 'Write peer file') return;
  const localHost = await vscode.window.showInputBox({
    title: `${TITLE}: this host`,
    prompt: `This host's name or IP address, as ${answers.peerHost} reaches it`,
    ignoreFocusOut: true,
    validateInput: (value) => problemWith({ peerHost: value }, 'peer host'),
  });
  if (!localHost) return;
  const folders = await vscode.window.showOpenDialog({ canSelectFolders: true, canSelectFiles: false, openLabel: "Peer's Dovecot config folder" });
  if (!folders?.[0]) return;
  const peer = generatePeerConfig({ ...answers, localHost });
  const file = vscode.Uri.joinPath(folders[0], REPLICATION_CONF_PATH);
  if (await writeAsking(file, peer.files[0].content)) await vscode.window.showTextDocument(file, { preview: false });
}

/** Writes the file, asking first when it exists. Returns whether it was written. */
async function writeAsking(file: vscode.Uri, content: string): Promise<boolean> {
  if (await exists(file)) {
    const answer = await vscode.window.showWarningMessage(`${file.fsPath} exists. Overwrite it?`, { modal: true }, 'Overwrite');
    if (answer !== 'Overwrite') return false;
  }
  await vscode.workspace.fs.createDirectory(vscode.Uri.file(path.dirname(file.fsPath)));
  await vscode.workspace.fs.writeFile(file, Buffer.from(content, 'utf8'));
  return true;
}

async function exists(uri: vscode.Uri): Promise<boolean> {
  try {
    await vscode.workspace.fs.stat(uri);
    return true;
  } catch {
    return false;
  }
}
