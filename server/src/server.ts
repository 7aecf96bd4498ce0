import * as path from 'node:path';
import { TextDocument } from 'vscode-languageserver-textdocument';
import {
  CodeActionKind,
  DidChangeConfigurationNotification,
  DocumentHighlightKind,
  MessageType,
  ShowMessageNotification,
  TextDocuments,
  type Connection,
  ErrorCodes,
  ResponseError,
  type CodeAction,
  type CompletionParams,
  type Diagnostic,
  type DocumentHighlight,
  type DidChangeConfigurationParams,
  type DidChangeWatchedFilesParams,
  type InitializeParams,
  type InitializeResult,
  type Position,
  type TextDocumentChangeEvent,
} from 'vscode-languageserver/node';
import { clientSupport, serverCapabilities, type ClientSupport } from './capabilities';
import { afterEachAnalysis } from './collectionAfterAnalysis';
import { CompletionLists } from './completionList';
import { DocumentPaths } from './documentPaths';
import { makeLineTable } from './lineTable';
import { doveconfDiagnostic, toLspDiagnostic } from './lspDiagnostics';
import {
  DEFAULT_SETTINGS,
  loadRuleDocLinks,
  notAConfigFile,
  resolveSettingPath,
  settingsFrom,
  type ServerSettings,
} from './serverSettings';
import { URI } from './uri';
import { fixTitle, toWorkspaceEdit } from './workspaceEdits';
import type { LevelSetting } from './service/analysis/rules';
import { getLanguageService, type ParsedText, type TreeAnalysis } from './service/dovecotLanguageService';
import { OverlayHost } from './service/model/diskHost';
import { textRead, type FileHost } from './service/model/host';
import type { ParsedFile } from './service/syntax/nodes';
import { PROJECT_FILE_NAME } from './service/project/projectFile';
import { peerRootFor as choosePeerRoot } from './service/project/pairing';
import { WorkspaceProjects } from './service/project/workspaceProjects';
import { checkWithDoveconf } from './live/doveconfCheck';
import type { ProposedHost } from './service/live/pairHosts';
import {
  DOVECONF_CHECK_COMMAND,
  DoveconfCheckRequest,
  EffectiveConfigRequest,
  InTreeRequest,
  PairHostsRequest,
  ReplicationSetupPlanRequest,
  StatusNotification,
  TreeFilesNotification,
  WorkspaceTrustNotification,
  type DoveconfCheckResult,
  type EffectiveConfigParams,
  type EffectiveConfigResult,
  type ReplicationSetupPlan,
  CONVERT_TO_24_COMMAND,
  MigrateTreeRequest,
  type MigrateTreeParams,
  type MigrateTreeResult,
} from './protocol';

/** Debounce of validation after edits; DOVECOT_LSP_VALIDATION_DELAY_MS (whole milliseconds) overrides it, for measurements. */
const VALIDATION_DELAY_MS = /^\d{1,5}$/.test(process.env.DOVECOT_LSP_VALIDATION_DELAY_MS ?? '')
  ? Number(process.env.DOVECOT_LSP_VALIDATION_DELAY_MS)
  : 150;

/** The workspace crawl waits this long after start, so that a file the editor opens at start is validated first. */
const CRAWL_DELAY_MS = 150;

/** Findings about includes a document without a file cannot make: it has no directory to look in. */
const NO_CLAIM_WITHOUT_DIRECTORY = new Set(['include-no-matches', 'include-unreadable']);

/** The initialization options the extension sends beside the settings. */
type InitializationOptions = Partial<ServerSettings> & {
  snippets?: boolean;
  ruleDocs?: string;
  workspaceTrusted?: boolean;
  conversionCommand?: boolean;
};

/** Whether an analysis read `file` with the text the editor holds now. */
function readTextOf(
  analysis: TreeAnalysis | undefined,
  file: string,
  document: TextDocument,
): analysis is TreeAnalysis {
  return analysis?.model.files.get(file)?.text === document.getText();
}

/** A client-chosen marker is printed as a value: accept it only as one comment line. */
function commentOnly(text: unknown): string | undefined {
  return typeof text === 'string' && /^# [^\r\n]*$/.test(text) ? text : undefined;
}

const isProjectFile = (file: string): boolean => [PROJECT_FILE_NAME, 'package.json'].includes(path.basename(file));

/** Runs the language server on `connection` (serverMain.ts creates it from the process's stdio or IPC). */
export function startServer(connection: Connection): void {
  new DovecotServer(connection).listen();
}

/** The language server: the open documents, the analysed trees, and the answers to the client's requests. */
class DovecotServer {
  private readonly documents = new TextDocuments(TextDocument);
  private readonly host = new OverlayHost((filePath) => this.documents.get(URI.fromPath(filePath))?.getText());
  private readonly service = getLanguageService(this.host);
  private readonly projects = new WorkspaceProjects(this.host);
  private readonly paths = new DocumentPaths((uri) => this.documents.get(uri)?.getText());

  private support: ClientSupport = {
    configuration: false,
    snippetEdits: false,
    changeAnnotations: false,
    inlayHintRefresh: false,
  };
  private offerSnippets = true;
  /** Completion lists as the client takes them (documentation through completionItem/resolve, list defaults). */
  private completionLists = new CompletionLists({ resolvesDocumentation: false, itemDefaults: false });
  /** The client has the conversion command (VS Code: it previews diffs and asks before writing). */
  private offerConversionCommand = false;
  private workspaceFolders: string[] = [];
  private settings: ServerSettings = DEFAULT_SETTINGS;
  /** Whether the client lets us run programs (doveconf): false when it says the workspace is untrusted. */
  private workspaceTrusted = true;
  /** Rule id -> link to its row in the rule reference of the README the client named. */
  private ruleDocLinks = new Map<string, string>();
  /** doveconf's findings per root, shown until a file of that tree changes. */
  private readonly doveconfDiagnostics = new Map<string, Map<string, Diagnostic[]>>();
  private readonly analyses = new Map<string, TreeAnalysis>();
  private readonly collectAfterAnalysis = afterEachAnalysis();
  private readonly publishedFiles = new Map<string, Set<string>>();
  private validationTimer: NodeJS.Timeout | undefined;
  /** The pending validation was asked for at once (a document opened): later requests join it instead of putting it off. */
  private urgentValidation = false;
  private readonly pendingRoots = new Set<string>();
  private shutDown = false;
  private readonly warned = new Set<string>();

  constructor(private readonly connection: Connection) {}

  listen(): void {
    this.listenToLifecycle();
    this.listenToDocuments();
    this.listenToLanguageFeatures();
    this.listenToDovecotRequests();
    process.on('uncaughtException', (error) => this.log(`uncaught: ${error.stack ?? error.message}`));
    this.documents.listen(this.connection);
    this.connection.listen();
  }

  private listenToLifecycle(): void {
    const connection = this.connection;
    connection.onInitialize((params) => this.initialize(params));
    connection.onInitialized(() => this.initialized());
    connection.onDidChangeConfiguration((change) => this.changeConfiguration(change));
    connection.onShutdown(() => this.shutdown());
    // Methods this server does not know: MethodNotFound, or InvalidRequest once it is shut down.
    connection.onRequest((method) => {
      if (this.shutDown) throw new ResponseError(ErrorCodes.InvalidRequest, `${method}: the server is shut down`);
      throw new ResponseError(ErrorCodes.MethodNotFound, `Unhandled method ${method}`);
    });
  }

  private listenToDocuments(): void {
    this.documents.onDidOpen((event) => this.opened(event));
    this.documents.onDidChangeContent((event) => this.changed(event));
    this.documents.onDidClose((event) => this.closed(event));
    this.connection.onDidChangeWatchedFiles((change) => this.watchedFilesChanged(change));
  }

  private listenToLanguageFeatures(): void {
    const connection = this.connection;
    connection.onCompletion((params) => this.answer('completion', null, () => this.completion(params)));
    connection.onCompletionResolve((item) =>
      this.answer('completionResolve', item, () => this.completionLists.resolve(item)),
    );
    connection.onHover((params) =>
      this.answer('hover', null, () =>
        this.withEditingAnalysis(params.textDocument.uri, null, (analysis, file) =>
          this.service.doHover(analysis, file, params.position),
        ),
      ),
    );
    connection.onCodeAction((params) =>
      this.answer('codeAction', [] as CodeAction[], () =>
        this.codeActions(params.textDocument.uri, params.context.diagnostics),
      ),
    );
    connection.onSelectionRanges((params) =>
      this.answer('selectionRange', [], () =>
        this.withParsed(params.textDocument.uri, [], (parsed) =>
          this.service.getSelectionRanges(parsed, params.positions),
        ),
      ),
    );
    connection.onDocumentSymbol((params) =>
      this.answer('documentSymbol', [], () =>
        this.withParsed(params.textDocument.uri, [], (parsed) => this.service.findDocumentSymbols(parsed)),
      ),
    );
    connection.onFoldingRanges((params) =>
      this.answer('foldingRanges', [], () =>
        this.withParsed(params.textDocument.uri, [], (parsed) => this.service.getFoldingRanges(parsed)),
      ),
    );
    this.listenToNavigation();
    this.listenToFormatting();
  }

  private listenToNavigation(): void {
    const connection = this.connection;
    const { uriOf } = this.paths;
    connection.onDocumentLinks((params) =>
      this.answer('documentLinks', [], () =>
        this.withAnalysis(params.textDocument.uri, [], (analysis, file) =>
          this.service
            .findDocumentLinks(analysis, file, this.hostFor(analysis.root))
            .map((link) => ({ range: link.range, target: uriOf(link.target), tooltip: link.tooltip })),
        ),
      ),
    );
    connection.onDefinition((params) =>
      this.answer('definition', [], () =>
        this.withAnalysis(params.textDocument.uri, [], (analysis, file) =>
          this.service
            .findDefinition(analysis, file, params.position)
            .map((location) => ({ uri: uriOf(location.file), range: location.range })),
        ),
      ),
    );
    connection.onReferences((params) =>
      this.answer('references', [], () =>
        this.withAnalysis(params.textDocument.uri, [], (analysis, file) =>
          this.service
            .findReferences(analysis, file, params.position, params.context.includeDeclaration)
            .map((reference) => ({ uri: uriOf(reference.file), range: reference.range })),
        ),
      ),
    );
    connection.onDocumentHighlight((params) =>
      this.answer('documentHighlight', [], () => this.documentHighlights(params.textDocument.uri, params.position)),
    );
    connection.onWorkspaceSymbol((params) =>
      this.answer('workspaceSymbol', [], () =>
        this.service.findWorkspaceSymbols(this.analyses.values(), params.query).map((symbol) => ({
          name: symbol.name,
          kind: symbol.kind,
          location: { uri: uriOf(symbol.file), range: symbol.range },
          containerName: symbol.containerName,
        })),
      ),
    );
    connection.languages.inlayHint.on((params) =>
      this.answer('inlayHint', [], () =>
        this.withAnalysis(params.textDocument.uri, [], (analysis, file) => {
          const { start, end } = params.range;
          return this.service
            .getInlayHints(analysis, file)
            .filter((hint) => hint.position.line >= start.line && hint.position.line <= end.line);
        }),
      ),
    );
  }

  private listenToFormatting(): void {
    this.connection.onDocumentFormatting((params) =>
      this.answer('formatting', [], () => {
        const inputs = this.formattingInputs(params.textDocument.uri);
        return inputs ? this.service.format(inputs.own, inputs.others) : [];
      }),
    );
    this.connection.onDocumentRangeFormatting((params) =>
      this.answer('rangeFormatting', [], () => {
        const inputs = this.formattingInputs(params.textDocument.uri);
        return inputs ? this.service.formatRange(inputs.own, inputs.others, params.range) : [];
      }),
    );
  }

  private listenToDovecotRequests(): void {
    const connection = this.connection;
    connection.onRequest(EffectiveConfigRequest, (params) =>
      this.answer('effectiveConfig', null as EffectiveConfigResult | null, () => this.effectiveConfig(params)),
    );
    connection.onRequest(PairHostsRequest, (params) =>
      this.guarded('pairHosts', [] as ProposedHost[], () => this.pairHosts(params.uri)),
    );
    connection.onRequest(ReplicationSetupPlanRequest, (params) =>
      this.answer('replicationSetupPlan', null as ReplicationSetupPlan | null, () =>
        this.replicationSetupPlan(params.uri),
      ),
    );
    connection.onRequest(DoveconfCheckRequest, (params) => this.guardedCheck(params?.uri));
    connection.onExecuteCommand((params) =>
      params.command === DOVECONF_CHECK_COMMAND ? this.guardedCheck(params.arguments?.[0]) : null,
    );
    connection.onNotification(WorkspaceTrustNotification, (params) => {
      this.workspaceTrusted = params?.trusted === true;
    });
    connection.onRequest(MigrateTreeRequest, (params) =>
      this.answer('migrateTree', null as MigrateTreeResult | null, () => this.migrateTree(params)),
    );
    connection.onRequest(InTreeRequest, (params) => this.guarded('inTree', false, () => this.inTree(params.uri)));
  }

  private log(message: string): void {
    this.connection.console.log(message);
  }

  /** Runs a request handler; a failure is logged and answered with the fallback, never thrown to the client. */
  private guarded<T>(name: string, fallback: T, handler: () => T): T {
    try {
      return handler();
    } catch (error) {
      this.log(`${name} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
      return fallback;
    }
  }

  /**
   * Answers a request: after `shutdown` every request fails with InvalidRequest, as the LSP
   * specification says; before, a failing handler is logged and answered with the fallback.
   */
  private answer<T>(name: string, fallback: T, handler: () => T): T {
    if (this.shutDown) throw new ResponseError(ErrorCodes.InvalidRequest, `${name}: the server is shut down`);
    return this.guarded(name, fallback, handler);
  }

  private warnOnce(message: string): void {
    if (this.warned.has(message)) return;
    this.warned.add(message);
    this.log(message);
    void this.connection.sendNotification(ShowMessageNotification.type, { type: MessageType.Warning, message });
  }

  private hostFor(root: string): FileHost {
    return this.paths.hostFor(root, this.host);
  }

  /**
   * The file a path setting (`dovecot.rootConfig`, `dovecot.replication.peers`) names, or undefined with a
   * warning when it is not a regular file: a FIFO would block the server, a device would never end.
   */
  private settingFile(setting: string, value: unknown): string | undefined {
    const resolved = typeof value === 'string' ? resolveSettingPath(value, this.workspaceFolders) : undefined;
    const problem = resolved === undefined ? undefined : notAConfigFile(resolved, this.host);
    if (resolved === undefined || problem === undefined) return resolved;
    this.warnOnce(
      `Dovecot: ${setting} names ${resolved}, which ${problem}; the setting is ignored. Point it at a dovecot.conf file.`,
    );
    return undefined;
  }

  private rootConfigFile(): string | undefined {
    return this.settingFile('dovecot.rootConfig', this.settings.rootConfig);
  }

  /** The project file's pair wins over the `dovecot.replication.peers` setting, which wins over automatic pairing. */
  private peerRootFor(root: string): string | undefined {
    const settingPairs = () =>
      Object.entries(this.settings.replication.peers).map(
        ([a, b]) =>
          [this.settingFile('dovecot.replication.peers', a), this.settingFile('dovecot.replication.peers', b)] as const,
      );
    return choosePeerRoot(root, {
      projectPeer: this.projects.peerOf(root),
      settingPairs,
      analysed: this.analyses,
      excluded: this.paths.isVirtual,
      host: this.host,
    });
  }

  private analyzeRoot(root: string): TreeAnalysis {
    const ruleLevels = { ...this.settings.lint.rules, ...this.projects.rulesFor(root) };
    const virtual = this.paths.isVirtual(root);
    // Pairing reads the last analysis; after that it is not needed while the next one is built.
    const peerRoot = virtual ? undefined : this.peerRootFor(root);
    this.analyses.delete(root);
    const analysis = virtual
      ? this.analyzeAlone(root, ruleLevels)
      : this.service.analyze(root, {
          ruleLevels,
          peerRoot,
          dovecotVersion: this.projects.projectOf(root)?.dovecotVersion ?? this.settings.version,
        });
    this.analyses.set(root, analysis);
    return analysis;
  }

  /** The last analysis of the tree at `root`, or a new one when there is none. */
  private lastAnalysisOf(root: string): TreeAnalysis {
    return this.analyses.get(root) ?? this.analyzeRoot(root);
  }

  /** A document without a file: its includes cannot be found, so nothing is claimed about them. */
  private analyzeAlone(file: string, ruleLevels: Record<string, LevelSetting>): TreeAnalysis {
    const analysis = getLanguageService(this.hostFor(file)).analyze(file, { ruleLevels });
    return {
      ...analysis,
      diagnostics: analysis.diagnostics.filter(
        (diagnostic) => !NO_CLAIM_WITHOUT_DIRECTORY.has(String(diagnostic.code)),
      ),
    };
  }

  /** The tree's diagnostics (with doveconf's, when it was run) by file; with `only`, of that one file. */
  private diagnosticsByFile(analysis: TreeAnalysis, only?: string): Map<string, Diagnostic[]> {
    const byFile = new Map<string, Diagnostic[]>();
    for (const diagnostic of analysis.diagnostics) {
      if (only !== undefined && diagnostic.file !== only) continue;
      const list = byFile.get(diagnostic.file) ?? [];
      list.push(toLspDiagnostic(diagnostic, this.paths.uriOf, this.ruleDocLinks));
      byFile.set(diagnostic.file, list);
    }
    for (const [file, diagnostics] of this.doveconfDiagnostics.get(analysis.root) ?? [])
      if (only === undefined || file === only) byFile.set(file, [...(byFile.get(file) ?? []), ...diagnostics]);
    return byFile;
  }

  /**
   * Sends diagnostics for the files of the tree that have some, and an empty list for the files that
   * had some before and have none now: a tree of 20,000 clean files sends nothing for them.
   */
  private publish(analysis: TreeAnalysis): void {
    const { uriOf } = this.paths;
    const byFile = this.diagnosticsByFile(analysis);
    const previous = this.publishedFiles.get(analysis.root) ?? new Set<string>();
    for (const file of previous)
      if (!byFile.has(file)) void this.connection.sendDiagnostics({ uri: uriOf(file), diagnostics: [] });
    for (const [file, diagnostics] of byFile) void this.connection.sendDiagnostics({ uri: uriOf(file), diagnostics });
    this.publishedFiles.set(analysis.root, new Set(byFile.keys()));
  }

  private sendStatus(document: TextDocument, analysis: TreeAnalysis): void {
    void this.connection.sendNotification(StatusNotification, {
      uri: document.uri,
      dialect: analysis.dialect,
      reason: analysis.dialectReason,
      root: analysis.root,
    });
  }

  /** `dovecot/treeFiles`: every file of an analysed tree is Dovecot configuration, whatever its name (the client sets their language). */
  private sendTreeFiles(analysis: TreeAnalysis): void {
    void this.connection.sendNotification(TreeFilesNotification, {
      root: this.paths.uriOf(analysis.root),
      files: analysis.files.map(this.paths.uriOf),
    });
  }

  private rootOf(filePath: string): string {
    if (this.paths.isVirtual(filePath)) return filePath;
    for (const [root, analysis] of this.analyses) if (analysis.model.files.has(filePath)) return root;
    return this.service.findRoot(filePath, this.rootConfigFile());
  }

  private analysisFor(document: TextDocument): { analysis: TreeAnalysis; file: string } {
    const file = this.paths.pathOf(document.uri);
    const root = this.rootOf(file);
    const cached = this.analyses.get(root);
    const fresh = readTextOf(cached, file, document) ? cached : this.analyzeRoot(root);
    return { analysis: fresh, file };
  }

  /**
   * For completion and hover: the last analysis of the tree with this document parsed afresh, so an
   * answer right after an edit does not wait for the tree to be analysed again (the debounced
   * validation does that). A tree not analysed yet, or a file new to it, is analysed in full.
   */
  private editingAnalysisFor(document: TextDocument): { analysis: TreeAnalysis; file: string } {
    const file = this.paths.pathOf(document.uri);
    const cached = this.analyses.get(this.rootOf(file));
    const edited = cached && this.service.withEditedFile(cached, file, document.getText());
    return edited ? { analysis: edited, file } : this.analysisFor(document);
  }

  /** `answerWith` on the analysis of the open document at `uri`, or `fallback` when it is not open. */
  private withAnalysis<T>(uri: string, fallback: T, answerWith: (analysis: TreeAnalysis, file: string) => T): T {
    const document = this.documents.get(uri);
    if (!document) return fallback;
    const { analysis, file } = this.analysisFor(document);
    return answerWith(analysis, file);
  }

  /** As withAnalysis, on the editing analysis (completion, hover). */
  private withEditingAnalysis<T>(uri: string, fallback: T, answerWith: (analysis: TreeAnalysis, file: string) => T): T {
    const document = this.documents.get(uri);
    if (!document) return fallback;
    const { analysis, file } = this.editingAnalysisFor(document);
    return answerWith(analysis, file);
  }

  /** The parse of an open document; undefined past the file size limit, where it is not analysed either. */
  private parsedDocument(uri: string): { text: string; parsed: ParsedFile } | undefined {
    const text = this.documents.get(uri)?.getText();
    if (text === undefined || textRead(text, this.service.limits.fileBytes).kind !== 'text') return undefined;
    return { text, parsed: this.service.parse(this.paths.pathOf(uri), text) };
  }

  /** `answerWith` on the parse of the open document at `uri`, or `fallback` when there is none. */
  private withParsed<T>(uri: string, fallback: T, answerWith: (parsed: ParsedFile) => T): T {
    const document = this.parsedDocument(uri);
    return document ? answerWith(document.parsed) : fallback;
  }

  /**
   * Validates the roots after `delay` ms of quiet (edits are debounced; an opened tree is validated at once).
   * A validation already due sooner is not put off: the edit event that comes with opening a document, or the
   * workspace crawl, must not delay the validation of the opened tree.
   */
  private scheduleValidation(roots: Iterable<string>, delay = VALIDATION_DELAY_MS): void {
    if (this.shutDown) return;
    for (const root of roots) this.pendingRoots.add(root);
    if (this.pendingRoots.size === 0 || (this.validationTimer && this.urgentValidation)) return;
    if (this.validationTimer) clearTimeout(this.validationTimer);
    this.urgentValidation = delay === 0;
    this.validationTimer = setTimeout(() => {
      this.validationTimer = undefined;
      this.urgentValidation = false;
      const pending = [...this.pendingRoots];
      this.pendingRoots.clear();
      this.validateRoots(pending);
    }, delay);
  }

  private validateRoots(roots: string[]): void {
    roots.forEach((root) => this.validate(root));
    if (this.support.inlayHintRefresh) void this.connection.languages.inlayHint.refresh();
    // A pair is only recognised once both roots are analysed: redo the ones whose peer just appeared.
    for (const root of roots) if (this.peerRootFor(root) !== this.analyses.get(root)?.peer?.root) this.validate(root);
    this.collectAfterAnalysis();
  }

  private validate(root: string): void {
    this.guarded('validation', undefined, () => {
      const analysis = this.analyzeRoot(root);
      this.publish(analysis);
      for (const document of this.documents.all()) {
        if (analysis.model.files.has(this.paths.pathOf(document.uri))) this.sendStatus(document, analysis);
      }
      this.sendTreeFiles(analysis);
      this.service.prepareCompletion(analysis);
    });
  }

  private rootsAffectedBy(filePath: string): Set<string> {
    if (this.paths.isVirtual(filePath)) return new Set([filePath]);
    const roots = new Set<string>();
    for (const [root, analysis] of this.analyses) {
      if (analysis.model.files.has(filePath) || analysis.peer?.model.files.has(filePath)) roots.add(root);
    }
    if (roots.size === 0) roots.add(this.service.findRoot(filePath, this.rootConfigFile()));
    return roots;
  }

  private async refreshSettings(): Promise<void> {
    if (!this.support.configuration) return;
    const value = (await this.connection.workspace.getConfiguration('dovecot')) as Partial<ServerSettings> | null;
    this.settings = settingsFrom(value);
  }

  private initialize(params: InitializeParams): InitializeResult {
    this.support = clientSupport(params.capabilities);
    this.completionLists = CompletionLists.for(params.capabilities);
    this.workspaceFolders = (params.workspaceFolders ?? []).map((folder) => URI.toPath(folder.uri));
    const initOptions = params.initializationOptions as InitializationOptions | undefined;
    this.ruleDocLinks = loadRuleDocLinks(initOptions?.ruleDocs);
    if (initOptions) this.settings = { ...DEFAULT_SETTINGS, ...initOptions };
    // Editors without workspace trust (Neovim, ...) send nothing: the user configured the server themselves.
    this.workspaceTrusted = initOptions?.workspaceTrusted !== false;
    this.offerSnippets = initOptions?.snippets !== false;
    this.offerConversionCommand = initOptions?.conversionCommand === true;
    return {
      capabilities: serverCapabilities(this.completionLists.resolvesDocumentation),
      serverInfo: { name: 'dovecot-language-server' },
    };
  }

  private initialized(): void {
    if (this.support.configuration)
      void this.connection.client.register(DidChangeConfigurationNotification.type, { section: 'dovecot' });
    this.loadProjects();
    // The crawl builds every candidate tree: a file the editor opens at start is validated first.
    void this.refreshSettings().then(() =>
      setTimeout(
        () => !this.shutDown && this.scheduleValidation(this.rootsToValidate(this.discoverRoots())),
        CRAWL_DELAY_MS,
      ),
    );
  }

  private async changeConfiguration(change: DidChangeConfigurationParams): Promise<void> {
    if (this.support.configuration) await this.refreshSettings();
    else {
      const value = (change.settings as { dovecot?: Partial<ServerSettings> } | undefined)?.dovecot;
      this.settings = { ...DEFAULT_SETTINGS, ...value };
    }
    this.scheduleValidation([...this.analyses.keys()]);
  }

  private shutdown(): void {
    if (this.shutDown) throw new ResponseError(ErrorCodes.InvalidRequest, 'shutdown: the server is already shut down');
    this.shutDown = true;
    if (this.validationTimer) clearTimeout(this.validationTimer);
    this.validationTimer = undefined;
  }

  /** Root configs in the workspace folders, so trees and replication pairs are analysed before a file is opened. */
  private discoverRoots(): string[] {
    // A tree analysed already (the file opened at start) is not read a second time.
    const filesOf = (root: string): ReadonlySet<string> => {
      const analysed = this.analyses.get(root);
      return analysed ? new Set(analysed.model.files.keys()) : this.service.treeFiles(root);
    };
    return this.workspaceFolders.flatMap((folder) => this.projects.roots(folder, this.service.rootNames(), filesOf));
  }

  /**
   * The crawl's roots, or none when each is analysed already with the peer it would get now (a tree
   * opened at start is not analysed a second time); a new root redoes them all, as pairs may change.
   */
  private rootsToValidate(discovered: string[]): string[] {
    const current = discovered.every(
      (root) => this.analyses.has(root) && this.peerRootFor(root) === this.analyses.get(root)?.peer?.root,
    );
    return current ? [] : discovered;
  }

  /** Reads the project files (.dovecot-lint.json, or the package.json key) of the workspace folders. */
  private loadProjects(): void {
    const problems = this.projects.load(this.workspaceFolders);
    this.service.setTemplateOptions(this.projects.templateOptions());
    for (const problem of problems) this.log(`project file ignored: ${problem}`);
    if (problems.length > 0)
      void this.connection.window.showWarningMessage(
        `Dovecot: the project file has errors and is ignored: ${problems[0]}`,
      );
  }

  /** The analyses of `roots` if each read this document's file with its text as it is now; else undefined. */
  private analysesCurrentFor(document: TextDocument, roots: Iterable<string>): TreeAnalysis[] | undefined {
    const file = this.paths.pathOf(document.uri);
    if (this.paths.isVirtual(file)) return undefined;
    const current = [...roots].map((root) => this.analyses.get(root));
    const isCurrent = (analysis: TreeAnalysis | undefined): analysis is TreeAnalysis =>
      readTextOf(analysis, file, document);
    return current.length > 0 && current.every(isCurrent) ? current : undefined;
  }

  // A document opened as its tree was analysed (by the workspace crawl, or as part of an open tree) is not
  // analysed again: its diagnostics and status are sent as they are.
  private opened({ document }: TextDocumentChangeEvent<TextDocument>): void {
    makeLineTable(document);
    const file = this.paths.pathOf(document.uri);
    const roots = this.rootsAffectedBy(file);
    const current = this.analysesCurrentFor(document, roots);
    if (!current) return this.scheduleValidation(roots, 0);
    for (const analysis of current) {
      const diagnostics = this.diagnosticsByFile(analysis, file).get(file) ?? [];
      void this.connection.sendDiagnostics({ uri: document.uri, diagnostics });
      this.sendStatus(document, analysis);
    }
  }

  private changed({ document }: TextDocumentChangeEvent<TextDocument>): void {
    const roots = this.rootsAffectedBy(this.paths.pathOf(document.uri));
    if (this.analysesCurrentFor(document, roots)) return;
    for (const root of roots) this.doveconfDiagnostics.delete(root);
    this.scheduleValidation(roots);
  }

  private closed({ document }: TextDocumentChangeEvent<TextDocument>): void {
    const file = this.paths.pathOf(document.uri);
    this.service.forget(file);
    if (this.paths.isVirtual(file)) {
      this.analyses.delete(file);
      this.publishedFiles.delete(file);
      this.pendingRoots.delete(file);
      this.paths.forget(file);
      void this.connection.sendDiagnostics({ uri: document.uri, diagnostics: [] });
      return;
    }
    this.scheduleValidation(this.rootsAffectedBy(file));
  }

  private watchedFilesChanged(change: DidChangeWatchedFilesParams): void {
    for (const event of change.changes) this.service.forget(URI.toPath(event.uri));
    if (change.changes.some((event) => isProjectFile(URI.toPath(event.uri)))) {
      this.loadProjects();
      this.scheduleValidation(this.discoverRoots());
    }
    this.scheduleValidation([...this.analyses.keys()]);
  }

  private completion(params: CompletionParams): ReturnType<CompletionLists['toSend']> | null {
    return this.withEditingAnalysis(params.textDocument.uri, null, (analysis, file) => {
      const items = this.service.doComplete(analysis, file, params.position, {
        snippets: this.offerSnippets,
        host: this.hostFor(analysis.root),
      });
      return this.completionLists.toSend(items);
    });
  }

  private codeActions(uri: string, diagnostics: Diagnostic[]): CodeAction[] {
    return this.withAnalysis(uri, [], (analysis, file) => {
      const client = {
        changeAnnotations: this.support.changeAnnotations,
        workspaceFolders: this.workspaceFolders,
        uriOf: this.paths.uriOf,
        versionOf: (documentUri: string) => this.documents.get(documentUri)?.version ?? null,
      };
      const fixes: CodeAction[] = this.service
        .doQuickFixes(analysis, file, diagnostics, this.hostFor(analysis.root), {
          snippetEdits: this.support.snippetEdits,
        })
        .map(({ fix, diagnostic }) => ({
          title: fixTitle(fix.title, fix.edits, file, this.workspaceFolders),
          kind: CodeActionKind.QuickFix,
          diagnostics: [diagnostic],
          isPreferred: fix.isPreferred,
          edit: toWorkspaceEdit(fix.edits, fix.snippet === true, file, client),
        }));
      const conversion = this.conversionAction(analysis, uri);
      return conversion ? [...fixes, conversion] : fixes;
    });
  }

  /** "Convert this tree to 2.4…" when 2.4 is the target (setting or project file) and the tree is written for 2.3, or mixes both. */
  private conversionAction(analysis: TreeAnalysis, uri: string): CodeAction | undefined {
    if (!this.offerConversionCommand || this.paths.isVirtual(analysis.root)) return undefined;
    const offer = this.service.migrationOffer(
      analysis,
      this.projects.projectOf(analysis.root)?.dovecotVersion ?? this.settings.version,
    );
    if (!offer) return undefined;
    return {
      title: offer.title,
      kind: CodeActionKind.RefactorRewrite,
      command: { title: offer.title, command: CONVERT_TO_24_COMMAND, arguments: [uri] },
    };
  }

  private documentHighlights(uri: string, position: Position): DocumentHighlight[] {
    const document = this.documents.get(uri);
    if (!document) return [];
    // Asked at every move of the cursor, also while typing: answered from the last analysis while it read
    // this text, else not at all until the next validation (an analysis per keystroke would slow typing).
    const file = this.paths.pathOf(document.uri);
    const analysis = this.analyses.get(this.rootOf(file));
    if (!readTextOf(analysis, file, document)) return [];
    return this.service.findDocumentHighlights(analysis, file, position).map((reference) => ({
      range: reference.range,
      kind: reference.kind === 'read' ? DocumentHighlightKind.Read : DocumentHighlightKind.Write,
    }));
  }

  /** A document's parse and the tree's other files, as formatting reads them. */
  private formattingInputs(uri: string): { own: ParsedText; others: ParsedText[] } | undefined {
    const document = this.documents.get(uri);
    const own = this.parsedDocument(uri);
    if (!document || !own) return undefined;
    const { analysis, file } = this.analysisFor(document);
    return { own, others: [...analysis.model.files.values()].filter((other) => other.path !== file) };
  }

  /** `dovecot/effectiveConfig`: the tree's settings in effect, like doveconf -n, for the root of `uri`. */
  private effectiveConfig(params: EffectiveConfigParams): EffectiveConfigResult {
    const file = this.paths.pathOf(params.uri);
    const document = this.documents.get(params.uri);
    const analysis = document ? this.analysisFor(document).analysis : this.lastAnalysisOf(this.rootOf(file));
    const marker = commentOnly(params.hiddenMarker);
    const hiddenMarkers = marker ? { value: marker, part: '#hidden#' } : undefined;
    return {
      root: analysis.root,
      text: this.service.renderEffectiveConfig(analysis, { showSecrets: params.showSecrets === true, hiddenMarkers }),
    };
  }

  /** Runs the installed doveconf on the tree of `uri`, keeps its verdict with the tree's diagnostics and returns it. */
  private async checkTreeWithDoveconf(uri: string): Promise<DoveconfCheckResult> {
    const root = this.rootOf(this.paths.pathOf(uri));
    if (!this.workspaceTrusted) {
      return {
        root,
        diagnostics: [],
        failure: {
          what: 'doveconf is not run in an untrusted workspace',
          check: ['trust the workspace (Manage Workspace Trust) to check the configuration with the installed Dovecot'],
        },
      };
    }
    const outcome = await checkWithDoveconf(root, { doveconfPath: this.settings.live.doveconfPath });
    if (!outcome.ok) return { root, diagnostics: [], failure: outcome.failure };
    const analysis = this.lastAnalysisOf(root);
    const textOf = (file: string): string => analysis.model.files.get(file)?.text ?? this.host.readFile(file) ?? '';
    const byFile = new Map<string, Diagnostic[]>();
    for (const finding of outcome.findings)
      byFile.set(finding.file, [
        ...(byFile.get(finding.file) ?? []),
        doveconfDiagnostic(finding, textOf(finding.file)),
      ]);
    this.doveconfDiagnostics.set(root, byFile);
    this.publish(analysis);
    return {
      root,
      diagnostics: [...byFile].flatMap(([file, list]) =>
        list.map((diagnostic) => ({ uri: URI.fromPath(file), diagnostic })),
      ),
    };
  }

  private async guardedCheck(uri: unknown): Promise<DoveconfCheckResult | null> {
    if (typeof uri !== 'string') return null;
    try {
      return await this.checkTreeWithDoveconf(uri);
    } catch (error) {
      this.log(`doveconf check failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
      return null;
    }
  }

  /** `dovecot/pairHosts`: the doveadm HTTP API URLs proposed for the tree of `uri` and its peer (a proposal; nothing is contacted). */
  private pairHosts(uri: string): ProposedHost[] {
    const root = this.rootOf(this.paths.pathOf(uri));
    const analysis = this.lastAnalysisOf(root);
    const peerRoot = this.peerRootFor(root);
    const peer = peerRoot ? this.lastAnalysisOf(peerRoot) : undefined;
    return this.service.proposePairHosts(analysis, peer);
  }

  /** `dovecot/replicationSetupPlan`: the wizard's defaults and mail_plugins plan, read from the tree rooted at `uri`. */
  private replicationSetupPlan(uri: string): ReplicationSetupPlan {
    const root = this.paths.pathOf(uri);
    const analysis = this.lastAnalysisOf(root);
    return { root, ...this.service.replicationSetupPlan(analysis) };
  }

  /** `dovecot/migrateTree`: the 2.4 conversion of the tree of `uri` (open buffers as they are) with its report; nothing is written. */
  private migrateTree(params: MigrateTreeParams): MigrateTreeResult | null {
    if (typeof params?.uri !== 'string' || params.target !== '2.4') return null;
    const file = this.paths.pathOf(params.uri);
    // A document without a file has no folder to convert into.
    if (this.paths.isVirtual(file)) return null;
    const root = this.rootOf(file);
    const result = getLanguageService(this.hostFor(root)).migrateTree(root, params.target);
    return { ...result, root, reportMarkdown: this.service.migrationReportMarkdown(root, result) };
  }

  /** `dovecot/inTree`: whether a file not (yet) opened as Dovecot belongs to the include tree of a root config. */
  private inTree(uri: string): boolean {
    const file = this.paths.pathOf(uri);
    const root = this.rootOf(file);
    if (root === file) return path.basename(file) === 'dovecot.conf';
    if (!this.analyses.has(root)) this.scheduleValidation([root]);
    return true;
  }
}
