import * as path from 'node:path';
import type { Range } from 'vscode-languageserver-types';
import { isWildcardAddress } from '../model/addresses';
import { contextOf, isInFilter, type Placed } from '../model/model';
import type { SectionNode, SettingNode } from '../syntax/nodes';
import type { AnalysisContext } from './analyzer';
import type { Finding } from './finding';
import type { RuleId } from './rules';
import {
  MAIL_WRITING_PROTOCOLS,
  deriveReplicationFacts,
  fileListener,
  fileValueShown,
  isNetworkReplica,
  listenerFor,
  mailUserName,
  replicaHostShown,
  replicaPort,
  replicaPortPhrase,
  replicaPortShown,
  replicaShown,
  settingText,
  tokensOf,
  writableByMailUser,
  type FileListener,
  type ReplicationFacts,
} from './replicationFacts';

/** One replication rule's test over the derived facts. */
type FactCheck = (facts: ReplicationFacts) => Finding[];

const WEAK_PASSWORDS = new Set([
  'password',
  'passw0rd',
  'secret',
  'changeme',
  'change-me',
  'dovecot',
  'doveadm',
  'admin',
  'root',
  'test',
  'default',
  '123456',
  '12345678',
  'qwerty',
  'letmein',
  'replication',
  'supersecret',
  'secretpassword',
]);
/** The snippets' password tab stop: long enough to pass the length test, but the same for everyone. */
const SNIPPET_PASSWORD_PLACEHOLDER = 'same-long-random-secret-on-both-hosts';
const MIN_PASSWORD_LENGTH = 16;

function where(entry: { file: string; node: { range: Range } }): string {
  return `${path.basename(entry.file)}:${entry.node.range.start.line + 1}`;
}

function finding(code: RuleId, file: string, range: Range, message: string, data?: Record<string, unknown>): Finding {
  return data ? { code, file, range, message, data } : { code, file, range, message };
}

function onSetting(code: RuleId, entry: Placed<SettingNode>, message: string, data?: Record<string, unknown>): Finding {
  return finding(code, entry.file, entry.node.valueRange, message, data);
}

function onAnchor(code: RuleId, facts: ReplicationFacts, message: string, data?: Record<string, unknown>): Finding[] {
  return facts.anchor ? [finding(code, facts.anchor.file, facts.anchor.range, message, data)] : [];
}

/** A protocol value built from `$mail_plugins` after the global one: fixing the global line fixes it. */
function inheritsBadGlobal(facts: ReplicationFacts, entry: Placed<SettingNode>): boolean {
  const global = facts.globalPlugins;
  const usesGlobal = entry.node.variables.some((variable) => variable.name === 'mail_plugins');
  return (
    usesGlobal &&
    global.entry !== undefined &&
    global.entry.order < entry.order &&
    global.tokens.includes('replication') &&
    !global.tokens.includes('notify')
  );
}

// FACTS §3.2 row 1: lib20_replication needs lib15_notify in the same process.
const notifyMissing: FactCheck = (facts) => {
  const { effective } = facts.view;
  const blamed = new Map<Placed<SettingNode>, string[]>();
  const contexts: (string | undefined)[] = [undefined, ...MAIL_WRITING_PROTOCOLS];
  for (const protocol of contexts) {
    const value = effective.value('mail_plugins', protocol ? { protocol } : {});
    const tokens = tokensOf(value.value);
    if (!value.entry || value.unknown || !tokens.includes('replication') || tokens.includes('notify')) continue;
    const filtered = isInFilter(value.entry.frames);
    if (filtered && inheritsBadGlobal(facts, value.entry)) continue;
    const protocols = blamed.get(value.entry) ?? [];
    blamed.set(value.entry, protocol && filtered ? [...protocols, protocol] : protocols);
  }
  return [...blamed].map(([entry, protocols]) =>
    onSetting(
      'replication-notify-missing',
      entry,
      `mail_plugins loads replication without notify${protocols.length > 0 ? ` (for ${protocols.join(', ')})` : ''}: every mail process that loads it dies with "Fatal: Couldn't load required plugin .../lib20_replication_plugin.so: Plugin notify must be loaded also", so delivery fails. Add notify: mail_plugins = $mail_plugins notify replication.`,
    ),
  );
};

const pluginMissing: FactCheck = (facts) => {
  if (facts.globalPlugins.unknown || facts.globalPlugins.tokens.includes('replication')) return [];
  const entry = facts.globalPlugins.entry;
  const message =
    'Replication is configured, but the global mail_plugins does not load replication: mail processes never notify the replicator and changes are not replicated (Dovecot logs nothing). Add it: mail_plugins = $mail_plugins notify replication.';
  return entry
    ? [onSetting('replication-plugin-missing', entry, message)]
    : onAnchor('replication-plugin-missing', facts, message);
};

// FACTS §3.2 row 2, §1.7: a protocol value is expanded when read, so a later global change misses it.
const protocolPluginsDropped: FactCheck = (facts) => {
  const global = facts.globalPlugins;
  const wanted = ['notify', 'replication'].filter((plugin) => global.tokens.includes(plugin));
  if (global.unknown || !global.tokens.includes('replication')) return [];
  const blamed = new Map<Placed<SettingNode>, { protocols: string[]; dropped: string[] }>();
  for (const protocol of MAIL_WRITING_PROTOCOLS) {
    const value = facts.view.effective.value('mail_plugins', { protocol });
    if (!value.entry || value.unknown || !isInFilter(value.entry.frames)) continue;
    const tokens = tokensOf(value.value);
    const dropped = wanted.filter((plugin) => !tokens.includes(plugin));
    if (dropped.length === 0) continue;
    const known = blamed.get(value.entry) ?? { protocols: [], dropped };
    known.protocols.push(protocol);
    blamed.set(value.entry, known);
  }
  return [...blamed].map(([entry, { protocols, dropped }]) => {
    const frozen =
      entry.node.variables.some((variable) => variable.name === 'mail_plugins') &&
      global.entry &&
      global.entry.order > entry.order;
    const why = frozen
      ? `this block is read before the global mail_plugins at ${where(global.entry!)}, so $mail_plugins here expanded to the older value`
      : 'the value does not start with $mail_plugins';
    return onSetting(
      'replication-protocol-plugins-dropped',
      entry,
      `mail_plugins for ${protocols.join(', ')} lacks ${dropped.join(' and ')}: ${why}. Mail written by ${protocols.join(', ')} is not replicated until the next full sync (nothing is logged). Add ${dropped.join(' ')} here.`,
      { dropped, frozen: Boolean(frozen) },
    );
  });
};

const replicaMissing: FactCheck = (facts) => {
  const loaded = facts.view.effective
    .assignments('mail_plugins')
    .some((entry) => tokensOf(entry.node.value).includes('replication'));
  if (!loaded || facts.replica || facts.replicaUnknown || facts.replicaFromUserdb || facts.topLevelReplica) return [];
  return onAnchor(
    'mail-replica-missing',
    facts,
    'The replication plugin is loaded but no plugin { mail_replica } is set (nor a userdb mail_replica field): every sync fails with "Error: User has no mail_replica in userdb". Add plugin { mail_replica = tcp:PEER:PORT }.',
  );
};

const replicaMalformed: FactCheck = (facts) => {
  const replica = facts.replica;
  if (!replica?.problem) return [];
  return [
    onSetting(
      'mail-replica-malformed',
      replica.entry,
      `mail_replica ${replica.problem}. Use tcp:HOST:PORT, tcps:HOST:PORT, remote:[login@]host or remoteprefix:[login@]host.`,
    ),
  ];
};

function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\./.test(host);
}

const replicaSelf: FactCheck = (facts) => {
  const replica = facts.replica;
  if (!isNetworkReplica(facts) || !replica?.host) return [];
  const port = replicaPort(facts);
  const own = facts.dsyncListeners.find(
    (listener) =>
      listener.port === port &&
      listener.addresses.some(
        (address) => address === replica.host || (isLoopback(replica.host!) && isWildcardAddress(address)),
      ),
  );
  if (!own) return [];
  return [
    onSetting(
      'mail-replica-self',
      replica.entry,
      `mail_replica ${replicaShown(replica)} is this host's own doveadm listener (${own.addresses.join(', ')} port ${port}): dsync syncs the user with itself, waits on its own lock ("Failed to lock mailbox INBOX for dsyncing: ... Timed out after 30 seconds") and nothing reaches the peer. Point mail_replica at the other host.`,
    ),
  ];
};

const portMissing: FactCheck = (facts) => {
  if (!isNetworkReplica(facts) || replicaPort(facts) !== undefined || facts.doveadmPort.unknown) return [];
  const replica = facts.replica!;
  return [
    onSetting(
      'doveadm-port-missing',
      replica.entry,
      `mail_replica ${replicaShown(replica)} has no port and doveadm_port is not set: dsync connects to port 0 ("Fatal: connect(${replicaHostShown(replica)}:0) failed: Connection refused"). Add :PORT or set doveadm_port.`,
    ),
  ];
};

const passwordMissing: FactCheck = (facts) => {
  if (!isNetworkReplica(facts) || facts.password.text === undefined || facts.password.text !== '') return [];
  const message = `Replicating over ${facts.replica!.transport}: without doveadm_password dsync cannot log in to the peer ("doveadm_password not set, can't authenticate to remote server") and the peer refuses this host too. Set the same doveadm_password on both hosts.`;
  const entry = facts.password.entry;
  return [
    entry
      ? onSetting('doveadm-password-missing', entry, message)
      : onSetting('doveadm-password-missing', facts.replica!.entry, message),
  ];
};

const listenerMissing: FactCheck = (facts) => {
  if (!isNetworkReplica(facts) || facts.dsyncListeners.length > 0 || facts.httpListeners.length > 0) return [];
  const message =
    'service doveadm has no inet_listener with a port: the peer cannot connect to this host ("Fatal: connect(HOST:PORT) failed: Connection refused" on the peer). Add inet_listener { port = N } to service doveadm.';
  const header = facts.doveadmService?.opening;
  return [
    header
      ? finding('doveadm-listener-missing', header.file, header.node.headerRange, message)
      : onSetting('doveadm-listener-missing', facts.replica!.entry, message),
  ];
};

const portMismatch: FactCheck = (facts) => {
  const port = replicaPort(facts);
  if (!isNetworkReplica(facts) || port === undefined || facts.dsyncListeners.length === 0) return [];
  if (facts.dsyncListeners.some((listener) => listener.port === port)) return [];
  const listenerPort = facts.dsyncListeners[0].port!;
  const message = `This host uses ${replicaPortPhrase(facts)} for the peer but its own doveadm listener is on port ${listenerPort}: with the same config on both hosts the peer listens on ${listenerPort} and "connect(PEER:${replicaPortShown(facts)}) failed: Connection refused". Use one port in both places.`;
  const entry = facts.replica!.port !== undefined ? facts.replica!.entry : facts.doveadmPort.entry;
  return entry ? [onSetting('doveadm-port-mismatch', entry, message, { listenerPort })] : [];
};

const listenerHttp: FactCheck = (facts) =>
  facts.httpListeners.map((listener) => {
    const node = listener.header.node;
    return finding(
      'doveadm-listener-http',
      listener.header.file,
      node.nameRange ?? node.headerRange,
      'This doveadm inet_listener is named http, which turns it into the doveadm HTTP API: a dsync peer gets "doveadm server sent invalid handshake: HTTP/1.1 400 Bad Request". Remove the name.',
    );
  });

function listenerPlace(facts: ReplicationFacts): { file: string; range: Range } | undefined {
  const listener = listenerFor(facts, replicaPort(facts));
  if (!listener) return undefined;
  if (listener.sslEntry) return { file: listener.sslEntry.file, range: listener.sslEntry.node.range };
  return { file: listener.header.file, range: listener.header.node.headerRange };
}

const transportVsListener: FactCheck = (facts) => {
  if (!isNetworkReplica(facts)) return [];
  const listener = listenerFor(facts, replicaPort(facts));
  if (!listener) return [];
  const replica = facts.replica!;
  if (replica.transport === 'tcps' && !listener.ssl) {
    const place = listenerPlace(facts)!;
    return [
      finding(
        'tcps-listener-no-ssl',
        place.file,
        place.range,
        'mail_replica uses tcps: but this doveadm listener is not ssl = yes (with the same config on the peer): the handshake fails ("doveadm client not compatible with this server (mixed old and new binaries?)"). Set ssl = yes here.',
      ),
    ];
  }
  if (replica.transport === 'tcp' && listener.ssl) {
    return [
      onSetting(
        'tcp-to-ssl-listener',
        replica.entry,
        'mail_replica uses tcp: but this host\'s doveadm listener is ssl = yes (with the same config on the peer): the server expects TLS ("SSL_accept() failed: ... wrong version number"). Use tcps: or set ssl = no on the listener.',
      ),
    ];
  }
  return [];
};

const tcpsNoClientCa: FactCheck = (facts) => {
  if (!isNetworkReplica(facts) || facts.replica!.transport !== 'tcps') return [];
  const { effective } = facts.view;
  if (effective.value('ssl_client_ca_file').value !== '' || effective.value('ssl_client_ca_dir').value !== '')
    return [];
  return [
    onSetting(
      'tcps-no-client-ca',
      facts.replica!.entry,
      'tcps: without ssl_client_ca_file or ssl_client_ca_dir: the peer certificate cannot be verified ("Received invalid SSL certificate: unable to get local issuer certificate ... (check ssl_client_ca_* settings?)"). Set ssl_client_ca_file to the CA that signed the peer\'s certificate.',
    ),
  ];
};

function sslListeners(facts: ReplicationFacts) {
  return facts.dsyncListeners.filter((listener) => listener.ssl);
}

const tcpsSslDisabled: FactCheck = (facts) => {
  const ssl = facts.view.effective.value('ssl');
  if (!ssl.entry || ssl.value !== 'no' || sslListeners(facts).length === 0) return [];
  return [
    onSetting(
      'tcps-ssl-disabled',
      ssl.entry,
      'ssl = no while the doveadm listener has ssl = yes: Dovecot silently does not create that listener ("SSL is disabled because global ssl=no") and the peer gets "Connection refused". Set ssl = yes.',
    ),
  ];
};

const tcpsNoServerCert: FactCheck = (facts) => {
  const { effective } = facts.view;
  if (effective.value('ssl').value === 'no') return [];
  const missing = ['ssl_cert', 'ssl_key'].filter((key) => effective.value(key).value === '');
  return sslListeners(facts).flatMap((listener) =>
    missing.length === 0
      ? []
      : [
          finding(
            'tcps-no-server-cert',
            listener.sslEntry!.file,
            listener.sslEntry!.node.range,
            `This doveadm listener is ssl = yes but ${missing.join(' and ')} ${missing.length > 1 ? 'are' : 'is'} not set at top level: TLS cannot start ("SSL init failed"). Set ssl_cert = </path/cert.pem and ssl_key = </path/key.pem.`,
            { missing },
          ),
        ],
  );
};

function listenerFinding(
  code: RuleId,
  facts: ReplicationFacts,
  listener: FileListener,
  message: string,
  data?: Record<string, unknown>,
): Finding[] {
  const place = listener.userEntry ?? listener.modeEntry;
  if (place) return [finding(code, place.file, place.node.range, message, data)];
  const header = listener.section?.opening ?? listener.service?.opening;
  if (header) return [finding(code, header.file, header.node.headerRange, message, data)];
  return onAnchor(code, facts, message, data);
}

function ownerText(listener: FileListener): string {
  return `owned by ${listener.user === '' ? 'root' : listener.user} with mode ${listener.modeText}`;
}

function aggregatorRule(
  code: RuleId,
  kind: 'fifo_listener' | 'unix_listener',
  name: string,
  symptom: string,
): FactCheck {
  return (facts) => {
    const listener = fileListener(facts.view, 'aggregator', kind, name);
    if (writableByMailUser(listener, facts.mailUser, facts.mailGroup) !== false) return [];
    const user = facts.mailUser ? `${facts.mailUser}, from ${facts.mailUserSource}` : 'the mail user';
    return listenerFinding(
      code,
      facts,
      listener,
      `${name} of service aggregator is ${ownerText(listener)}, not writable by the mail processes (${user}): ${symptom}. Set user = ${mailUserName(facts) ?? '<mail user>'} in ${kind} ${name}.`,
    );
  };
}

const fifoPermissions = aggregatorRule(
  'aggregator-fifo-permissions',
  'fifo_listener',
  'replication-notify-fifo',
  'every change logs "Error: open(<base_dir>/replication-notify-fifo) failed: Permission denied" and is not replicated until the next full sync',
);
const socketPermissions = aggregatorRule(
  'aggregator-socket-permissions',
  'unix_listener',
  'replication-notify',
  'synchronous replication (replication_sync_timeout) fails with "net_connect_unix(<base_dir>/replication-notify) failed: Permission denied"',
);

/** The listeners the mail processes (and dsync, running as the mail user) must be able to write. */
const MAIL_USER_LISTENERS = [
  {
    service: 'aggregator',
    kind: 'fifo_listener',
    name: 'replication-notify-fifo',
    symptom:
      'every change logs "open(<base_dir>/replication-notify-fifo) failed: Permission denied" and is not replicated until the next full sync',
  },
  {
    service: 'aggregator',
    kind: 'unix_listener',
    name: 'replication-notify',
    symptom:
      'synchronous replication fails with "net_connect_unix(<base_dir>/replication-notify) failed: Permission denied"',
  },
  {
    service: 'replicator',
    kind: 'unix_listener',
    name: 'replicator-doveadm',
    symptom: 'each dsync logs "net_connect_unix(<base_dir>/replicator-doveadm) failed: Permission denied"',
  },
] as const;

// When the configuration does not say which user the mail processes run as, say what must hold instead of staying silent.
const listenerOwnerUnverified: FactCheck = (facts) =>
  MAIL_USER_LISTENERS.flatMap((spec) => {
    const listener = fileListener(facts.view, spec.service, spec.kind, spec.name);
    if (
      facts.mailUser !== undefined ||
      !listener.userEntry ||
      listener.mode === 0 ||
      writableByMailUser(listener, facts.mailUser, facts.mailGroup) !== undefined
    )
      return [];
    if (listener.user.includes('$')) return [];
    const group = (listener.mode ?? 0) & 0o020 && listener.group !== '' ? ` or be in group ${listener.group}` : '';
    return listenerFinding(
      'replication-listener-owner-unverified',
      facts,
      listener,
      `${spec.name} of service ${spec.service} is ${ownerText(listener)}: the mail processes must run as ${listener.user}${group}, or ${spec.symptom}. This configuration does not say which user they run as (no mail_uid, no uid= in a userdb), so check it on the server, or set mail_uid.`,
      { user: listener.user },
    );
  });

const replicatorMinAvail: FactCheck = (facts) => {
  const service = facts.view.effective.section('service', 'replicator');
  const entry = service?.settings.get('process_min_avail');
  if (entry?.node.value === '1') return [];
  const message =
    'The replicator is not started at boot (process_min_avail = 1 is missing): no initial or periodic full sync happens until a change wakes it, and nothing is logged. Set process_min_avail = 1 in service replicator.';
  if (entry) return [onSetting('replicator-min-avail', entry, message)];
  const header = service?.opening;
  return header
    ? [finding('replicator-min-avail', header.file, header.node.headerRange, message)]
    : onAnchor('replicator-min-avail', facts, message);
};

const replicatorDoveadm: FactCheck = (facts) => {
  const listener = fileListener(facts.view, 'replicator', 'unix_listener', 'replicator-doveadm');
  if (listener.mode === 0) {
    return listenerFinding(
      'replicator-doveadm-socket',
      facts,
      listener,
      'replicator-doveadm has mode 0, so the socket is not created: every doveadm replicator command fails ("net_connect_unix(<base_dir>/replicator-doveadm) failed: No such file or directory"). Set mode = 0600 and user = <mail user>.',
    );
  }
  if (writableByMailUser(listener, facts.mailUser, facts.mailGroup) === false) {
    return listenerFinding(
      'replicator-doveadm-socket',
      facts,
      listener,
      `replicator-doveadm is ${ownerText(listener)}: each dsync (running as the mail user) logs "net_connect_unix(<base_dir>/replicator-doveadm) failed: Permission denied". Set user = ${mailUserName(facts) ?? '<mail user>'}.`,
    );
  }
  if (listener.mode !== undefined && (listener.mode & 0o002) !== 0 && listener.modeEntry) {
    return [
      onSetting(
        'replicator-doveadm-world-writable',
        listener.modeEntry,
        `replicator-doveadm mode ${listener.modeText} lets every local user drive the replicator. Prefer mode = 0600 with user = ${mailUserName(facts) ?? '<mail user>'}.`,
      ),
    ];
  }
  return [];
};

const maxConns: FactCheck = (facts) => {
  const value = facts.view.effective.value('replication_max_conns');
  if (!value.entry || value.value.trim() !== '0') return [];
  return [
    onSetting(
      'replication-max-conns-invalid',
      value.entry,
      'replication_max_conns = 0: the replicator starts no dsync at all and nothing is replicated. Remove it (default 10) or use a positive number.',
    ),
  ];
};

const syncTimeout: FactCheck = (facts) => {
  const entry = facts.view.effective.value('replication_sync_timeout', { context: 'plugin' }).entry;
  const text = entry ? settingText(facts.view, entry) : undefined;
  if (!entry || text === undefined || /^\d+$/.test(text.trim())) return [];
  const fromFile = fileValueShown(entry);
  const shown = fromFile ? `the value read from ${fromFile}` : `"${text.trim()}"`;
  const logged = fromFile ? 'its value' : text.trim();
  return [
    onSetting(
      'replication-sync-timeout-invalid',
      entry,
      `replication_sync_timeout must be a plain number of seconds: ${shown} gives "Invalid replication_sync_timeout value: ${logged}" in every mail process.`,
    ),
  ];
};

const NOT_ITERABLE = new Set(['static', 'prefetch', 'checkpassword']);

const userdbNotIterable: FactCheck = (facts) => {
  const userdbs = facts.view.effective.sections('userdb');
  const drivers = userdbs.map((userdb) => ({ userdb, driver: userdb.settings.get('driver') }));
  if (drivers.length === 0 || drivers.some(({ driver }) => !NOT_ITERABLE.has(driver?.node.value ?? ''))) return [];
  const first = drivers[0].driver!;
  return [
    onSetting(
      'userdb-not-iterable',
      first,
      `No userdb can list users (${drivers.map(({ driver }) => driver!.node.value).join(', ')}): the replicator logs "listing users failed, can't replicate existing data", so users without new changes are never synced. Add a userdb that can iterate (passwd-file, sql with iterate_query, ldap).`,
    ),
  ];
};

const passwordWeak: FactCheck = (facts) => {
  const { entry, text } = facts.password;
  if (!entry || text === undefined) return [];
  const secret = text.replace(/\r?\n$/, '');
  if (secret === '') return [];
  const placeholder = secret === SNIPPET_PASSWORD_PLACEHOLDER;
  const common = WEAK_PASSWORDS.has(secret.toLowerCase());
  if (!placeholder && !common && secret.length >= MIN_PASSWORD_LENGTH) return [];
  const what = placeholder
    ? "still the snippet's placeholder"
    : common
      ? 'a well-known default'
      : `only ${secret.length} characters`;
  return [
    onSetting(
      'doveadm-password-weak',
      entry,
      `doveadm_password is ${what}: anyone who reaches the doveadm port with it can read and change every mailbox. Use a long random password (at least ${MIN_PASSWORD_LENGTH} characters), the same on both hosts.`,
    ),
  ];
};

const REPLACEMENT_24 =
  'Dovecot 2.4 has no replicator, aggregator or replication plugin: use shared storage (e.g. NFS) or run doveadm sync externally.';

/**
 * A service block that wires the service up (a listener) or keeps it running (process_min_avail), as a
 * replication setup does; a block that only tunes it (`chroot =`, as some images write for every service)
 * expects nothing of it.
 */
function setsUpService(service: SectionNode): boolean {
  return service.children.some(
    (child) =>
      (child.kind === 'section' && child.type.endsWith('_listener')) ||
      (child.kind === 'setting' && child.key === 'process_min_avail' && child.value !== '0'),
  );
}

/**
 * Replication constructs that doveconf 2.4 accepts but that do nothing in 2.4: the plugin name in
 * mail_plugins and the replicator/aggregator services set up to run. (Replication settings such as
 * mail_replica are unknown to 2.4; parser24Checks reports them with doveconf's message.)
 */
export function replication24Checks(context: AnalysisContext): Finding[] {
  const findings: Finding[] = [];
  for (const entry of context.model.settings) {
    const key = entry.node.key;
    const inList = contextOf(entry.frames) === 'mail_plugins' && key === 'replication';
    if (inList || (key === 'mail_plugins' && tokensOf(entry.node.value).includes('replication'))) {
      findings.push(
        finding(
          'replication-removed-in-2.4',
          entry.file,
          entry.node.keyRange,
          `The replication plugin was removed in Dovecot 2.4. ${REPLACEMENT_24}`,
        ),
      );
    }
  }
  for (const placed of context.model.sections) {
    if (
      placed.node.type === 'service' &&
      (placed.node.name === 'replicator' || placed.node.name === 'aggregator') &&
      contextOf(placed.frames) === '' &&
      setsUpService(placed.node)
    ) {
      findings.push(
        finding(
          'replication-removed-in-2.4',
          placed.file,
          placed.node.headerRange,
          `service ${placed.node.name} was removed in Dovecot 2.4. ${REPLACEMENT_24}`,
        ),
      );
    }
  }
  return findings;
}

const FACT_CHECKS: readonly FactCheck[] = [
  notifyMissing,
  pluginMissing,
  protocolPluginsDropped,
  replicaMissing,
  replicaMalformed,
  replicaSelf,
  portMissing,
  passwordMissing,
  listenerMissing,
  portMismatch,
  listenerHttp,
  transportVsListener,
  tcpsNoClientCa,
  tcpsSslDisabled,
  tcpsNoServerCert,
  fifoPermissions,
  socketPermissions,
  listenerOwnerUnverified,
  replicatorMinAvail,
  replicatorDoveadm,
  maxConns,
  syncTimeout,
  userdbNotIterable,
  passwordWeak,
];

/** The dsync replication rules of FACTS §3 over the whole include tree (2.3 and mixed trees). */
export function replicationChecks(context: AnalysisContext): Finding[] {
  // A mixed tree that declares a 2.4 config version is headed for 2.4, which has no replication.
  const declared24 = context.dialect === 'mixed' && context.effective.assignments('dovecot_config_version').length > 0;
  if (declared24) return replication24Checks(context);
  const facts = deriveReplicationFacts(context);
  if (!facts.configured) return [];
  return FACT_CHECKS.flatMap((check) => check(facts));
}
