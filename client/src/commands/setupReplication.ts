// `dovecot.setupReplication`: one numbered flow (quick inputs with Back, 8 steps whatever is answered) for the
// peer, this host's address, transport (and CA for tcps), port, password, mail user (defaults read from the
// tree, each saying where it came from) and where the peer's configuration lives; the last step shows both
// files as diffs and writes them only when confirmed, then a short result with "Show what was written".
// The configuration text comes from the pure generator (features/replicationSetup.ts); the questions go
// through a SetupUi (setupUi.ts): VS Code's quick inputs, or a scripted one in the editor tests.
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
  type MailPluginsPlan,
  REPLICATION_CONF_PATH,
} from '../../../server/src/service/features/replicationSetup';
import type { SetupDefaults } from '../../../server/src/service/features/setupDefaults';
import type { ServerController } from '../extension';
import { VscodeSetupUi, type InputQuestion, type SetupUi, type ShownStep } from './setupUi';

export const SETUP_REPLICATION_COMMAND = 'dovecot.setupReplication';
const LANGUAGE_ID = 'dovecot';
export const TITLE = 'Dovecot: Set Up Replication';
export const PREVIEW_SCHEME = 'dovecot-setup-preview';
export const SHOW_WRITTEN = 'Show what was written';
const WRITE_LABEL = '$(check) Write the files shown in the diff';

/** The wizard as the extension exposes it: `run` with another SetupUi (the editor tests), `onDidShowStep` of the real one. */
export interface SetupWizard {
  run(ui?: SetupUi): Promise<void>;
  onDidShowStep: vscode.Event<ShownStep>;
}

export function registerSetupReplication(context: vscode.ExtensionContext, controller: ServerController): SetupWizard {
  const previews = new PreviewProvider();
  const shown = new vscode.EventEmitter<ShownStep>();
  const run = async (ui: SetupUi = new VscodeSetupUi(shown)): Promise<void> => {
    try {
      await setupReplication(ui, previews, controller);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      void vscode.window.showErrorMessage(`${TITLE}: ${message}`);
    }
  };
  context.subscriptions.push(
    shown,
    vscode.workspace.registerTextDocumentContentProvider(PREVIEW_SCHEME, previews),
    vscode.commands.registerCommand(SETUP_REPLICATION_COMMAND, () => run()),
  );
  return { run, onDidShowStep: shown.event };
}

/** Proposed file contents, shown in diff editors before anything is written. */
class PreviewProvider implements vscode.TextDocumentContentProvider {
  private readonly contents = new Map<string, string>();
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;
  set(uri: vscode.Uri, content: string): void {
    this.contents.set(uri.toString(), content);
    this.changed.fire(uri);
  }
  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.contents.get(uri.toString()) ?? '';
  }
}

type PeerLocation = { kind: 'folder'; folder: string } | { kind: 'type' } | { kind: 'choose' } | { kind: 'none' };
type TransportChoice = 'tcps' | 'tcps-ca' | 'tcp';

interface Answers {
  peerHost: string;
  localHost: string;
  transport: ReplicationTransport;
  caFile?: string;
  port: number;
  password: string;
  passwordChoice: 'generated' | 'enter';
  mailUser: string;
  /** Folder of the peer's dovecot.conf, or undefined to skip the peer's file. */
  peerDir?: string;
  peerChoice: PeerLocation;
}

interface Planned {
  file: vscode.Uri;
  content: string;
}

interface Flow {
  ui: SetupUi;
  defaults: SetupDefaults;
  rootFile: vscode.Uri;
  answers: Partial<Answers>;
  generated: string;
}

type Outcome = 'next' | 'back' | undefined;
/** One numbered step; `back` says whether it offers the Back button. */
type Step = (flow: Flow, title: string, back: boolean) => Promise<Outcome>;

const QUESTIONS: Step[] = [
  peerHostStep,
  localHostStep,
  transportStep,
  portStep,
  passwordStep,
  mailUserStep,
  peerLocationStep,
];
/** The questions, then the review of both files with the write confirmation. */
export const STEP_COUNT = QUESTIONS.length + 1;

async function setupReplication(ui: SetupUi, previews: PreviewProvider, controller: ServerController): Promise<void> {
  const rootFile = await findRootConfig();
  if (!rootFile) {
    void vscode.window.showErrorMessage(`${TITLE}: no dovecot.conf found; open one or set dovecot.rootConfig.`);
    return;
  }
  const client = controller.languageClient;
  if (!client?.isRunning()) {
    void vscode.window.showErrorMessage(
      `${TITLE}: the Dovecot language server is not running; restart it and try again.`,
    );
    return;
  }
  const plan = await client.sendRequest(ReplicationSetupPlanRequest, { uri: rootFile.toString() });
  if (!plan) {
    void vscode.window.showErrorMessage(
      `${TITLE}: the language server could not read ${vscode.workspace.asRelativePath(rootFile)}.`,
    );
    return;
  }
  const flow: Flow = { ui, defaults: plan.defaults, rootFile, answers: {}, generated: generatePassword() };
  const mailPlugins = plan.mailPlugins;

  for (let index = 0; index < STEP_COUNT;) {
    const title = `${TITLE} (${index + 1}/${STEP_COUNT})`;
    const outcome =
      index < QUESTIONS.length
        ? await QUESTIONS[index](flow, title, index > 0)
        : await reviewAndWrite(flow, title, previews, mailPlugins);
    if (outcome === undefined) return;
    index = outcome === 'next' ? index + 1 : Math.max(0, index - 1);
  }
}

/** The last step: both files as diffs, then write them only when confirmed. */
async function reviewAndWrite(
  flow: Flow,
  title: string,
  previews: PreviewProvider,
  mailPlugins: MailPluginsPlan,
): Promise<Outcome> {
  const answers = flow.answers as Answers;
  const options: ReplicationSetupOptions = { ...answers, mailPlugins };
  const own = generateReplicationConfig(options);
  const planned: Planned[] = [
    {
      file: vscode.Uri.file(path.join(path.dirname(flow.rootFile.fsPath), REPLICATION_CONF_PATH)),
      content: own.files[0].content,
    },
  ];
  if (answers.peerDir) {
    const peer = generatePeerConfig({ ...options, mailPlugins: undefined, localHost: answers.localHost });
    planned.push({
      file: vscode.Uri.file(path.join(answers.peerDir, REPLICATION_CONF_PATH)),
      content: peer.files[0].content,
    });
  }
  for (const { file, content } of planned) await showPreview(previews, file, content);

  const existing = (
    await Promise.all(planned.map(async ({ file }) => ((await exists(file)) ? file : undefined)))
  ).filter((file) => file !== undefined);
  const edits = Object.entries(own.edits).map(
    ([file, fileEdits]) =>
      `${vscode.workspace.asRelativePath(file)} line ${fileEdits[0].range.start.line + 1} (mail_plugins)`,
  );
  const reply = await flow.ui.pick<'write' | 'cancel'>({
    title,
    placeholder: 'Check the proposed files in the diff editors, then write them',
    back: true,
    items: [
      {
        label: WRITE_LABEL,
        description: planned.map(({ file }) => vscode.workspace.asRelativePath(file)).join(', '),
        detail:
          [
            ...(edits.length > 0 ? [`Also extends ${edits.join(', ')}.`] : []),
            ...(existing.length > 0
              ? [
                  `Replaces the existing ${existing.map((file) => vscode.workspace.asRelativePath(file)).join(' and ')}.`,
                ]
              : []),
            ...own.notes,
          ].join(' ') || undefined,
        value: 'write',
      },
      { label: '$(close) Cancel', description: 'write nothing', value: 'cancel' },
    ],
  });
  if (reply === 'back') return 'back';
  if (reply?.value !== 'write') return undefined;

  for (const { file, content } of planned) {
    await vscode.workspace.fs.createDirectory(vscode.Uri.file(path.dirname(file.fsPath)));
    await vscode.workspace.fs.writeFile(file, Buffer.from(content, 'utf8'));
  }
  // The generated text has no mail_plugins line when the existing one is extended in place.
  for (const [file, fileEdits] of Object.entries(own.edits)) await applyFileEdits(file, fileEdits);

  const written = planned.map(({ file }) => file);
  if (
    await flow.ui.result(
      `Replication set up: ${written.length} file${written.length === 1 ? '' : 's'} written.`,
      SHOW_WRITTEN,
    )
  ) {
    for (const file of written) await vscode.window.showTextDocument(file, { preview: false });
  }
  return 'next';
}

async function showPreview(previews: PreviewProvider, file: vscode.Uri, content: string): Promise<void> {
  const proposed = vscode.Uri.from({ scheme: PREVIEW_SCHEME, path: file.path });
  previews.set(proposed, content);
  const current = (await exists(file)) ? file : vscode.Uri.from({ scheme: PREVIEW_SCHEME, path: `${file.path}.empty` });
  // both sides are Dovecot configuration, whatever their paths look like
  for (const side of [current, proposed]) {
    const document = await vscode.workspace.openTextDocument(side);
    if (document.languageId !== LANGUAGE_ID) await vscode.languages.setTextDocumentLanguage(document, LANGUAGE_ID);
  }
  await vscode.commands.executeCommand(
    'vscode.diff',
    current,
    proposed,
    `${vscode.workspace.asRelativePath(file)} (proposed)`,
    { preview: false },
  );
}

// ----------------------------------------------------------------------------- the questions --

/** Asks until the answer is valid (a scripted UI may answer anything); records it under `key`. */
async function ask<K extends keyof Answers>(
  flow: Flow,
  key: K,
  question: InputQuestion,
  convert: (value: string) => Answers[K],
): Promise<Outcome> {
  for (;;) {
    const reply = await flow.ui.input(question);
    if (reply === undefined || reply === 'back') return reply;
    const value = reply.value.trim();
    const problem = value === '' ? (question.allowEmpty ? undefined : 'required') : question.validate(value);
    if (problem) {
      question = { ...question, value };
      continue;
    }
    flow.answers[key] = convert(value);
    return 'next';
  }
}

/**
 * The typed answer a pick leads to ("tcps with a CA file…", "Enter a password", "Type a folder…"): its
 * Back button returns to the pick, which `pickAgain` shows again.
 */
async function askAfterPick<K extends keyof Answers>(
  flow: Flow,
  key: K,
  question: Omit<InputQuestion, 'back'>,
  convert: (value: string) => Answers[K],
  pickAgain: () => Promise<Outcome>,
): Promise<Outcome> {
  const outcome = await ask(flow, key, { ...question, back: true }, convert);
  return outcome === 'back' ? pickAgain() : outcome;
}

function kept(flow: Flow, key: keyof Answers, proposed: string | undefined): string {
  const previous = flow.answers[key];
  return previous !== undefined && typeof previous !== 'object' ? String(previous) : (proposed ?? '');
}

function proposedFrom(proposal: { reason: string } | undefined): string {
  return proposal ? ` (proposed from ${proposal.reason})` : '';
}

function peerHostStep(flow: Flow, title: string, back: boolean): Promise<Outcome> {
  return ask(
    flow,
    'peerHost',
    {
      title,
      back,
      prompt: `Peer host: the other replica, as this host reaches it (name or IP address)${proposedFrom(flow.defaults.peerHost)}`,
      value: kept(flow, 'peerHost', flow.defaults.peerHost?.value),
      placeholder: 'mail2.example.com',
      validate: (value) => problemWith({ peerHost: value }, 'peer host'),
    },
    String,
  );
}

function localHostStep(flow: Flow, title: string, back: boolean): Promise<Outcome> {
  return ask(
    flow,
    'localHost',
    {
      title,
      back,
      prompt: `This host's name or address, as the peer reaches it${proposedFrom(flow.defaults.localHost)}`,
      value: kept(flow, 'localHost', flow.defaults.localHost?.value),
      placeholder: 'mail1.example.com',
      validate: (value) =>
        value === flow.answers.peerHost
          ? 'this host and the peer must differ'
          : problemWith({ peerHost: value }, 'peer host'),
    },
    String,
  );
}

async function transportStep(flow: Flow, title: string, back: boolean): Promise<Outcome> {
  const answers = flow.answers;
  const previous: TransportChoice | undefined =
    answers.transport === 'tcp'
      ? 'tcp'
      : answers.transport === 'tcps'
        ? answers.caFile
          ? 'tcps-ca'
          : 'tcps'
        : undefined;
  const reply = await flow.ui.pick<TransportChoice>({
    title,
    back,
    placeholder: `Transport for dsync between the hosts${proposedFrom(flow.defaults.transport)}`,
    active: previous ?? flow.defaults.transport?.value ?? 'tcps',
    items: [
      {
        label: 'tcps',
        description: "TLS; the peer's certificate is signed by a public CA (the system store)",
        value: 'tcps',
      },
      {
        label: 'tcps with a CA file…',
        description: "TLS; the peer's certificate is signed by your own CA",
        value: 'tcps-ca',
      },
      { label: 'tcp', description: 'plain TCP (only on a trusted network or a VPN)', value: 'tcp' },
    ],
  });
  if (reply === undefined || reply === 'back') return reply;
  answers.transport = reply.value === 'tcp' ? 'tcp' : 'tcps';
  if (reply.value !== 'tcps-ca') {
    answers.caFile = undefined;
    return 'next';
  }
  return askAfterPick(
    flow,
    'caFile',
    {
      title,
      prompt: "CA file that signed the peer's certificate",
      value: answers.caFile ?? '',
      placeholder: '/etc/dovecot/replication-ca.pem',
      validate: (value) => problemWith({ transport: 'tcps', caFile: value }, 'CA file'),
    },
    String,
    () => transportStep(flow, title, back),
  );
}

function portStep(flow: Flow, title: string, back: boolean): Promise<Outcome> {
  return ask(
    flow,
    'port',
    {
      title,
      back,
      prompt: `doveadm port, the same on both hosts${proposedFrom(flow.defaults.port)}`,
      value: kept(flow, 'port', flow.defaults.port?.value ?? String(DEFAULT_DOVEADM_PORT)),
      validate: (value) =>
        /^\d+$/.test(value) ? problemWith({ port: Number(value) }, 'port') : 'a number from 1 to 65535',
    },
    Number,
  );
}

async function passwordStep(flow: Flow, title: string, back: boolean): Promise<Outcome> {
  const { answers, generated } = flow;
  const reply = await flow.ui.pick<'generated' | 'enter'>({
    title,
    back,
    placeholder: 'doveadm_password (identical on both hosts)',
    active: answers.passwordChoice,
    items: [
      {
        label: 'Use a generated password',
        description: `${generated.slice(0, 8)}… (${generated.length} random characters)`,
        value: 'generated',
      },
      { label: 'Enter a password', description: 'e.g. the one already set on the peer', value: 'enter' },
    ],
  });
  if (reply === undefined || reply === 'back') return reply;
  answers.passwordChoice = reply.value;
  if (reply.value === 'generated') {
    answers.password = generated;
    return 'next';
  }
  return askAfterPick(
    flow,
    'password',
    {
      title,
      prompt: 'doveadm_password (identical on both hosts)',
      value: answers.password !== undefined && answers.password !== generated ? answers.password : '',
      validate: (value) => problemWith({ password: value }, 'password'),
    },
    String,
    () => passwordStep(flow, title, back),
  );
}

function mailUserStep(flow: Flow, title: string, back: boolean): Promise<Outcome> {
  const proposal = flow.defaults.mailUser;
  return ask(
    flow,
    'mailUser',
    {
      title,
      back,
      prompt: `System user the mail processes run as, owner of the replication sockets (${proposal.value === '' ? proposal.reason : `proposed from ${proposal.reason}`})`,
      value: kept(flow, 'mailUser', proposal.value),
      validate: (value) => problemWith({ mailUser: value }, 'mail user'),
    },
    String,
  );
}

/** The peer's configuration folder: another root of the workspace, a folder to type (created) or pick, or none. */
async function peerLocationStep(flow: Flow, title: string, back: boolean): Promise<Outcome> {
  const { answers, rootFile } = flow;
  const roots = (await vscode.workspace.findFiles('**/dovecot.conf', '**/node_modules/**', 20))
    .filter((uri) => uri.fsPath !== rootFile.fsPath)
    .map((uri) => path.dirname(uri.fsPath))
    .sort((a, b) => closeness(b, rootFile.fsPath) - closeness(a, rootFile.fsPath) || a.localeCompare(b));
  const previous = answers.peerChoice;
  const reply = await flow.ui.pick<PeerLocation>({
    title,
    back,
    placeholder: `Where is the peer's configuration (${REPLICATION_CONF_PATH} is written there)?`,
    active: previous,
    items: [
      ...roots.map((folder) => ({
        label: vscode.workspace.asRelativePath(folder),
        description: "the peer's dovecot.conf is here",
        value: sameChoice(previous, { kind: 'folder', folder }),
      })),
      {
        label: 'Type a folder…',
        description: 'created if it does not exist',
        value: sameChoice(previous, { kind: 'type' }),
      },
      {
        label: 'Choose a folder…',
        description: 'with the file dialog',
        value: sameChoice(previous, { kind: 'choose' }),
      },
      {
        label: "Don't write the peer's file",
        description: "write only this host's",
        value: sameChoice(previous, { kind: 'none' }),
      },
    ],
  });
  if (reply === undefined || reply === 'back') return reply;
  const choice = reply.value;
  answers.peerChoice = choice;
  if (choice.kind === 'none') {
    answers.peerDir = undefined;
    return 'next';
  }
  if (choice.kind === 'folder') {
    answers.peerDir = choice.folder;
    return 'next';
  }
  if (choice.kind === 'choose') {
    const chosen = await flow.ui.chooseFolder(vscode.workspace.workspaceFolders?.[0]?.uri);
    if (!chosen) return peerLocationStep(flow, title, back);
    answers.peerDir = chosen;
    return 'next';
  }
  const base = path.dirname(path.dirname(rootFile.fsPath));
  return askAfterPick(
    flow,
    'peerDir',
    {
      title,
      prompt: `Folder of the peer's configuration, created if it does not exist (absolute, or relative to ${base})`,
      value: answers.peerDir ?? path.join(base, 'peer'),
      validate: (value) => (value.includes('\n') ? 'one folder' : undefined),
    },
    (value) => path.resolve(base, value),
    () => peerLocationStep(flow, title, back),
  );
}

/** The previous choice object when it is the same choice (so the pick can show it selected). */
function sameChoice(previous: PeerLocation | undefined, choice: PeerLocation): PeerLocation {
  return previous && JSON.stringify(previous) === JSON.stringify(choice) ? previous : choice;
}

/** How many leading path segments two paths share: a sibling host folder comes before the rest. */
function closeness(a: string, b: string): number {
  const partsA = a.split(path.sep);
  const partsB = b.split(path.sep);
  let shared = 0;
  while (shared < partsA.length && shared < partsB.length && partsA[shared] === partsB[shared]) shared++;
  return shared;
}

/** The generator's complaint about one field, or undefined when it is fine. */
function problemWith(field: Partial<ReplicationSetupOptions>, topic: string): string | undefined {
  try {
    generateReplicationConfig({
      peerHost: 'peer.example.com',
      transport: 'tcp',
      port: DEFAULT_DOVEADM_PORT,
      password: 'x',
      ...field,
    });
    return undefined;
  } catch (error) {
    if (!(error instanceof ReplicationSetupError)) throw error;
    return error.message.split('; ').find((part) => part.includes(topic.split(' ')[0])) ?? error.message;
  }
}

// ---------------------------------------------------------------------------------- files --

async function findRootConfig(): Promise<vscode.Uri | undefined> {
  const document = vscode.window.activeTextEditor?.document;
  const folder =
    (document && vscode.workspace.getWorkspaceFolder(document.uri)) ?? vscode.workspace.workspaceFolders?.[0];
  const configured = vscode.workspace.getConfiguration('dovecot', document?.uri).get<string>('rootConfig', '');
  if (configured)
    return vscode.Uri.file(
      path.isAbsolute(configured) || !folder ? configured : path.join(folder.uri.fsPath, configured),
    );
  if (document?.uri.scheme === 'file') {
    for (let dir = path.dirname(document.uri.fsPath); ; dir = path.dirname(dir)) {
      const candidate = vscode.Uri.file(path.join(dir, 'dovecot.conf'));
      if (await exists(candidate)) return candidate;
      if (path.dirname(dir) === dir) break;
    }
  }
  const found = await vscode.workspace.findFiles('**/dovecot.conf', '**/node_modules/**', 20);
  if (found.length <= 1) return found[0];
  const pick = await vscode.window.showQuickPick(
    found.map((uri) => ({ label: vscode.workspace.asRelativePath(uri), uri })),
    { title: TITLE, placeHolder: 'Root configuration of this host' },
  );
  return pick?.uri;
}

/** The service's minimal edits (LSP ranges) applied to one file of the tree, then saved. */
async function applyFileEdits(
  file: string,
  edits: {
    range: { start: { line: number; character: number }; end: { line: number; character: number } };
    newText: string;
  }[],
): Promise<void> {
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
