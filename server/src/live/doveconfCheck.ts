// Runs the installed `doveconf -n -c ROOT` (argument array, timeout) and maps what it says to findings.
import { parseDoveconfOutput, type DoveconfFinding } from '../service/live/doveconfFindings';
import type { LiveFailure } from '../service/live/failures';
import { runProgram, type ProgramRun } from './localDoveadm';

export type DoveconfOutcome =
  { ok: true; findings: DoveconfFinding[]; exitCode: number } | { ok: false; failure: LiveFailure };

export async function checkWithDoveconf(
  root: string,
  options: { doveconfPath: string; timeoutMs?: number },
): Promise<DoveconfOutcome> {
  const result = await runProgram(
    { program: options.doveconfPath, timeoutMs: options.timeoutMs },
    ['-n', '-c', root],
    `-n -c ${root}`,
  );
  // doveconf exits non-zero on a Fatal error: that is a verdict to show, not a failure to run it.
  if (!result.ok && !result.run) return { ok: false, failure: result.failure };
  const run = result.run as ProgramRun;
  return { ok: true, findings: parseDoveconfOutput(run.stderr, root), exitCode: run.exitCode };
}
