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
  /**
   * Set when the edit changed one setting line and nothing else: the file's sections are those of the
   * analysed file (`analysed`, placed by the last analysis), and its setting `before` reads as `after`.
   */
  lineEdit?: { analysed: ModelFile; before: SettingNode; after: SettingNode };
  /** The file's own settings and sections (not those of files it includes); `order` counts within the file only. Placed on first use. */
  readonly settings: Placed<SettingNode>[];
  readonly sections: Placed<SectionNode>[];
}

/**
 * The edited file; its statements are placed (the whole file walked) only when `settings` or `sections`
 * is read: after a one-line edit (`lineEdit`) completion and hover answer from the last analysis's placement.
 */
export function editedFile(
  previous: ModelFile,
  text: string,
  parsed: ParsedFile,
  lineEdit?: { before: SettingNode; after: SettingNode },
): EditedFile {
  const file: ModelFile = { path: previous.path, text, parsed, entryFrames: previous.entryFrames };
  let placed: { settings: Placed<SettingNode>[]; sections: Placed<SectionNode>[] } | undefined;
  const place = () => (placed ??= placeStatements(file));
  return {
    file,
    lineEdit: lineEdit && { analysed: previous, ...lineEdit },
    get settings() {
      return place().settings;
    },
    get sections() {
      return place().sections;
    },
  };
}

/** Places the statements of the file's parse the way the model builder walks a file. */
function placeStatements({ path: filePath, parsed, entryFrames }: ModelFile): {
  settings: Placed<SettingNode>[];
  sections: Placed<SectionNode>[];
} {
  const stack = new FrameStack(entryFrames);
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
        stack.push(statement, filePath);
        if (!tooDeep) visit(statement.children);
        if (isClosed(statement)) stack.pop();
      }
    }
  };
  visit(parsed.statements);
  return { settings, sections };
}
