// The real-world corpus: its manifest, where the recreated trees live, and doveconf's recorded verdicts.
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import * as path from 'node:path';
import { createHash } from 'node:crypto';
import { parseVerdict, runDoveconf, type DoveconfMessage } from '../oracle/cases';
import { DOVECONF_24, parseVerdict24 } from '../oracle24/verdict';
import { tempDir } from '../helpers/tempDir';

export const CORPUS_DATA = __dirname;
const MANIFEST = path.join(CORPUS_DATA, 'manifest.json');
export const VERDICTS = path.join(CORPUS_DATA, 'verdicts.json');

export interface CorpusFile {
  from: string;
  to: string;
  /** The upstream source the project builds the file from, when it is not in the project's own repository. */
  repo?: string;
  commit?: string;
  /** The file is this fenced code block (from 1) of the Markdown page `from`, as an admin copies it. */
  markdownBlock?: number;
  /** The file is what the script `from` writes with `echo WORD > target`, WORD expanded with `vars` as the shell does. */
  shellEcho?: { target: string; vars: Record<string, string> };
  /** Not configuration (a DH parameter file, a key): not counted as a corpus file. */
  data?: boolean;
}

export interface CorpusTree {
  id: string;
  project: string;
  kind: string;
  repo: string;
  commit: string;
  root: string;
  files: CorpusFile[];
  /** System users (and groups of the same name) the project creates; doveconf checks that some exist. */
  hostUsers?: string[];
  /** A Dovecot 2.4 tree, labelled by the 2.4 doveconf; 2.3 when absent. */
  dovecot?: '2.4';
  /**
   * The version the admin gives dovecot-lint (`dovecotVersion` of .dovecot-lint.json, --dovecot-version) for a
   * tree whose files alone do not say which Dovecot runs them; detected from the files when absent.
   */
  versionSetting?: '2.3' | '2.4';
}

export interface Manifest {
  trees: CorpusTree[];
}

/** doveconf's verdict on one tree; file names are relative to the tree folder (which stands for `/`). */
export interface TreeVerdict {
  id: string;
  rc: number;
  accepted: boolean;
  fatal?: DoveconfMessage;
  warnings: DoveconfMessage[];
  /** Every `doveconf: Fatal/Error/Warning` line as printed, the tree folder's path left out. */
  lines: string[];
}

/** A configuration file as the corpus counts it: the same file taken by several trees counts once. */
export function fileKey(tree: CorpusTree, file: CorpusFile): string {
  return `${file.repo ?? tree.repo}:${file.from}`;
}

export function readManifest(): Manifest {
  return JSON.parse(readFileSync(MANIFEST, 'utf8')) as Manifest;
}

export function manifestDigest(): string {
  return createHash('sha256').update(readFileSync(MANIFEST)).digest('hex');
}

/** Same default as scripts/corpus-fetch.mjs. */
export function corpusDir(): string {
  if (process.env.DOVECOT_CORPUS_DIR) return path.resolve(process.env.DOVECOT_CORPUS_DIR);
  return path.join(process.env.XDG_CACHE_HOME || path.join(homedir(), '.cache'), 'dovecot-lsp', 'corpus');
}

export function treeRoot(tree: CorpusTree): string {
  return path.join(corpusDir(), tree.id, tree.root);
}

/** A path doveconf printed (absolute, or relative to the root's directory) as a path inside the tree folder. */
export function treeRelative(treeDir: string, rootDir: string, file: string): string {
  return path.relative(treeDir, path.resolve(rootDir, file));
}

/** The tree folder stands for `/`: inside messages, its absolute path is printed as the host's path. */
function hostPaths(text: string, treeDir: string): string {
  return text.split(treeDir).join('');
}

function normalizeMessage(message: DoveconfMessage, treeDir: string, rootDir: string): DoveconfMessage {
  return {
    ...(message.file !== undefined ? { file: treeRelative(treeDir, rootDir, message.file) } : {}),
    ...(message.line !== undefined ? { line: message.line } : {}),
    message: hostPaths(message.message, treeDir),
  };
}

/**
 * `doveconf -n -c ROOT` as on the project's host: the users it creates (doveconf fails with
 * `default_internal_user doesn't exist` otherwise) are added to copies of /etc/passwd and /etc/group
 * bind-mounted in a private mount namespace, so this machine's files are never changed.
 */
function runDoveconfAsOnHost(root: string, users: string[], binary: string): { output: string; rc: number } {
  if (users.length === 0) return runDoveconf(root, binary);
  const dir = tempDir('dovecot-corpus-users-');
  const passwd = path.join(dir, 'passwd');
  const group = path.join(dir, 'group');
  writeFileSync(passwd, readFileSync('/etc/passwd', 'utf8') + users.map((user, i) => `${user}:x:${15000 + i}:${15000 + i}::/nonexistent:/usr/sbin/nologin\n`).join(''));
  writeFileSync(group, readFileSync('/etc/group', 'utf8') + users.map((user, i) => `${user}:x:${15000 + i}:\n`).join(''));
  const script = `mount --bind "$1" /etc/passwd && mount --bind "$2" /etc/group && exec "$4" -n -c "$3"`;
  const result = spawnSync('unshare', ['-m', 'sh', '-c', script, 'sh', passwd, group, path.basename(root), binary], { cwd: path.dirname(root), encoding: 'utf8' });
  if (result.error) throw new Error(`unshare failed (labelling needs root): ${result.error.message}`);
  return { output: `${result.stdout}${result.stderr}`, rc: result.status ?? -1 };
}

const OBSOLETE = /^doveconf: Warning: Obsolete setting in (.+?):(\d+): (.*)$/;

/** The doveconf a tree is labelled with: Debian's 2.3 on the PATH, or the 2.4 one scripts/build-dovecot24.sh builds. */
export function doveconfFor(tree: CorpusTree): string {
  return tree.dovecot === '2.4' ? DOVECONF_24 : 'doveconf';
}

/** `doveconf -n -c ROOT` of the tree's Dovecot version on a recreated tree, as on the project's host. */
export function runDoveconfOnTree(tree: CorpusTree): { output: string; rc: number } {
  return runDoveconfAsOnHost(treeRoot(tree), tree.hostUsers ?? [], doveconfFor(tree));
}

/** Runs the real `doveconf -n -c ROOT` on a recreated tree. */
export function labelTree(tree: CorpusTree): TreeVerdict {
  const treeDir = path.join(corpusDir(), tree.id);
  const root = treeRoot(tree);
  const { output, rc } = runDoveconfOnTree(tree);
  const parsed = tree.dovecot === '2.4' ? parseVerdict24(output, rc, root) : parseVerdict(output, rc);
  const obsolete = [...new Set(output.split('\n').filter((line) => OBSOLETE.test(line)))].map((line) => {
    const [, file, lineNumber, text] = OBSOLETE.exec(line)!;
    return { file, line: Number(lineNumber), message: `Obsolete setting in ${file}:${lineNumber}: ${text}` };
  });
  const verdict = { ...parsed, warnings: [...parsed.warnings, ...obsolete] };
  const rootDir = path.dirname(root);
  return {
    id: tree.id,
    rc: verdict.rc,
    accepted: verdict.accepted,
    ...(verdict.fatal ? { fatal: normalizeMessage(verdict.fatal, treeDir, rootDir) } : {}),
    warnings: verdict.warnings.map((warning) => normalizeMessage(warning, treeDir, rootDir)),
    lines: output.split('\n').filter((line) => /^doveconf: (Fatal|Error|Warning):/.test(line)).map((line) => hostPaths(line, treeDir)),
  };
}

export function readVerdicts(): Map<string, TreeVerdict> {
  const verdicts = JSON.parse(readFileSync(VERDICTS, 'utf8')) as { trees: TreeVerdict[] };
  return new Map(verdicts.trees.map((verdict) => [verdict.id, verdict]));
}
