// doveconf 2.3's settings checks after parsing (schema/structChecks23.ts), run for the global settings and
// for each protocol/local/remote filter: a filter's own values over the global ones (also those written after
// it). The finding goes on the line of the first setting of the failing struct the scope sets, found in the
// filter itself before the globals.
import type { Placed } from '../model/model';
import { contextOf } from '../model/model';
import { findSetting, isValidProtocolsValue } from '../schema/schema';
import {
  default23,
  SECTION_CHECKS_23,
  STRUCT_CHECKS_23,
  structCheckError23,
  type SectionCheck23,
} from '../schema/structChecks23';
import type { SectionNode, SettingNode } from '../syntax/nodes';
import type { MergedSection } from '../model/effectiveTree';
import type { AnalysisContext } from './analyzer';
import type { Finding } from './finding';
import { fileValueFailsDoveconf } from './fileValueFails';
import { checkFailure } from './unexpandedVariableChecks';
import { doveconfText23 } from './variableReading23';

/**
 * A scope's values: key → the line that set it last, with its value as doveconf -n holds it (undefined when
 * not known, also for a `<file` value, whose text doveconf -n holds is `file`).
 */
type Scope = Map<string, { entry: Placed<SettingNode>; value: string | undefined; file?: string }>;

function literalValue(node: SettingNode): string | undefined {
  return node.valueKind === 'plain' || node.valueKind === 'quoted' ? node.value : undefined;
}

/**
 * What doveconf -n holds for a `<file` line: `<path` as written, which its checks read (Dovecot reads the
 * file's content when it starts, config-parser.c@2.3.19 config_write_value).
 */
function fileText(node: SettingNode): string | undefined {
  return node.valueKind === 'file' && !node.template ? `<${node.value}` : undefined;
}

/** The top-level settings the struct checks read (each check reads only its keys), and `protocols`. */
const CHECKED_KEYS: ReadonlySet<string> = new Set([...STRUCT_CHECKS_23.flatMap((check) => check.keys), 'protocols']);

type Scopes = { own: Scope; inherited: Scope }[];

/** The global scope and each filter's own lines over the global ones, in processing order. */
function scopes(context: AnalysisContext): Scopes {
  const settings = context.model.settings;
  // The model's settings nearly always are in processing order: they are sorted only when they are not.
  return (
    scopesOf(context, settings) ??
    scopesOf(
      context,
      [...settings].sort((a, b) => a.order - b.order),
    )!
  );
}

/** The scopes of settings in processing order; undefined when they are not in that order. */
function scopesOf(context: AnalysisContext, settings: readonly Placed<SettingNode>[]): Scopes | undefined {
  const global: Scope = new Map();
  const filters = new Map<SectionNode, { own: Scope; inherited: Scope }>();
  for (let i = 0; i < settings.length; i++) {
    const entry = settings[i];
    if (i > 0 && entry.order < settings[i - 1].order) return undefined;
    // Only the settings the checks read count: a filter that sets none of them reads what the globals read.
    if (!CHECKED_KEYS.has(entry.node.key) || contextOf(entry.frames) !== '') continue;
    const value = literalValue(entry.node) ?? doveconfText23(context.effective, entry);
    const set = { entry, value, file: fileText(entry.node) };
    const filter = entry.frames.length > 0 ? entry.frames[entry.frames.length - 1].section : undefined;
    if (filter === undefined) {
      global.set(entry.node.key, set);
      continue;
    }
    let scope = filters.get(filter);
    if (!scope) filters.set(filter, (scope = { own: new Map(), inherited: global }));
    scope.own.set(entry.node.key, set);
  }
  return [{ own: global, inherited: new Map() }, ...filters.values()];
}

/** master_settings_verify() in a filter: each `protocols` word must be a protocol (the global line is the master's check). */
function protocolsError(value: string | undefined): string | undefined {
  const words = value?.split(' ').filter((word) => word !== '') ?? [];
  if (words.length === 1 && words[0] === 'none') return undefined;
  const unknown = words.find((word) => !isValidProtocolsValue(word));
  return unknown === undefined ? undefined : `protocols: Unknown protocol: ${unknown}`;
}

/** The contexts of the blocks checked, and of the blocks they lie in (`namespace` for `namespace/mailbox`). */
const CHECKED_CONTEXTS: ReadonlySet<string> = new Set(
  Object.values(SECTION_CHECKS_23).flatMap((check) =>
    check.context.split('/').map((_, depth, parts) => parts.slice(0, depth + 1).join('/')),
  ),
);

/**
 * The checked contexts of blocks by the context around them and their type (null: not checked), worked out
 * once per pair in an analysis instead of a string joined and hashed per block.
 */
class CheckedContexts {
  private readonly inside = new Map<string, Map<string, string | null>>();

  of(around: string, type: string): string | null {
    let byType = this.inside.get(around);
    if (!byType) this.inside.set(around, (byType = new Map()));
    let context = byType.get(type);
    if (context === undefined) {
      const joined = around === '' ? type : `${around}/${type}`;
      byType.set(type, (context = CHECKED_CONTEXTS.has(joined) ? joined : null));
    }
    return context;
  }
}

/** Visits the merged blocks under a block that are checked or hold checked ones, with their settings-type context. */
function forEachBlockUnder(
  root: MergedSection,
  contexts: CheckedContexts,
  visit: (block: MergedSection, context: string) => void,
): void {
  const pendingBlocks: MergedSection[] = [root];
  const pendingContexts: string[] = [''];
  for (let block = pendingBlocks.pop(); block; block = pendingBlocks.pop()) {
    const around = pendingContexts.pop()!;
    for (const child of block.children) {
      const context = contexts.of(around, child.type);
      if (context === null) continue;
      visit(child, context);
      pendingBlocks.push(child);
      pendingContexts.push(context);
    }
  }
}

/** The line that set a key in a block last, when it is a setting line. */
function settingLine(block: MergedSection, key: string): Placed<SettingNode> | undefined {
  return block.settings.get(key);
}

/** What a check reads instead of the values doveconf -n holds: Dovecot's for some `$` lines, or `<file` text. */
interface Reading {
  expanded?: Map<Placed<SettingNode>, string>;
  /** `<file` lines read as the `<path` doveconf -n holds (otherwise they are unknown). */
  files?: boolean;
}

/**
 * The value a block check reads: the block's last assignment as doveconf -n holds it (`$name` as written),
 * else the block's default.
 */
function blockValue(
  context: AnalysisContext,
  block: MergedSection,
  blockContext: string,
  key: string,
  reading?: Reading,
): string | undefined {
  if (!block.values.has(key)) return findSetting(blockContext, key)?.default;
  const line = settingLine(block, key);
  if (!line) return undefined;
  return (
    reading?.expanded?.get(line) ??
    literalValue(line.node) ??
    doveconfText23(context.effective, line) ??
    (reading?.files ? fileText(line.node) : undefined)
  );
}

const defaultVerdicts = new Map<SectionCheck23, boolean>();

/** A block's check on its values, named by its name or by the line in it that sets the name. */
function blockVerdict(
  context: AnalysisContext,
  check: SectionCheck23,
  block: MergedSection,
  blockContext: string,
  reading?: Reading,
): ReturnType<SectionCheck23['fails']> {
  const value = (key: string) => blockValue(context, block, blockContext, key, reading);
  const name = check.nameKey !== undefined && block.values.has(check.nameKey) ? value(check.nameKey) : block.name;
  return name === undefined ? undefined : check.fails(value, name);
}

function failsOnDefaults(check: SectionCheck23): boolean {
  let fails = defaultVerdicts.get(check);
  if (fails === undefined)
    defaultVerdicts.set(
      check,
      (fails = check.fails((key) => findSetting(check.context, key)?.default, '') !== undefined),
    );
  return fails;
}

/** A block's check that fails only on the `<path` text doveconf -n holds for a `<file` line of the block. */
function blockFileFindings(
  context: AnalysisContext,
  check: SectionCheck23,
  block: MergedSection,
  blockContext: string,
): Finding[] {
  const files = check.reads.map((key) => settingLine(block, key)).filter((line) => line && fileText(line.node));
  if (files.length === 0) return [];
  const verdict = blockVerdict(context, check, block, blockContext, { files: true });
  if (verdict === undefined) return [];
  const message = typeof verdict === 'string' ? verdict : verdict.message;
  const at = files.find((line) => namesKey(message, line!.node.key)) ?? files[0]!;
  return [fileValueFailsDoveconf(at.node, at.file, message)];
}

/**
 * The checks of passdb, userdb, namespace, mailbox and service blocks, on each block as Dovecot merges them
 * (same-named blocks are one), in the global settings and in each filter.
 */
function sectionFindings(context: AnalysisContext): Finding[] {
  const tree = context.effective.tree();
  const roots = [tree.global, ...[...tree.filters.values()].map((filter) => filter.root)];
  const findings: Finding[] = [];
  const contexts = new CheckedContexts();
  for (const root of roots)
    forEachBlockUnder(root, contexts, (block, blockContext) => blockFindings(context, block, blockContext, findings));
  return findings;
}

function setsAnyOf(block: MergedSection, keys: readonly string[]): boolean {
  for (const key of keys) if (block.values.has(key)) return true;
  return false;
}

/** The findings of the check of one merged block, if it has one. */
function blockFindings(
  context: AnalysisContext,
  block: MergedSection,
  blockContext: string,
  findings: Finding[],
): void {
  if (!Object.hasOwn(SECTION_CHECKS_23, block.type)) return;
  const check = SECTION_CHECKS_23[block.type];
  if (check.context !== blockContext) return;
  // A block that sets nothing the check reads fails only if the defaults do (a passdb without driver).
  if (!setsAnyOf(block, check.reads) && !failsOnDefaults(check)) return;
  const verdict = blockVerdict(context, check, block, blockContext);
  if (verdict === undefined) {
    findings.push(...blockFileFindings(context, check, block, blockContext));
    return;
  }
  const { message, keys, crash } =
    typeof verdict === 'string' ? { message: verdict, keys: check.keys, crash: undefined } : verdict;
  const at = keys.map((key) => block.values.get(key)?.origin).find((origin) => origin !== undefined);
  const opening = block.opening;
  const place = at ?? opening;
  const range = at ? at.node.range : opening?.node.headerRange;
  if (!place || !range) return;
  if (crash) {
    findings.push({ code: 'value-crashes-dovecot', file: place.file, range, message });
    return;
  }
  // doveconf -n read a `$name` as written (`type = $protocols`): Dovecot may read a value that passes.
  const lines = check.reads.map((key) => settingLine(block, key)).filter((line) => line !== undefined);
  const passes = (expanded: Map<Placed<SettingNode>, string>) =>
    blockVerdict(context, check, block, blockContext, { expanded }) === undefined;
  findings.push(checkFailure(context, lines, passes, { code: 'settings-check', file: place.file, range, message }));
}

/** A block's name as doveconf reads it: its `key` line when it has one (undefined when not literal), else its header's. */
function ownName(block: MergedSection, key: string): string | undefined {
  if (!block.values.has(key)) return block.name;
  const line = settingLine(block, key);
  return line ? literalValue(line.node) : undefined;
}

/**
 * stats_settings_check(): once there are metrics and event exporters, each exported metric names an exporter
 * that exists; the first that does not stops doveconf. Only global blocks, and nothing where a value is unknown.
 */
function exporterReferences(context: AnalysisContext): Finding[] {
  const tree = context.effective.tree();
  const isStatsBlock = (block: MergedSection) => block.type === 'metric' || block.type === 'event_exporter';
  if ([...tree.filters.values()].some((filter) => filter.root.children.some(isStatsBlock))) return [];
  const metrics = tree.global.children.filter((block) => block.type === 'metric');
  const exporters = tree.global.children.filter((block) => block.type === 'event_exporter');
  if (metrics.length === 0 || exporters.length === 0) return [];
  const names = new Set<string>();
  for (const exporter of exporters) {
    const name = ownName(exporter, 'name');
    if (name === undefined) return [];
    names.add(name);
  }
  for (const metric of metrics) {
    const line = settingLine(metric, 'exporter');
    if (!line) continue;
    const exporter = literalValue(line.node);
    if (exporter === undefined) return [];
    if (exporter === '' || names.has(exporter)) continue;
    const name = ownName(metric, 'metric_name');
    if (name === undefined) return [];
    const message = `metric ${name} refers to non-existent exporter '${exporter}'`;
    return [{ code: 'settings-check', file: line.file, range: line.node.range, message }];
  }
  return [];
}

/** Whether a check's message names the setting (`Invalid log_debug: …`): the finding goes on its line first. */
function namesKey(message: string, key: string): boolean {
  const at = message.indexOf(key);
  return at >= 0 && !/\w/.test(message.charAt(at - 1)) && !/\w/.test(message.charAt(at + key.length));
}

export function settingsChecks23(context: AnalysisContext): Finding[] {
  // A piece of a configuration (a conf.d file opened alone): the other files may set what a check reads.
  if (context.fragment) return [];
  const findings: Finding[] = [...sectionFindings(context), ...exporterReferences(context)];
  const reported = new Set<string>();
  for (const [index, { own, inherited }] of scopes(context).entries()) {
    const protocols = own.get('protocols');
    const wrongProtocol = index > 0 && protocols ? protocolsError(protocols.value) : undefined;
    if (protocols && wrongProtocol) {
      const { entry } = protocols;
      const passes = (expanded: Map<Placed<SettingNode>, string>) => protocolsError(expanded.get(entry)) === undefined;
      const finding: Finding = {
        code: 'settings-check',
        file: entry.file,
        range: entry.node.range,
        message: wrongProtocol,
      };
      findings.push(checkFailure(context, [entry], passes, finding));
    }
    const lookup = (key: string) => own.get(key) ?? inherited.get(key);
    const valueWith =
      ({ expanded, files }: Reading = {}) =>
      (key: string) => {
        const set = lookup(key);
        return set ? (expanded?.get(set.entry) ?? set.value ?? (files ? set.file : undefined)) : default23(key);
      };
    for (const check of STRUCT_CHECKS_23) {
      // A filter that sets none of a check's settings reads what the global scope read: the same finding.
      if (index > 0 && !check.keys.some((key) => own.has(key))) continue;
      const message = structCheckError23(check, valueWith());
      if (message === undefined) {
        const fileLines = check.keys.map((key) => own.get(key) ?? inherited.get(key)).filter((set) => set?.file);
        const fileMessage = fileLines.length > 0 ? structCheckError23(check, valueWith({ files: true })) : undefined;
        if (fileMessage === undefined) continue;
        const at = fileLines.find((set) => namesKey(fileMessage, set!.entry.node.key)) ?? fileLines[0]!;
        const id = `${at.entry.file}:${at.entry.node.range.start.line}:${fileMessage}`;
        if (!reported.has(id)) findings.push(fileValueFailsDoveconf(at.entry.node, at.entry.file, fileMessage));
        reported.add(id);
        continue;
      }
      const keys = [...check.keys.filter((key) => namesKey(message, key)), ...check.keys];
      const at =
        keys.map((key) => own.get(key)).find((set) => set !== undefined) ??
        keys.map((key) => inherited.get(key)).find((set) => set !== undefined);
      if (!at) continue;
      const id = `${at.entry.file}:${at.entry.node.range.start.line}:${message}`;
      if (reported.has(id)) continue;
      reported.add(id);
      // doveconf -n read a `$name` as written: Dovecot may read a value that passes.
      const lines = check.keys.map((key) => lookup(key)?.entry).filter((line) => line !== undefined);
      const passes = (expanded: Map<Placed<SettingNode>, string>) =>
        structCheckError23(check, valueWith({ expanded })) === undefined;
      const finding: Finding = { code: 'settings-check', file: at.entry.file, range: at.entry.node.range, message };
      findings.push(checkFailure(context, lines, passes, finding));
    }
  }
  return findings;
}
