import * as path from 'node:path';
import { checksFor } from './analysis/checks';
import { withoutPassedOverBlocks } from './analysis/passedOverBlocks';
import { applyLevels, runChecks, type AnalysisContext, type LintDiagnostic } from './analysis/analyzer';
import type { LevelSetting } from './analysis/rules';
import { hasConventionalArgsName, hasDriverOnlyKeys, isReferencedArgsFile } from './model/argsFiles';
import { decideDialect, type Dialect, type VersionSetting } from './model/dialect';
import { EffectiveSettings } from './model/effective';
import { textRead, type FileHost } from './model/host';
import { reparseEditedLine } from './syntax/lineEdit';
import { editedFile, type EditedFile } from './model/editedFile';
import { DEFAULT_LIMITS, type AnalysisLimits } from './model/limits';
import { buildModel, treeFiles, type ConfigModel, type ModelOptions, type ParsedText } from './model/model';
import type { ParsedFile } from './syntax/nodes';
import { parseConfig } from './syntax/parser';
import { isTemplateFile, parseTemplate, renderedName, TEMPLATE_SUFFIXES } from './syntax/templates';
import { withoutTemplateClaims } from './analysis/templateClaims';
import { withJoinedIncludeLines } from './analysis/joinedIncludeLines';
import { featureDialect, type FeatureDialect } from './features/dialects';

/** How Jinja2/Go template files are read (the project file's `templates`). */
export interface TemplateOptions {
  /** false: template tags are read as plain configuration text. */
  enabled: boolean;
  /** File name endings of template files besides the usual ones. */
  extraSuffixes: string[];
}

export interface AnalyzeOptions {
  /** Per-rule level overrides (`dovecot.lint.rules`, `--rule id=level`). */
  ruleLevels?: Record<string, LevelSetting>;
  /** Root file of the other host of a replication pair. */
  peerRoot?: string;
  /** `dovecot.version` / `--dovecot-version`: read the tree as this version instead of detecting it. */
  dovecotVersion?: VersionSetting;
}

/** The analysis of one include tree: the model, the effective settings and every diagnostic. */
export interface TreeAnalysis {
  root: string;
  model: ConfigModel;
  effective: EffectiveSettings;
  dialect: Dialect;
  /** The version object the tree is read with (chosen once from `dialect`): its schema, markers, completion and hover. */
  versionDialect: FeatureDialect;
  /** Why the tree is read as `dialect`, e.g. `dovecot_config_version = 2.4.4 (dovecot.conf:1)`. */
  dialectReason: string;
  diagnostics: LintDiagnostic[];
  /** Files of the tree, root first, in the order Dovecot reads them. */
  files: string[];
  peer?: { root: string; model: ConfigModel; effective: EffectiveSettings };
  /** A file edited since the analysis, read afresh (see `withEditedFile`); `model` still holds its analysed text. */
  edited?: EditedFile;
}

/** The pure language service: parse, model and analyse Dovecot configuration through a FileHost. */
export class DovecotLanguageService {
  private readonly parseCache = new Map<string, ParsedText>();
  private templates: TemplateOptions = { enabled: true, extraSuffixes: [] };

  readonly limits: AnalysisLimits;

  constructor(
    readonly host: FileHost,
    options: { limits?: Partial<AnalysisLimits> } = {},
  ) {
    this.limits = { ...DEFAULT_LIMITS, ...options.limits };
  }

  setTemplateOptions(options: TemplateOptions): void {
    if (JSON.stringify(options) !== JSON.stringify(this.templates)) this.parseCache.clear();
    this.templates = options;
  }

  /** Parses a file's text, reusing the previous parse while the text is unchanged. */
  parse(filePath: string, text: string): ParsedFile {
    return this.parseKept(filePath, text).parsed;
  }

  /** The kept parse of an unchanged text comes with the text it was made from: the new read is not kept too. */
  private parseKept(filePath: string, text: string): ParsedText {
    const cached = this.parseCache.get(filePath);
    if (cached && cached.text === text) return cached;
    const asTemplate = this.templates.enabled && isTemplateFile(filePath, text, this.templates.extraSuffixes);
    const kept = { text, parsed: asTemplate ? parseTemplate(text) : parseConfig(text) };
    this.parseCache.set(filePath, kept);
    return kept;
  }

  forget(filePath: string): void {
    this.parseCache.delete(filePath);
  }

  /** Endings of template file names, none when templates are read as plain configuration. */
  private templateSuffixes(): string[] {
    return this.templates.enabled ? [...TEMPLATE_SUFFIXES, ...this.templates.extraSuffixes] : [];
  }

  /** File names of root configurations: dovecot.conf, and its template forms when templates are read. */
  rootNames(): string[] {
    return ['dovecot.conf', ...this.templateSuffixes().map((suffix) => `dovecot.conf${suffix}`)];
  }

  buildModel(root: string): ConfigModel {
    return buildModel(this.host, root, (filePath, text) => this.parseKept(filePath, text), this.modelOptions(root));
  }

  /** The files of the tree of `root`, without building its model. */
  treeFiles(root: string): ReadonlySet<string> {
    return treeFiles(this.host, root, (filePath, text) => this.parseKept(filePath, text), this.modelOptions(root));
  }

  private modelOptions(root: string): ModelOptions {
    const suffixes = this.templateSuffixes();
    const isTemplateRoot = suffixes.some((suffix) => root.endsWith(suffix));
    return { templateSuffixes: isTemplateRoot ? suffixes : undefined, limits: this.limits };
  }

  /** The model as Dovecot applies it: a 2.3 configuration with its obsolete settings rewritten. */
  private appliedModel(
    root: string,
    version?: VersionSetting,
  ): { model: ConfigModel; dialect: Dialect; versionDialect: FeatureDialect; reason: string } {
    const written = this.buildModel(root);
    const { dialect, reason } = decideDialect(written, version);
    const versionDialect = featureDialect(dialect);
    return { model: versionDialect.applied(written), dialect, versionDialect, reason };
  }

  /**
   * The root configuration a file belongs to: the explicit root if given, else the nearest
   * `dovecot.conf` in the file's directory or its ancestors whose include tree contains the file,
   * else the file itself.
   */
  findRoot(filePath: string, explicitRoot?: string): string {
    const file = path.resolve(filePath);
    if (explicitRoot) return path.resolve(explicitRoot);
    const root = this.enclosingRoots(file).find(
      (candidate) => candidate === file || this.treeFiles(candidate).has(file),
    );
    return root ?? file;
  }

  /** Root configurations (`dovecot.conf`, and its template forms when templates are read) in the file's directory and up to three of its ancestors, nearest first; the file itself ends the list. */
  private enclosingRoots(file: string): string[] {
    const roots: string[] = [];
    let dir = path.dirname(file);
    for (let depth = 0; depth < 4; depth++) {
      for (const candidate of this.rootNames().map((name) => path.join(dir, name))) {
        if (candidate === file) return [...roots, file];
        if (this.host.isFile(candidate)) roots.push(candidate);
      }
      const parent = path.dirname(dir);
      if (parent === dir) break;
      dir = parent;
    }
    return roots;
  }

  /**
   * A passdb/userdb/dict driver's own configuration file (named after Dovecot's convention, named by an
   * enclosing tree, or with a sql driver's keys): its keys are the driver's, so the configuration checks do
   * not apply to it.
   */
  isDriverArgsFile(filePath: string): boolean {
    const file = path.resolve(filePath);
    const rendered = renderedName(file, this.templateSuffixes());
    if (hasConventionalArgsName(rendered)) return true;
    if (this.enclosingRoots(file).some((root) => root !== file && isReferencedArgsFile(this.buildModel(root), file)))
      return true;
    const text = this.rootNames().includes(path.basename(file)) ? undefined : this.host.readFile(file);
    return text !== undefined && hasDriverOnlyKeys(this.parse(file, text));
  }

  /** A tree read from a file not named as a root, with no dovecot_config_version and no forced version. */
  private isFragment(model: ConfigModel, version: VersionSetting = 'auto'): boolean {
    if (version !== 'auto' || this.rootNames().includes(path.basename(model.root))) return false;
    return !model.settings.some(({ node }) => node.key === 'dovecot_config_version');
  }

  analyze(root: string, options: AnalyzeOptions = {}): TreeAnalysis {
    const { model, dialect, versionDialect, reason } = this.appliedModel(root, options.dovecotVersion);
    const effective = new EffectiveSettings(model, versionDialect.settings, this.host);
    const peer = options.peerRoot ? this.peerOf(options.peerRoot) : undefined;
    const context: AnalysisContext = {
      model,
      effective,
      dialect,
      schema: versionDialect,
      host: this.host,
      limits: this.limits,
      peer,
      fragment: this.isFragment(model, options.dovecotVersion),
    };
    const diagnostics = this.isDriverArgsFile(root)
      ? []
      : applyLevels(
          withJoinedIncludeLines(
            withoutTemplateClaims(
              withoutPassedOverBlocks(runChecks(context, checksFor(versionDialect.version)), context),
              model,
            ),
            model,
          ),
          model,
          options.ruleLevels,
        );
    return {
      root: model.root,
      model,
      effective,
      dialect,
      versionDialect,
      dialectReason: reason,
      diagnostics,
      files: [...model.files.keys()],
      peer,
    };
  }

  /**
   * The last analysis of a tree with one of its files as the editor holds it now: the cursor's
   * surroundings come from the fresh parse, the tree-wide facts (settings in effect, loaded plugins,
   * the peer, diagnostics) stay those of `analysis` until the tree is analysed again. Undefined when
   * the file is not in the analysed tree or is past the size limit (then only a full analysis answers).
   */
  withEditedFile(analysis: TreeAnalysis, filePath: string, text: string): TreeAnalysis | undefined {
    const previous = analysis.model.files.get(filePath);
    if (!previous || textRead(text, this.limits.fileBytes).kind !== 'text') return undefined;
    if (previous.text === text) return analysis;
    const line = reparseEditedLine(previous, text);
    if (line) {
      const { before, after } = line;
      return { ...analysis, edited: editedFile(previous, text, line.parsed, { before, after }) };
    }
    return { ...analysis, edited: editedFile(previous, text, this.parse(filePath, text)) };
  }

  private peerOf(peerRoot: string): TreeAnalysis['peer'] {
    const { model, versionDialect } = this.appliedModel(peerRoot);
    return { root: model.root, model, effective: new EffectiveSettings(model, versionDialect.settings, this.host) };
  }
}

export function diagnosticsForFile(analysis: TreeAnalysis, filePath: string): LintDiagnostic[] {
  const file = path.resolve(filePath);
  return analysis.diagnostics.filter((diagnostic) => diagnostic.file === file);
}
