import type { Position } from 'vscode-languageserver-types';
import { comparePositions, rangeContains } from '../syntax/ranges';
import type { TreeAnalysis } from '../languageService';
import { contextOf, filtersOf, type Frame, type ModelFile } from '../model/model';
import type { SectionNode, Statement } from '../syntax/nodes';
import { lineTextAt } from '../syntax/textLines';

/** Where the cursor is: the enclosing sections (include context first) and the line's text. */
export interface CursorContext {
  /** Enclosing sections across includes, outermost first: the file's entry frames, then its own. */
  frames: Frame[];
  /** Section-type path without filters: '', 'service', 'service/inet_listener', 'plugin', ... */
  context: string;
  /** The filter sections around the cursor (protocol, local, local_name, remote), outermost first. */
  filters: SectionNode[];
  /** The innermost enclosing section, if any. */
  section?: SectionNode;
  /** Text of the cursor's line up to the cursor. */
  linePrefix: string;
  /** Text of the cursor's line from the cursor on. */
  lineSuffix: string;
  /** The statement (not an enclosing section) on the cursor's line, if any. */
  statement?: Statement;
  /** A section whose header is on the cursor's line. */
  header?: SectionNode;
}

export { comparePositions, rangeContains };

/** Inside the braces: after the header's `{`, up to and including the position of its `}`. */
function isInsideBody(section: SectionNode, position: Position): boolean {
  if (comparePositions(position, section.headerRange.end) < 0) return false;
  return !section.closeRange || comparePositions(position, section.closeRange.start) <= 0;
}

/** The statements of one level on a line (a section by its header); a level is in file order, so the scan stops past the line. */
function statementsOnLine(statements: readonly Statement[], line: number): Statement[] {
  const onLine: Statement[] = [];
  for (const statement of statements) {
    const range = statement.kind === 'section' ? statement.headerRange : statement.range;
    if (range.start.line > line) break;
    if (line <= range.end.line) onLine.push(statement);
  }
  return onLine;
}

/**
 * The sections open at `position`, scanning the file's statements in order: a `}` of this file that
 * closes a section of the including file pops an entry frame (braces balance across files, FACTS §1.9).
 */
function framesAt(
  modelFile: ModelFile | undefined,
  file: string,
  position: Position,
): { frames: Frame[]; statements: Statement[] } {
  const frames: Frame[] = [...(modelFile?.entryFrames ?? [])];
  const top = modelFile?.parsed.statements ?? [];
  let level = top;
  for (;;) {
    let inner: SectionNode | undefined;
    for (const statement of level) {
      if (comparePositions(statement.range.start, position) > 0) break;
      if (
        statement.kind === 'close' &&
        comparePositions(statement.range.end, position) <= 0 &&
        level === top &&
        frames.length > 0
      ) {
        frames.pop();
      } else if (statement.kind === 'section' && isInsideBody(statement, position)) {
        inner = statement;
      }
    }
    if (!inner) return { frames, statements: level };
    frames.push({ section: inner, file });
    level = inner.children;
  }
}

/** The text of one line of a file, through its parse's line table when it has one for this text. */
function lineOf(modelFile: ModelFile | undefined, line: number): string {
  if (!modelFile) return '';
  const { textLines } = modelFile.parsed;
  return textLines.text === modelFile.text ? textLines.lineText(line) : lineTextAt(modelFile.text, line);
}

/**
 * Finds the enclosing sections and the statement at a position of one file of the tree. After an edit of
 * one setting line, the sections are the analysed file's (the edit changed none), so that they are the
 * ones the analysis placed its settings in; the edited setting is read as it is now.
 */
export function cursorContext(analysis: TreeAnalysis, file: string, position: Position): CursorContext {
  const edited = analysis.edited?.file.path === file ? analysis.edited : undefined;
  const modelFile = edited?.file ?? analysis.model.files.get(file);
  const { frames, statements } = framesAt(edited?.lineEdit?.analysed ?? modelFile, file, position);
  const lineText = lineOf(modelFile, position.line);
  const onLine = statementsOnLine(statements, position.line);
  const found = onLine.find((s) => s.kind !== 'section');
  const statement = found !== undefined && found === edited?.lineEdit?.before ? edited.lineEdit.after : found;
  const header = onLine.find((s): s is SectionNode => s.kind === 'section');
  const character = Math.min(Math.max(position.character, 0), lineText.length);
  return {
    frames,
    context: contextOf(frames),
    filters: filtersOf(frames),
    section: frames[frames.length - 1]?.section,
    linePrefix: lineText.slice(0, character),
    lineSuffix: lineText.slice(character),
    statement,
    header,
  };
}
