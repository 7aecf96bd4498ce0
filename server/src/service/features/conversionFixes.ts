// Quick fixes for Dovecot 2.3 constructs in a tree read as 2.4 or as mixed: the change the 2.4 converter
// makes to the construct's lines, taken from the converter's own output (never a second copy of its
// rules), so a fix and "Convert to Dovecot 2.4…" write the same text.
import { treeConversion, convertedLines } from '../migrate/treeConversion';
import { lineTextAt } from '../syntax/textLines';
import type { QuickFix, QuickFixContext, QuickFixProvider } from './quickFix';

const TITLE_LENGTH = 60;

function fixTitle(newText: string, replacedText: string): string {
  const lines = newText
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '');
  const shown = lines.find((line) => !line.startsWith('#')) ?? lines[0];
  if (shown === undefined) return 'Remove for Dovecot 2.4 (as the conversion does)';
  const short = shown.length > TITLE_LENGTH ? `${shown.slice(0, TITLE_LENGTH - 1)}…` : shown;
  const commentsOut = lines.every((line) => line.startsWith('#')) && replacedText.trim() !== '';
  if (commentsOut) return 'Convert to Dovecot 2.4: comment out, with the reason above';
  const more = lines.length > 1 ? ` (+${lines.length - 1} line${lines.length === 2 ? '' : 's'})` : '';
  return `Convert to Dovecot 2.4: ${short}${more}`;
}

/** The lines of the construct a diagnostic names: a section's whole block when it names the header (its `}` goes with it). */
function constructLines(context: QuickFixContext): { first: number; last: number } {
  const { start, end } = context.diagnostic.range;
  const section = context.analysis.model.sections.find(
    ({ file, node }) => file === context.file && node.headerRange.start.line === start.line,
  );
  return { first: start.line, last: section ? Math.max(end.line, section.node.range.end.line) : end.line };
}

/** The converter's rewrite of the diagnostic's lines, or undefined when it leaves them alone. */
export function conversionFix(context: QuickFixContext): QuickFix | undefined {
  const { analysis, file } = context;
  if (analysis.dialect !== '2.4' && analysis.dialect !== 'mixed') return undefined;
  const result = treeConversion(analysis.model, context.host);
  if (!result) return undefined;
  const text = analysis.model.files.get(file)?.text;
  if (text === undefined) return undefined;
  const { first, last } = constructLines(context);
  const edit = convertedLines(result, file, first, last);
  if (!edit) return undefined;
  const replaced = Array.from({ length: edit.range.end.line - edit.range.start.line }, (_, index) =>
    lineTextAt(text, edit.range.start.line + index),
  ).join('\n');
  return { title: fixTitle(edit.newText, replaced), edits: { [file]: [edit] }, isPreferred: true };
}

/**
 * A rule's fixes with the conversion's first. `replacesOwn`: the rule's own fixes are left out when the
 * conversion has one (a plain rename of a setting whose value changed meaning would disagree with it).
 */
export function withConversionFix(
  own: QuickFixProvider | undefined,
  replacesOwn: (context: QuickFixContext) => boolean,
): QuickFixProvider {
  return (context) => {
    const conversion = conversionFix(context);
    const ownFixes = own?.(context) ?? [];
    if (!conversion) return ownFixes;
    if (replacesOwn(context)) return [conversion];
    return [{ ...conversion, isPreferred: false }, ...ownFixes];
  };
}

/** Set on an unknown-setting for a 2.3 name Dovecot 2.4 renamed or replaced. */
export const isRenamed23 = (context: QuickFixContext): boolean =>
  typeof (context.diagnostic.data as { renamedFrom?: unknown } | undefined)?.renamedFrom === 'string';
