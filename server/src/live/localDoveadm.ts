// The local transport: runs the `doveadm` binary with an argument array (never through a shell), with a
// timeout, and reads `-f json` rows or plain lines.
import { execFile } from 'node:child_process';
import type { DoveadmRequest } from '../service/live/doveadmRequests';
import { describeLocalProblem, type LiveFailure } from '../service/live/failures';
import { DEFAULT_TIMEOUT_MS, type DoveadmOutcome, type DoveadmTransport } from './doveadmTransport';

export interface LocalProgramOptions {
  /** The program (absolute path, or a name looked up in PATH). */
  program: string;
  timeoutMs?: number;
}

export interface ProgramRun {
  stdout: string;
  stderr: string;
  exitCode: number;
}

/** Runs a program with arguments; resolves with its output, or with a failure saying what went wrong. */
export function runProgram(
  options: LocalProgramOptions,
  args: string[],
  command: string,
): Promise<{ ok: true; run: ProgramRun } | { ok: false; failure: LiveFailure; run?: ProgramRun }> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  return new Promise((resolve) => {
    execFile(
      options.program,
      args,
      { timeout: timeoutMs, killSignal: 'SIGKILL', maxBuffer: 64 * 1024 * 1024, encoding: 'utf8', windowsHide: true },
      (error, stdout, stderr) => {
        if (!error) return resolve({ ok: true, run: { stdout, stderr, exitCode: 0 } });
        const code = (error as NodeJS.ErrnoException & { code?: string | number }).code;
        const timedOut = error.killed === true && (error as { signal?: string }).signal === 'SIGKILL';
        if (typeof code === 'string')
          return resolve({
            ok: false,
            failure: describeLocalProblem({ binary: options.program, command, spawnCode: code }),
          });
        const exitCode = typeof code === 'number' ? code : null;
        const failure = describeLocalProblem({
          binary: options.program,
          command,
          exitCode,
          timedOut,
          timeoutSeconds: timeoutMs / 1000,
          stderr,
        });
        resolve({ ok: false, failure, run: exitCode === null ? undefined : { stdout, stderr, exitCode } });
      },
    );
  });
}

export interface LocalDoveadmOptions {
  doveadmPath: string;
  /** `-c CONFIG`: the root dovecot.conf of the instance to talk to (default: Dovecot's own). */
  configPath?: string;
  timeoutMs?: number;
}

export class LocalDoveadm implements DoveadmTransport {
  readonly location: string;

  constructor(private readonly options: LocalDoveadmOptions) {
    this.location = options.configPath ? `doveadm -c ${options.configPath} on this machine` : 'doveadm on this machine';
  }

  async run(request: DoveadmRequest): Promise<DoveadmOutcome> {
    const args = [
      ...(this.options.configPath ? ['-c', this.options.configPath] : []),
      ...(request.formatted ? ['-f', 'json'] : []),
      ...request.args,
    ];
    const result = await runProgram(
      { program: this.options.doveadmPath, timeoutMs: this.options.timeoutMs },
      args,
      request.title,
    );
    if (!result.ok) return result;
    const { stdout } = result.run;
    if (!request.formatted)
      return { ok: true, answer: { kind: 'lines', lines: stdout.split('\n').filter((line) => line !== '') } };
    if (stdout.trim() === '') return { ok: true, answer: { kind: 'json', value: [] } };
    try {
      return { ok: true, answer: { kind: 'json', value: JSON.parse(stdout) } };
    } catch {
      return {
        ok: false,
        failure: {
          what: `doveadm ${request.title} printed something that is not JSON`,
          detail: stdout.slice(0, 300),
          check: ['the doveadm binary is Dovecot 2.3 (dovecot.live.doveadmPath)'],
        },
      };
    }
  }
}
