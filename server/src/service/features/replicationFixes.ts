import * as path from 'node:path';
import {
  deriveReplicationFacts,
  fileListener,
  listenerFor,
  mailUserName,
  replicaPort,
  replicaPortPhrase,
  tokensOf,
  type InetListener,
  type ReplicaTarget,
  type ReplicationFacts,
} from '../analysis/replicationFacts';
import type { MergedSection } from '../model/effective';
import { contextOf, filtersOf, type Placed } from '../model/model';
import type { SettingNode } from '../syntax/nodes';
import { generatePassword } from './replicationSetup';
import { TreeEditor, makeFix, ph, sectionAt, settingAt, type Part, type PlannedEdit, type Text } from './fixEdits';
import type { QuickFix, QuickFixContext, QuickFixProvider } from './quickFix';

const DEFAULT_PORT = '12345';
const PEER_HOST = 'peer.example.com';
const MAIL_USER = 'vmail';

/** What every replication fix works with: the facts of this tree (and of the peer) and an editor. */
interface FixContext {
  quick: QuickFixContext;
  facts: ReplicationFacts;
  editor: TreeEditor;
  entry?: Placed<SettingNode>;
}

function fixContext(quick: QuickFixContext): FixContext {
  const { model, effective } = quick.analysis;
  return {
    quick,
    facts: deriveReplicationFacts({ model, effective, host: quick.host }),
    editor: new TreeEditor(model),
    entry: settingAt(model, quick.file, quick.diagnostic.range),
  };
}

function peerFacts(ctx: FixContext): { facts: ReplicationFacts; editor: TreeEditor } | undefined {
  const peer = ctx.quick.analysis.peer;
  if (!peer) return undefined;
  return { facts: deriveReplicationFacts({ model: peer.model, effective: peer.effective, host: ctx.quick.host }), editor: new TreeEditor(peer.model) };
}

function provider(build: (ctx: FixContext) => (QuickFix | undefined)[]): QuickFixProvider {
  return (quick) => build(fixContext(quick)).filter((fix): fix is QuickFix => fix !== undefined);
}

const mailUser = (facts: ReplicationFacts): Part => mailUserName(facts) ?? ph(MAIL_USER);
const knownPort = (facts: ReplicationFacts): number | undefined => replicaPort(facts) ?? facts.dsyncListeners[0]?.port;
const portPart = (facts: ReplicationFacts): Part => String(knownPort(facts) ?? '') || ph(DEFAULT_PORT);

// ----------------------------------------------------------------------------- placement --

function isTopLevel(editor: TreeEditor, placed: { file: string; frames: unknown[] }): boolean {
  return placed.frames.length === 0 && editor.isTopLevelFile(placed.file);
}

/** After the top-level statement (of its own file) that holds the anchor of the replication setup. */
function afterAnchor(ctx: FixContext): { file: string; line: number } {
  const anchor = ctx.facts.anchor;
  const { editor } = ctx;
  if (anchor && editor.isTopLevelFile(anchor.file)) {
    const statement = editor.topStatementAt(anchor.file, anchor.range.start.line);
    if (statement) return { file: anchor.file, line: statement.range.end.line + 1 };
  }
  const root = ctx.quick.analysis.model.root;
  return { file: root, line: editor.textLines(root).lineCount };
}

/** Where a new top-level setting goes: after the last top-level assignment of a related key, else after the anchor. */
function topLevelSettingPlace(ctx: FixContext, neighbours: string[]): { file: string; line: number } {
  const related = ctx.quick.analysis.model.settings.filter((entry) => neighbours.includes(entry.node.key) && isTopLevel(ctx.editor, entry));
  const last = related[related.length - 1];
  return last ? { file: last.file, line: last.node.range.end.line + 1 } : afterAnchor(ctx);
}

function insertTopLevelSetting(ctx: FixContext, neighbours: string[], ...lines: Text[]): PlannedEdit {
  const place = topLevelSettingPlace(ctx, neighbours);
  return ctx.editor.insertLines(place.file, place.line, lines);
}

/** A new top-level section: after the last top-level block of one of the given kinds, else after the anchor. */
function insertTopLevelSection(ctx: FixContext, after: (type: string, name: string) => boolean, lines: Text[]): PlannedEdit {
  const { editor } = ctx;
  const blocks = ctx.quick.analysis.model.sections.filter((placed) => after(placed.node.type, placed.node.name) && placed.node.closeRange && isTopLevel(editor, placed));
  const last = blocks[blocks.length - 1];
  const place = last ? { file: last.file, line: last.node.closeRange!.end.line + 1 } : afterAnchor(ctx);
  return editor.insertLines(place.file, place.line, ['', ...lines]);
}

const isService = (type: string) => type === 'service';

function nested(lines: Text[], unit = '  '): Text[] {
  return lines.map((line) => (line === '' ? line : [unit, ...(Array.isArray(line) ? line : [line])]));
}

// ------------------------------------------------------------------------- value rewrites --

function replicaText(replica: ReplicaTarget, change: { transport?: string; host?: Part; port?: Part | null }): Part[] {
  const host = change.host ?? replica.host ?? '';
  const bracket = typeof host === 'string' && host.includes(':');
  const port = change.port === null ? undefined : change.port ?? (replica.port !== undefined ? String(replica.port) : undefined);
  return [`${change.transport ?? replica.transport}:`, ...(bracket ? ['[', host, ']'] : [host]), ...(port !== undefined ? [':', port] : [])];
}

function setReplica(ctx: FixContext, title: string, change: Parameters<typeof replicaText>[1], preferred = true): QuickFix | undefined {
  const replica = ctx.facts.replica;
  if (!replica || replica.entry.node.valueKind === 'file') return undefined;
  return makeFix(title, [ctx.editor.replaceValue(replica.entry, replicaText(replica, change))], preferred);
}

/** `key = value` inside a merged section: replace the value, or add the line. */
function setInSection(editor: TreeEditor, section: MergedSection, key: string, value: Text): PlannedEdit | undefined {
  const entry = section.settings.get(key);
  return entry ? editor.replaceValue(entry, value) : editor.insertIntoSection(section, [[`${key} = `, ...(Array.isArray(value) ? value : [value])]]);
}

function replaceSetting(ctx: FixContext, title: string, value: Text): QuickFix[] {
  return ctx.entry ? [makeFix(title, [ctx.editor.replaceValue(ctx.entry, value)], true)] : [];
}

// ---------------------------------------------------------------------------- mail_plugins --

const notifyMissing = provider((ctx) => {
  const entry = ctx.entry;
  if (!entry || entry.node.key !== 'mail_plugins') return [];
  const line = ctx.editor.textLines(entry.file).lineText(entry.node.valueRange.start.line);
  const at = line.indexOf('replication', entry.node.valueRange.start.character);
  const edit: PlannedEdit = at >= 0
    ? { file: entry.file, range: { start: { line: entry.node.valueRange.start.line, character: at }, end: { line: entry.node.valueRange.start.line, character: at } }, text: 'notify ' }
    : ctx.editor.appendToValue(entry, ['notify']);
  return [makeFix('Add notify to mail_plugins', [edit], true)];
});

const pluginMissing = provider((ctx) => {
  const global = ctx.facts.globalPlugins;
  const missing = ['notify', 'replication'].filter((plugin) => !global.tokens.includes(plugin));
  // `mail_plugins = <file`: the plugins are in that file, and `$mail_plugins` after it would expand to
  // the literal `<file` (doveconf 2.3.19 -n prints `<file notify replication`): no edit is right.
  if (global.entry?.node.valueKind === 'file') return [];
  if (global.entry && isTopLevel(ctx.editor, global.entry)) {
    return [makeFix(`Add ${missing.join(' ')} to mail_plugins`, [ctx.editor.appendToValue(global.entry, missing)], true)];
  }
  const line = 'mail_plugins = $mail_plugins notify replication';
  const firstProtocolValue = ctx.quick.analysis.model.settings.find((entry) => entry.node.key === 'mail_plugins' && filtersOf(entry.frames).length > 0);
  // A protocol block expands $mail_plugins when it is read (FACTS §1.7): the global line must come first.
  const protocolBlock = firstProtocolValue?.frames[0];
  const neighbours = ['mail_location', 'mail_gid', 'mail_uid'];
  const neighbour = ctx.quick.analysis.model.settings.filter((entry) => neighbours.includes(entry.node.key) && isTopLevel(ctx.editor, entry)).pop();
  const beforeProtocol = protocolBlock && ctx.editor.isTopLevelFile(protocolBlock.file) && (!neighbour || neighbour.order > firstProtocolValue!.order);
  const edit = beforeProtocol
    ? ctx.editor.insertLines(protocolBlock.file, protocolBlock.section.headerRange.start.line, [line])
    : insertTopLevelSetting(ctx, neighbours, line);
  return [makeFix('Load notify and replication in mail_plugins', [edit], true)];
});

const protocolPluginsDropped = provider((ctx) => {
  const entry = ctx.entry;
  if (!entry || entry.node.key !== 'mail_plugins') return [];
  const global = ctx.facts.globalPlugins.entry;
  const usesGlobal = entry.node.variables.some((variable) => variable.name === 'mail_plugins');
  const tokens = tokensOf(ctx.quick.analysis.effective.value('mail_plugins').value);
  const own = tokensOf(entry.node.value);
  const dropped = ['notify', 'replication'].filter((plugin) => tokens.includes(plugin) && !own.includes(plugin));
  const fixes: QuickFix[] = [];
  if (!usesGlobal && entry.node.valueKind !== 'quoted' && global && global.order < entry.order) {
    const start = entry.node.valueRange.start;
    fixes.push(makeFix('Start the value with $mail_plugins', [{ file: entry.file, range: { start, end: start }, text: entry.node.value === '' ? '$mail_plugins' : '$mail_plugins ' }], true));
  }
  fixes.push(makeFix(`Add ${dropped.join(' ')} to this protocol's mail_plugins`, [ctx.editor.appendToValue(entry, dropped)], fixes.length === 0));
  return fixes;
});

// ----------------------------------------------------------------------------- mail_replica --

function peerHostGuess(ctx: FixContext): Part {
  const peer = peerFacts(ctx)?.facts.dsyncListeners[0]?.addresses.find((address) => !['*', '::', '0.0.0.0'].includes(address));
  return ph(peer ?? PEER_HOST);
}

const replicaMissing = provider((ctx) => {
  const line: Part[] = ['mail_replica = tcp:', peerHostGuess(ctx), ':', portPart(ctx.facts)];
  const plugin = ctx.quick.analysis.effective.sections('plugin').find((section) => section.occurrences.some((o) => o.node.closeRange && isTopLevel(ctx.editor, o)));
  const intoPlugin = plugin && ctx.editor.insertIntoSection(plugin, [line]);
  const edit = intoPlugin ?? insertTopLevelSection(ctx, () => false, ['plugin {', ...nested([line], ctx.editor.indentUnit(afterAnchor(ctx).file)), '}']);
  return [makeFix('Add mail_replica to plugin { }', [edit], true)];
});

const replicaMalformed = provider((ctx) => {
  const replica = ctx.facts.replica;
  if (!replica) return [];
  const bare = /^(?:[a-z]+:)?(\[[^\]]+\]|[\w.-]+)(?::(\d+))?$/i.exec(replica.text);
  const host = replica.host ?? (bare ? bare[1].replace(/^\[|\]$/g, '') : undefined);
  const port = bare?.[2] !== undefined && replica.transport === undefined ? bare[2] : undefined;
  const value = replicaText({ ...replica, transport: replica.transport === 'tcps' ? 'tcps' : 'tcp', port: undefined }, {
    host: host ?? ph(PEER_HOST),
    port: port ?? (String(ctx.facts.doveadmPort.port ?? ctx.facts.dsyncListeners[0]?.port ?? '') || ph(DEFAULT_PORT)),
  });
  return replica.entry.node.valueKind === 'file' ? [] : [makeFix(`Write mail_replica as ${replica.transport === 'tcps' ? 'tcps' : 'tcp'}:HOST:PORT`, [ctx.editor.replaceValue(replica.entry, value)], true)];
});

const replicaOutsidePlugin = provider((ctx) => {
  const entry = ctx.entry;
  if (!entry || contextOf(entry.frames) !== '') return [];
  const line = `mail_replica = ${entry.node.rawValue}`;
  const plugin = ctx.quick.analysis.effective.sections('plugin')[0];
  const into = plugin && ctx.editor.insertIntoSection(plugin, [line]);
  const { start, end } = entry.node.range;
  if (into) return [makeFix('Move mail_replica into plugin { }', [ctx.editor.deleteLines(entry.file, start.line, end.line), into], true)];
  const indent = ctx.editor.indentOf(entry.file, start.line);
  const unit = ctx.editor.indentUnit(entry.file);
  const eol = ctx.editor.eol(entry.file);
  return [makeFix('Wrap mail_replica in plugin { }', [{ file: entry.file, range: entry.node.range, text: `plugin {${eol}${indent}${unit}${line}${eol}${indent}}` }], true)];
});

const replicaSelf = provider((ctx) => [setReplica(ctx, 'Point mail_replica at the peer', { host: peerHostGuess(ctx) })]);

const portMissing = provider((ctx) => [setReplica(ctx, 'Add the doveadm port to mail_replica', { port: String(ctx.facts.dsyncListeners[0]?.port ?? '') || ph(DEFAULT_PORT) })]);

const portMismatch = provider((ctx) => {
  const port = String(ctx.facts.dsyncListeners[0]?.port ?? '');
  if (port === '') return [];
  if (ctx.entry?.node.key === 'doveadm_port') return replaceSetting(ctx, `Use port ${port} (this host's doveadm listener)`, port);
  return [setReplica(ctx, `Use port ${port} (this host's doveadm listener)`, { port })];
});

// ---------------------------------------------------------------------------- doveadm side --

const passwordMissing = provider((ctx) => {
  const password = ph(generatePassword());
  const entry = ctx.facts.password.entry;
  if (entry && entry.node.valueKind !== 'file') return [makeFix('Set doveadm_password (use the same on the peer)', [ctx.editor.replaceValue(entry, password)], true)];
  return [makeFix('Set doveadm_password (use the same on the peer)', [insertTopLevelSetting(ctx, ['doveadm_port', 'doveadm_password'], ['doveadm_password = ', password])], true)];
});

const passwordWeak = provider((ctx) => {
  const entry = ctx.facts.password.entry;
  if (!entry || entry.node.valueKind === 'file') return [];
  return [makeFix('Replace doveadm_password with a generated one (use the same on the peer)', [ctx.editor.replaceValue(entry, ph(generatePassword()))], true)];
});

const listenerMissing = provider((ctx) => {
  const { facts, editor } = ctx;
  const listener: Text[] = ['inet_listener {', ['  port = ', portPart(facts)], ...(facts.replica?.transport === 'tcps' ? ['  ssl = yes'] : []), '}'];
  const into = facts.doveadmService && editor.insertIntoSection(facts.doveadmService, listener);
  const edit = into ?? insertTopLevelSection(ctx, isService, ['service doveadm {', ...nested(listener), '}']);
  return [makeFix('Add a doveadm inet_listener', [edit], true)];
});

const listenerHttp = provider((ctx) => {
  const placed = sectionAt(ctx.quick.analysis.model, ctx.quick.file, ctx.quick.diagnostic.range);
  if (!placed?.node.nameRange) return [];
  const range = { start: placed.node.typeRange.end, end: placed.node.nameRange.end };
  return [makeFix('Remove the name http from the listener', [{ file: placed.file, range, text: '' }], true)];
});

function ownListener(facts: ReplicationFacts): InetListener | undefined {
  return listenerFor(facts, replicaPort(facts));
}

function listenerSsl(editor: TreeEditor, listener: InetListener | undefined, value: 'yes' | 'no'): PlannedEdit | undefined {
  return listener && setInSection(editor, listener.section, 'ssl', value);
}

const tcpsListenerNoSsl = provider((ctx) => {
  const edit = listenerSsl(ctx.editor, ownListener(ctx.facts), 'yes');
  return [edit && makeFix('Set ssl = yes on the doveadm listener', [edit], true), setReplica(ctx, 'Use tcp: in mail_replica (unencrypted)', { transport: 'tcp' }, false)];
});

/** TLS first: the fix that keeps the link encrypted is listed first and is the only preferred one. */
const tcpToSslListener = provider((ctx) => {
  const toTcps = setReplica(ctx, 'Use tcps: in mail_replica', { transport: 'tcps' }, true);
  const edit = listenerSsl(ctx.editor, ownListener(ctx.facts), 'no');
  return [toTcps, edit && makeFix('Set ssl = no on the doveadm listener (unencrypted)', [edit], false)];
});

const tcpsNoClientCa = provider((ctx) => [makeFix('Set ssl_client_ca_file', [insertTopLevelSetting(ctx, ['ssl', 'ssl_cert', 'ssl_key', 'ssl_client_ca_dir'], ['ssl_client_ca_file = ', ph('/etc/dovecot/ca.pem')])], true)]);

const tcpsSslDisabled = provider((ctx) => replaceSetting(ctx, 'Set ssl = yes', 'yes'));

const tcpsNoServerCert = provider((ctx) => {
  const missing = ['ssl_cert', 'ssl_key'].filter((key) => ctx.quick.analysis.effective.value(key).value === '');
  const paths: Record<string, string> = { ssl_cert: '/etc/dovecot/private/dovecot.pem', ssl_key: '/etc/dovecot/private/dovecot.key' };
  const lines: Text[] = missing.map((key) => [`${key} = <`, ph(paths[key])]);
  return [makeFix(`Set ${missing.join(' and ')}`, [insertTopLevelSetting(ctx, ['ssl', 'ssl_cert', 'ssl_key'], ...lines)], true)];
});

// ------------------------------------------------------------------------ service listeners --

function aggregatorSection(user: Part, unit: string): Text[] {
  return ['service aggregator {', ...nested(['fifo_listener replication-notify-fifo {', ['  user = ', user], '}', 'unix_listener replication-notify {', ['  user = ', user], '}'], unit), '}'];
}

function replicatorSection(user: Part, unit: string): Text[] {
  return ['service replicator {', `${unit}process_min_avail = 1`, ...nested(['unix_listener replicator-doveadm {', '  mode = 0600', ['  user = ', user], '}'], unit), '}'];
}

/** Makes a listener of a service owned by the mail user (and optionally sets its mode). */
function ownListenerFix(ctx: FixContext, serviceName: string, kind: 'fifo_listener' | 'unix_listener', name: string, mode?: string): PlannedEdit[] {
  const { editor, facts } = ctx;
  const user = mailUser(facts);
  const listener = fileListener(facts.view, serviceName, kind, name);
  const unit = editor.indentUnit(afterAnchor(ctx).file);
  if (!listener.service) {
    const section = serviceName === 'aggregator' ? aggregatorSection(user, unit) : replicatorSection(user, unit);
    return [insertTopLevelSection(ctx, isService, section)];
  }
  if (!listener.section) {
    const body: Text[] = [...(mode ? [`  mode = ${mode}`] : []), ['  user = ', user]];
    const edit = editor.insertIntoSection(listener.service, [`${kind} ${name} {`, ...body, '}']);
    return edit ? [edit] : [];
  }
  const edits: PlannedEdit[] = [];
  const userEdit = setInSection(editor, listener.section, 'user', user);
  if (mode) {
    const modeEdit = setInSection(editor, listener.section, 'mode', mode);
    if (modeEdit) edits.push(modeEdit);
  }
  if (userEdit) edits.push(userEdit);
  // Two insertions at the same place must keep their order: mode first, then user.
  return edits;
}

const fifoPermissions = provider((ctx) => [makeFix('Let the mail user write replication-notify-fifo', ownListenerFix(ctx, 'aggregator', 'fifo_listener', 'replication-notify-fifo'), true)]);
const socketPermissions = provider((ctx) => [makeFix('Let the mail user use replication-notify', ownListenerFix(ctx, 'aggregator', 'unix_listener', 'replication-notify'), true)]);

// The listener's owner is the only statement of the mail user: make it explicit, so every replication
// listener is then checked against it (mail_uid also makes Dovecot run all mail processes as that user).
const listenerOwnerUnverified = provider((ctx) => {
  const user = (ctx.quick.diagnostic.data as { user?: unknown } | undefined)?.user;
  if (typeof user !== 'string' || !/^[\w.-]+$/.test(user)) return [];
  return [makeFix(`Run the mail processes as ${user} (mail_uid = ${user})`, [insertTopLevelSetting(ctx, ['mail_uid', 'mail_gid', 'first_valid_uid', 'mail_location'], `mail_uid = ${user}`)])];
});

const replicatorMinAvail = provider((ctx) => {
  const service = ctx.quick.analysis.effective.section('service', 'replicator');
  if (!service) return [makeFix('Add service replicator with process_min_avail = 1', ownListenerFix(ctx, 'replicator', 'unix_listener', 'replicator-doveadm', '0600'), true)];
  const edit = setInSection(ctx.editor, service, 'process_min_avail', '1');
  return [edit && makeFix('Set process_min_avail = 1', [edit], true)];
});

const replicatorDoveadm = provider((ctx) => [makeFix('Create replicator-doveadm as mode 0600 for the mail user', ownListenerFix(ctx, 'replicator', 'unix_listener', 'replicator-doveadm', '0600'), true)]);
const replicatorWorldWritable = replicatorDoveadm;

// ----------------------------------------------------------------------------------- others --

const maxConns = provider((ctx) => replaceSetting(ctx, 'Use the default replication_max_conns = 10', '10'));

const syncTimeout = provider((ctx) => {
  const digits = /^\s*(\d+)/.exec(ctx.entry?.node.value ?? '')?.[1];
  return replaceSetting(ctx, 'Write replication_sync_timeout in plain seconds', digits ?? ph('2'));
});

const settingInPlugin = provider((ctx) => {
  const entry = ctx.entry;
  const plugin = entry?.frames[entry.frames.length - 1];
  if (!entry || !plugin || plugin.file !== entry.file || entry.frames.length !== 1 || !ctx.editor.isTopLevelFile(entry.file)) return [];
  const header = plugin.section.headerRange.start.line;
  const indent = ctx.editor.indentOf(entry.file, header);
  const { start, end } = entry.node.range;
  return [makeFix(`Move ${entry.node.key} out of plugin { }`, [
    ctx.editor.insertLines(entry.file, header, [`${indent}${entry.node.key} = ${entry.node.rawValue}`]),
    ctx.editor.deleteLines(entry.file, start.line, end.line),
  ], true)];
});

const userdbNotIterable = provider((ctx) => {
  const lines: Text[] = ['userdb {', '  driver = passwd-file', ['  args = ', ph('username_format=%u /etc/dovecot/users')], '}'];
  return [makeFix('Add a passwd-file userdb the replicator can list users from', [insertTopLevelSection(ctx, (type) => type === 'userdb', lines)], true)];
});

// ------------------------------------------------------------------------------- two hosts --

/** The peer's password in a form that reads the same bytes on this host. */
function peerPasswordText(ctx: FixContext): string | undefined {
  const entry = peerFacts(ctx)?.facts.password.entry;
  if (!entry) return undefined;
  if (entry.node.valueKind !== 'file') return entry.node.rawValue;
  return `<${path.resolve(path.dirname(entry.file), entry.node.value)}`;
}

const peerPasswordMismatch = provider((ctx) => {
  const text = peerPasswordText(ctx);
  return text === undefined || !ctx.facts.password.entry ? [] : [makeFix('Use the peer\'s doveadm_password', [ctx.editor.replaceValue(ctx.facts.password.entry, text)], true)];
});

/** Fixes that edit the peer's listener are preferred when this host is consistent with its own listener. */
function peerListener(ctx: FixContext): { listener: InetListener; editor: TreeEditor } | undefined {
  const peer = peerFacts(ctx);
  const listener = peer && (listenerFor(peer.facts, replicaPort(ctx.facts)) ?? peer.facts.dsyncListeners[0]);
  return peer && listener ? { listener, editor: peer.editor } : undefined;
}

const peerPortMismatch = provider((ctx) => {
  const peer = peerListener(ctx);
  const port = replicaPort(ctx.facts);
  if (!peer || port === undefined) return [];
  const selfConsistent = ctx.facts.dsyncListeners.some((listener) => listener.port === port);
  const onPeer = setInSection(peer.editor, peer.listener.section, 'port', String(port));
  const here = ctx.entry?.node.key === 'doveadm_port'
    ? replaceSetting(ctx, `Use the peer's port ${peer.listener.port}`, String(peer.listener.port))[0]
    : setReplica(ctx, `Use the peer's port ${peer.listener.port}`, { port: String(peer.listener.port) }, !selfConsistent);
  const there = onPeer && makeFix(`Make the peer listen on ${replicaPortPhrase(ctx.facts)}`, [onPeer], selfConsistent);
  return selfConsistent ? [there, here] : [here, there];
});

/** tcps: toward the peer, and (configs being symmetric) this host's own plain doveadm listener to ssl = yes. */
function useTcpsWithOwnListener(ctx: FixContext): QuickFix | undefined {
  const replica = ctx.facts.replica;
  if (!replica || replica.entry.node.valueKind === 'file') return undefined;
  const own = ownListener(ctx.facts);
  const ownSsl = own && !own.ssl ? listenerSsl(ctx.editor, own, 'yes') : undefined;
  const title = ownSsl ? "Use tcps: in mail_replica and ssl = yes on this host's doveadm listener" : 'Use tcps: in mail_replica';
  return makeFix(title, [ctx.editor.replaceValue(replica.entry, replicaText(replica, { transport: 'tcps' })), ...(ownSsl ? [ownSsl] : [])], true);
}

/** TLS first: toward an `ssl = yes` peer use tcps:, toward a plain one turn its TLS on; the unencrypted way is never preferred. */
const peerTransportMismatch = provider((ctx) => {
  const peer = peerListener(ctx);
  const transport = ctx.facts.replica?.transport;
  if (!peer || (transport !== 'tcp' && transport !== 'tcps')) return [];
  const onPeer = listenerSsl(peer.editor, peer.listener, transport === 'tcps' ? 'yes' : 'no');
  if (transport === 'tcp') {
    return [
      useTcpsWithOwnListener(ctx),
      onPeer && makeFix("Set ssl = no on the peer's doveadm listener (unencrypted)", [onPeer], false),
    ];
  }
  return [
    onPeer && makeFix("Set ssl = yes on the peer's doveadm listener", [onPeer], true),
    setReplica(ctx, 'Use tcp: in mail_replica (unencrypted)', { transport: 'tcp' }, false),
  ];
});

const peerNotPointingBack = provider((ctx) => {
  const address = peerListener(ctx)?.listener.addresses.find((candidate) => !['*', '::'].includes(candidate));
  return address ? [setReplica(ctx, `Point mail_replica at the peer (${address})`, { host: address })] : [];
});

/** Quick fixes of the dsync replication rules, keyed by rule id (listed in quickFixTable.ts). */
export const REPLICATION_FIXES = {
  'replication-notify-missing': notifyMissing,
  'replication-plugin-missing': pluginMissing,
  'replication-protocol-plugins-dropped': protocolPluginsDropped,
  'mail-replica-missing': replicaMissing,
  'mail-replica-malformed': replicaMalformed,
  'mail-replica-outside-plugin': replicaOutsidePlugin,
  'mail-replica-self': replicaSelf,
  'doveadm-port-missing': portMissing,
  'doveadm-password-missing': passwordMissing,
  'doveadm-listener-missing': listenerMissing,
  'doveadm-port-mismatch': portMismatch,
  'doveadm-listener-http': listenerHttp,
  'tcps-listener-no-ssl': tcpsListenerNoSsl,
  'tcp-to-ssl-listener': tcpToSslListener,
  'tcps-no-client-ca': tcpsNoClientCa,
  'tcps-ssl-disabled': tcpsSslDisabled,
  'tcps-no-server-cert': tcpsNoServerCert,
  'aggregator-fifo-permissions': fifoPermissions,
  'aggregator-socket-permissions': socketPermissions,
  'replication-listener-owner-unverified': listenerOwnerUnverified,
  'replicator-min-avail': replicatorMinAvail,
  'replicator-doveadm-socket': replicatorDoveadm,
  'replicator-doveadm-world-writable': replicatorWorldWritable,
  'replication-max-conns-invalid': maxConns,
  'replication-sync-timeout-invalid': syncTimeout,
  'replication-setting-in-plugin': settingInPlugin,
  'userdb-not-iterable': userdbNotIterable,
  'doveadm-password-weak': passwordWeak,
  'peer-password-mismatch': peerPasswordMismatch,
  'peer-port-mismatch': peerPortMismatch,
  'peer-transport-mismatch': peerTransportMismatch,
  'peer-not-pointing-back': peerNotPointingBack,
} satisfies Record<string, QuickFixProvider>;
