// Where the files of a converted tree go: a new folder (the default, a sibling of the original named
// `<folder>-2.4`) receives the whole tree in the same layout; replacing the original rewrites only the
// changed files in place. Pure: paths and texts only; the adapters check the disk and write.
import * as path from 'node:path';
import type { MigrationResult } from './types';

export interface PlannedFile {
  /** Absolute path of the original file (its mode is kept). */
  source: string;
  /** Path relative to the destination folder (new folder) or absolute path (in place). */
  relativePath: string;
  content: string;
}

export interface WritePlan {
  /** Folder the relative paths are relative to. */
  folder: string;
  files: PlannedFile[];
  /** Files not written, each with why (for the admin). */
  left: { path: string; reason: string }[];
}

/** The proposed destination: a sibling of the root's folder, `/etc/dovecot` → `/etc/dovecot-2.4`. */
export function defaultDestination(root: string, target: string): string {
  const folder = path.dirname(root);
  return path.join(path.dirname(folder), `${path.basename(folder)}-${target}`);
}

/** A relative path that stays inside the folder it is relative to. */
function staysInside(relativePath: string): boolean {
  const normal = path.normalize(relativePath);
  return normal !== '' && !path.isAbsolute(normal) && normal !== '..' && !normal.startsWith(`..${path.sep}`);
}

/** Why the destination cannot receive the converted tree, or undefined when it can. */
export function destinationProblem(root: string, destination: string): string | undefined {
  const original = path.dirname(root);
  const dest = path.resolve(destination);
  if (dest === original) return 'this is the original folder: choose "Replace the original files" to write there';
  if (!path.relative(dest, original).startsWith('..') && path.relative(dest, original) !== '')
    return 'this folder contains the original configuration';
  if (staysInside(path.relative(original, dest))) return 'this folder is inside the original configuration folder';
  return undefined;
}

/** Every file of the converted tree, under `destination` in the original layout. Files outside the root's folder are left (listed). */
export function planNewFolder(result: MigrationResult, destination: string): WritePlan {
  const plan: WritePlan = { folder: path.resolve(destination), files: [], left: [] };
  for (const file of result.files) {
    if (staysInside(file.relativePath)) {
      plan.files.push({ source: file.path, relativePath: path.normalize(file.relativePath), content: file.converted });
    } else {
      plan.left.push({
        path: file.path,
        reason:
          'it is outside the configuration folder; the converted tree still includes the original (convert it on its own)',
      });
    }
  }
  return plan;
}

/** The changed files only, over the originals. */
export function planInPlace(root: string, result: MigrationResult): WritePlan {
  const folder = path.dirname(root);
  const files = result.files
    .filter((file) => file.changed)
    .map((file) => ({ source: file.path, relativePath: path.relative(folder, file.path), content: file.converted }));
  return { folder, files, left: [] };
}
