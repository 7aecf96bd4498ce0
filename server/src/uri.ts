import { URI as VsUri } from 'vscode-uri';

/** File URIs as VS Code writes them, so a path maps to the same string the client uses. */
export const URI = {
  fromPath(filePath: string): string {
    return VsUri.file(filePath).toString();
  },
  isFile(uri: string): boolean {
    return VsUri.parse(uri).scheme === 'file';
  },
  toPath(uri: string): string {
    return VsUri.parse(uri).fsPath;
  },
};
