// Service and listener syntax: `address` inside inet_listener is `listen` in 2.4 (docs
// 2.4-converted-settings.inc). service_count and idle_kill are renamed by the rename rule.
import type { MigrationContext } from './context';
import { innermost } from './context';
import { converted } from './report';

export const SERVICE_RULE = 'service-listener';

export function applyServices(ctx: MigrationContext): void {
  for (const placed of ctx.liveSettings()) {
    if (placed.node.key !== 'address' || innermost(placed.frames)?.type !== 'inet_listener') continue;
    ctx.setKey(placed, 'listen');
    converted(ctx, { file: placed.file, range: placed.node.range }, SERVICE_RULE, 'address inside inet_listener is listen in Dovecot 2.4.');
  }
}
