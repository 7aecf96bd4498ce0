// Records real doveconf's verdict on the example of every row of data/dovecot/obsolete-settings-2.3.json
// into test/oracle/obsolete-cases.txt (the format of the other case files; `doveconf -P -n`, so the
// effective output shows every value). Usage (needs Debian's dovecot-core 2.3.19):
//   node --import tsx test/oracle/record-obsolete-cases.ts
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { writeCase } from './cases';
import { obsoleteCases } from './obsoleteCases';

const blocks: string[] = [
  '# doveconf -P -n -c FILE (Debian 2.3.19.1) on the example of each row of data/dovecot/obsolete-settings-2.3.json,',
  '# recorded by test/oracle/record-obsolete-cases.ts. Same format as data/dovecot/doveconf-2.3.19-error-cases.txt.',
  '',
];
for (const testCase of obsoleteCases()) {
  const configPath = writeCase(testCase);
  const run = spawnSync('doveconf', ['-P', '-n', '-c', path.basename(configPath)], { cwd: path.dirname(configPath), encoding: 'utf8' });
  const stdout = run.stdout.split('\n').filter((line) => line !== '' && !line.startsWith('#') && !line.startsWith('managesieve_'));
  const stderr = run.stderr.split('\n').filter((line) => line !== '' && !line.includes('dump-capability'));
  blocks.push(`=== ${testCase.name}  (${testCase.header})`);
  blocks.push(...testCase.lines.map((line) => (line === '' ? '  |' : `  | ${line}`)));
  blocks.push('--- output', ...stdout, ...stderr.filter((line, index) => stderr.indexOf(line) === index), `rc=${run.status ?? -1}`, '');
}
writeFileSync(path.join(__dirname, 'obsolete-cases.txt'), blocks.join('\n'));
