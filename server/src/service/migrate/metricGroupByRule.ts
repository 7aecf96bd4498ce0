// In 2.4 a metric's group_by is a list of named blocks: the 2.3 line `group_by = service duration:exponential:1:5:10`
// is refused ("group_by: Setting is a named list filter, use 'group_by service {'", doveconf 2.4.4). Each word
// becomes a group_by FIELD { } block: FIELD and FIELD:discrete group by value (a block without a method is
// discrete, src/stats/stats-metrics.c@2.4.4), FIELD:exponential:MIN:MAX:BASE and FIELD:linear:MIN:MAX:STEP get
// a method block with their numbers (the 2.3 word format: src/stats/stats-settings.c@2.3.21).
import type { MigrationContext } from './context';
import { innermost } from './context';
import { converted, notConverted } from './report';

export const METRIC_GROUP_BY_RULE = 'metric-group-by';

const METHOD_SETTINGS: Readonly<Record<string, readonly string[]>> = {
  exponential: ['exponential_min_magnitude', 'exponential_max_magnitude', 'exponential_base'],
  linear: ['linear_min', 'linear_max', 'linear_step'],
};

/** The block of one 2.3 group_by word, or undefined when the word is not one 2.3 accepts. */
function blockOf(word: string): string[] | undefined {
  const [field, method, ...numbers] = word.split(':');
  if (!field || !/^[A-Za-z0-9_.-]+$/.test(field)) return undefined;
  if (method === undefined || (method === 'discrete' && numbers.length === 0)) return [`group_by ${field} {`, '}'];
  const names = METHOD_SETTINGS[method];
  if (!names || numbers.length !== names.length || !numbers.every((n) => /^\d+$/.test(n))) return undefined;
  return [
    `group_by ${field} {`,
    `  method ${method} {`,
    ...names.map((name, i) => `    ${name} = ${numbers[i]}`),
    '  }',
    '}',
  ];
}

export function applyMetricGroupBy(ctx: MigrationContext): void {
  for (const placed of ctx.liveSettings()) {
    const line = placed.node.range.start.line;
    if (
      innermost(placed.frames)?.type !== 'metric' ||
      ctx.currentKey(placed) !== 'group_by' ||
      ctx.editsOf(placed.file).isReplaced(line) ||
      line !== placed.node.range.end.line
    )
      continue;
    const raw = ctx.currentRawValue(placed);
    const words = raw
      .replace(/^"|"$/g, '')
      .split(/\s+/)
      .filter((word) => word !== '');
    const at = { file: placed.file, range: placed.node.range };
    if (words.length === 0) {
      ctx.commentOut(placed.file, placed.node.range, 'an empty group_by groups nothing');
      converted(ctx, at, METRIC_GROUP_BY_RULE, 'group_by = (empty) groups nothing: commented out.');
      continue;
    }
    const blocks = words.map(blockOf);
    if (blocks.some((block) => block === undefined)) {
      ctx.commentOut(placed.file, placed.node.range, 'group_by is a list of group_by FIELD { } blocks in 2.4');
      notConverted(
        ctx,
        at,
        METRIC_GROUP_BY_RULE,
        `group_by = ${raw}: a word is not FIELD, FIELD:discrete, FIELD:exponential:MIN:MAX:BASE or FIELD:linear:MIN:MAX:STEP; commented out.`,
        'Write a group_by FIELD { } block for each field, with a method { } block for exponential or linear ranges.',
      );
      continue;
    }
    ctx.replaceSettingLine(
      placed,
      blocks.flatMap((block) => block ?? []),
    );
    converted(
      ctx,
      at,
      METRIC_GROUP_BY_RULE,
      `group_by = ${raw} became ${words.length === 1 ? 'a group_by FIELD { } block' : `${words.length} group_by FIELD { } blocks, in the same order`} (2.4 named list).`,
    );
  }
}
