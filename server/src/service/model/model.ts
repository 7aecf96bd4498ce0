import * as path from 'node:path';
import type { ModelProblem, ModelProblemCode } from './problem';
import {
  MAX_SECTION_DEPTH,
  type IncludeNode,
  type InvalidNode,
  type ParsedFile,
  type SectionNode,
  type SettingNode,
  type Statement,
} from '../syntax/nodes';
import { checkFilterNesting } from './filters';
import { FrameStack } from './frameStack';
import { isClosed } from '../syntax/parsedNodes';
import { globFiles } from './glob';
import { readThrough, type FileHost, type FileRead } from './host';
import { DEFAULT_LIMITS, formatSize, type AnalysisLimits } from './limits';
import { templateIncludeTargets } from './templateGlob';

export { contextOf } from './frameStack';

/** An enclosing section, with the file it was written in. */
export interface Frame {
  section: SectionNode;
  file: string;
  /** The section-type path up to this section, as contextOf() gives it; set by frameIn(). */
  readonly context?: string;
}

/** A node with its place in the whole configuration: its file and its enclosing sections. */
export interface Placed<T> {
  node: T;
  file: string;
  frames: Frame[];
  /** Position in Dovecot's processing order across all files. */
  order: number;
  /** Set when Dovecot applies this setting in place of an obsolete one it rewrote (model/obsolete.ts). */
  rewrittenFrom?: SettingNode;
}

/** A section's entry, which is also the frame of its body. */
type PlacedSection = Placed<SectionNode> & Frame;

export interface IncludeEdge {
  from: string;
  node: IncludeNode;
  targets: string[];
}

export interface ModelFile {
  path: string;
  text: string;
  parsed: ParsedFile;
  /** The enclosing sections where the file was first included ([] for the root). */
  entryFrames: Frame[];
}

export interface ConfigModel {
  root: string;
  files: Map<string, ModelFile>;
  settings: Placed<SettingNode>[];
  sections: Placed<SectionNode>[];
  /** Lines with a key in double quotes that Dovecot 2.4 rejects and 2.3 reads as a setting or section (`read23`). */
  rejected24: Placed<InvalidNode>[];
  includes: IncludeEdge[];
  findings: ModelProblem[];
}

/** A file's parse and the text it was read from: a parse kept from an earlier read comes with that read's text. */
export interface ParsedText {
  text: string;
  parsed: ParsedFile;
}

/** Parses a file's text; a parse kept from an equal earlier text hands that text back, so one copy is kept. */
export type ParseFn = (filePath: string, text: string) => ParsedText;

/**
 * A file as doveconf names it in messages: relative to the root's directory (doveconf runs there and
 * joins include paths to it), absolute when the file lies outside; always with `/`.
 */
export function displayPath(root: string, file: string): string {
  const relative = path.relative(path.dirname(root), file);
  const shown = relative === '' || relative.startsWith('..') || path.isAbsolute(relative) ? file : relative;
  return shown.split(path.sep).join('/');
}

/**
 * Visits two lists, each in processing order, as one list in processing order; on equal `order` the entry
 * of `first` comes first (as a stable sort of first + second would give them), without making that list.
 */
export function forEachInOrder<A extends { order: number }, B extends { order: number }>(
  first: readonly A[],
  second: readonly B[],
  visitFirst: (entry: A) => void,
  visitSecond: (entry: B) => void,
): void {
  let i = 0;
  let j = 0;
  while (i < first.length || j < second.length) {
    if (j >= second.length || (i < first.length && first[i].order <= second[j].order)) visitFirst(first[i++]);
    else visitSecond(second[j++]);
  }
}

/** The filter sections (protocol, local, local_name, remote) around a place, outermost first. */
export function filtersOf(frames: readonly Frame[]): SectionNode[] {
  return frames.filter((frame) => frame.section.filter).map((frame) => frame.section);
}

/** Whether a filter section (protocol, local, local_name, remote) is around a place. */
export function isInFilter(frames: readonly Frame[]): boolean {
  for (const frame of frames) if (frame.section.filter) return true;
  return false;
}

/** A file being read, as on doveconf's input stack. */
interface Input {
  file: string;
  realPath: string;
}

/** Where the walk is: a list of statements of a file (its top level or a section body). */
interface Cursor {
  file: string;
  statements: readonly Statement[];
  index: number;
  /** The section whose body this is; its frame is popped when the body ends, if the file closes it. */
  section?: SectionNode;
  /** Set on a file's top level: the input popped when the file ends. */
  input?: Input;
  /** A file read but not parsed yet: parsed when the walk reaches it, so files register in reading order. */
  unparsedText?: string;
}

const NO_RANGE = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };

/**
 * Walks the include tree with explicit stacks (no JS recursion per include or per nesting level).
 * Includes follow config-parser.c: every file matched by a glob goes on the input stack at once (last
 * match first), and a match already on the stack is `Recursive include file`.
 */
class ModelBuilder {
  private readonly files = new Map<string, ModelFile>();
  private readonly settings: Placed<SettingNode>[] = [];
  private readonly sections: Placed<SectionNode>[] = [];
  private readonly rejected24: Placed<InvalidNode>[] = [];
  private readonly includes: IncludeEdge[] = [];
  private readonly findings: ModelProblem[] = [];
  /** Open sections across files, as Dovecot's single section stack. */
  private readonly stack = new FrameStack();
  private readonly cursors: Cursor[] = [];
  /** How many inputs on the stack have each path and each real path. */
  private readonly inputPaths = new Map<string, number>();
  private readonly inputRealPaths = new Map<string, number>();
  private order = 0;
  private includedFiles = 0;
  private treeBytes = 0;
  private root = '';

  constructor(
    private readonly host: FileHost,
    private readonly parse: ParseFn,
    private readonly options: ModelOptions,
    private readonly limits: AnalysisLimits,
    /** Only which files the tree reads: no settings or sections are recorded. */
    private readonly filesOnly = false,
  ) {}

  build(root: string): ConfigModel {
    this.root = root;
    const read = readThrough(this.host, root, this.limits.fileBytes);
    if (read.kind === 'text') {
      this.treeBytes += read.text.length;
      this.cursors.push(this.fileCursor(root, read.text, this.pushInput(root, this.realPathOf(root))));
      this.walk();
    } else {
      this.findings.push(
        this.refusalFinding(read, root, root, NO_RANGE) ?? {
          code: 'include-unreadable',
          file: root,
          range: NO_RANGE,
          message: `Couldn't open ${root}`,
        },
      );
    }
    for (const open of this.stack.popAll()) {
      // doveconf names the file as it opened it: relative to the root's directory when run from there.
      const start = `${displayPath(root, open.file)}:${open.section.headerRange.start.line + 1}`;
      this.findings.push({
        code: 'missing-close-brace',
        file: open.file,
        range: open.section.headerRange,
        message: `Missing '}' (section started at ${start})`,
      });
    }
    // Kept at their size: a list grown by pushing keeps up to half as much room again (0.14 MB at 100k lines).
    return {
      root,
      files: this.files,
      settings: this.settings.slice(),
      sections: this.sections.slice(),
      rejected24: this.rejected24,
      includes: this.includes,
      findings: this.findings,
    };
  }

  private walk(): void {
    for (let cursor = this.cursors.at(-1); cursor; cursor = this.cursors.at(-1)) {
      if (cursor.unparsedText !== undefined) this.openFile(cursor, cursor.unparsedText);
      if (cursor.index < cursor.statements.length) {
        this.visitStatement(cursor.file, cursor.statements[cursor.index++]);
        continue;
      }
      this.cursors.pop();
      if (cursor.section && isClosed(cursor.section)) this.closeSection(cursor.file, cursor.section);
      if (cursor.input) this.popInput(cursor.input);
    }
  }

  /**
   * A section's own `}` closes the section open last, as Dovecot's one stack of sections does: another one when
   * a `}` in an included file closed this one already, and none at top level, where it is `Unexpected '}'`.
   */
  private closeSection(file: string, section: SectionNode): void {
    if (this.stack.pop() !== undefined || !section.closeRange) return;
    this.findings.push({ code: 'unexpected-close-brace', file, range: section.closeRange, message: "Unexpected '}'" });
  }

  private fileCursor(file: string, text: string, input: Input): Cursor {
    return { file, statements: [], index: 0, input, unparsedText: text };
  }

  private openFile(cursor: Cursor, read: string): void {
    const filePath = cursor.file;
    const { text, parsed } = this.parse(filePath, read);
    if (!this.files.has(filePath)) {
      this.files.set(filePath, { path: filePath, text, parsed, entryFrames: this.stack.frames() });
      for (const problem of parsed.problems) this.findings.push({ ...problem, file: filePath });
    }
    cursor.statements = parsed.statements;
    cursor.unparsedText = undefined;
  }

  private realPathOf(filePath: string): string {
    return this.host.realPath?.(filePath) ?? filePath;
  }

  private pushInput(file: string, realPath: string): Input {
    this.inputPaths.set(file, (this.inputPaths.get(file) ?? 0) + 1);
    this.inputRealPaths.set(realPath, (this.inputRealPaths.get(realPath) ?? 0) + 1);
    return { file, realPath };
  }

  private popInput(input: Input): void {
    for (const [counts, key] of [
      [this.inputPaths, input.file],
      [this.inputRealPaths, input.realPath],
    ] as const) {
      const left = (counts.get(key) ?? 1) - 1;
      if (left > 0) counts.set(key, left);
      else counts.delete(key);
    }
  }

  private visitStatement(filePath: string, statement: Statement): void {
    switch (statement.kind) {
      case 'setting':
        if (this.filesOnly) return;
        this.settings.push({ node: statement, file: filePath, frames: this.stack.frames(), order: this.order++ });
        return;
      case 'section':
        this.visitSection(filePath, statement);
        return;
      case 'include':
        this.visitInclude(filePath, statement);
        return;
      case 'close':
        if (this.stack.pop() === undefined) {
          this.findings.push({
            code: 'unexpected-close-brace',
            file: filePath,
            range: statement.range,
            message: "Unexpected '}'",
          });
        }
        return;
      case 'invalid':
        if (statement.read23 && !this.filesOnly)
          this.rejected24.push({ node: statement, file: filePath, frames: this.stack.frames(), order: this.order++ });
        return;
    }
  }

  private visitSection(filePath: string, section: SectionNode): void {
    if (this.filesOnly) return this.openSection(filePath, section);
    // Only a filter can be nested wrongly: other sections do not gather the filters around them.
    const nesting = section.filter ? checkFilterNesting(section, filtersOf(this.stack.frames())) : undefined;
    if (nesting)
      this.findings.push({ code: nesting.code, file: filePath, range: section.headerRange, message: nesting.message });
    // The section's entry is the frame of its body too: one object per section instead of two.
    const entry: PlacedSection = {
      node: section,
      file: filePath,
      frames: this.stack.frames(),
      order: this.order++,
      section,
      context: this.stack.contextOf(section),
    };
    this.sections.push(entry);
    this.openSection(filePath, section, entry);
  }

  /** Opens the section on the stack; `entry`, its model entry, is its frame when given. */
  private openSection(filePath: string, section: SectionNode, entry?: PlacedSection): void {
    // Sections left open by including files count too: past the limit the body is not walked.
    const tooDeep = this.stack.depth >= MAX_SECTION_DEPTH && !section.bodySkipped;
    if (tooDeep) {
      this.findings.push({
        code: 'analysis-limit',
        file: filePath,
        range: section.headerRange,
        message: `Sections (with those of the including files) are nested more than ${MAX_SECTION_DEPTH} levels deep here: dovecot-lint does not analyse what is inside this section.`,
      });
    }
    if (entry) this.stack.pushFrame(entry);
    else this.stack.push(section, filePath);
    this.cursors.push({ file: filePath, statements: tooDeep ? [] : section.children, index: 0, section });
  }

  private includeTargets(pattern: string, baseDir: string): string[] {
    const { templateSuffixes } = this.options;
    return templateSuffixes
      ? templateIncludeTargets(this.host, pattern, baseDir, templateSuffixes)
      : globFiles(this.host, pattern, baseDir);
  }

  private visitInclude(filePath: string, include: IncludeNode): void {
    const baseDir = path.dirname(filePath);
    const targets = include.pattern === '' ? [] : this.includeTargets(include.pattern, baseDir);
    this.includes.push({ from: filePath, node: include, targets });
    // No pattern names the including file's directory, which Dovecot opens and reads as nothing
    // (settings_include@2.3.19 and 2.4.4: the path of a file is absolute when Dovecot reads it).
    if (include.pattern === '') return;
    if (targets.length === 0) {
      if (!include.optional) {
        this.findings.push({
          code: 'include-no-matches',
          file: filePath,
          range: include.patternRange,
          message: 'No matches',
        });
      }
      return;
    }
    const accepted: { target: string; text: string; input: Input }[] = [];
    // Last match first, as config-parser.c pushes them: the first one reported is the one doveconf stops at.
    // doveconf names the file last pushed (at line 0) when earlier matches were already pushed; the
    // finding stays on the !include, where the loop is closed and fixed.
    for (let i = targets.length - 1; i >= 0; i--) {
      const target = targets[i];
      const finding = (code: ModelProblemCode, message: string): void => {
        this.findings.push({ code, file: filePath, range: include.patternRange, message });
      };
      if (this.inputPaths.has(target)) {
        this.findings.push({
          code: 'include-recursive',
          file: filePath,
          range: include.patternRange,
          message: `Recursive include file: ${displayPath(this.root, target)}`,
          data: { target },
        });
        continue;
      }
      const realPath = this.realPathOf(target);
      if (this.inputRealPaths.has(realPath)) {
        // Through a symbolic link: doveconf follows it until the path is too long (then `No matches`).
        if (include.optional)
          finding(
            'analysis-limit',
            `${displayPath(this.root, target)} is ${displayPath(this.root, realPath)} again, through a symbolic link: dovecot-lint does not follow the loop (Dovecot follows it about 40 levels deep).`,
          );
        else
          finding(
            'include-recursive',
            `Recursive include file: ${displayPath(this.root, target)} (the same file as ${displayPath(this.root, realPath)}, through a symbolic link)`,
          );
        continue;
      }
      if (this.includedFiles >= this.limits.includedFiles) {
        finding(
          'analysis-limit',
          `More than ${this.limits.includedFiles} files are included into this configuration: dovecot-lint does not read the rest.`,
        );
        break;
      }
      const read = readThrough(this.host, target, this.limits.fileBytes);
      if (read.kind === 'directory') continue;
      if (read.kind === 'unreadable') {
        if (!include.optional) finding('include-unreadable', `Couldn't open include file ${target}`);
        continue;
      }
      if (read.kind !== 'text') {
        const refused = this.refusalFinding(read, filePath, target, include.patternRange);
        if (refused) this.findings.push(refused);
        continue;
      }
      if (this.treeBytes + read.text.length > this.limits.treeBytes) {
        finding(
          'analysis-limit',
          `This configuration is larger than ${formatSize(this.limits.treeBytes)} with ${displayPath(this.root, target)}: dovecot-lint does not read the rest.`,
        );
        break;
      }
      this.includedFiles++;
      this.treeBytes += read.text.length;
      accepted.push({ target, text: read.text, input: this.pushInput(target, realPath) });
    }
    // Pushed last match first, so the first match is walked first.
    for (const { target, text, input } of accepted) this.cursors.push(this.fileCursor(target, text, input));
  }

  /** The finding for a file that is not read: not a regular file, or past the size limit. */
  private refusalFinding(
    read: FileRead,
    file: string,
    target: string,
    range: ModelProblem['range'],
  ): ModelProblem | undefined {
    const shown = displayPath(this.root, target);
    if (read.kind === 'not-regular') {
      return {
        code: 'file-not-regular',
        file,
        range,
        message: `${shown} is not a regular file (${read.what}): Dovecot would block or never finish reading it. dovecot-lint does not read it.`,
      };
    }
    if (read.kind === 'too-large') {
      return {
        code: 'analysis-limit',
        file,
        range,
        message: `${shown} is larger than ${formatSize(this.limits.fileBytes)}: dovecot-lint does not read it.`,
      };
    }
    return undefined;
  }
}

export interface ModelOptions {
  /** In a template tree: the template file name endings an `!include` pattern also matches. */
  templateSuffixes?: readonly string[];
  /** What is read at most (DEFAULT_LIMITS when absent). */
  limits?: AnalysisLimits;
}

/** Builds the whole configuration from its root file, following includes exactly as Dovecot does (FACTS §1.9). */
export function buildModel(host: FileHost, root: string, parse: ParseFn, options: ModelOptions = {}): ConfigModel {
  return new ModelBuilder(host, parse, options, options.limits ?? DEFAULT_LIMITS).build(path.resolve(root));
}

/** The files `buildModel` reads for the tree of `root`, found by the same walk without recording its settings and sections. */
export function treeFiles(
  host: FileHost,
  root: string,
  parse: ParseFn,
  options: ModelOptions = {},
): ReadonlySet<string> {
  const builder = new ModelBuilder(host, parse, options, options.limits ?? DEFAULT_LIMITS, true);
  return new Set(builder.build(path.resolve(root)).files.keys());
}
