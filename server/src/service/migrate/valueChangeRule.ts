// Values whose meaning or accepted form changed in 2.4 while the name stayed
// (migration-2.4.json valueChanges): `sieve_vacation_max_period = 0` is `unlimited`, the
// `no_compression` word of ssl_options is the 2.4 default, imapc_features' opt-in words are 2.4 defaults.
import type { MigrationContext } from './context';
import { rawValueOf } from './context';
import { VALUE_CHANGES } from './facts';
import { converted } from './report';

export const VALUE_CHANGE_RULE = 'value-change';

export function applyValueChanges(ctx: MigrationContext): void {
  for (const placed of ctx.liveSettings()) {
    const change = VALUE_CHANGES.find((row) => row.setting === ctx.currentKey(placed));
    if (!change || placed.node.valueKind === 'file') continue;
    const at = { file: placed.file, range: placed.node.range };
    if (change.from !== undefined && change.to !== undefined && placed.node.value === change.from) {
      ctx.setRawValue(placed, change.to);
      converted(ctx, at, VALUE_CHANGE_RULE, `${change.setting} = ${change.from} became ${change.to}: ${change.why}.`);
    } else if (change.dropWords !== undefined) {
      const words = placed.node.value.split(/[\s,]+/).filter((word) => word !== '');
      const dropped = words.filter((word) => change.dropWords?.includes(word.toLowerCase()));
      if (dropped.length === 0) continue;
      const kept = words.filter((word) => !dropped.includes(word));
      if (kept.length === 0)
        ctx.commentOut(
          placed.file,
          placed.node.range,
          `${dropped.join(' ')} ${dropped.length > 1 ? 'are' : 'is'} the 2.4 default`,
        );
      else ctx.setRawValue(placed, rawValueOf(kept.join(' ')));
      converted(ctx, at, VALUE_CHANGE_RULE, `${dropped.join(', ')} removed from ${change.setting}: ${change.why}.`);
    }
  }
}
