// `plugin { }` is gone in 2.4 (its settings are ordinary settings, docs 2.4-redesign.inc): the block's
// `{` and `}` lines are commented out and its settings stay where they were, now outside any block.
// Other rules rename, convert or comment out each of them; what 2.4 does not know is reported.
import type { MigrationContext } from './context';
import { converted } from './report';

export const PLUGIN_RULE = 'plugin-block';

export function applyPluginBlocks(ctx: MigrationContext): void {
  for (const placed of ctx.liveSections()) {
    const section = placed.node;
    if (section.type !== 'plugin') continue;
    const edits = ctx.editsOf(placed.file);
    edits.commentOut(section.headerRange.start.line, 'plugin { } is gone in 2.4: its settings are ordinary settings');
    if (section.closeRange) edits.commentOut(section.closeRange.start.line, 'end of the former plugin { } block');
    converted(
      ctx,
      { file: placed.file, range: section.headerRange },
      PLUGIN_RULE,
      section.children.length > 0
        ? 'plugin { } dissolved: its settings are now ordinary settings (each converted or reported on its own).'
        : 'plugin { } (empty) commented out.',
    );
  }
}

/** Section types as 2.4 sees them: `plugin` no longer counts. */
export function withoutPlugin(types: string[], names: string[]): { types: string[]; names: string[] } {
  const keep = types.map((type, index) => (type === 'plugin' ? -1 : index)).filter((index) => index >= 0);
  return { types: keep.map((index) => types[index]), names: keep.map((index) => names[index]) };
}
