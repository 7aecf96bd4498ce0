#!/usr/bin/env node
// Checks data/dovecot/obsolete-settings-2.3.json (the obsolete settings Dovecot 2.3 rewrites, written
// by hand from src/config/old-set-parser.c) against a Dovecot source tree:
//   - every row's cited lines name its key (or section name) as a string literal;
//   - every row's message is produced by one of the file's obsolete() format strings;
//   - every obsolete() format string and every key the file compares is covered by a row.
//
//   node scripts/obsolete-settings.mjs --check /path/to/dovecot-core            (a checkout)
//   node scripts/obsolete-settings.mjs --check /path/to/core.git@2.3.21         (a bare repository at a tag)
// Exit status 1 with the differences when the table and the source disagree.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const TABLE = join(ROOT, 'data', 'dovecot', 'obsolete-settings-2.3.json');
const SOURCE_FILE = 'src/config/old-set-parser.c';
/** Keys old-set-parser.c compares that are not obsolete settings: base_dir is remembered for socket paths, the rest are socket listen {} internals. */
const NOT_OBSOLETE = new Set([
  'base_dir',
  'path',
  'mode',
  'user',
  'group',
  'master',
  'client',
  'listen',
  'connect',
  'imap',
  'imaps',
  'pop3',
  'pop3s',
  'managesieve',
  'outlook-idle',
  'netscape-eoh',
  'no',
  'count',
  'dns_client',
  'auth_',
]);

function readSource(spec) {
  const at = spec.lastIndexOf('@');
  if (at > 0)
    return execFileSync('git', ['-C', spec.slice(0, at), 'show', `${spec.slice(at + 1)}:${SOURCE_FILE}`], {
      encoding: 'utf8',
    });
  return readFileSync(join(spec, SOURCE_FILE), 'utf8');
}

/** The obsolete() format strings of the file, C string concatenation joined. */
function formats(source) {
  const found = [];
  for (const call of source.matchAll(/obsolete\(ctx,\s*((?:"(?:[^"\\]|\\.)*"\s*)+)/g)) {
    found.push([...call[1].matchAll(/"((?:[^"\\]|\\.)*)"/g)].map((m) => m[1]).join(''));
  }
  return found;
}

const escapeRegex = (text) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const formatRegex = (format) => new RegExp(`^${format.split('%s').map(escapeRegex).join('.*')}$`);

function lineRanges(cited) {
  return cited
    .replace(`${SOURCE_FILE}:`, '')
    .split(',')
    .map((part) => part.split('-').map(Number))
    .map(([a, b]) => [a, b ?? a]);
}

function check(spec) {
  const source = readSource(spec);
  const lines = source.split('\n');
  const table = JSON.parse(readFileSync(TABLE, 'utf8'));
  const problems = [];
  const allFormats = formats(source);
  const used = new Set();
  for (const row of table.rows) {
    const name = `${row.key}${row.variant ? `/${row.variant}` : ''}`;
    if (!row.source.startsWith(`${SOURCE_FILE}:`)) problems.push(`${name}: source must cite ${SOURCE_FILE}`);
    const cited = lineRanges(row.source)
      .flatMap(([a, b]) => lines.slice(a - 1, b))
      .join('\n');
    const literal = row.action === 'section_rename' ? row.name : row.key;
    if (!cited.includes(`"${literal}"`) && !(row.key === 'auth' || row.action === 'auth_db_section'))
      problems.push(`${name}: lines ${row.source} do not name "${literal}"`);
    if (row.message === '') continue;
    const sample = row.message
      .replace(/\{key\}/g, row.key)
      .replace(/\{value\}/g, 'VALUE')
      .replace(/\{target\}/g, row.target ?? '');
    // The most specific format that produces the message: the one with the most literal text.
    const literalLength = (format) => format.replace(/%s/g, '').length;
    const format = allFormats
      .filter((candidate) => formatRegex(candidate).test(sample))
      .sort((a, b) => literalLength(b) - literalLength(a))[0];
    if (!format) problems.push(`${name}: no obsolete() format in the source produces "${sample}"`);
    else used.add(format);
  }
  for (const format of allFormats)
    if (!used.has(format) && format !== '%s has been renamed to %s')
      problems.push(`source format not covered by a row: "${format}"`);
  const keys = new Set(table.rows.flatMap((row) => [row.key, row.name].filter(Boolean)));
  for (const match of source.matchAll(/(?:strcmp\((?:key|\*s|\*arg|value), |str_begins\(key, )"([^"]+)"/g)) {
    if (!keys.has(match[1]) && !NOT_OBSOLETE.has(match[1]))
      problems.push(`source compares "${match[1]}", which no row covers`);
  }
  return problems;
}

const args = process.argv.slice(2);
const at = args.indexOf('--check');
if (at < 0 || !args[at + 1]) {
  console.error('usage: node scripts/obsolete-settings.mjs --check <dovecot source tree | bare-repo@tag>');
  process.exit(2);
}
const problems = check(args[at + 1]);
if (problems.length > 0) {
  console.error(problems.join('\n'));
  process.exit(1);
}
console.log(`obsolete-settings-2.3.json agrees with ${SOURCE_FILE} of ${args[at + 1]}`);
