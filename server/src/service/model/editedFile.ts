import {
  MAX_SECTION_DEPTH,
  type ParsedFile,
  type SectionNode,
  type SettingNode,
  type Statement,
} from '../syntax/nodes';
import { FrameStack } from './frameStack';
import type { ModelFile, Placed } from './model';
import { isClosed } from '../syntax/parsedNodes';

/**
 * One file of an analysed tree as the editor holds it now: its fresh parse, with its settings and
 * sections placed inside the sections that were open where the last analysis found the file included.
 * The files it includes, and every other file, stay as the last analysis read them.
 */
export interface EditedFile {
  file: ModelFile;
  /** The file's own settings and sections (not those of files it includes); `order` counts within the file only. */
  settings: Placed<SettingNode>[];
  sections: Placed<SectionNode>[];
}

/** Places the statements of a fresh parse of `previous.path` the way the model builder walks a file. */
export function placeEditedFile(previous: ModelFile, text: string, parsed: ParsedFile): EditedFile {
  const filePath = previous.path;
  const stack = new FrameStack(previous.entryFrames);
  const settings: Placed<SettingNode>[] = [];
  const sections: Placed<SectionNode>[] = [];
  let order = 0;
  const visit = (statements: readonly Statement[]): void => {
    for (const statement of statements) {
      if (statement.kind === 'setting') {
        settings.push({ node: statement, file: filePath, frames: stack.frames(), order: order++ });
      } else if (statement.kind === 'close') {
        stack.pop();
      } else if (statement.kind === 'section') {
        sections.push({ node: statement, file: filePath, frames: stack.frames(), order: order++ });
        const tooDeep = stack.depth >= MAX_SECTION_DEPTH && !statement.bodySkipped;
        stack.push({ section: statement, file: filePath });
        if (!tooDeep) visit(statement.children);
        if (isClosed(statement)) stack.pop();
      }
    }
  };
  visit(parsed.statements);
  return { file: { path: filePath, text, parsed, entryFrames: previous.entryFrames }, settings, sections };
}
