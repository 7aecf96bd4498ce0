// The path the analysis reads a document under. A `file:` document is its file. A document that is not a file
// (`untitled:Untitled-1`, …) has no directory and no includes to follow: it is analysed alone, as a single-file
// configuration, under a path of its own that maps back to its URI.
import * as path from 'node:path';
import type { FileHost } from './service/model/host';
import { URI } from './uri';

const DOCUMENTS_WITHOUT_FILE = path.join(path.sep, '.dovecot-documents-without-a-file');

export class DocumentPaths {
  private readonly virtualUris = new Map<string, string>();

  /** `textOf` gives the text the editor holds for a URI, undefined when it is not open. */
  constructor(private readonly textOf: (uri: string) => string | undefined) {}

  readonly pathOf = (uri: string): string => {
    if (URI.isFile(uri)) return URI.toPath(uri);
    const file = path.join(DOCUMENTS_WITHOUT_FILE, encodeURIComponent(uri));
    this.virtualUris.set(file, uri);
    return file;
  };

  readonly uriOf = (file: string): string => this.virtualUris.get(file) ?? URI.fromPath(file);

  /** Whether `file` stands for a document that is not a file. */
  readonly isVirtual = (file: string): boolean => this.virtualUris.has(file);

  /** Forgets a document without a file once it is closed. */
  forget(file: string): void {
    this.virtualUris.delete(file);
  }

  /** What a tree rooted at `root` is read from: the document alone when it is not a file, else `host`. */
  hostFor(root: string, host: FileHost): FileHost {
    return this.isVirtual(root) ? new SingleDocumentHost(root, () => this.textOf(this.uriOf(root))) : host;
  }
}

/** The one open document that is not a file, and nothing else. */
class SingleDocumentHost implements FileHost {
  constructor(
    private readonly file: string,
    private readonly text: () => string | undefined,
  ) {}

  readFile(filePath: string): string | undefined {
    return filePath === this.file ? this.text() : undefined;
  }

  listDirectory(): string[] | undefined {
    return undefined;
  }

  isFile(filePath: string): boolean {
    return this.readFile(filePath) !== undefined;
  }
}
