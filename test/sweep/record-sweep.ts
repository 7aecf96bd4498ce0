// Records the real doveconf's verdict on every case of the setting sweep (cases.ts) into
// sweep-2.3.txt (Debian's doveconf 2.3) and sweep-2.4.txt (the 2.4.4 built by
// scripts/build-dovecot24.sh):
//   node --import tsx test/sweep/record-sweep.ts [2.3|2.4]
import { writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { doveconfInstalled, parseVerdict, runDoveconf, type DoveconfVerdict } from '../oracle/cases';
import { DOVECONF_24, parseVerdict24 } from '../oracle24/verdict';
import { tempDir } from '../helpers/tempDir';
import { caseLines, formatRecord, sweepCases, SWEEP_FILE, type SweepVersion } from './cases';

const BINARY: Record<SweepVersion, string> = { '2.3': 'doveconf', '2.4': DOVECONF_24 };

const HEADER: Record<SweepVersion, string> = {
  '2.3': "Debian's doveconf 2.3.19.1 (dovecot-core)",
  '2.4': 'doveconf 2.4.4 + Pigeonhole 2.4.4 built by scripts/build-dovecot24.sh',
};

/** 2.4, where doveconf -n accepts the case: the verdict of doveconf -x -n, the checks Dovecot runs when it starts. */
export function expandedVerdict(
  version: SweepVersion,
  verdict: DoveconfVerdict,
  configPath: string,
): { expanded?: DoveconfVerdict } {
  if (version !== '2.4' || !verdict.accepted) return {};
  const { output, rc } = runDoveconf(configPath, DOVECONF_24, true);
  return { expanded: parseVerdict24(output, rc, configPath) };
}

function record(version: SweepVersion): void {
  const binary = BINARY[version];
  if (!doveconfInstalled(binary)) {
    console.error(`no doveconf ${version} at ${binary}`);
    process.exit(2);
  }
  const configPath = path.join(tempDir('dovecot-sweep-'), SWEEP_FILE);
  const lines = [
    `# Setting sweep, Dovecot ${version}: the verdict of \`doveconf -n -c ${SWEEP_FILE}\` (${HEADER[version]})`,
    '# on each case of test/sweep/cases.ts, recorded by test/sweep/record-sweep.ts. Fields (tab-separated):',
    "# place, setting, value, exit status, doveconf's first error (F<line>:message) and its warnings (W<line>:message);",
    ...(version === '2.4'
      ? [
          "# where doveconf -n accepts, doveconf -x -n's exit status (X<rc>) and first error (XF<line>:message) or Panic (XP:).",
        ]
      : []),
  ];
  const cases = sweepCases(version);
  for (const testCase of cases) {
    writeFileSync(
      configPath,
      caseLines(testCase)
        .map((line) => `${line}\n`)
        .join(''),
    );
    const { output, rc } = runDoveconf(configPath, binary);
    const verdict = version === '2.3' ? parseVerdict(output, rc) : parseVerdict24(output, rc, configPath);
    lines.push(formatRecord({ ...testCase, verdict, ...expandedVerdict(version, verdict, configPath) }));
  }
  writeFileSync(path.join(__dirname, `sweep-${version}.txt`), `${lines.join('\n')}\n`);
  console.log(`${version}: ${cases.length} cases recorded`);
}

if (require.main === module) {
  const versions = process.argv.slice(2) as SweepVersion[];
  for (const version of versions.length > 0 ? versions : (['2.4', '2.3'] as const)) record(version);
}
