// Service and listener syntax: `address` inside inet_listener is `listen` in 2.4 (docs
// 2.4-converted-settings.inc); listeners without a name get one, since 2.4 listeners are named list
// filters (doveconf 2.4.4: "inet_listener { } is missing section name"). service_count and idle_kill
// are renamed by the rename rule.
import { findService24 } from '../schema/schema24';
import type { MigrationContext } from './context';
import { innermost } from './context';
import { converted, needsReview } from './report';

export const SERVICE_RULE = 'service-listener';

const LISTENER_KINDS: Readonly<Record<string, 'inet' | 'unix' | 'fifo'>> = {
  inet_listener: 'inet',
  unix_listener: 'unix',
  fifo_listener: 'fifo',
};

export function applyServices(ctx: MigrationContext): void {
  for (const placed of ctx.liveSettings()) {
    if (placed.node.key !== 'address' || innermost(placed.frames)?.type !== 'inet_listener') continue;
    ctx.setKey(placed, 'listen');
    converted(
      ctx,
      { file: placed.file, range: placed.node.range },
      SERVICE_RULE,
      'address inside inet_listener is listen in Dovecot 2.4.',
    );
  }
  for (const placed of ctx.liveSections()) {
    const kind = LISTENER_KINDS[placed.node.type];
    const service = innermost(placed.frames);
    if (!kind || placed.node.name !== '' || service?.type !== 'service') continue;
    const builtIn = findService24(service.name)?.listeners.filter((listener) => listener.kind === kind) ?? [];
    const name = builtIn.length === 1 ? builtIn[0].name : service.name;
    const end = placed.node.typeRange.end;
    ctx.editsOf(placed.file).splice(end.line, end.character, end.character, ` ${name}`);
    ctx.named.add(placed.node);
    const at = { file: placed.file, range: placed.node.headerRange };
    if (builtIn.length === 1)
      converted(
        ctx,
        at,
        SERVICE_RULE,
        `The ${placed.node.type} without a name in service ${service.name} was named ${name}, the name of the service's built-in ${kind} listener in 2.4 (2.4 listeners need a name).`,
      );
    else
      needsReview(
        ctx,
        at,
        SERVICE_RULE,
        `The ${placed.node.type} without a name in service ${service.name} was named ${name} (2.4 listeners need a name).`,
        'Check that this does not add a second listener next to a built-in one.',
      );
  }
}
