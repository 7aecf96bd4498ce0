import * as path from 'node:path';
import picomatch from 'picomatch';
import type { FileHost } from '../model/host';

/** How far below the start folder root configurations are searched, and how much of the tree is read. */
export const DISCOVERY_LIMITS = { maxDepth: 8, maxDirectories: 5000 };

export interface DiscoveryOptions {
  /** Globs of files and folders to skip, relative to `excludeBase` (default: the start folder). */
  exclude?: readonly string[];
  excludeBase?: string;
  /** File names that are root configurations (default: dovecot.conf). */
  rootNames?: readonly string[];
  /** The files a root's include tree reads, so that a root included by another one is not a root. */
  filesOf: (root: string) => ReadonlySet<string>;
}

const DEFAULT_ROOT_NAMES = ['dovecot.conf'];
const isSkippedFolder = (name: string): boolean => name.startsWith('.') || name === 'node_modules';

/** Candidate root files below `startDir`, breadth first, within the discovery limits. */
function candidateRoots(host: FileHost, startDir: string, options: DiscoveryOptions): string[] {
  const rootNames = new Set(options.rootNames ?? DEFAULT_ROOT_NAMES);
  const excluded =
    options.exclude && options.exclude.length > 0 ? picomatch([...options.exclude], { dot: true }) : () => false;
  const excludeBase = path.resolve(options.excludeBase ?? startDir);
  const isExcluded = (file: string): boolean => excluded(path.relative(excludeBase, file).split(path.sep).join('/'));
  const found: string[] = [];
  let queue: string[] = [startDir];
  let visited = 0;
  for (let depth = 0; depth <= DISCOVERY_LIMITS.maxDepth && queue.length > 0; depth++) {
    const next: string[] = [];
    for (const dir of queue) {
      if (++visited > DISCOVERY_LIMITS.maxDirectories) return found;
      for (const name of [...(host.listDirectory(dir) ?? [])].sort()) {
        const child = path.join(dir, name);
        if (isExcluded(child)) continue;
        if (rootNames.has(name) && host.isFile(child)) found.push(child);
        else if (!isSkippedFolder(name) && !host.isFile(child) && host.listDirectory(child)) next.push(child);
      }
    }
    queue = next;
  }
  return found;
}

/**
 * The root configurations below a folder: every `dovecot.conf` (or other root name) that no other
 * candidate's include tree reads, in path order.
 */
export function discoverRoots(host: FileHost, startDir: string, options: DiscoveryOptions): string[] {
  const candidates = candidateRoots(host, path.resolve(startDir), options);
  // A lone candidate is a root whatever its tree reads: its tree is not built here.
  if (candidates.length < 2) return candidates;
  const included = new Set<string>();
  for (const candidate of candidates) {
    for (const file of options.filesOf(candidate)) if (file !== candidate) included.add(file);
  }
  return candidates.filter((candidate) => !included.has(candidate)).sort();
}
