import * as path from 'node:path';
import { DEFAULT_LIMITS } from './limits';

/**
 * What reading a path gave. Only regular files are read: a FIFO or a device would block or never end
 * (Dovecot itself hangs on them), so hosts stat before they open and report the kind instead.
 */
export type FileRead =
  | { kind: 'text'; text: string }
  /** Missing, or exists but cannot be opened or read (permissions). */
  | { kind: 'unreadable' }
  /** doveconf reads a directory as an empty file. */
  | { kind: 'directory' }
  /** A FIFO, socket or device; `what` names it for messages ("a FIFO"). */
  | { kind: 'not-regular'; what: string }
  | { kind: 'too-large'; size: number };

/**
 * All file access of the language service goes through this interface, so the LSP server (open
 * buffers first, then disk), the CLI (disk) and tests (a map in memory) plug in their own.
 * Paths are absolute, in the host's native form.
 */
export interface FileHost {
  /** The file's text, or undefined when it is not a readable regular file within the default size limit. */
  readFile(filePath: string): string | undefined;
  /** Reads a regular file of at most `maxBytes` bytes; anything else says why it was not read. */
  read?(filePath: string, maxBytes: number): FileRead;
  /** Names of the entries of a directory, or undefined when it is not a readable directory. */
  listDirectory(dirPath: string): string[] | undefined;
  /** Whether the path is an existing regular file. */
  isFile(filePath: string): boolean;
  /** The path with symbolic links resolved (the path itself when it cannot be resolved). */
  realPath?(filePath: string): string;
}

/** `host.read`, for hosts that only implement readFile (their files are all regular and small). */
export function readThrough(host: FileHost, filePath: string, maxBytes: number): FileRead {
  if (host.read) return host.read(filePath, maxBytes);
  const text = host.readFile(filePath);
  if (text === undefined) return { kind: 'unreadable' };
  return textRead(text, maxBytes);
}

/** An in-memory text as `read` reports it: too large past `maxBytes` (UTF-8 bytes). */
export function textRead(text: string, maxBytes: number): FileRead {
  // A string of n UTF-16 units is n to 3n UTF-8 bytes: count them only when that bound is not enough.
  if (text.length * 3 <= maxBytes) return { kind: 'text', text };
  const size = Buffer.byteLength(text);
  return size > maxBytes ? { kind: 'too-large', size } : { kind: 'text', text };
}

export function textOf(read: FileRead): string | undefined {
  return read.kind === 'text' ? read.text : undefined;
}

/** A host over a map of absolute paths to texts; directories are implied by the paths. */
export class MemoryHost implements FileHost {
  private readonly files = new Map<string, string>();

  constructor(files: Record<string, string> = {}) {
    for (const [filePath, text] of Object.entries(files)) this.files.set(path.resolve(filePath), text);
  }

  set(filePath: string, text: string): void {
    this.files.set(path.resolve(filePath), text);
  }

  delete(filePath: string): void {
    this.files.delete(path.resolve(filePath));
  }

  readFile(filePath: string): string | undefined {
    return textOf(this.read(filePath, DEFAULT_LIMITS.fileBytes));
  }

  read(filePath: string, maxBytes: number): FileRead {
    const text = this.files.get(path.resolve(filePath));
    if (text !== undefined) return textRead(text, maxBytes);
    return this.listDirectory(filePath) ? { kind: 'directory' } : { kind: 'unreadable' };
  }

  isFile(filePath: string): boolean {
    return this.files.has(path.resolve(filePath));
  }

  realPath(filePath: string): string {
    return path.resolve(filePath);
  }

  listDirectory(dirPath: string): string[] | undefined {
    const dir = path.resolve(dirPath);
    const prefix = dir.endsWith(path.sep) ? dir : dir + path.sep;
    const names = new Set<string>();
    for (const filePath of this.files.keys()) {
      if (filePath.startsWith(prefix)) names.add(filePath.slice(prefix.length).split(path.sep)[0]);
    }
    return names.size > 0 ? [...names] : undefined;
  }
}
