// dovecot-replication-setup: writes the dsync replication conf.d file for this host (and optionally
// the peer's mirror file) with the guided-setup generator. Thin adapter over replicationSetup.ts.
import { readFileSync, realpathSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
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
import { getLanguageService, type TreeAnalysis } from './service/dovecotLanguageService';
import {
  isInside,
  isRegularFile,
  planTarget,
  realpathOrSelf,
  TargetError,
  writeAtomically,
  type PlannedWrite,
  type Target,
} from './atomicWrites';
import { DiskHost } from './service/model/diskHost';
import { textOf, type FileRead } from './service/model/host';
import { DEFAULT_LIMITS } from './service/model/limits';
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

type Values = ReturnType<typeof parseArgs<{ options: typeof OPTIONS }>>['values'];

function run(argv: string[], io: CliOutput): number {
  let values: Values;
  try {
    values = parseArgs({ args: argv, options: OPTIONS, strict: true, allowPositionals: false }).values;
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
  if (values.help) {
    io.out(USAGE);
    return EXIT_OK;
  }
  const options = checkedOptions(values);
  const plan = planWrites(options);
  // Every check passed: write everything, or nothing.
  writeAtomically(plan.writes);
  report(options, plan, io);
  return EXIT_OK;
}

interface Options {
  values: Values;
  transport: ReplicationTransport;
  port: number;
  password: string;
  peer: string;
  outDir: string;
  peerDir?: string;
  local?: string;
}

function checkedOptions(values: Values): Options {
  const transport = (values.transport ?? 'tcp') as ReplicationTransport;
  if (transport !== 'tcp' && transport !== 'tcps')
    throw new UsageError(`--transport must be tcp or tcps, got '${transport}'`);
  if (!values.peer) throw new UsageError('--peer HOST is required');
  if (!values.out) throw new UsageError('--out DIR is required');
  if (values['peer-out'] && !values.local)
    throw new UsageError('--peer-out needs --local HOST (the peer replicates back to it)');
  if (values.password !== undefined && values['generate-password'])
    throw new UsageError('give --password or --generate-password, not both');
  if (values.password === undefined && !values['generate-password'])
    throw new UsageError('--password P or --generate-password is required');
  return {
    values,
    transport,
    port: parsePort(values.port),
    password: values.password ?? generatePassword(),
    peer: values.peer,
    outDir: resolve(values.out),
    peerDir: values['peer-out'] ? resolve(values['peer-out']) : undefined,
    local: values.local,
  };
}

interface WritePlan {
  tree?: TreeAnalysis;
  writes: PlannedWrite[];
  written: string[];
  edited: FileEdit[];
  notes: string[];
}

/** What to write and edit, from the existing tree read byte for byte; throws on the first failed check. */
function planWrites(options: Options): WritePlan {
  const { values, outDir, peerDir } = options;
  const force = values.force === true;
  const common = {
    transport: options.transport,
    port: options.port,
    password: options.password,
    mailUser: values['mail-user'],
    caFile: values['ca-file'],
  };
  const hostTarget = planTarget(outDir, REPLICATION_CONF_PATH, '--out', force);
  const tree = existingTree(outDir);
  const mailPlugins = tree && mailPluginsPlan(tree, hostTarget, outDir);
  const setup = generateReplicationConfig({
    ...common,
    peerHost: options.peer,
    sslCert: values['ssl-cert'],
    sslKey: values['ssl-key'],
    mailPlugins,
  });
  const writes: PlannedWrite[] = [
    { target: hostTarget, content: Buffer.from(setup.files[0].content), mode: SECRET_FILE_MODE },
  ];
  if (peerDir && options.local) {
    const peer = generatePeerConfig({
      ...common,
      peerHost: options.peer,
      localHost: options.local,
      peerSslCert: values['peer-ssl-cert'],
      peerSslKey: values['peer-ssl-key'],
    });
    const peerTarget = planTarget(peerDir, REPLICATION_CONF_PATH, '--peer-out', force);
    refuseHostFiles(peerTarget, hostTarget, tree);
    writes.push({ target: peerTarget, content: Buffer.from(peer.files[0].content), mode: SECRET_FILE_MODE });
  }
  const written = writes.map((write) => write.target.path);
  const edited = tree ? Object.entries(setup.edits).map(([file, edits]) => plannedEdit(file, edits, tree)) : [];
  writes.push(...edited.map((edit) => edit.write));
  return { tree, writes, written, edited, notes: setup.notes };
}

function report(options: Options, plan: WritePlan, io: CliOutput): void {
  const { values, outDir } = options;
  for (const path of plan.written) io.out(`wrote ${path}\n`);
  for (const edit of plan.edited) io.out(`extended ${edit.file}:${edit.line + 1}: mail_plugins += ${edit.added}\n`);
  if (plan.tree && !existingTree(outDir)?.files.includes(resolve(outDir, REPLICATION_CONF_PATH))) {
    io.out(
      `note: ${join(options.values.out!, 'dovecot.conf')} does not include ${REPLICATION_CONF_PATH}; add "!include conf.d/*.conf" to it\n`,
    );
  }
  if (values['generate-password']) io.out(`doveadm_password (same on both hosts): ${options.password}\n`);
  for (const note of plan.notes) io.out(`note: ${note}\n`);
  if (!options.peerDir)
    io.out(
      `next: the peer needs the mirror file (mail_replica = ${options.transport}:<this host>:${options.port}); rerun with --local HOST --peer-out DIR\n`,
    );
}

/** The file holds doveadm_password: not world-readable. */
const SECRET_FILE_MODE = 0o640;

/**
 * Reads files byte for byte (latin1 decoding: one character per byte), so edit positions are byte
 * offsets and bytes that are not UTF-8 survive an edit. What may be read at all is DiskHost's call.
 */
class BytePreservingHost extends DiskHost {
  override read(filePath: string, maxBytes: number): FileRead {
    const checked = super.read(filePath, maxBytes);
    if (checked.kind !== 'text') return checked;
    try {
      return { kind: 'text', text: readFileSync(filePath).toString('latin1') };
    } catch {
      return { kind: 'unreadable' };
    }
  }

  override readFile(filePath: string): string | undefined {
    return textOf(this.read(filePath, DEFAULT_LIMITS.fileBytes));
  }
}

/** The analysed configuration already in the output directory, if it holds a dovecot.conf. */
function existingTree(dir: string): TreeAnalysis | undefined {
  const root = resolve(dir, 'dovecot.conf');
  if (!isRegularFile(root)) return undefined;
  return getLanguageService(new BytePreservingHost()).analyze(root);
}

/** The tree's plan, unless the file to edit is outside --out or is the file this run replaces. */
function mailPluginsPlan(tree: TreeAnalysis, hostTarget: Target, outDir: string): MailPluginsPlan {
  const plan = planMailPlugins(tree);
  if (plan.kind === 'manual') return { ...plan, reason: Buffer.from(plan.reason, 'latin1').toString('utf8') };
  if (plan.kind !== 'extend') return plan;
  const real = realpathSync(plan.file);
  if (real === hostTarget.path) return { kind: 'absent' };
  if (!isInside(real, realpathSync(outDir))) {
    return {
      kind: 'manual',
      file: plan.file,
      range: plan.range,
      missing: plan.missing,
      reason: `mail_plugins is set in ${plan.file} line ${plan.range.start.line + 1}, outside ${outDir}`,
    };
  }
  return plan;
}

/** The peer's file is never one of this host's own files (say --peer-out is a link to --out). */
function refuseHostFiles(peer: Target, host: Target, tree: TreeAnalysis | undefined): void {
  if (peer.path === host.path)
    throw new TargetError(`--peer-out and --out lead to the same file ${host.path}; give the peer its own directory`);
  const hostFiles = new Set((tree?.files ?? []).map(realpathOrSelf));
  if (hostFiles.has(peer.path))
    throw new TargetError(
      `--peer-out would replace ${peer.path}, a file of this host's configuration; give the peer its own directory`,
    );
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
  if (analysed !== bytes.toString('latin1'))
    throw new TargetError(`${file} changed while it was being read; run again`);
  const lines = new TextLines(analysed);
  const byOffset = edits
    .map((edit) => ({
      start: lines.offsetAt(edit.range.start),
      end: lines.offsetAt(edit.range.end),
      text: Buffer.from(edit.newText),
    }))
    .sort((a, b) => b.start - a.start);
  let content = bytes;
  for (const edit of byOffset)
    content = Buffer.concat([content.subarray(0, edit.start), edit.text, content.subarray(edit.end)]);
  const target: Target = {
    path: real,
    createDirs: [],
    replaces: { mode: stats.mode & 0o7777, uid: stats.uid, gid: stats.gid },
  };
  return {
    file,
    line: edits[0]?.range.start.line ?? 0,
    added: edits.map((edit) => edit.newText.trim()).join(' '),
    write: { target, content, mode: stats.mode & 0o7777 },
  };
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
