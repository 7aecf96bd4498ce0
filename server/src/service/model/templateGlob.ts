import * as path from 'node:path';
import { globFiles } from './glob';
import type { FileHost } from './host';
import { renderedName } from '../syntax/templates';

/**
 * The files an `!include` of a template tree reads: in a repository the included files are
 * templates too (`conf.d/*.conf` renders from `conf.d/10-mail.conf.j2`), so the pattern also
 * matches names that end in a template suffix, sorted by the name they render to.
 */
export function templateIncludeTargets(
  host: FileHost,
  pattern: string,
  baseDir: string,
  suffixes: readonly string[],
): string[] {
  const matches = new Set(
    [pattern, ...suffixes.map((suffix) => pattern + suffix)].flatMap((alternative) =>
      globFiles(host, alternative, baseDir),
    ),
  );
  return [...matches].sort((a, b) => {
    const byName = path.basename(renderedName(a, suffixes)).localeCompare(path.basename(renderedName(b, suffixes)));
    return path.dirname(a).localeCompare(path.dirname(b)) || byName || a.localeCompare(b);
  });
}
