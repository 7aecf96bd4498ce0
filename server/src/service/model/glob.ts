import * as path from 'node:path';
import picomatch from 'picomatch';
import type { FileHost } from './host';

const GLOB_CHARS = /[*?[]/;

/** Expands `{a,b}` alternatives the way glob(GLOB_BRACE) does, nested braces included. */
export function expandBraces(pattern: string): string[] {
  const open = pattern.indexOf('{');
  if (open < 0) return [pattern];
  let depth = 0;
  const commas: number[] = [];
  for (let i = open; i < pattern.length; i++) {
    const ch = pattern[i];
    if (ch === '{') depth++;
    else if (ch === ',' && depth === 1) commas.push(i);
    else if (ch === '}' && --depth === 0) {
      const head = pattern.slice(0, open);
      const tail = pattern.slice(i + 1);
      const bounds = [open, ...commas, i];
      const alternatives = bounds.slice(1).map((end, k) => pattern.slice(bounds[k] + 1, end));
      return alternatives.flatMap((alternative) => expandBraces(head + alternative + tail));
    }
  }
  return [pattern];
}

function matchComponents(host: FileHost, base: string, components: string[]): string[] {
  if (components.length === 0) return [base];
  const [component, ...rest] = components;
  if (!GLOB_CHARS.test(component)) {
    const next = path.join(base, component);
    if (rest.length === 0) return host.isFile(next) || host.listDirectory(next) ? [next] : [];
    return matchComponents(host, next, rest);
  }
  const isMatch = picomatch(component, { dot: false });
  const names = (host.listDirectory(base) ?? []).filter((name) => isMatch(name)).sort();
  return names.flatMap((name) => matchComponents(host, path.join(base, name), rest));
}

/** Files matching a Dovecot `!include` pattern, relative to `baseDir`, in glob's sorted order. */
export function globFiles(host: FileHost, pattern: string, baseDir: string): string[] {
  const matches: string[] = [];
  for (const alternative of expandBraces(pattern)) {
    const absolute = path.resolve(baseDir, alternative);
    const root = path.parse(absolute).root;
    const components = absolute.slice(root.length).split(path.sep).filter((c) => c.length > 0);
    matches.push(...matchComponents(host, root, components));
  }
  return matches;
}
