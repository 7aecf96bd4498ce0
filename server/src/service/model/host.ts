import * as path from 'node:path';

/**
 * All file access of the language service goes through this interface, so the LSP server (open
 * buffers first, then disk), the CLI (disk) and tests (a map in memory) plug in their own.
 * Paths are absolute, in the host's native form.
 */
export interface FileHost {
  /** The file's text, or undefined when it does not exist or cannot be read. */
  readFile(filePath: string): string | undefined;
  /** Names of the entries of a directory, or undefined when it is not a readable directory. */
  listDirectory(dirPath: string): string[] | undefined;
  /** Whether the path is an existing regular file. */
  isFile(filePath: string): boolean;
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
    return this.files.get(path.resolve(filePath));
  }

  isFile(filePath: string): boolean {
    return this.files.has(path.resolve(filePath));
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
