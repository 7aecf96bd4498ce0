// dovecot-replication-setup: writes the dsync replication conf.d file for this host (and optionally
// the peer's mirror file) with the guided-setup generator. Thin adapter over replicationSetup.ts.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import {
  DEFAULT_DOVEADM_PORT,
  DEFAULT_MAIL_USER,
  existingMailPlugins,
  generatePassword,
  generatePeerConfig,
  generateReplicationConfig,
  ReplicationSetup,
  ReplicationSetupError,
  ReplicationTransport,
  REPLICATION_CONF_PATH,
} from './service/features/replicationSetup';
import { DovecotLanguageService, type TreeAnalysis } from './service/languageService';
import { DiskHost } from './service/model/diskHost';

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
  --force                 overwrite existing files
  --help                  this text

Exit status: 0 written, 1 write failed, 2 bad arguments or a file exists without --force.
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
    if (error instanceof UsageError || error instanceof ReplicationSetupError) {
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
  const tree = existingTree(values.out);
  const outputs: { dir: string; setup: ReplicationSetup }[] = [
    { dir: values.out, setup: generateReplicationConfig({ ...common, peerHost: values.peer, sslCert: values['ssl-cert'], sslKey: values['ssl-key'], existingMailPlugins: tree && existingMailPlugins(tree) }) },
  ];
  if (values['peer-out'] && values.local) {
    const peer = generatePeerConfig({ ...common, peerHost: values.peer, localHost: values.local, peerSslCert: values['peer-ssl-cert'], peerSslKey: values['peer-ssl-key'] });
    outputs.push({ dir: values['peer-out'], setup: peer });
  }
  const targets = outputs.flatMap(({ dir, setup }) => setup.files.map((file) => ({ path: resolve(dir, file.path), content: file.content })));
  if (new Set(targets.map((target) => target.path)).size !== targets.length) throw new UsageError('--out and --peer-out must be different directories');
  if (!values.force) {
    const existing = targets.filter((target) => existsSync(target.path));
    if (existing.length > 0) {
      io.err(`dovecot-replication-setup: refusing to overwrite ${existing.map((target) => target.path).join(', ')} (use --force)\n`);
      return EXIT_USAGE;
    }
  }
  for (const target of targets) {
    mkdirSync(dirname(target.path), { recursive: true });
    // The file holds doveadm_password: not world-readable.
    writeFileSync(target.path, target.content, { mode: 0o640 });
    io.out(`wrote ${target.path}\n`);
  }
  for (const edit of outputs[0].setup.edits) {
    replaceLine(edit.file, edit.line, edit.newText);
    io.out(`extended ${edit.file}:${edit.line + 1}: ${edit.newText}\n`);
  }
  if (tree && !existingTree(values.out)?.files.includes(resolve(values.out, REPLICATION_CONF_PATH))) {
    io.out(`note: ${join(values.out, 'dovecot.conf')} does not include ${REPLICATION_CONF_PATH}; add "!include conf.d/*.conf" to it\n`);
  }
  if (values['generate-password']) io.out(`doveadm_password (same on both hosts): ${password}\n`);
  for (const note of outputs[0].setup.notes) io.out(`note: ${note}\n`);
  if (!values['peer-out']) io.out(`next: the peer needs the mirror file (mail_replica = ${transport}:<this host>:${port}); rerun with --local HOST --peer-out DIR\n`);
  return EXIT_OK;
}

/** The analysed configuration already in the output directory, if it holds a dovecot.conf. */
function existingTree(dir: string): TreeAnalysis | undefined {
  const root = resolve(dir, 'dovecot.conf');
  if (!existsSync(root)) return undefined;
  return new DovecotLanguageService(new DiskHost()).analyze(root);
}

/** Replaces one line of a file, keeping its line ending and every other byte. */
function replaceLine(file: string, line: number, newText: string): void {
  const lines = readFileSync(file, 'utf8').split('\n');
  lines[line] = newText + (lines[line].endsWith('\r') ? '\r' : '');
  writeFileSync(file, lines.join('\n'));
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
