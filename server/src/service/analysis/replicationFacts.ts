import { isHostAddress } from '../model/addresses';
import type { EffectiveSettings, MergedSection } from '../model/effective';
import { hasOpaqueVariable, readValueFile } from '../model/valueSources';
import type { FileHost } from '../model/host';
import { contextOf, isInFilter, type ConfigModel, type Placed } from '../model/model';
import { findService } from '../schema/schema';
import { parsePort } from '../schema/valueCheck';
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
  /** The group as written; '' when not set. */
  group: string;
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
  /** Global `mail_plugins` (outside filters); `unknown` when it comes from an unreadable file or a variable. */
  globalPlugins: { tokens: string[]; entry?: Placed<SettingNode>; unknown?: true };
  /** Where replication is set up, for rules about something missing. */
  anchor?: { file: string; range: Placed<SettingNode>['node']['range'] };
  replica?: ReplicaTarget;
  /** mail_replica is set, but from an unreadable file or a variable: its target is unknown. */
  replicaUnknown: boolean;
  replicaFromUserdb: boolean;
  topLevelReplica?: Placed<SettingNode>;
  mailUser?: string;
  /** Where the mail user comes from (`mail_uid`, `userdb ... uid=`, ...), for messages. */
  mailUserSource?: string;
  mailGroup?: string;
  doveadmService?: MergedSection;
  /** Non-`http` inet listeners of `service doveadm` with a non-zero port. */
  dsyncListeners: InetListener[];
  httpListeners: InetListener[];
  doveadmPort: { port?: number; entry?: Placed<SettingNode>; unknown?: true };
  password: { text?: string; entry?: Placed<SettingNode> };
}

export const MAIL_WRITING_PROTOCOLS = ['imap', 'pop3', 'lmtp', 'lda', 'doveadm'] as const;

export function tokensOf(value: string): string[] {
  return value.split(/[\s,]+/).filter((token) => token.length > 0);
}

/**
 * The value Dovecot uses: for `key = <file` the whole file content, newline included (FACTS §1.6);
 * undefined when we cannot know it (an unreadable file, `$ENV:NAME`, another setting's `$name`).
 * File content is for analysis only: messages name the file (`fileValueShown`), never quote what it holds.
 */
export function settingText(view: ConfigView, entry: Placed<SettingNode>): string | undefined {
  if (entry.node.valueKind === 'file') return readValueFile(view.host, entry);
  return hasOpaqueVariable(entry.node) ? undefined : entry.node.value;
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

/** A usable port (1-65535) as settings-parser.c reads it; 0 means none. */
function parsePortNumber(text: string): number | undefined {
  return usablePort(parsePort(text).value);
}

function usablePort(port: unknown): number | undefined {
  return typeof port === 'number' && port >= 1 ? port : undefined;
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
  target.port = parsePortNumber(portText);
  if (target.port === undefined)
    target.problem = target.fromFile
      ? `read from ${target.fromFile} has a port outside 1-65535`
      : `"${portText}" is not a port (1-65535)`;
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

function resolveUser(view: ConfigView, user: string): string {
  return user === '$default_internal_user' ? view.effective.value('default_internal_user').value : user;
}

/** A unix/fifo listener of a service as Dovecot creates it: written values over the built-in defaults. */
export function fileListener(
  view: ConfigView,
  serviceName: string,
  kind: 'unix_listener' | 'fifo_listener',
  name: string,
): FileListener {
  const service = view.effective.section('service', serviceName);
  const section = service?.children.find((child) => child.type === kind && child.name === name);
  const defaults = findService(serviceName)?.listeners.find((listener) => listener.name === name);
  const context = `service/${kind}`;
  const mode = view.effective.valueIn(section, context, 'mode', defaults?.mode ?? '0600');
  const user = view.effective.valueIn(section, context, 'user', defaults?.user ?? '');
  return {
    service,
    section,
    name,
    mode: typeof mode.typed === 'bigint' ? Number(mode.typed) : undefined,
    modeText: mode.entry?.node.value ?? mode.value,
    modeEntry: mode.entry,
    user: resolveUser(view, user.value),
    userEntry: user.entry,
    group: view.effective.valueIn(section, context, 'group').value,
  };
}

function inetListener(view: ConfigView, section: MergedSection): InetListener {
  const valueOf = (key: string, fallback?: string) =>
    view.effective.valueIn(section, 'service/inet_listener', key, fallback);
  const port = valueOf('port');
  const ssl = valueOf('ssl', 'no');
  const address = valueOf('address').value;
  const listen = view.effective.value('listen').value;
  return {
    section,
    header: section.occurrences[section.occurrences.length - 1],
    name: valueOf('name', section.name).value,
    port: port.entry ? usablePort(port.typed) : undefined,
    portEntry: port.entry,
    ssl: ssl.typed === true,
    sslEntry: ssl.entry,
    addresses: tokensOf(address !== '' ? address : listen),
  };
}

/** `uid=`/`gid=` in userdb fields (`default_fields`, `override_fields`, static `args`). */
function userdbField(view: ConfigView, field: 'uid' | 'gid'): { value: string; source: string } | undefined {
  for (const userdb of view.effective.sections('userdb')) {
    for (const key of ['override_fields', 'args', 'default_fields']) {
      const entry = userdb.settings.get(key);
      const match = new RegExp(`(?:^|\\s)${field}=([^\\s$%]+)(?:\\s|$)`).exec(entry?.node.value ?? '');
      if (match && entry && !hasOpaqueVariable(entry.node))
        return { value: match[1], source: `userdb ${key} ${field}=` };
    }
  }
  return undefined;
}

/**
 * The user (and group) the mail processes run as, where the configuration says it: `mail_uid`, a userdb's
 * `uid=` field, or `first_valid_uid = last_valid_uid` (only that uid is allowed). Undefined otherwise.
 */
function mailIdentity(view: ConfigView): { user?: string; source?: string; group?: string } {
  const { effective } = view;
  const known = (key: string): string | undefined => {
    const value = effective.value(key);
    return value.unknown || value.value.trim() === '' ? undefined : value.value.trim();
  };
  const group = known('mail_gid') ?? userdbField(view, 'gid')?.value;
  const uid = known('mail_uid');
  if (uid !== undefined) return { user: uid, source: 'mail_uid', group };
  const fromUserdb = userdbField(view, 'uid');
  if (fromUserdb) return { user: fromUserdb.value, source: fromUserdb.source, group };
  const first = known('first_valid_uid');
  if (first !== undefined && first !== '0' && first === known('last_valid_uid'))
    return { user: first, source: 'first_valid_uid = last_valid_uid', group };
  return { group };
}

function replicaInUserdb(view: ConfigView): boolean {
  return view.effective
    .sections('userdb')
    .some((userdb) =>
      ['default_fields', 'override_fields'].some((key) =>
        /(?:^|\s)mail_replica=\S/.test(userdb.settings.get(key)?.node.value ?? ''),
      ),
    );
}

/**
 * What "replication is configured" means for the replication rules (README rule reference). Service
 * blocks alone (`service replicator { vsz_limit }`, `service aggregator { chroot = }`) are hardening of
 * the stock services, not a replication setup.
 */
export const REPLICATION_INTENT =
  'The dsync replication rules apply only where replication is configured, that is where at least one of these holds: ' +
  'the `mail_plugins` value in effect loads `replication`, globally or inside a `protocol` block; ' +
  '`mail_replica` is set to a non-empty value (in `plugin {}`, in any filter, or misplaced at top level); ' +
  'a userdb returns a `mail_replica` field (`default_fields`/`override_fields`). ' +
  'A `service replicator`, `service aggregator` or `service doveadm` block alone (for example limits or a chroot) does not count.';

/** The replication plugin is in the mail_plugins value in effect globally or for a protocol filter. */
function pluginsLoadReplication(view: ConfigView): boolean {
  const { effective } = view;
  const values = [
    effective.value('mail_plugins'),
    ...effective.protocolsOverriding('mail_plugins').map((protocol) => effective.value('mail_plugins', { protocol })),
  ];
  return values.some((value) => tokensOf(value.value).includes('replication'));
}

function globalReplica(view: ConfigView): { replica?: ReplicaTarget; unknown: boolean } {
  const entry = view.effective.value('mail_replica', { context: 'plugin' }).entry;
  if (!entry) return { unknown: false };
  const text = settingText(view, entry);
  if (text === undefined) return { unknown: true };
  return { replica: text.trim() === '' ? undefined : parseReplica(entry, text.trim()), unknown: false };
}

function topLevelReplica(view: ConfigView): Placed<SettingNode> | undefined {
  return view.effective.assignments('mail_replica').find((entry) => contextOf(entry.frames) === '');
}

export function deriveReplicationFacts(view: ConfigView): ReplicationFacts {
  const { effective } = view;
  const pluginsValue = effective.value('mail_plugins');
  const globalPlugins = {
    tokens: tokensOf(pluginsValue.value),
    entry: pluginsValue.entry,
    ...(pluginsValue.unknown ? { unknown: true as const } : {}),
  };
  const { replica, unknown: replicaUnknown } = globalReplica(view);
  const replicaFromUserdb = replicaInUserdb(view);
  const misplacedReplica = topLevelReplica(view);
  const replicationServices = ['replicator', 'aggregator']
    .map((name) => effective.section('service', name))
    .filter((s) => s !== undefined);
  const anyReplicaSetting = effective.assignments('mail_replica').some((entry) => entry.node.value.trim() !== '');
  const configured = pluginsLoadReplication(view) || anyReplicaSetting || replicaFromUserdb;
  const doveadmService = effective.section('service', 'doveadm');
  const inet = (doveadmService?.children ?? [])
    .filter((child) => child.type === 'inet_listener')
    .map((section) => inetListener(view, section));
  const portValue = effective.value('doveadm_port');
  const passwordEntry = effective.value('doveadm_password').entry;
  const identity = mailIdentity(view);
  const replicationPluginsEntry = effective
    .assignments('mail_plugins')
    .find(
      (entry) =>
        !isInFilter(entry.frames) &&
        contextOf(entry.frames) === '' &&
        tokensOf(entry.node.value).includes('replication'),
    );
  const anchorNode = replicationPluginsEntry ?? globalPlugins.entry ?? replica?.entry ?? misplacedReplica;
  const anchorSection = replicationServices[0]?.opening;
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
    replicaUnknown,
    replicaFromUserdb,
    topLevelReplica: misplacedReplica,
    mailUser: identity.user,
    mailUserSource: identity.source,
    mailGroup: identity.group,
    doveadmService,
    dsyncListeners: inet.filter((listener) => listener.name !== 'http' && listener.port !== undefined),
    httpListeners: inet.filter((listener) => listener.name === 'http'),
    doveadmPort: {
      port: usablePort(effective.typedValue('doveadm_port')),
      entry: portValue.entry,
      ...(portValue.unknown ? { unknown: true as const } : {}),
    },
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
  return portReadFromFile(facts)
    ? `the port of mail_replica ${replicaShown(facts.replica!)}`
    : `port ${replicaPort(facts)}`;
}

/** The port dsync connects to, inside a quoted log line: `PORT` when it was read from a file. */
export function replicaPortShown(facts: ReplicationFacts): string {
  return portReadFromFile(facts) ? 'PORT' : String(replicaPort(facts));
}

export function isNetworkReplica(facts: ReplicationFacts): boolean {
  return (
    facts.replica?.problem === undefined && (facts.replica?.transport === 'tcp' || facts.replica?.transport === 'tcps')
  );
}

/** Names a host is known by in its own config: `hostname` and the (non-wildcard) addresses of its dsync listeners. */
export function hostNames(facts: ReplicationFacts): Set<string> {
  const names = [
    facts.view.effective.value('hostname').value,
    ...facts.dsyncListeners.flatMap((listener) => listener.addresses),
  ];
  return new Set(names.filter(isHostAddress).map((name) => name.replace(/^\[(.*)\]$/, '$1')));
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

/** The mail user as a service `user` value: Dovecot wants a name there (`User doesn't exist: 8` for a uid). */
export function mailUserName(facts: ReplicationFacts): string | undefined {
  return facts.mailUser !== undefined && !/^\d+$/.test(facts.mailUser) ? facts.mailUser : undefined;
}

/** Whether the mail user can write a file listener; undefined when the config does not tell. */
export function writableByMailUser(
  listener: FileListener,
  mailUser: string | undefined,
  mailGroup?: string,
): boolean | undefined {
  if (listener.mode === undefined || listener.user.includes('$')) return undefined;
  if ((listener.mode & 0o002) !== 0) return true;
  if ((listener.mode & 0o020) !== 0 && listener.group !== '') {
    // Group-writable: the mail user may be in that group; only a known, different mail group decides.
    if (
      mailGroup === undefined ||
      listener.group.includes('$') ||
      /^\d+$/.test(listener.group) !== /^\d+$/.test(mailGroup)
    )
      return undefined;
    if (listener.group === mailGroup) return true;
  }
  // Not written: the built-in owner (root, or the internal user for replicator-doveadm), never the mail user.
  if (!listener.userEntry || listener.user === '' || listener.user === 'root' || listener.user === '0') return false;
  if (mailUser === undefined || /^\d+$/.test(listener.user) !== /^\d+$/.test(mailUser)) return undefined;
  return listener.user === mailUser;
}
