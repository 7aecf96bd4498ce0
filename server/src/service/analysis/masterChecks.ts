import type { Range } from 'vscode-languageserver-types';
import type { EffectiveSettings, MergedSection, SectionValue } from '../model/effective';
import type { Placed } from '../model/model';
import { allServices, isValidProtocolsValue, type ListenerInfo, type ServiceInfo } from '../schema/schema';
import type { SettingNode } from '../syntax/nodes';
import type { AnalysisContext } from './analyzer';
import type { Finding } from './finding';
import { checkFailure } from './unexpandedVariableChecks';
import { doveconfText23 } from './variableReading23';

/**
 * The checks doveconf's master runs after the whole file parsed (FACTS §1.11), in its order:
 * service names, then `protocols`, then per enabled service process limits, vsz_limit and listener
 * paths, then duplicate listeners. Findings go on the user's node that causes them.
 */

interface Place {
  file: string;
  range: Range;
}

type ListenerKind = 'unix' | 'fifo' | 'inet';

// Listeners and services are made with every field, also when undefined: one object shape for the
// checks' hot lookups.

/** A listener as the master sees it: the default listener merged with the user's block of that name. */
interface Listener {
  kind: ListenerKind;
  name: string;
  defaults: ListenerInfo | undefined;
  user: MergedSection | undefined;
}

/** A service as the master sees it: built-in defaults (if any) merged with the user's blocks. */
interface Service {
  sectionName: string;
  /** Its `name` setting as Dovecot reads it, else the section name ('' when it has none). */
  name: string;
  defaults: ServiceInfo | undefined;
  user: MergedSection | undefined;
  listeners: Listener[];
}

const LISTENER_KINDS: Record<string, ListenerKind> = {
  unix_listener: 'unix',
  fifo_listener: 'fifo',
  inet_listener: 'inet',
};
/** The settings context of each kind of listener block. */
const LISTENER_CONTEXTS: Record<ListenerKind, string> = {
  unix: 'service/unix_listener',
  fifo: 'service/fifo_listener',
  inet: 'service/inet_listener',
};
const ONE_MEGABYTE = 1024n * 1024n;

function userSetting(section: MergedSection | undefined, key: string): Placed<SettingNode> | undefined {
  return section?.settings.get(key);
}

function placeOfSection(section: MergedSection): Place {
  const first = section.occurrences[0];
  return { file: first.file, range: first.node.headerRange };
}

function placeOfSetting(entry: Placed<SettingNode>): Place {
  return { file: entry.file, range: entry.node.range };
}

/** A service setting as Dovecot reads it: the user's value over the service's built-in default. */
function serviceValue(effective: EffectiveSettings, service: Service, key: string): SectionValue {
  return effective.valueIn(service.user, 'service', key, service.defaults?.defaults[key] ?? '');
}

/** A listener setting as Dovecot reads it: the user's value over the listener's built-in default. */
function listenerValue(effective: EffectiveSettings, listener: Listener, key: keyof ListenerInfo): SectionValue {
  const fallback = listener.defaults?.[key] ?? '';
  return effective.valueIn(listener.user, LISTENER_CONTEXTS[listener.kind], key, fallback);
}

/** A number (a count, or the bytes of a size) in its setting's type; undefined when unknown or invalid. */
function integerOf(value: SectionValue): bigint | undefined {
  return typeof value.typed === 'bigint' ? value.typed : undefined;
}

function mergeListeners(defaults: ServiceInfo | undefined, user: MergedSection | undefined): Listener[] {
  const listeners: Listener[] = (defaults?.listeners ?? []).map((info) => ({
    kind: info.kind,
    name: info.name,
    defaults: info,
    user: undefined,
  }));
  for (const child of user?.children ?? []) {
    const kind = LISTENER_KINDS[child.type];
    if (!kind) continue;
    const existing =
      child.name === '' ? undefined : listeners.find((l) => l.kind === kind && l.name === child.name && !l.user);
    if (existing) existing.user = child;
    else listeners.push({ kind, name: child.name, defaults: undefined, user: child });
  }
  return listeners;
}

/** Default services in the schema's order, then the user's new services in the order they appear. */
function servicesOf(context: AnalysisContext): Service[] {
  const { effective } = context;
  const userServices = effective.sections('service');
  const defaultNames = new Set(allServices().map((defaults) => defaults.name));
  const service = (
    sectionName: string,
    defaults: ServiceInfo | undefined,
    user: MergedSection | undefined,
  ): Service => {
    const made: Service = { sectionName, name: '', defaults, user, listeners: mergeListeners(defaults, user) };
    made.name = effectiveName(effective, made);
    return made;
  };
  const userByName = new Map<string, MergedSection>();
  for (const user of userServices) if (!userByName.has(user.name)) userByName.set(user.name, user);
  const services: Service[] = allServices().map((defaults) =>
    service(defaults.name, defaults, userByName.get(defaults.name)),
  );
  for (const user of userServices) {
    if (user.name !== '' && defaultNames.has(user.name)) continue;
    services.push(service(user.name, undefined, user));
  }
  return services;
}

interface ProtocolsResult {
  enabled: Set<string>;
  findings: Finding[];
}

/** The first word of `protocols` no service provides, as master_settings_verify() reads it. */
function unknownProtocol(value: string): string | undefined {
  const names = value.split(/[ \t]+/).filter((name) => name !== '');
  if (names.length === 1 && names[0] === 'none') return undefined;
  return names.find((name) => name === 'none' || !isValidProtocolsValue(name));
}

function checkProtocols(context: AnalysisContext): ProtocolsResult {
  const effective = context.effective.value('protocols');
  const { entry } = effective;
  // doveconf -n does not read `<file` values: it checks the text `<path` itself (and rejects it); it keeps a
  // `$name` as written (only `$protocols` is expanded).
  const variables = entry?.node.valueKind === 'variables' ? doveconfText23(context.effective, entry) : undefined;
  const value = entry?.node.valueKind === 'file' ? `<${entry.node.value}` : (variables ?? effective.value);
  const names = value.split(/[ \t]+/).filter((name) => name !== '');
  if (names.length === 1 && names[0] === 'none') return { enabled: new Set(), findings: [] };
  const findings: Finding[] = [];
  const known = entry !== undefined && (entry.node.valueKind !== 'variables' || variables !== undefined);
  const unknown = known ? unknownProtocol(value) : undefined;
  if (entry && unknown !== undefined) {
    const finding: Finding = {
      code: 'unknown-protocol',
      file: entry.file,
      range: entry.node.valueRange,
      message: `protocols: Unknown protocol: ${unknown}`,
    };
    const passes = (expanded: Map<Placed<SettingNode>, string>) =>
      unknownProtocol(expanded.get(entry) ?? '') === undefined;
    findings.push(checkFailure(context, [entry], passes, finding));
  }
  return { enabled: new Set(names), findings };
}

function effectiveName(effective: EffectiveSettings, service: Service): string {
  return serviceValue(effective, service, 'name').value || service.sectionName;
}

function namePlace(service: Service): Place | undefined {
  if (!service.user) return undefined;
  const nameEntry = userSetting(service.user, 'name');
  return nameEntry ? placeOfSetting(nameEntry) : placeOfSection(service.user);
}

/** `Service #N is missing name` (N counts the built-in services too) and `Duplicate service name`. */
function nameFindings(services: Service[]): Finding[] {
  const findings: Finding[] = [];
  const seen = new Map<string, Service>();
  services.forEach((service, index) => {
    const { name } = service;
    const earlier = seen.get(name);
    if (name === '') {
      const where = namePlace(service);
      if (where)
        findings.push({ code: 'service-missing-name', ...where, message: `Service #${index} is missing name` });
    } else if (earlier) {
      // Reachable only through `name = X` inside a block: same-named blocks merge (FACTS §1.3).
      const where = namePlace(service) ?? namePlace(earlier);
      if (where)
        findings.push({ code: 'duplicate-service-name', ...where, message: `Duplicate service name: ${name}` });
    } else {
      seen.set(name, service);
    }
  });
  return findings;
}

function limitFindings(effective: EffectiveSettings, defaultLimit: bigint | undefined, service: Service): Finding[] {
  if (!service.user) return [];
  const { name } = service;
  const findings: Finding[] = [];
  const at = (key: string): Place => {
    const entry = userSetting(service.user, key);
    return entry ? placeOfSetting(entry) : placeOfSection(service.user as MergedSection);
  };
  const ownLimit = integerOf(serviceValue(effective, service, 'process_limit'));
  const processLimit = ownLimit === 0n ? defaultLimit : ownLimit;
  const minAvail = integerOf(serviceValue(effective, service, 'process_min_avail'));
  if (processLimit !== undefined && minAvail !== undefined && minAvail > processLimit) {
    findings.push({
      code: 'service-min-avail',
      ...at('process_min_avail'),
      message: `service(${name}): process_min_avail is higher than process_limit`,
    });
  }
  const vszLimit = integerOf(serviceValue(effective, service, 'vsz_limit'));
  if (vszLimit !== undefined && vszLimit !== 0n && vszLimit < ONE_MEGABYTE) {
    findings.push({ code: 'service-vsz-limit', ...at('vsz_limit'), message: `service(${name}): vsz_limit is too low` });
  }
  if (service.defaults?.processLimit1 && processLimit !== undefined && processLimit > 1n) {
    findings.push({
      code: 'service-process-limit',
      ...at('process_limit'),
      message: `service(${name}): process_limit must be 1`,
    });
  }
  return findings;
}

/** The path a unix or fifo listener opens: its `path`, else its name. */
function listenerPath(effective: EffectiveSettings, listener: Listener): SectionValue {
  return effective.valueIn(listener.user, LISTENER_CONTEXTS[listener.kind], 'path', listener.name);
}

function listenerPathFindings(effective: EffectiveSettings, service: Service): Finding[] {
  const findings: Finding[] = [];
  for (const listener of service.listeners) {
    if (listener.kind === 'inet' || !listener.user || listenerPath(effective, listener).value !== '') continue;
    const pathEntry = userSetting(listener.user, 'path');
    const where = pathEntry ? placeOfSetting(pathEntry) : placeOfSection(listener.user);
    findings.push({
      code: 'listener-path-empty',
      ...where,
      message: `service(${service.name}): ${listener.kind}_listener: path must not be empty`,
    });
  }
  return findings;
}

/** The `$` lines Dovecot reads at start as given, the rest as doveconf -n holds them. */
type Readings = Map<Placed<SettingNode>, string>;

/**
 * A listener setting's text as doveconf -n holds it (a `$name` as written), or as Dovecot reads it at start
 * where `expanded` has its line; undefined when Dovecot decides it at start and we cannot tell (an unreadable
 * file, a template).
 */
function listenerText(effective: EffectiveSettings, value: SectionValue, expanded?: Readings): string | undefined {
  const line = value.entry;
  if (!value.unknown || !line) return value.value;
  return expanded?.get(line) ?? (line.node.valueKind === 'variables' ? doveconfText23(effective, line) : undefined);
}

/** The master's key for a listener: the absolute path, or `port:address`; undefined when it opens nothing or is not known. */
function listenerKey(
  effective: EffectiveSettings,
  listener: Listener,
  baseDir: string,
  expanded?: Readings,
): string | undefined {
  if (listener.kind === 'inet') {
    const port = listenerValue(effective, listener, 'port').typed;
    const address = listenerText(effective, listenerValue(effective, listener, 'address'), expanded);
    if (typeof port !== 'number' || port === 0 || address === undefined) return undefined;
    return `${port}:${address}`;
  }
  const filePath = listenerText(effective, listenerPath(effective, listener), expanded);
  if (filePath === undefined || filePath === '') return undefined;
  return filePath.startsWith('/') ? filePath : `${baseDir}/${filePath}`;
}

/** The `$` lines that give a listener its key. */
function listenerVariableLines(effective: EffectiveSettings, listener: Listener): Placed<SettingNode>[] {
  const values =
    listener.kind === 'inet' ? [listenerValue(effective, listener, 'address')] : [listenerPath(effective, listener)];
  return values.flatMap((value) => (value.entry?.node.valueKind === 'variables' ? [value.entry] : []));
}

function listenerPlace(listener: Listener): Place | undefined {
  if (!listener.user) return undefined;
  const entry = userSetting(listener.user, listener.kind === 'inet' ? 'port' : 'path');
  return entry ? placeOfSetting(entry) : placeOfSection(listener.user);
}

function duplicateListenerFindings(context: AnalysisContext, services: Service[]): Finding[] {
  const baseDir = context.effective.value('base_dir').value.replace(/\/+$/, '');
  const seen = new Map<string, Listener>();
  const findings: Finding[] = [];
  for (const service of services) {
    for (const listener of service.listeners) {
      const key = listenerKey(context.effective, listener, baseDir);
      if (key === undefined) continue;
      const earlier = seen.get(key);
      if (!earlier) {
        seen.set(key, listener);
        continue;
      }
      // Report on whichever of the two the user wrote; two built-in listeners never collide.
      const where = listenerPlace(listener) ?? listenerPlace(earlier);
      if (!where) continue;
      const finding: Finding = { code: 'duplicate-listener', ...where, message: `duplicate listener: ${key}` };
      // doveconf -n compares a `$name` as written (`path = $name`): Dovecot may open two different paths.
      const lines = [earlier, listener].flatMap((one) => listenerVariableLines(context.effective, one));
      const passes = (expanded: Readings) => {
        const [first, second] = [earlier, listener].map((one) =>
          listenerKey(context.effective, one, baseDir, expanded),
        );
        return first !== undefined && second !== undefined && first !== second;
      };
      findings.push(checkFailure(context, lines, passes, finding));
    }
  }
  return findings;
}

function isEnabled(effective: EffectiveSettings, service: Service, enabled: Set<string>): boolean {
  const protocol = serviceValue(effective, service, 'protocol').value;
  return protocol === '' || enabled.has(protocol);
}

/** doveconf's master-level checks of services, listeners and `protocols` (FACTS §1.11). */
export function masterChecks(context: AnalysisContext): Finding[] {
  const { effective } = context;
  const services = servicesOf(context);
  const findings = nameFindings(services);
  const protocols = checkProtocols(context);
  findings.push(...protocols.findings);
  const active = services.filter((service) => service.name !== '' && isEnabled(effective, service, protocols.enabled));
  const typedLimit = effective.typedValue('default_process_limit');
  const defaultLimit = typeof typedLimit === 'bigint' ? typedLimit : undefined;
  for (const service of active) {
    findings.push(...limitFindings(effective, defaultLimit, service), ...listenerPathFindings(effective, service));
  }
  findings.push(...duplicateListenerFindings(context, active));
  return findings;
}
