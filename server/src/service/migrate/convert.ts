// 2.3 include tree in, 2.4 include tree out: same files, same order and comments, every change traced
// to its original line in the report. Pure: reads through the FileHost, writes nothing.
import * as path from 'node:path';
import { buildModel } from '../model/model';
import { parseConfig } from '../syntax/parser';
import { MigrationContext } from './context';
import { isInsideRootFolder } from './includeRule';
import { MIGRATION_RULES } from './rules';
import type { MigratedFile, MigrateTree, MigrationReportEntry, MigrationResult } from './types';

const KIND_ORDER: Readonly<Record<MigrationReportEntry['kind'], number>> = {
  'not-converted': 0,
  'needs-review': 1,
  converted: 2,
};

export const migrateTree: MigrateTree = (input) => {
  const root = path.resolve(input.root);
  const model = buildModel(input.host, root, (_file, text) => ({ text, parsed: parseConfig(text) }));
  const ctx = new MigrationContext(model);
  for (const rule of MIGRATION_RULES) rule.apply(ctx);
  return result(ctx, root);
};

function result(ctx: MigrationContext, root: string): MigrationResult {
  const files: MigratedFile[] = [];
  const lineMaps = new Map<string, number[]>();
  for (const [file, edits] of ctx.allEdits()) {
    if (!isInsideRootFolder(root, file) && file !== root) continue;
    const { text, lineMap } = edits.render();
    lineMaps.set(file, lineMap);
    const relativePath = path.relative(path.dirname(root), file).split(path.sep).join('/');
    files.push({
      path: file,
      relativePath,
      original: edits.original,
      converted: text,
      changed: text !== edits.original,
    });
  }
  files.sort((a, b) => (a.path === root ? -1 : b.path === root ? 1 : a.relativePath.localeCompare(b.relativePath)));
  const report: MigrationReportEntry[] = ctx.report.map((entry) => {
    const line = lineMaps.get(entry.file)?.[entry.range.start.line];
    return line === undefined ? { ...entry } : { ...entry, convertedLine: line };
  });
  report.sort(
    (a, b) =>
      KIND_ORDER[a.kind] - KIND_ORDER[b.kind] ||
      a.file.localeCompare(b.file) ||
      a.range.start.line - b.range.start.line,
  );
  return { target: '2.4', files, report, complete: !report.some((entry) => entry.kind === 'not-converted') };
}
