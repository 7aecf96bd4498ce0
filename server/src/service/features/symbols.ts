import { SymbolKind, type DocumentSymbol } from 'vscode-languageserver-types';
import { maskWrittenValue } from '../schema/secrets';
import type { ParsedFile, Statement } from '../syntax/nodes';

function symbolOf(statement: Statement): DocumentSymbol | undefined {
  switch (statement.kind) {
    case 'section': {
      const name = statement.name === '' ? statement.type : `${statement.type} ${statement.name}`;
      return {
        name,
        detail: statement.filter ? 'filter' : undefined,
        kind: statement.filter ? SymbolKind.Namespace : SymbolKind.Struct,
        range: statement.range,
        selectionRange: statement.headerRange,
        children: statement.children.map(symbolOf).filter((s): s is DocumentSymbol => s !== undefined),
      };
    }
    case 'setting':
      return {
        name: statement.key === '' ? '=' : statement.key,
        detail: maskWrittenValue(statement.key, statement.rawValue),
        kind: SymbolKind.Property,
        range: statement.range,
        selectionRange: statement.keyRange,
      };
    case 'include':
      return {
        name: statement.optional ? '!include_try' : '!include',
        detail: statement.pattern,
        kind: SymbolKind.File,
        range: statement.range,
        selectionRange: statement.patternRange,
      };
    default:
      return undefined;
  }
}

/** The outline of one file: sections with their settings, includes. */
export function documentSymbols(parsed: ParsedFile): DocumentSymbol[] {
  return parsed.statements.map(symbolOf).filter((s): s is DocumentSymbol => s !== undefined);
}
