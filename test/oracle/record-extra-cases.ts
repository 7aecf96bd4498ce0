// Records doveconf's output for test/oracle/extra-cases.in into test/oracle/extra-cases.txt.
// Usage (needs Debian's dovecot-core): node --import tsx test/oracle/record-extra-cases.ts
import { writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { readCases, runDoveconf, writeCase } from './cases';

const input = path.join(__dirname, 'extra-cases.in');
const blocks: string[] = [
  '# Extra oracle cases, recorded with `doveconf -n -c FILE` (Debian 2.3.19.1) by test/oracle/record-extra-cases.ts.',
  "# Same format as data/dovecot/doveconf-2.3.19-error-cases.txt; '(crlf)' in a header means the file is written with CRLF.",
  '',
];
for (const testCase of readCases(input)) {
  const configPath = writeCase(testCase);
  const { output, rc } = runDoveconf(configPath);
  // The managesieve capabilities (and the error of the program that computes them) and the banner lines after
  // the first depend on the machine, not on the case.
  const machine = /^managesieve_(notify|sieve)_capability = |^doveconf: Error: managesieve-login: dump-capability |^# (OS|Hostname|Pigeonhole)/;
  const kept = output.split('\n').filter((line) => line !== '' && !machine.test(line));
  const deduplicated = kept.filter((line, index) => !line.startsWith('doveconf: Fatal') || kept.indexOf(line) === index);
  blocks.push(`=== ${testCase.name}${testCase.header ? `  (${testCase.header})` : ''}`);
  blocks.push(...testCase.lines.map((line) => (line === '' ? '  |' : `  | ${line}`)));
  blocks.push('--- output', ...deduplicated, `rc=${rc}`, '');
}
writeFileSync(path.join(__dirname, 'extra-cases.txt'), blocks.join('\n'));
