// Drives test/e2e/lab.sh (two real Dovecot 2.3 instances on 127.0.0.2 and 127.0.0.3) from node tests.
import assert from 'node:assert/strict';
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

export const LAB_SCRIPT = join(__dirname, 'lab.sh');
export const LAB_IP = { A: '127.0.0.2', B: '127.0.0.3' } as const;

const REQUIRED = [
  ['/usr/sbin/dovecot', 'dovecot-core'],
  ['/usr/lib/dovecot/dovecot-lda', 'dovecot-core'],
  ['/usr/lib/dovecot/modules/lib20_replication_plugin.so', 'dovecot-core'],
];

/** Why the lab cannot run here, or undefined when it can; `also` names more [file, Debian package] it needs. */
export function labSkipReason(also: string[][] = []): string | undefined {
  if (process.getuid?.() !== 0) return 'not root (the lab starts Dovecot masters that drop privileges)';
  const missing = [...REQUIRED, ...also].filter(([file]) => !existsSync(file)).map(([file, pkg]) => `${file} (${pkg})`);
  return missing.length > 0 ? `missing ${missing.join(', ')}` : undefined;
}

const PROBLEM = /\b(?:Panic|Fatal|Error|Warning):/;

function telling(log: string, lines: number): string {
  const all = log.split('\n').filter((line) => line.length > 0);
  const problems = all.filter((line) => PROBLEM.test(line));
  return (problems.length > 0 ? problems : all).slice(-lines).join('\n');
}

export class Lab {
  constructor(
    readonly workdir: string,
    private readonly env: Record<string, string> = {},
  ) {}

  run(args: string[], env: Record<string, string> = {}): SpawnSyncReturns<string> {
    // lab.sh never leaves a daemon holding our pipes (it redirects Dovecot's output to a file).
    return spawnSync('bash', [LAB_SCRIPT, '-w', this.workdir, ...args], {
      encoding: 'utf8',
      timeout: 60_000,
      env: { ...process.env, ...this.env, ...env },
    });
  }

  ok(args: string[], env: Record<string, string> = {}): string {
    const result = this.run(args, env);
    assert.equal(
      result.status,
      0,
      `lab.sh ${args.join(' ')} exited ${result.status}:\n${result.stdout}${result.stderr}${this.logs()}`,
    );
    return result.stdout.trim();
  }

  /**
   * For a failure message: what each replicator holds and is running, then each instance's errors and warnings
   * (or, when it logged none, its last lines).
   */
  logs(lines = 10): string {
    const status = `\n--- replicators:\n${this.run(['status']).stdout.trim()}`;
    return (
      status +
      ['A', 'B'].map((name) => `\n--- log ${name}:\n${telling(this.run(['log', name]).stdout, lines)}`).join('')
    );
  }

  down(): void {
    this.run(['down']);
  }
}

/**
 * Runs `scenario` (which starts from `lab.sh init`); when it fails, prints why and runs it once more on a new lab.
 * Dovecot 2.3's replicator now and then leaves a sync undone on a loaded machine; a configuration that cannot
 * replicate fails both attempts, and the second failure is the test's.
 */
export function withOneRetry<T>(lab: Lab, scenario: () => T): T {
  try {
    return scenario();
  } catch (error) {
    const why = (error instanceof Error ? error.message : String(error)).split('\n').slice(0, 60);
    console.log(
      `# RETRIED: the first attempt failed, running it again on a new lab:\n${why.map((line) => `#   ${line}`).join('\n')}`,
    );
    lab.down();
    return scenario();
  }
}
