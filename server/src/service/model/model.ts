import * as path from 'node:path';
import type { Finding } from '../analysis/finding';
import type { IncludeNode, ParsedFile, SectionNode, SettingNode, Statement } from '../syntax/nodes';
import { checkFilterNesting } from './filters';
import { globFiles } from './glob';
import type { FileHost } from './host';
import { templateIncludeTargets } from './templateGlob';

/** An enclosing section, with the file it was written in. */
export interface Frame {
  section: SectionNode;
  file: string;
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
  includes: IncludeEdge[];
  findings: Finding[];
}

export type ParseFn = (filePath: string, text: string) => ParsedFile;

/**
 * A file as doveconf names it in messages: relative to the root's directory (doveconf runs there and
 * joins include paths to it), absolute when the file lies outside; always with `/`.
 */
export function displayPath(root: string, file: string): string {
  const relative = path.relative(path.dirname(root), file);
  const shown = relative === '' || relative.startsWith('..') || path.isAbsolute(relative) ? file : relative;
  return shown.split(path.sep).join('/');
}

/** The section-type path of a place, filters left out: '', 'service', 'service/inet_listener', ... */
export function contextOf(frames: readonly Frame[]): string {
  return frames
    .filter((frame) => !frame.section.filter)
    .map((frame) => frame.section.type)
    .join('/');
}

/** The filter sections (protocol, local, local_name, remote) around a place, outermost first. */
export function filtersOf(frames: readonly Frame[]): SectionNode[] {
  return frames.filter((frame) => frame.section.filter).map((frame) => frame.section);
}

class ModelBuilder {
  private readonly files = new Map<string, ModelFile>();
  private readonly settings: Placed<SettingNode>[] = [];
  private readonly sections: Placed<SectionNode>[] = [];
  private readonly includes: IncludeEdge[] = [];
  private readonly findings: Finding[] = [];
  private readonly activeFiles: string[] = [];
  /** Open sections across files, as Dovecot's single section stack. */
  private readonly stack: Frame[] = [];
  private order = 0;
  private root = '';

  constructor(
    private readonly host: FileHost,
    private readonly parse: ParseFn,
    private readonly options: ModelOptions,
  ) {}

  build(root: string): ConfigModel {
    this.root = root;
    const text = this.host.readFile(root);
    if (text === undefined) {
      this.findings.push({
        code: 'include-unreadable',
        file: root,
        range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
        message: `Couldn't open ${root}`,
      });
    } else {
      this.visitFile(root, text);
    }
    for (const open of this.stack.splice(0)) {
      // doveconf names the file as it opened it: relative to the root's directory when run from there.
      const start = `${displayPath(root, open.file)}:${open.section.headerRange.start.line + 1}`;
      this.findings.push({
        code: 'missing-close-brace',
        file: open.file,
        range: open.section.headerRange,
        message: `Missing '}' (section started at ${start})`,
      });
    }
    return {
      root,
      files: this.files,
      settings: this.settings,
      sections: this.sections,
      includes: this.includes,
      findings: this.findings,
    };
  }

  private visitFile(filePath: string, text: string): void {
    const parsed = this.parse(filePath, text);
    if (!this.files.has(filePath)) {
      this.files.set(filePath, { path: filePath, text, parsed, entryFrames: [...this.stack] });
      for (const problem of parsed.problems) this.findings.push({ ...problem, file: filePath });
    }
    this.activeFiles.push(filePath);
    this.visitStatements(filePath, parsed.statements);
    this.activeFiles.pop();
  }

  private visitStatements(filePath: string, statements: Statement[]): void {
    for (const statement of statements) this.visitStatement(filePath, statement);
  }

  private visitStatement(filePath: string, statement: Statement): void {
    switch (statement.kind) {
      case 'setting':
        this.settings.push({ node: statement, file: filePath, frames: [...this.stack], order: this.order++ });
        return;
      case 'section':
        this.visitSection(filePath, statement);
        return;
      case 'include':
        this.visitInclude(filePath, statement);
        return;
      case 'close':
        if (this.stack.pop() === undefined) {
          this.findings.push({ code: 'unexpected-close-brace', file: filePath, range: statement.range, message: "Unexpected '}'" });
        }
        return;
      case 'invalid':
        return;
    }
  }

  private visitSection(filePath: string, section: SectionNode): void {
    const nesting = checkFilterNesting(section, filtersOf(this.stack));
    if (nesting) this.findings.push({ code: nesting.code, file: filePath, range: section.headerRange, message: nesting.message });
    this.sections.push({ node: section, file: filePath, frames: [...this.stack], order: this.order++ });
    this.stack.push({ section, file: filePath });
    this.visitStatements(filePath, section.children);
    if (section.closeRange) this.stack.pop();
  }

  private includeTargets(pattern: string, baseDir: string): string[] {
    const { templateSuffixes } = this.options;
    return templateSuffixes ? templateIncludeTargets(this.host, pattern, baseDir, templateSuffixes) : globFiles(this.host, pattern, baseDir);
  }

  private visitInclude(filePath: string, include: IncludeNode): void {
    const baseDir = path.dirname(filePath);
    const targets = include.pattern === '' ? [] : this.includeTargets(include.pattern, baseDir);
    this.includes.push({ from: filePath, node: include, targets });
    if (targets.length === 0) {
      if (!include.optional) {
        this.findings.push({ code: 'include-no-matches', file: filePath, range: include.patternRange, message: 'No matches' });
      }
      return;
    }
    for (const target of targets) {
      if (this.activeFiles.includes(target)) {
        this.findings.push({
          code: 'include-recursive',
          file: filePath,
          range: include.patternRange,
          // doveconf names the file as it opened it: relative to the root's directory (E).
          message: `Recursive include file: ${displayPath(this.root, target)}`,
          data: { target },
        });
        continue;
      }
      const text = this.host.readFile(target);
      if (text === undefined) {
        if (!include.optional) {
          this.findings.push({
            code: 'include-unreadable',
            file: filePath,
            range: include.patternRange,
            message: `Couldn't open include file ${target}`,
          });
        }
        continue;
      }
      this.visitFile(target, text);
    }
  }
}

export interface ModelOptions {
  /** In a template tree: the template file name endings an `!include` pattern also matches. */
  templateSuffixes?: readonly string[];
}

/** Builds the whole configuration from its root file, following includes exactly as Dovecot does (FACTS §1.9). */
export function buildModel(host: FileHost, root: string, parse: ParseFn, options: ModelOptions = {}): ConfigModel {
  return new ModelBuilder(host, parse, options).build(path.resolve(root));
}
