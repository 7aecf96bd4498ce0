// Records the verdicts of the real Dovecot 2.4.4 doveconf for test/oracle24/cases.in into
// test/oracle24/cases.txt. Needs the binary built by scripts/build-dovecot24.sh:
//   node --import tsx test/oracle24/record-cases.ts
import { writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { doveconfInstalled, readCases, runDoveconf, writeCase } from '../oracle/cases';
import { DOVECONF_24 } from './verdict';

if (!doveconfInstalled(DOVECONF_24)) {
  console.error(`no Dovecot 2.4 doveconf at ${DOVECONF_24} (see scripts/build-dovecot24.sh)`);
  process.exit(2);
}
const EXPANDED_HEADER = '(doveconf -x -n = values expanded and the checks Dovecot runs when it starts)';
const blocks: string[] = [
  '# Dovecot 2.4 oracle cases, recorded with `doveconf -n -c FILE` and `doveconf -x -n -c FILE` of Dovecot 2.4.4 +',
  '# Pigeonhole 2.4.4 (built by scripts/build-dovecot24.sh) by test/oracle24/record-cases.ts from cases.in. Only the',
  "# banner and doveconf's messages are kept: the printed configuration is left out.",
  '',
];
/** doveconf's messages and the banner; a Panic's backtrace holds addresses that change from run to run: only the Panic line is kept. */
function kept(output: string): string[] {
  return output
    .split('\n')
    .filter((line) => (line.startsWith('doveconf: ') && !line.includes('Raw backtrace')) || /^# \d/.test(line));
}

for (const testCase of readCases(path.join(__dirname, 'cases.in'))) {
  const configPath = writeCase(testCase);
  const plain = runDoveconf(configPath, DOVECONF_24);
  const expanded = runDoveconf(configPath, DOVECONF_24, true);
  blocks.push(`=== ${testCase.name}${testCase.header ? `  (${testCase.header})` : ''}`);
  blocks.push(...testCase.lines.map((line) => (line === '' ? '  |' : `  | ${line}`)));
  blocks.push('--- output', ...kept(plain.output), `rc=${plain.rc}`);
  blocks.push(`--- output ${EXPANDED_HEADER}`, ...kept(expanded.output), `rc=${expanded.rc}`, '');
}
writeFileSync(path.join(__dirname, 'cases.txt'), blocks.join('\n'));
