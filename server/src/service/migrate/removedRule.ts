// Settings and services Dovecot 2.4 removed (renames-2.3-to-2.4.json kind "removed",
// migration-2.4.json removedServices): commented out with a marker and reported.
import type { MigrationContext } from './context';
import { isReplicationKey, RENAME_BY_OLD, REMOVED_SERVICES } from './facts';
import { notConverted } from './report';

export const REMOVED_RULE = 'removed';

export function applyRemoved(ctx: MigrationContext): void {
  for (const placed of ctx.liveSections()) {
    if (placed.node.type !== 'service') continue;
    const removed = REMOVED_SERVICES.find((service) => service.name === placed.node.name && !service.replication);
    if (!removed) continue;
    ctx.commentOut(placed.file, placed.node.range, `removed in 2.4: service ${placed.node.name}`);
    notConverted(
      ctx,
      { file: placed.file, range: placed.node.headerRange },
      REMOVED_RULE,
      `service ${placed.node.name} does not exist in Dovecot 2.4: commented out.`,
      removed.note ?? 'Remove it.',
    );
  }
  for (const placed of ctx.liveSettings()) {
    const key = placed.node.key;
    const fact = RENAME_BY_OLD.get(key);
    if (!fact || fact.kind !== 'removed' || isReplicationKey(key) || key === 'plugin') continue;
    ctx.commentOut(placed.file, placed.node.range, `removed in 2.4: ${key}`);
    notConverted(
      ctx,
      { file: placed.file, range: placed.node.range },
      REMOVED_RULE,
      `${key} does not exist in Dovecot 2.4: commented out.`,
      fact.note ? capitalize(fact.note) + '.' : 'Remove it, or find what replaces it in the 2.4 upgrade notes.',
    );
  }
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
