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
const blocks: string[] = [
  '# Dovecot 2.4 oracle cases, recorded with `doveconf -n -c FILE` of Dovecot 2.4.4 + Pigeonhole 2.4.4 (built by',
  '# scripts/build-dovecot24.sh) by test/oracle24/record-cases.ts from cases.in. Only the banner and doveconf\'s',
  '# messages are kept: the printed configuration is left out.',
  '',
];
for (const testCase of readCases(path.join(__dirname, 'cases.in'))) {
  const configPath = writeCase(testCase);
  const { output, rc } = runDoveconf(configPath, DOVECONF_24);
  // A Panic's backtrace holds addresses that change from run to run: only the Panic line is kept.
  const kept = output
    .split('\n')
    .filter((line) => (line.startsWith('doveconf: ') && !line.includes('Raw backtrace')) || /^# \d/.test(line));
  blocks.push(`=== ${testCase.name}${testCase.header ? `  (${testCase.header})` : ''}`);
  blocks.push(...testCase.lines.map((line) => (line === '' ? '  |' : `  | ${line}`)));
  blocks.push('--- output', ...kept, `rc=${rc}`, '');
}
writeFileSync(path.join(__dirname, 'cases.txt'), blocks.join('\n'));
