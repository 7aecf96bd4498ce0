import type { FilterBlock, MergedSection } from '../model/effectiveTree';
import type { Placed } from '../model/model';
import {
  allServices24,
  defaultValue24,
  findSetting24,
  type Listener24Info,
  type Service24Info,
} from '../schema/schema24';
import { parseTyped } from '../schema/valueCheck';
import { parseBoollist24, valueCheckable24 } from '../schema/valueCheck24';
import type { SettingNode } from '../syntax/nodes';
import type { AnalysisContext } from './analyzer';
import type { Finding } from './finding';
import type {
  ListenerKind,
  MasterListener,
  MasterProtocols,
  MasterRead,
  MasterService,
  MasterView,
  Place,
  ServiceFlag,
  ServiceNumber,
  ServiceText,
} from './masterChecks';
import { globalLists } from './sieveExtensions24';
import { isNameless, lastOf, LISTENER_KINDS, placeOfSection, placeOfSetting } from './masterViewParts';

/**
 * Dovecot 2.4's services as its master reads them when it starts (master_settings_ext_check in
 * src/master/master-settings.c@2.4.4, run on the top level with no protocol, local or remote). A service
 * setting is, most specific first: the service's block (`process_limit` or `service_process_limit`), the
 * global `service_*` setting, the service's built-in default, the global default (`$SET:default_*`): any
 * value the user wrote beats a built-in one, so a global `service_process_limit` reaches anvil. A listener
 * block outside a service belongs to every service. Checked with doveconf 2.4.4 -x: forms whose order
 * decides (a top-level listener block against a `*_listener_*` setting in a service block) are left unknown.
 * Service blocks inside filters and include groups are not read here.
 */

const UNLIMITED = 0xffffffffn;
const NUMBER_TYPES: ReadonlySet<string> = new Set(['uint', 'size', 'time', 'time_msecs']);
const UNKNOWN: MasterRead<never> = { value: undefined };

/** A value in the type of the 2.4 setting `name` (`unlimited` as the largest number); undefined when it does not parse. */
function typed24(name: string, text: string): bigint | number | boolean | undefined {
  const type = findSetting24(name)?.type;
  if (type === undefined || !valueCheckable24(text)) return undefined;
  if (NUMBER_TYPES.has(type) && (text === 'unlimited' || text === 'infinite')) return UNLIMITED;
  return parseTyped(type, text);
}

/**
 * What a line of the setting `name` sets as the master reads it: unknown for a variable, a file, a template part
 * or a `%{…}` program, which a setting Dovecot never expands (a listener's path) keeps as written.
 */
function written(entry: Placed<SettingNode>, name?: string): MasterRead<string> {
  const { node } = entry;
  const program = node.value.includes('%{') && (name === undefined || findSetting24(name)?.type !== 'string_novars');
  const known = (node.valueKind === 'plain' || node.valueKind === 'quoted') && !node.template?.value && !program;
  return { value: known ? node.value : undefined, at: placeOfSetting(entry) };
}

function isListBlockIn(section: MergedSection | undefined, key: string): boolean {
  return section?.children.some((child) => child.type === key) === true;
}

/** The settings of the top level the master reads, each looked up once. */
class Globals {
  private readonly cache = new Map<string, MasterRead<string>>();
  private listen?: MasterRead<readonly string[]>;

  constructor(private readonly context: AnalysisContext) {}

  /** A top-level setting: the user's value, else its default (`$SET:default_*` read in turn); undefined when unknown. */
  text(name: string): MasterRead<string> {
    let found = this.cache.get(name);
    if (!found) {
      found = this.lookup(name);
      this.cache.set(name, found);
    }
    return found;
  }

  /** Whether the user set it at top level (not through the `$SET:` of a default). */
  isSet(name: string): boolean {
    return this.context.effective.value(name).entry !== undefined;
  }

  private lookup(name: string): MasterRead<string> {
    const { entry, unknown } = this.context.effective.value(name);
    if (entry) return unknown ? { value: undefined, at: placeOfSetting(entry) } : written(entry, name);
    return this.defaultOf(name);
  }

  /** A built-in default: a build-time path is unknown, `$SET:name` the top-level value of that name. */
  defaultOf(name: string): MasterRead<string> {
    if (findSetting24(name)?.defaultUnknown !== undefined) return UNKNOWN;
    const fallback = defaultValue24(name);
    if (fallback === undefined) return UNKNOWN;
    const reference = /^\$SET:([\w-]+)$/.exec(fallback);
    return reference ? this.text(reference[1]) : { value: fallback };
  }

  /** `listen` at top level, a boolean list; a `listen { }` block (which starts from the default list) is not read. */
  listenList(): MasterRead<readonly string[]> {
    if (this.listen) return this.listen;
    if (this.context.effective.sections('listen').length > 0) return (this.listen = UNKNOWN);
    const { entry } = this.context.effective.value('listen');
    if (!entry) {
      const defaults = findSetting24('listen')?.listDefault ?? [];
      return (this.listen = { value: defaults.filter(([, on]) => on === 'yes').map(([address]) => address) });
    }
    const read = written(entry);
    const parsed = read.value === undefined ? undefined : parseBoollist24(read.value);
    this.listen = { value: parsed?.error === undefined ? parsed?.elements : undefined, at: read.at };
    return this.listen;
  }
}

function typedRead<T>(name: string, read: MasterRead<string>, check: (value: unknown) => value is T): MasterRead<T> {
  const value = read.value === undefined ? undefined : typed24(name, read.value);
  return { value: check(value) ? value : undefined, at: read.at };
}

const isBigint = (value: unknown): value is bigint => typeof value === 'bigint';
const isBoolean = (value: unknown): value is boolean => typeof value === 'boolean';
const isNumber = (value: unknown): value is number => typeof value === 'number';

class Listener24 implements MasterListener {
  /** The same listener's block at top level: Dovecot gives it to every service. */
  topLevel?: MergedSection;

  constructor(
    private readonly globals: Globals,
    private readonly service: Service24,
    readonly kind: ListenerKind,
    /** Its name: the path of a unix or fifo listener. */
    readonly name: string,
    private readonly builtIn: Listener24Info | undefined,
    public nested: MergedSection | undefined,
  ) {}

  get block(): Place | undefined {
    const section = this.nested ?? this.topLevel;
    return section ? placeOfSection(section) : undefined;
  }

  /** Its setting `key` as the master reads it (see the file comment for the order). */
  private setting(key: string): MasterRead<string> {
    const full = `${this.kind}_listener_${key}`;
    const nested = lastOf(this.nested, key, full);
    if (nested) return written(nested);
    const topLevel = lastOf(this.topLevel, key, full);
    const inService = lastOf(this.service.user, full);
    if (topLevel && inService) return { value: undefined, at: placeOfSetting(topLevel) };
    if (topLevel ?? inService) return written((topLevel ?? inService) as Placed<SettingNode>);
    if (this.globals.isSet(full)) return this.globals.text(full);
    const builtIn = this.builtIn?.settings[key];
    return builtIn !== undefined ? { value: builtIn } : this.globals.defaultOf(full);
  }

  /**
   * Its `path`, else the name of the user's block; a built-in listener the user left alone takes a global
   * `unix_listener_path` (any user value beats a built-in one), else its own name.
   */
  path(): MasterRead<string> {
    const full = `${this.kind}_listener_path`;
    const own = lastOf(this.nested, 'path', full) ?? lastOf(this.topLevel, 'path', full);
    if (own) return written(own, full);
    if (this.nested || this.topLevel) return { value: this.name };
    if (lastOf(this.service.user, full)) return UNKNOWN;
    return this.globals.isSet(full) ? this.globals.text(full) : { value: this.name };
  }

  mode(): MasterRead<bigint> {
    return typedRead(`${this.kind}_listener_mode`, this.setting('mode'), isBigint);
  }

  port(): MasterRead<number> {
    return typedRead('inet_listener_port', this.setting('port'), isNumber);
  }

  /** The `listen` list in effect for the listener: its block, the service's block, else the global list. */
  addresses(): MasterRead<readonly string[]> {
    const nested = lastOf(this.nested, 'listen');
    const topLevel = lastOf(this.topLevel, 'listen');
    const inService = lastOf(this.service.user, 'listen');
    const blocks = [this.nested, this.topLevel, this.service.user];
    if (blocks.some((section) => isListBlockIn(section, 'listen'))) return UNKNOWN;
    if (!nested && topLevel && inService) return UNKNOWN;
    const own = nested ?? topLevel ?? inService;
    if (!own) return this.globals.listenList();
    const read = written(own);
    if (read.value === undefined) return { value: undefined, at: read.at };
    const parsed = parseBoollist24(read.value);
    return { value: parsed.error === undefined ? [...new Set(parsed.elements)] : undefined, at: read.at };
  }
}

class Service24 implements MasterService {
  readonly name: MasterRead<string>;
  readonly processLimit1: boolean;
  readonly listeners: Listener24[] = [];
  private readonly cache = new Map<string, MasterRead<string>>();

  constructor(
    private readonly globals: Globals,
    sectionName: string,
    private readonly builtIn: Service24Info | undefined,
    readonly user: MergedSection | undefined,
  ) {
    this.processLimit1 = builtIn?.processLimit1 === true;
    // A global service_name renames every built-in service the user left alone (a user value beats a built-in one).
    const name = lastOf(user, 'name', 'service_name');
    if (name) this.name = written(name);
    else if (!user && globals.isSet('service_name')) this.name = globals.text('service_name');
    else this.name = { value: sectionName };
    for (const info of builtIn?.listeners ?? [])
      this.listeners.push(new Listener24(globals, this, info.kind, info.path ?? info.name, info, undefined));
    for (const child of user?.children ?? []) {
      const kind = LISTENER_KINDS[child.type];
      if (kind && !isNameless(child)) this.listener(kind, child.name).nested = child;
    }
  }

  get block(): Place | undefined {
    return this.user ? placeOfSection(this.user) : undefined;
  }

  /** The listener of this kind and name, made (with no built-in defaults) when the service has none. */
  listener(kind: ListenerKind, name: string): Listener24 {
    let listener = this.listeners.find((l) => l.kind === kind && l.name === name);
    if (!listener) {
      listener = new Listener24(this.globals, this, kind, name, undefined, undefined);
      this.listeners.push(listener);
    }
    return listener;
  }

  /** A service setting as the master reads it (see the file comment for the order). */
  private setting(key: string): MasterRead<string> {
    let found = this.cache.get(key);
    if (found) return found;
    const full = `service_${key}`;
    const own = lastOf(this.user, key, full);
    const builtIn = this.builtIn?.defaults[key];
    if (own) found = written(own);
    else if (this.globals.isSet(full) || builtIn === undefined) found = this.globals.text(full);
    else found = { value: builtIn };
    this.cache.set(key, found);
    return found;
  }

  number(key: ServiceNumber): MasterRead<bigint> {
    return typedRead(`service_${key}`, this.setting(key), isBigint);
  }

  flag(key: ServiceFlag): MasterRead<boolean> {
    return typedRead(`service_${key}`, this.setting(key), isBoolean);
  }

  text(key: ServiceText): MasterRead<string> {
    return this.setting(key);
  }
}

/** `protocols` at top level: a boolean list (`protocols = imap lmtp`, `protocols { imap = yes }`), empty by default. */
function protocols24(context: AnalysisContext): MasterProtocols {
  const lists = globalLists(context, new Set(['protocols']));
  if (!lists.has('protocols')) return { enabled: new Set(), written: [] };
  const list = lists.get('protocols');
  if (list === undefined) return { enabled: undefined, written: [] };
  const written = [...list].map(([name, entry]) => ({
    name,
    at: { file: entry.file, range: entry.node.key === 'protocols' ? entry.node.valueRange : entry.node.range },
  }));
  return { enabled: new Set(list.keys()), written };
}

/** An `@label = name` line at top level: an include group may add services, listeners or their settings. */
function includesGroups(context: AnalysisContext): boolean {
  return context.model.settings.some(({ node, frames }) => frames.length === 0 && node.key.startsWith('@'));
}

/** The top level as Dovecot 2.4's master reads it; undefined when include groups may change it. */
export function masterView24(context: AnalysisContext): MasterView | undefined {
  if (includesGroups(context)) return undefined;
  const { effective } = context;
  const globals = new Globals(context);
  const userServices = effective.sections('service').filter((section) => !isNameless(section));
  const userByName = new Map<string, MergedSection>();
  for (const user of userServices) if (!userByName.has(user.name)) userByName.set(user.name, user);
  const builtIn = allServices24();
  const builtInNames = new Set(builtIn.map((info) => info.name));
  const services = builtIn.map((info) => new Service24(globals, info.name, info, userByName.get(info.name)));
  for (const user of userServices) {
    if (user.name !== '' && builtInNames.has(user.name)) continue;
    services.push(new Service24(globals, user.name, undefined, user));
  }
  for (const [type, kind] of Object.entries(LISTENER_KINDS))
    for (const section of effective.sections(type).filter((listener) => !isNameless(listener)))
      for (const service of services) service.listener(kind, section.name).topLevel = section;
  return {
    services,
    protocols: protocols24(context),
    provides: (protocol) => {
      let unknown = false;
      for (const service of services) {
        const value = service.text('protocol').value;
        if (value === protocol) return true;
        if (value === undefined) unknown = true;
      }
      return unknown ? undefined : false;
    },
    baseDir: globals.text('base_dir'),
  };
}

/** Settings in a service block that change what the master checks before it looks for service auth. */
const SERVICE_IDENTITY = ['name', 'type', 'protocol'];

/**
 * The Panic of 2.4.4 when a filter (`protocol imap { }`, `local … { }`) that sets `listen` holds service blocks:
 * Dovecot checks each filter's master settings on their own, so that filter's services lack auth and anvil,
 * and service_get_client_limit() aborts with `Unexpectedly didn't find service auth` (doveconf -x and Dovecot
 * at start; doveconf -n skips the check). Reported only where nothing the check reads first can fail: the
 * filter's services are built-in protocol services whose name, type and protocol nobody changed, and the
 * filter sets no `protocols` and no uid or gid range.
 */
export function serviceInFilterFindings(context: AnalysisContext): Finding[] {
  if (includesGroups(context)) return [];
  const { effective } = context;
  const identityChanged = (name: string): boolean =>
    SERVICE_IDENTITY.some(
      (key) =>
        effective.value(`service_${key}`).entry !== undefined ||
        lastOf(effective.section('service', name), key, `service_${key}`) !== undefined,
    );
  const findings: Finding[] = [];
  for (const filter of effective.tree().filters.values()) {
    const finding = filterPanic(filter, identityChanged);
    if (finding) findings.push(finding);
  }
  return findings;
}

const FILTER_MASTER_KEYS = ['protocols', 'first_valid_uid', 'last_valid_uid', 'first_valid_gid', 'last_valid_gid'];

/**
 * The addresses a filter's own `listen` list holds: its last `listen =`, changed by the `listen { }` lines after
 * it (a filter starts from nothing, not from Dovecot's `* ::`); undefined when a value is unknown.
 */
function ownListen(root: MergedSection): string[] | undefined {
  const assignment = lastOf(root, 'listen');
  const assigned = assignment ? written(assignment).value : '';
  if (assigned === undefined) return undefined;
  const addresses = new Set(parseBoollist24(assigned).elements);
  for (const block of root.children.filter((child) => child.type === 'listen'))
    for (const [address, entry] of block.values) {
      if (assignment && entry.origin && entry.origin.order < assignment.order) continue;
      if (entry.value === 'yes') addresses.add(address);
      else if (entry.value === 'no') addresses.delete(address);
      else return undefined;
    }
  return [...addresses];
}

function filterPanic(filter: FilterBlock, identityChanged: (name: string) => boolean): Finding | undefined {
  const { root } = filter;
  const services = root.children.filter((child) => child.type === 'service');
  if (services.length === 0) return undefined;
  if (!ownListen(root)?.length) return undefined;
  if (FILTER_MASTER_KEYS.some((key) => lastOf(root, key) !== undefined || isListBlockIn(root, key))) return undefined;
  for (const service of services) {
    const info = allServices24().find((builtIn) => builtIn.name === service.name);
    if (!info || info.protocol === '' || identityChanged(service.name)) return undefined;
    if (lastOf(service, ...SERVICE_IDENTITY.flatMap((key) => [key, `service_${key}`]))) return undefined;
  }
  const header = filter.header.node;
  const where = placeOfSection(services[0]);
  return {
    code: 'service-in-filter-aborts',
    file: where.file,
    range: where.range,
    message: `Panic: Unexpectedly didn't find service auth: Dovecot 2.4.4 checks the services of ${header.type} ${header.name} { } on their own when it starts and aborts (as doveconf -x does); doveconf -n accepts this.`,
  };
}
