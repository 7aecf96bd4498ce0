// Guided dsync replication setup: produces the conf.d file for this host and the mirror file for the
// peer, and the edits to the existing tree. Pure (no file access): the CLI (setupCli.ts) and the VS
// Code command show and write the results.
import type { Range, TextEdit } from 'vscode-languageserver-types';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { tokensOf } from '../analysis/replicationFacts';
import type { TreeAnalysis } from '../languageService';
import { renderEdits, TreeEditor } from './fixEdits';
import type { FileEdits } from './quickFix';
import { randomBase64url } from '../randomText';

export type ReplicationTransport = 'tcp' | 'tcps';

/** How this host's global `mail_plugins` gets notify and replication. */
export type MailPluginsPlan =
  /** No global mail_plugins: the generated file sets it. */
  | { kind: 'absent' }
  /** It already loads both. */
  | { kind: 'complete'; file: string; range: Range }
  /** The smallest edits to the file that sets it (the same machinery as the quick fixes). */
  | { kind: 'extend'; file: string; range: Range; missing: string[]; edits: FileEdits }
  /** No edit is safe (the value is read from a file with `<path`, …): `reason` says why; the admin adds `missing`. */
  | { kind: 'manual'; file: string; range: Range; missing: string[]; reason: string };

export interface ReplicationSetupOptions {
  peerHost: string;
  transport: ReplicationTransport;
  port: number;
  password: string;
  /** System user the mail processes run as (owner of the notify fifo/socket). Default `vmail`. */
  mailUser?: string;
  /** tcps: CA that signed the peer's certificate (a path, FACTS §3.5). Without it: the system CA dir. */
  caFile?: string;
  /** tcps: this host's certificate and key for its TLS doveadm listener (paths). */
  sslCert?: string;
  sslKey?: string;
  /** The tree's global mail_plugins (planMailPlugins); without it the generated file sets mail_plugins. */
  mailPlugins?: MailPluginsPlan;
}

export interface PeerSetupOptions extends ReplicationSetupOptions {
  /** This host's name or address as the peer reaches it (the peer's mail_replica points here). */
  localHost: string;
  /** tcps: the peer's own certificate and key (paths on the peer). */
  peerSslCert?: string;
  peerSslKey?: string;
}

export interface GeneratedFile {
  path: string;
  content: string;
}

export interface ReplicationSetup {
  /** New files, paths relative to the configuration directory. */
  files: GeneratedFile[];
  /** Edits of existing files of the tree (absolute path -> LSP text edits), to show before writing. */
  edits: FileEdits;
  /** Things the user must still check by hand. */
  notes: string[];
}

export const REPLICATION_CONF_PATH = 'conf.d/90-replication.conf';
export const DEFAULT_DOVEADM_PORT = 12345;
export const DEFAULT_MAIL_USER = 'vmail';
const SYSTEM_CA_DIR = '/etc/ssl/certs';
const REPLICATION_PLUGINS = ['notify', 'replication'];

export class ReplicationSetupError extends Error {}

/** 32 random bytes as base64url: 43 characters, safe unquoted in a Dovecot value. */
export function generatePassword(): string {
  return randomBase64url(32);
}

export function generateReplicationConfig(options: ReplicationSetupOptions): ReplicationSetup {
  const checked = validateOptions(options);
  const plan = options.mailPlugins ?? { kind: 'absent' };
  const pluginLine =
    plan.kind === 'absent' ? `mail_plugins = $mail_plugins ${REPLICATION_PLUGINS.join(' ')}` : undefined;
  const notes = [...mailPluginsNotes(plan), ...tlsNotes(checked)];
  const content = renderReplicationConf(checked, pluginLine);
  return { files: [{ path: REPLICATION_CONF_PATH, content }], edits: plan.kind === 'extend' ? plan.edits : {}, notes };
}

function mailPluginsNotes(plan: MailPluginsPlan): string[] {
  if (plan.kind !== 'manual') return [];
  return [`${plan.reason}: make sure it loads ${plan.missing.join(' and ')}. Nothing was changed there.`];
}

/** The mirror file for the peer: same port and password, mail_replica pointing back at `localHost`. */
export function generatePeerConfig(options: PeerSetupOptions): ReplicationSetup {
  if (!options.localHost)
    throw new ReplicationSetupError('localHost is required for the peer config (the peer replicates back to it)');
  return generateReplicationConfig({
    peerHost: options.localHost,
    transport: options.transport,
    port: options.port,
    password: options.password,
    mailUser: options.mailUser,
    caFile: options.caFile,
    sslCert: options.peerSslCert,
    sslKey: options.peerSslKey,
  });
}

/**
 * How the global `mail_plugins` in effect in the analysed tree gets notify and replication: the
 * plugins its own line lacks are appended to its value, keeping continuations, quotes and comments.
 */
export function planMailPlugins(analysis: TreeAnalysis): MailPluginsPlan {
  const entry = analysis.effective.value('mail_plugins').entry;
  if (!entry) return { kind: 'absent' };
  const { file, node } = entry;
  if (node.valueKind === 'file') {
    // The file's plugins are not ours to show or edit; only what the line itself says is known.
    const reason = `mail_plugins is read from the file ${node.value} (${file} line ${node.range.start.line + 1})`;
    return { kind: 'manual', file, range: node.range, missing: [...REPLICATION_PLUGINS], reason };
  }
  const missing = REPLICATION_PLUGINS.filter((plugin) => !tokensOf(node.value).includes(plugin));
  if (missing.length === 0) return { kind: 'complete', file, range: node.range };
  const edit = new TreeEditor(analysis.model).appendToValue(entry, missing);
  return { kind: 'extend', file, range: node.range, missing, edits: renderEdits([edit], false) };
}

/** The edits of a plan applied to a text (lines as the LSP counts them). */
export function applyTextEdits(text: string, edits: TextEdit[]): string {
  return TextDocument.applyEdits(TextDocument.create('', '', 0, text), edits);
}

interface CheckedOptions {
  peerHost: string;
  transport: ReplicationTransport;
  port: number;
  password: string;
  mailUser: string;
  caFile?: string;
  sslCert?: string;
  sslKey?: string;
}

const HOSTNAME =
  /^(?=.{1,253}$)[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*\.?$/;
const IPV6 = /^[0-9A-Fa-f:.]+$/;
const USER_NAME = /^[A-Za-z0-9_][A-Za-z0-9._-]*$/;
// Characters that need no quoting in a Dovecot value and have no special meaning ($ variables,
// # comments, < file includes, {} sections, % variables): see FACTS §1.1/§1.7.
const SAFE_PASSWORD = /^[A-Za-z0-9._~+/=@!*,:;?^-]+$/;
const SAFE_PATH = /^\/[^\s"'#$<>{}\\]*$/;

function validateOptions(options: ReplicationSetupOptions): CheckedOptions {
  const problems: string[] = [];
  const peerHost = normaliseHost(options.peerHost, problems);
  if (options.transport !== 'tcp' && options.transport !== 'tcps') {
    problems.push(`transport must be tcp or tcps, got '${String(options.transport)}'`);
  }
  if (!Number.isInteger(options.port) || options.port < 1 || options.port > 65535) {
    problems.push(`port must be an integer from 1 to 65535, got '${String(options.port)}'`);
  }
  if (typeof options.password !== 'string' || options.password === '') {
    problems.push('password must not be empty (both hosts need the same doveadm_password)');
  } else if (!SAFE_PASSWORD.test(options.password)) {
    problems.push(
      'password may only contain letters, digits and . _ ~ + / = @ ! * , : ; ? ^ - (no spaces, quotes, #, $, %, <, {, })',
    );
  }
  const mailUser = options.mailUser ?? DEFAULT_MAIL_USER;
  if (!USER_NAME.test(mailUser)) problems.push(`mail user '${mailUser}' is not a valid system user name`);
  for (const [name, path] of [
    ['CA file', options.caFile],
    ['ssl_cert', options.sslCert],
    ['ssl_key', options.sslKey],
  ] as const) {
    if (path !== undefined && !SAFE_PATH.test(path))
      problems.push(`${name} must be an absolute path without spaces or quotes, got '${path}'`);
  }
  if ((options.sslCert === undefined) !== (options.sslKey === undefined))
    problems.push('give both ssl_cert and ssl_key, or neither');
  if (options.transport === 'tcp' && (options.caFile || options.sslCert))
    problems.push('CA file and ssl_cert/ssl_key only apply to the tcps transport');
  if (problems.length > 0) throw new ReplicationSetupError(problems.join('; '));
  return { ...options, peerHost, mailUser };
}

function normaliseHost(host: string, problems: string[]): string {
  const trimmed = typeof host === 'string' ? host.trim() : '';
  if (HOSTNAME.test(trimmed)) return trimmed;
  // mail_replica splits host and port at the last ':' (FACTS §3.3), so IPv6 needs brackets.
  const bare = trimmed.replace(/^\[(.*)\]$/, '$1');
  if (bare.includes(':') && IPV6.test(bare)) return `[${bare}]`;
  problems.push(`peer host must be a host name or IP address, got '${String(host)}'`);
  return trimmed;
}

function tlsNotes(options: CheckedOptions): string[] {
  if (options.transport !== 'tcps') return [];
  const notes = [
    "tcps: the global 'ssl' must be yes or required on both hosts; with ssl = no the TLS doveadm listener is silently not created.",
  ];
  if (!options.sslCert)
    notes.push(
      'tcps: ssl_cert and ssl_key must be set at top level on both hosts; the doveadm TLS listener cannot start TLS without them.',
    );
  notes.push(
    `tcps: the peer's certificate must name '${options.peerHost}' (CN or subjectAltName), the host part of mail_replica, or dsync rejects it as an invalid certificate.`,
  );
  if (!options.caFile)
    notes.push(
      `tcps: no CA file given, so the peer's certificate must chain to a public CA in ${SYSTEM_CA_DIR}; for a private CA pass its file.`,
    );
  return notes;
}

function renderReplicationConf(options: CheckedOptions, pluginLine: string | undefined): string {
  const user = options.mailUser;
  const lines: string[] = [
    `# dsync replication with ${options.peerHost} (generated by dovecot-replication-setup).`,
    '# The peer needs the mirror of this file: same doveadm_password and port, mail_replica pointing here.',
    '',
  ];
  if (pluginLine) {
    lines.push(
      '# A protocol block that sets mail_plugins without starting with $mail_plugins drops these, and mail it writes is not replicated.',
      pluginLine,
      '',
    );
  }
  lines.push(
    '# Mail processes run as the mail user and must be able to notify the aggregator.',
    'service aggregator {',
    '  fifo_listener replication-notify-fifo {',
    `    user = ${user}`,
    '    mode = 0600',
    '  }',
    '  unix_listener replication-notify {',
    `    user = ${user}`,
    '    mode = 0600',
    '  }',
    '}',
    '',
    'service replicator {',
    '  process_min_avail = 1',
    '  unix_listener replicator-doveadm {',
    '    mode = 0600',
    `    user = ${user}`,
    '  }',
    '}',
    '',
    'service doveadm {',
    '  inet_listener {',
    `    port = ${options.port}`,
    `    ssl = ${options.transport === 'tcps' ? 'yes' : 'no'}`,
    '  }',
    '}',
    '',
    `doveadm_port = ${options.port}`,
    `doveadm_password = ${options.password}`,
    '',
  );
  if (options.transport === 'tcps') lines.push(...tlsLines(options), '');
  lines.push('plugin {', `  mail_replica = ${options.transport}:${options.peerHost}:${options.port}`, '}', '');
  return lines.join('\n');
}

function tlsLines(options: CheckedOptions): string[] {
  const lines = ["# tcps: 'ssl' must not be no, and ssl_cert/ssl_key must be set (the listener uses them)."];
  if (options.sslCert && options.sslKey) lines.push(`ssl_cert = <${options.sslCert}`, `ssl_key = <${options.sslKey}`);
  if (options.caFile) lines.push('# CA that signed the peer certificate.', `ssl_client_ca_file = ${options.caFile}`);
  else lines.push('# The peer certificate must chain to a public CA.', `ssl_client_ca_dir = ${SYSTEM_CA_DIR}`);
  return lines;
}
