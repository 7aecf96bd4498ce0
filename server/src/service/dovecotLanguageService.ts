// The one entry to the language service for the server, the CLIs and the tests: an interface and its
// factory (as vscode-css-languageservice's getCSSLanguageService). The analysis core lives in
// languageService.ts, each editor feature in features/; this file only puts them behind one name.
import type {
  CompletionItem,
  Diagnostic,
  DocumentSymbol,
  FoldingRange,
  Hover,
  InlayHint,
  Position,
  Range,
  SelectionRange,
  TextEdit,
} from 'vscode-languageserver-types';
import { quickFixes } from './features/codeActions';
import { doComplete, prepareCompletion, type CompletionOptions } from './features/completion';
import { findDefinition, type FileLocation } from './features/definition';
import { renderEffectiveConfig, type EffectiveConfigOptions } from './features/effectiveConfig';
import { foldingRanges } from './features/folding';
import { selectionRanges } from './features/selectionRanges';
import { formatIndentation, formatRangeIndentation, formattingUnit } from './features/formatting';
import { doHover } from './features/hover';
import { inlayHints } from './features/inlayHints';
import { documentLinks, type FileLink } from './features/links';
import type { QuickFix, QuickFixOptions } from './features/quickFix';
import { documentHighlights, findReferences, type Reference } from './features/references';
import { planMailPlugins, type MailPluginsPlan } from './features/replicationSetup';
import { setupDefaults, type SetupDefaults } from './features/setupDefaults';
import { documentSymbols } from './features/symbols';
import { migrationOffer, type MigrationOffer } from './features/migrationOffer';
import { workspaceSymbols, type WorkspaceSymbol } from './features/workspaceSymbols';
import { pairHostProposals, type ProposedHost } from './live/pairHosts';
import { migrateTree } from './migrate/convert';
import { renderReportMarkdown } from './migrate/reportMarkdown';
import type { MigrationResult, MigrationTarget } from './migrate/types';
import type { VersionSetting } from './model/dialect';
import {
  DovecotLanguageService,
  type AnalyzeOptions,
  type TemplateOptions,
  type TreeAnalysis,
} from './languageService';
import type { FileHost } from './model/host';
import type { AnalysisLimits } from './model/limits';
import type { ConfigModel } from './model/model';
import type { ParsedFile } from './syntax/nodes';

/** One file's text and parse, as formatting compares a file's indentation with the tree's. */
export interface ParsedText {
  text: string;
  parsed: ParsedFile;
}

export interface LanguageService {
  readonly host: FileHost;
  readonly limits: AnalysisLimits;
  setTemplateOptions(options: TemplateOptions): void;

  // The analysis of include trees.
  parse(filePath: string, text: string): ParsedFile;
  forget(filePath: string): void;
  rootNames(): string[];
  buildModel(root: string): ConfigModel;
  /** The files the tree of `root` reads, without building its model. */
  treeFiles(root: string): ReadonlySet<string>;
  findRoot(filePath: string, explicitRoot?: string): string;
  isDriverArgsFile(filePath: string): boolean;
  analyze(root: string, options?: AnalyzeOptions): TreeAnalysis;
  /** `analysis` with `filePath` read from `text` for completion and hover, without analysing the tree again. */
  withEditedFile(analysis: TreeAnalysis, filePath: string, text: string): TreeAnalysis | undefined;

  // Editor features over an analysis. `host` defaults to the service's own.
  doComplete(analysis: TreeAnalysis, file: string, position: Position, options?: CompletionOptions): CompletionItem[];
  /** Builds completion's tree-wide indexes now (after a validation) instead of in the first completion. */
  prepareCompletion(analysis: TreeAnalysis): void;
  doHover(analysis: TreeAnalysis, file: string, position: Position): Hover | null;
  doQuickFixes(
    analysis: TreeAnalysis,
    file: string,
    diagnostics: Diagnostic[],
    host?: FileHost,
    options?: QuickFixOptions,
  ): { fix: QuickFix; diagnostic: Diagnostic }[];
  findDefinition(analysis: TreeAnalysis, file: string, position: Position): FileLocation[];
  /** Every assignment of the setting (or opening of the section) at `position` in the tree, and the `$name` reading it. */
  findReferences(analysis: TreeAnalysis, file: string, position: Position, includeDeclaration?: boolean): Reference[];
  findDocumentHighlights(analysis: TreeAnalysis, file: string, position: Position): Reference[];
  /** Settings and sections of the analysed trees whose names match `query`, best matches first. */
  findWorkspaceSymbols(analyses: Iterable<TreeAnalysis>, query: string): WorkspaceSymbol[];
  findDocumentLinks(analysis: TreeAnalysis, file: string, host?: FileHost): FileLink[];
  getInlayHints(analysis: TreeAnalysis, file: string): InlayHint[];
  findDocumentSymbols(parsed: ParsedFile): DocumentSymbol[];
  getFoldingRanges(parsed: ParsedFile): FoldingRange[];
  /** For each position, the ranges an "expand selection" steps through, innermost first. */
  getSelectionRanges(parsed: ParsedFile, positions: readonly Position[]): SelectionRange[];
  /** Indentation edits for `own`, in the unit the tree's other files use. */
  format(own: ParsedText, others: readonly ParsedText[]): TextEdit[];
  /** The edits of `format` on the lines `range` covers. */
  formatRange(own: ParsedText, others: readonly ParsedText[], range: Range): TextEdit[];
  renderEffectiveConfig(
    analysis: Pick<TreeAnalysis, 'root' | 'effective' | 'dialect' | 'model'>,
    options?: EffectiveConfigOptions,
  ): string;
  /** What the replication wizard proposes for a tree, and how its mail_plugins line must change. */
  replicationSetupPlan(
    analysis: TreeAnalysis,
    host?: FileHost,
  ): { defaults: SetupDefaults; mailPlugins: MailPluginsPlan };
  /** The doveadm HTTP API URL proposed for a tree and its peer (a proposal; nothing is contacted). */
  proposePairHosts(analysis: TreeAnalysis, peer?: TreeAnalysis): ProposedHost[];

  // Migration to Dovecot 2.4 (nothing is written).
  /** Whether to offer converting the tree, given the version the user targets. */
  migrationOffer(analysis: TreeAnalysis, target: VersionSetting): MigrationOffer | undefined;
  /** The tree of `root` converted, read through the service's host, with the report. */
  migrateTree(root: string, target: MigrationTarget): MigrationResult;
  migrationReportMarkdown(root: string, result: MigrationResult): string;
}

/** A language service reading files through `host`. */
export function getLanguageService(
  host: FileHost,
  options: { limits?: Partial<AnalysisLimits> } = {},
): LanguageService {
  const core = new DovecotLanguageService(host, options);
  return {
    host,
    limits: core.limits,
    setTemplateOptions: (templates) => core.setTemplateOptions(templates),
    parse: (filePath, text) => core.parse(filePath, text),
    forget: (filePath) => core.forget(filePath),
    rootNames: () => core.rootNames(),
    buildModel: (root) => core.buildModel(root),
    treeFiles: (root) => core.treeFiles(root),
    findRoot: (filePath, explicitRoot) => core.findRoot(filePath, explicitRoot),
    isDriverArgsFile: (filePath) => core.isDriverArgsFile(filePath),
    analyze: (root, analyzeOptions) => core.analyze(root, analyzeOptions),
    withEditedFile: (analysis, filePath, text) => core.withEditedFile(analysis, filePath, text),
    doComplete: (analysis, file, position, completionOptions) =>
      doComplete(analysis, file, position, { host, ...completionOptions }),
    prepareCompletion,
    doHover,
    doQuickFixes: (analysis, file, diagnostics, fileHost = host, fixOptions) =>
      quickFixes(analysis, file, diagnostics, fileHost, fixOptions),
    findDefinition,
    findReferences,
    findDocumentHighlights: documentHighlights,
    findWorkspaceSymbols: workspaceSymbols,
    findDocumentLinks: (analysis, file, fileHost = host) => documentLinks(analysis, file, fileHost),
    getInlayHints: inlayHints,
    findDocumentSymbols: documentSymbols,
    getFoldingRanges: foldingRanges,
    getSelectionRanges: selectionRanges,
    format: (own, others) => formatIndentation(own.text, own.parsed, formattingUnit(own, [...others])),
    formatRange: (own, others, range) =>
      formatRangeIndentation(own.text, own.parsed, formattingUnit(own, [...others]), range),
    renderEffectiveConfig,
    replicationSetupPlan: (analysis, fileHost = host) => ({
      defaults: setupDefaults(analysis, fileHost),
      mailPlugins: planMailPlugins(analysis),
    }),
    proposePairHosts: (analysis, peer) => pairHostProposals(analysis, peer, host),
    migrationOffer,
    migrateTree: (root, target) => migrateTree({ host, root, target }),
    migrationReportMarkdown: renderReportMarkdown,
  };
}

export type { AnalyzeOptions, TemplateOptions, TreeAnalysis };
