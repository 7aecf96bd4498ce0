// Properties every input must keep, shared by the line-ending property tests and the fuzz tier
// (`npm run fuzz`). Each check returns the violations it found as readable strings ([] when none).
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { Range, TextEdit } from 'vscode-languageserver-types';
import { formatIndentation, formatRangeIndentation, unitOf } from '../../server/src/service/features/formatting';
import { selectionRanges } from '../../server/src/service/features/selectionRanges';
import { rangeContains, rangeWithin } from '../../server/src/service/syntax/ranges';
import { getLanguageService, type TreeAnalysis } from '../../server/src/service/dovecotLanguageService';
import type { FileHost } from '../../server/src/service/model/host';
import { parseConfig } from '../../server/src/service/syntax/parser';
import { TextLines } from '../../server/src/service/syntax/textLines';

/** Applies LSP edits to a text exactly as an editor does (lines counted as the LSP counts them). */
export function applyEdits(text: string, edits: TextEdit[]): string {
  return TextDocument.applyEdits(TextDocument.create('file:///x', 'dovecot', 0, text), edits);
}

let lastLines: TextLines | undefined;

/** The line table of a text, reused while the same text is checked. */
function textLinesOf(text: string): TextLines {
  if (lastLines?.text !== text) lastLines = new TextLines(text);
  return lastLines;
}

/** Whether both ends of a range are real positions of the text: a line that exists, a character inside it. */
export function rangeProblem(text: string, range: Range): string | undefined {
  const lines = textLinesOf(text);
  for (const [name, position] of [
    ['start', range.start],
    ['end', range.end],
  ] as const) {
    if (position.line < 0 || position.line >= lines.lineCount)
      return `${name} line ${position.line} outside 0..${lines.lineCount - 1}`;
    const length = lines.lineText(position.line).length;
    if (position.character < 0 || position.character > length)
      return `${name} ${position.line}:${position.character} past the end of its line (length ${length})`;
  }
  const { start, end } = range;
  if (start.line > end.line || (start.line === end.line && start.character > end.character)) return 'start after end';
  return undefined;
}

/** Every diagnostic of the tree lies inside its file, lines as the LSP counts them. */
export function diagnosticRangeViolations(
  analysis: TreeAnalysis,
  textOf: (file: string) => string | undefined,
): string[] {
  const violations: string[] = [];
  for (const diagnostic of analysis.diagnostics) {
    const text = textOf(diagnostic.file);
    if (text === undefined) continue;
    const problem = rangeProblem(text, diagnostic.range);
    if (problem) violations.push(`diagnostic ${String(diagnostic.code)} in ${diagnostic.file}: ${problem}`);
  }
  return violations;
}

const removeIndentation = (text: string): string => text.replace(/[ \t]/g, '');

/** Formatting changes only spaces and tabs, and formatting its result changes nothing. */
export function formattingViolations(text: string): string[] {
  const options = { tabSize: 2, insertSpaces: true };
  const parsed = parseConfig(text);
  const edits = formatIndentation(text, parsed, unitOf(options));
  const violations: string[] = [];
  for (const edit of edits) {
    const problem = rangeProblem(text, edit.range);
    if (problem) violations.push(`format edit ${problem}`);
  }
  if (violations.length > 0) return violations;
  const formatted = applyEdits(text, edits);
  if (removeIndentation(formatted) !== removeIndentation(text))
    violations.push('formatting changed more than spaces and tabs');
  if (edits.length === 0) return violations;
  const reparsed = parseConfig(formatted);
  if (
    JSON.stringify(reparsed.statements.map(statementShape)) !== JSON.stringify(parsed.statements.map(statementShape))
  ) {
    violations.push('formatting changed what Dovecot reads');
  }
  const again = formatIndentation(formatted, reparsed, unitOf(options));
  if (again.length > 0) violations.push(`formatting is not idempotent (${again.length} more edits)`);
  return violations;
}

/**
 * At each of `positions`: every selection range lies in the text, holds the position and lies inside its
 * parent; and formatting the range of that chain's widest statement gives the whole file's edits on those lines.
 */
export function selectionAndRangeFormatViolations(text: string, positions: readonly Range['start'][]): string[] {
  const parsed = parseConfig(text);
  const violations: string[] = [];
  const whole = formatIndentation(text, parsed, '  ');
  selectionRanges(parsed, positions).forEach((chain, index) => {
    const position = positions[index];
    const at = `${position.line}:${position.character}`;
    for (let step: typeof chain | undefined = chain; step; step = step.parent) {
      const problem = rangeProblem(text, step.range);
      if (problem) violations.push(`selection range at ${at}: ${problem}`);
      if (!rangeContains(step.range, position)) violations.push(`selection range at ${at} does not hold it`);
      if (step.parent && !rangeWithin(step.range, step.parent.range))
        violations.push(`selection range at ${at} is not inside its parent`);
    }
    const range = chain.parent?.range ?? chain.range;
    const inRange = whole.filter(
      (edit) => edit.range.start.line >= range.start.line && edit.range.start.line <= range.end.line,
    );
    const ranged = formatRangeIndentation(text, parsed, '  ', {
      start: range.start,
      end: { line: range.end.line, character: range.end.character + 1 },
    });
    if (JSON.stringify(ranged) !== JSON.stringify(inRange))
      violations.push(
        `range formatting of ${range.start.line}..${range.end.line} differs from the whole file's edits there`,
      );
  });
  return violations;
}

/** What a statement means to Dovecot, without positions. */
function statementShape(statement: ReturnType<typeof parseConfig>['statements'][number]): unknown {
  switch (statement.kind) {
    case 'setting':
      return ['setting', statement.key, statement.rawValue];
    case 'section':
      return ['section', statement.type, statement.name, statement.children.map(statementShape)];
    case 'include':
      return ['include', statement.optional, statement.pattern];
    case 'invalid':
      return ['invalid', statement.key];
    default:
      return [statement.kind];
  }
}

/** A snippet edit as inserted with every placeholder at its default. */
export function snippetDefaults(text: string): string {
  return text.replace(
    /\$\{\d+:((?:\\.|[^}\\])*)\}|\\(.)/g,
    (_, placeholder: string | undefined, escaped: string | undefined) =>
      placeholder !== undefined ? placeholder.replace(/\\(.)/g, '$1') : (escaped ?? ''),
  );
}

const syntaxCodes = (text: string): string[] =>
  parseConfig(text)
    .problems.map((problem) => problem.code)
    .sort();

/** Each syntax problem code of `after` that `before` has fewer of. */
function newProblems(before: string[], after: string[]): string[] {
  const left = [...before];
  return after.filter((code) => {
    const index = left.indexOf(code);
    if (index < 0) return true;
    left.splice(index, 1);
    return false;
  });
}

/**
 * Every quick fix of every diagnostic: each edit is inside its file, and each edited file re-parses
 * without a syntax problem it did not have. `limit` bounds the number of fixes tried.
 */
export function quickFixViolations(
  analysis: TreeAnalysis,
  host: FileHost,
  limit = Infinity,
  pickDiagnostics = <T>(all: T[]): T[] => all,
): string[] {
  const violations: string[] = [];
  let tried = 0;
  const codesBefore = new Map<string, string[]>();
  for (const file of analysis.files) {
    const diagnostics = pickDiagnostics(analysis.diagnostics.filter((diagnostic) => diagnostic.file === file));
    if (diagnostics.length === 0) continue;
    for (const { fix } of getLanguageService(host).doQuickFixes(analysis, file, diagnostics)) {
      if (tried++ >= limit) return violations;
      for (const [target, edits] of Object.entries(fix.edits)) {
        const text = analysis.model.files.get(target)?.text ?? host.readFile(target) ?? '';
        const bad = edits.map((edit) => rangeProblem(text, edit.range)).find((problem) => problem !== undefined);
        if (bad) {
          violations.push(`fix "${fix.title}" in ${target}: edit ${bad}`);
          continue;
        }
        const plain = edits.map((edit) => ({
          range: edit.range,
          newText: fix.snippet ? snippetDefaults(edit.newText) : edit.newText,
        }));
        const fixed = applyEdits(text, plain);
        if (!codesBefore.has(target)) codesBefore.set(target, syntaxCodes(text));
        const added = newProblems(codesBefore.get(target)!, syntaxCodes(fixed));
        if (added.length > 0)
          violations.push(
            `fix "${fix.title}" in ${target} adds ${added.join(', ')}: ${JSON.stringify(fixed.slice(0, 400))}`,
          );
      }
    }
  }
  return violations;
}

/** Messages (and diagnostic data) never hold a marker written only inside files the config reads with `<file`. */
export function leakViolations(analysis: TreeAnalysis, marker: string): string[] {
  return analysis.diagnostics
    .filter(
      (diagnostic) => diagnostic.message.includes(marker) || JSON.stringify(diagnostic.data ?? null).includes(marker),
    )
    .map(
      (diagnostic) =>
        `diagnostic ${String(diagnostic.code)} shows file content: ${JSON.stringify(diagnostic.message.slice(0, 200))}`,
    );
}
