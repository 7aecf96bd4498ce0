// `%{variable}` in the settings Dovecot 2.4's master process reads when it starts: the settings of each
// service, of each of its unix, fifo and inet listeners, and (once per inet listener) the master's own
// top-level settings (master_settings_get_services() in src/master/master-settings.c@2.4.4). It gets them
// expanded, and no variables are known there (only the provider forms such as %{env:NAME}): a value whose
// first `%{…}` is a plain variable stops Dovecot with `Failed to expand KEY setting variables: Unknown
// variable 'NAME'`; a plain `%{upper}` calls that function with no value to work on, and fails with the
// function's own error (var_expand_execute_stmt@2.4.4). doveconf -n does not expand them; doveconf -x does.
// Lists, filters and string_novars settings are not expanded (settings_var_expand@2.4.4). The walk below
// follows the master's order: built-in services as Dovecot lists them, then the user's; in each its
// settings, then its listeners.
import functionsAsVariables from '../../../../data/dovecot/doveconf-x-2.4.4-functions-as-variables.json';
import type { MergedSection } from '../model/effective';
import type { Placed } from '../model/model';
import {
  allServices24,
  allSettings24,
  findSetting24,
  type Listener24Info,
  type Service24Info,
} from '../schema/schema24';
import { EXPANDED_TYPES_24 } from '../schema/valueCheck24';
import { varExpandProgram24 } from '../schema/varExpandParser24';
import type { SettingNode } from '../syntax/nodes';
import type { AnalysisContext } from './analyzer';
import type { Finding } from './finding';
import type { ListenerKind } from './masterChecks';
import { isNameless, lastOf, LISTENER_KINDS } from './masterViewParts';
import { conversionFailure24 } from './masterConversion24';
import { sectionEscape24 } from './parser24Checks';

/**
 * What doveconf 2.4.4 -x says of a `%{name}` that names a function when it is alone (null: it expands) and
 * when a `%{dovecot_lint_probe}` follows it (whether that one is reached).
 */
const FUNCTIONS = new Map(functionsAsVariables.functions.map((entry) => [entry.name, entry]));
const PROBE_REACHED = "Unknown variable 'dovecot_lint_probe'";

/** A `%{name}` Dovecot's master cannot expand, and Dovecot's error for it (a function's own, or a `Panic: …` line). */
export interface MasterExpansionError {
  name: string;
  error: string;
  function: boolean;
}

/**
 * Why Dovecot fails to expand `value` with no variables: the first `%{…}` of the value that does not expand
 * without fail (`%{env:NAME}`, `%{default}`), when it is a plain `%{name}` (no provider, no filter, which
 * `default` could rescue) and the whole program parses. Undefined otherwise, also for a value the config
 * process changes first (`$SET:`, `$ENV:`).
 */
export function masterExpansionError(value: string): MasterExpansionError | undefined {
  if (!value.includes('%{') || value.includes('$SET:') || value.includes('$ENV:')) return undefined;
  let found: MasterExpansionError | undefined;
  for (let at = 0; at < value.length - 1 && !found; at++) {
    if (value[at] !== '%') continue;
    if (value[at + 1] === '%') {
      at++;
      continue;
    }
    if (value[at + 1] !== '{') continue;
    // %{env:NAME} expands without fail (to nothing when NAME is not set): the next one decides.
    const environment = /^%\{[ \t]*env:[A-Za-z0-9_]+[ \t]*\}/.exec(value.slice(at));
    if (environment) {
      at += environment[0].length - 1;
      continue;
    }
    const plain = /^%\{[ \t]*([A-Za-z_][A-Za-z0-9_]*)[ \t]*\}/.exec(value.slice(at));
    if (!plain) {
      // A variable that is not found leaves no value: a filter that needs one (lower, upper) fails with the
      // lookup's error (var_expand_execute_stmt@2.4.4); `default` and other filters are not judged.
      const piped = /^%\{[ \t]*([A-Za-z_][A-Za-z0-9_]*)[ \t]*\|[ \t]*(?:lower|upper)[ \t]*[|}]/.exec(value.slice(at));
      if (!piped || FUNCTIONS.has(piped[1])) return undefined;
      found = { name: piped[1], error: `Unknown variable '${piped[1]}'`, function: false };
      break;
    }
    const name = plain[1];
    const called = FUNCTIONS.get(name);
    if (!called) found = { name, error: `Unknown variable '${name}'`, function: false };
    else if (called.alone !== null)
      found = { name, error: called.alone, function: !called.alone.startsWith('Unknown variable') };
    else if (called.followed !== PROBE_REACHED) return undefined;
    else at += plain[0].length - 1;
  }
  return found && varExpandProgram24(value).error === undefined ? found : undefined;
}

/** Where a setting's value comes from for one reader: a line, a built-in text, or not known here. */
type Source = { entry: Placed<SettingNode> } | { text: string } | 'unknown';

function expanded24(name: string, struct: string): boolean {
  const info = findSetting24(name);
  return info !== undefined && EXPANDED_TYPES_24.has(info.type) && (info.structs ?? []).includes(struct);
}

/** The structs the master gets expanded: its own, a service's and its listeners'. */
const MASTER_STRUCTS = ['master', 'service', 'unix_listener', 'fifo_listener', 'inet_listener'];

const structSettings = new Map<string, string[]>();

/** The settings of a struct that the master gets expanded, by full name. */
function expandedSettingsOf(struct: string): string[] {
  let names = structSettings.get(struct);
  if (!names) {
    names = allSettings24()
      .filter((info) => expanded24(info.name, struct))
      .map((info) => info.name);
    structSettings.set(struct, names);
  }
  return names;
}

interface ServiceView {
  name: string;
  builtIn?: Service24Info;
  user?: MergedSection;
}

/** What the master reads, in its order, for the question "which read of a top-level line fails first". */
class MasterWalk {
  private readonly services: ServiceView[];

  constructor(private readonly context: AnalysisContext) {
    const users = context.effective.sections('service').filter((section) => !isNameless(section));
    const builtIns = allServices24();
    const builtInNames = new Set(builtIns.map((info) => info.name));
    this.services = builtIns.map((info) => ({
      name: info.name,
      builtIn: info,
      user: users.find((section) => section.name === info.name),
    }));
    const seen = new Set<string>();
    for (const user of users)
      if (!builtInNames.has(user.name) && !seen.has(user.name)) {
        seen.add(user.name);
        this.services.push({ name: user.name, user });
      }
  }

  private topLevel(name: string): Placed<SettingNode> | undefined {
    return this.context.effective.value(name).entry;
  }

  /** A service setting as the master reads it: the service's block, the global line, its built-in default, the global default. */
  private serviceSource(service: ServiceView, key: string): Source {
    const full = `service_${key}`;
    const own = lastOf(service.user, key, full);
    if (own) return { entry: own };
    const global = this.topLevel(full);
    if (global) return { entry: global };
    const builtIn = service.builtIn?.defaults[key];
    return { text: builtIn ?? findSetting24(full)?.default ?? '' };
  }

  /** A built-in listener's setting: its block in the service, a top-level block, the service's or the global line, its own default. */
  private listenerSource(
    service: ServiceView,
    kind: ListenerKind,
    listener: string,
    key: string,
    builtIn: Listener24Info,
  ): Source {
    const type = `${kind}_listener`;
    const full = `${type}_${key}`;
    const nestedBlock = service.user?.children.find((child) => child.type === type && child.name === listener);
    const nested = lastOf(nestedBlock, key, full);
    if (nested) return { entry: nested };
    const topLine = lastOf(this.context.effective.section(type, listener), key, full);
    const inService = lastOf(service.user, full);
    if (topLine && inService) return 'unknown';
    const user = topLine ?? inService ?? this.topLevel(full);
    if (user) return { entry: user };
    return { text: builtIn.settings[key] ?? findSetting24(full)?.default ?? '' };
  }

  /**
   * Whether a source reads `target` (the top-level line of `name`): it is that line, or the `$SET:name` of a
   * built-in default; 'unknown' for a user's line whose `$SET:` the config process replaces first.
   */
  private reads(source: Source, target: Placed<SettingNode>, name: string): boolean | 'unknown' {
    if (source === 'unknown') return 'unknown';
    if ('text' in source) return source.text === `$SET:${name}`;
    if (source.entry === target) return true;
    return source.entry.node.value.includes('$SET:') ? 'unknown' : false;
  }

  /** The user's listener blocks of a kind a service has that are not its built-in ones (their order is not known here). */
  private addedListeners(service: ServiceView, kind: ListenerKind): boolean {
    const type = `${kind}_listener`;
    const builtIn = new Set(
      (service.builtIn?.listeners ?? []).filter((info) => info.kind === kind).map((info) => info.path ?? info.name),
    );
    const blocks = [
      ...(service.user?.children ?? []).filter((child) => child.type === type),
      ...this.context.effective.sections(type),
    ];
    return blocks.some((block) => !isNameless(block) && !builtIn.has(block.name));
  }

  /**
   * The start of Dovecot's error for the first read of the top-level line `target` of `name` that expands
   * it, and the setting expanded there; undefined when nothing reads it or the order is not known here.
   */
  firstRead(target: Placed<SettingNode>, name: string): { prefix: string; key: string } | undefined {
    const master = expanded24(name, 'master');
    for (const service of this.services) {
      const found: string[] = [];
      for (const full of expandedSettingsOf('service')) {
        const read = this.reads(this.serviceSource(service, full.slice('service_'.length)), target, name);
        if (read === 'unknown') return undefined;
        if (read) found.push(full);
      }
      if (found.length > 1) return undefined;
      if (found.length === 1)
        return {
          prefix: `Failed to get service ${service.name}: service settings (filter=service/${service.name})`,
          key: found[0],
        };
      for (const kind of ['unix', 'fifo', 'inet'] as const) {
        const type = `${kind}_listener`;
        const listeners = (service.builtIn?.listeners ?? []).filter((info) => info.kind === kind);
        const settings = expandedSettingsOf(type);
        const readsGlobal = settings.some((full) => full === name);
        if (this.addedListeners(service, kind) && (readsGlobal || (kind === 'inet' && master))) return undefined;
        for (const listener of listeners) {
          const listenerName = listener.path ?? listener.name;
          const reading: string[] = [];
          for (const full of settings) {
            const source = this.listenerSource(service, kind, listenerName, full.slice(type.length + 1), listener);
            const read = this.reads(source, target, name);
            if (read === 'unknown') return undefined;
            if (read) reading.push(full);
          }
          if (reading.length > 1) return undefined;
          const prefix = `Failed to get ${type} ${listenerName}`;
          if (reading.length === 1)
            return { prefix: `${prefix}: ${type} settings (filter=${type}/${listenerName})`, key: reading[0] };
          if (kind === 'inet' && master) return { prefix: `${prefix}: master settings`, key: name };
        }
      }
    }
    return undefined;
  }
}

function failure(prefix: string, key: string, expansion: MasterExpansionError, what = 'this setting'): string {
  const { name, error } = expansion;
  const reads = expansion.function
    ? `Dovecot's master process reads ${what} when it starts, and there %{${name}} calls the function ${name} with nothing to work on (the master has no variables)`
    : `Dovecot's master process reads ${what} when it starts and has no variables for it (only forms such as %{env:NAME})`;
  if (error.startsWith('Panic: '))
    return `${error}. ${reads}: doveconf -n accepts this line, but Dovecot aborts at start (as doveconf -x does).`;
  return (
    `${prefix}: Failed to parse configuration: Failed to expand ${key} setting variables: ${error}. ` +
    `${reads}: doveconf -n accepts this line, but Dovecot stops at start (as doveconf -x does).`
  );
}

/** The start of Dovecot's error for a service's or listener's block of this name (the filter name as Dovecot escapes it). */
function blockPrefix(type: string, name: string): string {
  return `Failed to get ${type} ${name}: ${type} settings (filter=${type}/${sectionEscape24(name)})`;
}

/**
 * The block name of a service or an inet listener is the value of its `service_name` or `inet_listener_name`,
 * which the master expands like any other of its settings, unless a `name` line in the block replaces it (the
 * path of a unix or fifo listener is never expanded). One finding on the name of its first header.
 */
function nameFinding(block: MergedSection, type: 'service' | 'inet_listener'): Finding | undefined {
  if (lastOf(block, 'name', `${type}_name`)) return undefined;
  const header = block.opening;
  if (!header || block.occurrences.some((occurrence) => occurrence.node.template)) return undefined;
  const expansion = masterExpansionError(block.name);
  if (expansion === undefined) return undefined;
  const message = failure(blockPrefix(type, block.name), `${type}_name`, expansion, `the name of this ${type} block`);
  return {
    code: 'master-variable-fails-at-start',
    file: header.file,
    range: header.node.nameRange ?? header.node.headerRange,
    message,
  };
}

/** The short or full name a line of a block of this struct sets, as its full name, when the master expands it. */
function fullName(key: string, struct: string): string | undefined {
  const prefix = `${struct}_`;
  const full = key.startsWith(prefix) ? key : `${prefix}${key}`;
  return expanded24(full, struct) ? full : undefined;
}

function finding(entry: Placed<SettingNode>, message: string): Finding {
  return { code: 'master-variable-fails-at-start', file: entry.file, range: entry.node.valueRange, message };
}

/** A line whose value expands at start but is no value of its setting's type then (masterConversion24.ts). */
function conversionFinding(entry: Placed<SettingNode>, prefix: string, full: string): Finding | undefined {
  const { node } = entry;
  if (node.template || (node.valueKind !== 'plain' && node.valueKind !== 'quoted')) return undefined;
  const failure = conversionFailure24(node.value, full);
  if (failure === undefined) return undefined;
  return {
    code: 'master-value-invalid-at-start',
    file: entry.file,
    range: node.valueRange,
    message: `${prefix}: Failed to parse configuration: ${failure}. Dovecot's master process expands and reads this setting when it starts: doveconf -n accepts this line, but Dovecot stops at start (as doveconf -x does).`,
  };
}

function addFinding(findings: Finding[], found: Finding | undefined): void {
  if (found) findings.push(found);
}

/** What fails when Dovecot expands a line's value as written (no template, no file, no `$` reference). */
function expansionOf(entry: Placed<SettingNode>): MasterExpansionError | undefined {
  const { node } = entry;
  if (node.template || (node.valueKind !== 'plain' && node.valueKind !== 'quoted')) return undefined;
  return masterExpansionError(node.value);
}

/** The last lines of a service's or listener block's expanded settings, by full name. */
function blockLines(section: MergedSection, struct: string): [string, Placed<SettingNode>][] {
  const lines: [string, Placed<SettingNode>][] = [];
  for (const full of expandedSettingsOf(struct)) {
    const entry = lastOf(section, full.slice(struct.length + 1), full);
    if (entry && fullName(entry.node.key, struct) === full) lines.push([full, entry]);
  }
  return lines;
}

export function masterVariable24Checks(context: AnalysisContext): Finding[] {
  if (context.fragment || includesGroups(context)) return [];
  const findings: Finding[] = [];
  const services = context.effective.sections('service').filter((section) => !isNameless(section));
  for (const service of services) {
    const serviceName = nameFinding(service, 'service');
    if (serviceName) findings.push(serviceName);
    for (const [full, entry] of blockLines(service, 'service')) {
      const expansion = expansionOf(entry);
      const prefix = blockPrefix('service', service.name);
      if (expansion !== undefined) findings.push(finding(entry, failure(prefix, full, expansion)));
      else addFinding(findings, conversionFinding(entry, prefix, full));
    }
    for (const child of service.children) {
      const kind = LISTENER_KINDS[child.type];
      if (!kind || isNameless(child)) continue;
      const listenerName = kind === 'inet' ? nameFinding(child, 'inet_listener') : undefined;
      if (listenerName) findings.push(listenerName);
      for (const [full, entry] of blockLines(child, child.type)) {
        const expansion = expansionOf(entry);
        const prefix = blockPrefix(child.type, child.name);
        if (expansion !== undefined) findings.push(finding(entry, failure(prefix, full, expansion)));
        else addFinding(findings, conversionFinding(entry, prefix, full));
      }
    }
  }
  findings.push(...topLevelListenerFindings(context, services));
  const walk = new MasterWalk(context);
  for (const name of topLevelRead()) {
    const entry = context.effective.value(name).entry;
    if (!entry || entry.frames.length > 0 || !entry.node.value.includes('%{')) continue;
    const read = walk.firstRead(entry, name);
    if (!read) continue;
    const expansion = expansionOf(entry);
    if (expansion !== undefined) findings.push(finding(entry, failure(read.prefix, read.key, expansion)));
    else addFinding(findings, conversionFinding(entry, read.prefix, read.key));
  }
  return findings;
}

/**
 * A listener block at top level belongs to every service: its line fails in the first service whose own block
 * of that listener does not set the key (nor the service block the key's full name, whose order against it is not known).
 */
function topLevelListenerFindings(context: AnalysisContext, services: MergedSection[]): Finding[] {
  const findings: Finding[] = [];
  const serviceBlocks: (MergedSection | undefined)[] = [
    ...allServices24().map((info) => services.find((section) => section.name === info.name)),
    ...services.filter((section) => !allServices24().some((info) => info.name === section.name)),
  ];
  const read = (type: string, block: MergedSection, full: string): boolean => {
    const short = full.slice(type.length + 1);
    return serviceBlocks.some((service) => {
      const nested = service?.children.find((child) => child.type === type && child.name === block.name);
      return !lastOf(nested, short, full) && !lastOf(service, full);
    });
  };
  for (const type of Object.keys(LISTENER_KINDS))
    for (const block of context.effective.sections(type)) {
      if (isNameless(block)) continue;
      const name = type === 'inet_listener' ? nameFinding(block, type) : undefined;
      if (name && read(type, block, 'inet_listener_name')) findings.push(name);
      for (const [full, entry] of blockLines(block, type)) {
        if (!read(type, block, full)) continue;
        const expansion = expansionOf(entry);
        const prefix = blockPrefix(type, block.name);
        if (expansion !== undefined) findings.push(finding(entry, failure(prefix, full, expansion)));
        else addFinding(findings, conversionFinding(entry, prefix, full));
      }
    }
  return findings;
}

/** Top-level settings the master reads: its own, and the `service_*` and `*_listener_*` defaults of every service. */
function topLevelRead(): string[] {
  return [...new Set(MASTER_STRUCTS.flatMap(expandedSettingsOf))];
}

/** An `@label = name` line at top level: an include group may add services, listeners or their settings. */
function includesGroups(context: AnalysisContext): boolean {
  return context.model.settings.some(({ node, frames }) => frames.length === 0 && node.key.startsWith('@'));
}
