import * as fs from 'node:fs';
import { readThrough, textOf, textRead, type FileHost, type FileRead } from './host';
import { DEFAULT_LIMITS } from './limits';

const CHUNK_BYTES = 64 * 1024;

function kindOf(stat: fs.Stats): string {
  if (stat.isFIFO()) return 'a FIFO';
  if (stat.isCharacterDevice()) return 'a character device';
  if (stat.isBlockDevice()) return 'a block device';
  if (stat.isSocket()) return 'a socket';
  return 'not a regular file';
}

function isDevNull(stat: fs.Stats): boolean {
  try {
    return stat.isCharacterDevice() && stat.rdev === fs.statSync('/dev/null').rdev;
  } catch {
    return false;
  }
}

/** What a stat says about reading the path, or undefined when it is a regular file within the limit. */
function refusal(stat: fs.Stats, maxBytes: number): FileRead | undefined {
  if (stat.isDirectory()) return { kind: 'directory' };
  // /dev/null reads as empty, as it does for Dovecot (`ssl_key = </dev/null`).
  if (isDevNull(stat)) return { kind: 'text', text: '' };
  if (!stat.isFile()) return { kind: 'not-regular', what: kindOf(stat) };
  if (stat.size > maxBytes) return { kind: 'too-large', size: stat.size };
  return undefined;
}

/**
 * Reads at most `maxBytes + 1` bytes of a regular file, so a file that grew after its stat is still caught.
 * The first read asks for the size the stat gave plus one byte: a regular file that reads short has ended,
 * so a file that did not grow takes one read.
 */
function readLimited(fd: number, maxBytes: number, statSize: number): Buffer | undefined {
  const chunks: Buffer[] = [];
  let total = 0;
  for (;;) {
    const wanted = chunks.length === 0 ? statSize + 1 : CHUNK_BYTES;
    const chunk = Buffer.allocUnsafe(Math.min(wanted, maxBytes + 1 - total));
    const count = fs.readSync(fd, chunk, 0, chunk.length, null);
    chunks.push(count === chunk.length ? chunk : chunk.subarray(0, count));
    total += count;
    if (total > maxBytes) return undefined;
    if (count < chunk.length) return chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, total);
  }
}

/**
 * Reads the real file system. Only regular files are opened (stat first), and they are opened
 * non-blocking and checked again on the open descriptor, so a file swapped for a FIFO in between
 * cannot block.
 */
export class DiskHost implements FileHost {
  readFile(filePath: string): string | undefined {
    return textOf(this.read(filePath, DEFAULT_LIMITS.fileBytes));
  }

  read(filePath: string, maxBytes: number): FileRead {
    let stat: fs.Stats;
    try {
      stat = fs.statSync(filePath);
    } catch {
      return { kind: 'unreadable' };
    }
    const refused = refusal(stat, maxBytes);
    if (refused) return refused;
    let fd: number;
    try {
      fd = fs.openSync(filePath, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK | fs.constants.O_NOCTTY);
    } catch {
      return { kind: 'unreadable' };
    }
    try {
      const opened = fs.fstatSync(fd);
      const refusedOpen = refusal(opened, maxBytes);
      if (refusedOpen) return refusedOpen;
      const bytes = readLimited(fd, maxBytes, opened.size);
      return bytes === undefined
        ? { kind: 'too-large', size: maxBytes + 1 }
        : { kind: 'text', text: bytes.toString('utf8') };
    } catch {
      return { kind: 'unreadable' };
    } finally {
      fs.closeSync(fd);
    }
  }

  listDirectory(dirPath: string): string[] | undefined {
    try {
      return fs.readdirSync(dirPath);
    } catch {
      return undefined;
    }
  }

  isFile(filePath: string): boolean {
    try {
      return fs.statSync(filePath).isFile();
    } catch {
      return false;
    }
  }

  realPath(filePath: string): string {
    try {
      return fs.realpathSync.native(filePath);
    } catch {
      return filePath;
    }
  }
}

/** Open editor buffers first, then the disk. */
export class OverlayHost implements FileHost {
  constructor(
    private readonly openText: (filePath: string) => string | undefined,
    private readonly disk: FileHost = new DiskHost(),
  ) {}

  readFile(filePath: string): string | undefined {
    return textOf(this.read(filePath, DEFAULT_LIMITS.fileBytes));
  }

  read(filePath: string, maxBytes: number): FileRead {
    const open = this.openText(filePath);
    if (open !== undefined) return textRead(open, maxBytes);
    return readThrough(this.disk, filePath, maxBytes);
  }

  listDirectory(dirPath: string): string[] | undefined {
    return this.disk.listDirectory(dirPath);
  }

  isFile(filePath: string): boolean {
    return this.openText(filePath) !== undefined || this.disk.isFile(filePath);
  }

  realPath(filePath: string): string {
    return this.disk.realPath?.(filePath) ?? filePath;
  }
}
