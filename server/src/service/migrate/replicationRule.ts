// Replication is gone in 2.4 (data/dovecot/replication-routes-2.4.json): never dropped silently. Its
// settings and services are commented out with a marker, and one entry lists the routes that exist.
import type { Placed } from '../model/model';
import type { SectionNode, SettingNode } from '../syntax/nodes';
import type { MigrationContext } from './context';
import { isReplicationKey, REPLICATION, REPLICATION_ROUTES } from './facts';
import { notConverted, type At } from './report';

export const REPLICATION_RULE = 'replication';
const REASON = 'replication: Dovecot 2.4 has no built-in replication';

export function replicationSummary(): { message: string; action: string } {
  const routes = REPLICATION_ROUTES.map(
    (route, index) =>
      `(${index + 1}) ${route.title}: ${route.how}\n    Trade-offs: ${route.tradeOffs}${route.status ? `\n    Status: ${route.status}` : ''}\n    Sources: ${route.sources.join('; ')}`,
  );
  return { message: REPLICATION.removed.statement, action: ['Choose a route for this pair:', ...routes].join('\n') };
}

function replicationSections(ctx: MigrationContext): Placed<SectionNode>[] {
  return ctx
    .liveSections()
    .filter((placed) => placed.node.type === 'service' && REPLICATION.settings.services.includes(placed.node.name));
}

function replicationSettings(ctx: MigrationContext): Placed<SettingNode>[] {
  return ctx.liveSettings().filter((placed) => isReplicationKey(placed.node.key));
}

/** `replication` in a mail_plugins value: the word is removed from the value. */
function pluginMentions(ctx: MigrationContext): Placed<SettingNode>[] {
  return ctx
    .liveSettings()
    .filter(
      (placed) =>
        placed.node.key === 'mail_plugins' && placed.node.value.split(/\s+/).includes(REPLICATION.settings.mailPlugin),
    );
}

const SEE_ROUTES = 'See the replication entry of this report for the routes that exist.';

/** Reports one replication construct at `at`, keeping where it was for the summary entry. */
function reportRemoved(ctx: MigrationContext, found: At[], at: At, message: string, summaryAt: At = at): void {
  found.push(summaryAt);
  notConverted(ctx, at, REPLICATION_RULE, message, SEE_ROUTES);
}

export function applyReplication(ctx: MigrationContext): void {
  const found: At[] = [];
  const commentedOut = (what: string): string =>
    `${what} belongs to replication, which Dovecot 2.4 does not have: commented out.`;
  for (const placed of replicationSections(ctx)) {
    ctx.commentOut(placed.file, placed.node.range, REASON);
    const at = { file: placed.file, range: placed.node.headerRange };
    reportRemoved(ctx, found, at, commentedOut(`service ${placed.node.name}`));
  }
  for (const placed of replicationSettings(ctx)) {
    ctx.commentOut(placed.file, placed.node.range, REASON);
    reportRemoved(ctx, found, { file: placed.file, range: placed.node.range }, commentedOut(placed.node.key));
  }
  for (const placed of pluginMentions(ctx)) {
    const raw = ctx.currentRawValue(placed);
    const without = raw
      .split(/(\s+)/)
      .filter((word) => word !== REPLICATION.settings.mailPlugin)
      .join('')
      .replace(/\s{2,}/g, ' ')
      .trimEnd();
    if (!ctx.setRawValue(placed, without)) continue;
    reportRemoved(
      ctx,
      found,
      { file: placed.file, range: placed.node.valueRange },
      'The replication mail plugin does not exist in Dovecot 2.4: removed from mail_plugins.',
      { file: placed.file, range: placed.node.range },
    );
  }
  if (found.length === 0) return;
  const summary = replicationSummary();
  notConverted(ctx, found[0], REPLICATION_RULE, summary.message, summary.action);
}
