// Runs the project's linter (dist/cli.js, built by `npm run build`) on a config and returns the
// error/warning diagnostics. Shared by the snippet and end-to-end tests.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

export const LINT_CLI = join(__dirname, '..', '..', 'dist', 'cli.js');

export interface LintProblem {
  severity: string;
  text: string;
}

export function lintCliAvailable(): boolean {
  return existsSync(LINT_CLI);
}

/** Error- and warning-level findings of `dovecot-lint --format json` for the given files. */
export function lintProblems(files: string[], extraArgs: string[] = []): LintProblem[] {
  const result = spawnSync(process.execPath, [LINT_CLI, '--format', 'json', ...extraArgs, ...files], {
    encoding: 'utf8',
    timeout: 30_000,
  });
  if (result.error) throw result.error;
  let parsed: unknown;
  try {
    parsed = JSON.parse(result.stdout);
  } catch {
    throw new Error(
      `dovecot-lint printed no JSON (exit ${result.status}): ${result.stdout.slice(0, 500)} ${result.stderr.slice(0, 500)}`,
    );
  }
  const problems: LintProblem[] = [];
  collectProblems(parsed, problems);
  return problems;
}

// The JSON shape is the linter's own; any object with a severity counts, wherever it is nested.
function collectProblems(value: unknown, problems: LintProblem[]): void {
  if (Array.isArray(value)) {
    for (const element of value) collectProblems(element, problems);
    return;
  }
  if (value === null || typeof value !== 'object') return;
  const record = value as Record<string, unknown>;
  if ('severity' in record) {
    const severity = normaliseSeverity(record.severity);
    if (severity === 'error' || severity === 'warning') problems.push({ severity, text: JSON.stringify(record) });
    return;
  }
  for (const child of Object.values(record)) collectProblems(child, problems);
}

function normaliseSeverity(severity: unknown): string {
  if (severity === 1) return 'error';
  if (severity === 2) return 'warning';
  return String(severity).toLowerCase();
}
