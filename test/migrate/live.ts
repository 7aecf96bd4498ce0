// The live proof: convert each tree, then ask the real doveconf 2.3.19 (original) and 2.4.4 (converted)
// and compare the settings in effect. `node --import tsx test/migrate/live.ts --record` writes
// results.json, RESULTS.md and the expected conversions the recorded tier checks (expected/).
import { spawnSync } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { getLanguageService } from '../../server/src/service/dovecotLanguageService';
import type { MigrationResult } from '../../server/src/service/migrate/types';
import { DiskHost } from '../../server/src/service/model/diskHost';
import { corpusDir, readManifest, readVerdicts } from '../corpus/corpus';
import { compareEffective, type Comparison } from './equivalence';

export const DOVECONF_24 = process.env.DOVECONF_24 ?? '/opt/dovecot-2.4.4/bin/doveconf';
export const MIGRATE_DATA = __dirname;
const REPO = path.join(__dirname, '..', '..');

export interface LiveCase {
  id: string;
  source: 'debian-stock' | 'example' | 'corpus';
  /** The 2.3 root as shipped in the repository or the corpus. */
  root: string;
  users: string[];
}

export interface CaseResult {
  id: string;
  source: LiveCase['source'];
  accepted23: boolean;
  accepted24: boolean;
  fatal24?: string;
  complete: boolean;
  counts: { converted: number; needsReview: number; notConverted: number };
  /** Report entries for included files outside the root folder (not converted, read by 2.4 as they are). */
  outsideIncludes: number;
  /** Settings written out because their default changed (changed-default entries). */
  changedDefaults: number;
  same: number;
  differences: Comparison[];
}

export function fixtureCases(): LiveCase[] {
  return [
    {
      id: 'debian-stock',
      source: 'debian-stock',
      root: path.join(REPO, 'test', 'fixtures', 'debian-stock', 'dovecot.conf'),
      users: [],
    },
    {
      id: 'example-host-a',
      source: 'example',
      root: path.join(REPO, 'examples', 'replication', 'host-a', 'dovecot.conf'),
      users: [],
    },
    {
      id: 'example-host-b',
      source: 'example',
      root: path.join(REPO, 'examples', 'replication', 'host-b', 'dovecot.conf'),
      users: [],
    },
  ];
}

/** 2.3 corpus trees doveconf 2.3 accepted (the others have nothing to preserve or convert); [] without the corpus. */
export function corpusCases(): LiveCase[] {
  if (!existsSync(corpusDir())) return [];
  const verdicts = readVerdicts();
  return readManifest()
    .trees.filter(
      (tree) =>
        tree.dovecot !== '2.4' &&
        verdicts.get(tree.id)?.accepted === true &&
        existsSync(path.join(corpusDir(), tree.id, tree.root)),
    )
    .map((tree) => ({
      id: tree.id,
      source: 'corpus' as const,
      root: path.join(corpusDir(), tree.id, tree.root),
      users: tree.hostUsers ?? [],
    }));
}

function walk(dir: string, visit: (file: string) => void): void {
  for (const name of readdirSync(dir)) {
    const file = path.join(dir, name);
    const stats = statSync(file, { throwIfNoEntry: false });
    if (stats?.isDirectory()) walk(file, visit);
    else if (stats?.isFile()) visit(file);
  }
}

/**
 * A private copy to convert in: the root's folder for repository trees; the whole tree folder for a
 * corpus tree (it stands for `/`, and its files name each other by absolute paths into it, which are
 * rewritten to the copy).
 */
function copyCase(live: LiveCase, work: string): string {
  if (live.source !== 'corpus') {
    const dir = path.join(work, live.id);
    cpSync(path.dirname(live.root), dir, { recursive: true });
    return path.join(dir, path.basename(live.root));
  }
  const treeDir = path.join(corpusDir(), live.id);
  const copy = path.join(work, live.id);
  cpSync(treeDir, copy, { recursive: true });
  walk(copy, (file) => {
    const bytes = readFileSync(file);
    if (bytes.includes(treeDir)) writeFileSync(file, bytes.toString('utf8').split(treeDir).join(copy));
  });
  return path.join(copy, path.relative(treeDir, live.root));
}

/** doveconf with the project's system users present (private mount namespace; this machine's files untouched). */
export function runDoveconf(
  binary: string,
  root: string,
  users: string[],
  args: string[],
): { output: string; rc: number } {
  const cwd = path.dirname(root);
  if (users.length === 0) {
    const result = spawnSync(binary, [...args, '-c', path.basename(root)], {
      cwd,
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
    });
    return { output: `${result.stdout}${result.stderr}`, rc: result.status ?? -1 };
  }
  const dir = mkdtempSync(path.join(tmpdir(), 'dovecot-migrate-users-'));
  writeFileSync(
    path.join(dir, 'passwd'),
    readFileSync('/etc/passwd', 'utf8') +
      users.map((user, i) => `${user}:x:${15000 + i}:${15000 + i}::/nonexistent:/usr/sbin/nologin\n`).join(''),
  );
  writeFileSync(
    path.join(dir, 'group'),
    readFileSync('/etc/group', 'utf8') + users.map((user, i) => `${user}:x:${15000 + i}:\n`).join(''),
  );
  const script = 'mount --bind "$1" /etc/passwd && mount --bind "$2" /etc/group && shift 2 && exec "$@"';
  const result = spawnSync(
    'unshare',
    [
      '-m',
      'sh',
      '-c',
      script,
      'sh',
      path.join(dir, 'passwd'),
      path.join(dir, 'group'),
      binary,
      ...args,
      '-c',
      path.basename(root),
    ],
    { cwd, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 },
  );
  rmSync(dir, { recursive: true, force: true });
  return { output: `${result.stdout}${result.stderr}`, rc: result.status ?? -1 };
}

function counts(result: MigrationResult): CaseResult['counts'] {
  const count = (kind: string): number => result.report.filter((entry) => entry.kind === kind).length;
  return { converted: count('converted'), needsReview: count('needs-review'), notConverted: count('not-converted') };
}

export function runCase(live: LiveCase, work: string): { result: CaseResult; migration: MigrationResult } {
  const root = copyCase(live, work);
  const before = runDoveconf('doveconf', root, live.users, ['-n']);
  const beforeAll = before.rc === 0 ? runDoveconf('doveconf', root, live.users, ['-a']) : { output: '', rc: -1 };
  const migration = getLanguageService(new DiskHost()).migrateTree(root, '2.4');
  for (const file of migration.files) if (file.changed) writeFileSync(file.path, file.converted);
  const after = runDoveconf(DOVECONF_24, root, live.users, ['-n']);
  const all = after.rc === 0 ? runDoveconf(DOVECONF_24, root, live.users, ['-a']) : { output: '', rc: -1 };
  const comparisons =
    before.rc === 0 && after.rc === 0 ? compareEffective(before.output, beforeAll.output, all.output) : [];
  const fatal = after.output.split('\n').find((line) => /Fatal|Error/.test(line));
  const hide = (text: string): string =>
    text.split(path.dirname(root)).join('.').split(path.join(work, live.id)).join('');
  return {
    migration,
    result: {
      id: live.id,
      source: live.source,
      accepted23: before.rc === 0,
      accepted24: after.rc === 0,
      ...(fatal && after.rc !== 0 ? { fatal24: hide(fatal) } : {}),
      complete: migration.complete,
      counts: counts(migration),
      outsideIncludes: migration.report.filter((entry) => entry.rule === 'outside-include').length,
      changedDefaults: migration.report.filter((entry) => entry.rule === 'changed-default').length,
      same: comparisons.filter((c) => c.same).length,
      differences: comparisons.filter((c) => !c.same).map((c) => ({ ...c, v23: hide(c.v23), v24: hide(c.v24) })),
    },
  };
}

/** What the recorded tier checks: the converted text of every changed file and the report, paths relative to the root folder. */
export function expectation(migration: MigrationResult, rootDir: string): Record<string, unknown> {
  return {
    files: Object.fromEntries(
      migration.files.filter((file) => file.changed).map((file) => [file.relativePath, file.converted]),
    ),
    unchanged: migration.files.filter((file) => !file.changed).map((file) => file.relativePath),
    report: migration.report.map(
      (entry) =>
        `${entry.kind} ${entry.rule} ${path.relative(rootDir, entry.file)}:${entry.range.start.line + 1}→${entry.convertedLine ?? '-'}`,
    ),
    complete: migration.complete,
  };
}

export function expectedPath(id: string): string {
  return path.join(MIGRATE_DATA, 'expected', `${id}.json`);
}

/** Says which differences come from files outside the converted folder (the report names them). */
function explained(results: CaseResult[]): string[] {
  const withDifferences = results.filter((r) => r.differences.length > 0);
  const outside = withDifferences.filter(
    (r) => r.outsideIncludes > 0 && r.differences.every((d) => d.aspect === 'protocols'),
  );
  const defaults = withDifferences.filter(
    (r) => r.changedDefaults > 0 && r.outsideIncludes === 0 && r.differences.every((d) => d.aspect === 'protocols'),
  );
  if (withDifferences.length === 0) return [];
  return [
    `${outside.length} of the ${withDifferences.length} trees with a difference differ only in protocols and include files from outside the root's folder`,
    "(Debian's /usr/share/dovecot/protocols.d/*.protocol with `protocols = $protocols imap`). The converter does not rewrite files",
    'outside the folder it converts; its report lists each such include as needing a person. 2.4.4 keeps `$protocols` as literal text there.',
    '',
    `${defaults.length} of them never set protocols: the converter writes out the upstream 2.3 default (imap pop3 lmtp, since 2.4's is empty), while the`,
    'Debian 2.3.19 build used here as the oracle has an empty default; the report marks the line for review.',
  ];
}

function markdown(results: CaseResult[], doveconf24: string): string {
  const row = (r: CaseResult): string =>
    `| ${r.id} | ${r.source} | ${r.accepted23 ? 'yes' : 'no'} | ${r.accepted24 ? 'yes' : `**no**: ${r.fatal24 ?? ''}`} | ${r.counts.converted} / ${r.counts.needsReview} / ${r.counts.notConverted} | ${r.same} | ${r.differences.length} |`;
  const diffs = results.flatMap((r) =>
    r.differences.map((d) => `| ${r.id} | ${d.aspect} | ${d.what} | \`${d.v23}\` | \`${d.v24}\` |`),
  );
  return [
    '# Migration to 2.4: results against the real doveconf',
    '',
    `Produced by \`node --import tsx test/migrate/live.ts --record\` with doveconf 2.3.19 (original trees) and ${doveconf24} (converted trees).`,
    'Each tree is converted with `migrateTree`, written into a private copy, and both versions print the settings in effect;',
    'equivalence compares mail location, authentication, SSL, services and listeners, and protocols through the known renames',
    '(test/migrate/equivalence.ts). Machine-readable: results.json. The recorded tier (test/migrateRecorded.test.ts) checks the',
    'conversions of the fixture trees against expected/, written by the same run.',
    '',
    `Trees: ${results.length}; accepted by 2.4.4 after conversion: ${results.filter((r) => r.accepted24).length} of ${results.filter((r) => r.accepted23).length} that 2.3.19 accepted.`,
    '',
    '| tree | from | 2.3 accepts | 2.4.4 accepts converted | converted / review / needs a person | same settings | differences |',
    '|---|---|---|---|---|---|---|',
    ...results.map(row),
    '',
    '## Differences in effect',
    '',
    diffs.length === 0
      ? 'None.'
      : ['| tree | aspect | what | 2.3 | 2.4 |', '|---|---|---|---|---|', ...diffs].join('\n'),
    '',
    ...explained(results),
    '',
  ].join('\n');
}

function main(): void {
  const record = process.argv.includes('--record');
  const only = process.argv.filter((arg) => !arg.startsWith('--')).slice(2);
  const work = mkdtempSync(path.join(tmpdir(), 'dovecot-migrate-live-'));
  const banner = spawnSync(DOVECONF_24, ['-n', '-c', '/dev/null'], { encoding: 'utf8' }).stdout;
  const version = /^# (\S+)/.exec(banner)?.[1] ?? DOVECONF_24;
  const cases = [...fixtureCases(), ...corpusCases()].filter((live) => only.length === 0 || only.includes(live.id));
  const results: CaseResult[] = [];
  for (const live of cases) {
    const { result, migration } = runCase(live, work);
    results.push(result);
    process.stdout.write(
      `${result.accepted24 ? 'ok  ' : 'FAIL'} ${live.id} same=${result.same} differences=${result.differences.length}${result.fatal24 ? ` ${result.fatal24}` : ''}\n`,
    );
    if (record && live.source !== 'corpus' && result.accepted24) {
      mkdirSync(path.dirname(expectedPath(live.id)), { recursive: true });
      writeFileSync(
        expectedPath(live.id),
        `${JSON.stringify(expectation(migration, path.dirname(migration.files[0].path)), null, 1)}\n`,
      );
    }
  }
  rmSync(work, { recursive: true, force: true });
  if (record && only.length === 0) {
    writeFileSync(
      path.join(MIGRATE_DATA, 'results.json'),
      `${JSON.stringify({ doveconf23: 'doveconf 2.3.19', doveconf24: `doveconf ${version}`, results }, null, 1)}\n`,
    );
    writeFileSync(path.join(MIGRATE_DATA, 'RESULTS.md'), markdown(results, `doveconf ${version}`));
  }
}

if (require.main === module) main();
