import * as path from 'node:path';
import type { EffectiveSettings, MergedSection } from '../model/effective';
import type { FileHost } from '../model/host';
import { contextOf, filtersOf, type ConfigModel, type Placed } from '../model/model';
import { findService } from '../schema/schema';
import type { SectionNode, SettingNode } from '../syntax/nodes';

/** The parts of a configuration the replication rules look at, derived once per analysis. */
export interface ConfigView {
  model: ConfigModel;
  effective: EffectiveSettings;
  host: FileHost;
}

export type Transport = 'tcp' | 'tcps' | 'remote' | 'remoteprefix';

/** `mail_replica` parsed as doveadm-dsync.c does (FACTS §3.3). */
export interface ReplicaTarget {
  entry: Placed<SettingNode>;
  /** The value after `<file` resolution, trimmed: for analysis only, never quoted in a message. */
  text: string;
  /** `<path` as written when the value is read from a file. */
  fromFile?: string;
  transport?: Transport;
  host?: string;
  port?: number;
  /** Why the value is not a remote replica; undefined when it is well-formed. */
  problem?: string;
}

/** A unix or fifo listener of a service, with defaults from the schema. */
export interface FileListener {
  service?: MergedSection;
  section?: MergedSection;
  name: string;
  mode?: number;
  modeText: string;
  modeEntry?: Placed<SettingNode>;
  /** The owner as written; '' = root; `$default_internal_user` resolved. */
  user: string;
  userEntry?: Placed<SettingNode>;
}

export interface InetListener {
  section: MergedSection;
  header: Placed<SectionNode>;
  name: string;
  port?: number;
  portEntry?: Placed<SettingNode>;
  ssl: boolean;
  sslEntry?: Placed<SettingNode>;
  /** Addresses it binds to: its own `address`, else the global `listen`. */
  addresses: string[];
}

export interface ReplicationFacts {
  view: ConfigView;
  configured: boolean;
  /** Global `mail_plugins` (outside filters). */
  globalPlugins: { tokens: string[]; entry?: Placed<SettingNode> };
  /** Where replication is set up, for rules about something missing. */
  anchor?: { file: string; range: Placed<SettingNode>['node']['range'] };
  replica?: ReplicaTarget;
  replicaFromUserdb: boolean;
  topLevelReplica?: Placed<SettingNode>;
  mailUser?: string;
  doveadmService?: MergedSection;
  /** Non-`http` inet listeners of `service doveadm` with a non-zero port. */
  dsyncListeners: InetListener[];
  httpListeners: InetListener[];
  doveadmPort: { port?: number; entry?: Placed<SettingNode> };
  password: { text?: string; entry?: Placed<SettingNode> };
}

export const MAIL_WRITING_PROTOCOLS = ['imap', 'pop3', 'lmtp', 'lda', 'doveadm'] as const;

export function tokensOf(value: string): string[] {
  return value.split(/[\s,]+/).filter((token) => token.length > 0);
}

/**
 * The value Dovecot uses: for `key = <file` the whole file content, newline included (FACTS §1.6).
 * File content is for analysis only: messages name the file (`fileValueShown`), never quote what it holds.
 */
export function settingText(view: ConfigView, entry: Placed<SettingNode>): string | undefined {
  if (entry.node.valueKind !== 'file') return entry.node.value;
  return view.host.readFile(path.resolve(path.dirname(entry.file), entry.node.value));
}

/** `<path` as the user wrote it, for messages about a value read from a file. */
export function fileValueShown(entry: Placed<SettingNode>): string | undefined {
  return entry.node.valueKind === 'file' ? `<${entry.node.value}` : undefined;
}

/** How a message names a part of the replica: quoted as written, or the file it was read from. */
function partShown(target: ReplicaTarget, part: string): string {
  return target.fromFile ? `read from ${target.fromFile}` : `"${part}"`;
}

/** How a message names the replica: the value as written, or `read from <path`. */
export function replicaShown(replica: ReplicaTarget): string {
  return replica.fromFile ? `read from ${replica.fromFile}` : replica.text;
}

/** The replica's host for a message, `PEER` when it was read from a file. */
export function replicaHostShown(replica: ReplicaTarget): string {
  return replica.fromFile || replica.host === undefined ? 'PEER' : replica.host;
}

function parsePort(text: string): number | undefined {
  if (!/^\d{1,5}$/.test(text)) return undefined;
  const port = Number(text);
  return port >= 1 && port <= 65535 ? port : undefined;
}

/** `tcp:host[:port]`; an IPv6 address without brackets has no port (net_str2hostport). */
function parseHostPort(target: ReplicaTarget, rest: string): void {
  let host = rest;
  let portText: string | undefined;
  const bracketed = /^\[([^\]]+)\](?::(.*))?$/.exec(rest);
  if (bracketed) {
    host = bracketed[1];
    portText = bracketed[2];
  } else if ((rest.match(/:/g) ?? []).length === 1) {
    [host, portText] = rest.split(':');
  }
  if (host === '' || /\s|\//.test(host)) {
    target.problem = `${partShown(target, rest)} has no valid host`;
    return;
  }
  target.host = host;
  if (portText === undefined) return;
  target.port = parsePort(portText);
  if (target.port === undefined) target.problem = target.fromFile ? `read from ${target.fromFile} has a port outside 1-65535` : `"${portText}" is not a port (1-65535)`;
}

export function parseReplica(entry: Placed<SettingNode>, text: string): ReplicaTarget {
  const fromFile = fileValueShown(entry);
  const target: ReplicaTarget = fromFile ? { entry, text, fromFile } : { entry, text };
  const match = /^(tcps?|remote|remoteprefix):(.*)$/.exec(text);
  if (!match) {
    target.problem = `${partShown(target, text)} does not start with tcp:, tcps:, remote: or remoteprefix:, so doveadm takes it as a local mail location`;
    return target;
  }
  target.transport = match[1] as Transport;
  if (target.transport === 'tcp' || target.transport === 'tcps') {
    parseHostPort(target, match[2]);
  } else {
    const remote = /^(?:[^@\s]+@)?([^@\s]+)$/.exec(match[2]);
    if (remote) target.host = remote[1];
    else target.problem = `${partShown(target, match[2])} is not ${target.transport}:[login@]host`;
  }
  return target;
}

function modeOf(text: string): number | undefined {
  return /^[0-7]+$/.test(text) ? parseInt(text, 8) : undefined;
}

function resolveUser(view: ConfigView, user: string): string {
  return user === '$default_internal_user' ? view.effective.value('default_internal_user').value : user;
}

/** A unix/fifo listener of a service as Dovecot creates it: written values over the built-in defaults. */
export function fileListener(view: ConfigView, serviceName: string, kind: 'unix_listener' | 'fifo_listener', name: string): FileListener {
  const service = view.effective.section('service', serviceName);
  const section = service?.children.find((child) => child.type === kind && child.name === name);
  const defaults = findService(serviceName)?.listeners.find((listener) => listener.name === name);
  const modeEntry = section?.settings.get('mode');
  const userEntry = section?.settings.get('user');
  const modeText = modeEntry?.node.value ?? defaults?.mode ?? '0600';
  return {
    service,
    section,
    name,
    mode: modeOf(modeText),
    modeText,
    modeEntry,
    user: resolveUser(view, userEntry?.node.value ?? defaults?.user ?? ''),
    userEntry,
  };
}

function inetListener(view: ConfigView, section: MergedSection): InetListener {
  const portEntry = section.settings.get('port');
  const sslEntry = section.settings.get('ssl');
  const address = section.settings.get('address')?.node.value ?? '';
  const listen = view.effective.value('listen').value;
  return {
    section,
    header: section.occurrences[section.occurrences.length - 1],
    name: section.settings.get('name')?.node.value ?? section.name,
    port: portEntry ? parsePort(portEntry.node.value) : undefined,
    portEntry,
    ssl: /^(yes|y|1)$/i.test(sslEntry?.node.value ?? 'no'),
    sslEntry,
    addresses: tokensOf(address !== '' ? address : listen),
  };
}

/** `uid=` in userdb fields (`default_fields`, `override_fields`, static `args`). */
function userdbUid(view: ConfigView): string | undefined {
  for (const userdb of view.effective.sections('userdb')) {
    for (const key of ['override_fields', 'args', 'default_fields']) {
      const match = /(?:^|\s)uid=(\S+)/.exec(userdb.settings.get(key)?.node.value ?? '');
      if (match) return match[1];
    }
  }
  return undefined;
}

function replicaInUserdb(view: ConfigView): boolean {
  return view.effective.sections('userdb').some((userdb) =>
    ['default_fields', 'override_fields'].some((key) => /(?:^|\s)mail_replica=\S/.test(userdb.settings.get(key)?.node.value ?? '')));
}

function pluginsLoadReplication(view: ConfigView): boolean {
  return view.effective.assignments('mail_plugins').some((entry) => tokensOf(entry.node.value).includes('replication'));
}

function globalReplica(view: ConfigView): ReplicaTarget | undefined {
  const entry = view.effective.value('mail_replica', { context: 'plugin' }).entry;
  if (!entry) return undefined;
  const text = settingText(view, entry);
  if (text === undefined || text.trim() === '') return undefined;
  return parseReplica(entry, text.trim());
}

function topLevelReplica(view: ConfigView): Placed<SettingNode> | undefined {
  return view.effective.assignments('mail_replica').find((entry) => contextOf(entry.frames) === '');
}

export function deriveReplicationFacts(view: ConfigView): ReplicationFacts {
  const { effective } = view;
  const pluginsValue = effective.value('mail_plugins');
  const globalPlugins = { tokens: tokensOf(pluginsValue.value), entry: pluginsValue.entry };
  const replica = globalReplica(view);
  const replicaFromUserdb = replicaInUserdb(view);
  const misplacedReplica = topLevelReplica(view);
  const replicationServices = ['replicator', 'aggregator'].map((name) => effective.section('service', name)).filter((s) => s !== undefined);
  const anyReplicaSetting = effective.assignments('mail_replica').some((entry) => entry.node.value.trim() !== '');
  const configured = pluginsLoadReplication(view) || anyReplicaSetting || replicaFromUserdb || replicationServices.length > 0;
  const doveadmService = effective.section('service', 'doveadm');
  const inet = (doveadmService?.children ?? []).filter((child) => child.type === 'inet_listener').map((section) => inetListener(view, section));
  const portValue = effective.value('doveadm_port');
  const passwordEntry = effective.value('doveadm_password').entry;
  const mailUid = effective.value('mail_uid').value;
  const replicationPluginsEntry = effective.assignments('mail_plugins').find((entry) => filtersOf(entry.frames).length === 0 && contextOf(entry.frames) === '' && tokensOf(entry.node.value).includes('replication'));
  const anchorNode = replicationPluginsEntry ?? globalPlugins.entry ?? replica?.entry ?? misplacedReplica;
  const anchorSection = replicationServices[0]?.occurrences[0];
  const anchor = anchorNode
    ? { file: anchorNode.file, range: anchorNode.node.range }
    : anchorSection
      ? { file: anchorSection.file, range: anchorSection.node.headerRange }
      : undefined;
  return {
    view,
    configured,
    globalPlugins,
    anchor,
    replica,
    replicaFromUserdb,
    topLevelReplica: misplacedReplica,
    mailUser: mailUid !== '' ? mailUid : userdbUid(view),
    doveadmService,
    dsyncListeners: inet.filter((listener) => listener.name !== 'http' && listener.port !== undefined),
    httpListeners: inet.filter((listener) => listener.name === 'http'),
    doveadmPort: { port: parsePort(portValue.value), entry: portValue.entry },
    password: { text: passwordEntry ? settingText(view, passwordEntry) : '', entry: passwordEntry },
  };
}

/** The port dsync connects to: the one in `mail_replica`, else `doveadm_port` (FACTS §3.2 row 10). */
export function replicaPort(facts: ReplicationFacts): number | undefined {
  return facts.replica?.port ?? facts.doveadmPort.port;
}

function portReadFromFile(facts: ReplicationFacts): boolean {
  return facts.replica?.fromFile !== undefined && facts.replica.port !== undefined;
}

/** The port dsync connects to, for a message: `port N`, or the file it was read from. */
export function replicaPortPhrase(facts: ReplicationFacts): string {
  return portReadFromFile(facts) ? `the port of mail_replica ${replicaShown(facts.replica!)}` : `port ${replicaPort(facts)}`;
}

/** The port dsync connects to, inside a quoted log line: `PORT` when it was read from a file. */
export function replicaPortShown(facts: ReplicationFacts): string {
  return portReadFromFile(facts) ? 'PORT' : String(replicaPort(facts));
}

export function isNetworkReplica(facts: ReplicationFacts): boolean {
  return facts.replica?.problem === undefined && (facts.replica?.transport === 'tcp' || facts.replica?.transport === 'tcps');
}

export const WILDCARD_ADDRESSES = new Set(['*', '::', '[::]', '0.0.0.0', '']);

/** Names a host is known by in its own config: `hostname` and the (non-wildcard) addresses of its dsync listeners. */
export function hostNames(facts: ReplicationFacts): Set<string> {
  const names = [facts.view.effective.value('hostname').value, ...facts.dsyncListeners.flatMap((listener) => listener.addresses)];
  return new Set(names.filter((name) => !WILDCARD_ADDRESSES.has(name)).map((name) => name.replace(/^\[(.*)\]$/, '$1')));
}

/** Whether `from`'s network `mail_replica` names `to` (used to pair two roots of a workspace). */
export function replicatesTo(from: ReplicationFacts, to: ReplicationFacts): boolean {
  const host = from.replica?.host;
  return isNetworkReplica(from) && host !== undefined && hostNames(to).has(host.replace(/^\[(.*)\]$/, '$1'));
}

/** The dsync listener a connection on `port` reaches, else the first one. */
export function listenerFor(facts: ReplicationFacts, port: number | undefined): InetListener | undefined {
  return facts.dsyncListeners.find((listener) => listener.port === port) ?? facts.dsyncListeners[0];
}

/** Whether the mail user can write a file listener; undefined when the config does not tell. */
export function writableByMailUser(listener: FileListener, mailUser: string | undefined): boolean | undefined {
  if (listener.mode === undefined) return undefined;
  if ((listener.mode & 0o002) !== 0) return true;
  // Not written: the built-in owner (root, or the internal user for replicator-doveadm), never the mail user.
  if (!listener.userEntry || listener.user === '' || listener.user === 'root' || listener.user === '0') return false;
  if (mailUser === undefined || /^\d+$/.test(listener.user) !== /^\d+$/.test(mailUser)) return undefined;
  return listener.user === mailUser;
}
