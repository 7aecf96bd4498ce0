// Settings whose default changed in 2.4 (migration-2.4.json defaultChanges): when the tree never
// sets one, the 2.3 default is written out after the version lines so the server keeps doing what it
// did (protocols: 2.3 served imap pop3 lmtp by default, 2.4 serves nothing).
import type { MigrationContext } from './context';
import { DEFAULT_CHANGES } from './facts';
import { needsReview } from './report';

export const DEFAULTS_RULE = 'changed-default';

export function applyChangedDefaults(ctx: MigrationContext): void {
  const root = ctx.model.files.get(ctx.root);
  const first = root?.parsed.statements[0];
  if (!root || !first) return;
  for (const change of DEFAULT_CHANGES) {
    if (ctx.model.settings.some((placed) => placed.node.key === change.setting)) continue;
    const line = first.range.start.line;
    ctx
      .editsOf(ctx.root)
      .insertBefore(line, [
        `# [2.4 migration] the 2.3 default, written out: ${change.why}`,
        `${change.setting} = ${change.default23}`,
        '',
      ]);
    needsReview(
      ctx,
      { file: ctx.root, range: { start: { line, character: 0 }, end: { line, character: 0 } } },
      DEFAULTS_RULE,
      `${change.setting} was not set: wrote the 2.3 default ${change.setting} = ${change.default23} (${change.why}).`,
      `Keep only what the server should do (on a Debian 2.3 build the old default was empty).`,
    );
  }
}
