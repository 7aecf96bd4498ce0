import * as path from 'node:path';
import type Ajv from 'ajv';
import type { ErrorObject } from 'ajv';
import type { LevelSetting } from '../analysis/rules';
import { globFiles } from '../model/glob';
import type { FileHost } from '../model/host';
import { projectSchema } from './projectSchema';

export const PROJECT_FILE_NAME = '.dovecot-lint.json';
/** The key of package.json that may hold the same settings. */
export const PACKAGE_JSON_KEY = 'dovecot-lint';

export type DovecotVersionSetting = 'auto' | '2.3' | '2.4';

/** The project file's settings, with paths made absolute. */
export interface ProjectConfig {
  /** The file the settings were read from. */
  file: string;
  /** Roots as written (paths or globs), resolved against the project folder; undefined: discover them. */
  roots?: string[];
  exclude: string[];
  pairs: { a: string; b: string }[];
  rules: Record<string, LevelSetting>;
  dovecotVersion?: DovecotVersionSetting;
  templates?: { enabled?: boolean; extensions?: string[] };
}

export type ProjectFileResult = { config: ProjectConfig; errors: [] } | { config: undefined; errors: string[] };

interface RawProject {
  roots?: string[];
  exclude?: string[];
  pairs?: { a: string; b: string }[];
  rules?: Record<string, LevelSetting>;
  dovecotVersion?: DovecotVersionSetting;
  templates?: { enabled?: boolean; extensions?: string[] };
}

let validator: ReturnType<Ajv['compile']> | undefined;
const validate = (value: unknown): boolean => {
  // Loaded on first use: most runs have no project file, and loading the validator costs the CLI's start.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const AjvClass = (require('ajv') as { default: typeof Ajv }).default;
  validator ??= new AjvClass({ allErrors: true, strict: false }).compile(projectSchema());
  return validator(value) as boolean;
};

function describeError(error: ErrorObject): string {
  const where = error.instancePath === '' ? 'the file' : error.instancePath.slice(1).replace(/\//g, '.');
  if (error.keyword === 'additionalProperties')
    return `${where}: unknown property '${String(error.params.additionalProperty)}'`;
  if (error.keyword === 'propertyNames')
    return `${where}: '${String(error.params.propertyName)}' is not a rule id (see dovecot-lint --list-rules)`;
  if (error.keyword === 'enum')
    return `${where}: must be one of ${(error.params.allowedValues as unknown[]).join(', ')}`;
  return `${where}: ${error.message ?? 'invalid'}`;
}

/** The project settings held by a text: the whole file, or the `dovecot-lint` key of a package.json. */
function rawSettings(file: string, text: string): { raw?: unknown; error?: string } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    return { error: `not valid JSON: ${(error as Error).message}` };
  }
  if (path.basename(file) !== 'package.json') return { raw: parsed };
  return { raw: (parsed as Record<string, unknown> | null)?.[PACKAGE_JSON_KEY] };
}

export function readProjectFile(host: FileHost, file: string): ProjectFileResult {
  const text = host.readFile(file);
  if (text === undefined) return { config: undefined, errors: [`${file}: cannot be read`] };
  const { raw, error } = rawSettings(file, text);
  if (error) return { config: undefined, errors: [`${file}: ${error}`] };
  if (!validate(raw)) {
    const errors = (validator?.errors ?? [])
      .filter((e) => e.keyword !== 'if')
      .map((e) => `${file}: ${describeError(e)}`);
    return { config: undefined, errors };
  }
  const settings = raw as RawProject;
  const dir = path.dirname(file);
  const absolute = (p: string): string => path.resolve(dir, p);
  return {
    config: {
      file,
      roots: settings.roots?.map(absolute),
      exclude: settings.exclude ?? [],
      pairs: (settings.pairs ?? []).map((pair) => ({ a: absolute(pair.a), b: absolute(pair.b) })),
      rules: settings.rules ?? {},
      dovecotVersion: settings.dovecotVersion,
      templates: settings.templates,
    },
    errors: [],
  };
}

/** Whether a package.json carries the `dovecot-lint` key. */
function packageJsonHasKey(host: FileHost, file: string): boolean {
  const text = host.readFile(file);
  if (text === undefined) return false;
  try {
    return (JSON.parse(text) as Record<string, unknown> | null)?.[PACKAGE_JSON_KEY] !== undefined;
  } catch {
    return false;
  }
}

/**
 * The nearest project file from a folder upwards: `.dovecot-lint.json`, else a package.json with a
 * `dovecot-lint` key, in the same folder; the first folder that has one wins.
 */
export function findProjectFile(host: FileHost, startDir: string): string | undefined {
  let dir = path.resolve(startDir);
  for (;;) {
    const projectFile = path.join(dir, PROJECT_FILE_NAME);
    if (host.isFile(projectFile)) return projectFile;
    const packageJson = path.join(dir, 'package.json');
    if (host.isFile(packageJson) && packageJsonHasKey(host, packageJson)) return packageJson;
    const parent = path.dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

/** The peer root of a root, from the project's pairs (in either direction). */
export function peerFromPairs(pairs: readonly { a: string; b: string }[], root: string): string | undefined {
  const resolved = path.resolve(root);
  for (const { a, b } of pairs) {
    if (a === resolved) return b;
    if (b === resolved) return a;
  }
  return undefined;
}

/** The files the project's `roots` name (paths or Dovecot-style globs, relative to the project folder). */
export function expandProjectRoots(host: FileHost, project: ProjectConfig & { roots: string[] }): string[] {
  const projectDir = path.dirname(project.file);
  return project.roots.flatMap((pattern) => globFiles(host, pattern, projectDir)).filter((file) => host.isFile(file));
}
