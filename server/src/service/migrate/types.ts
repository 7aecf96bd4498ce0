import type { FileHost } from '../model/host';
import type { Range } from 'vscode-languageserver-types';

/** The dialect a migration goes to; only 2.3 → 2.4 exists. */
export type MigrationTarget = '2.4';

export interface MigrationInput {
  /** Read-only access to the 2.3 tree (disk, open buffers or memory). */
  host: FileHost;
  /** Absolute path of the root file (dovecot.conf). */
  root: string;
  target: MigrationTarget;
}

/** One file of the tree, before and after. Unchanged files are listed too, with `changed: false`. */
export interface MigratedFile {
  /** Absolute path of the original file. */
  path: string;
  /** Path relative to the root file's folder: the converted tree keeps the same layout. */
  relativePath: string;
  original: string;
  converted: string;
  changed: boolean;
}

/**
 * One entry of the report. `converted`: done automatically; `needs-review`: converted, but a person
 * should check the result; `not-converted`: left for a person (commented out with a marker, or
 * kept as it was), with `action` saying what to do.
 */
export interface MigrationReportEntry {
  kind: 'converted' | 'needs-review' | 'not-converted';
  /** Absolute path of the original file and the range of the construct in it. */
  file: string;
  range: Range;
  /** 1-based line of the construct in the converted file, when it is still there. */
  convertedLine?: number;
  /** Stable id of the conversion rule that produced the entry (e.g. `rename`, `mail-location`, `replication`). */
  rule: string;
  /** What was found and what was done, for the admin. */
  message: string;
  /** What the admin should do, when anything. */
  action?: string;
}

export interface MigrationResult {
  target: MigrationTarget;
  files: MigratedFile[];
  report: MigrationReportEntry[];
  /** True when nothing needs a person (no `not-converted` entry). */
  complete: boolean;
}

/** Implemented in `convert.ts`: a pure function of its input (no file writes, no processes). */
export type MigrateTree = (input: MigrationInput) => MigrationResult;
