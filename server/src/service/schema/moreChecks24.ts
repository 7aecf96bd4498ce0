// More of the settings checks doveconf 2.4.4 runs after parsing (check_func of the settings structs of
// syslog and the event filters, metrics, submission, mail_log, imapc, the HTTP client and Pigeonhole's
// extensions), as rows of filterChecks24(). Each reads the filter's last value of a setting (or the
// default); a value we cannot read (from `$ENV:`, `$SET:`, a file, quoted list words) makes the check
// say nothing.
import type { FilterCheck24, ValueOf } from './filterChecks24';
import { smtpPathRefused } from './smtpPath24';
import { eventFilterError24 } from './eventFilter24';
import { HASH_DIGEST_BITS, hashFormatError } from './hashFormat';
import { findSetting24 } from './schema24';
import { parseSize, parseTime } from './valueCheck';
import { firstRefusedWord24, listWords24, UNKNOWN_VALUE_24 } from './valueCheck24';

/** The syslog facilities doveconf 2.3 and 2.4 know (syslog_facility_find()). */
export const SYSLOG_FACILITIES = [
  'auth',
  'authpriv',
  'cron',
  'daemon',
  'ftp',
  'kern',
  'lpr',
  'mail',
  'news',
  'syslog',
  'uucp',
  'user',
  'local0',
  'local1',
  'local2',
  'local3',
  'local4',
  'local5',
  'local6',
  'local7',
];

/** The event filters master_service_settings_check() parses, in its order. */
const EVENT_FILTER_KEYS = ['log_debug', 'log_core_filter', 'process_shutdown_filter'];
/** The settings doveconf parses as event filters after reading the configuration (also a metric's filter). */
export const EVENT_FILTER_SETTINGS_24: readonly string[] = [...EVENT_FILTER_KEYS, 'metric_filter'];
const SUBMISSION_WORKAROUNDS = [
  'whitespace-before-path',
  'mailbox-for-path',
  'implicit-auth-external',
  'exotic-backend',
];
const MAIL_LOG_FIELDS = ['uid', 'box', 'msgid', 'size', 'vsize', 'flags', 'from', 'subject'];
const MAIL_LOG_EVENTS = [
  'delete',
  'undelete',
  'expunge',
  'save',
  'copy',
  'mailbox_create',
  'mailbox_delete',
  'mailbox_rename',
  'flag_change',
  'append',
];
const IMAPC_FEATURES = [
  'no-fetch-headers',
  'gmail-migration',
  'no-search',
  'zimbra-workarounds',
  'no-examine',
  'proxyauth',
  'fetch-msn-workarounds',
  'fetch-fix-broken-mails',
  'no-modseq',
  'no-delay-login',
  'no-fetch-bodystructure',
  'send-id',
  'fetch-empty-is-expunged',
  'no-msn-updates',
  'no-acl',
];
/** sieve_address_source_parse(): the keywords; anything else must be an SMTP path `<…>`. */
const ADDRESS_SOURCES = ['default', 'sender', 'recipient', 'orig_recipient', 'user_email', 'postmaster'];
/** `unlimited` in a struct: UINT_MAX for numbers and times (SET_TIME_INFINITE), 2^64-1 for sizes. */
const UNLIMITED = 2n ** 32n - 1n;
const UNLIMITED_SIZE = 2n ** 64n - 1n;
const EXPORTER_FORMATS = ['none', 'json', 'tab-text'];

/**
 * ext_extlists_name_normalize(): a list name is a `urn:` or `tag:` URI (a leading `:` stands for the
 * Sieve URN prefix). We judge only the scheme; the URN and tag URI syntax checks are left to Dovecot.
 */
function extlistsNameError(name: string): string | undefined {
  if (name.startsWith(':')) return undefined;
  const scheme = /^[A-Za-z][A-Za-z0-9+.-]{0,63}:/.exec(name);
  if (scheme === null) return 'Invalid URI scheme';
  const lowered = scheme[0].slice(0, -1).toLowerCase();
  return lowered === 'urn' || lowered === 'tag' ? undefined : `${lowered}: scheme not supported for external list name`;
}

function structOf(key: string): string {
  const struct = findSetting24(key)?.structs?.[0];
  if (struct === undefined) throw new Error(`no settings struct for ${key}`);
  return struct;
}

function isUnlimited(value: string): boolean {
  return value === 'unlimited' || value === 'infinite';
}

/** A number, time (in seconds or msecs) or size as the struct holds it; undefined when we cannot read it. */
function timeOf(value: string | undefined, milliseconds: boolean): bigint | undefined {
  if (value === undefined) return undefined;
  return isUnlimited(value) ? UNLIMITED : parseTime(value, milliseconds).value;
}

function sizeOf(value: string | undefined): bigint | undefined {
  if (value === undefined) return undefined;
  return isUnlimited(value) ? UNLIMITED_SIZE : parseSize(value).value;
}

function uintOf(value: string | undefined): bigint | undefined {
  if (value === undefined) return undefined;
  if (isUnlimited(value)) return UNLIMITED;
  return /^\d+$/.test(value) ? BigInt(value) : undefined;
}

/** A check over one list setting: the first word `accepted` refuses gives `message(word)`. */
function eachWord(key: string, accepted: (word: string) => boolean, message: (word: string) => string): FilterCheck24 {
  return {
    struct: structOf(key),
    keys: [key],
    wordList: true,
    fails: (value) => {
      const refused = firstRefusedWord24(key, value(key), accepted);
      return refused !== undefined ? message(refused) : undefined;
    },
  };
}

/**
 * The settings structs Pigeonhole reads when doveconf initialises Sieve to list the ManageSieve capabilities
 * (managesieve-login's config hook, with the global settings): the core's and those of the extensions it
 * enables by default. A failing check of one of them in the global filter fails that initialisation first.
 */
export const SIEVE_INIT_STRUCTS_24: ReadonlySet<string> = new Set([
  'sieve',
  'sieve_include',
  'sieve_duplicate',
  'sieve_vacation',
  'sieve_subaddress',
  'sieve_variables',
  'sieve_notify_mailto',
]);

/** With all three set in the global filter, doveconf does not initialise Sieve to list them. */
export const SIEVE_CAPABILITY_KEYS_24 = [
  'managesieve_sieve_capability',
  'managesieve_notify_capability',
  'managesieve_extlists_capability',
] as const;

/** What doveconf says when a check of Sieve's settings fails as it initialises Sieve; it logs the cause before. */
export const SIEVE_INIT_FAILED_24 = 'Failed to initialize Sieve';

/** doveconf's message and, in parentheses, its logged cause (the struct's message). */
export function sieveInitFailure24(struct: string, message: string): string {
  return `${SIEVE_INIT_FAILED_24} (${struct} settings: ${message})`;
}

/**
 * sieve_address_source_parse(): a keyword, or an SMTP path (smtpPath24.ts), trimmed and in lower case. A
 * `<file` value is judged as the text `<path` that doveconf -n keeps: it fails unless that reads as a path.
 */
function addressSourceRefused(value: string | undefined): boolean {
  if (value === undefined) return false;
  const source = value.replace(/^[\t ]+|[\t ]+$/g, '').toLowerCase();
  return source !== '' && !ADDRESS_SOURCES.includes(source) && smtpPathRefused(source) === true;
}

function addressSource(key: string): FilterCheck24 {
  return {
    struct: structOf(key),
    keys: [key],
    fails: (value) =>
      addressSourceRefused(value(key)) ? `${key}: Invalid address source '${value(key)!}'` : undefined,
  };
}

/** imapc_settings_parse_features(): `no-…` may name an IMAP capability, which we do not judge. */
function imapcFeatureError(word: string): string | undefined {
  if (word.startsWith('throttle:')) {
    const parts = word.slice('throttle:'.length).split(':');
    return parts.length === 3 && parts.every((part) => /^\d+$/.test(part))
      ? undefined
      : 'imapc_features: Invalid throttle settings';
  }
  if (IMAPC_FEATURES.includes(word) || word.startsWith('no-')) return undefined;
  return `imapc_features: Unknown feature: ${word}`;
}

/** http_url_parse() refuses a URL without a scheme as relative; we judge only those. */
function isRelativeUrl(url: string): boolean {
  return !/^[A-Za-z][A-Za-z0-9+.-]*:/.test(url);
}

/** smtp_address_parse_path() errors we are sure of: a plain local part with no domain. */
function userEmailError(email: string | undefined): string | undefined {
  const plain = /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~.-]+$/;
  if (email === undefined || email === '') return undefined;
  if (plain.test(email)) return `sieve_user_email: Invalid SMTP address '${email}': Missing domain`;
  if (email.endsWith('@') && plain.test(email.slice(0, -1)))
    return `sieve_user_email: Invalid SMTP address '${email}': Missing domain after '@'`;
  return undefined;
}

/** http_client_settings_check(); a proxy URL is parsed first, so with one set we do not judge. */
function httpClientError(value: ValueOf): string | undefined {
  const proxy = value('http_client_proxy_url');
  if (proxy !== '')
    return proxy !== undefined && isRelativeUrl(proxy)
      ? 'Invalid http_client_proxy_url: Relative HTTP URL not allowed'
      : undefined;
  if (uintOf(value('http_client_request_max_attempts')) === 0n) return 'request_max_attempts must not be 0';
  if (uintOf(value('http_client_max_pipelined_requests')) === 0n)
    return 'http_client_max_pipelined_requests must not be 0';
  if (uintOf(value('http_client_max_parallel_connections')) === 0n)
    return 'http_client_max_parallel_connections must not be 0';
  const backoff = timeOf(value('http_client_connect_backoff_time'), true);
  const backoffMax = timeOf(value('http_client_connect_backoff_max_time'), true);
  if (backoff === 0n) return 'http_client_connect_backoff_time_msecs must not be 0';
  if (backoff !== undefined && backoffMax !== undefined && backoffMax < backoff) {
    return `http_client_connect_backoff_time_msecs (${backoffMax}) must not be smaller than http_client_connect_backoff_max_time_msecs (${backoff})`;
  }
  if (timeOf(value('http_client_request_timeout'), true) === 0n)
    return 'http_client_request_timeout_msecs must not be 0';
  return undefined;
}

/** ext_vacation_settings_check(); a zero maximum has its own message (structChecks24.ts). */
function vacationPeriodError(value: ValueOf): string | undefined {
  const min = timeOf(value('sieve_vacation_min_period'), false);
  const fallback = timeOf(value('sieve_vacation_default_period'), false);
  const max = timeOf(value('sieve_vacation_max_period'), false);
  if (min === undefined || fallback === undefined || max === undefined || max === 0n) return undefined;
  return min > max || fallback < min || fallback > max
    ? 'Violated sieve_vacation_min_period < sieve_vacation_default_period < sieve_vacation_max_period'
    : undefined;
}

function variablesLimitError(value: ValueOf): string | undefined {
  const scopes = uintOf(value('sieve_variables_max_scope_count'));
  if (scopes !== undefined && scopes < 128n)
    return 'Setting sieve_variables_max_scope_count is lower than required by standards (>= 128 items)';
  const size = sizeOf(value('sieve_variables_max_value_size'));
  if (size !== undefined && size < 4000n)
    return 'Setting sieve_variables_max_variable_size is lower than required by standards (>= 4000 bytes)';
  return undefined;
}

/** auth_verify_verbose_password(): `no`, `plain`, `sha1` or `yes`, with an optional `:N` truncation. */
function verbosePasswordsError(verbose: string): string | undefined {
  const colon = verbose.indexOf(':');
  if (colon >= 0) {
    const truncation = verbose.slice(colon + 1);
    if (!/^\d+$/.test(truncation) || BigInt(truncation) === 0n || BigInt(truncation) > 4294967295n)
      return `auth_verbose_passwords: Invalid truncation number: '${truncation}'`;
  }
  const word = colon >= 0 ? verbose.slice(0, colon) : verbose;
  return ['no', 'plain', 'sha1', 'yes'].includes(word) ? undefined : 'auth_verbose_passwords: Invalid value';
}

/** auth_settings_ext_check() from the cache size on (a zero last_valid_uid/gid is the master's check). */
function authError(value: ValueOf): string | undefined {
  if (value('last_valid_uid') === '0' || value('last_valid_gid') === '0') return undefined;
  const cacheSize = sizeOf(value('auth_cache_size'));
  if (cacheSize !== undefined && cacheSize > 0n && cacheSize < 1024n)
    return `auth_cache_size value is too small (${cacheSize} bytes)`;
  const verbose = value('auth_verbose_passwords');
  if (cacheSize === undefined || verbose === undefined) return undefined;
  const verboseError = verbosePasswordsError(verbose);
  if (verboseError !== undefined || value('auth_policy_server_url') === '') return verboseError;
  if (value('auth_policy_hash_nonce') === '') return 'auth_policy_hash_nonce must be set when policy server is used';
  const bits = HASH_DIGEST_BITS[value('auth_policy_hash_mech') ?? ''];
  if (bits === undefined) return 'invalid auth_policy_hash_mech given';
  const truncate = uintOf(value('auth_policy_hash_truncate'));
  return truncate !== undefined && truncate > 0n && truncate >= BigInt(bits)
    ? `policy_hash_truncate is not smaller than digest size (${truncate} >= ${bits})`
    : undefined;
}

/** stats_exporter_settings_check(): only an exporter with a name (its block's, or event_exporter_name) is checked. */
function exporterFormatError(value: ValueOf, blockName: string): string | undefined {
  if ((value('event_exporter_name') || blockName) === '') return undefined;
  const format = value('event_exporter_format');
  if (format === '') return "Exporter format name can't be empty";
  return format !== undefined && !EXPORTER_FORMATS.includes(format) ? `Unknown exporter format '${format}'` : undefined;
}

/** fts_settings_check() after fts_search_timeout (structChecks24.ts reports a zero timeout). */
function ftsError(value: ValueOf): string | undefined {
  if (timeOf(value('fts_search_timeout'), false) === 0n) return undefined;
  if (sizeOf(value('fts_message_max_size')) === 0n) return 'message_max_size must not be 0';
  return value('fts_decoder_driver') === 'script' && value('fts_decoder_script_socket_path') === ''
    ? 'decoder_script_socket_path is required when fts_decoder_driver = script'
    : undefined;
}

/** auth_oauth2_settings_check(). */
function oauth2Error(value: ValueOf): string | undefined {
  const set = (key: string): boolean => value(`oauth2_${key}`) !== '';
  const mode = value('oauth2_introspection_mode');
  if (mode === '' && (set('grant_url') || set('tokeninfo_url') || set('introspection_url')))
    return 'Missing oauth2_introspection_mode';
  if ((mode === 'auth' || mode === 'get' || mode === 'post') && !set('tokeninfo_url') && !set('introspection_url')) {
    return 'Need at least one of oauth2_tokeninfo_url or oauth2_introspection_url';
  }
  if (set('grant_url') && !set('client_id')) return 'oauth2_client_id is required with oauth2_grant_url';
  if (set('client_id') !== set('client_secret'))
    return 'oauth2_client_id and oauth2_client_secret must be provided together';
  return !set('active_attribute') && set('active_value')
    ? 'Cannot have empty active_attribute if active_value is set'
    : undefined;
}

/** sieve_script_name_is_valid(): true or false when sure, undefined for characters we do not judge. */
function sieveNameValid(name: string): boolean | undefined {
  const chars = [...name].map((char) => char.codePointAt(0)!);
  if (chars.some((code) => code <= 0x1f || code === 0x2f || code === 0x7f)) return false;
  if (chars.length > 256 || chars.some((code) => code >= 0x80)) return undefined;
  return true;
}

/** sieve_storage_settings_check(); a `sieve_script NAME { }` block names its storage. */
function sieveStorageError(value: ValueOf, filterName: string): string | undefined {
  const storage = value('sieve_script_storage') || filterName;
  const name = value('sieve_script_name') ?? '';
  if (storage !== '') {
    const valid = storage.length <= 128 ? sieveNameValid(storage) : undefined;
    if (valid === undefined) return undefined;
    if (!valid)
      return value('sieve_script_storage') === storage ? `Invalid script storage name '${storage}'` : undefined;
  }
  if (name !== '') {
    const valid = name.length <= 128 ? sieveNameValid(name) : undefined;
    if (valid !== true) return valid === false ? `Invalid script name '${name}'` : undefined;
  }
  if (sizeOf(value('sieve_quota_storage_size')) === 0n) return 'quota_storage_size must not be 0';
  return uintOf(value('sieve_quota_script_count')) === 0n ? 'quota_script_count must not be 0' : undefined;
}

/** message_header_name_is_valid() / rfc2822_header_field_name_verify(): printable ASCII without ':'. */
function headerNameValid(name: string): boolean {
  return name !== '' && [...name].every((char) => char > ' ' && char <= '~' && char !== ':');
}

/** mail_cache_fields_parse(): `hdr.NAME` needs a header name, and `*` stands alone. */
function cacheFieldsCheck(key: string): FilterCheck24 {
  return {
    struct: structOf(key),
    keys: [key],
    fails: (value) => {
      const words = listWords24(key, value(key));
      if (words === undefined) return undefined;
      const badHeader = words.find((word) => /^hdr\./i.test(word) && !headerNameValid(word.slice(4)));
      if (badHeader !== undefined) return `Invalid ${key}: ${badHeader.slice(4)} is not a valid header name`;
      return words.includes('*') && words.length > 1
        ? `Invalid ${key}: has multiple values while having "*" set`
        : undefined;
    },
  };
}

/** uri_check() on mail_server_admin: we judge only the scheme. */
function serverAdminError(value: ValueOf): string | undefined {
  const admin = value('mail_server_admin');
  if (admin === undefined || admin === '') return undefined;
  // uri_parse_scheme(): no letter first is a missing scheme; letters not followed by ':' an invalid one.
  if (!/^[A-Za-z]/.test(admin)) return `mail_server_admin: '${admin}' is not a valid URI: Missing scheme`;
  return /^[A-Za-z][^:]*$/.test(admin)
    ? `mail_server_admin: '${admin}' is not a valid URI: Invalid URI scheme`
    : undefined;
}

/** program_client_settings_check() for the tcp driver: the port comes from execute_tcp_port or `host:port`. */
function executeTcpError(value: ValueOf, filterName: string): string | undefined {
  if (value('execute_driver') !== 'tcp') return undefined;
  const name = value('execute_name') || filterName;
  let port = uintOf(value('execute_tcp_port'));
  if (value('execute_tcp_host') === '' && name !== '') {
    // net_str2hostport(): `host` gives port 0, `host:port` needs a port 1-65535; other forms are not judged.
    const hostPort = /^([^:[\]]+):([^:]*)$/.exec(name);
    if (!name.includes(':')) port = 0n;
    else if (hostPort === null || hostPort[2] === '') return undefined;
    else if (/^\d{1,5}$/.test(hostPort[2]) && Number(hostPort[2]) >= 1 && Number(hostPort[2]) <= 65535)
      port = BigInt(hostPort[2]);
    else return `Failed to parse execute_tcp_host:port from execute_name=${name}`;
  }
  return port === 0n ? 'execute_tcp_port must not be 0 with execute_driver=tcp' : undefined;
}

/** acl_identifier_parse(): the identifiers an `acl ID { }` entry may name. */
function aclIdentifierValid(id: string): boolean {
  return ['owner', 'authenticated', 'anyone', 'anonymous'].includes(id) || /^(user|group|group-override)=/.test(id);
}

/** acl_right_names_parse(): IMAP right letters, then optionally `:` and Dovecot's own right names. */
function aclRightsError(rights: string): string | undefined {
  const letters = /^[ \t]*([^ \t:]*)[ \t]*(.*)$/s.exec(rights)!;
  const unknown = [...letters[1]].find((letter) => !'lrwstipekxa'.includes(letter));
  if (unknown !== undefined) return unknown.charCodeAt(0) < 0x80 ? `Unknown ACL '${unknown}'` : undefined;
  return letters[2] !== '' && !letters[2].startsWith(':') ? "Missing ':' prefix in ACL extensions" : undefined;
}

/**
 * mail_storage_settings_check() on mail_ext_attachment_hash (its messages use the 2.3 name): no '/',
 * a format hash_format_init() reads, then no '-'.
 */
function attachmentHashError(value: ValueOf): string | undefined {
  const format = value('mail_ext_attachment_hash');
  if (format === undefined) return undefined;
  if (format.includes('/')) return "mail_attachment_hash setting must not contain '/' characters";
  const formatError = hashFormatError(format);
  if (formatError) return `Invalid mail_attachment_hash setting: ${formatError}`;
  return format.includes('-') ? "mail_attachment_hash setting must not contain '-' characters" : undefined;
}

/** The event filter parser's error; a value with `%{` fails as the one word that stands for it. */
function eventFilterCheck(value: string | undefined): string | undefined {
  const error = eventFilterError24(value ?? '');
  if (error === undefined || value !== UNKNOWN_VALUE_24) return error;
  return `${error} (Dovecot does not expand %{…} in an event filter: it checks the value as one unknown word)`;
}

/** ext_spamvirustest_parse_decimal_value(): a sign, at most five digits, a radix point and at most five more. */
function decimalValueError(value: string): string | undefined {
  if (value === '') return 'empty value';
  const match = /^[+-]?(\d*)(?:[.,](\d*))?(.*)$/.exec(value)!;
  if (match[1].length > 5) return `Decimal value has too many digits before radix point: ${value}`;
  if ((match[2] ?? '').length > 5) return `Decimal value has too many digits after radix point: ${value}`;
  return match[3] !== '' ? `Invalid decimal point value: ${value}` : undefined;
}

/** ext_spamvirustest_settings_check(): a status header needs a maximum score, from a header or a value. */
function spamVirusTestCheck(ext: 'spamtest' | 'virustest'): FilterCheck24 {
  const key = (name: string) => `sieve_${ext}_${name}`;
  return {
    struct: structOf(key('status_header')),
    keys: [key('status_header'), key('status_type'), key('score_max_header'), key('score_max_value')],
    fails: (value) => {
      if (value(key('status_header')) === '') return undefined;
      const type = value(key('status_type'));
      if (type !== '' && type !== 'score' && type !== 'strlen')
        return type === 'text' ? undefined : `Invalid status type '${type}'`;
      const header = value(key('score_max_header'));
      const max = value(key('score_max_value'));
      if (header !== '' && max !== '')
        return `${key('score_max_header')} and ${key('score_max_value')} cannot both be configured`;
      if (header === '' && max === '')
        return `None of ${key('score_max_header')} or ${key('score_max_value')} is configured`;
      const error = max === undefined || max === '' ? undefined : decimalValueError(max);
      return error !== undefined ? `Invalid max score value specification '${max}': ${error}` : undefined;
    },
  };
}

let moreChecks: readonly FilterCheck24[] | undefined;

/** Built on first use: each check names its settings struct, which takes the 2.4 schema. */
export function moreFilterChecks24(): readonly FilterCheck24[] {
  return (moreChecks ??= [
    {
      struct: structOf('syslog_facility'),
      keys: ['syslog_facility'],
      fails: (value) => {
        const facility = value('syslog_facility');
        return facility !== undefined && !SYSLOG_FACILITIES.includes(facility)
          ? `Unknown syslog_facility: ${facility}`
          : undefined;
      },
    },
    ...EVENT_FILTER_KEYS.map((key): FilterCheck24 => ({
      struct: structOf(key),
      keys: [key],
      fails: (value) => {
        const error = eventFilterCheck(value(key));
        return error !== undefined ? `Invalid ${key}: ${error}` : undefined;
      },
    })),
    {
      struct: structOf('metric_filter'),
      keys: ['metric_filter'],
      filterKind: 'metric',
      // Outside a metric block stats_metric_settings_check() stops at an empty metric_name, before the filter.
      fails: (value, blockName) =>
        blockName === '' && !value('metric_name') ? undefined : eventFilterCheck(value('metric_filter')),
    },
    eachWord(
      'submission_client_workarounds',
      (word) => SUBMISSION_WORKAROUNDS.includes(word.toLowerCase()),
      (word) => `submission_client_workarounds: Unknown workaround: ${word}`,
    ),
    // Pigeonhole 2.4.4 knows no ManageSieve workaround: every word is refused.
    eachWord(
      'managesieve_client_workarounds',
      () => false,
      (word) => `managesieve_client_workarounds: Unknown workaround: ${word}`,
    ),
    eachWord(
      'mail_log_fields',
      (word) => MAIL_LOG_FIELDS.includes(word),
      (word) => `Unknown field in mail_log_fields: '${word}'`,
    ),
    eachWord(
      'mail_log_events',
      (word) => MAIL_LOG_EVENTS.includes(word),
      (word) => `Unknown event in mail_log_events: '${word}'`,
    ),
    {
      struct: structOf('imapc_features'),
      keys: ['imapc_features'],
      fails: (value) =>
        listWords24('imapc_features', value('imapc_features'))
          ?.map(imapcFeatureError)
          .find((error) => error !== undefined),
    },
    {
      struct: structOf('http_client_request_max_attempts'),
      keys: [
        'http_client_request_max_attempts',
        'http_client_max_pipelined_requests',
        'http_client_max_parallel_connections',
        'http_client_connect_backoff_time',
        'http_client_connect_backoff_max_time',
        'http_client_request_timeout',
        'http_client_proxy_url',
      ],
      fails: httpClientError,
    },
    {
      struct: structOf('sieve_editheader_max_header_size'),
      keys: ['sieve_editheader_max_header_size'],
      fails: (value) => {
        const size = sizeOf(value('sieve_editheader_max_header_size'));
        return size !== undefined && size < 1024n
          ? `sieve_editheader_max_header_size: Value (=${size}) is less than the minimum (=1024) `
          : undefined;
      },
    },
    addressSource('sieve_report_from'),
    addressSource('sieve_redirect_envelope_from'),
    addressSource('sieve_notify_mailto_envelope_from'),
    {
      struct: structOf('sieve_vacation_min_period'),
      keys: ['sieve_vacation_min_period', 'sieve_vacation_default_period', 'sieve_vacation_max_period'],
      fails: vacationPeriodError,
    },
    {
      struct: structOf('sieve_variables_max_scope_count'),
      keys: ['sieve_variables_max_scope_count', 'sieve_variables_max_value_size'],
      fails: variablesLimitError,
    },
    {
      struct: structOf('auth_cache_size'),
      keys: [
        'auth_cache_size',
        'auth_policy_server_url',
        'auth_policy_hash_nonce',
        'auth_policy_hash_mech',
        'auth_policy_hash_truncate',
        'auth_verbose_passwords',
        'last_valid_uid',
        'last_valid_gid',
      ],
      readsOnlyIfSet: ['auth_policy_server_url'],
      fails: authError,
    },
    {
      struct: structOf('event_exporter_format'),
      keys: ['event_exporter_format', 'event_exporter_name'],
      filterKind: 'event_exporter',
      fails: exporterFormatError,
    },
    {
      struct: structOf('fts_decoder_driver'),
      keys: ['fts_search_timeout', 'fts_message_max_size', 'fts_decoder_driver', 'fts_decoder_script_socket_path'],
      fails: ftsError,
    },
    {
      struct: structOf('oauth2_introspection_mode'),
      keys: [
        'oauth2_introspection_mode',
        'oauth2_grant_url',
        'oauth2_tokeninfo_url',
        'oauth2_introspection_url',
        'oauth2_client_id',
        'oauth2_client_secret',
        'oauth2_active_attribute',
        'oauth2_active_value',
      ],
      fails: oauth2Error,
    },
    {
      struct: structOf('push_notification_ox_cache_ttl'),
      keys: ['push_notification_ox_url', 'push_notification_ox_cache_ttl'],
      fails: (value) => {
        const url = value('push_notification_ox_url');
        if (url !== '' && url !== UNKNOWN_VALUE_24)
          return url !== undefined && isRelativeUrl(url)
            ? `Invalid push_notification_ox_url '${url}': Relative HTTP URL not allowed`
            : undefined;
        return timeOf(value('push_notification_ox_cache_ttl'), true) === 0n
          ? 'push_notification_ox_cache_ttl must not be 0'
          : undefined;
      },
    },
    {
      struct: structOf('sieve_script_name'),
      keys: ['sieve_script_storage', 'sieve_script_name', 'sieve_quota_storage_size', 'sieve_quota_script_count'],
      fails: sieveStorageError,
    },
    {
      struct: structOf('http_server_max_pipelined_requests'),
      keys: ['http_server_max_pipelined_requests'],
      fails: (value) =>
        uintOf(value('http_server_max_pipelined_requests')) === 0n
          ? 'http_server_max_pipelined_requests must not be 0'
          : undefined,
    },
    {
      struct: structOf('redis_host'),
      keys: ['redis_host'],
      // net_addr2ip() takes only an IP address (getaddrinfo's numeric forms: hex `0x7f.1`, an IPv6 `%scope`):
      // empty, a character no address has (before an IPv6 address's `%`), or without a `:` (no IPv6 address)
      // a first character that is no digit (each part of an IPv4 address starts with one) is surely none.
      fails: (value) => {
        const host = value('redis_host');
        if (host === undefined) return undefined;
        const address = host.includes(':') ? host.split('%')[0] : host;
        const surelyNone =
          address === '' || /[^0-9a-fA-FxX.:[\]]/.test(address) || (!host.includes(':') && !/^[0-9]/.test(address));
        return surelyNone ? 'redis_host is not a valid IP' : undefined;
      },
    },
    { struct: structOf('mail_server_admin'), keys: ['mail_server_admin'], fails: serverAdminError },
    ...['mail_cache_fields', 'mail_always_cache_fields', 'mail_never_cache_fields'].map(cacheFieldsCheck),
    {
      struct: structOf('execute_driver'),
      keys: ['execute_driver', 'execute_name', 'execute_tcp_host', 'execute_tcp_port'],
      fails: executeTcpError,
    },
    {
      struct: structOf('sieve_editheader_header_name'),
      keys: ['sieve_editheader_header_name'],
      filterKind: 'sieve_editheader_header',
      fails: (value, name) => {
        const header = value('sieve_editheader_header_name') || name;
        return header !== '' && !headerNameValid(header)
          ? `sieve_editheader_header_name: Invalid header field name '${header}'`
          : undefined;
      },
    },
    {
      struct: structOf('sieve_extlists_list_max_lookup_size'),
      keys: ['sieve_extlists_list_name'],
      filterKind: 'sieve_extlists_list',
      fails: (value, name) => {
        const listName = value('sieve_extlists_list_name') || name;
        const error = listName === '' ? undefined : extlistsNameError(listName);
        return error !== undefined ? `List name '${listName}' is invalid: ${error}` : undefined;
      },
    },
    {
      struct: structOf('acl_rights'),
      keys: ['acl_id', 'acl_rights'],
      filterKind: 'acl',
      fails: (value, name) => {
        const id = value('acl_id') || name;
        if (id === '') return undefined;
        if (!aclIdentifierValid(id)) return `Invalid identifier '${id}'`;
        const rights = value('acl_rights');
        return rights === undefined ? undefined : aclRightsError(rights.startsWith('-') ? rights.slice(1) : rights);
      },
    },
    {
      struct: structOf('metric_name'),
      keys: ['metric_name', 'metric_filter'],
      filterKind: 'metric',
      // stats_metric_settings_check() outside a metric block; metric blocks are judged with their exporters.
      fails: (value, blockName) => {
        const name = value('metric_name');
        return blockName === '' && name !== '' && value('metric_filter') === ''
          ? `metric ${name} { filter } is empty - will not match anything`
          : undefined;
      },
    },
    {
      struct: structOf('imapsieve_url'),
      keys: ['imapsieve_url'],
      // managesieve_url_parse() needs a sieve: URL; we judge only values with another scheme or none.
      fails: (value) => {
        const url = value('imapsieve_url');
        return url !== undefined && url !== '' && !/^sieve:/i.test(url)
          ? `Invalid URL for imapsieve_url setting: ${url}`
          : undefined;
      },
    },
    {
      struct: structOf('sieve_user_email'),
      keys: ['sieve_user_email'],
      fails: (value) => userEmailError(value('sieve_user_email')),
    },
    { struct: structOf('mail_ext_attachment_hash'), keys: ['mail_ext_attachment_hash'], fails: attachmentHashError },
    spamVirusTestCheck('spamtest'),
    spamVirusTestCheck('virustest'),
  ]);
}

/**
 * A boolean list written as a block (`imap_client_workarounds { foo = yes }`): the list `previous`
 * (null when the filter has not set it) with `word` added (`yes`) or removed (`no`). Undefined when
 * the result cannot be known (a variable, a word that would not survive our split, a bad boolean).
 */
export function listWithBlockWord24(
  previous: string | undefined | null,
  word: string,
  value: string | undefined,
): string | undefined {
  const words =
    previous === null
      ? []
      : previous === undefined || previous.includes('"')
        ? undefined
        : previous.split(/[ ,]+/).filter((known) => known !== '');
  if (words === undefined || value === undefined || /[ ,"]/.test(word) || word === '') return undefined;
  if (value === 'yes') return [...words.filter((known) => known !== word), word].join(' ');
  if (value === 'no') return words.filter((known) => known !== word).join(' ');
  return undefined;
}

/** One `language NAME { }` block of the global filter, in file order. */
export interface Language24 {
  name: string;
  /** Its `default` value; undefined when we cannot read it. */
  isDefault: boolean | undefined;
}

/**
 * lang_settings_check(): at most one default language, never `data`, and at least one real language.
 * Returns the message and the index of the language it concerns; undefined when all is well or unknown.
 */
export function languagesError24(languages: readonly Language24[]): { index: number; message: string } | undefined {
  if (languages.length === 0 || languages.some((language) => language.isDefault === undefined)) return undefined;
  let fallback: string | undefined;
  for (const [index, language] of languages.entries()) {
    if (!language.isDefault) continue;
    if (language.name === 'data') return { index, message: 'language data cannot have { default = yes }' };
    if (fallback !== undefined) {
      return {
        index,
        message: `Only one language with with { default = yes } is allowed (default is '${fallback}', cannot set '${language.name}' too)`,
      };
    }
    fallback = language.name;
  }
  if (languages.every((language) => language.name === 'data')) return { index: 0, message: 'No valid languages' };
  return fallback === undefined ? { index: 0, message: 'No language with { default = yes } found' } : undefined;
}
