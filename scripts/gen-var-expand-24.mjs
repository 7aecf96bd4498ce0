// Builds server/src/service/schema/varExpandGrammar24.json: the LALR(1) tables of Dovecot 2.4.4's
// `%{...}` expression grammar (src/lib-var-expand/var-expand-parser.y), as GNU Bison 3.8 generates them
// for the real doveconf. With the tables, our parser stops at the same token as doveconf and names the
// same unexpected and expected tokens in its `syntax error, unexpected X, expecting Y` message.
//
// Usage:
//   node scripts/gen-var-expand-24.mjs CORE [--check]
// CORE is an unpacked Dovecot 2.4.4 source tree or a bare git repository of dovecot/core (the tag
// 2.4.4, or $DOVECOT24_TAG, is read with `git show`). Needs `bison` (3.8, as used by the 2.4 build of
// scripts/build-dovecot24.sh). --check exits 1 when the checked-in JSON differs from what it would write.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const OUTPUT = join(ROOT, 'server', 'src', 'service', 'schema', 'varExpandGrammar24.json');
const GRAMMAR = 'src/lib-var-expand/var-expand-parser.y';
const TAG = process.env.DOVECOT24_TAG ?? '2.4.4';

function die(message) {
  console.error(`gen-var-expand-24: ${message}`);
  process.exit(2);
}

function readGrammar(core) {
  if (existsSync(join(core, GRAMMAR))) return readFileSync(join(core, GRAMMAR), 'utf8');
  try {
    return execFileSync('git', ['--git-dir', core, 'show', `${TAG}:${GRAMMAR}`], { encoding: 'utf8' });
  } catch {
    return die(`no ${GRAMMAR} in ${core} (a source tree or a bare git repository with tag ${TAG})`);
  }
}

function runBison(grammar) {
  const dir = mkdtempSync(join(tmpdir(), 'var-expand-24-'));
  try {
    writeFileSync(join(dir, 'parser.y'), grammar);
    execFileSync('bison', ['-o', join(dir, 'parser.c'), join(dir, 'parser.y')], {
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    return readFileSync(join(dir, 'parser.c'), 'utf8');
  } catch (error) {
    return die(`bison failed (${error.message})`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function numberArray(generated, name) {
  const match = new RegExp(`static const yytype_u?int\\d+ ${name}\\[\\] =\\s*\\{([^}]*)\\}`).exec(generated);
  if (!match) die(`${name} not found in the generated parser`);
  return match[1]
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '')
    .map(Number);
}

function define(generated, name) {
  const match = new RegExp(`#define ${name}\\s+\\(?(-?\\d+)\\)?`).exec(generated);
  if (!match) die(`${name} not found in the generated parser`);
  return Number(match[1]);
}

function symbolNames(generated) {
  const match = /static const char \*const yytname\[\] =\s*\{([^}]*)\}/.exec(generated);
  if (!match) die('yytname not found in the generated parser');
  return [...match[1].matchAll(/"((?:[^"\\]|\\.)*)"/g)].map((item) => item[1].replace(/^\\"(.*)\\"$/, '$1'));
}

function tables(generated) {
  if (!/yytable_value_is_error\(Yyn\) \\\s*0/.test(generated))
    die('the grammar has error entries in yytable; the TypeScript parser assumes none');
  return {
    source: `dovecot/core ${TAG}:${GRAMMAR}, tables of GNU Bison ${/Bison (\d+\.\d+(\.\d+)?)/.exec(generated)?.[1] ?? '?'}`,
    final: define(generated, 'YYFINAL'),
    last: define(generated, 'YYLAST'),
    tokens: define(generated, 'YYNTOKENS'),
    pactNinf: define(generated, 'YYPACT_NINF'),
    names: symbolNames(generated),
    pact: numberArray(generated, 'yypact'),
    defact: numberArray(generated, 'yydefact'),
    pgoto: numberArray(generated, 'yypgoto'),
    defgoto: numberArray(generated, 'yydefgoto'),
    table: numberArray(generated, 'yytable'),
    check: numberArray(generated, 'yycheck'),
    r1: numberArray(generated, 'yyr1'),
    r2: numberArray(generated, 'yyr2'),
  };
}

const args = process.argv.slice(2);
const core = args.find((arg) => !arg.startsWith('--'));
if (!core) die('usage: node scripts/gen-var-expand-24.mjs CORE_SOURCE_OR_GIT_REPO [--check]');
const json = `${JSON.stringify(tables(runBison(readGrammar(core))), null, 1)}\n`;
if (args.includes('--check')) {
  const current = existsSync(OUTPUT) ? readFileSync(OUTPUT, 'utf8') : '';
  if (current !== json) {
    console.error(`${OUTPUT} is not current: run node scripts/gen-var-expand-24.mjs ${core}`);
    process.exit(1);
  }
  console.log('varExpandGrammar24.json is current');
} else {
  writeFileSync(OUTPUT, json);
  console.log(`wrote ${OUTPUT}`);
}
