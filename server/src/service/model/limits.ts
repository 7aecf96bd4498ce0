/**
 * How much of a configuration the language service reads. Dovecot has no such limits (a FIFO blocks
 * it, /dev/zero exhausts its memory); they keep the linter and the editor responsive on any input.
 */
export interface AnalysisLimits {
  /** Largest file read, in bytes: the root, an included file, a `<file` value. */
  fileBytes: number;
  /** Most bytes read for one include tree, counting a file again each time it is included. */
  treeBytes: number;
  /** Most files included into one tree, counting a file again each time it is included. */
  includedFiles: number;
}

export const MIB = 1024 * 1024;

export const DEFAULT_LIMITS: AnalysisLimits = { fileBytes: 8 * MIB, treeBytes: 64 * MIB, includedFiles: 50_000 };

/** `8 MB`, `512 kB`, `100 bytes`: a size as the messages show it. */
export function formatSize(bytes: number): string {
  if (bytes >= MIB && bytes % MIB === 0) return `${bytes / MIB} MB`;
  if (bytes >= MIB) return `${(bytes / MIB).toFixed(1)} MB`;
  if (bytes >= 1024) return `${Math.floor(bytes / 1024)} kB`;
  return `${bytes} bytes`;
}
