// The doveadm commands an admin runs on a replication pair, built once for both transports: the
// `doveadm` command line (argument array, `-f json` where doveadm prints JSON) and the doveadm HTTP API
// (`[command, parameters, tag]`, parameter names are the long option names in camelCase). Names and
// parameters are those of Dovecot 2.3's doveadm_cmd_ver2 tables (doveadm-replicator.c,
// doveadm-auth-server.c `user`, doveadm-master.c `reload`).

export type DoveadmParameter = string | boolean | string[];

export interface DoveadmRequest {
  /** The command as an admin types it after `doveadm`, for messages. */
  title: string;
  /** Arguments after `doveadm [-f json]`. */
  args: string[];
  /** Whether the command line prints through doveadm's formatter (`-f json` applies). */
  formatted: boolean;
  /** The HTTP API's command name and parameters. */
  httpCommand: string;
  parameters: Record<string, DoveadmParameter>;
}

export type ReplicationPriority = 'low' | 'high';

export class InvalidUserMaskError extends Error {}

/** A user mask is one argument: never empty, never an option, no control characters. */
export function checkUserMask(mask: string): string {
  if (mask === '') throw new InvalidUserMaskError('the user mask is empty (use * for every user)');
  if (mask.startsWith('-'))
    throw new InvalidUserMaskError(`the user mask '${mask}' starts with '-' and would be read as an option`);
  // eslint-disable-next-line no-control-regex
  if (/[\x00-\x1f\x7f]/.test(mask)) throw new InvalidUserMaskError('the user mask contains control characters');
  return mask;
}

export function replicatorStatusRequest(userMask?: string): DoveadmRequest {
  const mask = userMask === undefined ? undefined : checkUserMask(userMask);
  return {
    title: mask === undefined ? 'replicator status' : `replicator status '${mask}'`,
    args: ['replicator', 'status', ...(mask === undefined ? [] : [mask])],
    formatted: true,
    httpCommand: 'replicatorStatus',
    parameters: mask === undefined ? {} : { userMask: mask },
  };
}

export function dsyncStatusRequest(): DoveadmRequest {
  return {
    title: 'replicator dsync-status',
    args: ['replicator', 'dsync-status'],
    formatted: true,
    httpCommand: 'replicatorDsyncStatus',
    parameters: {},
  };
}

export interface ReplicateOptions {
  userMask: string;
  fullSync?: boolean;
  priority?: ReplicationPriority;
}

export function replicateRequest(options: ReplicateOptions): DoveadmRequest {
  const mask = checkUserMask(options.userMask);
  const flags = [...(options.fullSync ? ['-f'] : []), ...(options.priority ? ['-p', options.priority] : [])];
  return {
    title: ['replicator replicate', ...flags, `'${mask}'`].join(' '),
    args: ['replicator', 'replicate', ...flags, mask],
    formatted: true,
    httpCommand: 'replicatorReplicate',
    parameters: {
      userMask: mask,
      ...(options.fullSync ? { fullSync: true } : {}),
      ...(options.priority ? { priority: options.priority } : {}),
    },
  };
}

/** `doveadm user '*'`: the userdb iteration the replicator's full syncs depend on. Its command line prints plain lines. */
export function userListRequest(userMask = '*'): DoveadmRequest {
  const mask = checkUserMask(userMask);
  return {
    title: `user '${mask}'`,
    args: ['user', mask],
    formatted: false,
    httpCommand: 'user',
    parameters: { userMask: [mask] },
  };
}

export function reloadRequest(): DoveadmRequest {
  return { title: 'reload', args: ['reload'], formatted: false, httpCommand: 'reload', parameters: {} };
}

/** The HTTP API body for one request. */
export function httpBody(request: DoveadmRequest, tag: string): string {
  return JSON.stringify([[request.httpCommand, request.parameters, tag]]);
}
