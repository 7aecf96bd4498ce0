// The settings checks doveconf 2.3 runs once the whole configuration is parsed (the check_func of the settings
// structs of src/auth, src/master, src/lib-storage, ... @2.3.19.1 and Pigeonhole 0.5.19), for the global settings
// and for each protocol/local/remote filter. doveconf reports them without a line; messages are doveconf's.
// Each struct's checks run in the struct's order and stop at the first failure; a value we cannot read makes
// the struct's remaining checks say nothing.
import { eventFilterError23 } from './eventFilter23';
import { HASH_DIGEST_BITS, hashFormatError } from './hashFormat';
import { SYSLOG_FACILITIES } from './moreChecks24';
import { findSetting } from './schema';
import { parseBool, parseSize, parseTime, parseUint } from './valueCheck';

/** A setting's value in the checked scope (a top-level key), the default when unset; undefined when unknown. */
export type ValueOf23 = (key: string) => string | undefined;

/** Undefined: the check cannot tell (a value it cannot read); null: passes; a string: doveconf's message. */
type Verdict = string | null | undefined;

export interface StructCheck23 {
  /** The settings the struct's checks read: the finding is put on the first one the scope sets. */
  keys: readonly string[];
  /** The struct's checks in order; each returns a Verdict, and the first that is not `null` decides. */
  steps: readonly ((value: ValueOf23) => Verdict)[];
}

const UINT_MAX = 4294967295n;

function boolOf(value: string | undefined): boolean | undefined {
  return value === undefined ? undefined : parseBool(value).value;
}

function uintOf(value: string | undefined): bigint | undefined {
  return value === undefined ? undefined : parseUint(value).value;
}

function timeOf(value: string | undefined): bigint | undefined {
  return value === undefined ? undefined : parseTime(value, false).value;
}

function sizeOf(value: string | undefined): bigint | undefined {
  return value === undefined ? undefined : parseSize(value).value;
}

/** t_strsplit_spaces(value, separators): the words, or undefined when the value is unknown. */
const SEPARATOR_PATTERNS = new Map<string, RegExp>();

function words(value: string | undefined, separators = ' ,'): string[] | undefined {
  if (value === undefined) return undefined;
  let pattern = SEPARATOR_PATTERNS.get(separators);
  if (!pattern) SEPARATOR_PATTERNS.set(separators, (pattern = new RegExp(`[${separators}]+`)));
  return value.split(pattern).filter((word) => word !== '');
}

/** A list of names compared without case: the first unknown word gives `message(word)`. */
function knownWords(key: string, known: readonly string[], message: (word: string) => string) {
  return (value: ValueOf23): Verdict => {
    const list = words(value(key));
    if (list === undefined) return undefined;
    const unknown = list.find((word) => !known.includes(word.toLowerCase()));
    return unknown === undefined ? null : message(unknown);
  };
}

/** A check that fails when `fails` is true, is unknown when it is undefined. */
function when(fails: (value: ValueOf23) => boolean | undefined, message: string) {
  return (value: ValueOf23): Verdict => {
    const result = fails(value);
    return result === undefined ? undefined : result ? message : null;
  };
}

/** auth_verify_verbose_password(). */
function verbosePasswords(value: ValueOf23): Verdict {
  const verbose = value('auth_verbose_passwords');
  if (verbose === undefined) return undefined;
  const colon = verbose.indexOf(':');
  if (colon >= 0) {
    const truncation = verbose.slice(colon + 1);
    if (!/^\d+$/.test(truncation) || BigInt(truncation) === 0n || BigInt(truncation) > UINT_MAX)
      return `auth_verbose_passwords: Invalid truncation number: '${truncation}'`;
  }
  const word = colon >= 0 ? verbose.slice(0, colon) : verbose;
  return ['no', 'plain', 'sha1', 'yes'].includes(word) ? null : 'auth_verbose_passwords: Invalid value';
}

function authPolicy(value: ValueOf23): Verdict {
  const url = value('auth_policy_server_url');
  if (url === undefined) return undefined;
  if (url === '') return null;
  const nonce = value('auth_policy_hash_nonce');
  if (nonce === undefined) return undefined;
  if (nonce === '') return 'auth_policy_hash_nonce must be set when policy server is used';
  const mech = value('auth_policy_hash_mech');
  if (mech === undefined) return undefined;
  const bits = HASH_DIGEST_BITS[mech];
  if (bits === undefined) return 'invalid auth_policy_hash_mech given';
  const truncate = uintOf(value('auth_policy_hash_truncate'));
  if (truncate === undefined) return undefined;
  return truncate > 0n && truncate >= BigInt(bits)
    ? `policy_hash_truncate is not smaller than digest size (${truncate} >= ${bits})`
    : null;
}

/** A uid/gid range: last 0 means no limit. */
function validRange(kind: 'uid' | 'gid') {
  return (value: ValueOf23): Verdict => {
    const first = uintOf(value(`first_valid_${kind}`));
    const last = uintOf(value(`last_valid_${kind}`));
    if (first === undefined || last === undefined) return undefined;
    return last !== 0n && first > last ? `first_valid_${kind} can't be larger than last_valid_${kind}` : null;
  };
}

/** var_get_key(): after `%`, an offset/width and the modifiers (L U E X R H N M D T) come before the key. */
function varKey(format: string, start: number): { key: string; end: number } {
  const match = /^[0-9-]*(?:\.[0-9-]*)?[LUEXRHNMDT]*/.exec(format.slice(start))!;
  const end = start + match[0].length;
  return { key: format.charAt(end), end };
}

/** pop3_uidl_format: each `%` variable must be one of v, u, m, f, g (a `%{…}` name is `{`), and one is required. */
function uidlFormat(value: ValueOf23): Verdict {
  const format = value('pop3_uidl_format');
  if (format === undefined) return undefined;
  let ok = false;
  for (let i = 0; i < format.length; i++) {
    if (format[i] !== '%' || i + 1 >= format.length) continue;
    const { key, end } = varKey(format, i + 1);
    i = end;
    if ('vumfg'.includes(key) && key !== '') ok = true;
    else if (key === '') return undefined;
    else if (key !== '%') return `Unknown pop3_uidl_format variable: %${key}`;
  }
  return ok ? null : "pop3_uidl_format setting doesn't contain any %% variables.";
}

/** mail_attachment_hash: no '/', a format hash_format_init() reads, then no '-'. */
function attachmentHash(value: ValueOf23): Verdict {
  const hash = value('mail_attachment_hash');
  if (hash === undefined) return undefined;
  if (hash.includes('/')) return "mail_attachment_hash setting must not contain '/' characters";
  const formatError = hashFormatError(hash);
  if (formatError) return `Invalid mail_attachment_hash setting: ${formatError}`;
  return hash.includes('-') ? "mail_attachment_hash setting must not contain '-' characters" : null;
}

function attachmentOptions(value: ValueOf23): Verdict {
  const options = words(value('mail_attachment_detection_options'), ' ');
  if (options === undefined) return undefined;
  const known = ['add-flags', 'add-flags-on-save', 'no-flags-on-fetch', 'exclude-inlined'];
  const unknown = options.find((option) => !known.includes(option) && !option.startsWith('content-type='));
  return unknown === undefined ? null : `mail_attachment_detection_options: Unknown option: ${unknown}`;
}

const IMAPC_FEATURES = [
  'rfc822.size',
  'guid-forced',
  'fetch-headers',
  'gmail-migration',
  'search',
  'zimbra-workarounds',
  'no-examine',
  'proxyauth',
  'fetch-msn-workarounds',
  'fetch-fix-broken-mails',
  'modseq',
  'delay-login',
  'fetch-bodystructure',
  'send-id',
  'fetch-empty-is-expunged',
  'no-msn-updates',
  'acl',
];

function imapcFeatures(value: ValueOf23): Verdict {
  const features = words(value('imapc_features'));
  if (features === undefined) return undefined;
  for (const feature of features) {
    if (/^throttle:/i.test(feature)) {
      const parts = feature.slice('throttle:'.length).split(':');
      if (parts.length !== 3 || !parts.every((part) => /^\d+$/.test(part) && BigInt(part) <= UINT_MAX))
        return 'imapc_features: Invalid throttle settings';
    } else if (!IMAPC_FEATURES.includes(feature.toLowerCase())) return `imapc_features: Unknown feature: ${feature}`;
  }
  return null;
}

/** master_service_ssl_settings_check(); with ssl = no nothing is checked. */
function ssl(value: ValueOf23): Verdict {
  const mode = value('ssl');
  if (mode === undefined) return undefined;
  if (mode === 'no') return null;
  const verify = boolOf(value('ssl_verify_client_cert'));
  const ca = value('ssl_ca');
  if (verify === undefined || ca === undefined) return undefined;
  if (verify && ca === '') return 'ssl_verify_client_cert set, but ssl_ca not';
  const options = words(value('ssl_options'));
  if (options === undefined) return undefined;
  const unknown = options.find(
    (option) => !['compression', 'no_compression', 'no_ticket'].includes(option.toLowerCase()),
  );
  return unknown === undefined ? null : `ssl_options: unknown flag: '${unknown}'`;
}

function workarounds(key: string, known: readonly string[]): (value: ValueOf23) => Verdict {
  return knownWords(key, known, (word) => `${key}: Unknown workaround: ${word}`);
}

const GIGABYTE = 1024n * 1024n * 1024n;

/** setting_filter_parse(): an empty value is no filter. */
function eventFilterSetting(key: string) {
  return (value: ValueOf23): Verdict => {
    const filter = value(key);
    if (filter === undefined) return undefined;
    const error = filter === '' ? undefined : eventFilterError23(filter);
    return error === undefined ? null : `Invalid ${key}: ${error}`;
  };
}

/** The structs doveconf 2.3 checks in every scope, each with its checks in order. */
export const STRUCT_CHECKS_23: readonly StructCheck23[] = [
  {
    keys: [
      'auth_worker_max_count',
      'auth_cache_size',
      'auth_verbose_passwords',
      'auth_policy_server_url',
      'auth_policy_hash_nonce',
      'auth_policy_hash_mech',
      'auth_policy_hash_truncate',
    ],
    steps: [
      when(
        (value) => mapDefined(uintOf(value('auth_worker_max_count')), (count) => count === 0n),
        'auth_worker_max_count must be above zero',
      ),
      (value) => {
        const size = sizeOf(value('auth_cache_size'));
        if (size === undefined) return undefined;
        return size > 0n && size < 1024n ? `auth_cache_size value is too small (${size} bytes)` : null;
      },
      verbosePasswords,
      authPolicy,
    ],
  },
  {
    keys: ['listen', 'first_valid_uid', 'last_valid_uid', 'first_valid_gid', 'last_valid_gid'],
    steps: [
      when((value) => mapDefined(value('listen'), (listen) => listen === ''), "listen can't be set empty"),
      validRange('uid'),
      validRange('gid'),
    ],
  },
  {
    keys: ['syslog_facility', 'log_debug', 'log_core_filter', 'process_shutdown_filter'],
    steps: [
      (value) => {
        const facility = value('syslog_facility');
        if (facility === undefined) return undefined;
        return SYSLOG_FACILITIES.includes(facility) ? null : `Unknown syslog_facility: ${facility}`;
      },
      eventFilterSetting('log_debug'),
      eventFilterSetting('log_core_filter'),
      eventFilterSetting('process_shutdown_filter'),
    ],
  },
  {
    keys: [
      'mailbox_idle_check_interval',
      'mail_nfs_index',
      'mmap_disable',
      'mail_fsync',
      'mail_cache_max_size',
      'mail_cache_purge_delete_percentage',
      'pop3_uidl_format',
      'mail_attachment_hash',
      'mail_attachment_detection_options',
    ],
    steps: [
      when(
        (value) => mapDefined(timeOf(value('mailbox_idle_check_interval')), (time) => time === 0n),
        'mailbox_idle_check_interval must not be 0',
      ),
      (value) => {
        const nfsIndex = boolOf(value('mail_nfs_index'));
        if (nfsIndex === undefined) return undefined;
        if (!nfsIndex) return null;
        const mmapDisable = boolOf(value('mmap_disable'));
        const fsync = value('mail_fsync');
        if (mmapDisable === undefined || fsync === undefined) return undefined;
        if (!mmapDisable) return 'mail_nfs_index=yes requires mmap_disable=yes';
        return fsync === 'always' ? null : 'mail_nfs_index=yes requires mail_fsync=always';
      },
      when(
        (value) => mapDefined(sizeOf(value('mail_cache_max_size')), (size) => size > GIGABYTE),
        "mail_cache_max_size can't be over 1 GB",
      ),
      when(
        (value) => mapDefined(uintOf(value('mail_cache_purge_delete_percentage')), (percent) => percent > 100n),
        "mail_cache_purge_delete_percentage can't be over 100",
      ),
      uidlFormat,
      attachmentHash,
      attachmentOptions,
    ],
  },
  {
    keys: ['pop3_client_workarounds', 'pop3_delete_type', 'pop3_deleted_flag'],
    steps: [
      workarounds('pop3_client_workarounds', ['outlook-no-nuls', 'oe-ns-eoh']),
      (value) => {
        const type = value('pop3_delete_type');
        const flag = value('pop3_deleted_flag');
        if (type === undefined || flag === undefined) return undefined;
        return type === 'flag' && flag === '' ? 'pop3_delete_type=flag, but pop3_deleted_flag not set' : null;
      },
    ],
  },
  {
    keys: ['imap_client_workarounds'],
    steps: [workarounds('imap_client_workarounds', ['delay-newmail', 'tb-extra-mailbox-sep', 'tb-lsub-flags'])],
  },
  {
    keys: ['lmtp_client_workarounds'],
    steps: [workarounds('lmtp_client_workarounds', ['whitespace-before-path', 'mailbox-for-path'])],
  },
  {
    keys: ['submission_client_workarounds'],
    steps: [
      workarounds('submission_client_workarounds', [
        'whitespace-before-path',
        'mailbox-for-path',
        'implicit-auth-external',
        'exotic-backend',
      ]),
    ],
  },
  // Pigeonhole 0.5.19 knows no ManageSieve workaround: every word is refused.
  { keys: ['managesieve_client_workarounds'], steps: [workarounds('managesieve_client_workarounds', [])] },
  {
    keys: ['dsync_hashed_headers', 'dsync_alt_char', 'dsync_features'],
    steps: [
      when(
        (value) => mapDefined(value('dsync_hashed_headers'), (headers) => headers === ''),
        'dsync_hashed_headers must not be empty',
      ),
      when((value) => mapDefined(value('dsync_alt_char'), (char) => char === ''), 'dsync_alt_char must not be empty'),
      knownWords('dsync_features', ['empty-header-workaround'], (word) => `dsync_features: Unknown feature: ${word}`),
    ],
  },
  {
    keys: ['imapc_max_idle_time', 'imapc_features'],
    steps: [
      when(
        (value) => mapDefined(timeOf(value('imapc_max_idle_time')), (time) => time === 0n),
        'imapc_max_idle_time must not be 0',
      ),
      imapcFeatures,
    ],
  },
  {
    keys: ['pop3c_features'],
    steps: [knownWords('pop3c_features', ['no-pipelining'], (word) => `pop3c_features: Unknown feature: ${word}`)],
  },
  { keys: ['ssl', 'ssl_verify_client_cert', 'ssl_ca', 'ssl_options'], steps: [ssl] },
  {
    keys: ['director_user_expire'],
    steps: [
      when(
        (value) => mapDefined(timeOf(value('director_user_expire')), (time) => time < 10n),
        'director_user_expire is too low',
      ),
    ],
  },
];

/** A block's failure about other settings than its check's `keys`: none puts it on the block's header. */
export interface SectionFailure23 {
  message: string;
  keys: readonly string[];
  /** Not a message of doveconf's: doveconf (and Dovecot) die on the value without one. */
  crash?: true;
}

/** A block's checks: its own values (or the block's defaults) and its name. */
export interface SectionCheck23 {
  /** The block's settings context, e.g. `namespace/mailbox`. */
  context: string;
  /** The setting the block's name sets: a line of the block that sets it renames the block. */
  nameKey?: string;
  /** The settings the finding is put on, the first the block sets. */
  keys: readonly string[];
  /** Every setting `fails` reads. */
  reads: readonly string[];
  fails: (value: ValueOf23, name: string) => string | SectionFailure23 | undefined;
}

const SPECIAL_USE = ['all', 'archive', 'drafts', 'flagged', 'important', 'junk', 'sent', 'trash'].map(
  (use) => `\\${use}`,
);

/** str_to_intmax(). */
function intmaxOf(text: string): bigint | undefined {
  if (!/^-?\d+$/.test(text)) return undefined;
  const number = BigInt(text);
  return number >= -(2n ** 63n) && number < 2n ** 63n ? number : undefined;
}

/** parse_metric_group_by_common(): the three numbers of an exponential or linear function. */
function groupByNumbers(func: string, params: readonly string[]): string | bigint[] {
  const numbers = params.map(intmaxOf);
  if (params.length !== 3 || numbers.some((number) => number === undefined))
    return `group_by '${func}' aggregate function takes 3 int args`;
  const [min, max, other] = numbers as bigint[];
  if (min < 0n || max < 0n || other < 0n) return `group_by '${func}' aggregate function arguments must be >= 0`;
  if (min >= max) return `group_by '${func}' aggregate function min must be < max (${min} must be < ${max})`;
  return [min, max, other];
}

/** parse_metric_group_by(): each word is `field`, `field:discrete`, `field:exponential:…` or `field:linear:…`. */
function groupByError(groupBy: string): string | SectionFailure23 | undefined {
  for (const word of words(groupBy, ' ')!) {
    const [field, func, ...params] = word.split(':');
    if (func === undefined) continue;
    if (func === 'discrete') {
      if (params.length > 0) return "group_by 'discrete' aggregate function does not take any args";
    } else if (func === 'exponential' || func === 'linear') {
      const numbers = groupByNumbers(func, params);
      if (typeof numbers === 'string') return numbers;
      const [min, max, other] = numbers;
      if (func === 'exponential' && other !== 2n && other !== 10n)
        return `group_by 'exponential' aggregate function base must be one of: 2, 10 (base=${other})`;
      if (func === 'linear' && min + other > max)
        return `group_by 'linear' aggregate function min+step must be <= max (${min + other} must be <= ${max})`;
      // A linear step of 0 divides by zero (parse_metric_group_by_lin@2.3.19): doveconf and Dovecot die of it.
      if (func === 'linear' && other === 0n)
        return {
          message: `group_by '${word}': a linear step of 0 makes doveconf and Dovecot die while reading the configuration (Floating point exception, no message): the step must be 1 or more`,
          keys: ['group_by'],
          crash: true,
        };
    } else return `unknown aggregation function '${func}' on field '${field}'`;
  }
  return undefined;
}

/** stats_metric_settings_check(). */
function metricError(value: ValueOf23, name: string): string | SectionFailure23 | undefined {
  if (name === '') return { message: "Metric name can't be empty", keys: ['metric_name'] };
  const filter = value('filter');
  if (filter === undefined) return undefined;
  if (filter === '') return `metric ${name} { filter } is empty - will not match anything`;
  const filterError = eventFilterError23(filter);
  if (filterError !== undefined) return filterError;
  const groupBy = value('group_by');
  const groupError = groupBy === undefined ? undefined : groupByError(groupBy);
  return typeof groupError === 'string' ? { message: groupError, keys: ['group_by'] } : groupError;
}

const EXPORTER_FORMATS: Readonly<Record<string, boolean>> = { none: false, json: true, 'tab-text': true };
const EXPORTER_TIME_FORMATS = ['time-rfc3339', 'time-unix'];

/** stats_exporter_settings_check(). */
function exporterError(value: ValueOf23, name: string): string | SectionFailure23 | undefined {
  if (name === '') return { message: "Exporter name can't be empty", keys: ['name'] };
  const format = value('format');
  if (format === undefined) return undefined;
  if (format === '') return "Exporter format name can't be empty";
  if (!Object.hasOwn(EXPORTER_FORMATS, format)) return `Unknown exporter format '${format}'`;
  const transport = value('transport');
  if (transport === undefined) return undefined;
  if (transport === '') return { message: "Exporter transport name can't be empty", keys: ['transport'] };
  if (!['drop', 'http-post', 'log'].includes(transport))
    return { message: `Unknown transport type '${transport}'`, keys: ['transport'] };
  const args = words(value('format_args'), ' ');
  if (args === undefined) return undefined;
  for (const arg of args) {
    if (!EXPORTER_TIME_FORMATS.includes(arg))
      return { message: `Unknown exporter format arg: ${arg}`, keys: ['format_args'] };
    if (arg !== args[0])
      return { message: `Exporter '${name}' specifies multiple time format args`, keys: ['format_args'] };
  }
  return EXPORTER_FORMATS[format] && args.length === 0
    ? { message: `${format} exporter format requires a time-* argument`, keys: ['format_args', 'format'] }
    : undefined;
}

/** The checks of blocks doveconf 2.3 runs, by block type. */
export const SECTION_CHECKS_23: Readonly<Record<string, SectionCheck23>> = {
  passdb: {
    context: 'passdb',
    keys: ['driver'],
    reads: ['driver'],
    fails: (value) => (value('driver') === '' ? 'passdb is missing driver' : undefined),
  },
  userdb: {
    context: 'userdb',
    keys: ['driver'],
    reads: ['driver'],
    fails: (value) => (value('driver') === '' ? 'userdb is missing driver' : undefined),
  },
  // namespace_settings_check(): the namespace is named by its prefix.
  namespace: {
    context: 'namespace',
    keys: ['separator'],
    reads: ['separator', 'prefix'],
    fails: (value) => {
      const separator = value('separator');
      const prefix = value('prefix');
      if (separator === undefined || prefix === undefined) return undefined;
      return Buffer.byteLength(separator) > 1
        ? `Namespace '${prefix}': Hierarchy separator must be only one character long`
        : undefined;
    },
  },
  // mailbox_special_use_check(): the block's name is the mailbox name.
  mailbox: {
    context: 'namespace/mailbox',
    keys: ['special_use'],
    reads: ['special_use'],
    fails: (value, name) => {
      const unknown = words(value('special_use'), ' ')?.find((use) => !SPECIAL_USE.includes(use.toLowerCase()));
      return unknown === undefined ? undefined : `mailbox ${name}: unknown special_use: ${unknown}`;
    },
  },
  // master_settings_parse_type().
  service: {
    context: 'service',
    keys: ['type'],
    reads: ['type'],
    fails: (value) => {
      const type = value('type');
      return type === undefined || ['', 'log', 'config', 'anvil', 'login', 'startup', 'worker'].includes(type)
        ? undefined
        : `Unknown service type: ${type}`;
    },
  },
  metric: {
    context: 'metric',
    nameKey: 'metric_name',
    keys: ['filter'],
    reads: ['metric_name', 'filter', 'group_by'],
    fails: metricError,
  },
  event_exporter: {
    context: 'event_exporter',
    nameKey: 'name',
    keys: ['format'],
    reads: ['name', 'format', 'transport', 'format_args'],
    fails: exporterError,
  },
};

function mapDefined<T, R>(value: T | undefined, map: (defined: T) => R): R | undefined {
  return value === undefined ? undefined : map(value);
}

/** The failing message of one struct's checks, or undefined when they pass or cannot tell. */
export function structCheckError23(check: StructCheck23, value: ValueOf23): string | undefined {
  for (const step of check.steps) {
    const verdict = step(value);
    if (verdict !== null) return verdict;
  }
  return undefined;
}

/** The 2.3 default of a top-level setting. */
export function default23(key: string): string | undefined {
  return findSetting('', key)?.default;
}
