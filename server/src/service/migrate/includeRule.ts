// Files included from outside the root file's folder are not part of the converted tree: they are
// read by the 2.4 Dovecot as they are, so the report names them.
import * as path from 'node:path';
import type { MigrationContext } from './context';
import { notConverted } from './report';

export const INCLUDE_RULE = 'outside-include';

export function isInsideRootFolder(root: string, file: string): boolean {
  const relative = path.relative(path.dirname(root), file);
  return relative !== '' && !relative.startsWith('..') && !path.isAbsolute(relative);
}

export function applyOutsideIncludes(ctx: MigrationContext): void {
  for (const edge of ctx.model.includes) {
    const outside = edge.targets.filter((target) => !isInsideRootFolder(ctx.root, target));
    if (outside.length === 0 || ctx.isCommented(edge.from, edge.node.range)) continue;
    notConverted(
      ctx,
      { file: edge.from, range: edge.node.range },
      INCLUDE_RULE,
      `${edge.node.pattern} includes ${outside.join(', ')}, outside the converted folder: not converted.`,
      'Make sure the 2.4 packages or you provide 2.4 versions of these files (for example by converting them with their own root).',
    );
  }
}
