// Quick fix for obsolete-setting: write the setting Dovecot rewrites it to, or remove a dropped one.
import type { ObsoleteFixData } from '../model/obsolete';
import type { QuickFix, QuickFixProvider } from './quickFix';

function fixData(data: unknown): ObsoleteFixData | undefined {
  const candidate = data as Partial<ObsoleteFixData> | undefined;
  return candidate?.statement ? (candidate as ObsoleteFixData) : undefined;
}

export const obsoleteSettingFixes: QuickFixProvider<QuickFix> = (context) => {
  const data = fixData(context.diagnostic.data);
  if (!data) return [];
  const { statement } = data;
  if (data.remove) {
    const range = {
      start: { line: statement.start.line, character: 0 },
      end: { line: statement.end.line + 1, character: 0 },
    };
    return [
      { title: 'Remove the obsolete setting', edits: { [context.file]: [{ range, newText: '' }] }, isPreferred: true },
    ];
  }
  if (data.replacement === undefined) return [];
  return [
    {
      title: `Change to '${data.replacement}'`,
      edits: { [context.file]: [{ range: statement, newText: data.replacement }] },
      isPreferred: true,
    },
  ];
};
