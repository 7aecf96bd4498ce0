import * as path from 'node:path';
import { version as toolVersion } from '../../package.json';
import { toGithubCommands } from './report/github';
import { toSarif } from './report/sarif';
import { writeFd } from './writeFd';
import type { LintDiagnostic } from './service/analysis/analyzer';
import { RULES, findRule, type LevelSetting } from './service/analysis/rules';
import { getLanguageService, type LanguageService } from './service/dovecotLanguageService';
import type { VersionSetting } from './service/model/dialect';
import { DiskHost } from './service/model/diskHost';
import { discoverRoots } from './service/project/discoverRoots';
import {
  expandProjectRoots,
  findProjectFile,
  peerFromPairs,
  readProjectFile,
  type ProjectConfig,
} from './service/project/projectFile';
import { MIB, type AnalysisLimits } from './service/model/limits';
import { isMigrateCommand, MIGRATE_USAGE, runMigrate } from './migrateCli';

const USAGE = `Usage: dovecot-lint [options] [FILE|DIR]...

Analyses each FILE (a root dovecot.conf) with everything it includes and prints the problems found.
A FILE that a dovecot.conf in its folder or up to three folders above includes (a conf.d file) is
analysed as part of that tree, as Dovecot reads it, and the problems in that FILE are printed.
A DIR is searched for root configurations: every dovecot.conf (or dovecot.conf.j2 and other template
forms) below it (up to 8 folders deep, hidden folders and node_modules skipped) that no other one
includes. Jinja2/Go template parts ({{ }}, {% %}, {# #}) are read as unknown values. Without FILE or DIR, the roots of the
project file (.dovecot-lint.json, or the "dovecot-lint" key of package.json, found from the current
folder upwards) are analysed, or the project file's folder is searched.

Options:
  --format FORMAT      text (default), json, sarif (SARIF 2.1.0 for code scanning) or github
                       (GitHub Actions workflow commands: annotations on the changed files)
  --config FILE        the project file to use (default: the nearest one from the current folder)
  --no-config          use no project file
  --peer PEER_ROOT     the other host's root config of a replication pair (enables the two-host checks;
                       pairs can also be declared in the project file)
  --rule ID=LEVEL      override a rule's level: off, hint, information, warning, error (repeatable)
  --dovecot-version V  read the configuration as Dovecot V: auto (detect, the default), 2.3 or 2.4
  --list-rules         print every rule id with its default level and summary
  --print-effective    print the settings in effect, like doveconf -n, each with the file:line that set it
  --show-secrets       with --print-effective: show passwords and keys instead of hiding them
  --max-file-size SIZE largest file read (root, include, <file value), e.g. 16M (default: 8M)
  --max-tree-size SIZE most bytes read for one include tree, e.g. 128M (default: 64M)
  -h, --help           show this help

Exit status: 0 no error, 1 at least one error, 2 usage error or unreadable input.

Upgrading to Dovecot 2.4:
${MIGRATE_USAGE.replace(/^/gm, '  ').trimStart()}`;

const LEVELS: ReadonlySet<string> = new Set(['off', 'hint', 'information', 'warning', 'error']);

const FORMATS = ['text', 'json', 'sarif', 'github'] as const;
type Format = (typeof FORMATS)[number];

interface CliOptions {
  format: Format;
  config?: string;
  noConfig: boolean;
  peer?: string;
  dovecotVersion: VersionSetting;
  ruleLevels: Record<string, LevelSetting>;
  files: string[];
  listRules: boolean;
  printEffective: boolean;
  showSecrets: boolean;
  help: boolean;
  limits: Partial<AnalysisLimits>;
}

class UsageError extends Error {}

function takeValue(args: string[], index: number, flag: string): string {
  const value = args[index + 1];
  if (value === undefined || value.startsWith('--')) throw new UsageError(`${flag} needs a value`);
  return value;
}

function parseRuleOverride(spec: string): [string, LevelSetting] {
  const [id, level] = spec.split('=');
  if (!id || !level || !LEVELS.has(level))
    throw new UsageError(`--rule expects ID=LEVEL with LEVEL one of ${[...LEVELS].join(', ')}, got '${spec}'`);
  if (!findRule(id)) throw new UsageError(`unknown rule id '${id}' (see --list-rules)`);
  return [id, level as LevelSetting];
}

/** `8M`, `512k`, `1G` or a number of bytes. */
function parseSize(flag: string, text: string): number {
  const match = /^(\d+)([kKmMgG]?)$/.exec(text);
  const unit = { '': 1, k: 1024, m: MIB, g: 1024 * MIB }[(match?.[2] ?? '').toLowerCase()];
  const bytes = match && unit ? Number(match[1]) * unit : NaN;
  if (!(bytes > 0)) throw new UsageError(`${flag} expects a size such as 8M, 512k or 1048576, got '${text}'`);
  return bytes;
}

export function parseArguments(args: string[]): CliOptions {
  const options: CliOptions = {
    format: 'text',
    noConfig: false,
    dovecotVersion: 'auto',
    ruleLevels: {},
    files: [],
    listRules: false,
    printEffective: false,
    showSecrets: false,
    help: false,
    limits: {},
  };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    const [flag, inlineValue] =
      arg.startsWith('--') && arg.includes('=') && !arg.startsWith('--rule=')
        ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)]
        : [arg, undefined];
    const value = (): string => inlineValue ?? takeValue(args, i++, flag);
    if (flag === '--format') {
      const format = value();
      if (!(FORMATS as readonly string[]).includes(format))
        throw new UsageError(`--format must be ${FORMATS.join(', ')}, got '${format}'`);
      options.format = format as Format;
    } else if (flag === '--config') options.config = value();
    else if (flag === '--no-config') options.noConfig = true;
    else if (flag === '--peer') options.peer = value();
    else if (flag === '--dovecot-version') {
      const version = value();
      if (version !== 'auto' && version !== '2.3' && version !== '2.4')
        throw new UsageError(`--dovecot-version must be auto, 2.3 or 2.4, got '${version}'`);
      options.dovecotVersion = version;
    } else if (flag === '--rule') {
      const [id, level] = parseRuleOverride(value());
      options.ruleLevels[id] = level;
    } else if (flag.startsWith('--rule=')) {
      const [id, level] = parseRuleOverride(flag.slice('--rule='.length));
      options.ruleLevels[id] = level;
    } else if (flag === '--list-rules') options.listRules = true;
    else if (flag === '--print-effective') options.printEffective = true;
    else if (flag === '--show-secrets') options.showSecrets = true;
    else if (flag === '--max-file-size') options.limits.fileBytes = parseSize(flag, value());
    else if (flag === '--max-tree-size') options.limits.treeBytes = parseSize(flag, value());
    else if (flag === '-h' || flag === '--help') options.help = true;
    else if (flag.startsWith('-') && flag !== '-') throw new UsageError(`unknown option ${flag}`);
    else options.files.push(arg);
  }
  return options;
}

/** Why a path given as FILE is not a file to analyse: a FIFO or device is never opened (it could block). */
function notAFile(host: DiskHost, file: string): string | undefined {
  const probe = host.read(file, 0);
  return probe.kind === 'not-regular' ? `not a regular file (${probe.what})` : undefined;
}

function toJson(diagnostic: LintDiagnostic, root: string): Record<string, unknown> {
  return {
    file: diagnostic.file,
    line: diagnostic.range.start.line + 1,
    column: diagnostic.range.start.character + 1,
    endLine: diagnostic.range.end.line + 1,
    endColumn: diagnostic.range.end.character + 1,
    severity: diagnostic.level,
    code: diagnostic.code,
    message: diagnostic.message,
    root,
  };
}

const relativeToCwd = (file: string): string => path.relative(process.cwd(), file) || file;

function toText(diagnostic: LintDiagnostic): string {
  const where = `${relativeToCwd(diagnostic.file)}:${diagnostic.range.start.line + 1}:${diagnostic.range.start.character + 1}`;
  return `${where}: ${diagnostic.level}: ${diagnostic.message} [${diagnostic.code}]`;
}

function byPosition(a: LintDiagnostic, b: LintDiagnostic): number {
  // Equal names skip localeCompare: its first call loads the collation data, a start-up cost the usual single file never needs.
  return (
    (a.file === b.file ? 0 : a.file.localeCompare(b.file)) ||
    a.range.start.line - b.range.start.line ||
    a.range.start.character - b.range.start.character
  );
}

function listRules(): string {
  return RULES.map((rule) => `${rule.id.padEnd(38)} ${rule.level.padEnd(12)} ${rule.summary}`).join('\n');
}

class InputError extends Error {}

/** The project file in force: --config, else the nearest one from the current folder, unless --no-config. */
function loadProject(host: DiskHost, options: CliOptions): ProjectConfig | undefined {
  if (options.noConfig) return undefined;
  const file = options.config ? path.resolve(options.config) : findProjectFile(host, process.cwd());
  if (!file) return undefined;
  if (!host.isFile(file)) throw new InputError(`cannot read project file ${options.config}: no such file`);
  const result = readProjectFile(host, file);
  if (!result.config) throw new InputError(`invalid project file:\n${result.errors.join('\n')}`);
  return result.config;
}

/** A tree to analyse: its root, and the files whose diagnostics are asked for (all of them when undefined). */
interface Target {
  root: string;
  only?: Set<string>;
}

/**
 * The trees to analyse: a FILE that a root configuration above it includes (a conf.d file) as part of that
 * tree, as the editor reads it, reporting that file's diagnostics; any other FILE as a root; DIRs searched;
 * else the project's roots.
 */
function resolveTargets(
  host: DiskHost,
  service: LanguageService,
  options: CliOptions,
  project: ProjectConfig | undefined,
): Target[] {
  const discover = (dir: string): string[] =>
    discoverRoots(host, dir, {
      exclude: project?.exclude,
      excludeBase: project && path.dirname(project.file),
      rootNames: service.rootNames(),
      filesOf: (root) => service.treeFiles(root),
    });
  const targets = options.files.map((file) => path.resolve(file));
  if (targets.length === 0 && project) {
    if (!project.roots) return discover(path.dirname(project.file)).map((root) => ({ root }));
    const roots = expandProjectRoots(host, { ...project, roots: project.roots });
    if (roots.length === 0) throw new InputError(`the roots of ${relativeToCwd(project.file)} match no file`);
    return roots.map((root) => ({ root }));
  }
  return mergeTargets(
    targets.flatMap((target): Target[] => {
      if (host.isFile(target)) {
        const root = service.findRoot(target);
        return [root === target ? { root } : { root, only: new Set([target]) }];
      }
      const special = notAFile(host, target);
      if (special) throw new InputError(`cannot read ${relativeToCwd(target)}: ${special}`);
      if (!host.listDirectory(target))
        throw new InputError(`cannot read ${relativeToCwd(target)}: no such file or folder`);
      const roots = discover(target);
      if (roots.length === 0) throw new InputError(`no dovecot.conf found in ${relativeToCwd(target)}`);
      return roots.map((root) => ({ root }));
    }),
  );
}

/** One target per tree, in the order first named: a tree named whole stays whole, else its named files add up. */
function mergeTargets(targets: Target[]): Target[] {
  const byRoot = new Map<string, Target>();
  for (const { root, only } of targets) {
    const known = byRoot.get(root);
    if (!known) byRoot.set(root, { root, only: only && new Set(only) });
    else if (!only) known.only = undefined;
    else if (known.only) for (const file of only) known.only.add(file);
  }
  return [...byRoot.values()];
}

interface RootResult {
  root: string;
  diagnostics: LintDiagnostic[];
}

const countOf = (diagnostics: LintDiagnostic[], level: string): number =>
  diagnostics.filter((d) => d.level === level).length;

function rootSummary({ root, diagnostics }: RootResult): string {
  const errors = countOf(diagnostics, 'error');
  const warnings = countOf(diagnostics, 'warning');
  const others = diagnostics.length - errors - warnings;
  const parts = [`${errors} error${errors === 1 ? '' : 's'}`, `${warnings} warning${warnings === 1 ? '' : 's'}`];
  if (others > 0) parts.push(`${others} note${others === 1 ? '' : 's'}`);
  return `${relativeToCwd(root)}: ${parts.join(', ')}`;
}

/** Diagnostics of all roots, each once (a file read by two roots reports a finding once). */
function distinct(results: RootResult[]): { diagnostic: LintDiagnostic; root: string }[] {
  const seen = new Set<string>();
  const all: { diagnostic: LintDiagnostic; root: string }[] = [];
  for (const { root, diagnostics } of results) {
    for (const diagnostic of diagnostics) {
      const key = JSON.stringify([diagnostic.file, diagnostic.range, diagnostic.code, diagnostic.message]);
      if (seen.has(key)) continue;
      seen.add(key);
      all.push({ diagnostic, root });
    }
  }
  return all;
}

/** Text output names each root with its counts when several roots, or roots found by search, are analysed. */
function render(results: RootResult[], format: Format, perRoot: boolean): string | undefined {
  const unique = distinct(results);
  const diagnostics = unique.map(({ diagnostic }) => diagnostic);
  if (format === 'json')
    return JSON.stringify(
      unique.map(({ diagnostic, root }) => toJson(diagnostic, root)),
      null,
      2,
    );
  if (format === 'sarif') return JSON.stringify(toSarif(diagnostics, { baseDir: process.cwd(), toolVersion }), null, 2);
  if (format === 'github') return toGithubCommands(diagnostics, process.cwd()).join('\n') || undefined;
  if (!perRoot) return results[0].diagnostics.map(toText).join('\n') || undefined;
  return results.map((result) => [rootSummary(result), ...result.diagnostics.map(toText)].join('\n')).join('\n');
}

export function run(args: string[], out: (text: string) => void, err: (text: string) => void): number {
  if (isMigrateCommand(args) && !args.includes('--help') && !args.includes('-h')) return runMigrate(args, out, err);
  let options: CliOptions;
  try {
    options = parseArguments(args);
  } catch (error) {
    err(`dovecot-lint: ${(error as Error).message}\n${USAGE}`);
    return 2;
  }
  if (options.help) return (out(USAGE), 0);
  if (options.listRules) return (out(listRules()), 0);
  const host = new DiskHost();
  const service = getLanguageService(host, { limits: options.limits });
  let project: ProjectConfig | undefined;
  let targets: Target[];
  try {
    project = loadProject(host, options);
    if (project?.templates)
      service.setTemplateOptions({
        enabled: project.templates.enabled !== false,
        extraSuffixes: project.templates.extensions ?? [],
      });
    if (options.files.length === 0 && !project)
      return (err(`dovecot-lint: no FILE given and no project file found\n${USAGE}`), 2);
    targets = resolveTargets(host, service, options, project);
    const peer = options.peer && path.resolve(options.peer);
    if (peer && !host.isFile(peer)) throw new InputError(`cannot read ${options.peer}: no such file`);
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    return (err(`dovecot-lint: ${error.message}`), 2);
  }
  if (options.printEffective) {
    return (
      out(
        targets
          .map(({ root }) =>
            service.renderEffectiveConfig(service.analyze(root), { showSecrets: options.showSecrets }).trimEnd(),
          )
          .join('\n'),
      ),
      0
    );
  }
  const ruleLevels = { ...project?.rules, ...options.ruleLevels };
  const dovecotVersion =
    options.dovecotVersion !== 'auto' ? options.dovecotVersion : (project?.dovecotVersion ?? 'auto');
  const results = targets.map(({ root, only }): RootResult => {
    const peerRoot = options.peer ? path.resolve(options.peer) : project && peerFromPairs(project.pairs, root);
    const { diagnostics } = service.analyze(root, { ruleLevels, peerRoot, dovecotVersion });
    const asked = only ? diagnostics.filter((diagnostic) => only.has(diagnostic.file)) : diagnostics;
    return { root, diagnostics: asked.sort(byPosition) };
  });
  const searched = options.files.length === 0 || options.files.some((file) => !host.isFile(path.resolve(file)));
  const output = render(results, options.format, searched || results.length > 1);
  if (output !== undefined) out(output);
  return results.some((result) => result.diagnostics.some((diagnostic) => diagnostic.level === 'error')) ? 1 : 0;
}

/**
 * The command: arguments from the process, results on stdout/stderr, the exit status in process.exitCode.
 * True when it analysed configuration: the compiled code of such a run is what the next runs need.
 */
export function main(): boolean {
  const args = process.argv.slice(2);
  try {
    process.exitCode = run(
      args,
      (text) => writeFd(1, `${text}\n`),
      (text) => writeFd(2, `${text}\n`),
    );
  } catch (error) {
    writeFd(2, `dovecot-lint: internal error: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 2;
  }
  return process.exitCode !== 2 && asksForAnalysis(args);
}

/** The arguments ask for an analysis, not for the usage, the rule list or a migration. */
function asksForAnalysis(args: string[]): boolean {
  if (isMigrateCommand(args)) return false;
  try {
    const options = parseArguments(args);
    return !options.help && !options.listRules;
  } catch {
    return false;
  }
}

// dist/cli.js (server/src/launcher/cli.ts) loads this bundle and calls main(); run directly, it starts itself.
if (require.main === module) main();
