// What Dovecot 2.4's config parser (src/config/config-parser.c@2.4.4) says about a configuration, with
// its exact messages: the dovecot_config_version gate, setting lookup through filter prefixes, named
// filters and named list filters, string and boolean lists, value types, include groups and the
// storage-version requirement. The walk follows doveconf's reading order (includes in place) and keeps
// the same filter state doveconf keeps; unlike doveconf it goes on after an error, skipping what a
// rejected block contains.
import * as path from 'node:path';
import { displayPath, type ConfigModel } from '../model/model';
import { parseNetwork } from '../model/filters';
import { structCheckError24 } from '../schema/structChecks24';
import { groupByError24 } from '../schema/statsGroupBy24';
import {
  EXPORTER_ENUM_KEYS_24,
  exporterLookupError24,
  filterLookupError24,
  sieveInitVariableError24,
} from '../schema/lookupChecks24';
import {
  default24,
  filterChecks24,
  literalWordsBeforeVariable24,
  structsOf24,
  type FilterCheck24,
  type ValueOf,
} from '../schema/filterChecks24';
import {
  EVENT_FILTER_SETTINGS_24,
  languagesError24,
  listWithBlockWord24,
  SIEVE_CAPABILITY_KEYS_24,
  SIEVE_INIT_STRUCTS_24,
  sieveInitFailure24,
  SIEVE_INIT_FAILED_24,
} from '../schema/moreChecks24';
import { boollistError24, checkedValue24, checkValue24, listWords24, UNKNOWN_VALUE_24 } from '../schema/valueCheck24';
import {
  allSettings24,
  BUILT_IN_GROUPS_24,
  findSetting24,
  isAuthSetting24,
  namedFilterOfKey24,
  renamedIn24,
  setExpansionError,
  suggestions24,
  type Setting24Info,
} from '../schema/schema24';
import { varExpandProgramError24 } from '../schema/varExpandParser24';
import type { IncludeNode, SectionNode, SettingNode, Statement } from '../syntax/nodes';
import { unescape24 } from '../syntax/parser';
import { sectionEscape } from '../schema/sectionEscape';
import { keyVariableTexts } from '../syntax/valueWords';
import type { Range } from 'vscode-languageserver-types';
import type { AnalysisContext } from './analyzer';
import type { Finding } from './finding';
import { fileValueFailsDoveconf } from './fileValueFails';
import { includeJoins, joinedLineFinding, joinedSetting, type IncludeJoin, type Lines } from './joinedIncludeLines';
import { findRule, type RuleId } from './rules';

/** The versions 2.4.4 accepts in dovecot_config_version (config_version_find). */
export const SUPPORTED_CONFIG_VERSIONS = ['2.4.0', '2.4.1', '2.4.2', '2.4.3', '2.4.4'];

/** A filter as config_filter holds it: each block adds one, pointing at its parent. */
interface Filter {
  parent?: Filter;
  protocol?: string;
  localName?: string;
  local?: { bits: number; text: string };
  remote?: { bits: number; text: string };
  /** `service/imap` for a named list filter, `ssl_client` for a named filter, `@label/name` for a group. */
  name?: string;
  isArray: boolean;
  /** Identity for "the same filter parser" (required settings are tracked per parser). */
  id: string;
}

interface Section {
  prev?: Section;
  filter: Filter;
  isFilter: boolean;
  /** The (prefixed) key of a `list {` block: its entries are `key/entry`. */
  listKey?: string;
  def?: Setting24Info;
  /** The block was rejected: doveconf stopped here, we skip what it contains. */
  rejected: boolean;
}

type LineType = 'value' | 'file' | 'variable';

/** A value a filter sets: undefined when it is not known while parsing (see knownToChecks). */
interface SetValue {
  value: string | undefined;
  /** The text doveconf -n keeps for the setting (what `$SET:key` on a later line reads); undefined if not known. */
  stored: string | undefined;
  /** Kept unexpanded for the config service to expand (it names another setting with `$SET:`). */
  delayed: boolean;
  node: SettingNode;
  file: string;
}

const ROOT_FILTER: Filter = { isArray: false, id: '' };
/** Dovecot's own `listen` (master_default_settings_keyvalue@2.4.4). */
const DEFAULT_LISTEN_24 = ['*', '::'];

/** mailbox_special_use_exists(): the RFC 6154 labels, compared without case. */
const RFC_SPECIAL_USE: ReadonlySet<string> = new Set(
  ['All', 'Archive', 'Drafts', 'Flagged', 'Important', 'Junk', 'Sent', 'Trash'].map((label) =>
    `\\${label}`.toLowerCase(),
  ),
);

/** A `passdb NAME { }` or `userdb NAME { }` block and the filter it is written in. */
interface AuthBlock {
  key: string;
  /** As the list holds it (settings_section_escape). */
  name: string;
  parent: Filter;
  file: string;
  range: Range;
}

/** A `method NAME { }` block of a metric's `group_by` block. */
interface GroupByMethod {
  file: string;
  range: Range;
  filter: Filter;
}

/** A `metric NAME { }` block at top level, where the stats process reads its metrics. */
function isTopLevelMetric(filter: Filter | undefined): boolean {
  return filter?.name?.startsWith('metric/') === true && filter.parent?.id === '' && filter.parent.parent === undefined;
}

function cut(text: string, separator: string): string {
  const at = text.indexOf(separator);
  return at < 0 ? text : text.slice(0, at);
}

function skipGroupPrefix(key: string): string {
  return key.startsWith('@') ? key.slice(1) : key;
}

/** config_key_can_autoprefix(): the key exists and is not a named filter. */
function canAutoprefix(key: string): boolean {
  const info = findSetting24(cut(key, '/'));
  return info !== undefined && info.type !== 'filter';
}

/** Whether every filter around (to the top level, which is none) is a `protocol` block. */
function onlyProtocols(filter: Filter): boolean {
  for (let f: Filter | undefined = filter; f?.parent; f = f.parent)
    if (f.protocol === undefined || f.name !== undefined || f.localName !== undefined || f.local || f.remote)
      return false;
  return true;
}

function hasProtocol(filter: Filter | undefined): boolean {
  for (let f = filter; f; f = f.parent) if (f.protocol !== undefined) return true;
  return false;
}

function inLocalRemote(filter: Filter | undefined): boolean {
  for (let f = filter; f; f = f.parent)
    if (f.localName !== undefined || (f.local?.bits ?? 0) > 0 || (f.remote?.bits ?? 0) > 0) return true;
  return false;
}

/** Types config_dump_full() does not write out as one value whose %{...} it parses. */
const NOT_WRITTEN_AS_ONE_VALUE: ReadonlySet<string> = new Set([
  'strlist',
  'boollist',
  'filter',
  'filter_list',
  'file',
  'alias',
]);

/** The mask of a `local`/`remote` block on a host name: the one written (`/0` is none), else above 0. */
function hostMask(value: string): number {
  const mask = /\/(\d+)$/.exec(value)?.[1];
  return mask === undefined ? 32 : Number(mask);
}

function hasNonListFilters(filter: Filter | undefined): boolean {
  for (let f = filter; f; f = f.parent) {
    if (
      f.protocol !== undefined ||
      f.localName !== undefined ||
      f.local !== undefined ||
      f.remote !== undefined ||
      (f.name !== undefined && !f.isArray)
    )
      return true;
  }
  return false;
}

function inGroup(filter: Filter | undefined): boolean {
  for (let f = filter; f; f = f.parent) if (f.isArray && f.name?.startsWith('@')) return true;
  return false;
}

/**
 * The value a struct check sees, or undefined when it is not known while parsing: `$ENV:`/`$SET:` lines, and
 * `%{...}` programs of string lists and files. A string, number or enum with a program is seen as
 * UNKNOWN_VALUE_24, a STR_NOVARS setting's program as written; an event filter check parses that placeholder
 * as doveconf does and the config service alike: it fails. A boolean list's words are never expanded (each is
 * a key of the list): its checks read `%{user}` as that word, when doveconf -n runs and when Dovecot starts.
 * A `<file` line is `<path`, which doveconf -n checks as written while Dovecot reads the file (see filterChecks()).
 */
function knownToChecks(key: string, type: LineType, value: string): string | undefined {
  const eventFilter = EVENT_FILTER_SETTINGS_24.includes(key);
  if (type === 'variable') return undefined;
  const checked = checkedValue24(key, value);
  const literal = ['string_novars', 'boollist'].includes(findSetting24(key)?.type ?? '');
  if (checked === value && value.includes('%{') && !literal) return eventFilter ? UNKNOWN_VALUE_24 : undefined;
  return checked;
}

/** settings_section_escape(): how a named list filter's name is written into its list setting. */
export function sectionEscape24(name: string): string {
  return name === '' ? '\\.' : sectionEscape(name);
}

/**
 * A filter's values as a word list's check reads them when one is written with `$SET:`/`$ENV:`: the literal
 * words before the first variable, which fail whatever the variables give.
 */
function literalWordsOf(values: Map<string, SetValue>): ValueOf {
  return (key) => {
    const stored = values.get(key)?.stored;
    return stored === undefined ? undefined : literalWordsBeforeVariable24(key, stored);
  };
}

/** A value written with `$` words that has a literal word too: not empty, whatever the variables give. */
function hasLiteralWord(set: SetValue): boolean {
  return set.stored !== undefined && keyVariableTexts(set.stored).some((word) => word !== '' && !word.startsWith('$'));
}

/**
 * The values a filter check reads: the filter's own or the defaults. Where one is written with `$` words, a word
 * list's check reads its literal words, and a check that reads a setting only for whether it is set reads it as
 * set when it has a literal word; any other check is not made (undefined).
 */
function checkedValues(check: FilterCheck24, values: Map<string, SetValue>): ValueOf | undefined {
  const known = (key: string) => values.get(key)?.value ?? default24(key);
  const unknownKeys = check.keys.filter((key) => values.has(key) && values.get(key)!.value === undefined);
  if (unknownKeys.length === 0) return known;
  if (check.wordList) return literalWordsOf(values);
  const setWhateverExpands = unknownKeys.every(
    (key) => check.readsOnlyIfSet?.includes(key) && hasLiteralWord(values.get(key)!),
  );
  return setWhateverExpands ? (key) => (unknownKeys.includes(key) ? UNKNOWN_VALUE_24 : known(key)) : undefined;
}

/** How doveconf 2.4 classifies a `key = value` line (config_parse_line). */
export function lineType24(node: SettingNode): LineType {
  if (node.valueKind === 'file') return 'file';
  const raw = node.rawValue;
  if (raw[0] !== '"' && raw[0] !== "'" && raw.includes('$')) return 'variable';
  return 'value';
}

/** The value of a `key = value` line as the 2.4 parser stores it (doveconf -n does not expand anything). */
function lineValue(node: SettingNode, type: LineType): { value: string; error?: string; setReference: boolean } {
  if (type === 'file') return { value: `<${node.value}`, setReference: false };
  if (type === 'variable') {
    const tokens = keyVariableTexts(node.value);
    return {
      value: node.value,
      setReference: tokens.some((token) => token.startsWith('$SET:') && token.slice(5) !== node.key),
    };
  }
  const raw = node.rawValue;
  const quote = raw[0];
  if (raw.length > 0 && (quote === '"' || quote === "'") && raw.endsWith(quote)) {
    const unescaped = unescape24(raw.slice(1, raw.length === 1 ? 1 : -1));
    return { value: unescaped.value, error: unescaped.error, setReference: false };
  }
  return { value: raw, setReference: false };
}

/**
 * A line Dovecot 2.4 cannot read (config_parse_line gives CONFIG_LINE_TYPE_ERROR): a header or key it cannot
 * parse, or a quoted value with an unknown escape. Before dovecot_config_version it passes over such a line.
 */
export function unreadableLine24(statement: Statement): boolean {
  if (statement.kind === 'invalid') return true;
  return statement.kind === 'setting' && lineValue(statement, lineType24(statement)).error !== undefined;
}

class Parser24 {
  readonly findings: Finding[] = [];
  private version?: string;
  private versionGateDone = false;
  private section: Section = { filter: ROOT_FILTER, isFilter: false, rejected: false };
  private readonly requiredSeen = new Set<string>();
  /** Values config_dump_full() aborts on, by filter and key (noteDumpAbort). */
  private readonly dumpAborts = new Map<string, Finding>();
  private readonly seenFiltered = new Map<string, { where: string; file: string; range: Range }>();
  /** A `\` continuation the included file just read ends with, which the next line read takes in. */
  private pendingJoin?: IncludeJoin;
  /** `group @label name {` definitions read so far, after Dovecot's own: label → names. */
  private readonly groups = new Map(
    Object.entries(BUILT_IN_GROUPS_24).map(([label, names]) => [label, new Set(Object.keys(names))]),
  );
  private readonly includes: Map<IncludeNode, string[]>;
  private readonly active: string[] = [];
  private storageVersionSet = false;
  /** The named list filters opened so far (config_filter_parser_find finds them again). */
  private readonly listFilters = new Set<string>();
  /**
   * Each filter's own `listen` list as the config parser keeps it (address → yes/no; undefined once a value is
   * unknown), the line that last changed it, and service blocks opened inside protocol/local/remote filters.
   */
  private readonly listenLists = new Map<
    string,
    { list: Map<string, boolean> | undefined; file: string; range: Range }
  >();
  private readonly servicesInFilters: Array<{ file: string; range: Range; filter: Filter }> = [];
  /** `metric NAME { }` and `event_exporter NAME { }` blocks, in file order: the stats checks read them. */
  private readonly statsBlocks: Array<{ file: string; range: Range; filter: Filter; topLevel: boolean }> = [];
  /** The `method NAME { }` blocks of metrics' `group_by` blocks, in file order: the stats process checks them. */
  private readonly groupByMethods: GroupByMethod[] = [];
  /** `passdb NAME { }` and `userdb NAME { }` blocks, in file order: the auth struct's check looks them up. */
  private readonly authBlocks: AuthBlock[] = [];
  /** `language NAME { }` blocks, in file order: lang_settings_check() reads them after parsing. */
  private readonly languages: Array<{ file: string; range: Range; filter: Filter; topLevel: boolean }> = [];
  /** Each filter's own values, in the order doveconf creates the filters: what its struct checks see. */
  private readonly filterValues = new Map<string, { filter: Filter; values: Map<string, SetValue> }>();
  private file = '';
  /** Header of the block being opened: where filter errors are reported. */
  private currentHeader: Range = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };

  /** Whether doveconf initialises Sieve after parsing to list the ManageSieve capabilities. */
  private readonly sieveInitRuns: boolean;

  constructor(
    private readonly model: ConfigModel,
    /** A piece of a configuration: its root, which sets the versions, is elsewhere. */
    private readonly fragment = false,
  ) {
    this.includes = new Map(model.includes.map((edge) => [edge.node, edge.targets]));
    this.sieveInitRuns = !SIEVE_CAPABILITY_KEYS_24.every((key) =>
      model.settings.some(({ node, frames }) => frames.length === 0 && node.key === key),
    );
  }

  /** A failed check of a struct Sieve reads when doveconf initialises it: in the global filter, that fails first. */
  private sieveInitMessage(structs: readonly string[], global: boolean, message: string): string {
    const struct = this.sieveInitStruct(structs, global);
    return struct !== undefined ? sieveInitFailure24(struct, message) : message;
  }

  /** The Sieve struct whose check doveconf runs as it initialises Sieve, when it does for these structs. */
  private sieveInitStruct(structs: readonly string[], global: boolean): string | undefined {
    return global && this.sieveInitRuns ? structs.find((name) => SIEVE_INIT_STRUCTS_24.has(name)) : undefined;
  }

  run(): Finding[] {
    this.visitFile(this.model.root);
    this.findings.push(...this.dumpAborts.values());
    this.serviceListenCheck();
    this.filterChecks();
    this.nestedAuthBlockCheck();
    this.sslWarnings();
    this.specialUseWarnings();
    this.languageCheck();
    this.metricChecks();
    this.groupByChecks();
    // doveconf checks this after parsing, also when the file is empty or has no version at all.
    if (!this.storageVersionSet && !this.fragment) this.storageVersionMissing();
    return this.findings;
  }

  private report(code: RuleId, range: Range, message: string, data?: Record<string, unknown>): void {
    this.findings.push({ code, file: this.file, range, message, ...(data ? { data } : {}) });
  }

  private visitFile(file: string): void {
    const parsed = this.model.files.get(file)?.parsed;
    if (!parsed || this.active.includes(file)) return;
    this.active.push(file);
    const outer = this.file;
    this.file = file;
    this.visitStatements(parsed.statements);
    this.file = outer;
    this.active.pop();
  }

  private visitStatements(statements: Statement[]): void {
    for (const statement of statements) {
      if (!this.versionGateDone && !this.fragment) this.joinedBeforeVersion(statement);
      if (this.section.rejected && statement.kind !== 'close' && statement.kind !== 'include') {
        if (statement.kind === 'section') this.visitRejectedSection(statement);
        continue;
      }
      const join = this.takeJoin(statement);
      switch (statement.kind) {
        case 'setting': {
          const joined = join && joinedSetting(this.model, join, statement);
          const before = this.findings.length;
          this.settingLine(joined ?? statement);
          if (join && joined) this.markJoined(join, before, statement.range);
          break;
        }
        case 'section':
          this.visitSection(statement);
          break;
        case 'close':
          if (this.versionGate('}', statement.range)) this.sectionEnd(statement.range);
          break;
        case 'include':
          if (this.versionGate('!include', statement.range)) this.include(statement);
          break;
        case 'invalid':
          break;
      }
    }
  }

  /**
   * The loop looking for dovecot_config_version never empties the line a `\` continuation leaves pending
   * (config_parse@2.4.4): one that a blank or comment line drops later joins the next line it reads, which
   * is then a setting of the dropped key, not the version: `The first setting must be dovecot_config_version`.
   */
  private joinedBeforeVersion(statement: Statement): void {
    const start = statement.range.start.line;
    const dropped = this.model.files
      .get(this.file)
      ?.parsed.problems.find((problem) => problem.code === 'continuation-dropped' && problem.range.end.line <= start);
    const key = /^[A-Za-z0-9_]+/.exec(dropped?.data?.dropped ?? '')?.[0];
    if (key === undefined || key === 'dovecot_config_version') return;
    this.versionGateDone = true;
    const range = statement.kind === 'section' ? statement.headerRange : statement.range;
    this.report('config-version-missing', range, 'The first setting must be dovecot_config_version', {
      insertVersion: SUPPORTED_CONFIG_VERSIONS[SUPPORTED_CONFIG_VERSIONS.length - 1],
    });
  }

  private visitRejectedSection(node: SectionNode): void {
    this.section = { prev: this.section, filter: this.section.filter, isFilter: false, rejected: true };
    this.visitStatements(node.children);
    if (node.closeRange) this.section = this.section.prev ?? this.section;
  }

  private visitSection(node: SectionNode): void {
    if (!this.versionGate(node.type, node.headerRange)) {
      this.visitRejectedSection(node);
      return;
    }
    this.sectionBegin(node);
    this.visitStatements(node.children);
    if (node.closeRange) {
      const outer = this.file;
      this.sectionEnd(node.closeRange);
      this.file = outer;
    }
  }

  private include(node: IncludeNode): void {
    for (const target of this.includes.get(node) ?? []) {
      const file = path.resolve(target);
      this.visitFile(file);
      this.pendingJoin = includeJoins(this.model).find((join) => join.include === node && join.file === file);
    }
  }

  private settingLine(node: SettingNode): void {
    const unreadable = unreadableLine24(node);
    // Read by the loop looking for dovecot_config_version, which passes over it (config_parse@2.4.4).
    if (unreadable && !this.versionGateDone && !this.fragment) return;
    // Later such a line is its own error, whatever its key (dovecot_config_version included).
    if (this.versionGate(unreadable ? '' : node.key, node.range, node)) this.setting(node);
  }

  /**
   * The join of a `\` continuation an included file ends with, when `statement` is the line Dovecot reads
   * next (the first one after that file, in this reading of the tree); the pending join ends there either way.
   */
  private takeJoin(statement: Statement): (IncludeJoin & { next: Lines }) | undefined {
    const join = this.pendingJoin;
    this.pendingJoin = undefined;
    if (!join || join.next === 'unknown') return undefined;
    const start = statement.kind === 'section' ? statement.headerRange.start.line : statement.range.start.line;
    return join.next.file === this.file && join.next.first === start ? { ...join, next: join.next } : undefined;
  }

  /**
   * The findings made since `before` are the joined line's: its errors are given on the setting it takes in,
   * saying so; its warnings are left out, as for any line we cannot read as written.
   */
  private markJoined(join: IncludeJoin & { next: Lines }, before: number, at: Range): void {
    const errors = this.findings.splice(before).filter((finding) => findRule(finding.code)?.level === 'error');
    this.findings.push(...errors.map((finding) => joinedLineFinding(this.model, join, finding, at)));
  }

  // ------------------------------------------------------------ dovecot_config_version

  /** config_parser_get_version(): false when the line must not be applied. */
  private versionGate(key: string, range: Range, node?: SettingNode): boolean {
    if (key !== 'dovecot_config_version') {
      if (!this.versionGateDone) {
        this.versionGateDone = true;
        if (!this.fragment)
          this.report('config-version-missing', range, 'The first setting must be dovecot_config_version', {
            insertVersion: SUPPORTED_CONFIG_VERSIONS[SUPPORTED_CONFIG_VERSIONS.length - 1],
          });
      }
      return true;
    }
    if (!node) return true;
    if (this.version !== undefined) {
      if (lineValue(node, lineType24(node)).value !== this.version)
        this.report('config-version-invalid', range, "dovecot_config_version value can't be changed once set");
      return false;
    }
    const first = !this.versionGateDone;
    this.versionGateDone = true;
    if (!first) return true;
    if (lineType24(node) !== 'value') {
      this.report('config-version-invalid', range, 'Invalid dovecot_config_version: value is not a string');
      return false;
    }
    const { value } = lineValue(node, 'value');
    if (!SUPPORTED_CONFIG_VERSIONS.includes(value)) {
      this.report(
        'config-version-invalid',
        node.valueRange,
        `Invalid dovecot_config_version: Currently supported versions are: ${SUPPORTED_CONFIG_VERSIONS.join(' ')}`,
      );
      return false;
    }
    this.version = value;
    if (node.range.start.line < node.range.end.line) this.versionOverLines(node);
    return false;
  }

  /**
   * The loop looking for dovecot_config_version never empties the line a `\` continuation builds
   * (config_parse@2.4.4): Dovecot reads its built-in settings onto the end of a version line written over
   * several lines, and aborts on them. Checked with doveconf and a start of Dovecot 2.4.4.
   */
  private versionOverLines(node: SettingNode): void {
    this.report(
      'config-version-invalid',
      node.range,
      'dovecot_config_version is written over several lines: Dovecot 2.4 reads its built-in settings onto the end of this line and aborts ("Panic: Error in internal import configuration line 1: Expecting \'{\'" in 2.4.4), so doveconf fails and Dovecot does not start. Write it on one line.',
    );
  }

  private storageVersionMissing(): void {
    const root = this.model.files.get(this.model.root)?.parsed;
    const first =
      root?.statements.find(
        (statement) => statement.kind === 'setting' && statement.key === 'dovecot_config_version',
      ) ?? root?.statements[0];
    const range = first?.range ?? { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
    this.file = this.model.root;
    this.report('storage-version-missing', range, 'dovecot_storage_version setting must be set', {
      insertAfterLine: first?.range.end.line ?? -1,
      version: this.version,
    });
  }

  // ------------------------------------------------------------ key = value

  private setting(node: SettingNode): void {
    const type = lineType24(node);
    const line = lineValue(node, type);
    const { error, setReference } = line;
    if (error) {
      this.report('unknown-escape', node.valueRange, error);
      return;
    }
    const key = node.key;
    if (key.startsWith('@') && !node.keyQuoted) {
      this.groupInclude(node, key.slice(1), line.value, type === 'variable');
      return;
    }
    let value = line.value;
    // The text doveconf keeps: `$SET:key` expanded to the setting's own value, other `$` words as written;
    // for `<file` doveconf -n keeps the path, Dovecot the file's contents.
    let stored: string | undefined = type === 'file' ? undefined : value;
    let checkType = type;
    const selfReference = type === 'variable' && keyVariableTexts(node.value).includes(`$SET:${key}`);
    if (type === 'variable') {
      // `key = $SET:key more` expands the setting's own value while the line is read (config_write_keyvariable):
      // a list or filter cannot be expanded, an unknown name cannot be found. Other `$SET:` references are only
      // expanded by the config service, not by doveconf -n.
      const expandError = selfReference ? setExpansionError(key) : undefined;
      if (expandError) {
        this.report('set-variable-error', node.valueRange, expandError);
        return;
      }
      if (selfReference) {
        const expansion = this.expandSelfReference(key, value);
        if (expansion?.loops) {
          this.report('set-variable-error', node.valueRange, `Chained $SET:${key} loops back to itself`);
          return;
        }
        stored = expansion?.text;
        value = stored ?? value;
        if (stored !== undefined && !/\$(SET|ENV):/.test(stored)) checkType = 'value';
      }
    }
    const keyWithPath = this.section.listKey !== undefined ? `${this.section.listKey}/${key}` : key;
    const result = this.applyLineFull(keyWithPath, value, !setReference, node, key);
    if (result.error) {
      this.report(
        result.code ?? 'invalid-value',
        result.onValue ? node.valueRange : node.keyRange,
        `${key}: ${result.error}`,
        result.data,
      );
      // doveconf stops here; the checks after parsing must not guess the refused value.
      if (result.fullKey)
        this.recordValue(result.target ?? this.section.filter, result.fullKey, undefined, undefined, false, node);
      return;
    }
    if (result.fullKey === 'dovecot_storage_version' && result.root) this.storageVersionSet = value !== '';
    if (result.fullKey?.split('/')[0] === 'listen')
      this.recordListen(
        result.target ?? this.section.filter,
        result.fullKey,
        knownToChecks(result.fullKey, checkType, value),
        node,
      );
    this.recordValue(
      result.target ?? this.section.filter,
      result.fullKey ?? key,
      knownToChecks(result.fullKey ?? key, checkType, value),
      stored,
      setReference && !selfReference,
      node,
    );
    const fullKey = result.fullKey ?? key;
    const global = result.root ?? false;
    const structError = !setReference && checkType === 'value' ? structCheckError24(fullKey, value) : undefined;
    if (structError)
      this.report('settings-check', node.range, this.sieveInitMessage(structsOf24(fullKey), global, structError));
    const lookupError = !setReference && checkType === 'value' ? this.lookupError(fullKey, value) : undefined;
    if (lookupError) this.report('settings-check', node.range, lookupError);
    const sieveError =
      !setReference && checkType === 'value' && global && this.sieveInitRuns
        ? sieveInitVariableError24(fullKey, value)
        : undefined;
    if (sieveError) this.report('settings-check', node.range, sieveError);
    this.checkWarnings(result.fullKey ?? key, result.root ?? false, node);
  }

  /**
   * `key = $SET:key more` as doveconf reads it (config_write_keyvariable): the key's value in the current
   * filter, else in the filter around it, up to the default, replaces the word. Undefined when we cannot
   * know that value: a filter with built-in defaults of its own (services, named filters such as
   * `ssl_client { }`, include groups) may hold one, and in a named list filter the line may set a
   * prefixed setting instead. A value kept unexpanded for the config service is expanded again for the
   * same key, which doveconf refuses as a loop.
   */
  private expandSelfReference(key: string, value: string): { text?: string; loops?: true } | undefined {
    if (this.section.listKey !== undefined) return undefined;
    let own: string | undefined;
    for (let filter: Filter | undefined = this.section.filter; filter; filter = filter.parent) {
      if (filter.name !== undefined) {
        if (!filter.isArray || filter.name.startsWith('@') || filter.name.startsWith('service/')) return undefined;
        const prefixes = [filter.name.replace(/\//g, '_'), cut(filter.name, '/')];
        if (filter === this.section.filter && prefixes.some((prefix) => canAutoprefix(`${prefix}_${key}`)))
          return undefined;
      }
      const set = this.filterValues.get(filter.id)?.values.get(key);
      if (set) {
        if (set.delayed) return { loops: true };
        own = set.stored;
        if (own === undefined) return undefined;
        break;
      }
    }
    own ??= default24(key);
    if (own === undefined) return undefined;
    return {
      text: keyVariableTexts(value)
        .map((word) => (word === `$SET:${key}` ? own : word))
        .join(' '),
    };
  }

  /** A parent struct's check reads this block again and fails on the value (filterLookupError24). */
  private lookupError(key: string, value: string): string | undefined {
    const filter = this.section.filter;
    if (!filter.isArray || !filter.name || !this.section.isFilter) return undefined;
    const parentKind = filter.parent?.isArray && filter.parent.name ? cut(filter.parent.name, '/') : undefined;
    return filterLookupError24(filter.name, parentKind, key, value);
  }

  private applyLineFull(
    key: string,
    value: string,
    expanded: boolean,
    node: SettingNode,
    lineKey: string,
  ): ApplyResult {
    const filter = this.section.filter;
    let result: ApplyResult = { applied: false };
    if (filter.isArray && filter.name) {
      const key2 = `${skipGroupPrefix(filter.name.replace(/\//g, '_'))}_${key}`;
      if (canAutoprefix(key2)) result = this.applyExact(key2, value, expanded, node, lineKey, filter);
    }
    if (!result.applied && !result.error && filter.name) {
      const filterKey = skipGroupPrefix(cut(filter.name, '/'));
      let key2 = `${filterKey}_${key}`;
      let target = filter;
      if (!filter.isArray) {
        target = filter.parent ?? ROOT_FILTER;
        if (key.startsWith(`${filterKey}_`)) key2 = key;
      }
      if (canAutoprefix(key2)) result = this.applyExact(key2, value, expanded, node, lineKey, target);
    }
    if (!result.applied && !result.error) result = this.applyExact(key, value, expanded, node, lineKey, filter);
    if (!result.applied && !result.error) return this.unknownKey(key, filter);
    return result;
  }

  /** config_apply_exact_line(): undefined `applied` when the key is unknown. */
  private applyExact(
    key: string,
    value: string,
    expanded: boolean,
    node: SettingNode,
    lineKey: string,
    target: Filter,
  ): ApplyResult {
    const def = this.section.def;
    if (def?.requiredSetting === key) this.requiredSeen.add(this.section.filter.id);
    const lookupKey = cut(key, '/');
    const info = findSetting24(lookupKey);
    if (!info) return { applied: false };
    if (
      ['import_environment', 'base_dir', 'dovecot_storage_version'].includes(lookupKey) &&
      inGroup(this.section.filter)
    ) {
      return { applied: true, error: `${lookupKey} cannot currently be defined inside groups` };
    }
    // config_apply_exact_line() stores the value, then settings_value_check() reaches i_unreached() for an
    // alias (config-parser.c@2.4.4): doveconf and the config parsing Dovecot does at start abort. A `$SET:`
    // value is left for the config clients and never checked there.
    if (info.type === 'alias' && expanded)
      return {
        applied: true,
        error: `Dovecot 2.4 aborts on this old name of ${info.aliasOf} ("Panic: file config-parser.c: line 747: unreached" in 2.4.4): doveconf fails and Dovecot does not start. Write ${info.aliasOf} instead.`,
        code: 'setting-aborts-dovecot',
        data: lineKey === key ? { replacement: info.aliasOf } : undefined,
      };
    const listError = this.applyListOrFilter(info, key, value, expanded, lineKey);
    if (listError) return { applied: true, ...listError };
    if (expanded) {
      const valueError = this.valueError(info, value);
      if (valueError)
        return {
          applied: true,
          error: valueError,
          onValue: true,
          code: valueError.startsWith('Setting is a named filter') ? 'section-syntax' : undefined,
          fullKey: key,
          target,
        };
    }
    if (isAuthSetting24(info) && inLocalRemote(this.section.filter)) {
      return {
        applied: true,
        error: `Auth settings not supported inside local/remote blocks: ${key}`,
        code: 'auth-setting-in-filter',
      };
    }
    this.noteDumpAbort(`${target.id}\n${key}`, info, value, expanded, node);
    return { applied: true, fullKey: key, root: target === ROOT_FILTER || target.id === '', target };
  }

  /**
   * config_dump_full() parses the %{...} program of each value it writes out and aborts on one that fails
   * (config-dump-full.c@2.4.4), after the whole configuration is read: a STR_NOVARS value, which the line's
   * check leaves alone, and a value kept with its $SET:/$ENV: words, which doveconf -n does not check. The
   * last value of a setting in a filter is the one written out.
   */
  private noteDumpAbort(id: string, info: Setting24Info, value: string, expanded: boolean, node: SettingNode): void {
    const scalar = !NOT_WRITTEN_AS_ONE_VALUE.has(info.type);
    const checked = scalar && value.includes('%{') && (!expanded || info.type === 'string_novars');
    const problem = checked ? varExpandProgramError24(value) : undefined;
    if (!problem) {
      this.dumpAborts.delete(id);
      return;
    }
    const who = expanded ? 'doveconf and Dovecot abort' : 'doveconf aborts';
    this.dumpAborts.set(id, {
      code: 'value-aborts-doveconf',
      file: this.file,
      range: node.valueRange,
      message: `${info.name}: ${value}: ${problem}: ${who} when writing out this value ("Panic: ${value}: ${problem}"), though the line itself is accepted. Write a valid %{...} (end it with "}"), or escape the % as %%.`,
    });
  }

  private applyListOrFilter(
    info: Setting24Info,
    key: string,
    value: string,
    expanded: boolean,
    lineKey: string,
  ): Omit<ApplyResult, 'applied'> | undefined {
    const isEntry = key.includes('/');
    switch (info.type) {
      case 'strlist':
        if (!isEntry && !(expanded && value === ''))
          return { error: `Setting is a string list, use '${key} {'`, code: 'section-syntax' };
        return undefined;
      case 'boollist': {
        const listError = !isEntry ? boollistError24(value) : undefined;
        if (listError)
          return {
            error: listError,
            onValue: true,
            code: listError.startsWith('Failed to expand') ? 'set-variable-error' : undefined,
          };
        if (isEntry && expanded && !value.includes('%{') && !value.includes('$ENV:')) {
          const error = checkValue24({ ...info, type: 'bool' }, value);
          if (error) return { error, onValue: true };
        }
        return undefined;
      }
      case 'filter_list':
        if (!expanded)
          return {
            error: `Named list filter name must not contain $SET: ${value}`,
            code: 'section-syntax',
            onValue: true,
          };
        if (value.startsWith('__'))
          return {
            error: `Named list filter name must not begin with '__': ${value}`,
            code: 'section-syntax',
            onValue: true,
          };
        return { error: `Setting is a named list filter, use '${lineKey} ${value} {'`, code: 'section-syntax' };
      case 'file':
        if (!expanded)
          return { error: `File settings must not contain $SET: ${value}`, code: 'section-syntax', onValue: true };
        return undefined;
      default:
        return undefined;
    }
  }

  private valueError(info: Setting24Info, value: string): string | undefined {
    if (info.type === 'filter') return `Setting is a named filter, use '${info.name} {'`;
    // settings_value_check() parses the %{...} program of every typed value except a STR_NOVARS one.
    const programError = info.type === 'string_novars' ? undefined : varExpandProgramError24(value);
    if (programError) return `${value}: ${programError}`;
    return checkValue24(info, value);
  }

  /** config_set_unknown_key_error(), with our did-you-mean and renamed-in-2.4 hints after doveconf's text. */
  private unknownKey(key: string, filter: Filter): ApplyResult {
    let message = `Unknown setting: ${key}`;
    if (filter.name !== undefined) {
      const filterKey = cut(filter.name, '/');
      message += ` (${filterKey}_${key}`;
      if (filter.isArray) message += ` or ${filter.name.replace(/\//g, '_')}_${key}`;
      message += ' not found either.';
      if (!filter.isArray) message += ')';
      else {
        const alternatives = alternativeKeys(filterKey, key);
        if (alternatives.length === 0) message += ')';
        else if (alternatives.length === 1) message += ` Did you mean ${alternatives[0]}?)`;
        else message += ` Did you mean one of: ${alternatives.join(', ')}?)`;
      }
    }
    const renamed = renamedIn24(key);
    const suggestions = renamed?.replacement
      ? []
      : suggestions24(key, filter.name !== undefined ? skipGroupPrefix(cut(filter.name, '/')) : undefined);
    if (renamed) message += ` ${renamed.hint}`;
    else if (suggestions.length > 0) message += ` (did you mean ${suggestions.join(', ')}?)`;
    return {
      applied: false,
      error: message,
      code: renamed?.removed ? 'removed-in-2.4' : 'unknown-setting',
      data: {
        suggestions: renamed?.replacement ? [renamed.replacement] : suggestions,
        renamedFrom: renamed ? key : undefined,
        context: '',
      },
    };
  }

  // ------------------------------------------------------------ blocks

  private sectionBegin(node: SectionNode): void {
    const current = this.section.filter;
    let key = node.groupLabel ?? node.type;
    let attempts: string | undefined;
    if (current.name !== undefined && node.groupLabel === undefined) {
      let key2 = `${current.name.replace(/\//g, '_')}_${key}`;
      if (canAutoprefix(key2)) key = key2;
      else {
        attempts = ` (${key2}`;
        key2 = `${cut(current.name, '/')}_${key}`;
        if (canAutoprefix(key2)) key = key2;
        else attempts += `, ${key2}`;
      }
    }
    const name = node.nameQuoted ? unescape24(this.rawQuotedName(node)) : { value: node.name };
    const opened: Section = { prev: this.section, filter: current, isFilter: false, rejected: false };
    this.section = opened;
    const fail = (code: RuleId, message: string, range: Range = node.headerRange): void => {
      opened.rejected = true;
      this.report(code, range, message);
    };
    if (name.error) return fail('unknown-escape', name.error, node.nameRange);
    this.currentHeader = node.headerRange;
    const filterResult = this.newFilter(key, name.value, node.nameQuoted, current);
    if (filterResult === 'error') {
      opened.rejected = true;
      return;
    }
    if (filterResult) {
      if (key === 'service' && hasNonListFilters(current))
        this.servicesInFilters.push({ file: this.file, range: node.headerRange, filter: current });
      if (key === 'metric' || key === 'event_exporter')
        this.statsBlocks.push({
          file: this.file,
          range: node.headerRange,
          filter: filterResult.filter,
          topLevel: current.parent === undefined,
        });
      if (key === 'metric_group_by_method')
        this.groupByMethods.push({ file: this.file, range: node.headerRange, filter: filterResult.filter });
      if (key === 'language')
        this.languages.push({
          file: this.file,
          range: node.headerRange,
          filter: filterResult.filter,
          topLevel: current.parent === undefined,
        });
      opened.isFilter = true;
      opened.filter = filterResult.filter;
      opened.def = filterResult.def;
      if (filterResult.def?.type === 'filter_list' && opened.prev?.def?.requiredSetting === key)
        this.requiredSeen.add(opened.prev.filter.id);
      return;
    }
    const info = findSetting24(key);
    if (!info) {
      const renamed = renamedIn24(node.type);
      const tail = attempts !== undefined ? `${attempts} not found either.)` : '';
      const hint = renamed ? ` ${renamed.hint}` : '';
      this.findings.push({
        code: renamed?.removed ? 'removed-in-2.4' : 'unknown-setting',
        file: this.file,
        range: node.typeRange,
        message: `Unknown section name: ${key}${tail}${hint}`,
        data: { suggestions: renamed?.replacement ? [renamed.replacement] : suggestions24(node.type), context: '' },
      });
      opened.rejected = true;
      return;
    }
    if (info.type !== 'strlist' && info.type !== 'boollist')
      return fail('section-syntax', `Setting ${key} cannot be used as a section`);
    if (name.value !== '') return fail('section-syntax', `Setting ${key} cannot have a value for the section`);
    opened.listKey = key;
  }

  /** The text between the quotes of a quoted section name, before any unescaping. */
  private rawQuotedName(node: SectionNode): string {
    const range = node.nameRange;
    const text = this.model.files.get(this.file)?.text;
    if (!range || text === undefined || range.start.line !== range.end.line) return node.name;
    const line = text.split('\n')[range.start.line] ?? '';
    return line.slice(range.start.character + 1, range.end.character - 1);
  }

  /** config_filter_parse() + config_filter_add_new_filter(); undefined when `key` is no filter. */
  private newFilter(
    key: string,
    value: string,
    quoted: boolean,
    parent: Filter,
  ): { filter: Filter; def?: Setting24Info } | 'error' | undefined {
    const range = this.currentHeader;
    const fail = (message: string, code: RuleId = 'filter-nesting'): 'error' => {
      this.report(code, range, message);
      return 'error';
    };
    const child = (fields: Partial<Filter>, id: string): Filter => ({
      parent,
      isArray: false,
      ...fields,
      id: `${parent.id}/${id}`,
    });
    const parentName = parent.name !== undefined ? cut(parent.name, '/') : undefined;
    if (key.startsWith('@')) {
      if (parent.id !== '') return fail('groups must defined at top-level, not under filters');
      const names = this.groups.get(key.slice(1)) ?? new Set<string>();
      this.groups.set(key.slice(1), names.add(value));
      return { filter: child({ name: `${key}/${value}`, isArray: true }, `${key}/${value}`) };
    }
    switch (key) {
      case 'protocol':
        if (parent.protocol !== undefined) return fail('Nested protocol { protocol { .. } } block not allowed');
        if (parentName !== undefined)
          return fail(`${parentName} { protocol { .. } } not allowed (use protocol { ${parentName} { .. } } instead)`);
        return { filter: child({ protocol: value }, `protocol=${value}`) };
      case 'local':
      case 'remote':
        return this.networkFilter(key, value, parent, parentName, fail, child);
      case 'local_name':
        if (value.includes(' ')) return fail('Multiple names no longer supported in local_name value');
        if (parent.remote !== undefined && parent.remote.bits > 0)
          return fail('remote { local_name { .. } } not allowed (use local_name { remote { .. } } instead)');
        if (parent.protocol !== undefined)
          return fail('protocol { local_name { .. } } not allowed (use local_name { protocol { .. } } instead)');
        if (parentName !== undefined)
          return fail(
            `${parentName} { local_name { .. } } not allowed (use local_name { ${parentName} { .. } } instead)`,
          );
        return { filter: child({ localName: value.toLowerCase() }, `local_name=${value.toLowerCase()}`) };
    }
    const def = findSetting24(key);
    if (!def || (def.type !== 'filter' && def.type !== 'filter_list')) return undefined;
    if (def.type === 'filter') {
      if (value !== '' || quoted) return fail(`${key} { } must not have a section name`, 'section-syntax');
      return { filter: child({ name: key }, key), def };
    }
    if (parent.isArray && parent.name !== undefined) {
      const under = `${key} { .. } not allowed under ${parentName} { .. }`;
      if (key === 'namespace' && (parent.name.startsWith('namespace/') || parent.name.startsWith('mailbox/')))
        return fail(under);
      if (key === 'mailbox' && parent.name.startsWith('mailbox/')) return fail(under);
      if (key === 'service' && !parent.name.startsWith('@')) return fail(under);
    }
    if (value === '' && !quoted) return fail(`${key} { } is missing section name`, 'section-syntax');
    const escaped = sectionEscape24(value);
    const failToSet = (reason: string, code: RuleId = 'section-syntax'): 'error' =>
      fail(`Failed to set ${key}=${escaped} for struct ${def.structs?.[0] ?? ''}: ${reason}`, code);
    if (value.startsWith('__')) return failToSet(`Named list filter name must not begin with '__': ${escaped}`);
    const programError = varExpandProgramError24(escaped);
    if (programError) return failToSet(`${escaped}: ${programError}`);
    // A new passdb or userdb block adds its name to that auth setting, which local/remote refuses.
    const id = `${parent.id}/${key}/${value}`;
    if (isAuthSetting24(def) && inLocalRemote(parent) && !this.listFilters.has(id))
      return failToSet(`Auth settings not supported inside local/remote blocks: ${key}`, 'auth-setting-in-filter');
    this.listFilters.add(id);
    if (isAuthSetting24(def))
      this.authBlocks.push({ key, name: escaped, parent, file: this.file, range: this.currentHeader });
    return { filter: child({ name: `${key}/${value}`, isArray: true }, `${key}/${value}`), def };
  }

  private networkFilter(
    kind: 'local' | 'remote',
    value: string,
    parent: Filter,
    parentName: string | undefined,
    fail: (message: string, code?: RuleId) => 'error',
    child: (fields: Partial<Filter>, id: string) => Filter,
  ): { filter: Filter } | 'error' {
    if (kind === 'local') {
      if (parent.remote !== undefined && parent.remote.bits > 0)
        return fail('remote { local { .. } } not allowed (use local { remote { .. } } instead)');
      if (parent.protocol !== undefined)
        return fail('protocol { local { .. } } not allowed (use local { protocol { .. } } instead)');
      if (parent.localName !== undefined)
        return fail('local_name { local { .. } } not allowed (use local { local_name { .. } } instead)');
    } else if (parent.protocol !== undefined) {
      return fail('protocol { remote { .. } } not allowed (use remote { protocol { .. } } instead)');
    }
    if (parentName !== undefined)
      return fail(`${parentName} { ${kind} { .. } } not allowed (use ${kind} { ${parentName} { .. } } instead)`);
    const parsed = parseNetwork(value);
    if (parsed.problem) return fail(parsed.problem.message, parsed.problem.code);
    // A host name is resolved by doveconf; we cannot, so its network is unknown and never compared. Its
    // mask is the one written, or the whole address (config_parse_net@2.4.4): a block on it is local/remote.
    const bits = parsed.network?.bits ?? hostMask(value);
    const outer = parent[kind];
    const outerNet = outer ? parseNetwork(outer.text).network : undefined;
    if (outer && parsed.network && outerNet) {
      const inside =
        outerNet.family === parsed.network.family &&
        outer.bits <= bits &&
        (outer.bits === 0 ||
          outerNet.address >> BigInt((outerNet.family === 4 ? 32 : 128) - outer.bits) ===
            parsed.network.address >> BigInt((outerNet.family === 4 ? 32 : 128) - outer.bits));
      if (!inside) return fail(`${kind} net1 { ${kind} net2 { .. } } requires net2 to be inside net1`);
    }
    return { filter: child({ [kind]: { bits, text: value } }, `${kind}=${value}`) };
  }

  private sectionEnd(range: Range): void {
    const closing = this.section;
    if (!closing.prev) return; // the model reports `Unexpected '}'`
    const required = closing.def?.requiredSetting;
    if (!closing.rejected && required !== undefined && !this.requiredSeen.has(closing.filter.id)) {
      this.report(
        'filter-required-setting',
        range,
        `Named filter ${closing.def!.name} is required to have ${required} setting, but it is missing`,
        { filter: closing.def!.name, required },
      );
    }
    this.section = closing.prev;
  }

  /**
   * config_apply_boollist(): `listen = a b` replaces the filter's list, `listen { a = no }` changes one address
   * of it, starting from Dovecot's own `* ::` at top level (config_list_add_defaults) and from nothing in a
   * protocol/local/remote filter, which has no defaults of its own.
   */
  private recordListen(filter: Filter, fullKey: string, value: string | undefined, node: SettingNode): void {
    const previous = this.listenLists.get(filter.id);
    const address = fullKey.slice('listen/'.length);
    let list: Map<string, boolean> | undefined;
    if (fullKey === 'listen') {
      const words = listWords24('listen', value);
      list = words && new Map(words.map((word) => [word, true]));
    } else if (value === 'yes' || value === 'no') {
      list = previous
        ? previous.list && new Map(previous.list)
        : new Map(filter.parent ? [] : DEFAULT_LISTEN_24.map((word) => [word, true]));
      list?.set(address, value === 'yes');
    }
    this.listenLists.set(filter.id, { list, file: this.file, range: node.range });
  }

  /**
   * doveconf checks each filter's master settings on their own once the configuration is read
   * (config_all_parsers_check@2.4.4): its own `listen` list applied over Dovecot's `* ::` at top level, over
   * nothing in a filter that opens a service block. An empty result fails with `listen can't be set empty`,
   * whatever the filters around it set.
   */
  private serviceListenCheck(): void {
    const emptied = (list: Map<string, boolean>, start: readonly string[]): boolean => {
      const addresses = new Set(start);
      for (const [address, listened] of list) {
        if (listened) addresses.add(address);
        else addresses.delete(address);
      }
      return addresses.size === 0;
    };
    const global = this.listenLists.get(ROOT_FILTER.id);
    if (global?.list && emptied(global.list, DEFAULT_LISTEN_24)) {
      this.file = global.file;
      this.report('settings-check', global.range, "listen can't be set empty");
      return;
    }
    const first = this.servicesInFilters.find(({ filter }) => {
      const own = this.listenLists.get(filter.id);
      return !own || (own.list !== undefined && emptied(own.list, []));
    });
    if (!first) return;
    this.file = first.file;
    this.report('settings-check', first.range, "listen can't be set empty");
  }

  // ------------------------------------------------------------ struct checks after parsing

  private recordValue(
    filter: Filter,
    key: string,
    value: string | undefined,
    stored: string | undefined,
    delayed: boolean,
    node: SettingNode,
  ): void {
    const slash = key.indexOf('/');
    const listKey = slash > 0 ? key.slice(0, slash) : undefined;
    if (listKey !== undefined && findSetting24(listKey)?.type !== 'boollist') return;
    let entry = this.filterValues.get(filter.id);
    if (!entry) this.filterValues.set(filter.id, (entry = { filter, values: new Map() }));
    if (listKey !== undefined) {
      const previous = entry.values.get(listKey);
      const merged = listWithBlockWord24(previous ? previous.value : null, key.slice(slash + 1), value);
      entry.values.set(listKey, { value: merged, stored: undefined, delayed: false, node, file: this.file });
      return;
    }
    entry.values.set(key, { value, stored, delayed, node, file: this.file });
  }

  /** config_filter_parser_check(): each filter's struct checks over its own values and the defaults. */
  private filterChecks(): void {
    for (const { filter, values } of this.filterValues.values()) {
      if (inGroup(filter)) continue;
      const name = filter.name !== undefined ? filter.name.slice(filter.name.indexOf('/') + 1) : '';
      for (const check of filterChecks24()) {
        const ownName = check.filterKind === undefined || filter.name?.startsWith(`${check.filterKind}/`) ? name : '';
        const setHere = [...values.entries()].filter(([key]) => structsOf24(key).includes(check.struct));
        if (setHere.length === 0) continue;
        const valueOf = checkedValues(check, values);
        if (valueOf === undefined) continue;
        const message = check.fails(valueOf, ownName);
        if (message === undefined) continue;
        const setValues = check.keys.map((key) => values.get(key));
        const fromFile = setValues.find((set) => set?.node.valueKind === 'file');
        if (fromFile) {
          // doveconf -n checked the `<path` text; what Dovecot reads from the file is not known.
          const sieve = this.sieveInitStruct([check.struct], filter.id === '');
          this.findings.push(
            sieve === undefined
              ? fileValueFailsDoveconf(fromFile.node, fromFile.file, message)
              : fileValueFailsDoveconf(
                  fromFile.node,
                  fromFile.file,
                  SIEVE_INIT_FAILED_24,
                  `${sieve} settings: ${message}`,
                ),
          );
          continue;
        }
        const at = setValues.find((found) => found !== undefined) ?? setHere[0][1];
        this.file = at.file;
        this.report('settings-check', at.node.range, this.sieveInitMessage([check.struct], filter.id === '', message));
      }
    }
  }

  /**
   * A `passdb NAME { }` or `userdb NAME { }` block adds NAME to the auth struct's list in the filter it is
   * written in; the struct's check then looks the block up by name (auth_settings_get_passdbs@2.4.4) without
   * the filters around it other than a protocol one, so it finds a block written inside any other block only
   * when one of that name is at top level. A protocol block around it, with a block of that name in a protocol
   * block, is not judged; local/remote already refuse the line itself. Doveconf stops at the first check
   * that fails, in an order of filters we do not keep: with another failed check we say nothing.
   */
  private nestedAuthBlockCheck(): void {
    if (this.findings.some((finding) => finding.code === 'settings-check')) return;
    const topLevel = new Set<string>();
    const inProtocol = new Set<string>();
    for (const { key, name, parent } of this.authBlocks) {
      if (parent.parent === undefined) topLevel.add(`${key}/${name}`);
      else if (onlyProtocols(parent)) inProtocol.add(`${key}/${name}`);
    }
    for (const { key, name, parent, file, range } of this.authBlocks) {
      const id = `${key}/${name}`;
      if (parent.parent === undefined || onlyProtocols(parent) || topLevel.has(id)) continue;
      if (inLocalRemote(parent) || inGroup(parent) || (inProtocol.has(id) && hasProtocol(parent))) continue;
      this.file = file;
      this.report(
        'settings-check',
        range,
        `Failed to get ${key} ${name}: Filter ${key}=${name} unexpectedly not found (invalid userdb or -o override settings?)`,
      );
      return;
    }
  }

  /**
   * Two warnings doveconf prints without a file or line while it runs the filters' checks: the `ssl`
   * value of a filter that a global `ssl = no` overrides (config_parse_file), and `ssl_min_protocol`
   * naming ANY (ssl_settings_check). Doveconf stops at the first failing check, so with any such error
   * of ours we say nothing rather than guess which warnings it printed first.
   */
  private sslWarnings(): void {
    if (this.findings.some((finding) => finding.code === 'settings-check')) return;
    const entries = [...this.filterValues.values()].filter(({ filter }) => !inGroup(filter));
    const globalSsl = this.filterValues.get(ROOT_FILTER.id)?.values.get('ssl');
    if (globalSsl?.value === 'no') {
      const overridden = entries
        .filter(({ filter }) => filter.id !== ROOT_FILTER.id)
        .map(({ values }) => values.get('ssl'))
        .filter((ssl) => ssl !== undefined && ssl.value !== 'no');
      const shown = new Set(overridden.map((ssl) => ssl!.value));
      const first = overridden[0];
      if (first && shown.size === 1 && first.value !== undefined) {
        this.file = first.file;
        this.report(
          'ssl-ignored-in-filter',
          first.node.range,
          `SSL is disabled because global ssl=no, ignoring ssl=${first.value} for subsection`,
        );
      }
    }
    for (const { values } of entries) {
      const protocol = values.get('ssl_min_protocol');
      if (protocol?.value === undefined || !protocol.value.toUpperCase().includes('ANY')) continue;
      this.file = protocol.file;
      this.report(
        'ssl-min-protocol-any',
        protocol.node.range,
        'ssl_min_protocol=ANY is used - This is insecure and intended only for testing',
      );
    }
  }

  /**
   * mailbox_special_use_check(): a label other than RFC 6154's is allowed with a warning naming the mailbox
   * (mailbox_name, the block's name, or empty). As for the SSL warnings, after a failed check we say nothing.
   */
  private specialUseWarnings(): void {
    if (this.findings.some((finding) => finding.code === 'settings-check')) return;
    for (const { filter, values } of this.filterValues.values()) {
      const set = values.get('mailbox_special_use');
      const labels = set && !inGroup(filter) ? listWords24('mailbox_special_use', set.value) : undefined;
      if (!set || !labels) continue;
      const blockName = filter.name?.startsWith('mailbox/') ? filter.name.slice('mailbox/'.length) : '';
      const name = values.get('mailbox_name')?.value ?? blockName;
      for (const label of labels) {
        if (RFC_SPECIAL_USE.has(label.toLowerCase())) continue;
        this.file = set.file;
        this.report(
          'special-use-unknown',
          set.node.range,
          `mailbox ${name}: special_use label ${label} is not an RFC-defined label - allowing anyway`,
        );
      }
    }
  }

  /** lang_settings_check() on the global filter; languages in other filters or a global default are not judged. */
  private languageCheck(): void {
    if (this.languages.some((language) => !language.topLevel)) return;
    for (const { filter, values } of this.filterValues.values()) {
      if (values.has('language_default') && !filter.name?.startsWith('language/')) return;
    }
    const seen = new Map<string, (typeof this.languages)[number]>();
    for (const language of this.languages) if (!seen.has(language.filter.id)) seen.set(language.filter.id, language);
    const blocks = [...seen.values()];
    const error = languagesError24(
      blocks.map(({ filter }) => {
        const own = this.filterValues.get(filter.id)?.values.get('language_default');
        const isDefault =
          own === undefined ? false : own.value === 'yes' ? true : own.value === 'no' ? false : undefined;
        return { name: filter.name!.slice('language/'.length), isDefault };
      }),
    );
    if (!error) return;
    this.file = blocks[error.index].file;
    this.report('settings-check', blocks[error.index].range, error.message);
  }

  /**
   * stats_metric_settings_check() (a `filter` written empty) and stats_settings_ext_check() (a metric's
   * exporter must be an `event_exporter` block); blocks inside other filters or global metric values are not judged.
   */
  private metricChecks(): void {
    if (this.statsBlocks.some((block) => !block.topLevel)) return;
    for (const { filter, values } of this.filterValues.values()) {
      if (values.has('metric_exporter') && !filter.name?.startsWith('metric/')) return;
    }
    const metrics = this.statsBlocks.filter((block) => block.filter.name?.startsWith('metric/'));
    const exporters = new Map(
      this.statsBlocks
        .filter((block) => block.filter.name?.startsWith('event_exporter/'))
        .map((block) => [block.filter.name!.slice('event_exporter/'.length), block.filter.id]),
    );
    for (const metric of metrics) {
      const own = this.filterValues.get(metric.filter.id)?.values.get('metric_filter');
      if (own?.value !== '') continue;
      this.file = own.file;
      this.report(
        'settings-check',
        own.node.range,
        `metric ${metric.filter.name!.slice('metric/'.length)} { filter } is empty - will not match anything`,
      );
    }
    const seen = new Set<string>();
    for (const metric of metrics) {
      if (seen.has(metric.filter.id)) continue;
      seen.add(metric.filter.id);
      const own = this.filterValues.get(metric.filter.id)?.values.get('metric_exporter');
      if (own === undefined || own.value === '') continue;
      if (own.value === undefined) return;
      // The metric's own settings are read unexpanded: a `%{…}` program is the exporter's name as written.
      const exporter = own.value === UNKNOWN_VALUE_24 ? lineValue(own.node, 'value').value : own.value;
      const exporterId = exporters.get(exporter);
      if (exporterId !== undefined) {
        if (this.exporterLookup(exporter, exporterId)) return;
        continue;
      }
      this.file = own.file;
      this.report(
        'settings-check',
        own.node.range,
        `metric ${metric.filter.name!.slice('metric/'.length)} refers to non-existent exporter '${exporter}'`,
      );
      return;
    }
  }

  /**
   * groupByError24() for each `group_by` of a top-level metric block, on its method block (the second one when
   * there are two). Not judged when a stats block sits inside another filter, as in metricChecks().
   */
  private groupByChecks(): void {
    if (this.statsBlocks.some((block) => !block.topLevel)) return;
    const byGroup = new Map<string, { groupBy: Filter; methods: Map<string, GroupByMethod> }>();
    for (const method of this.groupByMethods) {
      const groupBy = method.filter.parent;
      if (!groupBy?.name?.startsWith('metric_group_by/') || !isTopLevelMetric(groupBy.parent)) continue;
      let group = byGroup.get(groupBy.id);
      if (!group) byGroup.set(groupBy.id, (group = { groupBy, methods: new Map() }));
      if (!group.methods.has(method.filter.id)) group.methods.set(method.filter.id, method);
    }
    for (const { groupBy, methods } of byGroup.values()) {
      const listed = [...methods.values()];
      const names = listed.map(({ filter }) => filter.name!.slice(filter.name!.indexOf('/') + 1));
      const field = groupBy.name!.slice('metric_group_by/'.length);
      const error = groupByError24(field, names, (key) => this.inheritedValue(listed[0].filter, key));
      if (error === undefined) continue;
      const at = listed[Math.min(1, listed.length - 1)];
      this.file = at.file;
      this.report(
        'stats-group-by-invalid',
        at.range,
        `Dovecot's stats process stops when it starts: ${error}. doveconf accepts this, so Dovecot runs without statistics (no metric is collected and doveadm stats fails).`,
      );
    }
  }

  /** A setting's value as a filter's settings lookup reads it: its own, else its parents', else the default. */
  private inheritedValue(filter: Filter, key: string): string | undefined {
    for (let at: Filter | undefined = filter; at; at = at.parent) {
      const set = this.filterValues.get(at.id)?.values.get(key);
      if (set) return set.value === UNKNOWN_VALUE_24 ? undefined : set.value;
    }
    return default24(key);
  }

  /** Reports exporterLookupError24 for the exporter block `id` named `name`; true when it did. */
  private exporterLookup(name: string, id: string): boolean {
    const values = this.filterValues.get(id)?.values;
    for (const key of EXPORTER_ENUM_KEYS_24) {
      const set = values?.get(key);
      if (!set || (set.value !== undefined && set.value !== UNKNOWN_VALUE_24)) continue;
      const type = lineType24(set.node);
      if (type !== 'value') continue;
      const error = exporterLookupError24(name, key, lineValue(set.node, type).value);
      if (!error) continue;
      this.file = set.file;
      this.report('settings-check', set.node.range, error);
      return true;
    }
    return false;
  }

  // ------------------------------------------------------------ include groups

  private groupInclude(node: SettingNode, label: string, name: string, hasVariables: boolean): void {
    if (inGroup(this.section.filter))
      return this.report('unknown-group', node.range, 'Recursive include groups not allowed');
    if (hasVariables) return this.report('unknown-group', node.range, 'Include groups cannot contain $variables');
    const names = this.groups.get(label);
    if (!names) return this.report('unknown-group', node.keyRange, `Unknown group label @${label}`);
    if (!names.has(name)) this.report('unknown-group', node.valueRange, `Unknown group @${label}=${name}`);
  }

  // ------------------------------------------------------------ warnings

  /** config_parser_check_warnings(): a global value after a filter already set the same key. */
  private checkWarnings(fullKey: string, root: boolean, node: SettingNode): void {
    // doveconf names the last line of a statement continued with `\\`: it has read them all when it files it.
    const here = `${displayPath(this.model.root, this.file)} line ${node.range.end.line + 1}`;
    const first = this.seenFiltered.get(fullKey);
    if (root) {
      // doveconf -n reads a global setting named after a named filter inside that filter: not global.
      if (first === undefined || namedFilterOfKey24(fullKey) !== undefined) return;
      const { where, file, range } = first;
      this.findings.push({
        code: 'global-after-filter',
        file: this.file,
        range: node.keyRange,
        message: `Global setting ${fullKey} won't change the setting inside an earlier filter at ${where} (if this is intentional, avoid this warning by moving the global setting before ${where})`,
        related: [{ file, range, message: 'the earlier filter value' }],
      });
      return;
    }
    if (first !== undefined || !hasNonListFilters(this.section.filter)) return;
    this.seenFiltered.set(fullKey, { where: here, file: this.file, range: node.range });
  }
}

interface ApplyResult {
  applied: boolean;
  error?: string;
  code?: RuleId;
  onValue?: boolean;
  fullKey?: string;
  root?: boolean;
  /** The filter the value is stored in (a named filter's settings go to its parent). */
  target?: Filter;
  data?: Record<string, unknown>;
}

/** Keys `filterKey_<one element>_key`: what `passdb static2 { password }` may have meant. */
function alternativeKeys(filterKey: string, key: string): string[] {
  const prefix = `${filterKey}_`;
  return allSettings24()
    .map((info) => info.name)
    .filter((name) => {
      if (!name.startsWith(prefix)) return false;
      const suffix = name.slice(prefix.length);
      const underscore = suffix.indexOf('_');
      return underscore >= 0 && suffix.slice(underscore + 1) === key;
    });
}

/** doveconf 2.4's parser verdicts for a tree read as Dovecot 2.4 (a fragment's without the version settings). */
export function parser24Checks(context: AnalysisContext): Finding[] {
  return new Parser24(context.model, context.fragment).run();
}
