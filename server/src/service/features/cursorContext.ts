import type { Position } from 'vscode-languageserver-types';
import type { TreeAnalysis } from '../languageService';
import { contextOf, type Frame } from '../model/model';
import type { SectionNode, Statement } from '../syntax/nodes';

/** Where the cursor is: the enclosing sections (include context first) and the line's text. */
export interface CursorContext {
  frames: Frame[];
  /** Section-type path without filters: '', 'service', 'service/inet_listener', 'plugin', ... */
  context: string;
  /** The innermost enclosing section, if any. */
  section?: SectionNode;
  /** Text of the cursor's line up to the cursor. */
  linePrefix: string;
  /** The statement on the cursor's line, if any. */
  statement?: Statement;
}

function contains(section: SectionNode, position: Position): boolean {
  const start = section.headerRange.end;
  const afterHeader = position.line > start.line || (position.line === start.line && position.character >= start.character);
  const close = section.closeRange?.start;
  const beforeClose = !close || position.line < close.line || (position.line === close.line && position.character <= close.character);
  return afterHeader && beforeClose;
}

function onLine(statement: Statement, line: number): boolean {
  return statement.range.start.line <= line && line <= statement.range.end.line;
}

/** Finds the enclosing sections and the statement at a position of one file of the tree. */
export function cursorContext(analysis: TreeAnalysis, file: string, position: Position): CursorContext {
  const modelFile = analysis.model.files.get(file);
  const frames: Frame[] = [...(modelFile?.entryFrames ?? [])];
  const text = modelFile?.text ?? '';
  const lineText = text.split('\n')[position.line] ?? '';
  let statements = modelFile?.parsed.statements ?? [];
  let statement: Statement | undefined;
  for (;;) {
    const inner = statements.find((s): s is SectionNode => s.kind === 'section' && contains(s, position));
    statement = statements.find((s) => s.kind !== 'section' && onLine(s, position.line)) ?? statement;
    if (!inner) break;
    frames.push({ section: inner, file });
    statements = inner.children;
  }
  const section = frames[frames.length - 1]?.section;
  return { frames, context: contextOf(frames), section, linePrefix: lineText.slice(0, position.character).replace(/\r$/, ''), statement };
}
