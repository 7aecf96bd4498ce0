// One oracle case per row of the obsolete-settings table: the row's example as a config file.
import { OBSOLETE_ROWS, type ObsoleteRow } from '../../server/src/service/model/obsolete';
import type { OracleCase } from './cases';

export function rowName(row: ObsoleteRow): string {
  return `${row.key}${row.variant ? `#${row.variant}` : ''}`;
}

/** Case file name of a row: `o07_ssl_disable.conf`. */
export function caseName(row: ObsoleteRow, index: number): string {
  return `o${String(index + 1).padStart(2, '0')}_${rowName(row).replace(/[^\w]+/g, '_')}.conf`;
}

export function obsoleteCases(): OracleCase[] {
  return OBSOLETE_ROWS.map((row, index) => ({
    name: caseName(row, index),
    header: `row ${rowName(row)}`,
    lines: row.example,
    recorded: { output: '', rc: -1 },
  }));
}
