// The converter's result for the tree an analysis read, once per model, and its change to given lines
// of one file: what the quick fixes of 2.3 constructs write, so a fix and the converter never disagree.
import type { TextEdit } from 'vscode-languageserver-types';
import type { FileHost } from '../model/host';
import type { ConfigModel } from '../model/model';
import { migrateTree } from './convert';
import { MARKER_PREFIX } from './fileEdits';
import { conversionEdit, type GroupHints } from './lineHunks';
import type { MigrationResult } from './types';

const conversions = new WeakMap<ConfigModel, MigrationResult | null>();

/** The 2.4 conversion of the model's tree (read through the same host), or undefined when the converter failed. */
export function treeConversion(model: ConfigModel, host: FileHost): MigrationResult | undefined {
  if (!conversions.has(model)) {
    let result: MigrationResult | null;
    try {
      result = migrateTree({ host, root: model.root, target: '2.4' });
    } catch {
      result = null;
    }
    conversions.set(model, result);
  }
  return conversions.get(model) ?? undefined;
}

/** Where the report says the converter put the lines of its entries, and its marker comments. */
function hintsFor(result: MigrationResult, file: string): GroupHints {
  const anchors = new Map<number, number>();
  for (const entry of result.report) {
    if (entry.file === file && entry.convertedLine !== undefined)
      anchors.set(entry.range.start.line, entry.convertedLine - 1);
  }
  return { anchors, isMarker: (line) => line.trimStart().startsWith(MARKER_PREFIX) };
}

/** The converter's change to original lines first..last of `file` (with the lines it put above them), when it changed them. */
export function convertedLines(
  result: MigrationResult,
  file: string,
  first: number,
  last: number,
): TextEdit | undefined {
  const migrated = result.files.find((candidate) => candidate.path === file);
  if (!migrated?.changed) return undefined;
  return conversionEdit(migrated.original, migrated.converted, first, last, hintsFor(result, file));
}
