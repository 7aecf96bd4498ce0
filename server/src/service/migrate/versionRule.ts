// dovecot_config_version must be the first setting of a 2.4 configuration and
// dovecot_storage_version must be set (config-parser.c@2.4.4): both go above the root file's first
// statement.
import type { MigrationContext } from './context';
import { VERSION_LINES } from './facts';
import { converted } from './report';

export const VERSION_RULE = 'version-lines';

export function versionLines(): string[] {
  return [
    '# [2.4 migration] required by Dovecot 2.4: the configuration syntax and the storage format it was written for',
    `dovecot_config_version = ${VERSION_LINES.dovecot_config_version}`,
    `dovecot_storage_version = ${VERSION_LINES.dovecot_storage_version}`,
  ];
}

export function applyVersionLines(ctx: MigrationContext): void {
  const root = ctx.model.files.get(ctx.root);
  if (!root) return;
  const first = root.parsed.statements[0];
  const edits = ctx.editsOf(ctx.root);
  const line = first ? first.range.start.line : Math.max(0, edits.lineCount - 1);
  if (first) edits.insertBefore(line, [...versionLines(), '']);
  else edits.insertAfter(line, versionLines());
  converted(
    ctx,
    { file: ctx.root, range: { start: { line, character: 0 }, end: { line, character: 0 } } },
    VERSION_RULE,
    `Added dovecot_config_version = ${VERSION_LINES.dovecot_config_version} and dovecot_storage_version = ${VERSION_LINES.dovecot_storage_version} above the first setting.`,
    VERSION_LINES.why,
  );
}
