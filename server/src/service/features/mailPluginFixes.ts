// Quick fixes for a mail plugin whose dependency the mail_plugins in effect lacks: the dependency added
// where the plugin was added (before it on a `mail_plugins = …` line, or as a `name = yes` line above it in a
// 2.4 `mail_plugins { }` block), and, for a protocol line that replaced a global list that has it, the line
// turned into one that keeps the global list.
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

export const MAIL_PLUGIN_FIXES: QuickFixTable = {
  'mail-plugin-dependency-missing': addDependencies,
};
