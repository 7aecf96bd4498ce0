import * as path from 'node:path';
import { isWildcardAddress } from '../model/addresses';
import type { AnalysisContext } from './analyzer';
import type { Finding } from './finding';
import {
  deriveReplicationFacts,
  isNetworkReplica,
  replicaHostShown,
  replicaPort,
  replicaPortPhrase,
  replicaPortShown,
  replicaShown,
  type ReplicationFacts,
} from './replicationFacts';

type PeerRule = (mine: ReplicationFacts, peer: ReplicationFacts, peerName: string) => Finding[];

function show(text: string): string {
  return JSON.stringify(text).replace(/^"|"$/g, '');
}

// FACTS §3.2 row 13: each side uses its own password to log in and to check logins, byte for byte.
const passwordMismatch: PeerRule = (mine, peer, peerName) => {
  const entry = mine.password.entry;
  if (!entry || mine.password.text === undefined || peer.password.text === undefined) return [];
  if (mine.password.text === '' || peer.password.text === '' || mine.password.text === peer.password.text) return [];
  const newline = mine.password.text.replace(/\n$/, '') === peer.password.text.replace(/\n$/, '');
  return [
    {
      code: 'peer-password-mismatch',
      file: entry.file,
      range: entry.node.valueRange,
      message: `doveadm_password differs from the peer's (${peerName})${newline ? ' only by a trailing newline (a <file value keeps the newline of its file)' : ''}: both directions fail with "doveadm authentication failed ()" and the server side logs "doveadm client authenticated with wrong password". Use the same password source on both hosts.`,
      // A reference to the peer's setting, never its value: diagnostic data travels to the client (and its traces).
      data: peer.password.entry
        ? {
            peerFile: peer.password.entry.file,
            peerLine: peer.password.entry.node.range.start.line,
            peerSetting: 'doveadm_password',
          }
        : undefined,
      related: peer.password.entry
        ? [
            {
              file: peer.password.entry.file,
              range: peer.password.entry.node.valueRange,
              message: "the peer's doveadm_password",
            },
          ]
        : undefined,
    },
  ];
};

function replicaPlace(mine: ReplicationFacts) {
  const replica = mine.replica!;
  const entry = replica.port === undefined && mine.doveadmPort.entry ? mine.doveadmPort.entry : replica.entry;
  return { file: entry.file, range: entry.node.valueRange };
}

const portMismatch: PeerRule = (mine, peer, peerName) => {
  const port = replicaPort(mine);
  if (!isNetworkReplica(mine) || port === undefined || peer.dsyncListeners.length === 0) return [];
  if (peer.dsyncListeners.some((listener) => listener.port === port)) return [];
  const ports = peer.dsyncListeners.map((listener) => listener.port);
  return [
    {
      code: 'peer-port-mismatch',
      ...replicaPlace(mine),
      message: `This host connects to ${replicaPortPhrase(mine)}, but the peer (${peerName}) has its doveadm listener on port ${ports.join(', ')}: every sync fails with "Fatal: connect(${replicaHostShown(mine.replica!)}:${replicaPortShown(mine)}) failed: Connection refused". Use port ${ports[0]}.`,
      data: { peerPort: ports[0] },
      related: [
        {
          file: peer.dsyncListeners[0].header.file,
          range: peer.dsyncListeners[0].header.node.headerRange,
          message: "the peer's doveadm listener",
        },
      ],
    },
  ];
};

const transportMismatch: PeerRule = (mine, peer, peerName) => {
  if (!isNetworkReplica(mine)) return [];
  const listener = peer.dsyncListeners.find((candidate) => candidate.port === replicaPort(mine));
  if (!listener) return [];
  const transport = mine.replica!.transport;
  if ((transport === 'tcps') === listener.ssl) return [];
  const symptom =
    transport === 'tcps'
      ? 'the peer logs "doveadm client not compatible with this server (mixed old and new binaries?)"'
      : 'the peer logs "SSL_accept() failed: ... wrong version number"';
  return [
    {
      code: 'peer-transport-mismatch',
      file: mine.replica!.entry.file,
      range: mine.replica!.entry.node.valueRange,
      message: `This host uses ${transport}: but the peer's (${peerName}) doveadm listener on port ${listener.port} is ${listener.ssl ? 'ssl = yes' : 'not ssl'}: ${symptom}. Use ${listener.ssl ? 'tcps:' : 'tcp:'}.`,
      data: { peerTransport: listener.ssl ? 'tcps' : 'tcp' },
      related: [
        { file: listener.header.file, range: listener.header.node.headerRange, message: "the peer's doveadm listener" },
      ],
    },
  ];
};

// My mail_replica must name the peer; when the peer listens on a wildcard we cannot tell (no DNS here).
const notPointingBack: PeerRule = (mine, peer, peerName) => {
  const host = mine.replica?.host;
  if (!isNetworkReplica(mine) || !host) return [];
  const port = replicaPort(mine);
  const listener = peer.dsyncListeners.find((candidate) => candidate.port === port) ?? peer.dsyncListeners[0];
  if (!listener || listener.addresses.length === 0 || listener.addresses.some(isWildcardAddress)) return [];
  const addresses = listener.addresses.map((address) => address.replace(/^\[|\]$/g, ''));
  if (addresses.includes(host)) return [];
  const isIp = (text: string) => /^[\d.]+$|:/.test(text);
  if (!isIp(host) || !addresses.every(isIp)) return [];
  return [
    {
      code: 'peer-not-pointing-back',
      file: mine.replica!.entry.file,
      range: mine.replica!.entry.node.valueRange,
      message: `mail_replica ${mine.replica!.fromFile ? `${replicaShown(mine.replica!)} names another host` : `names ${host}`}, but the peer (${peerName}) listens for doveadm on ${addresses.join(', ')}: this pair does not point at each other, so changes made here do not reach that peer. Use ${addresses[0]}.`,
      data: { peerAddress: addresses[0] },
    },
  ];
};

const PEER_RULES: readonly PeerRule[] = [passwordMismatch, portMismatch, transportMismatch, notPointingBack];

/** Checks that need both hosts of a replication pair (`--peer`, `dovecot.replication.peers`). */
export function peerChecks(context: AnalysisContext): Finding[] {
  if (!context.peer) return [];
  const mine = deriveReplicationFacts(context);
  const peer = deriveReplicationFacts({
    model: context.peer.model,
    effective: context.peer.effective,
    host: context.host,
  });
  if (!mine.configured || !peer.configured) return [];
  const peerName = path.basename(path.dirname(context.peer.model.root)) + '/' + path.basename(context.peer.model.root);
  return PEER_RULES.flatMap((rule) => rule(mine, peer, show(peerName)));
}
