// Proposes the doveadm HTTP API URL of each host of a known pair from its configuration: the
// `inet_listener http` of `service doveadm` (its port and ssl), reached at the listener's address, or,
// when it listens on a wildcard, at the address the peer's `mail_replica` uses for this host.
// Only a proposal: the admin confirms it before anything is contacted (a workspace must not choose a
// server the API key is sent to).
import * as path from 'node:path';
import { deriveReplicationFacts, type ReplicationFacts } from '../analysis/replicationFacts';
import type { TreeAnalysis } from '../languageService';
import { isHostAddress } from '../model/addresses';
import type { FileHost } from '../model/host';

export interface ProposedHost {
  name: string;
  root: string;
  url?: string;
  /** Why no URL can be proposed. */
  problem?: string;
}

function urlHost(address: string): string {
  const bare = address.replace(/^\[(.*)\]$/, '$1');
  return bare.includes(':') ? `[${bare}]` : bare;
}

/** The host's name for people: its `hostname`, else the folder of its root (not a generic `dovecot`/`etc`). */
function nameOf(root: string, facts: ReplicationFacts, address: string | undefined): string {
  const hostname = facts.view.effective.value('hostname').value;
  if (hostname) return hostname;
  const folder = path.basename(path.dirname(root));
  if (!['dovecot', 'etc', ''].includes(folder)) return folder;
  return address ?? root;
}

export function proposeHost(root: string, facts: ReplicationFacts, peerFacts?: ReplicationFacts): ProposedHost {
  const listener = facts.httpListeners.find((candidate) => candidate.port !== undefined && candidate.port > 0);
  const fallback = peerFacts?.replica?.host;
  const address = listener?.addresses.find(isHostAddress) ?? fallback;
  const name = nameOf(root, facts, address);
  if (!listener)
    return {
      name,
      root,
      problem:
        'no service doveadm { inet_listener http { port = ... } } in this configuration (the doveadm HTTP API is off)',
    };
  if (!address)
    return {
      name,
      root,
      problem: 'the http listener binds to a wildcard and no peer names this host: set the URL by hand',
    };
  return { name, root, url: `${listener.ssl ? 'https' : 'http'}://${urlHost(address)}:${listener.port}` };
}

/**
 * The proposals for a tree and, when its peer is known, for the peer: each host's URL from its own
 * configuration, the other's `mail_replica` standing in where a listener binds a wildcard.
 */
export function pairHostProposals(own: TreeAnalysis, peer: TreeAnalysis | undefined, host: FileHost): ProposedHost[] {
  const factsOf = (tree: TreeAnalysis): ReplicationFacts =>
    deriveReplicationFacts({ model: tree.model, effective: tree.effective, host });
  const ownFacts = factsOf(own);
  if (!peer) return [proposeHost(own.root, ownFacts)];
  const peerFacts = factsOf(peer);
  return [proposeHost(own.root, ownFacts, peerFacts), proposeHost(peer.root, peerFacts, ownFacts)];
}
