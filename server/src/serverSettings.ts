// The server's settings (`dovecot.*` in VS Code, or the initialization options of another editor), and the
// files they name.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { LevelSetting } from './service/analysis/rules';
import type { VersionSetting } from './service/model/dialect';
import type { FileHost } from './service/model/host';
import { URI } from './uri';

export interface ServerSettings {
  rootConfig: string;
  /** `dovecot.version`: `auto` detects the version, `2.3`/`2.4` force it. */
  version: VersionSetting;
  lint: { rules: Record<string, LevelSetting> };
  replication: { peers: Record<string, string> };
  /** Machine-scoped in VS Code: a workspace cannot choose the program the server runs. */
  live: { doveconfPath: string };
}

export const DEFAULT_SETTINGS: ServerSettings = {
  rootConfig: '',
  version: 'auto',
  lint: { rules: {} },
  replication: { peers: {} },
  live: { doveconfPath: 'doveconf' },
};

const VERSION_SETTINGS: ReadonlySet<string> = new Set<VersionSetting>(['auto', '2.3', '2.4']);

/** The settings the client's `dovecot` section gives, each missing or unknown one at its default. */
export function settingsFrom(value: Partial<ServerSettings> | null | undefined): ServerSettings {
  return {
    rootConfig: value?.rootConfig ?? '',
    version: VERSION_SETTINGS.has(String(value?.version)) ? (value?.version as VersionSetting) : 'auto',
    lint: { rules: value?.lint?.rules ?? {} },
    replication: { peers: value?.replication?.peers ?? {} },
    live: { doveconfPath: value?.live?.doveconfPath || DEFAULT_SETTINGS.live.doveconfPath },
  };
}

/** A path a setting names, relative to the first workspace folder; undefined when empty. */
export function resolveSettingPath(value: string, workspaceFolders: readonly string[]): string | undefined {
  if (value === '') return undefined;
  if (path.isAbsolute(value)) return value;
  return workspaceFolders.length > 0 ? path.resolve(workspaceFolders[0], value) : path.resolve(value);
}

/** Why a path cannot be read as a configuration file, or undefined when it is a regular file (or an open document). */
export function notAConfigFile(filePath: string, host: FileHost): string | undefined {
  if (host.isFile(filePath)) return undefined;
  try {
    const stat = fs.statSync(filePath);
    if (stat.isFIFO()) return 'is a FIFO';
    if (stat.isCharacterDevice() || stat.isBlockDevice()) return 'is a device';
    if (stat.isDirectory()) return 'is a directory';
    return 'is not a regular file';
  } catch {
    return 'does not exist';
  }
}

/** Rule id -> link to its row in the rule reference of the README the client named (line of its anchor). */
export function loadRuleDocLinks(readme: unknown): Map<string, string> {
  if (typeof readme !== 'string' || !path.isAbsolute(readme)) return new Map();
  try {
    if (!fs.statSync(readme).isFile()) return new Map();
    const lines = fs.readFileSync(readme, 'utf8').split('\n');
    const links = new Map<string, string>();
    lines.forEach((line, index) => {
      const anchor = /<a id="rule-([a-z0-9.-]+)"><\/a>/.exec(line);
      if (anchor) links.set(anchor[1], `${URI.fromPath(readme)}#L${index + 1}`);
    });
    return links;
  } catch {
    return new Map();
  }
}
