// dovecot-lint --migrate-to 2.4 --out DIR ROOT: converts a 2.3 include tree with the pure converter
// (service/migrate/convert.ts), writes it into DIR atomically and prints the report.
import { readdirSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { isInside, planTarget, realpathOrSelf, TargetError, writeAtomically, type PlannedWrite } from './atomicWrites';
import { migrateTree } from './service/migrate/convert';
import type { MigrationReportEntry, MigrationResult } from './service/migrate/types';
import { DiskHost } from './service/model/diskHost';

export const MIGRATE_USAGE = `Usage: dovecot-lint --migrate-to 2.4 --out DIR [--force] [--allow-in-place] [--format text|json] ROOT

Converts the Dovecot 2.3 configuration ROOT (dovecot.conf with everything it includes from its folder)
to Dovecot 2.4 and writes the converted files into DIR with the same layout, comments and order.
Every change is listed with the original file:line and the line in the converted file; what could not
be converted is commented out with a "# [2.4 migration]" marker and listed with what to do.
Replication (replicator, mail_replica, ...) is never converted: 2.4 has none, the report lists the routes.

  --migrate-to 2.4   the target version (only 2.4)
  --out DIR          where the converted tree goes; must be empty or absent unless --force
  --force            write into a DIR that already holds files (replacing files of the same name)
  --allow-in-place   allow DIR to be ROOT's own folder (overwrites the 2.3 files; keep a copy)
  --format FORMAT    text (default) or json (the report as data)

Exit status: 0 everything converted, 1 something needs a person (see the report), 2 usage error or
unreadable input.`;

interface MigrateOptions {
  target?: string;
  out?: string;
  force: boolean;
  inPlace: boolean;
  format: 'text' | 'json';
  roots: string[];
}

class UsageError extends Error {}

export function isMigrateCommand(args: readonly string[]): boolean {
  return args.some((arg) => arg === '--migrate-to' || arg.startsWith('--migrate-to='));
}

function parseMigrateArguments(args: string[]): MigrateOptions {
  const options: MigrateOptions = { force: false, inPlace: false, format: 'text', roots: [] };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    const eq = arg.startsWith('--') ? arg.indexOf('=') : -1;
    const flag = eq > 0 ? arg.slice(0, eq) : arg;
    const value = (): string => {
      if (eq > 0) return arg.slice(eq + 1);
      const next = args[++i];
      if (next === undefined || next.startsWith('--')) throw new UsageError(`${flag} needs a value`);
      return next;
    };
    if (flag === '--migrate-to') options.target = value();
    else if (flag === '--out') options.out = value();
    else if (flag === '--force') options.force = true;
    else if (flag === '--allow-in-place') options.inPlace = true;
    else if (flag === '--format') {
      const format = value();
      if (format !== 'text' && format !== 'json')
        throw new UsageError(`--format must be text or json with --migrate-to, got '${format}'`);
      options.format = format;
    } else if (flag.startsWith('-') && flag !== '-') throw new UsageError(`unknown option ${flag} with --migrate-to`);
    else options.roots.push(arg);
  }
  if (options.target !== '2.4') throw new UsageError(`--migrate-to supports only 2.4, got '${options.target ?? ''}'`);
  if (!options.out) throw new UsageError('--migrate-to needs --out DIR');
  if (options.roots.length !== 1) throw new UsageError('--migrate-to needs exactly one ROOT (the 2.3 dovecot.conf)');
  return options;
}

function isEmptyOrAbsent(dir: string): boolean {
  try {
    return readdirSync(dir).length === 0;
  } catch {
    return true;
  }
}

function checkOut(out: string, root: string, options: MigrateOptions): void {
  const rootDir = realpathOrSelf(path.dirname(root));
  const outDir = realpathOrSelf(out);
  if ((outDir === rootDir || isInside(rootDir, outDir)) && !options.inPlace) {
    throw new TargetError(
      `--out ${options.out} is ${outDir === rootDir ? "the root's own folder" : "a folder that holds the root's folder"}: refusing to write over the 2.3 files (use --allow-in-place after making a copy)`,
    );
  }
  if (isInside(outDir, rootDir) && outDir !== rootDir)
    throw new TargetError(`--out ${options.out} is inside the tree being converted; choose a folder outside it`);
  const inPlace = outDir === rootDir && options.inPlace;
  if (!inPlace && !isEmptyOrAbsent(out) && !options.force)
    throw new TargetError(`--out ${options.out} is not empty (use --force to write into it)`);
}

function plan(result: MigrationResult, out: string, force: boolean): PlannedWrite[] {
  return result.files.map((file) => ({
    target: planTarget(out, file.relativePath, '--out', force),
    content: Buffer.from(file.converted, 'utf8'),
    mode: 0o644,
  }));
}

function location(entry: MigrationReportEntry, rootDir: string): string {
  const file = path.relative(rootDir, entry.file) || path.basename(entry.file);
  const shown = file.startsWith('..') ? entry.file : file;
  return `${shown}:${entry.range.start.line + 1}${entry.convertedLine !== undefined ? ` → ${entry.convertedLine}` : ''}`;
}

const TITLES: Readonly<Record<MigrationReportEntry['kind'], string>> = {
  'not-converted': 'Needs a person',
  'needs-review': 'Converted, please check',
  converted: 'Converted',
};

export function renderReport(result: MigrationResult, rootDir: string): string {
  const lines: string[] = [];
  for (const kind of ['not-converted', 'needs-review', 'converted'] as const) {
    const entries = result.report.filter((entry) => entry.kind === kind);
    if (entries.length === 0) continue;
    lines.push(`${TITLES[kind]} (${entries.length}):`);
    for (const entry of entries) {
      lines.push(`  ${location(entry, rootDir)} [${entry.rule}] ${entry.message}`);
      if (entry.action) lines.push(`      → ${entry.action.split('\n').join('\n        ')}`);
    }
  }
  const changed = result.files.filter((file) => file.changed).length;
  lines.push(
    `${result.files.length} files, ${changed} changed. ${result.complete ? 'Everything was converted.' : 'Some constructs need a person (see above).'}`,
  );
  return lines.join('\n');
}

/** Files in the root's folder that the tree does not include: not converted and not written to DIR. */
function filesLeftOut(rootDir: string, result: MigrationResult, limit = 2000): string[] {
  const inTree = new Set(result.files.map((file) => file.path));
  const left: string[] = [];
  const visit = (dir: string, depth: number): void => {
    let names: string[];
    try {
      names = readdirSync(dir);
    } catch {
      return;
    }
    for (const name of names) {
      if (left.length >= limit) return;
      const file = path.join(dir, name);
      const stats = statSync(file, { throwIfNoEntry: false });
      if (stats?.isDirectory() && depth < 8) visit(file, depth + 1);
      else if (stats?.isFile() && !inTree.has(file)) left.push(path.relative(rootDir, file));
    }
  };
  visit(rootDir, 0);
  return left.sort();
}

export function runMigrate(args: string[], out: (text: string) => void, err: (text: string) => void): number {
  let options: MigrateOptions;
  try {
    options = parseMigrateArguments(args);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    err(`dovecot-lint: ${error.message}\n${MIGRATE_USAGE}`);
    return 2;
  }
  const root = path.resolve(options.roots[0]);
  if (!statSync(root, { throwIfNoEntry: false })?.isFile())
    return (err(`dovecot-lint: cannot read ${options.roots[0]}: not a regular file`), 2);
  const result = migrateTree({ host: new DiskHost(), root, target: '2.4' });
  const outDir = path.resolve(options.out as string);
  try {
    checkOut(outDir, root, options);
    writeAtomically(plan(result, outDir, options.force || options.inPlace));
  } catch (error) {
    if (!(error instanceof TargetError) && !(error instanceof Error && 'code' in error)) throw error;
    return (err(`dovecot-lint: ${(error as Error).message}`), 2);
  }
  if (options.format === 'json')
    out(
      JSON.stringify(
        {
          root,
          out: outDir,
          ...result,
          files: result.files.map(({ relativePath, changed }) => ({ relativePath, changed })),
        },
        null,
        2,
      ),
    );
  else {
    const left = filesLeftOut(path.dirname(root), result);
    const note =
      left.length > 0
        ? `\nNot written to ${outDir}: ${left.length} file${left.length === 1 ? '' : 's'} of the root's folder that the tree does not include (${left.slice(0, 5).join(', ')}${left.length > 5 ? ', ...' : ''}); copy what you still need (args files, certificates) and convert any you include later.`
        : '';
    out(`Converted ${root} to Dovecot 2.4 into ${outDir}.\n${renderReport(result, path.dirname(root))}${note}`);
  }
  return result.complete ? 0 : 1;
}
