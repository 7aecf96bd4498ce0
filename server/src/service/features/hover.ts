// Hover, shared by both Dovecot versions: what the cursor is on (a section header, a key, a `$name`, a
// word of a value, an include) is found here once; the tree's dialect (dialects.ts) says what to show.
import { MarkupKind, type Hover, type Position, type Range } from 'vscode-languageserver-types';
import type { TreeAnalysis } from '../languageService';
import { cursorContext, rangeContains, type CursorContext } from './cursorContext';
import type { HoverPlace } from './dialects';
import { includeHover } from './includeHover';

/** Hover on keys, values and section headers: what it is, and (2.3) what is in effect across the include tree. */
export function doHover(analysis: TreeAnalysis, file: string, position: Position): Hover | null {
  const cursor = cursorContext(analysis, file, position);
  const hooks = analysis.versionDialect.hover;
  const place: HoverPlace = { analysis, cursor, position };
  const { header, statement } = cursor;
  if (header) {
    const onType = rangeContains(header.typeRange, position);
    const onName = header.nameRange !== undefined && rangeContains(header.nameRange, position);
    if (onType || onName)
      return result(hooks.section(place, header), onName && header.nameRange ? header.nameRange : header.typeRange);
  }
  if (statement?.kind === 'include') {
    const include = includeHover(analysis, file, position);
    return include ? result(include.value, include.range) : null;
  }
  if (statement?.kind !== 'setting') return null;
  if (rangeContains(statement.keyRange, position)) return result(hooks.key(place, statement), statement.keyRange);
  if (rangeContains(statement.valueRange, position)) {
    const variable = hooks.variable && statement.variables.find((token) => rangeContains(token.range, position));
    if (variable) return result(hooks.variable?.(place, statement, variable.name), variable.range);
    const word = wordAt(cursor, position);
    return word ? result(hooks.valueWord(place, statement, word.text), word.range) : null;
  }
  return null;
}

function result(value: string | undefined, range: Range): Hover | null {
  return value === undefined ? null : { contents: { kind: MarkupKind.Markdown, value }, range };
}

/** The blank-delimited word under the cursor and its range. */
function wordAt(cursor: CursorContext, position: Position): { text: string; range: Range } | undefined {
  const before = /\S*$/.exec(cursor.linePrefix)?.[0] ?? '';
  const after = /^\S*/.exec(cursor.lineSuffix)?.[0] ?? '';
  const text = before + after;
  if (text === '') return undefined;
  const start = cursor.linePrefix.length - before.length;
  return {
    text,
    range: {
      start: { line: position.line, character: start },
      end: { line: position.line, character: start + text.length },
    },
  };
}
