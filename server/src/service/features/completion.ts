import { CompletionItemKind, type CompletionItem, type Position } from 'vscode-languageserver-types';
import type { TreeAnalysis } from '../languageService';
import { findSetting, sectionTypesInContext, settingsInContext, type SettingInfo } from '../schema/schema';
import { cursorContext } from './cursorContext';

function keyItem(info: SettingInfo): CompletionItem {
  return { label: info.name, kind: CompletionItemKind.Property, detail: `${info.type} (default: ${info.default || 'empty'})`, insertText: `${info.name} = ` };
}

function sectionItem(info: SettingInfo): CompletionItem {
  return { label: info.name, kind: CompletionItemKind.Module, detail: 'section' };
}

function valueItems(info: SettingInfo): CompletionItem[] {
  if (info.type === 'bool') return ['yes', 'no'].map((label) => ({ label, kind: CompletionItemKind.Value }));
  return (info.values ?? []).map((label) => ({ label, kind: CompletionItemKind.EnumMember }));
}

/** Context-aware completion of keys, sections and values at a position. */
export function doComplete(analysis: TreeAnalysis, file: string, position: Position): CompletionItem[] {
  const cursor = cursorContext(analysis, file, position);
  const assignment = /^\s*([^\s=]+)\s*=\s*\S*$/.exec(cursor.linePrefix);
  if (assignment) {
    const info = findSetting(cursor.context, assignment[1]);
    return info ? valueItems(info) : [];
  }
  if (!/^\s*[\w-]*$/.test(cursor.linePrefix)) return [];
  return [...settingsInContext(cursor.context).map(keyItem), ...sectionTypesInContext(cursor.context).map(sectionItem)];
}
