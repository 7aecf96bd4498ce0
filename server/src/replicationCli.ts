// `dovecot-replication`: the guide's commands for a running replication pair, on one or both hosts,
// from a terminal. Same module as the VS Code view; text or JSON output.
import * as path from 'node:path';
import {
  dsyncStatusRequest,
  InvalidUserMaskError,
  reloadRequest,
  replicateRequest,
  userListRequest,
  type DoveadmRequest,
  type ReplicationPriority,
} from './service/live/doveadmRequests';
import {
  formatSecondsAgo,
  parseDsyncStatus,
  parseReplicateResult,
  parseUserListing,
  type DoveadmAnswer,
} from './service/live/doveadmResults';
import type { DoveconfFinding } from './service/live/doveconfFindings';
import { formatFailure, type LiveFailure } from './service/live/failures';
import { describeHost, pairHealth, type HostState } from './service/live/pairHealth';
import { checkWithDoveconf } from './live/doveconfCheck';
import {
  ask,
  readHostState,
  transportFor,
  type HostSpec,
  type Reading,
  type TransportSettings,
} from './live/liveHosts';

const USAGE = `Usage: dovecot-replication [options] COMMAND

Commands (each runs on every --host, or on this machine's doveadm when no --host is given):
  status [MASK]                   users and their sync state (replicator status; MASK default *)
  users [MASK]                    can the userdb list users (doveadm user '*'): count and a sample
  dsync-status                    what each dsync connection of the replicator is doing
  replicate [-f] [-p low|high] MASK
                                  queue a sync (-f: full sync) of the matching users
  reload                          reload Dovecot's configuration (doveadm reload)
  check ROOT...                   run the installed doveconf -n -c ROOT and print its errors as FILE:LINE

Options:
  --host NAME=URL                 a host's doveadm HTTP API, e.g. A=http://10.0.0.2:8080 (repeatable)
  --host NAME=local[:CONFIG]      doveadm on this machine, optionally with -c CONFIG
  --ca-file FILE                  CA certificate for https:// hosts with a private CA
  --doveadm PATH                  the doveadm program (default: doveadm)
  --doveconf PATH                 the doveconf program (default: doveconf)
  --timeout SECONDS               per request (default 15)
  --format text|json              output format (default: text)
  -h, --help                      show this help

API keys (the host's doveadm_api_key) come from the environment, never from the command line:
DOVEADM_API_KEY_<NAME> (NAME upper-cased, other characters as _), else DOVEADM_API_KEY.

Exit status: 0 success (status: every user synced), 1 a host failed or a user's sync failed
(check: doveconf reported an error), 2 usage error.`;

class UsageError extends Error {}

interface Options {
  hosts: HostSpec[];
  caFile?: string;
  doveadmPath: string;
  doveconfPath: string;
  timeoutMs: number;
  format: 'text' | 'json';
  command?: string;
  args: string[];
  help: boolean;
}

function parseHost(spec: string): HostSpec {
  const equals = spec.indexOf('=');
  if (equals <= 0) throw new UsageError(`--host expects NAME=URL or NAME=local[:CONFIG], got '${spec}'`);
  const name = spec.slice(0, equals);
  const target = spec.slice(equals + 1);
  if (target === 'local') return { name };
  if (target.startsWith('local:')) return { name, config: path.resolve(target.slice('local:'.length)) };
  if (/^https?:\/\//.test(target)) return { name, url: target };
  throw new UsageError(`--host ${name}: '${target}' is neither an http(s):// URL nor local[:CONFIG]`);
}

export function parseArguments(args: string[]): Options {
  const options: Options = {
    hosts: [],
    doveadmPath: 'doveadm',
    doveconfPath: 'doveconf',
    timeoutMs: 15_000,
    format: 'text',
    args: [],
    help: false,
  };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    const value = (): string => {
      const next = args[++i];
      if (next === undefined) throw new UsageError(`${arg} needs a value`);
      return next;
    };
    if (options.command === undefined && arg.startsWith('-')) {
      if (arg === '--host') options.hosts.push(parseHost(value()));
      else if (arg === '--ca-file') options.caFile = path.resolve(value());
      else if (arg === '--doveadm') options.doveadmPath = value();
      else if (arg === '--doveconf') options.doveconfPath = value();
      else if (arg === '--timeout') {
        const seconds = Number(value());
        if (!(seconds > 0)) throw new UsageError('--timeout must be a positive number of seconds');
        options.timeoutMs = seconds * 1000;
      } else if (arg === '--format') {
        const format = value();
        if (format !== 'text' && format !== 'json')
          throw new UsageError(`--format must be text or json, got '${format}'`);
        options.format = format;
      } else if (arg === '-h' || arg === '--help') options.help = true;
      else throw new UsageError(`unknown option ${arg}`);
    } else if (options.command === undefined) options.command = arg;
    else options.args.push(arg);
  }
  if (options.caFile) options.hosts = options.hosts.map((host) => ({ ...host, caFile: options.caFile }));
  if (options.hosts.length === 0) options.hosts.push({ name: 'local' });
  return options;
}

export function apiKeyVariable(name: string): string {
  return `DOVEADM_API_KEY_${name.toUpperCase().replace(/[^A-Z0-9]/g, '_')}`;
}

function transportSettings(options: Options, env: NodeJS.ProcessEnv): TransportSettings {
  return {
    doveadmPath: options.doveadmPath,
    timeoutMs: options.timeoutMs,
    apiKeyFor: (spec) => env[apiKeyVariable(spec.name)] || env.DOVEADM_API_KEY || undefined,
    apiKeyHint: (spec) => `set ${apiKeyVariable(spec.name)} (or DOVEADM_API_KEY) in the environment`,
  };
}

interface HostResult<T> {
  name: string;
  value?: T;
  failure?: LiveFailure;
}

async function onEveryHost<T>(
  options: Options,
  env: NodeJS.ProcessEnv,
  request: DoveadmRequest,
  parse: (answer: DoveadmAnswer) => T,
): Promise<HostResult<T>[]> {
  const settings = transportSettings(options, env);
  return Promise.all(
    options.hosts.map(async (spec) => {
      const reading: Reading<T> = await ask(transportFor(spec, settings), request, parse);
      return reading.ok ? { name: spec.name, value: reading.value } : { name: spec.name, failure: reading.failure };
    }),
  );
}

function failureLines(failure: LiveFailure): string[] {
  return formatFailure(failure).map((line, index) => (index === 0 ? `  FAILED: ${line}` : `  ${line}`));
}

function statusText(states: HostState[]): string[] {
  const lines: string[] = [];
  for (const state of states) {
    lines.push(
      state.failure
        ? `== ${state.name} (${state.location}): unreachable`
        : `== ${describeHost(state)} (${state.location})`,
    );
    if (state.failure) lines.push(...failureLines(state.failure));
    for (const user of state.users ?? []) {
      lines.push(
        `  ${user.failed ? 'FAILED' : 'ok    '} ${user.username}  queued: ${user.priority}  fast sync: ${formatSecondsAgo(user.lastFastSync)}  full sync: ${formatSecondsAgo(user.lastFullSync)}  last success: ${formatSecondsAgo(user.lastSuccessfulSync)}`,
      );
    }
    if (state.users?.length === 0)
      lines.push('  (the replicator knows no user: is the userdb iterable? try: dovecot-replication users)');
  }
  lines.push(`pair: ${pairHealth(states).text}`);
  return lines;
}

function hostResultsText<T>(results: HostResult<T>[], render: (value: T) => string[]): string[] {
  return results.flatMap((result) => [
    `== ${result.name}`,
    ...(result.failure ? failureLines(result.failure) : render(result.value as T).map((line) => `  ${line}`)),
  ]);
}

function findingText(finding: DoveconfFinding): string {
  const where = `${path.relative(process.cwd(), finding.file) || finding.file}${finding.line === undefined ? '' : `:${finding.line + 1}`}`;
  return `${where}: ${finding.severity}: ${finding.message} [doveconf]`;
}

function replicateArguments(args: string[]): { userMask: string; fullSync: boolean; priority?: ReplicationPriority } {
  let fullSync = false;
  let priority: ReplicationPriority | undefined;
  const rest: string[] = [];
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '-f' || args[i] === '--full-sync') fullSync = true;
    else if (args[i] === '-p' || args[i] === '--priority') {
      const value = args[++i];
      if (value !== 'low' && value !== 'high') throw new UsageError('-p must be low or high');
      priority = value;
    } else rest.push(args[i]);
  }
  if (rest.length !== 1) throw new UsageError("replicate needs exactly one user MASK (e.g. alice@example.com or '*')");
  return { userMask: rest[0], fullSync, priority };
}

type Output = { json: unknown; text: string[]; exitCode: number };

async function execute(options: Options, env: NodeJS.ProcessEnv): Promise<Output> {
  const failedAny = <T>(results: HostResult<T>[]): number => (results.some((result) => result.failure) ? 1 : 0);
  switch (options.command) {
    case 'status': {
      const mask = options.args[0] ?? '*';
      const settings = transportSettings(options, env);
      const states = await Promise.all(options.hosts.map((spec) => readHostState(spec, settings, mask)));
      const health = pairHealth(states);
      return { json: { hosts: states, health }, text: statusText(states), exitCode: health.kind === 'synced' ? 0 : 1 };
    }
    case 'users': {
      const results = await onEveryHost(options, env, userListRequest(options.args[0] ?? '*'), parseUserListing);
      return {
        json: results,
        text: hostResultsText(results, (listing) => [
          `${listing.count} users listed by the userdb${listing.count > 0 ? `, e.g. ${listing.sample.join(', ')}` : ''}`,
        ]),
        exitCode: failedAny(results),
      };
    }
    case 'dsync-status': {
      const results = await onEveryHost(options, env, dsyncStatusRequest(), parseDsyncStatus);
      return {
        json: results,
        text: hostResultsText(results, (slots) =>
          slots.map((slot) => `${slot.username || '(idle)'}  ${slot.type}  ${slot.status}`),
        ),
        exitCode: failedAny(results),
      };
    }
    case 'replicate': {
      const results = await onEveryHost(
        options,
        env,
        replicateRequest(replicateArguments(options.args)),
        parseReplicateResult,
      );
      return {
        json: results,
        text: hostResultsText(results, (result) => [`${result.usersUpdated} users queued`]),
        exitCode: failedAny(results),
      };
    }
    case 'reload': {
      const results = await onEveryHost(options, env, reloadRequest(), () => true);
      return {
        json: results,
        text: hostResultsText(results, () => ['configuration reloaded']),
        exitCode: failedAny(results),
      };
    }
    case 'check': {
      if (options.args.length === 0) throw new UsageError('check needs at least one ROOT (a dovecot.conf)');
      const outcomes = await Promise.all(
        options.args.map(async (root) => ({
          root: path.resolve(root),
          outcome: await checkWithDoveconf(path.resolve(root), {
            doveconfPath: options.doveconfPath,
            timeoutMs: options.timeoutMs,
          }),
        })),
      );
      const json = outcomes.map(({ root, outcome }) =>
        outcome.ok
          ? { root, findings: outcome.findings.map((f) => ({ ...f, line: f.line === undefined ? null : f.line + 1 })) }
          : { root, failure: outcome.failure },
      );
      const text = outcomes.flatMap(({ root, outcome }) =>
        outcome.ok
          ? outcome.findings.length > 0
            ? outcome.findings.map(findingText)
            : [`${path.relative(process.cwd(), root) || root}: doveconf accepts it`]
          : failureLines(outcome.failure),
      );
      const bad = outcomes.some(
        ({ outcome }) => !outcome.ok || outcome.findings.some((finding) => finding.severity === 'error'),
      );
      return { json, text, exitCode: bad ? 1 : 0 };
    }
    default:
      throw new UsageError(options.command === undefined ? 'no COMMAND given' : `unknown command '${options.command}'`);
  }
}

export async function run(
  args: string[],
  out: (text: string) => void,
  err: (text: string) => void,
  env: NodeJS.ProcessEnv = process.env,
): Promise<number> {
  try {
    const options = parseArguments(args);
    if (options.help) return (out(USAGE), 0);
    const output = await execute(options, env);
    out(options.format === 'json' ? JSON.stringify(output.json, null, 2) : output.text.join('\n'));
    return output.exitCode;
  } catch (error) {
    if (error instanceof UsageError || error instanceof InvalidUserMaskError) {
      err(`dovecot-replication: ${error.message}\n${USAGE}`);
      return 2;
    }
    throw error;
  }
}

if (require.main === module) {
  run(
    process.argv.slice(2),
    (text) => process.stdout.write(`${text}\n`),
    (text) => process.stderr.write(`${text}\n`),
  ).then(
    (code) => (process.exitCode = code),
    (error: unknown) => {
      process.stderr.write(
        `dovecot-replication: internal error: ${error instanceof Error ? error.message : String(error)}\n`,
      );
      process.exitCode = 2;
    },
  );
}
