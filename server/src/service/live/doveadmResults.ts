// Typed readings of doveadm's answers. The doveadm command line with `-f json` and the HTTP API print
// the same JSON rows (doveadm's JSON formatter), so one parser serves both transports; `user '*'` is the
// exception (the command line prints plain lines, the API `{"userList": [...]}`).

/** What a transport got back: doveadm's JSON rows, or the plain lines of a command that prints no table. */
export type DoveadmAnswer = { kind: 'json'; value: unknown } | { kind: 'lines'; lines: string[] };

export class UnexpectedAnswerError extends Error {}

/** Seconds since an event, as the replicator prints them (`HH:MM:SS` ago), or null for `-` (never). */
export type SecondsAgo = number | null;

export interface ReplicaUserStatus {
  username: string;
  /** Queued priority: none, low, high, sync. */
  priority: string;
  lastFastSync: SecondsAgo;
  lastFullSync: SecondsAgo;
  lastSuccessfulSync: SecondsAgo;
  /** The replicator's `failed` column: the last sync of this user failed. */
  failed: boolean;
}

export interface ReplicatorOverviewLine {
  field: string;
  value: string;
}

export interface DsyncSlot {
  username: string;
  type: string;
  status: string;
}

export interface UserListing {
  count: number;
  sample: string[];
}

const SAMPLE_SIZE = 5;

export function parseSecondsAgo(text: string): SecondsAgo {
  if (text === '-') return null;
  const match = /^(\d+):(\d{2}):(\d{2})$/.exec(text);
  if (!match) throw new UnexpectedAnswerError(`unexpected time '${text}' (expected HH:MM:SS or -)`);
  return Number(match[1]) * 3600 + Number(match[2]) * 60 + Number(match[3]);
}

/** `12s`, `3m 05s`, `2h 01m`, `4d 02h`: a short age for people. */
export function formatSecondsAgo(seconds: SecondsAgo): string {
  if (seconds === null) return 'never';
  const pad = (n: number): string => String(n).padStart(2, '0');
  if (seconds < 60) return `${seconds}s ago`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)}m ${pad(seconds % 60)}s ago`;
  if (seconds < 86400) return `${Math.floor(seconds / 3600)}h ${pad(Math.floor(seconds / 60) % 60)}m ago`;
  return `${Math.floor(seconds / 86400)}d ${pad(Math.floor(seconds / 3600) % 24)}h ago`;
}

function rows(answer: DoveadmAnswer, what: string): Record<string, unknown>[] {
  if (answer.kind !== 'json' || !Array.isArray(answer.value))
    throw new UnexpectedAnswerError(`${what}: doveadm did not answer with a list of rows`);
  return answer.value.map((row) => {
    if (typeof row !== 'object' || row === null || Array.isArray(row))
      throw new UnexpectedAnswerError(`${what}: a row is not an object`);
    return row as Record<string, unknown>;
  });
}

function text(row: Record<string, unknown>, key: string, what: string): string {
  const value = row[key];
  if (typeof value !== 'string') throw new UnexpectedAnswerError(`${what}: a row has no '${key}'`);
  return value;
}

/** `replicator status MASK`: one row per user. */
export function parseReplicatorStatus(answer: DoveadmAnswer): ReplicaUserStatus[] {
  const what = 'replicator status';
  return rows(answer, what).map((row) => ({
    username: text(row, 'username', what),
    priority: text(row, 'priority', what),
    lastFastSync: parseSecondsAgo(text(row, 'fast sync', what)),
    lastFullSync: parseSecondsAgo(text(row, 'full sync', what)),
    lastSuccessfulSync: parseSecondsAgo(text(row, 'success sync', what)),
    failed: text(row, 'failed', what) !== '-',
  }));
}

/** `replicator status` without a mask: the queue counters (`Queued 'sync' requests`, ...). */
export function parseReplicatorOverview(answer: DoveadmAnswer): ReplicatorOverviewLine[] {
  const what = 'replicator status';
  return rows(answer, what).map((row) => ({ field: text(row, 'field', what), value: text(row, 'value', what) }));
}

/** `replicator dsync-status`: one row per dsync connection slot (`replication_max_conns`). */
export function parseDsyncStatus(answer: DoveadmAnswer): DsyncSlot[] {
  const what = 'replicator dsync-status';
  return rows(answer, what).map((row) => ({
    username: text(row, 'username', what),
    type: text(row, 'type', what),
    status: text(row, 'status', what),
  }));
}

/** `replicator replicate`: `N users updated`. */
export function parseReplicateResult(answer: DoveadmAnswer): { usersUpdated: number } {
  const what = 'replicator replicate';
  const result = rows(answer, what).map((row) => text(row, 'result', what))[0] ?? '';
  const match = /^(\d+) users updated$/.exec(result);
  if (!match) throw new UnexpectedAnswerError(`${what}: unexpected result '${result}'`);
  return { usersUpdated: Number(match[1]) };
}

/** `user '*'`: how many users the userdb lists, and the first few. */
export function parseUserListing(answer: DoveadmAnswer): UserListing {
  let users: string[];
  if (answer.kind === 'lines') users = answer.lines.map((line) => line.trim()).filter((line) => line !== '');
  else {
    const list = (answer.value as { userList?: unknown } | null)?.userList;
    if (!Array.isArray(list) || list.some((user) => typeof user !== 'string'))
      throw new UnexpectedAnswerError("user '*': the answer has no userList");
    users = list as string[];
  }
  return { count: users.length, sample: users.slice(0, SAMPLE_SIZE) };
}
