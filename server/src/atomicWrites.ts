// Writing files without damage: every target is resolved and checked before anything is written
// (no symbolic link at or on the way to a target, no escape from the directory given, regular files
// only, nothing replaced without --force), then all files are written to temporary files in their
// own directories and renamed into place together.
import {
  closeSync,
  fchmodSync,
  fchownSync,
  fsyncSync,
  lstatSync,
  mkdirSync,
  openSync,
  realpathSync,
  renameSync,
  rmdirSync,
  rmSync,
  statSync,
  writeFileSync,
  type Stats,
} from 'node:fs';
import { basename, dirname, join, relative, sep } from 'node:path';
import { randomHex } from './service/randomText';

export class TargetError extends Error {}

/** Where a new file goes, resolved: its real path and the directories still to create (parents first). */
export interface Target {
  path: string;
  createDirs: string[];
  /** Mode, owner and group of the file it replaces. */
  replaces?: { mode: number; uid: number; gid: number };
}

export interface PlannedWrite {
  target: Target;
  content: Buffer;
  mode: number;
}

function lstatOrUndefined(filePath: string): Stats | undefined {
  try {
    return lstatSync(filePath);
  } catch {
    return undefined;
  }
}

export function isRegularFile(filePath: string): boolean {
  try {
    return statSync(filePath).isFile();
  } catch {
    return false;
  }
}

export const isInside = (child: string, dir: string): boolean =>
  child === dir || child.startsWith(dir.endsWith(sep) ? dir : dir + sep);

/**
 * Resolves `dir/relativePath` to the file that would really be written, before anything is written:
 * the directory given may be a symbolic link, but inside it no link may lead elsewhere, the file
 * itself must not be a link (dangling or not), an existing file must be a regular file and is only
 * replaced with --force.
 */
export function planTarget(dir: string, relativePath: string, flag: string, force: boolean): Target {
  const createDirs: string[] = [];
  let base = dir;
  while (lstatOrUndefined(base) === undefined) {
    createDirs.unshift(base);
    const parent = dirname(base);
    if (parent === base) break;
    base = parent;
  }
  if (!statSync(base, { throwIfNoEntry: false })?.isDirectory())
    throw new TargetError(`${flag} ${dir}: ${base} is not a directory`);
  const realBase = realpathSync(base);
  const realDir = join(realBase, relative(base, dir));
  const realCreate = createDirs.map((missing) => join(realBase, relative(base, missing)));
  let current = realDir;
  for (const component of dirname(relativePath)
    .split('/')
    .filter((part) => part !== '.' && part !== '')) {
    const next = join(current, component);
    const stats = realCreate.length > 0 ? undefined : lstatOrUndefined(next);
    if (stats === undefined) {
      realCreate.push(next);
    } else if (stats.isSymbolicLink() && !isInside(realpathOrSelf(next), realDir)) {
      throw new TargetError(`${flag} ${dir}: ${next} is a symbolic link that leads outside ${dir}; not following it`);
    } else if (!statSync(next, { throwIfNoEntry: false })?.isDirectory()) {
      throw new TargetError(`${flag} ${dir}: ${next} is not a directory`);
    }
    current = realCreate.includes(next) ? next : realpathSync(next);
  }
  const path = join(current, basename(relativePath));
  const stats = realCreate.length > 0 ? undefined : lstatOrUndefined(path);
  if (stats?.isSymbolicLink())
    throw new TargetError(`${path} is a symbolic link; not writing through it (remove it first)`);
  if (stats && !stats.isFile()) throw new TargetError(`${path} exists and is not a regular file`);
  if (stats && !force) throw new TargetError(`refusing to overwrite ${path} (use --force)`);
  return {
    path,
    createDirs: realCreate,
    replaces: stats && { mode: stats.mode & 0o7777, uid: stats.uid, gid: stats.gid },
  };
}

export function realpathOrSelf(filePath: string): string {
  try {
    return realpathSync(filePath);
  } catch {
    return filePath;
  }
}

/**
 * Writes every file to a temporary file in its own directory, then renames them all into place. A
 * failure before the renames removes the temporary files and the directories made for them: nothing
 * changed. Directories are made one at a time (a recursive mkdir spins forever under /proc).
 */
export function writeAtomically(writes: PlannedWrite[]): void {
  const createdDirs: string[] = [];
  const temps: { temp: string; path: string }[] = [];
  try {
    const dirs = [...new Set(writes.flatMap((write) => write.target.createDirs))].sort((a, b) => a.length - b.length);
    for (const dir of dirs) {
      mkdirSync(dir);
      createdDirs.push(dir);
    }
    for (const { target, content, mode } of writes) {
      const temp = join(dirname(target.path), `.${basename(target.path)}.${randomHex(6)}.tmp`);
      const fd = openSync(temp, 'wx', mode);
      temps.push({ temp, path: target.path });
      try {
        writeFileSync(fd, content);
        fchmodSync(fd, target.replaces?.mode ?? mode);
        if (target.replaces && process.getuid?.() === 0) fchownSync(fd, target.replaces.uid, target.replaces.gid);
        fsyncSync(fd);
      } finally {
        closeSync(fd);
      }
    }
  } catch (error) {
    for (const { temp } of temps) rmSync(temp, { force: true });
    for (const dir of createdDirs.reverse()) removeEmptyDir(dir);
    throw error;
  }
  for (const { temp, path } of temps) renameSync(temp, path);
}

function removeEmptyDir(dir: string): void {
  try {
    rmdirSync(dir);
  } catch {
    // Not empty or already gone: leave it.
  }
}
