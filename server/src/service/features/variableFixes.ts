// Quick fix for a Dovecot 2.3 `$name` that doveconf -n cannot read in a typed setting: the value
// itself, as Dovecot expands it when it starts (so doveconf and Dovecot read the same value).
import type { QuickFixProvider, QuickFixTable } from './quickFix';

const writeExpandedValue: QuickFixProvider = (context) => {
  const data = (context.diagnostic.data ?? {}) as { replacement?: unknown };
  if (typeof data.replacement !== 'string') return [];
  return [
    {
      title: `Write the value Dovecot uses: '${data.replacement}'`,
      edits: { [context.file]: [{ range: context.diagnostic.range, newText: data.replacement }] },
      isPreferred: true,
    },
  ];
};

export const VARIABLE_FIXES: QuickFixTable = {
  'variable-fails-doveconf': writeExpandedValue,
};
