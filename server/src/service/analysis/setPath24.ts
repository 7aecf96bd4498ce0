// `$SET:filter/path/name` in a Dovecot 2.4 value (config_write_keyvariable@2.4.4). When Dovecot expands it at
// start, the path is looked up from the top level among the named list filters (`service auth`,
// `passdb x`, a listener inside a service) that exist when the line is read: the ones written before it,
// and Dovecot's own services with their listeners. A built-in listener is found under a `service NAME` the
// user wrote too: the lookup falls back from the user's block to Dovecot's own one (the reverse default
// sibling of config_filter_parser_find_path_sub@2.4.4). The name after the last `/` is taken as written: no
// prefix of the filter is added (`service_process_limit`, not `process_limit`).
import type { ConfigModel, Placed } from '../model/model';
import { allServices24, findSetting24, setExpansionError } from '../schema/schema24';
import type { SectionNode, SettingNode } from '../syntax/nodes';

const LISTENER_TYPES = { unix: 'unix_listener', inet: 'inet_listener', fifo: 'fifo_listener' } as const;

/** The paths of Dovecot's own named list filters (its services and their listeners), made once. */
let builtInPaths: Set<string> | undefined;
function builtInFilterPaths(): Set<string> {
  if (builtInPaths) return builtInPaths;
  builtInPaths = new Set();
  for (const service of allServices24()) {
    builtInPaths.add(`service/${service.name}`);
    for (const listener of service.listeners)
      builtInPaths.add(`service/${service.name}/${LISTENER_TYPES[listener.kind]}/${listener.name}`);
  }
  return builtInPaths;
}

/** A section's path from the top level when it and every section around it is a named list filter. */
function filterPathOf(entry: Placed<SectionNode>): string | undefined {
  const sections = [...entry.frames.map((frame) => frame.section), entry.node];
  const parts: string[] = [];
  for (const section of sections) {
    if (section.name === '' || findSetting24(section.type)?.type !== 'filter_list') return undefined;
    parts.push(section.type, section.name);
  }
  return parts.join('/');
}

/** The model's named list filter paths, with the order each was first opened at. */
const pathsCache = new WeakMap<ConfigModel, Map<string, number>>();
function writtenFilterPaths(model: ConfigModel): Map<string, number> {
  const cached = pathsCache.get(model);
  if (cached) return cached;
  const paths = new Map<string, number>();
  for (const placed of model.sections) {
    if (placed.node.template || placed.frames.some((frame) => frame.section.template)) continue;
    const filterPath = filterPathOf(placed);
    if (filterPath !== undefined && !paths.has(filterPath)) paths.set(filterPath, placed.order);
  }
  pathsCache.set(model, paths);
  return paths;
}

/** Whether every statement before a line is known: the whole tree was read, no template decides any of it. */
function treeKnown(model: ConfigModel, fragment: boolean): boolean {
  if (fragment || model.findings.some((finding) => finding.code !== 'include-no-matches')) return false;
  return [...model.files.values()].every((file) => file.parsed.templateExpressions === undefined);
}

type PathLookup = 'found' | 'missing' | 'unknown';

function lookUpFilterPath(
  model: ConfigModel,
  entry: Placed<SettingNode>,
  filterPath: string,
  fragment: boolean,
): PathLookup {
  const first = filterPath.split('/')[0];
  if (first.startsWith('@')) return 'unknown';
  if (findSetting24(first)?.type !== 'filter_list') return 'missing';
  const written = writtenFilterPaths(model);
  const opened = written.get(filterPath);
  if (opened !== undefined && opened < entry.order) return 'found';
  if (builtInFilterPaths().has(filterPath)) return 'found';
  return treeKnown(model, fragment) ? 'missing' : 'unknown';
}

/** The name a `$SET:` path should end with when the one written is a short name inside that filter. */
function prefixedName(filterPath: string, name: string): string | undefined {
  const parts = filterPath.split('/');
  const type = parts[parts.length - 2];
  const candidate = `${type}_${name}`;
  return type !== undefined && findSetting24(candidate) ? candidate : undefined;
}

/**
 * Why Dovecot 2.4 cannot expand `$SET:path/name` at start, or undefined when it can or when that depends on
 * what we cannot see (an include not read, a template).
 */
export function setPathError(
  model: ConfigModel,
  entry: Placed<SettingNode>,
  fullName: string,
  fragment: boolean,
): string | undefined {
  const slash = fullName.lastIndexOf('/');
  const filterPath = fullName.slice(0, slash);
  const name = fullName.slice(slash + 1);
  const lookup = lookUpFilterPath(model, entry, filterPath, fragment);
  if (lookup === 'missing') return `Failed to expand $SET:${fullName}: Unknown filter path: ${filterPath}`;
  if (lookup === 'unknown') return undefined;
  const error = setExpansionError(name)?.replace(`$SET:${name}`, `$SET:${fullName}`);
  const prefixed = findSetting24(name) ? undefined : prefixedName(filterPath, name);
  return error && prefixed ? `${error} (a $SET: path takes the full name: $SET:${filterPath}/${prefixed})` : error;
}
