import * as fs from 'node:fs';
import * as path from 'node:path';
import { TextDocument } from 'vscode-languageserver-textdocument';
import {
  CodeActionKind,
  DiagnosticSeverity,
  DidChangeConfigurationNotification,
  MessageType,
  ProposedFeatures,
  ShowMessageNotification,
  TextDocumentSyncKind,
  TextDocuments,
  createConnection,
  type CodeAction,
  type Diagnostic,
  type InitializeParams,
  type WorkspaceEdit,
} from 'vscode-languageserver/node';
import { URI } from './uri';
import type { LintDiagnostic } from './service/analysis/analyzer';
import { deriveReplicationFacts, replicatesTo } from './service/analysis/replicationFacts';
import type { Level, LevelSetting } from './service/analysis/rules';
import { quickFixes } from './service/features/codeActions';
import type { FileEdits } from './service/features/quickFix';
import { doComplete } from './service/features/completion';
import { renderEffectiveConfig } from './service/features/effectiveConfig';
import { findDefinition } from './service/features/definition';
import { foldingRanges } from './service/features/folding';
import { formatIndentation } from './service/features/formatting';
import { doHover } from './service/features/hover';
import { inlayHints } from './service/features/inlayHints';
import { documentLinks } from './service/features/links';
import { documentSymbols } from './service/features/symbols';
import { DovecotLanguageService, type TreeAnalysis } from './service/languageService';
import { OverlayHost } from './service/model/diskHost';
import { PROJECT_FILE_NAME } from './service/project/projectFile';
import { WorkspaceProjects } from './service/project/workspaceProjects';
import type { DoveconfFinding } from './service/live/doveconfFindings';
import type { LiveFailure } from './service/live/failures';
import { checkWithDoveconf } from './live/doveconfCheck';
import { proposeHost, type ProposedHost } from './service/live/pairHosts';

interface ServerSettings {
  rootConfig: string;
  lint: { rules: Record<string, LevelSetting> };
  replication: { peers: Record<string, string> };
  /** Machine-scoped in VS Code: a workspace cannot choose the program the server runs. */
  live: { doveconfPath: string };
}

const DEFAULT_SETTINGS: ServerSettings = { rootConfig: '', lint: { rules: {} }, replication: { peers: {} }, live: { doveconfPath: 'doveconf' } };
/** `dovecot/checkWithDoveconf` request and `dovecot.checkWithDoveconf` command: the installed doveconf's verdict on a tree. */
const DOVECONF_CHECK_REQUEST = 'dovecot/checkWithDoveconf';
const DOVECONF_CHECK_COMMAND = 'dovecot.checkWithDoveconf';
/** The client tells the server when the user trusts the workspace (VS Code's workspace trust). */
const TRUST_NOTIFICATION = 'dovecot/workspaceTrust';
const VALIDATION_DELAY_MS = 150;

const SEVERITY: Record<Level, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  information: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};

const connection = createConnection(ProposedFeatures.all);
const documents = new TextDocuments(TextDocument);
const host = new OverlayHost((filePath) => documents.get(URI.fromPath(filePath))?.getText());
const service = new DovecotLanguageService(host);
const projects = new WorkspaceProjects(host);

let supportsConfiguration = false;
let supportsSnippetEdits = false;
let offerSnippets = true;
let supportsInlayHintRefresh = false;
let workspaceFolders: string[] = [];
let settings: ServerSettings = DEFAULT_SETTINGS;
/** Whether the client lets us run programs (doveconf): false when it says the workspace is untrusted. */
let workspaceTrusted = true;
/** doveconf's findings per root, shown until a file of that tree changes. */
const doveconfDiagnostics = new Map<string, Map<string, Diagnostic[]>>();
const analyses = new Map<string, TreeAnalysis>();
const publishedFiles = new Map<string, Set<string>>();
let validationTimer: NodeJS.Timeout | undefined;
const pendingRoots = new Set<string>();

function log(message: string): void {
  connection.console.log(message);
}

/** Runs a request handler; a failure is logged and answered with the fallback, never thrown to the client. */
function guarded<T>(name: string, fallback: T, handler: () => T): T {
  try {
    return handler();
  } catch (error) {
    log(`${name} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    return fallback;
  }
}

function resolveSettingPath(value: string): string | undefined {
  if (value === '') return undefined;
  if (path.isAbsolute(value)) return value;
  return workspaceFolders.length > 0 ? path.resolve(workspaceFolders[0], value) : path.resolve(value);
}

/** Why a path cannot be read as a configuration file, or undefined when it is a regular file (or an open document). */
function notAConfigFile(filePath: string): string | undefined {
  if (host.isFile(filePath)) return undefined;
  try {
    const stat = fs.statSync(filePath);
    if (stat.isFIFO()) return 'is a FIFO';
    if (stat.isCharacterDevice() || stat.isBlockDevice()) return 'is a device';
    if (stat.isDirectory()) return 'is a directory';
    return 'is not a regular file';
  } catch {
    return 'does not exist';
  }
}

const warned = new Set<string>();

function warnOnce(message: string): void {
  if (warned.has(message)) return;
  warned.add(message);
  log(message);
  void connection.sendNotification(ShowMessageNotification.type, { type: MessageType.Warning, message });
}

/**
 * The file a path setting (`dovecot.rootConfig`, `dovecot.replication.peers`) names, or undefined with a
 * warning when it is not a regular file: a FIFO would block the server, a device would never end.
 */
function settingFile(setting: string, value: unknown): string | undefined {
  const resolved = typeof value === 'string' ? resolveSettingPath(value) : undefined;
  const problem = resolved === undefined ? undefined : notAConfigFile(resolved);
  if (resolved === undefined || problem === undefined) return resolved;
  warnOnce(`Dovecot: ${setting} names ${resolved}, which ${problem}; the setting is ignored. Point it at a dovecot.conf file.`);
  return undefined;
}

function rootConfigFile(): string | undefined {
  return settingFile('dovecot.rootConfig', settings.rootConfig);
}

/** The project file's pair wins over the `dovecot.replication.peers` setting, which wins over automatic pairing. */
function peerRootFor(root: string): string | undefined {
  const fromProject = projects.peerOf(root);
  if (fromProject) return fromProject;
  for (const [a, b] of Object.entries(settings.replication.peers)) {
    const first = settingFile('dovecot.replication.peers', a);
    const second = settingFile('dovecot.replication.peers', b);
    if (first === root && second) return second;
    if (second === root && first) return first;
  }
  return automaticPeer(root);
}

/** Two analysed roots whose `mail_replica` hosts name each other's doveadm listeners form a pair. */
function automaticPeer(root: string): string | undefined {
  const own = analyses.get(root);
  if (!own) return undefined;
  for (const [otherRoot, other] of analyses) {
    if (otherRoot === root) continue;
    if (pointsAt(own, other) && pointsAt(other, own)) return otherRoot;
  }
  return undefined;
}

function pointsAt(from: TreeAnalysis, to: TreeAnalysis): boolean {
  const factsOf = (analysis: TreeAnalysis) => deriveReplicationFacts({ model: analysis.model, effective: analysis.effective, host });
  return replicatesTo(factsOf(from), factsOf(to));
}

function toDiagnostic(diagnostic: LintDiagnostic): Diagnostic {
  return {
    range: diagnostic.range,
    severity: SEVERITY[diagnostic.level],
    code: diagnostic.code,
    source: 'dovecot',
    message: diagnostic.message,
    relatedInformation: diagnostic.related?.map((place) => ({
      location: { uri: URI.fromPath(place.file), range: place.range },
      message: place.message,
    })),
    data: diagnostic.data,
  };
}

function analyzeRoot(root: string): TreeAnalysis {
  const ruleLevels = { ...settings.lint.rules, ...projects.rulesFor(root) };
  const analysis = service.analyze(root, { ruleLevels, peerRoot: peerRootFor(root) });
  analyses.set(root, analysis);
  return analysis;
}

function publish(analysis: TreeAnalysis): void {
  const byFile = new Map<string, Diagnostic[]>(analysis.files.map((file) => [file, []]));
  for (const diagnostic of analysis.diagnostics) {
    const list = byFile.get(diagnostic.file) ?? [];
    list.push(toDiagnostic(diagnostic));
    byFile.set(diagnostic.file, list);
  }
  for (const [file, diagnostics] of doveconfDiagnostics.get(analysis.root) ?? []) byFile.set(file, [...(byFile.get(file) ?? []), ...diagnostics]);
  const previous = publishedFiles.get(analysis.root) ?? new Set<string>();
  for (const file of previous) if (!byFile.has(file)) void connection.sendDiagnostics({ uri: URI.fromPath(file), diagnostics: [] });
  for (const [file, diagnostics] of byFile) void connection.sendDiagnostics({ uri: URI.fromPath(file), diagnostics });
  publishedFiles.set(analysis.root, new Set(byFile.keys()));
}

function sendStatus(document: TextDocument, analysis: TreeAnalysis): void {
  void connection.sendNotification('dovecot/status', { uri: document.uri, dialect: analysis.dialect, root: analysis.root });
}

function rootOf(filePath: string): string {
  for (const [root, analysis] of analyses) if (analysis.model.files.has(filePath)) return root;
  return service.findRoot(filePath, rootConfigFile());
}

function analysisFor(document: TextDocument): { analysis: TreeAnalysis; file: string } {
  const file = URI.toPath(document.uri);
  const root = rootOf(file);
  const cached = analyses.get(root);
  const fresh = cached && cached.model.files.get(file)?.text === document.getText() ? cached : analyzeRoot(root);
  return { analysis: fresh, file };
}

function scheduleValidation(roots: Iterable<string>): void {
  for (const root of roots) pendingRoots.add(root);
  if (validationTimer) clearTimeout(validationTimer);
  validationTimer = setTimeout(() => {
    validationTimer = undefined;
    const roots = [...pendingRoots];
    pendingRoots.clear();
    const validate = (root: string): void =>
      guarded('validation', undefined, () => {
        const analysis = analyzeRoot(root);
        publish(analysis);
        for (const document of documents.all()) {
          if (analysis.model.files.has(URI.toPath(document.uri))) sendStatus(document, analysis);
        }
      });
    roots.forEach(validate);
    if (supportsInlayHintRefresh) void connection.languages.inlayHint.refresh();
    // A pair is only recognised once both roots are analysed: redo the ones whose peer just appeared.
    for (const root of roots) if (peerRootFor(root) !== analyses.get(root)?.peer?.root) validate(root);
  }, VALIDATION_DELAY_MS);
}

function rootsAffectedBy(filePath: string): Set<string> {
  const roots = new Set<string>();
  for (const [root, analysis] of analyses) {
    if (analysis.model.files.has(filePath) || analysis.peer?.model.files.has(filePath)) roots.add(root);
  }
  if (roots.size === 0) roots.add(service.findRoot(filePath, rootConfigFile()));
  return roots;
}

async function refreshSettings(): Promise<void> {
  if (!supportsConfiguration) return;
  const value = (await connection.workspace.getConfiguration('dovecot')) as Partial<ServerSettings> | null;
  settings = {
    rootConfig: value?.rootConfig ?? '',
    lint: { rules: value?.lint?.rules ?? {} },
    replication: { peers: value?.replication?.peers ?? {} },
    live: { doveconfPath: value?.live?.doveconfPath || DEFAULT_SETTINGS.live.doveconfPath },
  };
}

function toWorkspaceEdit(edits: FileEdits, snippet: boolean): WorkspaceEdit {
  const stripPlaceholders = (text: string): string =>
    snippet && !supportsSnippetEdits ? text.replace(/\$\{\d+:([^}]*)\}/g, '$1').replace(/\$\{\d+\|([^,|]*)[^}]*\}/g, '$1').replace(/\$\d+/g, '') : text;
  return {
    changes: Object.fromEntries(
      Object.entries(edits).map(([file, fileEdits]) => [URI.fromPath(file), fileEdits.map((edit) => ({ ...edit, newText: stripPlaceholders(edit.newText) }))]),
    ),
  };
}

connection.onInitialize((params: InitializeParams) => {
  supportsConfiguration = params.capabilities.workspace?.configuration === true;
  supportsSnippetEdits = false;
  supportsInlayHintRefresh = params.capabilities.workspace?.inlayHint?.refreshSupport === true;
  workspaceFolders = (params.workspaceFolders ?? []).map((folder) => URI.toPath(folder.uri));
  const initOptions = params.initializationOptions as (Partial<ServerSettings> & { snippets?: boolean; workspaceTrusted?: boolean }) | undefined;
  if (initOptions) settings = { ...DEFAULT_SETTINGS, ...initOptions };
  // Editors without workspace trust (Neovim, ...) send nothing: the user configured the server themselves.
  workspaceTrusted = initOptions?.workspaceTrusted !== false;
  offerSnippets = initOptions?.snippets !== false;
  return {
    capabilities: {
      textDocumentSync: TextDocumentSyncKind.Incremental,
      completionProvider: { triggerCharacters: [' ', '=', '$', ':', '!', '<', '/'], resolveProvider: false },
      hoverProvider: true,
      codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix] },
      documentSymbolProvider: true,
      foldingRangeProvider: true,
      documentLinkProvider: { resolveProvider: false },
      definitionProvider: true,
      inlayHintProvider: true,
      documentFormattingProvider: true,
      executeCommandProvider: { commands: [DOVECONF_CHECK_COMMAND] },
    },
    serverInfo: { name: 'dovecot-language-server' },
  };
});

/** Root configs in the workspace folders, so trees and replication pairs are analysed before a file is opened. */
function discoverRoots(): string[] {
  const filesOf = (root: string): ReadonlySet<string> => new Set(service.buildModel(root).files.keys());
  return workspaceFolders.flatMap((folder) => projects.roots(folder, service.rootNames(), filesOf));
}

/** Reads the project files (.dovecot-lint.json, or the package.json key) of the workspace folders. */
function loadProjects(): void {
  const problems = projects.load(workspaceFolders);
  service.setTemplateOptions(projects.templateOptions());
  for (const problem of problems) log(`project file ignored: ${problem}`);
  if (problems.length > 0) void connection.window.showWarningMessage(`Dovecot: the project file has errors and is ignored: ${problems[0]}`);
}

connection.onInitialized(() => {
  if (supportsConfiguration) void connection.client.register(DidChangeConfigurationNotification.type, { section: 'dovecot' });
  loadProjects();
  void refreshSettings().then(() => scheduleValidation(discoverRoots()));
});

connection.onDidChangeConfiguration(async (change) => {
  if (supportsConfiguration) await refreshSettings();
  else {
    const value = (change.settings as { dovecot?: Partial<ServerSettings> } | undefined)?.dovecot;
    settings = { ...DEFAULT_SETTINGS, ...value };
  }
  scheduleValidation([...analyses.keys()]);
});

documents.onDidOpen((event) => scheduleValidation(rootsAffectedBy(URI.toPath(event.document.uri))));
documents.onDidChangeContent((event) => {
  const roots = rootsAffectedBy(URI.toPath(event.document.uri));
  for (const root of roots) doveconfDiagnostics.delete(root);
  scheduleValidation(roots);
});
documents.onDidClose((event) => {
  const file = URI.toPath(event.document.uri);
  service.forget(file);
  scheduleValidation(rootsAffectedBy(file));
});
const isProjectFile = (file: string): boolean => [PROJECT_FILE_NAME, 'package.json'].includes(path.basename(file));

connection.onDidChangeWatchedFiles((change) => {
  for (const event of change.changes) service.forget(URI.toPath(event.uri));
  if (change.changes.some((event) => isProjectFile(URI.toPath(event.uri)))) {
    loadProjects();
    scheduleValidation(discoverRoots());
  }
  scheduleValidation([...analyses.keys()]);
});

connection.onCompletion((params) =>
  guarded('completion', null, () => {
    const document = documents.get(params.textDocument.uri);
    if (!document) return null;
    const { analysis, file } = analysisFor(document);
    return doComplete(analysis, file, params.position, { snippets: offerSnippets, host });
  }),
);

connection.onHover((params) =>
  guarded('hover', null, () => {
    const document = documents.get(params.textDocument.uri);
    if (!document) return null;
    const { analysis, file } = analysisFor(document);
    return doHover(analysis, file, params.position);
  }),
);

connection.onCodeAction((params) =>
  guarded('codeAction', [] as CodeAction[], () => {
    const document = documents.get(params.textDocument.uri);
    if (!document) return [];
    const { analysis, file } = analysisFor(document);
    return quickFixes(analysis, file, params.context.diagnostics, host).map(({ fix, diagnostic }) => ({
      title: fix.title,
      kind: CodeActionKind.QuickFix,
      diagnostics: [diagnostic],
      isPreferred: fix.isPreferred,
      edit: toWorkspaceEdit(fix.edits, fix.snippet === true),
    }));
  }),
);

connection.onDocumentSymbol((params) =>
  guarded('documentSymbol', [], () => {
    const document = documents.get(params.textDocument.uri);
    return document ? documentSymbols(service.parse(URI.toPath(document.uri), document.getText())) : [];
  }),
);

connection.onFoldingRanges((params) =>
  guarded('foldingRanges', [], () => {
    const document = documents.get(params.textDocument.uri);
    return document ? foldingRanges(service.parse(URI.toPath(document.uri), document.getText())) : [];
  }),
);

connection.onDocumentLinks((params) =>
  guarded('documentLinks', [], () => {
    const document = documents.get(params.textDocument.uri);
    if (!document) return [];
    const { analysis, file } = analysisFor(document);
    return documentLinks(analysis, file, host).map((link) => ({ range: link.range, target: URI.fromPath(link.target), tooltip: link.tooltip }));
  }),
);

connection.onDefinition((params) =>
  guarded('definition', [], () => {
    const document = documents.get(params.textDocument.uri);
    if (!document) return [];
    const { analysis, file } = analysisFor(document);
    return findDefinition(analysis, file, params.position).map((location) => ({ uri: URI.fromPath(location.file), range: location.range }));
  }),
);

connection.languages.inlayHint.on((params) =>
  guarded('inlayHint', [], () => {
    const document = documents.get(params.textDocument.uri);
    if (!document) return [];
    const { analysis, file } = analysisFor(document);
    const { start, end } = params.range;
    return inlayHints(analysis, file).filter((hint) => hint.position.line >= start.line && hint.position.line <= end.line);
  }),
);

connection.onDocumentFormatting((params) =>
  guarded('formatting', [], () => {
    const document = documents.get(params.textDocument.uri);
    if (!document) return [];
    const text = document.getText();
    return formatIndentation(text, service.parse(URI.toPath(document.uri), text), params.options);
  }),
);

/** `dovecot/effectiveConfig`: the tree's settings in effect, like doveconf -n, for the root of `uri`. */
connection.onRequest('dovecot/effectiveConfig', (params: { uri: string; showSecrets?: boolean }) =>
  guarded('effectiveConfig', null as { root: string; text: string } | null, () => {
    const file = URI.toPath(params.uri);
    const document = documents.get(params.uri);
    const analysis = document ? analysisFor(document).analysis : (analyses.get(rootOf(file)) ?? analyzeRoot(rootOf(file)));
    return { root: analysis.root, text: renderEffectiveConfig(analysis, { showSecrets: params.showSecrets === true }) };
  }),
);

interface DoveconfCheckResult {
  root: string;
  /** doveconf's findings as diagnostics (source `doveconf`), also published with the tree's diagnostics. */
  diagnostics: { uri: string; diagnostic: Diagnostic }[];
  failure?: LiveFailure;
}

function findingToDiagnostic(finding: DoveconfFinding, analysis: TreeAnalysis): Diagnostic {
  const line = finding.line ?? 0;
  const text = analysis.model.files.get(finding.file)?.text ?? host.readFile(finding.file) ?? '';
  const length = text.split(/\r?\n/)[line]?.length ?? 0;
  return {
    range: { start: { line, character: 0 }, end: { line, character: length } },
    severity: finding.severity === 'error' ? DiagnosticSeverity.Error : DiagnosticSeverity.Warning,
    source: 'doveconf',
    message: finding.line === undefined ? `${finding.message} (doveconf names no line)` : finding.message,
  };
}

/** Runs the installed doveconf on the tree of `uri`, keeps its verdict with the tree's diagnostics and returns it. */
async function checkTreeWithDoveconf(uri: string): Promise<DoveconfCheckResult> {
  const file = URI.toPath(uri);
  const root = rootOf(file);
  if (!workspaceTrusted) {
    return { root, diagnostics: [], failure: { what: 'doveconf is not run in an untrusted workspace', check: ['trust the workspace (Manage Workspace Trust) to check the configuration with the installed Dovecot'] } };
  }
  const outcome = await checkWithDoveconf(root, { doveconfPath: settings.live.doveconfPath });
  if (!outcome.ok) return { root, diagnostics: [], failure: outcome.failure };
  const analysis = analyses.get(root) ?? analyzeRoot(root);
  const byFile = new Map<string, Diagnostic[]>();
  for (const finding of outcome.findings) byFile.set(finding.file, [...(byFile.get(finding.file) ?? []), findingToDiagnostic(finding, analysis)]);
  doveconfDiagnostics.set(root, byFile);
  publish(analysis);
  return { root, diagnostics: [...byFile].flatMap(([path, list]) => list.map((diagnostic) => ({ uri: URI.fromPath(path), diagnostic }))) };
}

async function guardedCheck(uri: unknown): Promise<DoveconfCheckResult | null> {
  if (typeof uri !== 'string') return null;
  try {
    return await checkTreeWithDoveconf(uri);
  } catch (error) {
    log(`doveconf check failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    return null;
  }
}

/** `dovecot/pairHosts`: the doveadm HTTP API URLs proposed for the tree of `uri` and its peer (a proposal; nothing is contacted). */
connection.onRequest('dovecot/pairHosts', (params: { uri: string }) =>
  guarded('pairHosts', [] as ProposedHost[], () => {
    const root = rootOf(URI.toPath(params.uri));
    const analysis = analyses.get(root) ?? analyzeRoot(root);
    const peerRoot = peerRootFor(root);
    const peer = peerRoot ? (analyses.get(peerRoot) ?? analyzeRoot(peerRoot)) : undefined;
    const factsOf = (tree: TreeAnalysis) => deriveReplicationFacts({ model: tree.model, effective: tree.effective, host });
    const own = factsOf(analysis);
    const other = peer ? factsOf(peer) : undefined;
    return [proposeHost(root, own, other), ...(peer && other ? [proposeHost(peer.root, other, own)] : [])];
  }),
);

connection.onRequest(DOVECONF_CHECK_REQUEST, (params: { uri: string }) => guardedCheck(params?.uri));
connection.onExecuteCommand((params) => (params.command === DOVECONF_CHECK_COMMAND ? guardedCheck(params.arguments?.[0]) : null));
connection.onNotification(TRUST_NOTIFICATION, (params: { trusted?: boolean }) => {
  workspaceTrusted = params?.trusted === true;
});

process.on('uncaughtException', (error) => log(`uncaught: ${error.stack ?? error.message}`));

documents.listen(connection);
connection.listen();
