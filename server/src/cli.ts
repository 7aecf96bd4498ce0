import * as path from 'node:path';
import type { LintDiagnostic } from './service/analysis/analyzer';
import { RULES, findRule, type LevelSetting } from './service/analysis/rules';
import { renderEffectiveConfig } from './service/features/effectiveConfig';
import { DovecotLanguageService } from './service/languageService';
import { DiskHost } from './service/model/diskHost';

const USAGE = `Usage: dovecot-lint [options] FILE...

Analyses each FILE (a root dovecot.conf) with everything it includes and prints the problems found.

Options:
  --format text|json   output format (default: text)
  --peer PEER_ROOT     the other host's root config of a replication pair (enables the two-host checks)
  --rule ID=LEVEL      override a rule's level: off, hint, information, warning, error (repeatable)
  --list-rules         print every rule id with its default level and summary
  --print-effective    print the settings in effect, like doveconf -n, each with the file:line that set it
  --show-secrets       with --print-effective: show passwords and keys instead of hiding them
  -h, --help           show this help

Exit status: 0 no error, 1 at least one error, 2 usage error or unreadable input.`;

const LEVELS: ReadonlySet<string> = new Set(['off', 'hint', 'information', 'warning', 'error']);

interface CliOptions {
  format: 'text' | 'json';
  peer?: string;
  ruleLevels: Record<string, LevelSetting>;
  files: string[];
  listRules: boolean;
  printEffective: boolean;
  showSecrets: boolean;
  help: boolean;
}

class UsageError extends Error {}

function takeValue(args: string[], index: number, flag: string): string {
  const value = args[index + 1];
  if (value === undefined || value.startsWith('--')) throw new UsageError(`${flag} needs a value`);
  return value;
}

function parseRuleOverride(spec: string): [string, LevelSetting] {
  const [id, level] = spec.split('=');
  if (!id || !level || !LEVELS.has(level)) throw new UsageError(`--rule expects ID=LEVEL with LEVEL one of ${[...LEVELS].join(', ')}, got '${spec}'`);
  if (!findRule(id)) throw new UsageError(`unknown rule id '${id}' (see --list-rules)`);
  return [id, level as LevelSetting];
}

export function parseArguments(args: string[]): CliOptions {
  const options: CliOptions = { format: 'text', ruleLevels: {}, files: [], listRules: false, printEffective: false, showSecrets: false, help: false };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    const [flag, inlineValue] = arg.startsWith('--') && arg.includes('=') && !arg.startsWith('--rule=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    const value = (): string => inlineValue ?? takeValue(args, i++, flag);
    if (flag === '--format') {
      const format = value();
      if (format !== 'text' && format !== 'json') throw new UsageError(`--format must be text or json, got '${format}'`);
      options.format = format;
    } else if (flag === '--peer') options.peer = value();
    else if (flag === '--rule') {
      const [id, level] = parseRuleOverride(value());
      options.ruleLevels[id] = level;
    } else if (flag.startsWith('--rule=')) {
      const [id, level] = parseRuleOverride(flag.slice('--rule='.length));
      options.ruleLevels[id] = level;
    } else if (flag === '--list-rules') options.listRules = true;
    else if (flag === '--print-effective') options.printEffective = true;
    else if (flag === '--show-secrets') options.showSecrets = true;
    else if (flag === '-h' || flag === '--help') options.help = true;
    else if (flag.startsWith('-') && flag !== '-') throw new UsageError(`unknown option ${flag}`);
    else options.files.push(arg);
  }
  return options;
}

function toJson(diagnostic: LintDiagnostic): Record<string, unknown> {
  return {
    file: diagnostic.file,
    line: diagnostic.range.start.line + 1,
    column: diagnostic.range.start.character + 1,
    endLine: diagnostic.range.end.line + 1,
    endColumn: diagnostic.range.end.character + 1,
    severity: diagnostic.level,
    code: diagnostic.code,
    message: diagnostic.message,
  };
}

function toText(diagnostic: LintDiagnostic): string {
  const where = `${path.relative(process.cwd(), diagnostic.file) || diagnostic.file}:${diagnostic.range.start.line + 1}:${diagnostic.range.start.character + 1}`;
  return `${where}: ${diagnostic.level}: ${diagnostic.message} [${diagnostic.code}]`;
}

function byPosition(a: LintDiagnostic, b: LintDiagnostic): number {
  return a.file.localeCompare(b.file) || a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character;
}

function listRules(): string {
  return RULES.map((rule) => `${rule.id.padEnd(38)} ${rule.level.padEnd(12)} ${rule.summary}`).join('\n');
}

export function run(args: string[], out: (text: string) => void, err: (text: string) => void): number {
  let options: CliOptions;
  try {
    options = parseArguments(args);
  } catch (error) {
    err(`dovecot-lint: ${(error as Error).message}\n${USAGE}`);
    return 2;
  }
  if (options.help) return out(USAGE), 0;
  if (options.listRules) return out(listRules()), 0;
  if (options.files.length === 0) return err(`dovecot-lint: no FILE given\n${USAGE}`), 2;
  const host = new DiskHost();
  const unreadable = [...options.files, ...(options.peer ? [options.peer] : [])].filter((file) => !host.isFile(path.resolve(file)));
  if (unreadable.length > 0) return err(unreadable.map((file) => `dovecot-lint: cannot read ${file}: no such file`).join('\n')), 2;
  const service = new DovecotLanguageService(host);
  if (options.printEffective) {
    return out(options.files.map((file) => renderEffectiveConfig({ root: path.resolve(file), model: service.buildModel(path.resolve(file)) }, { showSecrets: options.showSecrets }).trimEnd()).join('\n')), 0;
  }
  const diagnostics = options.files.flatMap((file) => service.analyze(path.resolve(file), { ruleLevels: options.ruleLevels, peerRoot: options.peer && path.resolve(options.peer) }).diagnostics).sort(byPosition);
  if (options.format === 'json') out(JSON.stringify(diagnostics.map(toJson), null, 2));
  else if (diagnostics.length > 0) out(diagnostics.map(toText).join('\n'));
  return diagnostics.some((diagnostic) => diagnostic.level === 'error') ? 1 : 0;
}

if (require.main === module) {
  try {
    process.exitCode = run(process.argv.slice(2), (text) => process.stdout.write(`${text}\n`), (text) => process.stderr.write(`${text}\n`));
  } catch (error) {
    process.stderr.write(`dovecot-lint: internal error: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 2;
  }
}
