import type { TextDocument } from 'vscode-languageserver-textdocument';

/**
 * Makes an opened document's line table (the offset of each line) now. The document library makes it on
 * first use, which is the first edit: in a file of thousands of lines that keystroke's completion would
 * wait milliseconds for it. Later edits update the table in place.
 */
export function makeLineTable(document: TextDocument): number {
  return document.lineCount;
}
