// Requests between the VS Code client and the language server that carry more than a URI: declared once
// here, imported by both sides.
import type { MigrationResult, MigrationTarget } from './service/migrate/types';

/** `dovecot/migrateTree`: the converted tree of the root of `uri`, and its report. Nothing is written. */
export const MIGRATE_TREE_REQUEST = 'dovecot/migrateTree';

export interface MigrateTreeParams {
  /** Any file of the tree; the server converts the tree of its root. */
  uri: string;
  target: MigrationTarget;
}

export interface MigrateTreeResult extends MigrationResult {
  /** Absolute path of the root file that was converted. */
  root: string;
  /** The report for the admin, as Markdown with `file:line` references relative to the root's folder. */
  reportMarkdown: string;
}

/** The command the "Convert this tree to 2.4…" code action runs (VS Code only: it shows diffs and asks before writing). */
export const CONVERT_TO_24_COMMAND = 'dovecot.convertTo24';
