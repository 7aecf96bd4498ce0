// The settings-struct checks Dovecot 2.4 runs once the whole configuration is parsed (the check_func
// of the settings structs, e.g. mail_storage_settings_check in src/lib-storage/mail-storage-settings.c
// @2.4.4). doveconf reports them without a line: `Error in configuration file F: MESSAGE`. The checks
// of one literal value are here, reported where the value is read; checks that combine settings of a
// filter are in filterChecks24.ts.
import { parseBool } from './valueCheck';
import { sizeInBytes24 } from './valueCheck24';

interface StructCheck {
  key: string;
  fails: (value: string) => boolean;
  message: string | ((value: string) => string);
}

/** ssl_settings_check(): hash algorithms not accepted for certificate fingerprints. */
const UNSAFE_FINGERPRINT_HASHES = ['md4', 'md5', 'sha1', 'rmd160', 'sm3'];

const isTrue = (value: string): boolean => parseBool(value).value === true;
const isZero = (value: string): boolean => /^0+(\s*[a-zA-Z]*)?$/.test(value.trim());
const GIGABYTE = 1024n ** 3n;

const STRUCT_CHECKS: readonly StructCheck[] = [
  { key: 'mailbox_idle_check_interval', fails: isZero, message: 'mailbox_idle_check_interval must not be 0' },
  { key: 'mail_sort_max_read_count', fails: isZero, message: 'mail_sort_max_read_count must not be 0' },
  { key: 'mail_vsize_bg_after_count', fails: isZero, message: 'mail_vsize_bg_after_count must not be 0' },
  {
    key: 'mail_cache_max_header_name_length',
    fails: isZero,
    message: 'mail_cache_max_header_name_length must not be 0',
  },
  { key: 'mail_cache_max_headers_count', fails: isZero, message: 'mail_cache_max_headers_count must not be 0' },
  {
    key: 'mail_cache_max_size',
    fails: (value) => value === 'unlimited' || value === 'infinite' || (sizeInBytes24(value) ?? 0n) > GIGABYTE,
    message: "mail_cache_max_size can't be over 1 GB",
  },
  ...['imapc_max_idle_time', 'imapc_max_line_length', 'fts_search_timeout'].map((key) => ({
    key,
    fails: isZero,
    message: `${key} must not be 0`,
  })),
  { key: 'sieve_vacation_max_period', fails: isZero, message: 'sieve_vacation_max_period must not be 0' },
  {
    key: 'ssl_peer_certificate_fingerprint_hash',
    fails: (value) => UNSAFE_FINGERPRINT_HASHES.includes(value.toLowerCase()),
    message: (value: string) => `ssl_peer_certificate_fingerprint_hash: Unsafe hash algorithm '${value}' used`,
  },
  { key: 'quota_mail_size', fails: isZero, message: 'quota_mail_size must not be 0. (Did you mean "unlimited"?)' },
  {
    key: 'lmtp_user_concurrency_limit',
    fails: (value) => /^0+$/.test(value.trim()),
    message: 'lmtp_user_concurrency_limit must not be 0 (did you mean "unlimited"?)',
  },
  // The experimental IMAP4rev2 and UTF-8 support is not in the builds of Debian, Ubuntu or Dovecot's own packages.
  {
    key: 'mail_utf8_extensions',
    fails: isTrue,
    message: 'Dovecot not built with --enable-experimental-mail-utf8',
  },
  {
    key: 'imap4rev2_enable',
    fails: isTrue,
    message: 'Dovecot not built with --enable-experimental-imap4rev2.',
  },
  {
    key: 'mail_cache_purge_delete_percentage',
    fails: (value) => value === 'unlimited' || value === 'infinite' || (/^\d+$/.test(value) && Number(value) > 100),
    message: "mail_cache_purge_delete_percentage can't be over 100",
  },
];

/** The check's message when the literal `value` of `key` fails it. */
export function structCheckError24(key: string, value: string): string | undefined {
  const failed = STRUCT_CHECKS.find((check) => check.key === key && check.fails(value));
  if (!failed) return undefined;
  return typeof failed.message === 'string' ? failed.message : failed.message(value);
}
