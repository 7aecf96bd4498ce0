import type { Range } from 'vscode-languageserver-types';
import type { CheckedVersion } from '../model/dialect';
import type { Placed } from '../model/model';
import type { SettingNode } from '../syntax/nodes';
import type { AnalysisContext } from './analyzer';
import type { Finding } from './finding';
import { masterView23, masterViews23InFilters } from './masterView23';
import { masterView24, serviceInFilterFindings } from './masterView24';
import type { RuleId } from './rules';
import { checkFailure } from './unexpandedVariableChecks';

/**
 * The checks Dovecot's master runs over its services, listeners and `protocols` (FACTS §1.11;
 * master_settings_verify in src/master/master-settings.c@2.3.19, master_settings_ext_check @2.4.4), in their
 * order: service names (and 2.4's types), `protocols`, then per enabled service its limits and listener paths,
 * then duplicate listeners. doveconf 2.3 runs them after parsing; 2.4 only when Dovecot starts (doveconf -x
 * and -F, which `dovecot` reads its configuration with; doveconf -n skips them). Each version reads the
 * configuration its own way (masterView23.ts, masterView24.ts); the checks are these, with the differences
 * of MASTER_RULES. Findings go on the user's line that causes them.
 */

export interface Place {
  file: string;
  range: Range;
}

/** A setting as the master reads it. */
export interface MasterRead<T> {
  /** Undefined when we cannot know it: a variable, a file, a value that does not parse, a form we do not model. */
  value: T | undefined;
  /** The user's line that decided it; undefined when a built-in default did. */
  at?: Place;
  /** 2.3: the lines whose `$name` doveconf -n reads as written to give `value` (Dovecot expands it at start). */
  lines?: readonly Placed<SettingNode>[];
  /** 2.3: `at` is the global block's line, read for a service block in a filter. */
  outer?: true;
}

/** What Dovecot 2.3 reads at start for `$` lines, where doveconf -n keeps a `$name` as written. */
export type Readings = ReadonlyMap<Placed<SettingNode>, string>;

export type ListenerKind = 'unix' | 'fifo' | 'inet';
export type ServiceNumber =
  'process_limit' | 'process_min_avail' | 'client_limit' | 'restart_request_count' | 'idle_kill_interval' | 'vsz_limit';
export type ServiceFlag = 'drop_priv_before_exec' | 'reuse_port';
export type ServiceText = 'protocol' | 'type' | 'chroot';

export interface MasterListener {
  kind: ListenerKind;
  /** A unix or fifo listener's path as written: relative to base_dir unless absolute. */
  path(): MasterRead<string>;
  /** A unix or fifo listener's mode: the master does not count a listener of mode 0 among its listeners. */
  mode(): MasterRead<bigint>;
  port(): MasterRead<number>;
  /** The addresses an inet listener listens on: 2.3 its `address`, 2.4 the `listen` list in effect for it. */
  addresses(): MasterRead<readonly string[]>;
  /** The user's block of it; undefined for a built-in listener the user left alone. */
  block?: Place;
}

export interface MasterService {
  /** Its name as the master reads it (a `name` setting in the block, else the block's name). */
  name: MasterRead<string>;
  /** The user's block of it; undefined for a built-in service the user left alone. */
  block?: Place;
  /** A built-in service the master requires to run as one process. */
  processLimit1: boolean;
  number(key: ServiceNumber): MasterRead<bigint>;
  flag(key: ServiceFlag): MasterRead<boolean>;
  text(key: ServiceText): MasterRead<string>;
  listeners: readonly MasterListener[];
}

export interface MasterProtocols {
  /** The protocols enabled, undefined when we cannot tell. */
  enabled: ReadonlySet<string> | undefined;
  /** Each name the user enabled, where written, for the unknown-protocol check. */
  written: readonly { name: string; at: Place; lines?: readonly Placed<SettingNode>[] }[];
}

/** A configuration as one version's master reads it. */
export interface MasterView {
  /** Built-in services first, then the user's own, in the order the master numbers them. */
  services: readonly MasterService[];
  protocols: MasterProtocols;
  /** Whether some service provides a protocol; undefined when we cannot tell. */
  provides(protocol: string): boolean | undefined;
  baseDir: MasterRead<string>;
}

interface MasterRules {
  /** Appended to each message: where the version runs the check. */
  suffix: string;
  vszTooLow(bytes: bigint): boolean;
  vszMessage: string;
  /** The limits that must be higher than 0 (2.3 reads 0 as the default). */
  positive: readonly { key: ServiceNumber; message: string }[];
  /** process_min_avail must equal process_limit under reuse_port = yes. */
  reusePort: boolean;
  /** The master checks each service's type (2.3 does it while parsing: settings-check). */
  serviceType: boolean;
}

const ONE_MEGABYTE = 1024n * 1024n;
const UNLIMITED_HINT = ' (did you mean "unlimited"?)';
const SERVICE_TYPES: ReadonlySet<string> = new Set(['', 'log', 'config', 'anvil', 'login', 'startup', 'worker']);

const MASTER_RULES: Record<CheckedVersion, MasterRules> = {
  '2.3': {
    suffix: '',
    vszTooLow: (bytes) => bytes !== 0n && bytes < ONE_MEGABYTE,
    vszMessage: 'vsz_limit is too low',
    positive: [],
    reusePort: false,
    serviceType: false,
  },
  '2.4': {
    suffix: '. doveconf -n accepts this, but Dovecot stops at start (as doveconf -x does).',
    vszTooLow: (bytes) => bytes < ONE_MEGABYTE,
    vszMessage: `vsz_limit is too low${UNLIMITED_HINT}`,
    positive: [
      { key: 'process_limit', message: 'process_limit must be higher than 0' },
      { key: 'client_limit', message: 'client_limit must be higher than 0' },
      { key: 'restart_request_count', message: `restart_request_count must be higher than 0${UNLIMITED_HINT}` },
      { key: 'idle_kill_interval', message: `idle_kill_interval must be higher than 0${UNLIMITED_HINT}` },
    ],
    reusePort: true,
    serviceType: true,
  },
};

interface Reported {
  finding: Finding;
  /** The `$` lines of the values it read (see MasterRead.lines). */
  lines: readonly Placed<SettingNode>[];
}

function placeKey(finding: Finding): string {
  const { start } = finding.range;
  return `${finding.file}\u0000${start.line}:${start.character}`;
}

/** Collects findings, one per rule and place: a global line that fails every service is reported once, for the first. */
class Report {
  readonly reported: Reported[] = [];
  private readonly seen = new Set<string>();

  constructor(private readonly suffix: string) {}

  add(code: RuleId, where: Place | undefined, message: string, reads: readonly MasterRead<unknown>[] = []): void {
    if (!where) return;
    const finding: Finding = { code, file: where.file, range: where.range, message: `${message}${this.suffix}` };
    const key = `${code}\u0000${placeKey(finding)}`;
    if (this.seen.has(key)) return;
    this.seen.add(key);
    this.reported.push({ finding, lines: reads.flatMap((read) => read.lines ?? []) });
  }
}

/** Where a finding about a service goes: the first of the user's lines that decided the values, else its block. */
function placeOf(service: MasterService, ...reads: MasterRead<unknown>[]): Place | undefined {
  return (reads.find((read) => read.at && !read.outer) ?? reads.find((read) => read.at))?.at ?? service.block;
}

/** `Service #N is missing name` (N counts the built-in services too), `Unknown service type`, `Duplicate service name`. */
function nameChecks(view: MasterView, rules: MasterRules, report: Report): void {
  const seen = new Map<string, MasterService>();
  view.services.forEach((service, index) => {
    const name = service.name.value;
    if (name === undefined) return;
    if (name === '') {
      report.add('service-missing-name', placeOf(service, service.name), `Service #${index} is missing name`, [
        service.name,
      ]);
      return;
    }
    const type = rules.serviceType ? service.text('type') : undefined;
    if (type?.value !== undefined && !SERVICE_TYPES.has(type.value))
      report.add('service-type-unknown', placeOf(service, type), `Unknown service type: ${type.value}`, [type]);
    // Reachable only through `name = X` inside a block: same-named blocks merge (FACTS §1.3).
    const earlier = seen.get(name);
    if (earlier) {
      const where = placeOf(service, service.name) ?? placeOf(earlier, earlier.name);
      report.add('duplicate-service-name', where, `Duplicate service name: ${name}`, [service.name, earlier.name]);
    } else seen.set(name, service);
  });
}

function protocolChecks(view: MasterView, report: Report): void {
  for (const { name, at, lines } of view.protocols.written) {
    if (view.provides(name) !== false) continue;
    report.add('unknown-protocol', at, `protocols: Unknown protocol: ${name}`, [{ value: name, lines }]);
    return;
  }
}

/** Whether the master checks the service: its protocol is empty or enabled; undefined when we cannot tell. */
function isEnabled(view: MasterView, service: MasterService): boolean | undefined {
  const protocol = service.text('protocol').value;
  if (protocol === undefined) return undefined;
  if (protocol === '') return true;
  return view.protocols.enabled?.has(protocol);
}

function limitChecks(service: MasterService, rules: MasterRules, report: Report): void {
  const name = service.name.value as string;
  const fail = (code: RuleId, message: string, ...reads: MasterRead<unknown>[]) =>
    report.add(code, placeOf(service, ...reads), `service(${name}): ${message}`, reads);
  const chroot = service.text('chroot');
  const dropPriv = service.flag('drop_priv_before_exec');
  if (dropPriv.value === true && chroot.value !== undefined && chroot.value !== '')
    fail('service-drop-priv-chroot', "drop_priv_before_exec=yes can't be used with chroot", dropPriv, chroot);
  const processLimit = service.number('process_limit');
  const minAvail = service.number('process_min_avail');
  for (const { key, message } of rules.positive) {
    const read = service.number(key);
    if (read.value === 0n) fail('service-limit-zero', message, read);
  }
  const limit = processLimit.value;
  if (minAvail.value !== undefined && limit !== undefined && minAvail.value > limit)
    fail('service-min-avail', 'process_min_avail is higher than process_limit', minAvail, processLimit);
  const vszLimit = service.number('vsz_limit');
  if (vszLimit.value !== undefined && rules.vszTooLow(vszLimit.value))
    fail('service-vsz-limit', rules.vszMessage, vszLimit);
  const reusePort = rules.reusePort ? service.flag('reuse_port') : undefined;
  if (reusePort?.value === true && minAvail.value !== undefined && limit !== undefined && minAvail.value !== limit)
    fail(
      'service-min-avail',
      'process_min_avail must be equal to process_limit when using service_reuse_port=yes',
      minAvail,
      processLimit,
      reusePort,
    );
  if (service.processLimit1 && limit !== undefined && limit > 1n)
    fail('service-process-limit', 'process_limit must be 1', processLimit);
  for (const listener of service.listeners) {
    if (listener.kind === 'inet' || listener.path().value !== '') continue;
    report.add(
      'listener-path-empty',
      listener.path().at ?? listener.block,
      `service(${name}): ${listener.kind}_listener: path must not be empty`,
      [listener.path()],
    );
  }
}

/** Marks the key of a relative path when base_dir is unknown: two such paths still compare. */
const IN_BASE_DIR = '\u0000';

/**
 * The master's keys for a listener: the absolute path, or `port:address` for each address; none when it opens
 * nothing, and undefined when Dovecot decides the path, address or port at start (a variable, a file).
 */
function listenerKeys(listener: MasterListener, baseDir: MasterRead<string>): string[] | undefined {
  if (listener.kind === 'inet') {
    const port = listener.port().value;
    if (port === 0) return [];
    const addresses = listener.addresses().value;
    if (port === undefined || addresses === undefined) return undefined;
    return addresses.map((address) => `${port}:${address}`);
  }
  const path = listener.path().value;
  const mode = listener.mode().value;
  if (path === '' || mode === 0n) return [];
  if (path === undefined || mode === undefined) return undefined;
  if (path.startsWith('/')) return [path];
  const base = baseDir.value;
  return [base === undefined ? `${IN_BASE_DIR}${path}` : `${base.replace(/\/$/, '')}/${path}`];
}

/** A key as the master prints it; a path under a base_dir we do not know (2.4's is set when Dovecot is built) as relative. */
function listenerText(key: string): string {
  return key.startsWith(IN_BASE_DIR) ? `${key.slice(IN_BASE_DIR.length)} in base_dir` : key;
}

function listenerPlace(listener: MasterListener): Place | undefined {
  return (listener.kind === 'inet' ? listener.port() : listener.path()).at ?? listener.block;
}

/** `duplicate listener`: keys compared as strings, the first in the master's sorted order reported first. */
function duplicateListenerChecks(view: MasterView, services: readonly MasterService[], report: Report): void {
  const firstByKey = new Map<string, MasterListener>();
  const laterByKey = new Map<string, MasterListener[]>();
  for (const service of services) {
    for (const listener of service.listeners) {
      for (const key of listenerKeys(listener, view.baseDir) ?? []) {
        if (!firstByKey.has(key)) {
          firstByKey.set(key, listener);
          continue;
        }
        const later = laterByKey.get(key);
        if (later) later.push(listener);
        else laterByKey.set(key, [listener]);
      }
    }
  }
  for (const key of [...laterByKey.keys()].sort()) {
    const first = firstByKey.get(key) as MasterListener;
    const later = laterByKey.get(key) as MasterListener[];
    // Report on whichever of the two the user wrote; two built-in listeners never collide.
    for (const listener of later)
      report.add(
        'duplicate-listener',
        listenerPlace(listener) ?? listenerPlace(first),
        `duplicate listener: ${listenerText(key)}`,
        [first, listener].flatMap((one): MasterRead<unknown>[] => [one.kind === 'inet' ? one.addresses() : one.path()]),
      );
  }
}

/** A service whose name we cannot read is left out: the master would name it in its messages. */
function activeServices(view: MasterView): MasterService[] {
  return view.services.filter(
    (service) => service.name.value !== undefined && service.name.value !== '' && isEnabled(view, service) === true,
  );
}

/** The master checks over one version's view of the configuration. */
function masterReport(
  view: MasterView,
  version: CheckedVersion,
  report = new Report(MASTER_RULES[version].suffix),
): Reported[] {
  const rules = MASTER_RULES[version];
  nameChecks(view, rules, report);
  protocolChecks(view, report);
  const active = activeServices(view);
  for (const service of active) limitChecks(service, rules, report);
  duplicateListenerChecks(view, active, report);
  return report.reported;
}

/**
 * 2.3's checks of the whole configuration, then of each filter's services: their limits and listener paths
 * (a filter's listeners are not merged with the global ones here, so duplicates are not compared).
 */
function masterReport23(context: AnalysisContext, expanded?: Readings): Reported[] {
  const rules = MASTER_RULES['2.3'];
  const report = new Report(rules.suffix);
  const global = masterView23(context, expanded);
  masterReport(global, '2.3', report);
  for (const view of masterViews23InFilters(context, global, expanded))
    for (const service of activeServices(view)) limitChecks(service, rules, report);
  return report.reported;
}

/**
 * doveconf 2.3's master checks after parsing (FACTS §1.11), on values as doveconf -n reads them (a `$name` as
 * written). Where Dovecot's reading at start, with the `$name` expanded, fails no check at that place, the
 * finding becomes the variable-fails-doveconf warning.
 */
export function masterChecks(context: AnalysisContext): Finding[] {
  return masterReport23(context).map(({ finding, lines }) => {
    if (lines.length === 0) return finding;
    // Dovecot may fail there at start on another check (an expanded path that is empty).
    const passes = (expanded: Readings) =>
      !masterReport23(context, expanded).some((atStart) => placeKey(atStart.finding) === placeKey(finding));
    return checkFailure(context, lines, passes, finding);
  });
}

/** The master checks Dovecot 2.4 runs when it starts, on the top level and on each filter that holds services. */
export function masterChecks24(context: AnalysisContext): Finding[] {
  const view = masterView24(context);
  const findings = view ? masterReport(view, '2.4').map(({ finding }) => finding) : [];
  return [...findings, ...serviceInFilterFindings(context)];
}
