import * as path from 'node:path';
import type { LevelSetting } from '../analysis/rules';
import type { FileHost } from '../model/host';
import { discoverRoots } from './discoverRoots';
import { expandProjectRoots, findProjectFile, peerFromPairs, readProjectFile, type ProjectConfig } from './projectFile';

/** How many roots a workspace crawl analyses before a file is opened. */
export const MAX_WORKSPACE_ROOTS = 50;

const isInside = (dir: string, file: string): boolean => {
  const relative = path.relative(dir, file);
  return relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative));
};

/** The project files of the workspace folders, and what they say about a root. */
export class WorkspaceProjects {
  private projects: ProjectConfig[] = [];

  constructor(private readonly host: FileHost) {}

  /** Reads the project file of each folder (found from the folder upwards); returns the problems found. */
  load(folders: readonly string[]): string[] {
    const files = new Set(
      folders.map((folder) => findProjectFile(this.host, folder)).filter((file): file is string => file !== undefined),
    );
    const results = [...files].map((file) => readProjectFile(this.host, file));
    this.projects = results.flatMap((result) => (result.config ? [result.config] : []));
    return results.flatMap((result) => result.errors);
  }

  /** The project whose folder is the nearest one above the file. */
  projectOf(file: string): ProjectConfig | undefined {
    const holding = this.projects.filter((project) => isInside(path.dirname(project.file), file));
    return holding.sort((a, b) => b.file.length - a.file.length)[0];
  }

  /** How template files are read: the first project file that says so, else the defaults. */
  templateOptions(): { enabled: boolean; extraSuffixes: string[] } {
    const templates = this.projects.find((project) => project.templates)?.templates;
    return { enabled: templates?.enabled !== false, extraSuffixes: templates?.extensions ?? [] };
  }

  peerOf(root: string): string | undefined {
    const project = this.projectOf(root);
    return project && peerFromPairs(project.pairs, root);
  }

  rulesFor(root: string): Record<string, LevelSetting> {
    return this.projectOf(root)?.rules ?? {};
  }

  /** The roots of a workspace folder: its project's roots, else every root found below it. */
  roots(folder: string, rootNames: readonly string[], filesOf: (root: string) => ReadonlySet<string>): string[] {
    const project = this.projectOf(folder);
    const projectDir = project && path.dirname(project.file);
    const roots = project?.roots
      ? expandProjectRoots(this.host, { ...project, roots: project.roots })
      : discoverRoots(this.host, folder, { exclude: project?.exclude, excludeBase: projectDir, rootNames, filesOf });
    return roots.slice(0, MAX_WORKSPACE_ROOTS);
  }
}
