import * as path from 'node:path';
import picomatch from 'picomatch';
import { readThrough, type FileHost } from './host';

const GLOB_CHARS = /[*?[]/;

/** Most patterns a `{a,b}` expansion produces or works through: nested groups multiply. */
const MAX_BRACE_STEPS = 4096;

/** The first top-level `{...}` group with a closing brace: the text around it and its alternatives. */
function firstBraceGroup(pattern: string): { head: string; alternatives: string[]; tail: string } | undefined {
  const open = pattern.indexOf('{');
  if (open < 0) return undefined;
  let depth = 0;
  const commas: number[] = [];
  for (let i = open; i < pattern.length; i++) {
    const ch = pattern[i];
    if (ch === '{') depth++;
    else if (ch === ',' && depth === 1) commas.push(i);
    else if (ch === '}' && --depth === 0) {
      const bounds = [open, ...commas, i];
      return {
        head: pattern.slice(0, open),
        alternatives: bounds.slice(1).map((end, k) => pattern.slice(bounds[k] + 1, end)),
        tail: pattern.slice(i + 1),
      };
    }
  }
  return undefined;
}

/**
 * Expands `{a,b}` alternatives the way glob(GLOB_BRACE) does, nested braces included, in order.
 * Iterative and bounded (MAX_BRACE_STEPS), so `{a,b}` written 30 times cannot explode.
 */
export function expandBraces(pattern: string): string[] {
  const expanded: string[] = [];
  const pending = [pattern];
  for (let steps = 0; pending.length > 0 && steps < MAX_BRACE_STEPS; steps++) {
    const next = pending.pop() as string;
    const group = firstBraceGroup(next);
    if (!group) expanded.push(next);
    else
      for (let k = group.alternatives.length - 1; k >= 0; k--)
        pending.push(group.head + group.alternatives[k] + group.tail);
  }
  return expanded;
}

/** Whether anything is at the path, as glob() sees it: a FIFO or a device matches too. */
function exists(host: FileHost, candidate: string): boolean {
  // A zero-byte read opens nothing but a regular empty file: it only tells what is there.
  return (
    host.isFile(candidate) ||
    host.listDirectory(candidate) !== undefined ||
    readThrough(host, candidate, 0).kind !== 'unreadable'
  );
}

/** Walks the pattern one path component at a time (no recursion per component: patterns can be long). */
function matchComponents(host: FileHost, root: string, components: string[]): string[] {
  let bases = [root];
  components.forEach((component, index) => {
    const last = index === components.length - 1;
    if (!GLOB_CHARS.test(component)) {
      const next = bases.map((base) => path.join(base, component));
      bases = last ? next.filter((candidate) => exists(host, candidate)) : next;
      return;
    }
    const isMatch = picomatch(component, { dot: false });
    bases = bases.flatMap((base) =>
      (host.listDirectory(base) ?? [])
        .filter((name) => isMatch(name))
        .sort()
        .map((name) => path.join(base, name)),
    );
  });
  return bases;
}

/** Files matching a Dovecot `!include` pattern, relative to `baseDir`, in glob's sorted order. */
export function globFiles(host: FileHost, pattern: string, baseDir: string): string[] {
  const matches: string[] = [];
  for (const alternative of expandBraces(pattern)) {
    const absolute = path.resolve(baseDir, alternative);
    const root = path.parse(absolute).root;
    const components = absolute
      .slice(root.length)
      .split(path.sep)
      .filter((c) => c.length > 0);
    matches.push(...matchComponents(host, root, components));
  }
  return matches;
}
