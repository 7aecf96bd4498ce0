// `dovecot.setupReplication`: one numbered flow (quick inputs with Back) for the peer, this host's address,
// transport, port, password, mail user (defaults read from the tree, each saying where it came from), the
// CA for tcps and where the peer's configuration lives; then a diff of both files before anything is
// written, and a short result with "Show what was written". The configuration text comes from the pure
// generator (features/replicationSetup.ts); this file only asks, previews and writes.
import * as path from 'path';
import * as vscode from 'vscode';
import { ReplicationSetupPlanRequest } from '../../../server/src/protocol';
import {
  DEFAULT_DOVEADM_PORT,
  generatePassword,
  generatePeerConfig,
  generateReplicationConfig,
  ReplicationSetupError,
  ReplicationSetupOptions,
  ReplicationTransport,
  REPLICATION_CONF_PATH,
} from '../../../server/src/service/features/replicationSetup';
import type { SetupDefaults } from '../../../server/src/service/features/setupDefaults';
import type { ServerController } from '../extension';

export const SETUP_REPLICATION_COMMAND = 'dovecot.setupReplication';
const TITLE = 'Dovecot: Set Up Replication';
const PREVIEW_SCHEME = 'dovecot-setup-preview';

export function registerSetupReplication(context: vscode.ExtensionContext, controller: ServerController): void {
  const previews = new PreviewProvider();
  context.subscriptions.push(
    vscode.workspace.registerTextDocumentContentProvider(PREVIEW_SCHEME, previews),
    vscode.commands.registerCommand(SETUP_REPLICATION_COMMAND, async () => {
      try {
        await setupReplication(previews, controller);
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        void vscode.window.showErrorMessage(`${TITLE}: ${message}`);
      }
    }),
  );
}

/** Proposed file contents, shown in diff editors before anything is written. */
class PreviewProvider implements vscode.TextDocumentContentProvider {
  private readonly contents = new Map<string, string>();
  set(uri: vscode.Uri, content: string): void {
    this.contents.set(uri.toString(), content);
  }
  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.contents.get(uri.toString()) ?? '';
  }
}

interface Answers {
  peerHost: string;
  localHost: string;
  transport: ReplicationTransport;
  port: number;
  password: string;
  mailUser: string;
  caFile?: string;
  /** Folder of the peer's dovecot.conf, or undefined to skip the peer's file. */
  peerDir?: string;
}

/** A step returns the next step's index change: +1 forward, -1 back (the Back button), or undefined to cancel. */
type Step = (answers: Partial<Answers>, title: string) => Promise<'next' | 'back' | undefined>;

async function setupReplication(previews: PreviewProvider, controller: ServerController): Promise<void> {
  const rootFile = await findRootConfig();
  if (!rootFile) {
    void vscode.window.showErrorMessage(`${TITLE}: no dovecot.conf found; open one or set dovecot.rootConfig.`);
    return;
  }
  const client = controller.languageClient;
  if (!client?.isRunning()) {
    void vscode.window.showErrorMessage(`${TITLE}: the Dovecot language server is not running; restart it and try again.`);
    return;
  }
  const plan = await client.sendRequest(ReplicationSetupPlanRequest, { uri: rootFile.toString() });
  if (!plan) {
    void vscode.window.showErrorMessage(`${TITLE}: the language server could not read ${vscode.workspace.asRelativePath(rootFile)}.`);
    return;
  }
  const answers = await ask(plan.defaults, rootFile);
  if (!answers) return;

  const options: ReplicationSetupOptions = { ...answers, mailPlugins: plan.mailPlugins };
  const own = generateReplicationConfig(options);
  const ownFile = vscode.Uri.file(path.join(path.dirname(rootFile.fsPath), REPLICATION_CONF_PATH));
  const planned: { file: vscode.Uri; content: string }[] = [{ file: ownFile, content: own.files[0].content }];
  if (answers.peerDir) {
    const peer = generatePeerConfig({ ...options, mailPlugins: undefined, localHost: answers.localHost });
    planned.push({ file: vscode.Uri.file(path.join(answers.peerDir, REPLICATION_CONF_PATH)), content: peer.files[0].content });
  }

  for (const { file, content } of planned) await showPreview(previews, file, content);
  const existing = (await Promise.all(planned.map(async ({ file }) => ((await exists(file)) ? file : undefined)))).filter((file) => file !== undefined);
  const edits = Object.entries(own.edits).map(([file, fileEdits]) => `${vscode.workspace.asRelativePath(file)} line ${fileEdits[0].range.start.line + 1} (mail_plugins)`);
  const writeItem: vscode.QuickPickItem = {
    label: '$(check) Write the files shown in the diff',
    description: planned.map(({ file }) => vscode.workspace.asRelativePath(file)).join(', '),
    detail: [
      ...(edits.length > 0 ? [`Also extends ${edits.join(', ')}.`] : []),
      ...(existing.length > 0 ? [`Replaces the existing ${existing.map((file) => vscode.workspace.asRelativePath(file)).join(' and ')}.`] : []),
      ...own.notes,
    ].join(' ') || undefined,
  };
  // A quick pick, not a modal dialog: the diff stays readable below it.
  const confirm = await vscode.window.showQuickPick([writeItem, { label: '$(close) Cancel', description: 'write nothing' }], {
    title: `${TITLE}: write?`,
    placeHolder: 'Check the proposed files in the diff editors, then write them',
    ignoreFocusOut: true,
  });
  if (confirm !== writeItem) return;

  for (const { file, content } of planned) {
    await vscode.workspace.fs.createDirectory(vscode.Uri.file(path.dirname(file.fsPath)));
    await vscode.workspace.fs.writeFile(file, Buffer.from(content, 'utf8'));
  }
  // The generated text has no mail_plugins line when the existing one is extended in place.
  for (const [file, fileEdits] of Object.entries(own.edits)) await applyFileEdits(file, fileEdits);

  const written = planned.map(({ file }) => file);
  const choice = await vscode.window.showInformationMessage(`Replication set up: ${written.length} file${written.length === 1 ? '' : 's'} written.`, 'Show what was written');
  if (choice === 'Show what was written') {
    for (const file of written) await vscode.window.showTextDocument(file, { preview: false });
  }
}

async function showPreview(previews: PreviewProvider, file: vscode.Uri, content: string): Promise<void> {
  const proposed = vscode.Uri.from({ scheme: PREVIEW_SCHEME, path: file.path });
  previews.set(proposed, content);
  const current = (await exists(file)) ? file : vscode.Uri.from({ scheme: PREVIEW_SCHEME, path: `${file.path}.empty` });
  await vscode.commands.executeCommand('vscode.diff', current, proposed, `${vscode.workspace.asRelativePath(file)} (proposed)`, { preview: false });
}

// ----------------------------------------------------------------------------- the questions --

async function ask(defaults: SetupDefaults, rootFile: vscode.Uri): Promise<Answers | undefined> {
  const answers: Partial<Answers> = {};
  const steps: Step[] = [
    (a, title) => inputStep(a, title, 'peerHost', {
      prompt: 'Peer host: the other replica, as this host reaches it (name or IP address)',
      placeHolder: 'mail2.example.com',
      validate: (value) => problemWith({ peerHost: value }, 'peer host'),
    }),
    (a, title) => inputStep(a, title, 'localHost', {
      prompt: `This host's name or address, as the peer reaches it${defaults.localHost ? ` (proposed from ${defaults.localHost.reason})` : ''}`,
      value: defaults.localHost?.value,
      placeHolder: 'mail1.example.com',
      validate: (value) => problemWith({ peerHost: value }, 'peer host'),
    }),
    (a, title) => pickStep(a, title, 'transport', 'Transport for dsync between the hosts', [
      { label: 'tcps', description: 'TLS (needs ssl_cert/ssl_key and the CA of the peer certificate)', value: 'tcps' as const },
      { label: 'tcp', description: 'plain TCP (only on a trusted network or a VPN)', value: 'tcp' as const },
    ]),
    (a, title) => inputStep(a, title, 'port', {
      prompt: `doveadm port, the same on both hosts${defaults.port ? ` (proposed from ${defaults.port.reason})` : ''}`,
      value: defaults.port?.value ?? String(DEFAULT_DOVEADM_PORT),
      validate: (value) => (/^\d+$/.test(value) ? problemWith({ port: Number(value) }, 'port') : 'a number from 1 to 65535'),
      convert: Number,
    }),
    (a, title) => passwordStep(a, title),
    (a, title) => inputStep(a, title, 'mailUser', {
      prompt: `System user the mail processes run as, owner of the replication sockets (${defaults.mailUser.reason})`,
      value: defaults.mailUser.value,
      validate: (value) => problemWith({ mailUser: value }, 'mail user'),
    }),
    (a, title) => (a.transport === 'tcps'
      ? inputStep(a, title, 'caFile', {
        prompt: "CA file that signed the peer's certificate (empty: a public CA from the system store)",
        placeHolder: '/etc/dovecot/replication-ca.pem',
        allowEmpty: true,
        validate: (value) => (value === '' ? undefined : problemWith({ transport: 'tcps', caFile: value }, 'CA file')),
      })
      : Promise.resolve('next')),
    (a, title) => peerLocationStep(a, title, rootFile),
  ];
  for (let index = 0; index < steps.length;) {
    const total = answers.transport === 'tcp' ? steps.length - 1 : steps.length;
    const shown = answers.transport === 'tcp' && index > 6 ? index : index + 1;
    const outcome = await steps[index](answers, `${TITLE} (${shown}/${total})`);
    if (outcome === undefined) return undefined;
    index += outcome === 'next' ? 1 : -1;
    if (index < 0) index = 0;
    // the CA step does not exist for tcp: skip it in both directions
    if (index === 6 && answers.transport === 'tcp') index += outcome === 'next' ? 1 : -1;
  }
  if (answers.caFile === '') answers.caFile = undefined;
  return answers as Answers;
}

interface InputOptions<T> {
  prompt: string;
  value?: string;
  placeHolder?: string;
  allowEmpty?: boolean;
  validate: (value: string) => string | undefined;
  convert?: (value: string) => T;
}

function inputStep<K extends keyof Answers>(answers: Partial<Answers>, title: string, key: K, options: InputOptions<Answers[K]>): Promise<'next' | 'back' | undefined> {
  const box = vscode.window.createInputBox();
  box.title = title;
  box.prompt = options.prompt;
  box.placeholder = options.placeHolder;
  box.value = answers[key] !== undefined ? String(answers[key]) : (options.value ?? '');
  box.ignoreFocusOut = true;
  box.buttons = title.includes('(1/') ? [] : [vscode.QuickInputButtons.Back];
  return new Promise((resolve) => {
    const done = (outcome: 'next' | 'back' | undefined): void => {
      resolve(outcome);
      box.dispose();
    };
    box.onDidChangeValue((value) => { box.validationMessage = value === '' ? undefined : options.validate(value); });
    box.onDidTriggerButton(() => done('back'));
    box.onDidAccept(() => {
      const value = box.value.trim();
      const problem = value === '' ? (options.allowEmpty ? undefined : 'required') : options.validate(value);
      if (problem) {
        box.validationMessage = problem;
        return;
      }
      answers[key] = (options.convert ? options.convert(value) : value) as Answers[K];
      done('next');
    });
    box.onDidHide(() => done(undefined));
    box.show();
  });
}

function pickStep<K extends keyof Answers, T extends Answers[K]>(
  answers: Partial<Answers>,
  title: string,
  key: K,
  placeholder: string,
  items: (vscode.QuickPickItem & { value: T })[],
): Promise<'next' | 'back' | undefined> {
  const pick = vscode.window.createQuickPick<vscode.QuickPickItem & { value: T }>();
  pick.title = title;
  pick.placeholder = placeholder;
  pick.items = items;
  pick.ignoreFocusOut = true;
  pick.buttons = [vscode.QuickInputButtons.Back];
  const current = items.find((item) => item.value === answers[key]);
  if (current) pick.activeItems = [current];
  return new Promise((resolve) => {
    const done = (outcome: 'next' | 'back' | undefined): void => {
      resolve(outcome);
      pick.dispose();
    };
    pick.onDidTriggerButton(() => done('back'));
    pick.onDidAccept(() => {
      const chosen = pick.selectedItems[0];
      if (!chosen) return;
      answers[key] = chosen.value;
      done('next');
    });
    pick.onDidHide(() => done(undefined));
    pick.show();
  });
}

async function passwordStep(answers: Partial<Answers>, title: string): Promise<'next' | 'back' | undefined> {
  const generated = generatePassword();
  const holder: Partial<Answers> & { choice?: 'generate' | 'enter' } = {};
  const choice = await pickStep(holder as Partial<Answers>, title, 'password', 'doveadm_password (identical on both hosts)', [
    { label: 'Use a generated password', description: `${generated.slice(0, 8)}… (${generated.length} random characters)`, value: generated },
    { label: 'Enter a password', description: 'e.g. the one already set on the peer', value: '' },
  ]);
  if (choice !== 'next') return choice;
  if (holder.password) {
    answers.password = holder.password;
    return 'next';
  }
  const entered = await inputStep(answers, title, 'password', {
    prompt: 'doveadm_password (identical on both hosts)',
    validate: (value) => problemWith({ password: value }, 'password'),
  });
  return entered === 'back' ? passwordStep(answers, title) : entered;
}

/** The peer's configuration folder: another root of the workspace, a folder to pick or create, or none. */
async function peerLocationStep(answers: Partial<Answers>, title: string, rootFile: vscode.Uri): Promise<'next' | 'back' | undefined> {
  const roots = (await vscode.workspace.findFiles('**/dovecot.conf', '**/node_modules/**', 20))
    .filter((uri) => uri.fsPath !== rootFile.fsPath)
    .map((uri) => ({ label: vscode.workspace.asRelativePath(path.dirname(uri.fsPath)), description: "the peer's dovecot.conf is here", value: path.dirname(uri.fsPath) }));
  const holder: Partial<Answers> = {};
  const outcome = await pickStep(holder, title, 'peerDir', `Where is the peer's configuration (${REPLICATION_CONF_PATH} is written there)?`, [
    ...roots,
    { label: 'Type a folder…', description: 'created if it does not exist, e.g. beside this host\'s folder', value: 'type' },
    { label: 'Choose a folder…', description: 'with the file dialog', value: 'choose' },
    { label: "Don't write the peer's file", description: 'write only this host\'s', value: 'none' },
  ]);
  if (outcome !== 'next') return outcome;
  if (holder.peerDir === 'none') {
    answers.peerDir = undefined;
    return 'next';
  }
  if (holder.peerDir === 'choose') {
    const chosen = await vscode.window.showOpenDialog({ canSelectFolders: true, canSelectFiles: false, defaultUri: vscode.workspace.workspaceFolders?.[0]?.uri, openLabel: "Peer's Dovecot folder" });
    if (!chosen?.[0]) return peerLocationStep(answers, title, rootFile);
    answers.peerDir = chosen[0].fsPath;
    return 'next';
  }
  if (holder.peerDir === 'type') {
    const base = path.dirname(path.dirname(rootFile.fsPath));
    const typed = await inputStep(answers, title, 'peerDir', {
      prompt: "Folder of the peer's configuration (absolute, or relative to the folder above this host's)",
      value: path.join(base, 'peer'),
      validate: (value) => (value.includes('\n') ? 'one folder' : undefined),
      convert: (value) => path.resolve(base, value),
    });
    return typed === 'back' ? peerLocationStep(answers, title, rootFile) : typed;
  }
  answers.peerDir = holder.peerDir;
  return 'next';
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

// ---------------------------------------------------------------------------------- files --

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

async function exists(uri: vscode.Uri): Promise<boolean> {
  try {
    await vscode.workspace.fs.stat(uri);
    return true;
  } catch {
    return false;
  }
}
