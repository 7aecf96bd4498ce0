// Quick fixes across the two hosts of a replication pair: the same password, ports and transport on both sides.
import * as path from 'node:path';
import { listenerFor, replicaPort, replicaPortPhrase, type InetListener } from '../../analysis/replicationFacts';
import { makeFix, type TreeEditor } from '../fixEdits';
import type { PlannedFix } from '../quickFix';
import {
  listenerSsl,
  ownListener,
  peerFacts,
  provider,
  replaceSetting,
  replicaText,
  setInSection,
  setReplica,
  type FixContext,
} from './fixContext';

/** The peer's password in a form that reads the same bytes on this host. */
function peerPasswordText(ctx: FixContext): string | undefined {
  const entry = peerFacts(ctx)?.facts.password.entry;
  if (!entry) return undefined;
  if (entry.node.valueKind !== 'file') return entry.node.rawValue;
  return `<${path.resolve(path.dirname(entry.file), entry.node.value)}`;
}

export const peerPasswordMismatch = provider((ctx) => {
  const text = peerPasswordText(ctx);
  const own = ctx.facts.password.entry;
  return text === undefined || !own
    ? []
    : [makeFix("Use the peer's doveadm_password", [ctx.editor.replaceValue(own, text)], true)];
});

/** Fixes that edit the peer's listener are preferred when this host is consistent with its own listener. */
function peerListener(ctx: FixContext): { listener: InetListener; editor: TreeEditor } | undefined {
  const peer = peerFacts(ctx);
  const listener = peer && (listenerFor(peer.facts, replicaPort(ctx.facts)) ?? peer.facts.dsyncListeners[0]);
  return peer && listener ? { listener, editor: peer.editor } : undefined;
}

export const peerPortMismatch = provider((ctx) => {
  const peer = peerListener(ctx);
  const port = replicaPort(ctx.facts);
  if (!peer || port === undefined) return [];
  const selfConsistent = ctx.facts.dsyncListeners.some((listener) => listener.port === port);
  const onPeer = setInSection(peer.editor, peer.listener.section, 'port', String(port));
  const here =
    ctx.entry?.node.key === 'doveadm_port'
      ? replaceSetting(ctx, `Use the peer's port ${peer.listener.port}`, String(peer.listener.port))[0]
      : setReplica(
          ctx,
          `Use the peer's port ${peer.listener.port}`,
          { port: String(peer.listener.port) },
          !selfConsistent,
        );
  const there = onPeer && makeFix(`Make the peer listen on ${replicaPortPhrase(ctx.facts)}`, [onPeer], selfConsistent);
  return selfConsistent ? [there, here] : [here, there];
});

/** tcps: toward the peer, and (configs being symmetric) this host's own plain doveadm listener to ssl = yes. */
function useTcpsWithOwnListener(ctx: FixContext): PlannedFix | undefined {
  const replica = ctx.facts.replica;
  if (!replica || replica.entry.node.valueKind === 'file') return undefined;
  const own = ownListener(ctx.facts);
  const ownSsl = own && !own.ssl ? listenerSsl(ctx.editor, own, 'yes') : undefined;
  const title = ownSsl
    ? "Use tcps: in mail_replica and ssl = yes on this host's doveadm listener"
    : 'Use tcps: in mail_replica';
  return makeFix(
    title,
    [ctx.editor.replaceValue(replica.entry, replicaText(replica, { transport: 'tcps' })), ...(ownSsl ? [ownSsl] : [])],
    true,
  );
}

/** TLS first: toward an `ssl = yes` peer use tcps:, toward a plain one turn its TLS on; the unencrypted way is never preferred. */
export const peerTransportMismatch = provider((ctx) => {
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

export const peerNotPointingBack = provider((ctx) => {
  const address = peerListener(ctx)?.listener.addresses.find((candidate) => !['*', '::'].includes(candidate));
  return address ? [setReplica(ctx, `Point mail_replica at the peer (${address})`, { host: address })] : [];
});
