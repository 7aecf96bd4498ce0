// Turns what went wrong talking to a Dovecot host into one sentence saying what failed and a list of
// what to check, in Dovecot's terms (listener port and ssl, API key, doveadm_password, the
// replicator-doveadm socket). Never a stack trace, never an empty answer passed off as "no users".

export interface LiveFailure {
  /** One sentence: what failed, on which host or program. */
  what: string;
  /** doveadm's or the server's own words, when there are some. */
  detail?: string;
  /** What the admin should look at, most likely first. */
  check: string[];
}

export interface HttpProblem {
  url: string;
  command: string;
  /** Node's error code for a failed connection (ECONNREFUSED, ETIMEDOUT, ERR_SSL_..., ...). */
  errorCode?: string;
  errorMessage?: string;
  /** HTTP status when the server answered with something other than 200. */
  status?: number;
  /** doveadm's `["error", {"type": ..., "exitCode": ...}]` answer. */
  doveadmError?: { type: string; exitCode: number };
  timedOut?: boolean;
  /** After a hang-up: whether the same listener answered the API's command list (so the command itself died). */
  listenerAnswers?: boolean;
}

export interface LocalProblem {
  binary: string;
  command: string;
  /** spawn's error code (ENOENT: no such program, EACCES: not executable). */
  spawnCode?: string;
  exitCode?: number | null;
  timedOut?: boolean;
  timeoutSeconds?: number;
  stderr?: string;
}

const LISTENER_CHECKS = [
  'service doveadm { inet_listener http { port = ... } } exists on that host and Dovecot was reloaded after adding it',
  "the listener's address (or the global listen) includes the address in the URL, and no firewall blocks the port",
];
const REPLICATOR_SOCKET_CHECKS = [
  'service replicator is running (process_min_avail = 1) and its unix_listener replicator-doveadm has mode = 0600 (mode 0 creates no socket)',
  'the replicator-doveadm socket is accessible to the user doveadm runs as (its user = setting)',
];

/** Dovecot's sysexits-style exit codes, as doveadm uses them. */
const EXIT_CODES: Record<number, string> = {
  64: 'usage error',
  65: 'bad input',
  67: 'no such user',
  68: 'no such host',
  69: 'service unavailable',
  73: 'cannot create',
  75: 'temporary failure',
  77: 'permission denied',
  78: 'configuration error',
  89: 'fatal error',
};

export function describeExitCode(code: number): string {
  return EXIT_CODES[code] ? `exit code ${code}, ${EXIT_CODES[code]}` : `exit code ${code}`;
}

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}

const TLS_CODE =
  /^(ERR_SSL_|EPROTO$|DEPTH_ZERO_SELF_SIGNED_CERT$|SELF_SIGNED_CERT_IN_CHAIN$|UNABLE_TO_VERIFY_LEAF_SIGNATURE$|UNABLE_TO_GET_ISSUER_CERT|CERT_|ERR_TLS_CERT_ALTNAME_INVALID$)/;

export function describeHttpProblem(problem: HttpProblem): LiveFailure {
  const where = hostOf(problem.url);
  const on = `doveadm ${problem.command} over the HTTP API of ${where}`;
  const https = problem.url.startsWith('https:');
  if (problem.timedOut) {
    return { what: `${on} got no answer in time`, check: [...LISTENER_CHECKS, 'the host is up and not overloaded'] };
  }
  if (problem.errorCode === 'ECONNREFUSED') {
    return { what: `Nothing accepts connections on ${where} (connection refused)`, check: LISTENER_CHECKS };
  }
  if (problem.errorCode === 'ENOTFOUND' || problem.errorCode === 'EAI_AGAIN') {
    return {
      what: `The host name in ${problem.url} does not resolve`,
      detail: problem.errorMessage,
      check: ['the URL in the dovecot.live.hosts setting'],
    };
  }
  if (problem.errorCode === 'EHOSTUNREACH' || problem.errorCode === 'ENETUNREACH') {
    return {
      what: `${where} cannot be reached from this machine`,
      detail: problem.errorMessage,
      check: ['the network route and firewall between this machine and the host'],
    };
  }
  if (problem.errorCode && TLS_CODE.test(problem.errorCode)) {
    return {
      what: `The TLS handshake with ${where} failed`,
      detail: problem.errorMessage,
      check: https
        ? [
            'the http listener has ssl = yes (an https:// URL needs it; use http:// for ssl = no)',
            'the CA file configured for this host signed the certificate of the listener (the global ssl_cert), and the certificate names the host of the URL',
          ]
        : ['the http listener has ssl = no (an ssl = yes listener needs an https:// URL)'],
    };
  }
  if (problem.errorCode === 'ECONNRESET' && problem.listenerAnswers === true) {
    return {
      what: `${on}: doveadm on that host died running the command (the HTTP API itself answers)`,
      check: [
        ...(problem.command.startsWith('replicator') ? REPLICATOR_SOCKET_CHECKS : []),
        "the host's log: doveadm(...): Fatal: ... names the cause",
      ],
    };
  }
  if (
    problem.errorCode === 'ECONNRESET' ||
    problem.errorCode === 'HPE_INVALID_CONSTANT' ||
    problem.errorCode === 'HPE_INVALID_METHOD'
  ) {
    return {
      what: `${where} closed the connection without an HTTP answer`,
      detail: problem.errorMessage,
      check: [
        https
          ? 'the http listener has ssl = yes (an https:// URL needs it)'
          : 'the http listener has ssl = no (an ssl = yes listener needs an https:// URL)',
        'the port is the doveadm inet_listener named http, not the unnamed dsync listener',
      ],
    };
  }
  if (problem.status === 401) {
    return {
      what: `${where} refused the API key (401 Authentication required)`,
      check: [
        'the API key stored for this host equals doveadm_api_key on the host (byte for byte)',
        'doveadm_api_key is set on the host (without it, the X-Dovecot-API scheme is disabled)',
      ],
    };
  }
  if (problem.status === 500) {
    return {
      what: `${where} answered 500 Internal Server Error`,
      check: [
        'doveadm_api_key (or doveadm_password) is set on the host: without either, the HTTP API refuses every request',
        "the host's log (doveadm: Error: ...)",
      ],
    };
  }
  if (problem.status !== undefined) {
    return {
      what: `${where} answered HTTP ${problem.status} to ${on}`,
      check: ['the URL points at the doveadm http listener (path /doveadm/v1 is added automatically)'],
    };
  }
  if (problem.doveadmError) return describeDoveadmError(on, problem.doveadmError, problem.command);
  return { what: `${on} failed`, detail: problem.errorMessage, check: LISTENER_CHECKS };
}

function describeDoveadmError(on: string, error: { type: string; exitCode: number }, command: string): LiveFailure {
  if (error.type === 'unknownMethod') {
    return {
      what: `${on}: this Dovecot has no such command`,
      check: ['the host runs Dovecot 2.3 (Dovecot 2.4 removed the replicator)'],
    };
  }
  if (error.type === 'unAuthorized') {
    return {
      what: `${on}: the command is not allowed`,
      check: ['doveadm_allowed_commands on the host (empty allows every command)'],
    };
  }
  if (error.type === 'invalidRequest')
    return { what: `${on}: doveadm rejected the request's parameters`, check: ['the host runs Dovecot 2.3'] };
  const checks = command.startsWith('replicator')
    ? REPLICATOR_SOCKET_CHECKS
    : command.startsWith('user')
      ? ['the userdb can list users (passwd-file, sql with iterate_query, ldap with iterate_attrs; not static)']
      : [];
  return {
    what: `${on} failed (${describeExitCode(error.exitCode)})`,
    check: [...checks, "the host's log (doveadm: Error: ...)"],
  };
}

/** The `Error:`/`Fatal:` lines doveadm printed, without the `doveadm(user): ` prefix. */
export function doveadmErrorLines(stderr: string): string[] {
  return stderr
    .split('\n')
    .map((line) => /\b(?:Fatal|Error|Panic): (.*)$/.exec(line)?.[1]?.trim())
    .filter((line): line is string => line !== undefined && line !== '');
}

export function describeLocalProblem(problem: LocalProblem): LiveFailure {
  const on = `${problem.binary} ${problem.command}`;
  if (problem.spawnCode === 'ENOENT') {
    return {
      what: `${problem.binary} was not found on this machine`,
      check: [
        'Dovecot (dovecot-core) is installed here',
        'the dovecot.live.doveadmPath / doveconfPath setting (or --doveadm / --doveconf) names the program',
      ],
    };
  }
  if (problem.spawnCode === 'EACCES')
    return { what: `${problem.binary} cannot be executed`, check: ['the program path and its permissions'] };
  if (problem.spawnCode)
    return { what: `${on} could not be started (${problem.spawnCode})`, check: ['the program path'] };
  if (problem.timedOut) {
    return {
      what: `${on} did not finish within ${problem.timeoutSeconds ?? '?'} s and was stopped`,
      check: ['Dovecot is running on this machine', ...REPLICATOR_SOCKET_CHECKS],
    };
  }
  const errors = doveadmErrorLines(problem.stderr ?? '');
  const detail = errors.join('\n') || (problem.stderr ?? '').trim() || undefined;
  const exit =
    problem.exitCode === undefined || problem.exitCode === null
      ? 'was killed'
      : `failed (${describeExitCode(problem.exitCode)})`;
  const what = `${on} ${exit}`;
  const socket = /net_connect_unix\((.*replicator-doveadm)\) failed: (.*)$/m.exec(detail ?? '');
  if (socket) {
    const reason = socket[2];
    if (/Permission denied/.test(reason))
      return {
        what: `${what}: no permission on ${socket[1]}`,
        detail,
        check: ['run doveadm as root or as the user of unix_listener replicator-doveadm (its user = and mode =)'],
      };
    return {
      what: `${what}: the replicator socket ${socket[1]} is not there (${reason})`,
      detail,
      check: REPLICATOR_SOCKET_CHECKS,
    };
  }
  if (/net_connect_unix\(.*\) failed: Permission denied/.test(detail ?? '') || /Permission denied/.test(detail ?? '')) {
    return {
      what: `${what}: permission denied`,
      detail,
      check: ['run it as root (or the user that owns the Dovecot sockets and configuration)'],
    };
  }
  if (/user listing failed|Trying to iterate users/.test(detail ?? '')) {
    return {
      what: `${what}: the userdb cannot list users`,
      detail,
      check: [
        'use a userdb that can iterate (passwd-file, sql with iterate_query, ldap with iterate_attrs): without it the replicator never does full syncs',
      ],
    };
  }
  if (/Error in configuration file|Fatal: .*\.conf/.test(detail ?? '')) {
    return {
      what: `${what}: the configuration does not load`,
      detail,
      check: ['Dovecot: Check with doveconf (dovecot-replication check ROOT)'],
    };
  }
  return { what, detail, check: ["Dovecot's log on this machine"] };
}

/** The failure as plain text lines: what failed, doveadm's words, then `check: ...` lines. */
export function formatFailure(failure: LiveFailure): string[] {
  return [
    failure.what,
    ...(failure.detail ? failure.detail.split('\n').map((line) => `  ${line}`) : []),
    ...failure.check.map((item) => `  check: ${item}`),
  ];
}
