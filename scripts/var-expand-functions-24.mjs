#!/usr/bin/env node
// Generates data/dovecot/var-expand-functions-2.4.json: the names a Dovecot 2.4 `%{name}` calls as a function
// when no variable has that name (var_expand_execute_stmt falls back to the filters): the built-in table
// var_expand_builtin_filters[] of src/lib-var-expand/expansion-filter.c, and the names plugins register with
// var_expand_register_filter("name", ...). Such a `%{name}` fails, where no variables are known, with another
// error than "Unknown variable".
//
//   node scripts/var-expand-functions-24.mjs [--mirrors DIR] [--check]
// DIR holds bare git mirrors as OWNER+NAME/repo (default $DOVECOT_SOURCE_MIRRORS or /work/.mirror): dovecot/core,
// read at the tag below. --check: exit 1 when the checked-in file differs.
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const OUTPUT = join(ROOT, 'data', 'dovecot', 'var-expand-functions-2.4.json');
const TAG = '2.4.4';
const BUILTIN_TABLE = 'src/lib-var-expand/expansion-filter.c';

function option(name, fallback) {
  const at = process.argv.indexOf(name);
  return at >= 0 ? process.argv[at + 1] : fallback;
}

const mirrors = resolve(option('--mirrors', process.env.DOVECOT_SOURCE_MIRRORS ?? '/work/.mirror'));
const repo = join(mirrors, 'dovecot+core', 'repo');
const git = (...args) => execFileSync('git', ['-C', repo, ...args], { encoding: 'utf8', maxBuffer: 64 << 20 });

/** The `.name = "x"` entries of the built-in filter table. */
function builtinFunctions() {
  const source = git('show', `${TAG}:${BUILTIN_TABLE}`);
  const table = /var_expand_builtin_filters\[\]\s*=\s*\{([\s\S]*?)\n\};/.exec(source);
  if (!table) throw new Error(`no var_expand_builtin_filters[] in ${BUILTIN_TABLE}@${TAG}`);
  return [...table[1].matchAll(/\.name\s*=\s*"([^"]+)"/g)].map((match) => ({
    name: match[1],
    source: `${BUILTIN_TABLE}@${TAG}`,
  }));
}

/** Names registered with var_expand_register_filter("name", ...) outside the library and its tests. */
function registeredFunctions() {
  const found = git('grep', '-n', 'var_expand_register_filter("', TAG, '--', 'src/*.c');
  return found
    .split('\n')
    .filter((line) => line !== '' && !/\/test-[^/]*\.c:/.test(line))
    .map((line) => {
      const [, file, lineNumber] = /^[^:]+:([^:]+):(\d+):/.exec(line);
      return { name: /var_expand_register_filter\("([^"]+)"/.exec(line)[1], source: `${file}:${lineNumber}@${TAG}` };
    });
}

const functions = [...builtinFunctions(), ...registeredFunctions()];
const text = `${JSON.stringify({ version: TAG, generatedBy: 'scripts/var-expand-functions-24.mjs', functions }, null, 1)}\n`;
if (process.argv.includes('--check')) {
  const current = readFileSync(OUTPUT, 'utf8');
  if (current !== text) {
    console.error(`${OUTPUT} differs from what the sources give; run node scripts/var-expand-functions-24.mjs`);
    process.exit(1);
  }
  console.log(`${OUTPUT} is up to date (${functions.length} functions)`);
} else {
  writeFileSync(OUTPUT, text);
  console.log(`wrote ${OUTPUT} (${functions.length} functions)`);
}
