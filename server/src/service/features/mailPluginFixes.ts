// Quick fixes for a mail plugin whose dependency the mail_plugins in effect lacks: the dependency added
// where the plugin was added (before it on a `mail_plugins = …` line, or as a `name = yes` line above it in a
// 2.4 `mail_plugins { }` block), and, for a protocol line that replaced a global list that has it, the line
// turned into one that keeps the global list. A plugin that only some programs may load is moved into their
// protocol filters: taken off the line that loads it elsewhere, added to the filter's mail_plugins line or in a
// new `protocol` block at the end of that file.
import { valueWordsOnLine, type ProgramFixData, type ProgramTarget } from '../analysis/mailPluginPrograms';
import type { Placed } from '../model/model';
import { parseBoollist24 } from '../schema/valueCheck24';
import type { SettingNode } from '../syntax/nodes';
import { makeFix, settingAt, TreeEditor, type PlannedEdit } from './fixEdits';
import type { PlannedFix, QuickFixProvider, QuickFixTable } from './quickFix';

interface FixData {
  form: 'list' | 'block' | 'removal';
  dependencies: string[];
  dependents: string[];
  keepsGlobal: boolean;
  version: '2.3' | '2.4';
}

function dataOf(data: unknown): FixData | undefined {
  const fix = (data ?? {}) as Partial<FixData>;
  const names = (list: unknown) => Array.isArray(list) && list.every((name) => typeof name === 'string');
  if (!names(fix.dependencies) || !names(fix.dependents) || !fix.form || !fix.version) return undefined;
  return fix as FixData;
}

/** The dependencies written just before the first dependent on the line, or at the end of the value. */
function insertIntoList(editor: TreeEditor, entry: Placed<SettingNode>, fix: FixData): PlannedEdit | undefined {
  const { node } = entry;
  const { start, end } = node.valueRange;
  if (start.line === end.line) {
    const value = editor.textLines(entry.file).lineText(start.line).slice(start.character, end.character);
    const words = [...value.matchAll(/[^ ,]+/g)];
    const first = words.find((word) => fix.dependents.includes(word[0]));
    if (first) {
      const at = { line: start.line, character: start.character + first.index };
      return { file: entry.file, range: { start: at, end: at }, text: `${fix.dependencies.join(' ')} ` };
    }
  }
  return editor.appendToValue(entry, fix.dependencies);
}

/** 2.4: `mail_plugins = a b` in a protocol block as a block adding a and b to the global list. */
function asBlock(editor: TreeEditor, entry: Placed<SettingNode>): PlannedEdit | undefined {
  const { node } = entry;
  const parsed = parseBoollist24(node.value);
  if (parsed.error !== undefined || node.range.start.line !== node.range.end.line) return undefined;
  const indent = editor.indentOf(entry.file, node.range.start.line);
  const inner = indent + editor.indentUnit(entry.file);
  const eol = editor.eol(entry.file);
  const lines = [`${node.key} {`, ...parsed.elements.map((name) => `${inner}${name} = yes`), `${indent}}`];
  return { file: entry.file, range: node.range, text: lines.join(eol) };
}

const addDependencies: QuickFixProvider = (context) => {
  const fix = dataOf(context.diagnostic.data);
  const entry = settingAt(context.analysis.model, context.file, context.diagnostic.range);
  if (!fix || !entry || fix.form === 'removal') return [];
  const editor = new TreeEditor(context.analysis.model);
  const names = fix.dependencies.join(' ');
  if (fix.form === 'block') {
    const line = entry.node.range.start.line;
    const prefix = entry.node.key.startsWith('mail_plugins/') ? 'mail_plugins/' : '';
    const lines = fix.dependencies.map((name) => `${prefix}${name} = yes`);
    const edit = editor.insertLines(entry.file, line, lines, editor.indentOf(entry.file, line));
    return [makeFix(`Add ${lines.join(', ')}`, [edit], true)];
  }
  // A `<file` value or a quoted one: the list is written where an edit of ours could change its meaning.
  const kind = entry.node.valueKind;
  if (kind !== 'plain' && !(kind === 'variables' && fix.version === '2.3')) return [];
  const fixes: PlannedFix[] = [];
  const insert = insertIntoList(editor, entry, fix);
  if (insert) fixes.push(makeFix(`Add ${names} to mail_plugins`, [insert], true));
  if (fix.keepsGlobal && fix.version === '2.3') {
    const start = entry.node.valueRange.start;
    const text = entry.node.value === '' ? '$mail_plugins' : '$mail_plugins ';
    fixes.push(
      makeFix('Start the value with $mail_plugins', [{ file: entry.file, range: { start, end: start }, text }]),
    );
  }
  if (fix.keepsGlobal && fix.version === '2.4') {
    const block = asBlock(editor, entry);
    if (block) fixes.push(makeFix('Add to the global list with a mail_plugins { } block', [block]));
  }
  return fixes;
};

function programDataOf(data: unknown): (ProgramFixData & { targets: ProgramTarget[] }) | undefined {
  const fix = (data ?? {}) as Partial<ProgramFixData>;
  if (typeof fix.plugin !== 'string' || !Array.isArray(fix.targets) || !fix.form || !fix.version) return undefined;
  return fix as ProgramFixData & { targets: ProgramTarget[] };
}

/** The plugin's word taken off a one-line list, with the separator after it (or before it, at the end). */
function removeWord(editor: TreeEditor, entry: Placed<SettingNode>, plugin: string): PlannedEdit | undefined {
  const words = valueWordsOnLine(editor.textLines(entry.file), entry.node);
  const at = words?.findIndex((word) => word.text === plugin) ?? -1;
  if (!words || at < 0) return undefined;
  const word = words[at];
  const [next, previous] = [words[at + 1], words[at - 1]];
  const [from, to] = next
    ? [word.character, next.character]
    : previous
      ? [previous.character + previous.text.length, word.character + plugin.length]
      : [word.character, word.character + plugin.length];
  const line = entry.node.valueRange.start.line;
  return { file: entry.file, range: { start: { line, character: from }, end: { line, character: to } }, text: '' };
}

/** The plugin added beside a filter's mail_plugins line: to its list, or as a sibling `name = yes` line. */
function addBeside(editor: TreeEditor, entry: Placed<SettingNode>, fix: ProgramFixData): PlannedEdit | undefined {
  const { node } = entry;
  if (node.key === 'mail_plugins') {
    const kind = node.valueKind;
    if (kind !== 'plain' && !(kind === 'variables' && fix.version === '2.3')) return undefined;
    return editor.appendToValue(entry, [fix.plugin]);
  }
  const prefix = node.key.startsWith('mail_plugins/') ? 'mail_plugins/' : '';
  const line = node.range.end.line + 1;
  return editor.insertLines(
    entry.file,
    line,
    [`${prefix}${fix.plugin} = yes`],
    editor.indentOf(entry.file, node.range.start.line),
  );
}

/** A new `protocol` block that loads the plugin on top of the global list. */
function newBlock(editor: TreeEditor, file: string, protocol: string, fix: ProgramFixData): string[] {
  const unit = editor.indentUnit(file);
  const body =
    fix.version === '2.3'
      ? [`${unit}mail_plugins = $mail_plugins ${fix.plugin}`]
      : [`${unit}mail_plugins {`, `${unit}${unit}${fix.plugin} = yes`, `${unit}}`];
  return [`protocol ${protocol} {`, ...body, '}'];
}

const moveToPrograms: QuickFixProvider = (context) => {
  const fix = programDataOf(context.diagnostic.data);
  const { model } = context.analysis;
  const entry = settingAt(model, context.file, context.diagnostic.range);
  if (!fix || !entry) return [];
  const editor = new TreeEditor(model);
  const edits: PlannedEdit[] = [];
  if (fix.form === 'block')
    edits.push(editor.deleteLines(entry.file, entry.node.range.start.line, entry.node.range.end.line));
  else {
    const kind = entry.node.valueKind;
    const removal =
      (kind === 'plain' || (kind === 'variables' && fix.version === '2.3')) && removeWord(editor, entry, fix.plugin);
    if (!removal) return [];
    edits.push(removal);
  }
  const blocks: string[] = [];
  for (const target of fix.targets) {
    const line =
      target.order === undefined ? undefined : model.settings.find((setting) => setting.order === target.order);
    if (target.order !== undefined) {
      const edit = line && addBeside(editor, line, fix);
      if (!edit) return [];
      edits.push(edit);
    } else blocks.push(...newBlock(editor, entry.file, target.protocol, fix));
  }
  if (blocks.length > 0) {
    // A file included inside a section cannot hold a protocol block.
    if (!editor.isTopLevelFile(entry.file)) return [];
    edits.push(editor.insertLines(entry.file, editor.textLines(entry.file).lineCount, blocks));
  }
  const filters = fix.programs.map((program) => `protocol ${program === 'managesieve' ? 'sieve' : program} { }`);
  return [makeFix(`Move ${fix.plugin} to ${filters.join(' and ')}`, edits, true)];
};

export const MAIL_PLUGIN_FIXES: QuickFixTable = {
  'mail-plugin-dependency-missing': addDependencies,
  'mail-plugin-for-other-program': moveToPrograms,
};
