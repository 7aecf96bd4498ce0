// Dovecot 2.3 accepts settings of older releases and rewrites them while parsing, with
// `Warning: Obsolete setting in FILE:LINE: ...` (src/config/old-set-parser.c). This pass applies the
// same rewrites to the model, so every reader (checks, hover, the effective view) sees the settings
// Dovecot ends up with; the warnings become `obsolete-setting` findings. The table of rewrites, with
// the source line of each, is data/dovecot/obsolete-settings-2.3.json.
import { isIPv4, isIPv6 } from './ipAddress';
import table from '../../../../data/dovecot/obsolete-settings-2.3.json';
import { isWildcardAddress } from './addresses';
import type { ModelProblem } from './problem';
import type { Range } from 'vscode-languageserver-types';
import type { InvalidNode, SectionNode, SettingNode } from '../syntax/nodes';
import { sectionCopy } from '../syntax/parsedNodes';
import { isKeyVariableValue } from '../syntax/valueWords';
import { checkPort } from '../schema/valueCheck';
import { displayPath, forEachInOrder, type ConfigModel, type Frame, type Placed } from './model';
import { frameIn } from './frameStack';

export interface ObsoleteRow {
  key: string;
  variant?: string;
  scope: string;
  action: string;
  target?: string;
  message: string;
  values?: Record<string, string>;
  suffix?: string;
  prefix?: boolean;
  name?: string;
  when?: string;
  unreachable?: boolean;
  source: string;
  example: string[];
}

export const OBSOLETE_ROWS: readonly ObsoleteRow[] = table.rows as ObsoleteRow[];

const PREFIX_ROWS = OBSOLETE_ROWS.filter((row) => row.prefix);
const ROWS_BY_KEY = new Map<string, ObsoleteRow[]>();
for (const row of OBSOLETE_ROWS) {
  if (!row.prefix) ROWS_BY_KEY.set(row.key, [...(ROWS_BY_KEY.get(row.key) ?? []), row]);
}

/** The rows that name `key` (as the key itself, or as its prefix for prefix rows), in table order. */
function rowsNaming(key: string): readonly ObsoleteRow[] {
  const exact = ROWS_BY_KEY.get(key) ?? [];
  const prefixed = PREFIX_ROWS.filter((row) => key.startsWith(row.key));
  if (prefixed.length === 0) return exact;
  return OBSOLETE_ROWS.filter((row) => exact.includes(row) || prefixed.includes(row));
}

/** Whether Dovecot 2.3 may rewrite a setting of this key as an obsolete one (some rows only for some values). */
export function mayBeObsolete23(key: string): boolean {
  return rowsNaming(key).length > 0;
}

/** What the quick fix of an `obsolete-setting` finding does to the statement: replace it, or remove it. */
export interface ObsoleteFixData {
  statement: Range;
  replacement?: string;
  remove?: boolean;
}

function rowFor(key: string, variant?: string): ObsoleteRow {
  const row = rowsNaming(key).find(
    (candidate) =>
      (candidate.prefix ? key.startsWith(candidate.key) : candidate.key === key) && candidate.variant === variant,
  );
  if (!row) throw new Error(`no obsolete-settings row for ${key}${variant ? `/${variant}` : ''}`);
  return row;
}

function messageOf(row: ObsoleteRow, fields: { key: string; value?: string; target?: string }): string {
  return row.message
    .replace(/\{key\}/g, fields.key)
    .replace(/\{value\}/g, fields.value ?? '')
    .replace(/\{target\}/g, fields.target ?? row.target ?? '');
}

/** The `protocol` filter a place is in, and whether a local/remote/local_name filter narrows it. */
function filterOf(frames: readonly Frame[]): { protocol?: string; narrowed: boolean } {
  let protocol: string | undefined;
  let narrowed = false;
  for (const { section } of frames) {
    if (section.filter === 'protocol') protocol = section.name;
    else if (section.filter) narrowed = true;
  }
  return { protocol, narrowed };
}

/** config_filter_match(section filter, protocol filter) of old-set-parser.c: does a rewrite reach this protocol? */
function reaches(frames: readonly Frame[], protocol: string): boolean {
  const filter = filterOf(frames);
  if (filter.narrowed) return false;
  if (filter.protocol === undefined) return true;
  return filter.protocol.startsWith('!') ? filter.protocol.slice(1) !== protocol : filter.protocol === protocol;
}

function isRoot(frames: readonly Frame[]): boolean {
  const filter = filterOf(frames);
  return filter.protocol === undefined && !filter.narrowed;
}

/** listen_has_port(): an address other than a wildcard or a bare IP, in a value containing `:`. */
function listenHasPort(value: string): boolean {
  if (!value.includes(':')) return false;
  return value
    .split(/[ ,]+/)
    .filter((address) => address !== '')
    .some((address) => !isWildcardAddress(address) && !isIPv4(address) && !isIPv6(address));
}

const TLS_VERSIONS = ['SSLv3', 'TLSv1', 'TLSv1.1', 'TLSv1.2'];

/**
 * ssl_protocols_to_min_protocol(): the lowest enabled protocol, or the error Dovecot logs when there is none
 * (a protocol it does not know, such as SSLv2, or every one disabled); it then ignores the setting.
 */
export function minProtocolOf(sslProtocols: string): { minimum: string } | { error: string } {
  const state = TLS_VERSIONS.map(() => 0);
  let explicitEnable = false;
  for (const token of sslProtocols.split(/[ ,]+/).filter((t) => t !== '')) {
    const enable = !token.startsWith('!');
    const name = enable ? token : token.slice(1);
    const index = TLS_VERSIONS.indexOf(name);
    if (index < 0) return { error: `Unrecognized protocol '${name}'` };
    state[index] = enable ? 1 : -1;
    if (enable) explicitEnable = true;
  }
  const index = state.findIndex((s) => (explicitEnable ? s > 0 : s === 0));
  return index < 0 ? { error: 'All protocols disabled' } : { minimum: TLS_VERSIONS[index] };
}

function mappedValue(row: ObsoleteRow, value: string): string {
  const mapped = row.values ? (row.values[value.toLowerCase()] ?? row.values['*'] ?? value) : value;
  return row.suffix ? `${mapped}${row.suffix}` : mapped;
}

interface SocketSet {
  path?: string;
  mode?: string;
  user?: string;
  group?: string;
  origin: Placed<SectionNode>;
}

const DEFAULT_BASE_DIR = '/run/dovecot';

function isInOrder<T>(entries: readonly T[], order: (entry: T) => number): boolean {
  for (let i = 1; i < entries.length; i++) if (order(entries[i]) < order(entries[i - 1])) return false;
  return true;
}

/** Dovecot rewrites only lines it reads as plain values: an unquoted value holding a `$` is not one (old_settings_handle@2.3.19). */
function isPlainValue(node: SettingNode): boolean {
  return node.valueKind === 'quoted' || (node.valueKind === 'plain' && !isKeyVariableValue(node.rawValue));
}

/**
 * The entries of one of the model's lists as the rewrite hands them on: while they are the model's own, in
 * its order, no copy is made (most configurations rewrite nothing).
 */
class CopyOnChange<T> {
  private copy: T[] | undefined = undefined;
  /** How many of the source's first entries were handed on unchanged before any other. */
  private kept = 0;

  constructor(private readonly source: readonly T[]) {}

  push(entry: T): void {
    if (this.copy === undefined && this.source[this.kept] === entry) this.kept++;
    else (this.copy ??= this.source.slice(0, this.kept)).push(entry);
  }

  /** Every entry handed on is the source's, in its order. */
  get unchanged(): boolean {
    return this.copy === undefined && this.kept === this.source.length;
  }

  /** The entries handed on, sorted by processing order (rewrites take the place of the line they come from). */
  sorted(order: (entry: T) => number): T[] {
    const list = this.copy ?? this.source.slice(0, this.kept);
    if (!isInOrder(list, order)) list.sort((a, b) => order(a) - order(b));
    return list;
  }
}

class ObsoleteRewriter {
  readonly settings: CopyOnChange<Placed<SettingNode>>;
  readonly sections: CopyOnChange<Placed<SectionNode>>;
  readonly rejected24: Placed<InvalidNode>[] = [];
  readonly findings: ModelProblem[] = [];
  /** Sections Dovecot does not open (auth {}, socket listen {}) map to null; renamed ones to their new node. */
  private readonly replaced = new Map<SectionNode, SectionNode | null>();
  private readonly authSections = new Set<SectionNode>();
  private readonly socketSections = new Map<SectionNode, SocketSet>();
  private unnamedCounter = 0;
  private pluginZero?: SectionNode;
  private baseDir = DEFAULT_BASE_DIR;

  constructor(private readonly model: ConfigModel) {
    this.settings = new CopyOnChange(model.settings);
    this.sections = new CopyOnChange(model.sections);
  }

  run(): void {
    forEachInOrder(
      this.model.settings,
      this.model.sections,
      (setting) => this.setting(setting),
      (section) => this.section(section),
    );
    for (const socket of this.socketSections.values()) this.applySocket(socket);
    for (const entry of this.model.rejected24) this.rejectedLine(entry);
  }

  private warn(
    place: { file: string; node: SectionNode | SettingNode },
    range: Range,
    text: string,
    fix?: ObsoleteFixData,
  ): void {
    // Dovecot names the line it has read when it applies the statement: the last of one continued with `\`.
    const last = place.node.kind === 'setting' ? place.node.range.end.line : range.end.line;
    const where = `${displayPath(this.model.root, place.file)}:${last + 1}`;
    this.findings.push({
      code: 'obsolete-setting',
      file: place.file,
      range,
      message: `Obsolete setting in ${where}: ${text}`,
      ...(fix ? { data: { ...fix } } : {}),
    });
  }

  private mapFrames(frames: readonly Frame[]): Frame[] {
    // Most places are inside no replaced section: they keep their frames (and their Placed entry, see keep()).
    if (this.replaced.size === 0 || !frames.some((frame) => this.replaced.has(frame.section))) return frames as Frame[];
    const mapped: Frame[] = [];
    for (const frame of frames) {
      const replacement = this.replaced.get(frame.section);
      if (replacement === null) continue;
      // Made again: a replaced or dropped section changes the context of the frames inside it.
      mapped.push(frameIn(mapped, replacement ?? frame.section, frame.file));
    }
    return mapped;
  }

  /** How deep inside an open auth {} block a place is: 0 outside, 1 directly inside (auth_section - 1). */
  private authDepth(frames: readonly Frame[]): number {
    if (this.authSections.size === 0) return 0;
    const index = frames.findIndex((frame) => this.authSections.has(frame.section));
    return index < 0 ? 0 : frames.length - index;
  }

  private socketOf(frames: readonly Frame[]): SocketSet | undefined {
    if (this.socketSections.size === 0) return undefined;
    for (const frame of frames) {
      const socket = this.socketSections.get(frame.section);
      if (socket) return socket;
    }
    return undefined;
  }

  private section(placed: Placed<SectionNode>): void {
    const node = placed.node;
    const frames = this.mapFrames(placed.frames);
    if (this.socketOf(placed.frames)) {
      this.replaced.set(node, null);
      return;
    }
    const pathEmpty = frames.every((frame) => frame.section.filter);
    const authDepth = this.authDepth(placed.frames);
    if (authDepth === 1 && (node.type === 'passdb' || node.type === 'userdb')) {
      this.warn(placed, node.headerRange, messageOf(rowFor(node.type), { key: node.type, value: node.name }));
      const renamed = sectionCopy(node, { name: '', nameRange: undefined });
      this.replaced.set(node, renamed);
      this.addSection({ ...placed, node: renamed, frames });
      this.settings.push({
        node: syntheticSetting('driver', node.name, node.headerRange),
        file: placed.file,
        frames: [...frames, frameIn(frames, renamed, placed.file)],
        order: placed.order,
      });
      return;
    }
    if (authDepth === 1 && node.type === 'socket' && node.name === 'connect') {
      this.warn(placed, node.headerRange, rowFor('socket', 'connect').message);
    } else if (authDepth === 1 && node.type === 'socket' && node.name === 'listen') {
      this.replaced.set(node, null);
      this.socketSections.set(node, { origin: placed });
      return;
    } else if (authDepth === 0 && pathEmpty && node.type === 'auth' && !node.filter) {
      this.warn(placed, node.headerRange, rowFor('auth', 'first').message);
      this.authSections.add(node);
      this.replaced.set(node, null);
      return;
    } else if (pathEmpty) {
      const renamedTo = rowsNaming(node.type).find(
        (row) => row.action === 'section_rename' && row.key === node.type && row.name === node.name,
      )?.target;
      if (renamedTo !== undefined) {
        this.warn(placed, node.headerRange, rowFor(node.type).message);
        const renamed = sectionCopy(node, { name: renamedTo });
        this.replaced.set(node, renamed);
        this.addSection({ ...placed, node: renamed, frames });
        return;
      }
    }
    this.addSection(frames === placed.frames ? placed : { ...placed, frames });
  }

  private addSection(placed: Placed<SectionNode>): void {
    const node = placed.node;
    if (!node.filter && node.name === '') {
      // Unnamed sections are keyed by one counter across the whole parse; only the plugin {} that got
      // number 0 is the `plugin/0/` path whose keys old-set-parser.c rewrites.
      if (this.unnamedCounter === 0 && node.type === 'plugin' && placed.frames.every((frame) => frame.section.filter))
        this.pluginZero = node;
      this.unnamedCounter++;
    }
    this.sections.push(placed);
  }

  private keep(entry: Placed<SettingNode>, frames: Frame[]): void {
    this.settings.push(
      frames === entry.frames ||
        (frames.length === entry.frames.length && frames.every((f, i) => f === entry.frames[i]))
        ? entry
        : { ...entry, frames },
    );
  }

  private setting(entry: Placed<SettingNode>): void {
    const socket = this.socketOf(entry.frames);
    if (socket) {
      // socket listen { master|client { path mode user group } } (old-set-parser.c:625-639)
      const depth = entry.frames.length - entry.frames.findIndex((frame) => this.socketSections.has(frame.section));
      const key = entry.node.key as 'path' | 'mode' | 'user' | 'group';
      if (depth === 2 && ['path', 'mode', 'user', 'group'].includes(key)) socket[key] = entry.node.value;
      return;
    }
    const frames = this.mapFrames(entry.frames);
    const node = entry.node;
    const plainValue = isPlainValue(node);
    const pathEmpty = frames.every((frame) => frame.section.filter);
    if (node.key23 !== undefined) {
      // 2.3 reads a quoted key with its quotes: no old name is one, but inside auth {} it is still prefixed.
      if (pathEmpty && plainValue && this.authDepth(entry.frames) === 1)
        this.rewrite(entry, frames, `auth_${node.key23}`, node.value);
      else this.keep(entry, frames);
      return;
    }
    if (pathEmpty && plainValue) {
      const inAuth = this.authDepth(entry.frames) === 1;
      if (this.processRewrite(entry, frames, inAuth) || this.rootRewrite(entry, frames, inAuth)) return;
    }
    if (plainValue && node.key === 'imap_zlib_compress_level' && this.inPluginZero(frames)) {
      const row = rowFor(node.key);
      this.rewrite(entry, frames, row.target ?? node.key, node.value, messageOf(row, { key: node.key }));
      return;
    }
    this.keep(entry, frames);
  }

  /**
   * A line only 2.4 rejects (`"x = 1`), in the place 2.3 reads it: inside auth {} 2.3 prefixes the key it reads
   * (`auth_"x`) like any other; elsewhere the line keeps its node, inside the sections Dovecot opens.
   */
  private rejectedLine(entry: Placed<InvalidNode>): void {
    const frames = this.mapFrames(entry.frames);
    const read23 = entry.node.read23;
    const pathEmpty = frames.every((frame) => frame.section.filter);
    if (read23?.kind === 'setting' && pathEmpty && this.authDepth(entry.frames) === 1) {
      if (isPlainValue(read23.setting)) {
        this.rewrite({ ...entry, node: read23.setting }, frames, `auth_${read23.key}`, read23.setting.value);
        return;
      }
    }
    this.rejected24.push(frames === entry.frames ? entry : { ...entry, frames });
  }

  private inPluginZero(frames: readonly Frame[]): boolean {
    const nonFilter = frames.filter((frame) => !frame.section.filter);
    return nonFilter.length === 1 && nonFilter[0].section === this.pluginZero;
  }

  /** A rewritten setting in place of the written one, with the warning and its quick fix. */
  private rewrite(
    entry: Placed<SettingNode>,
    frames: Frame[],
    key: string,
    value: string,
    message?: string,
    valueKind: SettingNode['valueKind'] = 'plain',
  ): void {
    const node = syntheticSetting(key, value, entry.node.range, entry.node, valueKind);
    this.settings.push({ ...entry, node, frames, rewrittenFrom: entry.node });
    if (message === undefined) return;
    const replacement = `${key} = ${valueKind === 'file' ? '<' : ''}${value}`;
    // A value a template decides cannot be rewritten here (ssl_disable = {{ x }} inverts it).
    this.warn(
      entry,
      entry.node.keyRange,
      message,
      entry.node.template?.value ? undefined : { statement: entry.node.range, replacement },
    );
  }

  private remove(entry: Placed<SettingNode>, message: string): void {
    this.warn(
      entry,
      entry.node.keyRange,
      message,
      entry.node.template?.value ? undefined : { statement: entry.node.range, remove: true },
    );
  }

  /** A setting moved into `service NAME { [listener { ] key = value [ } ] }` at top level. */
  private serviceSetting(
    entry: Placed<SettingNode>,
    path: { type: string; name: string }[],
    key: string,
    value: string,
  ): void {
    const frames: Frame[] = [];
    for (const step of path) {
      const section = syntheticSection(step.type, step.name, entry.node.range);
      this.sections.push({ node: section, file: entry.file, frames: [...frames], order: entry.order });
      frames.push(frameIn(frames, section, entry.file));
    }
    this.settings.push({
      node: syntheticSetting(key, value, entry.node.range, entry.node),
      file: entry.file,
      frames,
      order: entry.order,
      rewrittenFrom: entry.node,
    });
  }

  /** old_settings_handle_proto(): process keys that became service settings, and listen addresses. */
  private processRewrite(entry: Placed<SettingNode>, frames: Frame[], inAuth: boolean): boolean {
    const { node } = entry;
    let key = node.key;
    const value = node.value;
    if (key === 'ssl_listen' || (key === 'listen' && (listenHasPort(value) || !isRoot(frames)))) {
      this.listen(entry, frames, key, value);
      return true;
    }
    const row = rowsNaming(key).find(
      (candidate) =>
        candidate.key === key && (candidate.action === 'login_service' || candidate.action === 'mail_service'),
    );
    if (row) {
      this.warn(entry, node.keyRange, messageOf(row, { key }));
      const services =
        row.action === 'login_service'
          ? ['imap-login', 'pop3-login', 'managesieve-login']
          : ['imap', 'pop3', 'managesieve'];
      const protocols = ['imap', 'pop3', 'sieve'];
      services.forEach((service, index) => {
        if (reaches(frames, protocols[index]))
          this.serviceSetting(entry, [{ type: 'service', name: service }], row.target ?? key, mappedValue(row, value));
      });
      return true;
    }
    if (inAuth && !key.startsWith('auth_')) key = `auth_${key}`;
    const authRow = rowsNaming(key).find((candidate) => candidate.key === key && candidate.action === 'auth_service');
    if (authRow) {
      this.warn(entry, node.keyRange, messageOf(authRow, { key }));
      this.serviceSetting(
        entry,
        [{ type: 'service', name: 'auth' }],
        authRow.target ?? key,
        mappedValue(authRow, value),
      );
      return true;
    }
    if (key === 'auth_cache_size' && /^\d+$/.test(value) && Number(value) > 0 && Number(value) < 1024) {
      this.rewrite(entry, [], key, `${value}M`, messageOf(rowFor(key), { key, value }));
      return true;
    }
    if (key === 'auth_count') {
      this.remove(entry, rowFor(key, value === 'count' ? 'count' : 'other').message);
      return true;
    }
    return false;
  }

  private listen(entry: Placed<SettingNode>, frames: Frame[], key: string, written: string): void {
    if (written === '') return;
    const ssl = key === 'ssl_listen' ? 's' : '';
    let value = written;
    const colon = value.lastIndexOf(':');
    const targets = [
      { protocol: 'imap', service: 'imap-login', listener: `imap${ssl}` },
      { protocol: 'pop3', service: 'pop3-login', listener: `pop3${ssl}` },
    ];
    // old-set-parser.c also sets managesieve-login's `inet_listener managesieve`, which does not exist
    // (Pigeonhole's is named `sieve`); Dovecot ignores that failure, so nothing changes there.
    const toListeners = (setting: string, setTo: string): void => {
      for (const target of targets) {
        if (reaches(frames, target.protocol))
          this.serviceSetting(
            entry,
            [
              { type: 'service', name: target.service },
              { type: 'inet_listener', name: target.listener },
            ],
            setting,
            setTo,
          );
      }
    };
    if (colon >= 0 && listenHasPort(value)) {
      this.warn(entry, entry.node.keyRange, messageOf(rowFor(key, 'port'), { key }));
      const port = value.slice(colon + 1);
      value = value.slice(0, colon);
      // Each listener refuses a bad port, and the managesieve-login step after them clears the error: where
      // `listen` reaches protocol sieve, Dovecot drops a bad port without a word (old_settings_handle_proto@2.3.19).
      if (checkPort(port) === undefined || ssl !== '' || !reaches(frames, 'sieve')) toListeners('port', port);
    }
    if (isRoot(frames) && ssl === '') {
      this.settings.push({
        ...entry,
        node: syntheticSetting(key, value, entry.node.range, entry.node),
        frames: [],
        rewrittenFrom: entry.node,
      });
      return;
    }
    this.warn(entry, entry.node.keyRange, messageOf(rowFor(key, 'address'), { key }));
    toListeners('address', value);
  }

  /** old_settings_handle_root(): renamed, moved and removed top-level keys. */
  private rootRewrite(entry: Placed<SettingNode>, frames: Frame[], inAuth: boolean): boolean {
    const { node } = entry;
    const key = node.key;
    const value = node.value;
    if (key === 'base_dir') this.baseDir = value.replace(/\/$/, '');
    if (key === 'protocols') {
      this.protocols(entry, frames);
      return true;
    }
    const row = rowsNaming(key).find(
      (candidate) =>
        candidate.scope === 'top' &&
        (candidate.prefix ? key.startsWith(candidate.key) : candidate.key === key) &&
        !['login_service', 'mail_service', 'auth_service', 'listen'].includes(candidate.action),
    );
    if (row) return this.applyRootRow(entry, frames, row);
    if (inAuth) {
      this.rewrite(entry, frames, key.startsWith('auth_') ? key : `auth_${key}`, value);
      return true;
    }
    return false;
  }

  private applyRootRow(entry: Placed<SettingNode>, frames: Frame[], row: ObsoleteRow): boolean {
    const key = entry.node.key;
    const value = entry.node.value;
    switch (row.action) {
      case 'keyfile':
        // An empty value is dropped without a warning (old-set-parser.c:286-287).
        if (value !== '') this.rewrite(entry, frames, row.target ?? key, value, messageOf(row, { key }), 'file');
        return true;
      case 'rename':
        this.rewrite(entry, frames, row.target ?? key, mappedValue(row, value), messageOf(row, { key }));
        return true;
      case 'rename-prefix': {
        const target = `${row.target ?? ''}${key.slice(row.key.length)}`;
        this.rewrite(entry, frames, target, value, messageOf(row, { key, target }));
        return true;
      }
      case 'remove':
        if (key === 'auth_count') return false;
        this.remove(entry, messageOf(row, { key }));
        return true;
      case 'ssl_min_protocol': {
        const converted = minProtocolOf(value);
        if ('minimum' in converted) {
          this.rewrite(entry, frames, 'ssl_min_protocol', converted.minimum, messageOf(row, { key }));
          return true;
        }
        this.remove(entry, messageOf(row, { key }));
        this.findings.push({
          code: 'ssl-protocols-not-converted',
          file: entry.file,
          range: entry.node.valueRange,
          message: `Dovecot cannot turn ssl_protocols = ${value} into ssl_min_protocol: each time it reads the configuration it logs "Could not find a minimum ssl_min_protocol setting from ssl_protocols = ${value}: ${converted.error}" and ignores the line, so ssl_min_protocol is what the rest of the configuration sets, or its default.`,
        });
        return true;
      }
      case 'plugin': {
        const plugin = syntheticSection('plugin', '', entry.node.range);
        this.sections.push({ node: plugin, file: entry.file, frames, order: entry.order });
        this.warn(entry, entry.node.keyRange, messageOf(row, { key }));
        this.settings.push({
          ...entry,
          node: syntheticSetting(key, value, entry.node.range, entry.node),
          frames: [...frames, frameIn(frames, plugin, entry.file)],
          rewrittenFrom: entry.node,
        });
        return true;
      }
      case 'client_workarounds': {
        const tokens = value.split(/[ ,]+/).filter((token) => token !== '');
        const kept = tokens.map((token) => {
          if (token !== 'outlook-idle' && token !== 'netscape-eoh') return token;
          this.warn(entry, entry.node.keyRange, rowFor(key, token).message);
          return '';
        });
        this.rewrite(entry, frames, key, kept.join(' '));
        return true;
      }
      default:
        return false;
    }
  }

  private protocols(entry: Placed<SettingNode>, frames: Frame[]): void {
    const tokens = entry.node.value.split(' ').filter((token) => token !== '');
    const has = (name: string): boolean => tokens.includes(name);
    const mapped = tokens.map((token) => {
      if (token === 'imaps' || token === 'pop3s') return '';
      if (token !== 'managesieve') return token;
      this.warn(entry, entry.node.keyRange, rowFor('protocols', 'managesieve').message);
      return 'sieve';
    });
    let value = mapped.filter((token) => token !== '').join(' ');
    for (const [secure, plain] of [
      ['imaps', 'imap'],
      ['pop3s', 'pop3'],
    ]) {
      if (!has(secure)) continue;
      if (has(plain)) {
        this.warn(entry, entry.node.keyRange, rowFor('protocols', secure).message);
        continue;
      }
      this.warn(entry, entry.node.keyRange, rowFor('protocols', `${secure}-only`).message);
      value = `${value} ${plain}`;
      this.serviceSetting(
        entry,
        [
          { type: 'service', name: `${plain}-login` },
          { type: 'inet_listener', name: plain },
        ],
        'port',
        '0',
      );
    }
    value = value.replace(/^ /, '');
    if (value === entry.node.value) this.keep(entry, frames);
    else
      this.settings.push({
        ...entry,
        node: syntheticSetting('protocols', value, entry.node.range, entry.node),
        frames,
        rewrittenFrom: entry.node,
      });
  }

  /** socket_apply(): `socket listen { client|master { path = ... } }` becomes a unix_listener of service auth. */
  private applySocket(socket: SocketSet): void {
    if (socket.path === undefined) return;
    let listenerPath = socket.path;
    if (listenerPath.startsWith(`${this.baseDir}/`)) listenerPath = listenerPath.slice(this.baseDir.length + 1);
    const origin = socket.origin;
    const service = syntheticSection('service', 'auth', origin.node.headerRange);
    const listener = syntheticSection('unix_listener', listenerPath, origin.node.headerRange);
    const frames = this.mapFrames(origin.frames);
    this.sections.push({ node: service, file: origin.file, frames, order: origin.order });
    const listenerFrames = [...frames, frameIn(frames, service, origin.file)];
    this.sections.push({ node: listener, file: origin.file, frames: listenerFrames, order: origin.order });
    for (const key of ['mode', 'user', 'group'] as const) {
      const value = socket[key];
      if (value === undefined) continue;
      this.settings.push({
        node: syntheticSetting(key, value, origin.node.headerRange),
        file: origin.file,
        frames: [...listenerFrames, frameIn(listenerFrames, listener, origin.file)],
        order: origin.order,
      });
    }
  }
}

function syntheticSetting(
  key: string,
  value: string,
  range: Range,
  written?: SettingNode,
  valueKind: SettingNode['valueKind'] = 'plain',
): SettingNode {
  return {
    kind: 'setting',
    key,
    keyRange: written?.keyRange ?? range,
    rawValue: valueKind === 'file' ? `<${value}` : value,
    value,
    valueKind,
    valueRange: written?.valueRange ?? range,
    variables: [],
    range,
  };
}

function syntheticSection(type: string, name: string, range: Range): SectionNode {
  return {
    kind: 'section',
    type,
    typeRange: range,
    name,
    nameQuoted: false,
    children: [],
    headerRange: range,
    closeRange: range,
    range,
  };
}

/**
 * The model as Dovecot 2.3 applies it: obsolete settings rewritten (renamed, moved into services or
 * plugin {}, or dropped) exactly as old-set-parser.c does, with one `obsolete-setting` finding per
 * warning doveconf prints. Not for 2.4 configurations, which have no such rewrites.
 */
export function applyObsoleteRewrites(model: ConfigModel): ConfigModel {
  const rewriter = new ObsoleteRewriter(model);
  rewriter.run();
  if (
    rewriter.findings.length === 0 &&
    rewriter.settings.unchanged &&
    rewriter.sections.unchanged &&
    rewriter.rejected24.length === model.rejected24.length &&
    rewriter.rejected24.every((entry, index) => entry === model.rejected24[index])
  )
    return model;
  const order = (entry: { order: number }): number => entry.order;
  return {
    ...model,
    settings: rewriter.settings.sorted(order),
    sections: rewriter.sections.sorted(order),
    rejected24: rewriter.rejected24,
    findings: [...model.findings, ...rewriter.findings],
  };
}
