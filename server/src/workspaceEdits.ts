// A quick fix's edits as the LSP workspace edit the client applies, and its title.
import * as path from 'node:path';
import type { TextEdit, WorkspaceEdit } from 'vscode-languageserver/node';
import type { FileEdits } from './service/features/quickFix';

/** What the edit is sent to: the client's support, the workspace, and the open documents' versions. */
export interface EditClient {
  changeAnnotations: boolean;
  workspaceFolders: readonly string[];
  uriOf: (file: string) => string;
  /** The version of the open document at `uri`, null when it is not open. */
  versionOf: (uri: string) => number | null;
}

/** A file as the user knows it: relative to its workspace folder, else absolute. */
export function shownPath(file: string, workspaceFolders: readonly string[]): string {
  for (const folder of workspaceFolders) {
    const relative = path.relative(folder, file);
    if (relative !== '' && !relative.startsWith('..') && !path.isAbsolute(relative))
      return relative.split(path.sep).join('/');
  }
  return file;
}

/**
 * The LSP edit of a quick fix requested in `fromFile`. Edits of any other file (the peer's, another
 * file of the tree) carry a change annotation that needs confirmation: the editor shows them first.
 */
export function toWorkspaceEdit(
  edits: FileEdits,
  snippet: boolean,
  fromFile: string,
  client: EditClient,
): WorkspaceEdit {
  const files = Object.entries(edits).map(([file, fileEdits]) => ({ file, edits: fileEdits }));
  const others = files.filter(({ file }) => file !== fromFile);
  if (!snippet && (others.length === 0 || !client.changeAnnotations)) {
    return { changes: Object.fromEntries(files.map(({ file, edits: fileEdits }) => [client.uriOf(file), fileEdits])) };
  }
  const label = (file: string): string => `edit ${shownPath(file, client.workspaceFolders)}`;
  const annotationId = (file: string): string | undefined =>
    file !== fromFile && client.changeAnnotations ? label(file) : undefined;
  // LSP 3.18 SnippetTextEdit: the snippet in `snippet`, not in `newText` (the 3.17 types do not know it yet).
  const asSnippet = ({ range, newText }: TextEdit) =>
    ({ range, snippet: { kind: 'snippet', value: newText } }) as unknown as TextEdit;
  return {
    documentChanges: files.map(({ file, edits: fileEdits }) => {
      const uri = client.uriOf(file);
      const id = annotationId(file);
      return {
        textDocument: { uri, version: client.versionOf(uri) },
        edits: fileEdits.map((edit) => ({
          ...(snippet ? asSnippet(edit) : edit),
          ...(id ? { annotationId: id } : {}),
        })),
      };
    }),
    ...(client.changeAnnotations && others.length > 0
      ? {
          changeAnnotations: Object.fromEntries(
            others.map(({ file }) => [
              label(file),
              {
                label: `Changes ${shownPath(file, client.workspaceFolders)}`,
                description: 'another file than the one you are editing',
                needsConfirmation: true,
              },
            ]),
          ),
        }
      : {}),
  };
}

/** A quick fix's title names the other files it changes, so the choice is made knowingly. */
export function fixTitle(
  title: string,
  edits: FileEdits,
  fromFile: string,
  workspaceFolders: readonly string[],
): string {
  const others = Object.keys(edits)
    .filter((file) => file !== fromFile)
    .map((file) => shownPath(file, workspaceFolders));
  return others.length === 0 ? title : `${title} (in ${others.join(', ')})`;
}
