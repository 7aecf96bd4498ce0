// Builds the LALR(1) tables of two Dovecot 2.4.4 grammars, as GNU Bison 3.8 generates them for the real
// doveconf: server/src/service/schema/varExpandGrammar24.json from the `%{...}` expression grammar
// (src/lib-var-expand/var-expand-parser.y) and eventFilterGrammar24.json from the event filter grammar
// (src/lib/event-filter-parser.y). With the tables, our parsers stop at the same token as doveconf and
// name the same unexpected and expected tokens in its `syntax error, unexpected X, expecting Y` message.
//
// Usage:
//   node scripts/gen-grammars-24.mjs CORE [--check]
// CORE is an unpacked Dovecot 2.4.4 source tree or a bare git repository of dovecot/core (the tag
// 2.4.4, or $DOVECOT24_TAG, is read with `git show`). Needs `bison` (3.8, as used by the 2.4 build of
// scripts/build-dovecot24.sh). --check exits 1 when a checked-in JSON differs from what it would write.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const SCHEMA = join(ROOT, 'server', 'src', 'service', 'schema');
const GRAMMARS = [
  { grammar: 'src/lib-var-expand/var-expand-parser.y', output: join(SCHEMA, 'varExpandGrammar24.json') },
  { grammar: 'src/lib/event-filter-parser.y', output: join(SCHEMA, 'eventFilterGrammar24.json') },
];
const TAG = process.env.DOVECOT24_TAG ?? '2.4.4';

function die(message) {
  console.error(`gen-grammars-24: ${message}`);
  process.exit(2);
}

function readGrammar(core, grammar) {
  if (existsSync(join(core, grammar))) return readFileSync(join(core, grammar), 'utf8');
  try {
    return execFileSync('git', ['--git-dir', core, 'show', `${TAG}:${grammar}`], { encoding: 'utf8' });
  } catch {
    return die(`no ${grammar} in ${core} (a source tree or a bare git repository with tag ${TAG})`);
  }
}

function runBison(grammar) {
  const dir = mkdtempSync(join(tmpdir(), 'grammar-24-'));
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

function tables(generated, grammar) {
  if (!/yytable_value_is_error\(Yyn\) \\\s*0/.test(generated))
    die('the grammar has error entries in yytable; the TypeScript parser assumes none');
  return {
    source: `dovecot/core ${TAG}:${grammar}, tables of GNU Bison ${/Bison (\d+\.\d+(\.\d+)?)/.exec(generated)?.[1] ?? '?'}`,
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
if (!core) die('usage: node scripts/gen-grammars-24.mjs CORE_SOURCE_OR_GIT_REPO [--check]');
let stale = false;
for (const { grammar, output } of GRAMMARS) {
  const json = `${JSON.stringify(tables(runBison(readGrammar(core, grammar)), grammar), null, 1)}\n`;
  const name = basename(output);
  if (args.includes('--check')) {
    const current = existsSync(output) ? readFileSync(output, 'utf8') : '';
    if (current === json) console.log(`${name} is current`);
    else {
      console.error(`${output} is not current: run node scripts/gen-grammars-24.mjs ${core}`);
      stale = true;
    }
  } else {
    writeFileSync(output, json);
    console.log(`wrote ${output}`);
  }
}
if (stale) process.exit(1);
