import { isNetFilter23 } from '../model/filters';
import { sectionEscape } from '../schema/sectionEscape';
import { contextOf, displayPath, type Frame, type Placed } from '../model/model';
import {
  checkValue,
  closestSettingNames,
  findPluginKey,
  findSetting,
  isAuthSetting,
  isReadFromPluginSettings,
  isStrlistContext,
  isSectionTypeIn,
  unknownSectionMessage,
  unknownSettingMessage,
} from '../schema/schema';
import type { InvalidNode, SectionNode, SettingNode } from '../syntax/nodes';
import type { AnalysisContext } from './analyzer';
import type { Finding } from './finding';
import { unexpandedVariableFinding } from './unexpandedVariableChecks';
import { FilterParsers23, filterOutsideHint } from './filterParsers23';
import { includeJoins, joinedLineFinding, joinedSetting } from './joinedIncludeLines';
import { mayBeObsolete23 } from '../model/obsolete';

/** Top-level keys that replication needs and that users often misplace inside `plugin {}` (FACTS §0.6). */
export const REPLICATION_TOP_LEVEL_KEYS: ReadonlySet<string> = new Set([
  'replication_max_conns',
  'replication_full_sync_interval',
  'replication_dsync_parameters',
  'replicator_host',
  'replicator_port',
  'doveadm_port',
  'doveadm_password',
  'doveadm_ssl',
  'doveadm_username',
  'dsync_remote_cmd',
]);

/** A passdb/userdb block (auth settings) inside a local/remote filter: doveconf rejects its header line (E). */
function isAuthSectionInNetFilter(placed: Placed<SectionNode>): boolean {
  if (placed.node.filter || !placed.frames.some(({ section }) => isNetFilter23(section))) return false;
  const info = findSetting(contextOf(placed.frames), placed.node.type);
  return info !== undefined && isAuthSetting(info);
}

/**
 * A header 2.3 rejects as a line, which the parser reported: 2.4's `group @label name {`, and a type in
 * double quotes that 2.3 does not read as a section header.
 */
function isHeaderError23(node: SectionNode): boolean {
  return node.groupLabel !== undefined || (node.typeQuoted === true && node.type23 === undefined);
}

/** Sections whose contents doveconf never reaches because the section itself is rejected. */
function rejectedSections(context: AnalysisContext, filterParsers: FilterParsers23): Set<SectionNode> {
  const rejected = new Set<SectionNode>();
  for (const placed of context.model.sections) {
    const parentContext = contextOf(placed.frames);
    const parentRejected = isInsideRejected(placed.frames, rejected);
    // 2.3 keeps the quotes of a quoted type: no section type has them. A block on a setting that is no
    // section is read (section-on-scalar), and what it holds is judged: doveconf knows no setting in it.
    const unknown =
      placed.node.typeQuoted === true ||
      (!placed.node.filter &&
        !isSectionTypeIn(parentContext, placed.node.type) &&
        !findSetting(parentContext, placed.node.type));
    if (
      parentRejected ||
      unknown ||
      isHeaderError23(placed.node) ||
      isAuthSectionInNetFilter(placed) ||
      unknownInFilterParser(placed, filterParsers)
    )
      rejected.add(placed.node);
  }
  return rejected;
}

/**
 * A block header or setting (not a filter, not in a free-form block) in a filter inside a block that
 * doveconf 2.3's parser of that filter does not know (analysis/filterParsers23.ts).
 */
function unknownInFilterParser(placed: Placed<SettingNode | SectionNode>, filterParsers: FilterParsers23): boolean {
  if (placed.node.kind === 'section' && placed.node.filter) return false;
  return !isStrlistContext(contextOf(placed.frames)) && filterParsers.misses(placed);
}

function isInsideRejected(frames: readonly Frame[], rejected: Set<SectionNode>): boolean {
  if (rejected.size === 0) return false;
  for (const frame of frames) if (rejected.has(frame.section)) return true;
  return false;
}

function strlistMisplacement(entry: Placed<SettingNode>): Finding | undefined {
  const { node, file } = entry;
  if (findPluginKey(node.key) || !findSetting('', node.key)) return undefined;
  if (contextOf(entry.frames).endsWith('plugin') && isReadFromPluginSettings(node.key)) return undefined;
  if (REPLICATION_TOP_LEVEL_KEYS.has(node.key)) {
    return {
      code: 'replication-setting-in-plugin',
      file,
      range: node.keyRange,
      message: `${node.key} is a top-level setting: inside plugin {} Dovecot accepts and ignores it, so replication runs with the default. Move it out of plugin {}.`,
      data: { key: node.key },
    };
  }
  return {
    code: 'setting-ignored-in-plugin',
    file,
    range: node.keyRange,
    message: `${node.key} is a top-level setting: inside plugin {} doveconf accepts it and Dovecot ignores it. Move it out of plugin {}.`,
    data: { key: node.key },
  };
}

function unknownSetting(
  entry: Placed<SettingNode | InvalidNode>,
  settingContext: string,
  key = entry.node.key,
): Finding {
  const { node, file } = entry;
  if (key === 'mail_replica' && settingContext === '') {
    return {
      code: 'mail-replica-outside-plugin',
      file,
      range: node.keyRange,
      message: 'Unknown setting: mail_replica. It is a plugin setting: write it inside plugin { }.',
    };
  }
  const suggestions = closestSettingNames(settingContext, key);
  return {
    code: 'unknown-setting',
    file,
    range: node.keyRange,
    message:
      unknownSettingMessage(settingContext, key) +
      (suggestions.length > 0 ? ` (did you mean ${suggestions.join(', ')}?)` : ''),
    data: { suggestions, context: settingContext },
  };
}

/**
 * A line starting with `=`: free-form blocks (plugin {}, dict {}) take the empty key, other sections reject
 * it as an unknown setting, and at top level (or in a filter) doveconf says `Missing key name` (E).
 */
function emptyKeyFinding(entry: Placed<SettingNode>, settingContext: string): Finding | undefined {
  if (takesAnyKey(entry.frames, settingContext)) return undefined;
  const message =
    settingContext === ''
      ? "Missing key name ('=' at the beginning of line)"
      : unknownSettingMessage(settingContext, '');
  return {
    code: settingContext === '' ? 'missing-key' : 'unknown-setting',
    file: entry.file,
    range: entry.node.range,
    message,
  };
}

function addFinding(findings: Finding[], finding: Finding | undefined): void {
  if (finding) findings.push(finding);
}

/**
 * A key written in double quotes: 2.3 keeps the quotes in the key (`"mail_debug"`), which only free-form
 * blocks (plugin {}) take. A line 2.3 reads otherwise was reported by the parser.
 */
function quotedKeyFinding(entry: Placed<SettingNode>, settingContext: string): Finding | undefined {
  const key23 = entry.node.key23;
  if (key23 === undefined || takesAnyKey(entry.frames, settingContext)) return undefined;
  return unknownSetting(entry, settingContext, key23);
}

/**
 * A line with a key in double quotes that only 2.4 rejects (`"mail_debug = yes`): 2.3 reads a setting or
 * a section header whose key keeps the quote, a key no section knows.
 */
function quotedLineFinding23(entry: Placed<InvalidNode>): Finding | undefined {
  const { node, file } = entry;
  const settingContext = contextOf(entry.frames);
  if (!node.read23) return undefined;
  const { kind, key } = node.read23;
  if (kind === 'setting')
    return takesAnyKey(entry.frames, settingContext) ? undefined : unknownSetting(entry, settingContext, key);
  if (takesAnyKey(entry.frames, settingContext))
    return { code: 'section-not-allowed', file, range: node.range, message: 'Section not allowed here' };
  return { code: 'unknown-setting', file, range: node.keyRange, message: unknownSectionMessage(settingContext, key) };
}

/** What is wrong with one setting, added to `findings` (most settings add nothing: no list is made for them). */
function addSettingFindings(
  context: AnalysisContext,
  entry: Placed<SettingNode>,
  findings: Finding[],
  filterParsers: FilterParsers23,
): void {
  const { node, file, frames } = entry;
  const settingContext = contextOf(frames);
  if (node.keyQuoted) return addFinding(findings, quotedKeyFinding(entry, settingContext));
  if (node.key === '') return addFinding(findings, emptyKeyFinding(entry, settingContext));
  if (isStrlistContext(settingContext))
    return addFinding(
      findings,
      filterInFreeForm(frames) ? unknownSetting(entry, settingContext) : strlistMisplacement(entry),
    );
  // doveconf does not find the key, so it checks nothing else about the line (config_apply_line@2.3.19).
  if (unknownInFilterParser(entry, filterParsers)) {
    const message = unknownSettingMessage(settingContext, node.key) + filterOutsideHint(frames);
    return addFinding(findings, { code: 'unknown-setting', file, range: node.keyRange, message });
  }
  const info = findSetting(settingContext, node.key);
  if (!info) return addFinding(findings, unknownSetting(entry, settingContext));
  const before = findings.length;
  // `$var` values are expanded by Dovecot when it starts (doveconf -n refuses them as written in a typed
  // setting: variable-fails-doveconf); `<file` values are read from the file.
  if (node.valueKind === 'plain' || node.valueKind === 'quoted') {
    const problem = checkValue(info, node.value);
    if (problem)
      findings.push({ code: 'invalid-value', file, range: node.valueRange, message: problem, data: { key: node.key } });
  }
  // doveconf -n does not read a `<file` value: it checks `<name` itself as the setting's type, and stops there.
  if (node.valueKind === 'file') {
    const problem = checkValue(info, `<${node.value}`);
    if (problem)
      findings.push({
        code: 'invalid-value',
        file,
        range: node.valueRange,
        message: `${problem}. doveconf -n checks a <file value of this setting as written, not the file's content: write the value itself`,
        data: { key: node.key },
      });
  }
  // doveconf parses the value first: a value it refuses is the line's error (config_apply_line@2.3.19), a
  // `$name` value too when Dovecot's reading at start is refused as well.
  if (
    findings.length === before &&
    isAuthSetting(info) &&
    frames.some(({ section }) => isNetFilter23(section)) &&
    unexpandedVariableFinding(context, entry)?.code !== 'invalid-value'
  ) {
    findings.push({
      code: 'auth-setting-in-filter',
      file,
      range: node.keyRange,
      message: `Auth settings not supported inside local/remote blocks: ${node.key}`,
    });
  }
}

/**
 * Whether a filter is open inside the innermost plugin {} or dict {}: doveconf 2.3 takes the filter there,
 * but reads a setting inside it as the setting `plugin/key`, which does not exist.
 */
function filterInFreeForm(frames: readonly Frame[]): boolean {
  let inSection = false;
  let filterInside = false;
  for (const { section } of frames) {
    if (section.filter) filterInside ||= inSection;
    else [inSection, filterInside] = [true, false];
  }
  return filterInside;
}

/**
 * Whether a line in `frames` is a free-form block's entry (plugin {}, dict {}: any key, no section). Inside a
 * filter there, doveconf 2.3 knows no line at all: a setting or a section header is `Unknown setting`.
 */
function takesAnyKey(frames: readonly Frame[], settingContext: string): boolean {
  return isStrlistContext(settingContext) && !filterInFreeForm(frames);
}

/**
 * A filter whose settings only some connections read: a protocol, a local name, a network of more than 0 bits.
 * A `local`/`remote` network of 0 bits matches every connection, the master's settings too (doveconf -a lists
 * a service block inside `remote ::/0` as the service's own).
 */
function narrowsConnections(section: SectionNode): boolean {
  return section.filter === 'protocol' || isNetFilter23(section);
}

/** `counter`: how many blocks without a name doveconf read before this one. */
/** Shared by the sections with nothing to report (nearly all): never changed. */
const NO_FINDINGS: readonly Finding[] = [];

function sectionFindings(
  placed: Placed<SectionNode>,
  counter: number,
  filterParsers: FilterParsers23,
): readonly Finding[] {
  const { node, file, frames } = placed;
  const parentContext = contextOf(frames);
  if (takesAnyKey(frames, parentContext) && !node.filter) {
    return [{ code: 'section-not-allowed', file, range: node.headerRange, message: 'Section not allowed here' }];
  }
  if (node.type23 !== undefined) {
    const message = unknownSectionMessage(parentContext, node.type23);
    return [{ code: 'unknown-setting', file, range: node.typeRange, message }];
  }
  if (node.filter) return NO_FINDINGS;
  if (unknownInFilterParser(placed, filterParsers)) {
    const message = unknownSectionMessage(parentContext, node.type) + filterOutsideHint(frames);
    return [{ code: 'unknown-setting', file, range: node.typeRange, message }];
  }
  if (!isSectionTypeIn(parentContext, node.type)) {
    const scalar = findSetting(parentContext, node.type);
    // doveconf sets the setting to the block's name, or to its counter when it has none, and checks that.
    const written = node.name === '' ? String(counter) : sectionEscape(node.name);
    const problem = scalar && checkValue(scalar, written);
    if (problem) {
      const message = `${problem}. doveconf reads "${node.type} {" as ${node.type} = ${written}: write "${node.type} = value"`;
      return [{ code: 'invalid-value', file, range: node.headerRange, message, data: { key: node.type } }];
    }
    if (scalar) {
      return [
        {
          code: 'section-on-scalar',
          file,
          range: node.headerRange,
          message: `${node.type} is a plain setting, not a section: doveconf accepts "${node.type} {" and sets it to ${written}. Write "${node.type} = value".`,
        },
      ];
    }
    return [
      {
        code: 'unknown-setting',
        file,
        range: node.typeRange,
        message: unknownSectionMessage(parentContext, node.type),
      },
    ];
  }
  if (isAuthSectionInNetFilter(placed)) {
    return [
      {
        code: 'auth-setting-in-filter',
        file,
        range: node.headerRange,
        message: `Auth settings not supported inside local/remote blocks: ${node.type}`,
      },
    ];
  }
  if (node.type === 'service' && frames.some(({ section }) => section.filter && narrowsConnections(section))) {
    return [
      {
        code: 'service-in-filter',
        file,
        range: node.headerRange,
        message: 'A service block inside a filter has no effect on the service; move it to the top level.',
      },
    ];
  }
  return NO_FINDINGS;
}

/**
 * doveconf's warning when a global value comes after a filter that already set the key (FACTS §1.4): each
 * setting is visited in processing order, in the pass over the settings that checks them.
 */
class GlobalAfterFilter {
  readonly findings: Finding[] = [];
  private readonly firstFiltered = new Map<string, Placed<SettingNode>>();

  constructor(private readonly root: string) {}

  visit(entry: Placed<SettingNode>): void {
    if (contextOf(entry.frames) !== '') return;
    const key = entry.node.key;
    if (entry.frames.some((frame) => frame.section.filter)) {
      if (!this.firstFiltered.has(key)) this.firstFiltered.set(key, entry);
      return;
    }
    const earlier = this.firstFiltered.get(key);
    if (!earlier) return;
    // doveconf names the last line of a statement continued with `\\`: it has read them all when it files it.
    const where = `${displayPath(this.root, earlier.file)} line ${earlier.node.range.end.line + 1}`;
    this.findings.push({
      code: 'global-after-filter',
      file: entry.file,
      range: entry.node.keyRange,
      message: `Global setting ${key} won't change the setting inside an earlier filter at ${where} (if this is intentional, avoid this warning by moving the global setting before ${where})`,
      related: [{ file: earlier.file, range: earlier.node.range, message: 'the earlier filter value' }],
    });
  }
}

/**
 * passdb and userdb are lists whose entries doveconf 2.3 keys by their escaped name in the filter that holds
 * them: a second block of the same name in the same filter is `passdb/NAME already exists` at its header.
 * A block without a name takes a counter, which never repeats; a name with a tab makes doveconf abort.
 */
function duplicateAuthBlock(placed: Placed<SectionNode>, seen: Map<string, Placed<SectionNode>>): Finding | undefined {
  const { node, frames } = placed;
  if (node.type !== 'passdb' && node.type !== 'userdb') return undefined;
  if (node.filter || node.name === '' || node.name.includes('\t')) return undefined;
  if (!frames.every(({ section }) => section.filter && !isNetFilter23(section))) return undefined;
  const key = `${node.type}/${sectionEscape(node.name)}`;
  const place = [...frames.map(({ section }) => `${section.type} ${section.name}`), key].join('\n');
  const earlier = seen.get(place);
  if (!earlier) {
    seen.set(place, placed);
    return undefined;
  }
  return {
    code: 'duplicate-auth-block-name',
    file: placed.file,
    range: node.headerRange,
    message: `${key} already exists (an earlier ${node.type} block in the same place has this name: give each its own)`,
    // The same block when its file is included twice: the second reading is the duplicate.
    related: [
      { file: earlier.file, range: earlier.node.headerRange, message: `the earlier ${node.type} block of this name` },
    ],
  };
}

/** What doveconf says of a joined line: its errors about the key and the value (the others have quick fixes). */
const JOINED_LINE_CODES: ReadonlySet<string> = new Set(['unknown-setting', 'invalid-value']);

/**
 * The line Dovecot reads where an included file ends in a `\` continuation, joined to the setting after it
 * (joinedIncludeLines.ts), judged as the setting it is, on that setting's lines, where doveconf names it. Only
 * where both are settings (a section header taken in changes the blocks after it), the setting is read once,
 * neither holds a secret the message could show, and the joined key is no obsolete one Dovecot rewrites.
 */
function joinedLineFindings(
  context: AnalysisContext,
  filterParsers: FilterParsers23,
  rejected: Set<SectionNode>,
): Finding[] {
  const findings: Finding[] = [];
  for (const join of includeJoins(context.model)) {
    if (join.next === 'unknown') continue;
    const next = join.next;
    const entries = context.model.settings.filter(
      (entry) => entry.file === next.file && entry.node.range.start.line === next.first,
    );
    if (entries.length !== 1 || isInsideRejected(entries[0].frames, rejected)) continue;
    const [entry] = entries;
    const node = joinedSetting(context.model, { ...join, next }, entry.node);
    if (!node || mayBeObsolete23(node.key)) continue;
    const found: Finding[] = [];
    addSettingFindings(context, { ...entry, node }, found, filterParsers);
    for (const finding of found.filter((f) => JOINED_LINE_CODES.has(f.code)))
      findings.push(joinedLineFinding(context.model, { ...join, next }, finding, entry.node.range));
  }
  return findings;
}

/** What doveconf checks about keys, sections and values against the settings schema (FACTS §1.3, §1.10-1.14). */
export function schemaChecks(context: AnalysisContext): Finding[] {
  const filterParsers = new FilterParsers23(context.model);
  const rejected = rejectedSections(context, filterParsers);
  const findings: Finding[] = [];
  // doveconf names each block without a name by a counter of them all, in the order it reads them.
  let unnamed = 0;
  const authBlocks = new Map<string, Placed<SectionNode>>();
  for (const placed of context.model.sections) {
    const counter = unnamed;
    if (!placed.node.filter && placed.node.name === '') unnamed++;
    // A 2.4 `group @label name {` header is already `Expecting '{'` for 2.3: nothing more to say about it.
    if (isHeaderError23(placed.node) || isInsideRejected(placed.frames, rejected)) continue;
    const found = sectionFindings(placed, counter, filterParsers);
    findings.push(...found);
    if (found.length === 0) addFinding(findings, duplicateAuthBlock(placed, authBlocks));
  }
  const globalAfterFilter = new GlobalAfterFilter(context.model.root);
  for (const entry of context.model.settings) {
    if (!isInsideRejected(entry.frames, rejected)) addSettingFindings(context, entry, findings, filterParsers);
    globalAfterFilter.visit(entry);
  }
  for (const entry of context.model.rejected24) {
    if (!isInsideRejected(entry.frames, rejected)) addFinding(findings, quotedLineFinding23(entry));
  }
  findings.push(...globalAfterFilter.findings, ...joinedLineFindings(context, filterParsers, rejected));
  return findings;
}
