// "Did you mean" fixes for unknown-setting: replace only the key with a close name valid in that context.
import type { Range } from 'vscode-languageserver-types';
import { closestSettingNames } from '../schema/schema';
import { lineTextAt } from '../syntax/textLines';
import { cursorContext } from './cursorContext';
import type { QuickFix, QuickFixContext, QuickFixProvider } from './quickFix';

interface UnknownSettingData {
  suggestions?: unknown;
  context?: unknown;
  /** Set for a 2.3 name that Dovecot 2.4 renamed: the suggestion is its 2.4 name. */
  renamedFrom?: unknown;
  /** Set on a line Dovecot reads joined to another file's last line: its key is not written on it. */
  joinedLine?: unknown;
}

function textInRange(text: string, range: Range): string | undefined {
  if (range.start.line !== range.end.line) return undefined;
  const line = lineTextAt(text, range.start.line);
  return line.slice(range.start.character, range.end.character);
}

function suggestionsFor(context: QuickFixContext, key: string): string[] {
  const data = (context.diagnostic.data ?? {}) as UnknownSettingData;
  if (Array.isArray(data.suggestions))
    return data.suggestions.filter((name): name is string => typeof name === 'string');
  // Unknown section types carry no data: look the names up in the context around the key.
  const settingContext =
    typeof data.context === 'string'
      ? data.context
      : cursorContext(context.analysis, context.file, context.diagnostic.range.start).context;
  return closestSettingNames(settingContext, key);
}

/** One fix per close name; the first is preferred. Nothing when the file changed under the diagnostic. */
export const unknownSettingFixes: QuickFixProvider<QuickFix> = (context) => {
  const text = context.analysis.model.files.get(context.file)?.text ?? context.host.readFile(context.file);
  if (text === undefined) return [];
  const range = context.diagnostic.range;
  const key = textInRange(text, range);
  // A quote in the key opens a quoted run that hides a later `#` from comment stripping: renaming
  // the key would turn the rest of the line into a comment.
  if (!key || /[\s"']/.test(key) || (context.diagnostic.data as UnknownSettingData | undefined)?.joinedLine) return [];
  const renamed = typeof (context.diagnostic.data as UnknownSettingData | undefined)?.renamedFrom === 'string';
  return suggestionsFor(context, key)
    .filter((name) => name !== key && /^[^\s={}#]+$/.test(name))
    .map((name, index): QuickFix => ({
      title: renamed ? `Rename to '${name}' (its Dovecot 2.4 name)` : `Change to '${name}'`,
      edits: { [context.file]: [{ range, newText: name }] },
      isPreferred: index === 0,
    }));
};
