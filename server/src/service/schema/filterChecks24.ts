// The settings checks doveconf 2.4 runs after parsing that look at several settings together (the
// check_func of a settings struct, e.g. mail_storage_settings_check in
// src/lib-storage/mail-storage-settings.c@2.4.4). doveconf runs them once per filter, on that filter's
// own values over the defaults (a global value does not reach the check of a `protocol imap { }` block),
// and only for a struct of which the filter sets at least one setting. Messages are doveconf's.
import { findSetting24 } from './schema24';
import { varExpandProgram24 } from './varExpandParser24';
import { moreFilterChecks24 } from './moreChecks24';
import { parseBool } from './valueCheck';
import { firstRefusedWord24, UNKNOWN_VALUE_24 } from './valueCheck24';

/** A filter's value of a setting: its own literal value, the default, or undefined when unknown. */
export type ValueOf = (key: string) => string | undefined;

export interface FilterCheck24 {
  /** The settings struct whose check this is (`setting_parser_info.name`). */
  struct: string;
  /** The settings the check reads; a filter that sets one of them with an unknown value is skipped. */
  keys: readonly string[];
  /**
   * The named list filter whose name is the struct's name (`namespace` for `namespace NAME { }`): there the
   * check gets the block's name; in any other filter (global, protocol) it runs with an empty name.
   */
  filterKind?: string;
  fails: (value: ValueOf, filterName: string) => string | undefined;
  /** The check reads each word of its one setting on its own: the words before a `$` word are judged alone. */
  wordList?: true;
  /** Settings the check reads only for whether they are empty: one with a literal word is set, whatever its `$` words give. */
  readsOnlyIfSet?: readonly string[];
}

/**
 * The elements of a boolean list written with `$SET:`/`$ENV:` (`x $SET:mail_plugins`) before its first `$`
 * word: doveconf -n checks them as written and Dovecot reads them so whatever the variables give (a `%{…}` word
 * too: a boolean list's words are never expanded). Undefined when there are none, or the list has a quote
 * (quotes join words). A string list is not judged: doveconf -n checks it as UNKNOWN_VALUE_WITH_VARIABLES.
 */
export function literalWordsBeforeVariable24(key: string, written: string): string | undefined {
  if (findSetting24(key)?.type !== 'boollist' || written.includes('"')) return undefined;
  const words = written.split(/[ ,]+/).filter((word) => word !== '');
  const variable = words.findIndex((word) => word.includes('$'));
  const literal = words.slice(0, variable < 0 ? words.length : variable);
  return literal.length === 0 ? undefined : literal.join(' ');
}

const POP3_UIDL_VARIABLES = ['uidvalidity', 'uid', 'md5', 'filename', 'guid'];
const SSL_OPTIONS = ['compression', 'no_ticket'];

/** A boolean setting's value read as true (`yes`, `y`, `1` in any case). */
function isYes(value: string | undefined): boolean {
  return value !== undefined && parseBool(value).value === true;
}

/** A uint as the struct holds it: `unlimited` is the largest value. */
function uintValue(value: string | undefined): number | undefined {
  if (value === 'unlimited' || value === 'infinite') return 2 ** 32 - 1;
  return value !== undefined && /^\d+$/.test(value) ? Number(value) : undefined;
}

function bytes(value: string): number {
  return new TextEncoder().encode(value).length;
}

/** mail_storage_settings_check(): pop3_uidl_format must be a program whose variables it knows. */
function pop3UidlFormatError(format: string): string | undefined {
  const program = varExpandProgram24(format);
  if (program.error !== undefined) return `Invalid pop3_uidl_format: ${program.error}`;
  let ok = false;
  for (const variable of program.variables) {
    if (!POP3_UIDL_VARIABLES.includes(variable))
      return ok ? undefined : `Unknown pop3_uidl_format variable: %{${variable}}`;
    ok = true;
  }
  return ok ? undefined : "pop3_uidl_format setting doesn't contain any %{variables}.";
}

function firstValidAboveLast(kind: 'uid' | 'gid', value: ValueOf): string | undefined {
  const first = uintValue(value(`first_valid_${kind}`));
  const last = uintValue(value(`last_valid_${kind}`));
  if (last === 0) return `last_valid_${kind} must not be 0`;
  return first !== undefined && last !== undefined && first > last
    ? `first_valid_${kind} can't be larger than last_valid_${kind}`
    : undefined;
}

/** A list whose words must each be one of `known` (compared without case, as the checks do). */
function knownWords(
  struct: string,
  key: string,
  known: readonly string[],
  message: string,
  prefixes: readonly string[] = [],
): FilterCheck24 {
  return {
    struct,
    keys: [key],
    wordList: true,
    fails: (value) => {
      const unknown = firstRefusedWord24(
        key,
        value(key),
        (word) => known.includes(word.toLowerCase()) || prefixes.some((prefix) => word.startsWith(prefix)),
      );
      return unknown !== undefined ? `${key}: ${message}: ${unknown}` : undefined;
    },
  };
}

function notEmpty(struct: string, key: string): FilterCheck24 {
  return { struct, keys: [key], fails: (value) => (value(key) === '' ? `${key} must not be empty` : undefined) };
}

let filterChecks: readonly FilterCheck24[] | undefined;

/** Every check, built on first use (the 2.4 schema is read only for 2.4 trees). */
export function filterChecks24(): readonly FilterCheck24[] {
  return (filterChecks ??= [
    knownWords(
      'imap',
      'imap_client_workarounds',
      ['delay-newmail', 'tb-extra-mailbox-sep', 'tb-lsub-flags'],
      'Unknown workaround',
    ),
    knownWords('pop3', 'pop3_client_workarounds', ['outlook-no-nuls', 'oe-ns-eoh'], 'Unknown workaround'),
    knownWords('lmtp', 'lmtp_client_workarounds', ['whitespace-before-path', 'mailbox-for-path'], 'Unknown workaround'),
    knownWords('doveadm', 'dsync_features', ['empty-header-workaround', 'no-header-hashes'], 'Unknown feature'),
    knownWords('pop3c', 'pop3c_features', ['no-pipelining'], 'Unknown feature'),
    knownWords(
      'mail_storage',
      'mail_attachment_detection_options',
      ['add-flags', 'add-flags-on-save', 'no-flags-on-fetch', 'exclude-inlined'],
      'Unknown option',
      ['content-type='],
    ),
    notEmpty('doveadm', 'dsync_hashed_headers'),
    notEmpty('doveadm', 'dsync_alt_char'),
    {
      struct: 'mail_storage',
      keys: ['mail_nfs_index', 'mmap_disable', 'mail_fsync'],
      fails: (value) => {
        if (!isYes(value('mail_nfs_index'))) return undefined;
        if (!isYes(value('mmap_disable'))) return 'mail_nfs_index=yes requires mmap_disable=yes';
        return value('mail_fsync') === 'always' ? undefined : 'mail_nfs_index=yes requires mail_fsync=always';
      },
    },
    {
      struct: 'mail_storage',
      keys: ['pop3_uidl_format'],
      fails: (value) => pop3UidlFormatError(value('pop3_uidl_format') ?? ''),
    },
    {
      struct: 'mail_storage',
      keys: ['mailbox_list_index_prefix', 'mail_index_path'],
      fails: (value) => {
        const prefix = value('mailbox_list_index_prefix') ?? '';
        const slash = prefix.lastIndexOf('/');
        return slash >= 0 && !prefix.startsWith('/') && value('mail_index_path') === ''
          ? 'mailbox_list_index_prefix directory is relative, but mail_index_path is empty'
          : undefined;
      },
    },
    {
      struct: 'mail_storage',
      keys: ['mailbox_root_directory_name'],
      fails: (value) =>
        value('mailbox_root_directory_name')?.includes('/')
          ? "mailbox_root_directory_name must not contain '/'"
          : undefined,
    },
    ...(['mailbox_list_visible_escape_char', 'mailbox_list_storage_escape_char'] as const).map(
      (key): FilterCheck24 => ({
        struct: 'mail_storage',
        keys: [key],
        fails: (value) =>
          value(key) !== UNKNOWN_VALUE_24 && bytes(value(key) ?? '') > 1
            ? `${key} value must be a single character`
            : undefined,
      }),
    ),
    {
      struct: 'mail_namespace',
      keys: ['namespace_separator'],
      filterKind: 'namespace',
      fails: (value, name) =>
        bytes(value('namespace_separator') ?? '') > 1
          ? `Namespace ${value('namespace_name') || name}: Hierarchy separator must be only one character long`
          : undefined,
    },
    {
      struct: 'pop3',
      keys: ['pop3_delete_type', 'pop3_deleted_flag'],
      fails: (value) =>
        value('pop3_delete_type') === 'flag' && value('pop3_deleted_flag') === ''
          ? 'pop3_delete_type=flag, but pop3_deleted_flag not set'
          : undefined,
    },
    {
      struct: 'ssl_server',
      keys: ['ssl_server_request_client_cert', 'ssl_server_ca_file'],
      fails: (value) =>
        value('ssl_server_request_client_cert') === 'yes' && value('ssl_server_ca_file') === ''
          ? 'ssl_server_request_client_cert=yes, but ssl_server_ca_file not provided'
          : undefined,
    },
    {
      struct: 'ssl',
      keys: ['ssl_min_protocol', 'ssl_options'],
      fails: (value) => {
        if (value('ssl_min_protocol') === '') return 'ssl_min_protocol cannot be empty';
        const unknown = (value('ssl_options') ?? '')
          .split(/[ ,]+/)
          .find((flag) => flag !== '' && !SSL_OPTIONS.includes(flag.toLowerCase()));
        return unknown !== undefined ? `ssl_options: unknown flag: '${unknown}'` : undefined;
      },
    },
    {
      struct: 'login',
      keys: ['ssl', 'auth_allow_cleartext'],
      fails: (value) =>
        value('ssl') === 'required' && isYes(value('auth_allow_cleartext'))
          ? 'auth_allow_cleartext=yes has no effect with ssl=required'
          : undefined,
    },
    {
      struct: 'master',
      keys: ['first_valid_uid', 'last_valid_uid', 'first_valid_gid', 'last_valid_gid'],
      fails: (value) => firstValidAboveLast('uid', value) ?? firstValidAboveLast('gid', value),
    },
    ...moreFilterChecks24(),
  ]);
}

/** The struct names a setting belongs to (a check runs for a filter that sets one of its settings). */
export function structsOf24(key: string): readonly string[] {
  return findSetting24(key)?.structs ?? [];
}

/** The default a check sees for a setting the filter does not set. */
export function default24(key: string): string | undefined {
  const info = findSetting24(key);
  if (!info || info.defaultUnknown !== undefined) return undefined;
  return info.default;
}
