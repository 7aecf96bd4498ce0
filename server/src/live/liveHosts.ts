// The hosts of a pair as the VS Code settings and the CLI describe them, the transport each one uses,
// and the questions every front end asks them (users and sync state, one command).
import { replicatorStatusRequest, type DoveadmRequest } from '../service/live/doveadmRequests';
import { parseReplicatorStatus, UnexpectedAnswerError, type DoveadmAnswer } from '../service/live/doveadmResults';
import type { LiveFailure } from '../service/live/failures';
import type { HostState } from '../service/live/pairHealth';
import type { DoveadmTransport } from './doveadmTransport';
import { HttpDoveadm } from './httpDoveadm';
import { LocalDoveadm } from './localDoveadm';

/** One host: its doveadm HTTP API (`url`), or doveadm on this machine (optionally `-c config`). */
export interface HostSpec {
  name: string;
  url?: string;
  config?: string;
  caFile?: string;
}

export interface TransportSettings {
  doveadmPath: string;
  timeoutMs?: number;
  /** The API key of a host with a URL (SecretStorage in VS Code, the environment for the CLI). */
  apiKeyFor(spec: HostSpec): string | undefined;
  /** Where the admin sets an API key, for the message when it is missing. */
  apiKeyHint: (spec: HostSpec) => string;
}

/** Reads the `dovecot.live.hosts` setting; entries that are not usable are reported, not dropped silently. */
export function parseHostSpecs(value: unknown): { hosts: HostSpec[]; problems: string[] } {
  const hosts: HostSpec[] = [];
  const problems: string[] = [];
  if (value === undefined || value === null) return { hosts, problems };
  if (!Array.isArray(value))
    return { hosts, problems: ['dovecot.live.hosts must be a list of { "name", "url" | "config" }'] };
  value.forEach((entry, index) => {
    const spec = entry as Partial<Record<keyof HostSpec, unknown>> | null;
    const name = typeof spec?.name === 'string' && spec.name.trim() !== '' ? spec.name.trim() : undefined;
    if (!name) return void problems.push(`dovecot.live.hosts[${index}] has no name`);
    const optional = (key: keyof HostSpec): string | undefined =>
      typeof spec?.[key] === 'string' && spec[key] !== '' ? (spec[key] as string) : undefined;
    hosts.push({ name, url: optional('url'), config: optional('config'), caFile: optional('caFile') });
  });
  return { hosts, problems };
}

export function transportFor(spec: HostSpec, settings: TransportSettings): DoveadmTransport | LiveFailure {
  if (!spec.url)
    return new LocalDoveadm({
      doveadmPath: settings.doveadmPath,
      configPath: spec.config,
      timeoutMs: settings.timeoutMs,
    });
  const apiKey = settings.apiKeyFor(spec);
  if (!apiKey) {
    return {
      what: `No API key for ${spec.name} (${spec.url})`,
      check: [settings.apiKeyHint(spec), 'the key is the value of doveadm_api_key on that host'],
    };
  }
  return new HttpDoveadm({ url: spec.url, apiKey, caFile: spec.caFile, timeoutMs: settings.timeoutMs });
}

export function isTransport(value: DoveadmTransport | LiveFailure): value is DoveadmTransport {
  return typeof (value as DoveadmTransport).run === 'function';
}

export type Reading<T> = { ok: true; value: T } | { ok: false; failure: LiveFailure };

/** Runs one request and parses its answer; an answer that does not parse is a failure too. */
export async function ask<T>(
  transport: DoveadmTransport | LiveFailure,
  request: DoveadmRequest,
  parse: (answer: DoveadmAnswer) => T,
): Promise<Reading<T>> {
  if (!isTransport(transport)) return { ok: false, failure: transport };
  const outcome = await transport.run(request);
  if (!outcome.ok) return outcome;
  try {
    return { ok: true, value: parse(outcome.answer) };
  } catch (error) {
    if (!(error instanceof UnexpectedAnswerError)) throw error;
    return {
      ok: false,
      failure: {
        what: `${transport.location} answered doveadm ${request.title} in a form this tool does not know`,
        detail: error.message,
        check: ['the host runs Dovecot 2.3'],
      },
    };
  }
}

/** `replicator status MASK` on one host, as the view and `dovecot-replication status` show it. */
export async function readHostState(spec: HostSpec, settings: TransportSettings, userMask = '*'): Promise<HostState> {
  const transport = transportFor(spec, settings);
  const location = isTransport(transport) ? transport.location : (spec.url ?? 'doveadm on this machine');
  const reading = await ask(transport, replicatorStatusRequest(userMask), parseReplicatorStatus);
  return reading.ok
    ? { name: spec.name, location, users: reading.value }
    : { name: spec.name, location, failure: reading.failure };
}
