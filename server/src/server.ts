import * as fs from 'node:fs';
import * as path from 'node:path';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { TextEdit } from 'vscode-languageserver-types';
import {
  CodeActionKind,
  DiagnosticSeverity,
  DiagnosticTag,
  DidChangeConfigurationNotification,
  DocumentHighlightKind,
  MessageType,
  ShowMessageNotification,
  TextDocumentSyncKind,
  TextDocuments,
  type Connection,
  ErrorCodes,
  ResponseError,
  type CodeAction,
  type Diagnostic,
  type InitializeParams,
  type WorkspaceEdit,
} from 'vscode-languageserver/node';
import { afterEachAnalysis } from './collectionAfterAnalysis';
import { makeLineTable } from './lineTable';
import { URI } from './uri';
import type { LintDiagnostic } from './service/analysis/analyzer';
import { findRule, type Level, type LevelSetting, type RuleTag } from './service/analysis/rules';
import type { FileEdits } from './service/features/quickFix';
import { getLanguageService, type ParsedText, type TreeAnalysis } from './service/dovecotLanguageService';
import type { VersionSetting } from './service/model/dialect';
import { OverlayHost } from './service/model/diskHost';
import { textRead } from './service/model/host';
import type { ParsedFile } from './service/syntax/nodes';
import { PROJECT_FILE_NAME } from './service/project/projectFile';
import { peerRootFor as choosePeerRoot } from './service/project/pairing';
import { WorkspaceProjects } from './service/project/workspaceProjects';
import { CompletionLists } from './completionList';
import type { FileHost } from './service/model/host';
import type { DoveconfFinding } from './service/live/doveconfFindings';
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
  type EffectiveConfigResult,
  type ReplicationSetupPlan,
  CONVERT_TO_24_COMMAND,
  MigrateTreeRequest,
  type MigrateTreeResult,
} from './protocol';

interface ServerSettings {
  rootConfig: string;
  /** `dovecot.version`: `auto` detects the version, `2.3`/`2.4` force it. */
  version: VersionSetting;
  lint: { rules: Record<string, LevelSetting> };
  replication: { peers: Record<string, string> };
  /** Machine-scoped in VS Code: a workspace cannot choose the program the server runs. */
  live: { doveconfPath: string };
}

const DEFAULT_SETTINGS: ServerSettings = {
  rootConfig: '',
  version: 'auto',
  lint: { rules: {} },
  replication: { peers: {} },
  live: { doveconfPath: 'doveconf' },
};
const VERSION_SETTINGS: ReadonlySet<string> = new Set<VersionSetting>(['auto', '2.3', '2.4']);
/** Debounce of validation after edits; DOVECOT_LSP_VALIDATION_DELAY_MS (whole milliseconds) overrides it, for measurements. */
const VALIDATION_DELAY_MS = /^\d{1,5}$/.test(process.env.DOVECOT_LSP_VALIDATION_DELAY_MS ?? '')
  ? Number(process.env.DOVECOT_LSP_VALIDATION_DELAY_MS)
  : 150;

/** The workspace crawl waits this long after start, so that a file the editor opens at start is validated first. */
const CRAWL_DELAY_MS = 150;

const SEVERITY: Record<Level, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  information: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};

const TAGS: Record<RuleTag, DiagnosticTag> = {
  deprecated: DiagnosticTag.Deprecated,
  unnecessary: DiagnosticTag.Unnecessary,
};

/**
 * A finding as an LSP diagnostic: severity from its level, a link to its rule's row in the README when known,
 * and its rule's tag (editors strike through a dropped setting, fade out text Dovecot ignores).
 */
export function toLspDiagnostic(
  diagnostic: LintDiagnostic,
  uriOf: (file: string) => string = (file) => URI.fromPath(file),
  ruleDocLinks: ReadonlyMap<string, string> = new Map(),
): Diagnostic {
  const href = ruleDocLinks.get(String(diagnostic.code));
  const tag = findRule(String(diagnostic.code))?.tag;
  return {
    range: diagnostic.range,
    severity: SEVERITY[diagnostic.level],
    code: diagnostic.code,
    ...(tag ? { tags: [TAGS[tag]] } : {}),
    ...(href ? { codeDescription: { href } } : {}),
    source: 'dovecot',
    message: diagnostic.message,
    relatedInformation: diagnostic.related?.map((place) => ({
      location: { uri: uriOf(place.file), range: place.range },
      message: place.message,
    })),
    data: diagnostic.data,
  };
}

/** Runs the language server on `connection` (serverMain.ts creates it from the process's stdio or IPC). */
export function startServer(connection: Connection): void {
  const documents = new TextDocuments(TextDocument);
  const host = new OverlayHost((filePath) => documents.get(URI.fromPath(filePath))?.getText());
  const service = getLanguageService(host);
  const projects = new WorkspaceProjects(host);

  // A document that is not a file (`untitled:Untitled-1`, …) has no directory and no includes to follow:
  // it is analysed alone, as a single-file configuration, under a path of its own that maps back to its URI.
  const DOCUMENTS_WITHOUT_FILE = path.join(path.sep, '.dovecot-documents-without-a-file');
  const virtualUris = new Map<string, string>();
  const NO_CLAIM_WITHOUT_DIRECTORY = new Set(['include-no-matches', 'include-unreadable']);

  function pathOf(uri: string): string {
    if (URI.isFile(uri)) return URI.toPath(uri);
    const file = path.join(DOCUMENTS_WITHOUT_FILE, encodeURIComponent(uri));
    virtualUris.set(file, uri);
    return file;
  }

  const uriOf = (file: string): string => virtualUris.get(file) ?? URI.fromPath(file);
  const isVirtual = (file: string): boolean => virtualUris.has(file);

  /** The one open document that is not a file, and nothing else. */
  class SingleDocumentHost implements FileHost {
    constructor(private readonly file: string) {}

    readFile(filePath: string): string | undefined {
      return filePath === this.file ? documents.get(uriOf(filePath))?.getText() : undefined;
    }

    listDirectory(): string[] | undefined {
      return undefined;
    }

    isFile(filePath: string): boolean {
      return this.readFile(filePath) !== undefined;
    }
  }

  const hostFor = (root: string): FileHost => (isVirtual(root) ? new SingleDocumentHost(root) : host);

  let supportsConfiguration = false;
  let supportsSnippetEdits = false;
  let supportsChangeAnnotations = false;
  let offerSnippets = true;
  /** Completion lists as the client takes them (documentation through completionItem/resolve, list defaults). */
  let completionLists = new CompletionLists({ resolvesDocumentation: false, itemDefaults: false });
  /** The client has the conversion command (VS Code: it previews diffs and asks before writing). */
  let offerConversionCommand = false;
  let supportsInlayHintRefresh = false;
  let workspaceFolders: string[] = [];
  let settings: ServerSettings = DEFAULT_SETTINGS;
  /** Whether the client lets us run programs (doveconf): false when it says the workspace is untrusted. */
  let workspaceTrusted = true;
  /** doveconf's findings per root, shown until a file of that tree changes. */
  const doveconfDiagnostics = new Map<string, Map<string, Diagnostic[]>>();
  const analyses = new Map<string, TreeAnalysis>();
  const collectAfterAnalysis = afterEachAnalysis();
  const publishedFiles = new Map<string, Set<string>>();
  let validationTimer: NodeJS.Timeout | undefined;
  /** The pending validation was asked for at once (a document opened): later requests join it instead of putting it off. */
  let urgentValidation = false;
  const pendingRoots = new Set<string>();
  let shutDown = false;

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

  /**
   * Answers a request: after `shutdown` every request fails with InvalidRequest, as the LSP
   * specification says; before, a failing handler is logged and answered with the fallback.
   */
  function answer<T>(name: string, fallback: T, handler: () => T): T {
    if (shutDown) throw new ResponseError(ErrorCodes.InvalidRequest, `${name}: the server is shut down`);
    return guarded(name, fallback, handler);
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
    warnOnce(
      `Dovecot: ${setting} names ${resolved}, which ${problem}; the setting is ignored. Point it at a dovecot.conf file.`,
    );
    return undefined;
  }

  function rootConfigFile(): string | undefined {
    return settingFile('dovecot.rootConfig', settings.rootConfig);
  }

  /** The project file's pair wins over the `dovecot.replication.peers` setting, which wins over automatic pairing. */
  function peerRootFor(root: string): string | undefined {
    const settingPairs = () =>
      Object.entries(settings.replication.peers).map(
        ([a, b]) => [settingFile('dovecot.replication.peers', a), settingFile('dovecot.replication.peers', b)] as const,
      );
    return choosePeerRoot(root, {
      projectPeer: projects.peerOf(root),
      settingPairs,
      analysed: analyses,
      excluded: isVirtual,
      host,
    });
  }

  /** Rule id -> link to its row in the rule reference of the README the client named (line of its anchor). */
  let ruleDocLinks = new Map<string, string>();

  function loadRuleDocLinks(readme: unknown): Map<string, string> {
    if (typeof readme !== 'string' || !path.isAbsolute(readme)) return new Map();
    try {
      if (!fs.statSync(readme).isFile()) return new Map();
      const lines = fs.readFileSync(readme, 'utf8').split('\n');
      const links = new Map<string, string>();
      lines.forEach((line, index) => {
        const anchor = /<a id="rule-([a-z0-9.-]+)"><\/a>/.exec(line);
        if (anchor) links.set(anchor[1], `${URI.fromPath(readme)}#L${index + 1}`);
      });
      return links;
    } catch {
      return new Map();
    }
  }

  function analyzeRoot(root: string): TreeAnalysis {
    const ruleLevels = { ...settings.lint.rules, ...projects.rulesFor(root) };
    // Pairing reads the last analysis; after that it is not needed while the next one is built.
    const peerRoot = isVirtual(root) ? undefined : peerRootFor(root);
    analyses.delete(root);
    const analysis = isVirtual(root)
      ? analyzeAlone(root, ruleLevels)
      : service.analyze(root, {
          ruleLevels,
          peerRoot,
          dovecotVersion: projects.projectOf(root)?.dovecotVersion ?? settings.version,
        });
    analyses.set(root, analysis);
    return analysis;
  }

  /** A document without a file: its includes cannot be found, so nothing is claimed about them. */
  function analyzeAlone(file: string, ruleLevels: Record<string, LevelSetting>): TreeAnalysis {
    const analysis = getLanguageService(hostFor(file)).analyze(file, { ruleLevels });
    return {
      ...analysis,
      diagnostics: analysis.diagnostics.filter(
        (diagnostic) => !NO_CLAIM_WITHOUT_DIRECTORY.has(String(diagnostic.code)),
      ),
    };
  }

  /** The tree's diagnostics (with doveconf's, when it was run) by file; with `only`, of that one file. */
  function diagnosticsByFile(analysis: TreeAnalysis, only?: string): Map<string, Diagnostic[]> {
    const byFile = new Map<string, Diagnostic[]>();
    for (const diagnostic of analysis.diagnostics) {
      if (only !== undefined && diagnostic.file !== only) continue;
      const list = byFile.get(diagnostic.file) ?? [];
      list.push(toLspDiagnostic(diagnostic, uriOf, ruleDocLinks));
      byFile.set(diagnostic.file, list);
    }
    for (const [file, diagnostics] of doveconfDiagnostics.get(analysis.root) ?? [])
      if (only === undefined || file === only) byFile.set(file, [...(byFile.get(file) ?? []), ...diagnostics]);
    return byFile;
  }

  /**
   * Sends diagnostics for the files of the tree that have some, and an empty list for the files that
   * had some before and have none now: a tree of 20,000 clean files sends nothing for them.
   */
  function publish(analysis: TreeAnalysis): void {
    const byFile = diagnosticsByFile(analysis);
    const previous = publishedFiles.get(analysis.root) ?? new Set<string>();
    for (const file of previous)
      if (!byFile.has(file)) void connection.sendDiagnostics({ uri: uriOf(file), diagnostics: [] });
    for (const [file, diagnostics] of byFile) void connection.sendDiagnostics({ uri: uriOf(file), diagnostics });
    publishedFiles.set(analysis.root, new Set(byFile.keys()));
  }

  function sendStatus(document: TextDocument, analysis: TreeAnalysis): void {
    void connection.sendNotification(StatusNotification, {
      uri: document.uri,
      dialect: analysis.dialect,
      reason: analysis.dialectReason,
      root: analysis.root,
    });
  }

  /** `dovecot/treeFiles`: every file of an analysed tree is Dovecot configuration, whatever its name (the client sets their language). */
  function sendTreeFiles(analysis: TreeAnalysis): void {
    void connection.sendNotification(TreeFilesNotification, {
      root: uriOf(analysis.root),
      files: analysis.files.map(uriOf),
    });
  }

  function rootOf(filePath: string): string {
    if (isVirtual(filePath)) return filePath;
    for (const [root, analysis] of analyses) if (analysis.model.files.has(filePath)) return root;
    return service.findRoot(filePath, rootConfigFile());
  }

  /** Whether an analysis read `file` with the text the editor holds now. */
  function readTextOf(
    analysis: TreeAnalysis | undefined,
    file: string,
    document: TextDocument,
  ): analysis is TreeAnalysis {
    return analysis?.model.files.get(file)?.text === document.getText();
  }

  function analysisFor(document: TextDocument): { analysis: TreeAnalysis; file: string } {
    const file = pathOf(document.uri);
    const root = rootOf(file);
    const cached = analyses.get(root);
    const fresh = readTextOf(cached, file, document) ? cached : analyzeRoot(root);
    return { analysis: fresh, file };
  }

  /**
   * For completion and hover: the last analysis of the tree with this document parsed afresh, so an
   * answer right after an edit does not wait for the tree to be analysed again (the debounced
   * validation does that). A tree not analysed yet, or a file new to it, is analysed in full.
   */
  function editingAnalysisFor(document: TextDocument): { analysis: TreeAnalysis; file: string } {
    const file = pathOf(document.uri);
    const cached = analyses.get(rootOf(file));
    const edited = cached && service.withEditedFile(cached, file, document.getText());
    return edited ? { analysis: edited, file } : analysisFor(document);
  }

  /**
   * Validates the roots after `delay` ms of quiet (edits are debounced; an opened tree is validated at once).
   * A validation already due sooner is not put off: the edit event that comes with opening a document, or the
   * workspace crawl, must not delay the validation of the opened tree.
   */
  function scheduleValidation(roots: Iterable<string>, delay = VALIDATION_DELAY_MS): void {
    if (shutDown) return;
    for (const root of roots) pendingRoots.add(root);
    if (pendingRoots.size === 0 || (validationTimer && urgentValidation)) return;
    if (validationTimer) clearTimeout(validationTimer);
    urgentValidation = delay === 0;
    validationTimer = setTimeout(() => {
      validationTimer = undefined;
      urgentValidation = false;
      const roots = [...pendingRoots];
      pendingRoots.clear();
      const validate = (root: string): void =>
        guarded('validation', undefined, () => {
          const analysis = analyzeRoot(root);
          publish(analysis);
          for (const document of documents.all()) {
            if (analysis.model.files.has(pathOf(document.uri))) sendStatus(document, analysis);
          }
          sendTreeFiles(analysis);
          service.prepareCompletion(analysis);
        });
      roots.forEach(validate);
      if (supportsInlayHintRefresh) void connection.languages.inlayHint.refresh();
      // A pair is only recognised once both roots are analysed: redo the ones whose peer just appeared.
      for (const root of roots) if (peerRootFor(root) !== analyses.get(root)?.peer?.root) validate(root);
      collectAfterAnalysis();
    }, delay);
  }

  function rootsAffectedBy(filePath: string): Set<string> {
    if (isVirtual(filePath)) return new Set([filePath]);
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
      version: VERSION_SETTINGS.has(String(value?.version)) ? (value?.version as VersionSetting) : 'auto',
      lint: { rules: value?.lint?.rules ?? {} },
      replication: { peers: value?.replication?.peers ?? {} },
      live: { doveconfPath: value?.live?.doveconfPath || DEFAULT_SETTINGS.live.doveconfPath },
    };
  }

  /** A file as the user knows it: relative to its workspace folder, else absolute. */
  function shownPath(file: string): string {
    for (const folder of workspaceFolders) {
      const relative = path.relative(folder, file);
      if (relative !== '' && !relative.startsWith('..') && !path.isAbsolute(relative))
        return relative.split(path.sep).join('/');
    }
    return file;
  }

  /**
   * The LSP edit of a quick fix requested in `fromFile`. Edits of any other file (the peer's, another
   * file of the tree) carry a change annotation that needs confirmation: the editor shows them first.
   */
  function toWorkspaceEdit(edits: FileEdits, snippet: boolean, fromFile: string): WorkspaceEdit {
    const files = Object.entries(edits).map(([file, fileEdits]) => ({ file, edits: fileEdits }));
    const others = files.filter(({ file }) => file !== fromFile);
    if (!snippet && (others.length === 0 || !supportsChangeAnnotations)) {
      return { changes: Object.fromEntries(files.map(({ file, edits: fileEdits }) => [uriOf(file), fileEdits])) };
    }
    const annotationId = (file: string): string | undefined =>
      file !== fromFile && supportsChangeAnnotations ? `edit ${shownPath(file)}` : undefined;
    // LSP 3.18 SnippetTextEdit: the snippet in `snippet`, not in `newText` (the 3.17 types do not know it yet).
    const asSnippet = ({ range, newText }: TextEdit) =>
      ({ range, snippet: { kind: 'snippet', value: newText } }) as unknown as TextEdit;
    return {
      documentChanges: files.map(({ file, edits: fileEdits }) => {
        const uri = uriOf(file);
        const id = annotationId(file);
        return {
          textDocument: { uri, version: documents.get(uri)?.version ?? null },
          edits: fileEdits.map((edit) => ({
            ...(snippet ? asSnippet(edit) : edit),
            ...(id ? { annotationId: id } : {}),
          })),
        };
      }),
      ...(supportsChangeAnnotations && others.length > 0
        ? {
            changeAnnotations: Object.fromEntries(
              others.map(({ file }) => [
                `edit ${shownPath(file)}`,
                {
                  label: `Changes ${shownPath(file)}`,
                  description: 'another file than the one you are editing',
                  needsConfirmation: true,
                },
              ]),
            ),
          }
        : {}),
    };
  }

  /** A quick fix's title names the other files it changes, so the choice is made knowingly. */
  function fixTitle(title: string, edits: FileEdits, fromFile: string): string {
    const others = Object.keys(edits)
      .filter((file) => file !== fromFile)
      .map(shownPath);
    return others.length === 0 ? title : `${title} (in ${others.join(', ')})`;
  }

  connection.onInitialize((params: InitializeParams) => {
    supportsConfiguration = params.capabilities.workspace?.configuration === true;
    const workspaceEdit = params.capabilities.workspace?.workspaceEdit;
    // LSP 3.18's snippetEditSupport (SnippetTextEdit inside documentChanges); clients without it get plain edits.
    supportsSnippetEdits =
      workspaceEdit?.documentChanges === true &&
      (workspaceEdit as { snippetEditSupport?: boolean }).snippetEditSupport === true;
    supportsChangeAnnotations =
      workspaceEdit?.documentChanges === true && workspaceEdit.changeAnnotationSupport !== undefined;
    supportsInlayHintRefresh = params.capabilities.workspace?.inlayHint?.refreshSupport === true;
    completionLists = CompletionLists.for(params.capabilities);
    workspaceFolders = (params.workspaceFolders ?? []).map((folder) => URI.toPath(folder.uri));
    const initOptions = params.initializationOptions as
      | (Partial<ServerSettings> & {
          snippets?: boolean;
          ruleDocs?: string;
          workspaceTrusted?: boolean;
          conversionCommand?: boolean;
        })
      | undefined;
    ruleDocLinks = loadRuleDocLinks(initOptions?.ruleDocs);
    if (initOptions) settings = { ...DEFAULT_SETTINGS, ...initOptions };
    // Editors without workspace trust (Neovim, ...) send nothing: the user configured the server themselves.
    workspaceTrusted = initOptions?.workspaceTrusted !== false;
    offerSnippets = initOptions?.snippets !== false;
    offerConversionCommand = initOptions?.conversionCommand === true;
    return {
      capabilities: {
        textDocumentSync: TextDocumentSyncKind.Incremental,
        completionProvider: {
          triggerCharacters: [' ', '=', '$', ':', '!', '<', '/'],
          resolveProvider: completionLists.resolvesDocumentation,
        },
        hoverProvider: true,
        codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix, CodeActionKind.RefactorRewrite] },
        documentSymbolProvider: true,
        foldingRangeProvider: true,
        selectionRangeProvider: true,
        documentLinkProvider: { resolveProvider: false },
        definitionProvider: true,
        referencesProvider: true,
        documentHighlightProvider: true,
        workspaceSymbolProvider: true,
        inlayHintProvider: true,
        documentFormattingProvider: true,
        documentRangeFormattingProvider: true,
        executeCommandProvider: { commands: [DOVECONF_CHECK_COMMAND] },
      },
      serverInfo: { name: 'dovecot-language-server' },
    };
  });

  /** Root configs in the workspace folders, so trees and replication pairs are analysed before a file is opened. */
  function discoverRoots(): string[] {
    // A tree analysed already (the file opened at start) is not read a second time.
    const filesOf = (root: string): ReadonlySet<string> => {
      const analysed = analyses.get(root);
      return analysed ? new Set(analysed.model.files.keys()) : service.treeFiles(root);
    };
    return workspaceFolders.flatMap((folder) => projects.roots(folder, service.rootNames(), filesOf));
  }

  /**
   * The crawl's roots, or none when each is analysed already with the peer it would get now (a tree
   * opened at start is not analysed a second time); a new root redoes them all, as pairs may change.
   */
  function rootsToValidate(discovered: string[]): string[] {
    const current = discovered.every(
      (root) => analyses.has(root) && peerRootFor(root) === analyses.get(root)?.peer?.root,
    );
    return current ? [] : discovered;
  }

  /** Reads the project files (.dovecot-lint.json, or the package.json key) of the workspace folders. */
  function loadProjects(): void {
    const problems = projects.load(workspaceFolders);
    service.setTemplateOptions(projects.templateOptions());
    for (const problem of problems) log(`project file ignored: ${problem}`);
    if (problems.length > 0)
      void connection.window.showWarningMessage(`Dovecot: the project file has errors and is ignored: ${problems[0]}`);
  }

  connection.onInitialized(() => {
    if (supportsConfiguration)
      void connection.client.register(DidChangeConfigurationNotification.type, { section: 'dovecot' });
    loadProjects();
    // The crawl builds every candidate tree: a file the editor opens at start is validated first.
    void refreshSettings().then(() =>
      setTimeout(() => !shutDown && scheduleValidation(rootsToValidate(discoverRoots())), CRAWL_DELAY_MS),
    );
  });

  connection.onDidChangeConfiguration(async (change) => {
    if (supportsConfiguration) await refreshSettings();
    else {
      const value = (change.settings as { dovecot?: Partial<ServerSettings> } | undefined)?.dovecot;
      settings = { ...DEFAULT_SETTINGS, ...value };
    }
    scheduleValidation([...analyses.keys()]);
  });

  /** The analyses of `roots` if each read this document's file with its text as it is now; else undefined. */
  function analysesCurrentFor(document: TextDocument, roots: Iterable<string>): TreeAnalysis[] | undefined {
    const file = pathOf(document.uri);
    if (isVirtual(file)) return undefined;
    const current = [...roots].map((root) => analyses.get(root));
    const isCurrent = (analysis: TreeAnalysis | undefined): analysis is TreeAnalysis =>
      readTextOf(analysis, file, document);
    return current.length > 0 && current.every(isCurrent) ? current : undefined;
  }

  // A document opened as its tree was analysed (by the workspace crawl, or as part of an open tree) is not
  // analysed again: its diagnostics and status are sent as they are.
  documents.onDidOpen((event) => {
    makeLineTable(event.document);
    const file = pathOf(event.document.uri);
    const roots = rootsAffectedBy(file);
    const current = analysesCurrentFor(event.document, roots);
    if (!current) return scheduleValidation(roots, 0);
    for (const analysis of current) {
      const diagnostics = diagnosticsByFile(analysis, file).get(file) ?? [];
      void connection.sendDiagnostics({ uri: event.document.uri, diagnostics });
      sendStatus(event.document, analysis);
    }
  });
  documents.onDidChangeContent((event) => {
    const roots = rootsAffectedBy(pathOf(event.document.uri));
    if (analysesCurrentFor(event.document, roots)) return;
    for (const root of roots) doveconfDiagnostics.delete(root);
    scheduleValidation(roots);
  });
  documents.onDidClose((event) => {
    const file = pathOf(event.document.uri);
    service.forget(file);
    if (isVirtual(file)) {
      analyses.delete(file);
      publishedFiles.delete(file);
      pendingRoots.delete(file);
      virtualUris.delete(file);
      void connection.sendDiagnostics({ uri: event.document.uri, diagnostics: [] });
      return;
    }
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
    answer('completion', null, () => {
      const document = documents.get(params.textDocument.uri);
      if (!document) return null;
      const { analysis, file } = editingAnalysisFor(document);
      const items = service.doComplete(analysis, file, params.position, {
        snippets: offerSnippets,
        host: hostFor(analysis.root),
      });
      return completionLists.toSend(items);
    }),
  );

  connection.onCompletionResolve((item) => answer('completionResolve', item, () => completionLists.resolve(item)));

  connection.onHover((params) =>
    answer('hover', null, () => {
      const document = documents.get(params.textDocument.uri);
      if (!document) return null;
      const { analysis, file } = editingAnalysisFor(document);
      return service.doHover(analysis, file, params.position);
    }),
  );

  connection.onCodeAction((params) =>
    answer('codeAction', [] as CodeAction[], () => {
      const document = documents.get(params.textDocument.uri);
      if (!document) return [];
      const { analysis, file } = analysisFor(document);
      const fixes: CodeAction[] = service
        .doQuickFixes(analysis, file, params.context.diagnostics, hostFor(analysis.root), {
          snippetEdits: supportsSnippetEdits,
        })
        .map(({ fix, diagnostic }) => ({
          title: fixTitle(fix.title, fix.edits, file),
          kind: CodeActionKind.QuickFix,
          diagnostics: [diagnostic],
          isPreferred: fix.isPreferred,
          edit: toWorkspaceEdit(fix.edits, fix.snippet === true, file),
        }));
      const conversion = conversionAction(analysis, document.uri);
      return conversion ? [...fixes, conversion] : fixes;
    }),
  );

  /** "Convert this tree to 2.4…" when 2.4 is the target (setting or project file) and the tree is written for 2.3, or mixes both. */
  function conversionAction(analysis: TreeAnalysis, uri: string): CodeAction | undefined {
    if (!offerConversionCommand || isVirtual(analysis.root)) return undefined;
    const offer = service.migrationOffer(
      analysis,
      projects.projectOf(analysis.root)?.dovecotVersion ?? settings.version,
    );
    if (!offer) return undefined;
    return {
      title: offer.title,
      kind: CodeActionKind.RefactorRewrite,
      command: { title: offer.title, command: CONVERT_TO_24_COMMAND, arguments: [uri] },
    };
  }

  /** The parse of an open document; undefined past the file size limit, where it is not analysed either. */
  function parsedDocument(uri: string): { text: string; parsed: ParsedFile } | undefined {
    const text = documents.get(uri)?.getText();
    if (text === undefined || textRead(text, service.limits.fileBytes).kind !== 'text') return undefined;
    return { text, parsed: service.parse(pathOf(uri), text) };
  }

  connection.onSelectionRanges((params) =>
    answer('selectionRange', [], () => {
      const document = parsedDocument(params.textDocument.uri);
      return document ? service.getSelectionRanges(document.parsed, params.positions) : [];
    }),
  );

  connection.onDocumentSymbol((params) =>
    answer('documentSymbol', [], () => {
      const document = parsedDocument(params.textDocument.uri);
      return document ? service.findDocumentSymbols(document.parsed) : [];
    }),
  );

  connection.onFoldingRanges((params) =>
    answer('foldingRanges', [], () => {
      const document = parsedDocument(params.textDocument.uri);
      return document ? service.getFoldingRanges(document.parsed) : [];
    }),
  );

  connection.onDocumentLinks((params) =>
    answer('documentLinks', [], () => {
      const document = documents.get(params.textDocument.uri);
      if (!document) return [];
      const { analysis, file } = analysisFor(document);
      return service
        .findDocumentLinks(analysis, file, hostFor(analysis.root))
        .map((link) => ({ range: link.range, target: uriOf(link.target), tooltip: link.tooltip }));
    }),
  );

  connection.onDefinition((params) =>
    answer('definition', [], () => {
      const document = documents.get(params.textDocument.uri);
      if (!document) return [];
      const { analysis, file } = analysisFor(document);
      return service
        .findDefinition(analysis, file, params.position)
        .map((location) => ({ uri: uriOf(location.file), range: location.range }));
    }),
  );

  connection.onReferences((params) =>
    answer('references', [], () => {
      const document = documents.get(params.textDocument.uri);
      if (!document) return [];
      const { analysis, file } = analysisFor(document);
      return service
        .findReferences(analysis, file, params.position, params.context.includeDeclaration)
        .map((reference) => ({ uri: uriOf(reference.file), range: reference.range }));
    }),
  );

  connection.onDocumentHighlight((params) =>
    answer('documentHighlight', [], () => {
      const document = documents.get(params.textDocument.uri);
      if (!document) return [];
      // Asked at every move of the cursor, also while typing: answered from the last analysis while it read
      // this text, else not at all until the next validation (an analysis per keystroke would slow typing).
      const file = pathOf(document.uri);
      const analysis = analyses.get(rootOf(file));
      if (!readTextOf(analysis, file, document)) return [];
      return service.findDocumentHighlights(analysis, file, params.position).map((reference) => ({
        range: reference.range,
        kind: reference.kind === 'read' ? DocumentHighlightKind.Read : DocumentHighlightKind.Write,
      }));
    }),
  );

  connection.onWorkspaceSymbol((params) =>
    answer('workspaceSymbol', [], () =>
      service.findWorkspaceSymbols(analyses.values(), params.query).map((symbol) => ({
        name: symbol.name,
        kind: symbol.kind,
        location: { uri: uriOf(symbol.file), range: symbol.range },
        containerName: symbol.containerName,
      })),
    ),
  );

  connection.languages.inlayHint.on((params) =>
    answer('inlayHint', [], () => {
      const document = documents.get(params.textDocument.uri);
      if (!document) return [];
      const { analysis, file } = analysisFor(document);
      const { start, end } = params.range;
      return service
        .getInlayHints(analysis, file)
        .filter((hint) => hint.position.line >= start.line && hint.position.line <= end.line);
    }),
  );

  /** A document's parse and the tree's other files, as formatting reads them. */
  function formattingInputs(uri: string): { own: ParsedText; others: ParsedText[] } | undefined {
    const document = documents.get(uri);
    const own = parsedDocument(uri);
    if (!document || !own) return undefined;
    const { analysis, file } = analysisFor(document);
    return { own, others: [...analysis.model.files.values()].filter((other) => other.path !== file) };
  }

  connection.onDocumentFormatting((params) =>
    answer('formatting', [], () => {
      const inputs = formattingInputs(params.textDocument.uri);
      return inputs ? service.format(inputs.own, inputs.others) : [];
    }),
  );

  connection.onDocumentRangeFormatting((params) =>
    answer('rangeFormatting', [], () => {
      const inputs = formattingInputs(params.textDocument.uri);
      return inputs ? service.formatRange(inputs.own, inputs.others, params.range) : [];
    }),
  );

  /** A client-chosen marker is printed as a value: accept it only as one comment line. */
  function commentOnly(text: unknown): string | undefined {
    return typeof text === 'string' && /^# [^\r\n]*$/.test(text) ? text : undefined;
  }

  /** `dovecot/effectiveConfig`: the tree's settings in effect, like doveconf -n, for the root of `uri`. */
  connection.onRequest(EffectiveConfigRequest, (params) =>
    answer('effectiveConfig', null as EffectiveConfigResult | null, () => {
      const file = pathOf(params.uri);
      const document = documents.get(params.uri);
      const analysis = document
        ? analysisFor(document).analysis
        : (analyses.get(rootOf(file)) ?? analyzeRoot(rootOf(file)));
      const marker = commentOnly(params.hiddenMarker);
      const hiddenMarkers = marker ? { value: marker, part: '#hidden#' } : undefined;
      return {
        root: analysis.root,
        text: service.renderEffectiveConfig(analysis, { showSecrets: params.showSecrets === true, hiddenMarkers }),
      };
    }),
  );

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
    const file = pathOf(uri);
    const root = rootOf(file);
    if (!workspaceTrusted) {
      return {
        root,
        diagnostics: [],
        failure: {
          what: 'doveconf is not run in an untrusted workspace',
          check: ['trust the workspace (Manage Workspace Trust) to check the configuration with the installed Dovecot'],
        },
      };
    }
    const outcome = await checkWithDoveconf(root, { doveconfPath: settings.live.doveconfPath });
    if (!outcome.ok) return { root, diagnostics: [], failure: outcome.failure };
    const analysis = analyses.get(root) ?? analyzeRoot(root);
    const byFile = new Map<string, Diagnostic[]>();
    for (const finding of outcome.findings)
      byFile.set(finding.file, [...(byFile.get(finding.file) ?? []), findingToDiagnostic(finding, analysis)]);
    doveconfDiagnostics.set(root, byFile);
    publish(analysis);
    return {
      root,
      diagnostics: [...byFile].flatMap(([path, list]) =>
        list.map((diagnostic) => ({ uri: URI.fromPath(path), diagnostic })),
      ),
    };
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
  connection.onRequest(PairHostsRequest, (params) =>
    guarded('pairHosts', [] as ProposedHost[], () => {
      const root = rootOf(pathOf(params.uri));
      const analysis = analyses.get(root) ?? analyzeRoot(root);
      const peerRoot = peerRootFor(root);
      const peer = peerRoot ? (analyses.get(peerRoot) ?? analyzeRoot(peerRoot)) : undefined;
      return service.proposePairHosts(analysis, peer);
    }),
  );

  /** `dovecot/replicationSetupPlan`: the wizard's defaults and mail_plugins plan, read from the tree rooted at `uri`. */
  connection.onRequest(ReplicationSetupPlanRequest, (params) =>
    answer('replicationSetupPlan', null as ReplicationSetupPlan | null, () => {
      const root = pathOf(params.uri);
      const analysis = analyses.get(root) ?? analyzeRoot(root);
      return { root, ...service.replicationSetupPlan(analysis) };
    }),
  );

  connection.onRequest(DoveconfCheckRequest, (params) => guardedCheck(params?.uri));
  connection.onExecuteCommand((params) =>
    params.command === DOVECONF_CHECK_COMMAND ? guardedCheck(params.arguments?.[0]) : null,
  );
  connection.onNotification(WorkspaceTrustNotification, (params) => {
    workspaceTrusted = params?.trusted === true;
  });

  /** `dovecot/migrateTree`: the 2.4 conversion of the tree of `uri` (open buffers as they are) with its report; nothing is written. */
  connection.onRequest(MigrateTreeRequest, (params) =>
    answer('migrateTree', null as MigrateTreeResult | null, () => {
      if (typeof params?.uri !== 'string' || params.target !== '2.4') return null;
      const file = pathOf(params.uri);
      // A document without a file has no folder to convert into.
      if (isVirtual(file)) return null;
      const root = rootOf(file);
      const result = getLanguageService(hostFor(root)).migrateTree(root, params.target);
      return { ...result, root, reportMarkdown: service.migrationReportMarkdown(root, result) };
    }),
  );

  /** `dovecot/inTree`: whether a file not (yet) opened as Dovecot belongs to the include tree of a root config. */
  connection.onRequest(InTreeRequest, (params) =>
    guarded('inTree', false, () => {
      const file = pathOf(params.uri);
      const root = rootOf(file);
      if (root === file) return path.basename(file) === 'dovecot.conf';
      if (!analyses.has(root)) scheduleValidation([root]);
      return true;
    }),
  );

  connection.onShutdown(() => {
    if (shutDown) throw new ResponseError(ErrorCodes.InvalidRequest, 'shutdown: the server is already shut down');
    shutDown = true;
    if (validationTimer) clearTimeout(validationTimer);
    validationTimer = undefined;
  });

  /** Methods this server does not know: MethodNotFound, or InvalidRequest once it is shut down. */
  connection.onRequest((method) => {
    if (shutDown) throw new ResponseError(ErrorCodes.InvalidRequest, `${method}: the server is shut down`);
    throw new ResponseError(ErrorCodes.MethodNotFound, `Unhandled method ${method}`);
  });

  process.on('uncaughtException', (error) => log(`uncaught: ${error.stack ?? error.message}`));

  documents.listen(connection);
  connection.listen();
}
