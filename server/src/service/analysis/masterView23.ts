import type { EffectiveSettings, MergedSection, SectionValue } from '../model/effective';
import type { FilterBlock, FilterSpec } from '../model/effectiveTree';
import { allServices, findSetting, isValidProtocolsValue, type ListenerInfo, type ServiceInfo } from '../schema/schema';
import type { AnalysisContext } from './analyzer';
import type {
  ListenerKind,
  MasterListener,
  MasterProtocols,
  MasterRead,
  MasterService,
  MasterView,
  Place,
  Readings,
  ServiceFlag,
  ServiceNumber,
  ServiceText,
} from './masterChecks';
import { doveconfText23 } from './variableReading23';
import { LISTENER_KINDS, placeOfSection, placeOfSetting } from './masterViewParts';

/**
 * Dovecot 2.3's services as its master reads them after doveconf parsed the whole file: each built-in service
 * (settings-2.3.json) merged with the user's block of that name, then the user's own services; a setting is
 * the block's last assignment over the service's built-in default, and a process_limit of 0 means
 * default_process_limit. Only the user's lines inside a service block are places a finding can go. A `$name`
 * in a listener's path or address and in `protocols` is read as doveconf -n reads it (only `key = $key`
 * expanded), or, given `expanded`, as Dovecot reads that line at start.
 */

/** The settings context of each kind of listener block. */
const LISTENER_CONTEXTS: Record<ListenerKind, string> = {
  unix: 'service/unix_listener',
  fifo: 'service/fifo_listener',
  inet: 'service/inet_listener',
};

/**
 * Where a block is written; none for a block a filter inside a service makes (`service imap { local X { } }`
 * is the service's block in the filter `local X`, which no header of its own opens).
 */
function blockPlace(section: MergedSection): Place | undefined {
  return section.occurrences.length > 0 ? placeOfSection(section) : undefined;
}

/** A service's setting, `outer` when the global block gave it to a service block in a filter. */
type LayeredValue = SectionValue & { outer?: true };

/** A value as the master reads it: unknown when Dovecot decides it at start; placed on the user's line, if any. */
function read<T>(value: LayeredValue, typed: T | undefined): MasterRead<T> {
  const at = value.entry ? placeOfSetting(value.entry) : undefined;
  const known = value.unknown ? undefined : typed;
  return value.outer ? { value: known, at, outer: true } : { value: known, at };
}

/** A text value; a `$` line as doveconf -n holds it, or as `expanded` gives it. */
function readText(effective: EffectiveSettings, value: SectionValue, expanded?: Readings): MasterRead<string> {
  const { entry } = value;
  if (entry?.node.valueKind !== 'variables') return read(value, value.value);
  const at = placeOfSetting(entry);
  const atStart = expanded?.get(entry);
  if (atStart !== undefined) return { value: atStart, at };
  return { value: doveconfText23(effective, entry), at, lines: [entry] };
}

function typedNumber(value: SectionValue): bigint | undefined {
  return typeof value.typed === 'bigint' ? value.typed : undefined;
}

class Listener23 implements MasterListener {
  readonly block?: Place;
  /** Read once: the checks ask for it more than once. */
  private pathRead?: MasterRead<string>;

  constructor(
    private readonly effective: EffectiveSettings,
    readonly kind: ListenerKind,
    private readonly name: string,
    readonly defaults: ListenerInfo | undefined,
    readonly user: MergedSection | undefined,
    private readonly expanded: Readings | undefined,
  ) {
    if (user) this.block = blockPlace(user);
  }

  /** A setting as Dovecot reads it: the user's value over the built-in listener's, else the listener default. */
  private value(key: 'mode' | 'port' | 'address'): SectionValue {
    const context = LISTENER_CONTEXTS[this.kind];
    const fallback = this.defaults?.[key] ?? findSetting(context, key)?.default ?? '';
    return this.effective.valueIn(this.user, context, key, fallback);
  }

  /** Its `path`, else its name. */
  path(): MasterRead<string> {
    return (this.pathRead ??= this.readPath());
  }

  private readPath(): MasterRead<string> {
    const value = this.effective.valueIn(this.user, LISTENER_CONTEXTS[this.kind], 'path', this.name);
    return value.unknown ? readText(this.effective, value, this.expanded) : read(value, value.value);
  }

  mode(): MasterRead<bigint> {
    const value = this.value('mode');
    return read(value, typedNumber(value));
  }

  port(): MasterRead<number> {
    const value = this.value('port');
    return read(value, typeof value.typed === 'number' ? value.typed : undefined);
  }

  addresses(): MasterRead<readonly string[]> {
    const value = this.value('address');
    const address = value.unknown ? readText(this.effective, value, this.expanded) : read(value, value.value);
    return { ...address, value: address.value === undefined ? undefined : [address.value] };
  }
}

/** Where a service's settings come from: its blocks, innermost first; the keys other filters may decide. */
interface ServiceLayers {
  blocks: readonly MergedSection[];
  /** A key another filter that applies may set: its value is unknown. */
  undecided?: (key: string) => boolean;
}

class Service23 implements MasterService {
  readonly name: MasterRead<string>;
  readonly block?: Place;
  readonly processLimit1: boolean;
  readonly listeners: Listener23[];
  private readonly user: MergedSection | undefined;

  constructor(
    private readonly effective: EffectiveSettings,
    sectionName: string,
    private readonly defaults: ServiceInfo | undefined,
    private readonly layers: ServiceLayers,
    private readonly defaultProcessLimit: bigint | undefined,
    private readonly expanded: Readings | undefined,
  ) {
    this.user = layers.blocks[0];
    if (this.user) this.block = blockPlace(this.user);
    this.processLimit1 = defaults?.processLimit1 === true;
    this.listeners = this.mergeListeners();
    const name = this.value('name');
    this.name = read(name, name.value || sectionName);
  }

  /**
   * A setting as Dovecot reads it: the innermost block's value, over the outer ones, over the built-in service's
   * default, else the default of every service (process_limit 0: default_process_limit).
   */
  private value(key: string): LayeredValue {
    const fallback = this.defaults?.defaults[key] ?? findSetting('service', key)?.default ?? '';
    if (this.layers.undecided?.(key)) return { value: fallback, unknown: true };
    for (const [index, block] of this.layers.blocks.entries()) {
      const value = this.effective.ownValueIn(block, 'service', key);
      if (value) return index === 0 ? value : { ...value, outer: true };
    }
    return this.effective.valueIn(undefined, 'service', key, fallback);
  }

  number(key: ServiceNumber): MasterRead<bigint> {
    const value = this.value(key);
    const own = read(value, typedNumber(value));
    return key === 'process_limit' && own.value === 0n ? { ...own, value: this.defaultProcessLimit } : own;
  }

  flag(key: ServiceFlag): MasterRead<boolean> {
    const value = this.value(key);
    return read(value, typeof value.typed === 'boolean' ? value.typed : undefined);
  }

  text(key: ServiceText): MasterRead<string> {
    const value = this.value(key);
    return read(value, value.value);
  }

  private mergeListeners(): Listener23[] {
    const listeners = (this.defaults?.listeners ?? []).map(
      (info) => new Listener23(this.effective, info.kind, info.name, info, undefined, this.expanded),
    );
    for (const child of this.user?.children ?? []) {
      const kind = LISTENER_KINDS[child.type];
      if (!kind) continue;
      const index =
        child.name === ''
          ? -1
          : listeners.findIndex((l) => l.kind === kind && l.defaults?.name === child.name && !l.user);
      const defaults = index >= 0 ? listeners[index].defaults : undefined;
      const merged = new Listener23(this.effective, kind, child.name, defaults, child, this.expanded);
      if (index >= 0) listeners[index] = merged;
      else listeners.push(merged);
    }
    return listeners;
  }
}

/**
 * `protocols`, whose value doveconf -n checks as written: a `<file` value as the text `<path` (it rejects it),
 * a `$name` kept (only `$protocols` expanded).
 */
function protocols23(effective: EffectiveSettings, expanded: Readings | undefined): MasterProtocols {
  const setting = effective.value('protocols');
  const { entry } = setting;
  const variables = entry?.node.valueKind === 'variables' ? readText(effective, setting, expanded) : undefined;
  const value = entry?.node.valueKind === 'file' ? `<${entry.node.value}` : (variables?.value ?? setting.value);
  const names = value.split(' ').filter((name) => name !== '');
  if (names.length === 1 && names[0] === 'none') return { enabled: new Set(), written: [] };
  const at = entry ? { file: entry.file, range: entry.node.valueRange } : undefined;
  const known = entry?.node.valueKind !== 'variables' || variables?.value !== undefined;
  const written = at && known ? names.map((name) => ({ name, at, lines: variables?.lines })) : [];
  const enabled = setting.unknown && variables?.value === undefined ? undefined : new Set(names);
  return { enabled, written };
}

/** The global default_process_limit, when it is a number. */
function globalDefaultProcessLimit(effective: EffectiveSettings): bigint | undefined {
  const typed = effective.typedValue('default_process_limit');
  return typeof typed === 'bigint' ? typed : undefined;
}

export function masterView23(context: AnalysisContext, expanded?: Readings): MasterView {
  const { effective } = context;
  const defaultProcessLimit = globalDefaultProcessLimit(effective);
  const userServices = effective.sections('service');
  const userByName = new Map<string, MergedSection>();
  for (const user of userServices) if (!userByName.has(user.name)) userByName.set(user.name, user);
  const builtIn = allServices();
  const builtInNames = new Set(builtIn.map((defaults) => defaults.name));
  const services: Service23[] = builtIn.map(
    (defaults) =>
      new Service23(
        effective,
        defaults.name,
        defaults,
        layersOf(userByName.get(defaults.name)),
        defaultProcessLimit,
        expanded,
      ),
  );
  for (const user of userServices) {
    if (user.name !== '' && builtInNames.has(user.name)) continue;
    services.push(new Service23(effective, user.name, undefined, layersOf(user), defaultProcessLimit, expanded));
  }
  const baseDir = effective.value('base_dir');
  return {
    services,
    protocols: protocols23(effective, expanded),
    provides: (protocol) => protocol !== 'none' && isValidProtocolsValue(protocol),
    baseDir: { value: baseDir.unknown ? undefined : baseDir.value.replace(/\/+$/, '') },
  };
}

function layersOf(block: MergedSection | undefined): ServiceLayers {
  return { blocks: block ? [block] : [] };
}

const FILTER_KINDS = ['local', 'local_name', 'remote', 'protocol'] as const;

/**
 * Whether `other`'s settings may be merged into `filter`'s: it names no kind of filter that `filter` leaves
 * out (`local X` and `protocol imap` may both apply to `local X` + `protocol imap`). Values are not compared:
 * a filter that may apply makes the keys it sets unknown, never a finding.
 */
function mayApply(other: FilterSpec, filter: FilterSpec): boolean {
  return FILTER_KINDS.every((kind) => other[kind] === undefined || filter[kind] !== undefined);
}

function sets(effective: EffectiveSettings, block: MergedSection, context: string, key: string): boolean {
  return effective.valueIn(block, context, key).entry !== undefined;
}

/** default_process_limit in a filter: its own value, else the global one unless another filter may set it. */
function filterDefaultProcessLimit(
  effective: EffectiveSettings,
  root: MergedSection,
  others: readonly FilterBlock[],
  global: bigint | undefined,
): bigint | undefined {
  const own = effective.valueIn(root, '', 'default_process_limit');
  if (own.entry) return typeof own.typed === 'bigint' ? own.typed : undefined;
  return others.some((other) => sets(effective, other.root, '', 'default_process_limit')) ? undefined : global;
}

/**
 * Dovecot 2.3's master checks run again on the settings of each `local`, `remote` and `protocol` filter
 * (config_all_parsers_check in src/config/config-parser.c@2.3.19): a service block in a filter is that
 * service's settings there, its keys over the global block's and the built-in defaults. One view per filter
 * that holds service blocks, with only those services (the others are the global view's).
 */
export function masterViews23InFilters(
  context: AnalysisContext,
  global: MasterView,
  expanded?: Readings,
): MasterView[] {
  const { effective } = context;
  const filters = [...effective.tree().filters.values()];
  if (!filters.some((filter) => filter.root.children.some((child) => child.type === 'service'))) return [];
  const globalLimit = globalDefaultProcessLimit(effective);
  const views: MasterView[] = [];
  for (const filter of filters) {
    const blocks = filter.root.children.filter((child) => child.type === 'service');
    if (blocks.length === 0) continue;
    const others = filters.filter((other) => other !== filter && mayApply(other.spec, filter.spec));
    const defaultProcessLimit = filterDefaultProcessLimit(effective, filter.root, others, globalLimit);
    const services = blocks.map((block) => {
      const elsewhere = others.flatMap((other) =>
        other.root.children.filter((child) => child.type === 'service' && child.name === block.name),
      );
      const layers: ServiceLayers = {
        blocks: [block, ...layersOf(effective.section('service', block.name)).blocks],
        undecided: (key) => elsewhere.some((other) => sets(effective, other, 'service', key)),
      };
      const defaults = allServices().find((info) => info.name === block.name);
      return new Service23(effective, block.name, defaults, layers, defaultProcessLimit, expanded);
    });
    const protocolsSet = [filter, ...others].some((one) => sets(effective, one.root, '', 'protocols'));
    const protocols = { enabled: protocolsSet ? undefined : global.protocols.enabled, written: [] };
    views.push({ ...global, services, protocols });
  }
  return views;
}
