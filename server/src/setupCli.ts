// dovecot-replication-setup: writes the dsync replication conf.d file for this host (and optionally
// the peer's mirror file) with the guided-setup generator. Thin adapter over replicationSetup.ts.
import { randomBytes } from 'node:crypto';
import {
  closeSync,
  fchmodSync,
  fchownSync,
  fsyncSync,
  lstatSync,
  mkdirSync,
  openSync,
  readFileSync,
  realpathSync,
  renameSync,
  rmdirSync,
  rmSync,
  statSync,
  writeFileSync,
  type Stats,
} from 'node:fs';
import { basename, dirname, join, relative, resolve, sep } from 'node:path';
import { parseArgs } from 'node:util';
import type { TextEdit } from 'vscode-languageserver-types';
import {
  DEFAULT_DOVEADM_PORT,
  DEFAULT_MAIL_USER,
  generatePassword,
  generatePeerConfig,
  generateReplicationConfig,
  planMailPlugins,
  ReplicationSetupError,
  type MailPluginsPlan,
  ReplicationTransport,
  REPLICATION_CONF_PATH,
} from './service/features/replicationSetup';
import { DovecotLanguageService, type TreeAnalysis } from './service/languageService';
import { DiskHost } from './service/model/diskHost';
import { TextLines } from './service/syntax/textLines';

export const EXIT_OK = 0;
export const EXIT_FAILURE = 1;
export const EXIT_USAGE = 2;

export interface CliOutput {
  out: (text: string) => void;
  err: (text: string) => void;
}

const USAGE = `Usage: dovecot-replication-setup --peer HOST --transport tcp|tcps --out DIR
         (--password P | --generate-password) [options]

Writes DIR/conf.d/90-replication.conf: two-way dsync replication of this host with HOST
(Dovecot 2.3). With --peer-out, also writes the peer's mirror file (needs --local).

Options:
  --peer HOST             the other replica (host name or IP, as this host reaches it)
  --local HOST            this host, as the peer reaches it (needed for --peer-out)
  --transport tcp|tcps    plain doveadm protocol, or TLS (default tcp)
  --port N                doveadm port on both hosts (default ${DEFAULT_DOVEADM_PORT})
  --password P            doveadm_password, identical on both hosts
  --generate-password     generate a strong random password instead (printed)
  --mail-user U           system user the mail processes run as (default ${DEFAULT_MAIL_USER})
  --ca-file F             tcps: CA that signed the peer certificates (else the system CAs)
  --ssl-cert F --ssl-key F             tcps: this host's certificate and key
  --peer-ssl-cert F --peer-ssl-key F   tcps: the peer's certificate and key (paths on the peer)
  --out DIR               this host's Dovecot config dir (the file goes to DIR/conf.d/)
  --peer-out DIR          where to write the peer's file (DIR/conf.d/90-replication.conf)
  --force                 replace an existing 90-replication.conf (never through a link)
  --help                  this text

Every check runs before anything is written; then all files are written to temporary files and
renamed into place together. A file that mail_plugins is read from (mail_plugins = <file) is never
edited: the tool says what to add. Bytes that are not UTF-8 are kept as they are.

Exit status: 0 written; 1 writing failed (nothing was changed); 2 bad arguments, or a target that
exists without --force, is a symbolic link, is not a regular file or is one of this host's files.
`;

const OPTIONS = {
  peer: { type: 'string' },
  local: { type: 'string' },
  transport: { type: 'string' },
  port: { type: 'string' },
  password: { type: 'string' },
  'generate-password': { type: 'boolean' },
  'mail-user': { type: 'string' },
  'ca-file': { type: 'string' },
  'ssl-cert': { type: 'string' },
  'ssl-key': { type: 'string' },
  'peer-ssl-cert': { type: 'string' },
  'peer-ssl-key': { type: 'string' },
  out: { type: 'string' },
  'peer-out': { type: 'string' },
  force: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

class UsageError extends Error {}

export function runSetupCli(argv: string[], io: CliOutput): number {
  try {
    return run(argv, io);
  } catch (error) {
    if (error instanceof UsageError || error instanceof ReplicationSetupError || error instanceof TargetError) {
      io.err(`dovecot-replication-setup: ${error.message}\n`);
      if (error instanceof UsageError) io.err('Try: dovecot-replication-setup --help\n');
      return EXIT_USAGE;
    }
    const message = error instanceof Error ? error.message : String(error);
    io.err(`dovecot-replication-setup: ${message}\n`);
    return EXIT_FAILURE;
  }
}

function run(argv: string[], io: CliOutput): number {
  let values;
  try {
    values = parseArgs({ args: argv, options: OPTIONS, strict: true, allowPositionals: false }).values;
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
  if (values.help) {
    io.out(USAGE);
    return EXIT_OK;
  }
  const transport = (values.transport ?? 'tcp') as ReplicationTransport;
  if (transport !== 'tcp' && transport !== 'tcps') throw new UsageError(`--transport must be tcp or tcps, got '${transport}'`);
  if (!values.peer) throw new UsageError('--peer HOST is required');
  if (!values.out) throw new UsageError('--out DIR is required');
  if (values['peer-out'] && !values.local) throw new UsageError('--peer-out needs --local HOST (the peer replicates back to it)');
  if (values.password !== undefined && values['generate-password']) throw new UsageError('give --password or --generate-password, not both');
  if (values.password === undefined && !values['generate-password']) throw new UsageError('--password P or --generate-password is required');
  const port = parsePort(values.port);
  const password = values.password ?? generatePassword();

  const common = {
    transport,
    port,
    password,
    mailUser: values['mail-user'],
    caFile: values['ca-file'],
  };
  const outDir = resolve(values.out);
  const peerDir = values['peer-out'] ? resolve(values['peer-out']) : undefined;
  const force = values.force === true;

  // 1. Plan: what to write and edit, from the existing tree read byte for byte.
  const hostTarget = planTarget(outDir, REPLICATION_CONF_PATH, '--out', force);
  const tree = existingTree(outDir);
  const mailPlugins = tree && mailPluginsPlan(tree, hostTarget, outDir);
  const setup = generateReplicationConfig({ ...common, peerHost: values.peer, sslCert: values['ssl-cert'], sslKey: values['ssl-key'], mailPlugins });
  const writes: PlannedWrite[] = [{ target: hostTarget, content: Buffer.from(setup.files[0].content), mode: SECRET_FILE_MODE }];
  if (peerDir && values.local) {
    const peer = generatePeerConfig({ ...common, peerHost: values.peer, localHost: values.local, peerSslCert: values['peer-ssl-cert'], peerSslKey: values['peer-ssl-key'] });
    const peerTarget = planTarget(peerDir, REPLICATION_CONF_PATH, '--peer-out', force);
    refuseHostFiles(peerTarget, hostTarget, tree);
    writes.push({ target: peerTarget, content: Buffer.from(peer.files[0].content), mode: SECRET_FILE_MODE });
  }
  const edited = Object.entries(setup.edits).map(([file, edits]) => plannedEdit(file, edits, tree!));
  writes.push(...edited.map((edit) => edit.write));

  // 2. Every check passed: write everything, or nothing.
  writeAtomically(writes);
  for (const write of writes.slice(0, peerDir ? 2 : 1)) io.out(`wrote ${write.target.path}\n`);
  for (const edit of edited) io.out(`extended ${edit.file}:${edit.line + 1}: mail_plugins += ${edit.added}\n`);
  if (tree && !existingTree(outDir)?.files.includes(resolve(outDir, REPLICATION_CONF_PATH))) {
    io.out(`note: ${join(values.out, 'dovecot.conf')} does not include ${REPLICATION_CONF_PATH}; add "!include conf.d/*.conf" to it\n`);
  }
  if (values['generate-password']) io.out(`doveadm_password (same on both hosts): ${password}\n`);
  for (const note of setup.notes) io.out(`note: ${note}\n`);
  if (!values['peer-out']) io.out(`next: the peer needs the mirror file (mail_replica = ${transport}:<this host>:${port}); rerun with --local HOST --peer-out DIR\n`);
  return EXIT_OK;
}

/** The file holds doveadm_password: not world-readable. */
const SECRET_FILE_MODE = 0o640;

/**
 * Reads files byte for byte (latin1 decoding: one character per byte), so edit positions are byte
 * offsets and bytes that are not UTF-8 survive an edit. What may be read at all is DiskHost's call.
 */
class BytePreservingHost extends DiskHost {
  override readFile(filePath: string): string | undefined {
    if (super.readFile(filePath) === undefined) return undefined;
    try {
      return readFileSync(filePath).toString('latin1');
    } catch {
      return undefined;
    }
  }
}

/** The analysed configuration already in the output directory, if it holds a dovecot.conf. */
function existingTree(dir: string): TreeAnalysis | undefined {
  const root = resolve(dir, 'dovecot.conf');
  if (!isRegularFile(root)) return undefined;
  return new DovecotLanguageService(new BytePreservingHost()).analyze(root);
}

/** The tree's plan, unless the file to edit is outside --out or is the file this run replaces. */
function mailPluginsPlan(tree: TreeAnalysis, hostTarget: Target, outDir: string): MailPluginsPlan {
  const plan = planMailPlugins(tree);
  if (plan.kind === 'manual') return { ...plan, reason: Buffer.from(plan.reason, 'latin1').toString('utf8') };
  if (plan.kind !== 'extend') return plan;
  const real = realpathSync(plan.file);
  if (real === hostTarget.path) return { kind: 'absent' };
  if (!isInside(real, realpathSync(outDir))) {
    return { kind: 'manual', file: plan.file, range: plan.range, missing: plan.missing, reason: `mail_plugins is set in ${plan.file} line ${plan.range.start.line + 1}, outside ${outDir}` };
  }
  return plan;
}

class TargetError extends Error {}

/** Where a new file goes, resolved: its real path and the directories still to create (parents first). */
interface Target {
  path: string;
  createDirs: string[];
  /** Mode, owner and group of the file it replaces. */
  replaces?: { mode: number; uid: number; gid: number };
}

interface PlannedWrite {
  target: Target;
  content: Buffer;
  mode: number;
}

function lstatOrUndefined(filePath: string): Stats | undefined {
  try {
    return lstatSync(filePath);
  } catch {
    return undefined;
  }
}

function isRegularFile(filePath: string): boolean {
  try {
    return statSync(filePath).isFile();
  } catch {
    return false;
  }
}

const isInside = (child: string, dir: string): boolean => child === dir || child.startsWith(dir.endsWith(sep) ? dir : dir + sep);

/**
 * Resolves `dir/relativePath` to the file that would really be written, before anything is written:
 * the directory given may be a symbolic link, but inside it no link may lead elsewhere, the file
 * itself must not be a link (dangling or not), an existing file must be a regular file and is only
 * replaced with --force.
 */
function planTarget(dir: string, relativePath: string, flag: string, force: boolean): Target {
  const createDirs: string[] = [];
  let base = dir;
  while (lstatOrUndefined(base) === undefined) {
    createDirs.unshift(base);
    const parent = dirname(base);
    if (parent === base) break;
    base = parent;
  }
  if (!statSync(base, { throwIfNoEntry: false })?.isDirectory()) throw new TargetError(`${flag} ${dir}: ${base} is not a directory`);
  const realBase = realpathSync(base);
  const realDir = join(realBase, relative(base, dir));
  const realCreate = createDirs.map((missing) => join(realBase, relative(base, missing)));
  let current = realDir;
  for (const component of dirname(relativePath).split('/').filter((part) => part !== '.' && part !== '')) {
    const next = join(current, component);
    const stats = realCreate.length > 0 ? undefined : lstatOrUndefined(next);
    if (stats === undefined) {
      realCreate.push(next);
    } else if (stats.isSymbolicLink() && !isInside(realpathOrSelf(next), realDir)) {
      throw new TargetError(`${flag} ${dir}: ${next} is a symbolic link that leads outside ${dir}; not following it`);
    } else if (!statSync(next, { throwIfNoEntry: false })?.isDirectory()) {
      throw new TargetError(`${flag} ${dir}: ${next} is not a directory`);
    }
    current = realCreate.includes(next) ? next : realpathSync(next);
  }
  const path = join(current, basename(relativePath));
  const stats = realCreate.length > 0 ? undefined : lstatOrUndefined(path);
  if (stats?.isSymbolicLink()) throw new TargetError(`${path} is a symbolic link; not writing through it (remove it first)`);
  if (stats && !stats.isFile()) throw new TargetError(`${path} exists and is not a regular file`);
  if (stats && !force) throw new TargetError(`refusing to overwrite ${path} (use --force)`);
  return { path, createDirs: realCreate, replaces: stats && { mode: stats.mode & 0o7777, uid: stats.uid, gid: stats.gid } };
}

function realpathOrSelf(filePath: string): string {
  try {
    return realpathSync(filePath);
  } catch {
    return filePath;
  }
}

/** The peer's file is never one of this host's own files (say --peer-out is a link to --out). */
function refuseHostFiles(peer: Target, host: Target, tree: TreeAnalysis | undefined): void {
  if (peer.path === host.path) throw new TargetError(`--peer-out and --out lead to the same file ${host.path}; give the peer its own directory`);
  const hostFiles = new Set((tree?.files ?? []).map(realpathOrSelf));
  if (hostFiles.has(peer.path)) throw new TargetError(`--peer-out would replace ${peer.path}, a file of this host's configuration; give the peer its own directory`);
}

interface FileEdit {
  file: string;
  line: number;
  added: string;
  write: PlannedWrite;
}

/** The edited bytes of a file of the tree: only the edited byte ranges change. */
function plannedEdit(file: string, edits: TextEdit[], tree: TreeAnalysis): FileEdit {
  const real = realpathSync(file);
  const stats = statSync(real);
  if (!stats.isFile()) throw new TargetError(`${file} is not a regular file`);
  const bytes = readFileSync(real);
  const analysed = tree.model.files.get(file)?.text;
  if (analysed !== bytes.toString('latin1')) throw new TargetError(`${file} changed while it was being read; run again`);
  const lines = new TextLines(analysed);
  const byOffset = edits
    .map((edit) => ({ start: lines.offsetAt(edit.range.start), end: lines.offsetAt(edit.range.end), text: Buffer.from(edit.newText) }))
    .sort((a, b) => b.start - a.start);
  let content = bytes;
  for (const edit of byOffset) content = Buffer.concat([content.subarray(0, edit.start), edit.text, content.subarray(edit.end)]);
  const target: Target = { path: real, createDirs: [], replaces: { mode: stats.mode & 0o7777, uid: stats.uid, gid: stats.gid } };
  return { file, line: edits[0]?.range.start.line ?? 0, added: edits.map((edit) => edit.newText.trim()).join(' '), write: { target, content, mode: stats.mode & 0o7777 } };
}

/**
 * Writes every file to a temporary file in its own directory, then renames them all into place. A
 * failure before the renames removes the temporary files and the directories made for them: nothing
 * changed. Directories are made one at a time (a recursive mkdir spins forever under /proc).
 */
function writeAtomically(writes: PlannedWrite[]): void {
  const createdDirs: string[] = [];
  const temps: { temp: string; path: string }[] = [];
  try {
    const dirs = [...new Set(writes.flatMap((write) => write.target.createDirs))].sort((a, b) => a.length - b.length);
    for (const dir of dirs) {
      mkdirSync(dir);
      createdDirs.push(dir);
    }
    for (const { target, content, mode } of writes) {
      const temp = join(dirname(target.path), `.${basename(target.path)}.${randomBytes(6).toString('hex')}.tmp`);
      const fd = openSync(temp, 'wx', mode);
      temps.push({ temp, path: target.path });
      try {
        writeFileSync(fd, content);
        fchmodSync(fd, target.replaces?.mode ?? mode);
        if (target.replaces && process.getuid?.() === 0) fchownSync(fd, target.replaces.uid, target.replaces.gid);
        fsyncSync(fd);
      } finally {
        closeSync(fd);
      }
    }
  } catch (error) {
    for (const { temp } of temps) rmSync(temp, { force: true });
    for (const dir of createdDirs.reverse()) removeEmptyDir(dir);
    throw error;
  }
  for (const { temp, path } of temps) renameSync(temp, path);
}

function removeEmptyDir(dir: string): void {
  try {
    rmdirSync(dir);
  } catch {
    // Not empty or already gone: leave it.
  }
}

function parsePort(text: string | undefined): number {
  if (text === undefined) return DEFAULT_DOVEADM_PORT;
  if (!/^\d+$/.test(text)) throw new UsageError(`--port must be a number from 1 to 65535, got '${text}'`);
  return Number(text);
}

if (require.main === module) {
  process.exitCode = runSetupCli(process.argv.slice(2), {
    out: (text) => process.stdout.write(text),
    err: (text) => process.stderr.write(text),
  });
}

// for tests that want the path the CLI writes to
export function replicationConfPath(dir: string): string {
  return join(resolve(dir), 'conf.d', '90-replication.conf');
}
