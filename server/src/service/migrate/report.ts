// Report entries for a node of the tree.
import type { Range } from 'vscode-languageserver-types';
import type { Placed } from '../model/model';
import type { SettingNode } from '../syntax/nodes';
import type { MigrationContext } from './context';
import type { MigrationReportEntry } from './types';
import { maskSecrets } from '../schema/secrets';

export interface At {
  file: string;
  range: Range;
}

export function converted(ctx: MigrationContext, at: At, rule: string, message: string, action?: string): void {
  ctx.add({ kind: 'converted', file: at.file, range: at.range, rule, message, ...(action ? { action } : {}) });
}

export function needsReview(ctx: MigrationContext, at: At, rule: string, message: string, action: string): void {
  ctx.add({ kind: 'needs-review', file: at.file, range: at.range, rule, message, action });
}

export function notConverted(ctx: MigrationContext, at: At, rule: string, message: string, action: string): void {
  ctx.add({ kind: 'not-converted', file: at.file, range: at.range, rule, message, action });
}

/**
 * A setting without an automatic 2.4 form: commented out with `reason` as its marker, and reported as not
 * converted, with what the admin has to write instead.
 */
export function leftToHand(
  ctx: MigrationContext,
  placed: Placed<SettingNode>,
  rule: string,
  reason: string,
  message: string,
  action: string,
): void {
  ctx.commentOut(placed.file, placed.node.range, reason);
  notConverted(ctx, { file: placed.file, range: placed.node.range }, rule, message, action);
}

export type EntryKind = MigrationReportEntry['kind'];

/** A value as the report may show it: passwords and keys hidden, as doveconf hides them. */
export function shown(key: string, value: string): string {
  return maskSecrets(key, value);
}
