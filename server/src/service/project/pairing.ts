// Which root configuration is the other host of a replication pair: the project file's pair wins over the
// editor setting's pairs, which win over automatic pairing of two analysed roots that name each other.
import { deriveReplicationFacts, replicatesTo } from '../analysis/replicationFacts';
import type { TreeAnalysis } from '../languageService';
import type { FileHost } from '../model/host';

export interface PairingSources {
  /** The peer the project file names for the root, if any. */
  projectPeer?: string;
  /** The `dovecot.replication.peers` pairs, each side resolved (undefined: not a usable file); asked only when needed. */
  settingPairs: () => readonly (readonly [string | undefined, string | undefined])[];
  /** The roots analysed so far; automatic pairing looks only at these. */
  analysed: ReadonlyMap<string, TreeAnalysis>;
  /** Roots that cannot pair (documents without a file). */
  excluded: (root: string) => boolean;
  host: FileHost;
}

export function peerRootFor(root: string, sources: PairingSources): string | undefined {
  if (sources.projectPeer) return sources.projectPeer;
  for (const [first, second] of sources.settingPairs()) {
    if (first === root && second) return second;
    if (second === root && first) return first;
  }
  return automaticPeer(root, sources);
}

/** Two analysed roots whose `mail_replica` hosts name each other's doveadm listeners form a pair. */
function automaticPeer(root: string, sources: PairingSources): string | undefined {
  const own = sources.analysed.get(root);
  if (!own || sources.excluded(root)) return undefined;
  const pointsAt = (from: TreeAnalysis, to: TreeAnalysis): boolean =>
    replicatesTo(factsOf(from, sources.host), factsOf(to, sources.host));
  for (const [otherRoot, other] of sources.analysed) {
    if (otherRoot === root || sources.excluded(otherRoot)) continue;
    if (pointsAt(own, other) && pointsAt(other, own)) return otherRoot;
  }
  return undefined;
}

function factsOf(analysis: TreeAnalysis, host: FileHost) {
  return deriveReplicationFacts({ model: analysis.model, effective: analysis.effective, host });
}
