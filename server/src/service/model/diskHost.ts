import * as fs from 'node:fs';
import type { FileHost } from './host';

/** Reads the real file system. */
export class DiskHost implements FileHost {
  readFile(filePath: string): string | undefined {
    try {
      return fs.readFileSync(filePath, 'utf8');
    } catch {
      return undefined;
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
}

/** Open editor buffers first, then the disk. */
export class OverlayHost implements FileHost {
  constructor(
    private readonly openText: (filePath: string) => string | undefined,
    private readonly disk: FileHost = new DiskHost(),
  ) {}

  readFile(filePath: string): string | undefined {
    return this.openText(filePath) ?? this.disk.readFile(filePath);
  }

  listDirectory(dirPath: string): string[] | undefined {
    return this.disk.listDirectory(dirPath);
  }

  isFile(filePath: string): boolean {
    return this.openText(filePath) !== undefined || this.disk.isFile(filePath);
  }
}
