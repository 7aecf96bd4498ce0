import type { CheckedVersion } from '../model/dialect';

export type Level = 'error' | 'warning' | 'information' | 'hint';
export type LevelSetting = Level | 'off';

/**
 * Who has this opinion: doveconf -n itself; Dovecot when it starts (`start`: it reads its configuration with
 * values expanded, which runs checks doveconf -n leaves out and doveconf -x runs); Dovecot at run time (found
 * in the lab); or good practice.
 */
export type RuleOrigin = 'doveconf' | 'start' | 'runtime' | 'practice';

/** A rule's origin, or one per version when the versions check the same thing at different times. */
export type RuleOrigins = RuleOrigin | Readonly<Record<CheckedVersion, RuleOrigin>>;

export interface Rule {
  id: string;
  family: RuleFamily;
  level: Level;
  origin: RuleOrigins;
  /** The versions whose analysis raises it (a check runs only for the versions of its rules). */
  dialects: readonly CheckedVersion[];
  /** One line: what is wrong. */
  summary: string;
  /** How to fix it (README rule reference; quick fixes do this where they can). */
  fix: string;
  /** How an editor marks the text: struck through (a setting Dovecot dropped), or faded (text Dovecot ignores). */
  tag?: RuleTag;
}

export type RuleTag = 'deprecated' | 'unnecessary';

/** What a rule is about: the table's sections, also how tests and quick fixes pick rules by kind. */
export type RuleFamily = 'syntax' | 'schema' | 'master' | 'parser-2.4' | 'dialect' | 'replication' | 'peer';

const BOTH: readonly CheckedVersion[] = ['2.3', '2.4'];
const ONLY_23: readonly CheckedVersion[] = ['2.3'];
const ONLY_24: readonly CheckedVersion[] = ['2.4'];

/** doveconf 2.3's master checks, which 2.4 runs only when Dovecot starts (doveconf -x, not -n). */
const MASTER_ORIGIN = { '2.3': 'doveconf', '2.4': 'start' } as const;

const row = <const Id extends string>(
  id: Id,
  level: Level,
  origin: RuleOrigins,
  summary: string,
  fix: string,
  dialects: readonly CheckedVersion[] = BOTH,
) => ({ id, level, origin, dialects, summary, fix });

/** A row whose text editors mark with `tag`. */
const tagged = <const Row extends Omit<Rule, 'family'>>(tag: RuleTag, rule: Row) => ({ ...rule, tag });

/** Gives each row of one section of the table its family. */
const family = <const Rows extends readonly Omit<Rule, 'family'>[]>(name: RuleFamily, rows: Rows) =>
  rows.map((rule) => ({ ...rule, family: name })) as { [I in keyof Rows]: Rows[I] & { family: RuleFamily } };

/** Every diagnostic the analysis can raise. The id is the diagnostic code, the setting key and the suppression name. */
export const RULES = [
  // Syntax: doveconf's own parser errors (FACTS §1.1-1.9).
  ...family('syntax', [
    row(
      'expecting-brace',
      'error',
      'doveconf',
      "A line is neither `key = value`, a section header ending in `{`, `}` nor `!include` (doveconf: `Expecting '{'`).",
      'Add the missing `=`, put `{` on the same line as the section header, or quote a section name that contains spaces.',
    ),
    row(
      'garbage-after-brace',
      'error',
      'doveconf',
      "Text follows the `{` of a section header, e.g. a one-line block (doveconf: `Garbage after '{'`).",
      'Put the section body on its own lines and `}` alone on the last one.',
    ),
    row(
      'unexpected-close-brace',
      'error',
      'doveconf',
      "A `}` closes no open section (doveconf: `Unexpected '}'`).",
      'Remove the extra `}` or open the section it was meant to close.',
    ),
    row(
      'missing-close-brace',
      'error',
      'doveconf',
      "A section is never closed (doveconf: `Missing '}'`).",
      'Add `}` on its own line at the end of the section.',
    ),
    row(
      'missing-key',
      'error',
      'doveconf',
      'A line starts with `=` (doveconf: `Missing key name`).',
      'Write the setting name before `=`.',
      ONLY_23,
    ),
    row(
      'ambiguous-comment',
      'warning',
      'doveconf',
      "A `#` not preceded by white space starts a comment (doveconf warns `Ambiguous '#' character`).",
      'Put a space before `#` if it is a comment, or quote the value if `#` belongs to it.',
    ),
    tagged(
      'unnecessary',
      row(
        'continuation-dropped',
        'warning',
        'runtime',
        'A line ends in `\\` but the next line is blank, a comment or the end of the file: doveconf silently drops the whole joined line.',
        'Remove the trailing `\\`, or remove the blank/comment line so the continuation reaches its next line.',
      ),
    ),
    row(
      'continuation-joins-next-file',
      'warning',
      'runtime',
      "An included file's last line ends in `\\`: Dovecot joins it with the next line it reads, the next included file's first line or the line after the `!include`, and reads the two as one line (a setting whose value takes in the next setting, or a line it rejects).",
      'Remove the trailing `\\`, or end the file with a blank line if the continuation is meant to be dropped.',
    ),
    row(
      'filter-nesting',
      'error',
      'doveconf',
      'Filters are nested in an order Dovecot rejects; the order must be local > local_name > remote > protocol.',
      'Swap the blocks as the message says.',
    ),
    row(
      'invalid-network-mask',
      'error',
      'doveconf',
      'The `/bits` of a `local`/`remote` network is out of range, or the block names no address at all (doveconf looks the empty name up and fails: `gethostbyname() failed`).',
      'Use at most /32 for IPv4 and /128 for IPv6; write the address, network or host name after `local` or `remote`.',
    ),
    row(
      'include-no-matches',
      'error',
      'doveconf',
      '`!include` matched no file (doveconf: `No matches`); Dovecot refuses to start.',
      'Fix the path (it is relative to the including file), or use `!include_try` for optional files.',
    ),
    row(
      'include-recursive',
      'error',
      'doveconf',
      'A file includes itself, directly or through others (doveconf: `Recursive include file`).',
      'Remove the include that closes the loop.',
    ),
    row(
      'include-unreadable',
      'error',
      'doveconf',
      'An included file exists but cannot be read.',
      'Check the path and its permissions.',
    ),
    row(
      'file-not-regular',
      'error',
      'runtime',
      "An included file or a `<file` value is a FIFO, socket or device (a glob such as `/dev/zer[o]` reaches one too): Dovecot blocks on a FIFO and never finishes reading a device like /dev/zero, so it hangs or runs out of memory at start. dovecot-lint does not read it. A `<file` value that is a directory (`key = <` alone names the directory of its file) fails Dovecot's config service at start (`read() failed: Is a directory`). (/dev/null reads as empty and an included directory as an empty file, as they do for Dovecot.)",
      'Point the include or value at a regular file.',
    ),
    row(
      'analysis-limit',
      'warning',
      'practice',
      'Part of the configuration was not analysed because it passes a limit of dovecot-lint (not of Dovecot): a file larger than 8 MB, an include tree larger than 64 MB or of more than 50,000 included files, sections nested more than 100 levels deep, or a file that includes itself through a symbolic link with `!include_try`.',
      'Split or shrink the file, or raise the limit (`dovecot-lint --max-file-size`, `--max-tree-size`); remove the symbolic link loop or the extra nesting.',
    ),
    row(
      'internal-error',
      'error',
      'practice',
      'A check of the linter itself failed on this configuration (a bug in dovecot-lint, not in your file).',
      'Please report it with the configuration that triggers it.',
    ),
    row(
      'file-value-missing',
      'information',
      'runtime',
      'A `key = <file` value names a file that is not there. `doveconf -n` does not read it, but the config service does at start and fails.',
      'Create the file on the server, or fix the path (relative to the including file).',
    ),
  ]),
  // Schema: settings, sections and values as doveconf checks them (FACTS §1.3, §1.10-1.14).
  ...family('schema', [
    row(
      'unknown-setting',
      'error',
      'doveconf',
      'The setting or section does not exist in this context (doveconf: `Unknown setting: ...`).',
      'Fix the spelling (a quick fix offers close names) or move it to the section where it belongs.',
    ),
    tagged(
      'deprecated',
      row(
        'obsolete-setting',
        'warning',
        'doveconf',
        'A setting of an older Dovecot release that 2.3 still accepts and rewrites while reading the configuration (doveconf: `Obsolete setting in FILE:LINE: ...`): renamed, moved into a `service` or `plugin {}` block, or dropped.',
        'Write the replacement the message names (a quick fix does it where the rewrite is one setting); `doveconf -Pn` prints the whole configuration in current form.',
      ),
    ),
    row(
      'ssl-protocols-not-converted',
      'warning',
      'doveconf',
      'An old `ssl_protocols` value that Dovecot 2.3 cannot turn into `ssl_min_protocol` (a protocol it does not know, such as `SSLv2`, or every protocol disabled): each time it reads the configuration it logs `Could not find a minimum ssl_min_protocol setting from ssl_protocols = ...` (doveconf prints it as an error) and ignores the line.',
      'Remove the line (the quick fix of its obsolete-setting warning does it); set `ssl_min_protocol` for another minimum than the default.',
      ONLY_23,
    ),
    row(
      'unknown-variable',
      'error',
      'runtime',
      'A `$name` in a value names no top-level setting (inside a section too, `$name` reads only top-level settings); the config service fails at start with `Unknown variable: $name` (doveconf -n only prints it).',
      'Fix the name, or quote the value if the `$` is literal.',
      ONLY_23,
    ),
    row(
      'unknown-self-variable',
      'error',
      'doveconf',
      '`key = $key ...` where there is no top-level setting `key` (e.g. `vsz_limit = $vsz_limit` in a `service` block): `$key` reads the top-level setting of that name, even inside a section, so doveconf -n and Dovecot both stop with `Unknown variable: $key`.',
      'Write the whole value: inside a section a value cannot extend the one set before.',
      ONLY_23,
    ),
    row(
      'variable-fails-doveconf',
      'warning',
      'doveconf',
      "A `$name` in a boolean, number, size, time, port or enum setting (e.g. `vsz_limit = $default_vsz_limit` in a `service` block), or in a value doveconf checks once the configuration is read (a service `type`, `protocols`, a listener path or address, a namespace separator, `special_use`, a workarounds list): Dovecot replaces it with the value of `name` when it starts, and that value passes, but `doveconf -n` checks it as written and stops (`Invalid size: $default_vsz_limit`, `Unknown service type: $name`), so `doveconf -n`, `dovecot -n`, `doveadm config` and anything else that checks the configuration with doveconf fail. Where the value Dovecot reads fails too, or comes from `$ENV:`, doveconf's message is reported as the error it is.",
      'Write the value itself (a quick fix writes the one Dovecot uses there).',
      ONLY_23,
    ),
    row(
      'file-value-fails-doveconf',
      'warning',
      'doveconf',
      "A `<file` value in a setting doveconf checks once the configuration is read (an event filter: `log_debug`, `log_core_filter`, `process_shutdown_filter`, a metric's `filter`; a list of options, features or workarounds): Dovecot reads the file when it starts, but `doveconf -n` does not read it and checks the text `<path` itself, which fails (`Invalid log_debug: event filter: syntax error, unexpected '<'`), so `doveconf -n`, `dovecot -n`, `doveadm config` and anything else that checks the configuration with doveconf fail.",
      'Write the value itself instead of `<file`.',
    ),
    row(
      'section-not-allowed',
      'error',
      'doveconf',
      'A section is opened inside a free-form `plugin {}` or `dict {}` block (doveconf: `Section not allowed here`).',
      'Close the free-form block first.',
    ),
    row(
      'invalid-value',
      'error',
      'doveconf',
      "The value does not parse as the setting's type (boolean, number, octal, time, size, port or enum), with doveconf's message.",
      'Use a valid value; times need units (`10s`), booleans are `yes`/`no`.',
    ),
    row(
      'duplicate-auth-block-name',
      'error',
      'doveconf',
      'Dovecot 2.3: a second `passdb` or `userdb` block with the same name in the same place (top level, or the same `protocol` block); doveconf stops with `passdb/NAME already exists`.',
      'Give each block its own name, or leave the name out.',
      ONLY_23,
    ),
    row(
      'auth-setting-in-filter',
      'error',
      'doveconf',
      'Auth settings are not supported inside `local`/`remote` blocks.',
      'Move the setting out of the block, or into a `protocol` block.',
    ),
    row(
      'dict-entry-not-a-uri',
      'warning',
      'runtime',
      "A line of Dovecot 2.3's `dict { }` whose value has no `:`, such as `user = vmail`: `dict { }` holds only `NAME = driver:args` lines, so this names a dictionary without a driver; doveconf accepts it, and the dict process fails with `Dictionary URI is missing ':'` when something uses it.",
      'Give the dictionary a URI (`NAME = mysql:/etc/dovecot/dict-sql.conf.ext`), or move a setting of the dict process to `service dict { }`.',
      ONLY_23,
    ),
    row(
      'mode-read-as-decimal',
      'warning',
      'runtime',
      "A mode (a listener's `mode`, 2.4's `fs_posix_mode`) written without its leading 0: Dovecot reads `mode = 666` as the decimal number 666, the mode 01232, and creates the socket `s-w--wx-w-`, which no client can open. doveconf accepts it.",
      'Write the leading 0: `mode = 0666` (a quick fix adds it).',
    ),
    row(
      'section-on-scalar',
      'warning',
      'practice',
      'A section is opened on a plain setting (`mail_location {`); doveconf silently sets it to the block name, or to a counter of the blocks without a name (an error where that value does not fit the type).',
      'Write `key = value` instead.',
    ),
    tagged(
      'unnecessary',
      row(
        'service-in-filter',
        'warning',
        'practice',
        'A `service` block inside a `protocol`, `local_name`, `local` or `remote` filter has no effect on the service (a `local`/`remote` network of 0 bits, `::/0`, matches everything: its service blocks count).',
        'Move the service block to the top level.',
      ),
    ),
    row(
      'global-after-filter',
      'warning',
      'doveconf',
      "A global setting comes after a filter that already set it, so it does not change the filter's value (doveconf warns).",
      'Move the global setting before the filter block.',
    ),
    row(
      'ssl-ignored-in-filter',
      'warning',
      'doveconf',
      'A filter sets `ssl` while the global `ssl = no`: Dovecot keeps SSL disabled there (doveconf warns).',
      'Enable SSL globally (`ssl = yes` with a certificate) and turn it off where it is not wanted, or remove the filter value.',
    ),
    row(
      'ssl-min-protocol-any',
      'warning',
      'doveconf',
      '`ssl_min_protocol = ANY` allows every SSL/TLS version, also broken ones; Dovecot means it for testing only (doveconf warns).',
      'Use `TLSv1.2` (the default) or newer.',
    ),
    tagged(
      'unnecessary',
      row(
        'setting-ignored-in-plugin',
        'warning',
        'runtime',
        "A real top-level setting is written inside `plugin {}`; doveconf accepts it and Dovecot ignores it. Not reported for names a plugin reads from its plugin settings (Pigeonhole's `recipient_delimiter`).",
        'Move the setting out of `plugin {}` to the top level.',
      ),
    ),
    row(
      'mail-plugin-dependency-missing',
      'error',
      'runtime',
      "A mail plugin in the `mail_plugins` in effect for a protocol (one of `protocols`, doveadm or dovecot-lda) needs another that the list lacks: `imap_quota` or `trash` without `quota`, `mail_log` or `push_notification` without `notify`, `imap_acl` without `acl`, an FTS backend without `fts`. doveconf accepts it; the process stops with `Couldn't load required plugin ...: Plugin quota must be loaded also`. A `protocol` block's `mail_plugins = ...` replaces the global list (2.3: unless it starts with `$mail_plugins`).",
      'Add the plugin it needs to the same list (2.4: `mail_plugins { quota = yes }` in the same block); a quick fix adds it.',
    ),
    row(
      'mail-plugin-for-other-program',
      'error',
      'runtime',
      "A mail plugin that only some Dovecot programs may load is in the `mail_plugins` of another program that runs: `imap_quota`, `imap_acl`, `imap_sieve`, `imap_filter_sieve` (2.3 also `imap_zlib`, `imap_old_stats`) are for imap only, `sieve` for dovecot-lda and lmtp only. In the global list, doveadm loads them for nearly every command whatever `protocols` says, and so does dovecot-lda. doveconf accepts it; the process stops with `Couldn't load required plugin ...: Plugin is intended to be used only by imap binary (we're doveadm)`, or with a `dlopen() failed: ... undefined symbol` error where the plugin cannot be opened outside its program (Debian's 2.3 packages).",
      'Load the plugin in its own protocol block only: `protocol imap { mail_plugins = $mail_plugins imap_quota }` (2.4: `protocol imap { mail_plugins { imap_quota = yes } }`), `protocol lda` and `protocol lmtp` for `sieve`; a quick fix moves it.',
    ),
  ]),
  // Master checks of services, listeners and `protocols` (FACTS §1.11): doveconf 2.3 runs them after parsing;
  // 2.4 runs them when Dovecot starts, as doveconf -x does (src/master/master-settings.c@2.4.4).
  ...family('master', [
    row(
      'service-missing-name',
      'error',
      MASTER_ORIGIN,
      'A `service` block has no name (doveconf: `Service #N is missing name`).',
      'Name the service: `service imap {`.',
    ),
    row(
      'duplicate-service-name',
      'error',
      MASTER_ORIGIN,
      'Two services end up with the same name, e.g. `service foo { name = bar }` beside `service bar {}` (doveconf: `Duplicate service name`).',
      'Remove the `name` override or rename one service.',
    ),
    row(
      'service-type-unknown',
      'error',
      'start',
      '`type` of a service is not one Dovecot knows (`Unknown service type`): 2.4 checks it when it starts; `doveconf -n` accepts it.',
      'Use one of `log`, `config`, `anvil`, `login`, `startup`, `worker`, or remove `type`.',
      ONLY_24,
    ),
    row(
      'service-process-limit',
      'error',
      MASTER_ORIGIN,
      'This service must run as one process (doveconf: `process_limit must be 1`); in 2.4 a global `service_process_limit` reaches it too, since any value the user writes beats the built-in one.',
      'Remove `process_limit` or set it to 1; in 2.4 give the services that need more their own `process_limit` instead of a global one.',
    ),
    row(
      'service-limit-zero',
      'error',
      'start',
      "A service's `process_limit`, `client_limit`, `restart_request_count` or `idle_kill_interval` is 0, in its block or through a global `service_*`/`default_*` setting (`must be higher than 0`): Dovecot 2.4 no longer reads 0 as the default.",
      'Remove the setting (the default applies) or write `unlimited`.',
      ONLY_24,
    ),
    row(
      'service-min-avail',
      'error',
      MASTER_ORIGIN,
      '`process_min_avail` is higher than `process_limit`; in 2.4, with `reuse_port = yes` the two must be equal.',
      'Lower `process_min_avail` or raise `process_limit` (at most 1 for the 2.3 replicator).',
    ),
    row(
      'service-vsz-limit',
      'error',
      MASTER_ORIGIN,
      '`vsz_limit` is below 1M (doveconf: `vsz_limit is too low`); 2.3 reads 0 as the default, 2.4 rejects it.',
      'Use at least 1M, or `unlimited` (2.3: 0 for the default).',
    ),
    row(
      'service-drop-priv-chroot',
      'error',
      MASTER_ORIGIN,
      "`drop_priv_before_exec = yes` in a service that runs chrooted (the login services chroot to `login` by default): `drop_priv_before_exec=yes can't be used with chroot`.",
      'Remove `drop_priv_before_exec`, or set `chroot =` empty in that service.',
    ),
    row(
      'listener-path-empty',
      'error',
      MASTER_ORIGIN,
      'A unix/fifo listener of an enabled service has an empty path.',
      'Give the listener a name (its path).',
    ),
    row(
      'duplicate-listener',
      'error',
      MASTER_ORIGIN,
      'Two listeners use the same path or port/address (doveconf: `duplicate listener`); in 2.4 a listener block outside a service belongs to every service.',
      'Change one of the ports or paths; put listener blocks inside their service.',
    ),
    row(
      'unknown-protocol',
      'error',
      MASTER_ORIGIN,
      '`protocols` names a protocol no service provides (doveconf: `protocols: Unknown protocol`); 2.4 has no `none`.',
      'Fix the name, or install the package that provides it (e.g. dovecot-pop3d); in 2.4 write `protocols =` for none.',
    ),
    row(
      'master-variable-fails-at-start',
      'error',
      'start',
      "A `%{variable}` in a setting Dovecot 2.4's master process reads when it starts: a service's (`executable`, `user`, `chroot`, `vsz_limit`), a listener's (`port`, `user`, `mode`), its own (`base_dir`, `default_internal_user`), or the name of a `service` or `inet_listener` block. The master has no variables (only forms such as `%{env:NAME}`): doveconf -n accepts the line, but Dovecot stops at start (as doveconf -x does) with `Failed to expand service_executable setting variables: Unknown variable 'user'`; a function's name written as a variable (`%{upper}`) fails there with that function's error (`upper: No value to upper`).",
      'Write the value itself; a per-user value belongs in a mail setting, which the mail processes expand.',
      ONLY_24,
    ),
    row(
      'master-value-invalid-at-start',
      'error',
      'start',
      "A setting Dovecot 2.4's master process reads when it starts (a service's `vsz_limit` or `client_limit`, a listener's `port`, its own `version_ignore`) whose `%{…}` expands, but whose value is then no number, size, time or boolean whatever the `%{…}` give (`vsz_limit = x %{process:pid}`, `client_limit = %{env:HOME} quota`). doveconf -n does not check a value holding `%{`; the master expands and converts it and stops (`Invalid setting service_vsz_limit=x 4242 (before expansion: x %{process:pid}): Invalid size: x 4242`, as doveconf -x does).",
      "Write a value of the setting's type; text around a `%{…}` must be part of it (`%{env:LIMIT}M` for a size).",
      ONLY_24,
    ),
    row(
      'service-in-filter-aborts',
      'error',
      'start',
      "A `service` block inside a `protocol`, `local` or `remote` block that sets `listen`: `doveconf -n` accepts it, but Dovecot 2.4.4 checks that block's services on their own when it starts and aborts (`Panic: Unexpectedly didn't find service auth`, as doveconf -x does).",
      'Put service blocks at top level; a protocol-specific listener address goes into the listener: `service imap-login { inet_listener imap { listen = … } }`.',
      ONLY_24,
    ),
    row(
      'stats-group-by-invalid',
      'error',
      'runtime',
      "A metric's `group_by` block that Dovecot 2.4's stats process refuses when it starts: more than one `method` block, an exponential method whose `exponential_base` is not 2 or 10, or a linear method whose `linear_step` is 0 (also when not set: its default is 0), whose `linear_min` is not below `linear_max`, or whose first step passes `linear_max`. `doveconf -n` accepts it; the stats process stops (`stats: Fatal: metric_group_by duration: metric_group_by_method_linear_step must not be 0`), so no metric is collected and `doveadm stats` fails. Values set in the metric block or globally count, as the stats process reads them.",
      'Set `min`, `max` and `step` in the `method linear { }` block, or `base = 2` or `10` in `method exponential { }`; keep one method per `group_by`.',
      ONLY_24,
    ),
  ]),
  // Dovecot 2.4's config parser (src/config/config-parser.c@2.4.4).
  ...family('parser-2.4', [
    row(
      'config-version-missing',
      'error',
      'doveconf',
      'A Dovecot 2.4 configuration must start with `dovecot_config_version` (doveconf: `The first setting must be dovecot_config_version`).',
      'Put `dovecot_config_version = 2.4.4` (the version the file was written for) before everything else, includes too.',
      ONLY_24,
    ),
    row(
      'config-version-invalid',
      'error',
      'doveconf',
      '`dovecot_config_version` names a version this Dovecot does not know, is not a plain string, changes later in the configuration, or is written over several lines with `\\` (Dovecot 2.4 then aborts on its own built-in settings: `Panic: Error in internal import configuration`).',
      'Use one of the versions doveconf lists (2.4.0 to 2.4.4) once, as a plain value on one line.',
      ONLY_24,
    ),
    row(
      'storage-version-missing',
      'error',
      'doveconf',
      'Dovecot 2.4 requires `dovecot_storage_version` (doveconf: `dovecot_storage_version setting must be set`).',
      'Add `dovecot_storage_version = 2.4.4` (the oldest version whose storage format must stay readable).',
      ONLY_24,
    ),
    row(
      'section-syntax',
      'error',
      'doveconf',
      'A 2.4 block is written the wrong way: a named filter with a name, a named list filter without one or as `key = value`, a string list written as a value, a plain setting opened as a block.',
      'Write it as doveconf says: `key {` for named filters and lists, `key NAME {` for named list filters, `key = value` for plain settings.',
      ONLY_24,
    ),
    row(
      'filter-required-setting',
      'error',
      'doveconf',
      'A named filter lacks the setting it requires (doveconf: `Named filter X is required to have Y setting`).',
      'Add the required setting (or block) inside the filter.',
      ONLY_24,
    ),
    row(
      'value-aborts-doveconf',
      'error',
      'doveconf',
      'A value with a `%{...}` Dovecot 2.4 cannot parse, in a setting that takes no variables (`passwd_file_path = %{user |`) or next to a `$SET:`/`$ENV:` word: the line is accepted, but doveconf aborts when it writes the configuration out (`Panic: %{user |: syntax error, ...`), so `doveconf -n` fails, and for a setting without variables Dovecot does not start either.',
      'Finish the `%{...}` (`%{user}`), or write a literal `%` as `%%`.',
      ONLY_24,
    ),
    row(
      'setting-aborts-dovecot',
      'error',
      'doveconf',
      '`doveadm_proxy_port`, the old name of `doveadm_port`, is set: Dovecot 2.4 aborts while reading it (`Panic: file config-parser.c: line 747: unreached` in 2.4.4), so `doveconf` fails and `dovecot` does not start.',
      'Write `doveadm_port` instead (a quick fix renames it).',
      ONLY_24,
    ),
    row(
      'unknown-escape',
      'error',
      'doveconf',
      'A quoted value, key or name contains a backslash escape other than `\\\\` or `\\"` (doveconf 2.4: `Unknown escape sequence`).',
      'Double the backslash, or leave the value unquoted.',
      ONLY_24,
    ),
    row(
      'set-variable-error',
      'error',
      'doveconf',
      '`key = $SET:key ...` names a list, a filter or no setting at all, so doveconf cannot expand it (`Failed to expand $SET:...`), or the value it reads was itself written with a `$SET:` of another setting (`Chained $SET:key loops back to itself`). In a boolean list a bare `$SET:` (`protocols = imap $SET:`) is such a reference too: doveconf expands each element on its own and finds no setting with an empty name.',
      'Write the list as a block (`mail_plugins { name = yes }`), fix or complete the name, or write the value the earlier line means instead of its `$SET:`.',
      ONLY_24,
    ),
    row(
      'settings-check',
      'error',
      'doveconf',
      "A value or a combination of settings Dovecot rejects once the whole configuration is read (doveconf: `Error in configuration file F: ...`, no line), e.g. `mail_nfs_index=yes requires mmap_disable=yes`, `imap_client_workarounds: Unknown workaround: ...`, an event filter Dovecot cannot parse (`Invalid log_debug: event filter: syntax error, unexpected $end, ...`, the `filter` of a `metric`), a `metric` or `event_exporter` without a name, a `metric` whose `exporter` names no `event_exporter` (`metric X refers to non-existent exporter 'Y'`), in 2.4 `mail_cache_max_size can't be over 1 GB`, a service block inside a protocol/local/remote filter without `listen`, or a `passdb`/`userdb` block written inside another block than a `protocol` one with none of its name at top level (`Failed to get userdb x: Filter userdb=x unexpectedly not found ...`). Each filter is checked on its values as doveconf sees them (2.4: its own over the defaults; 2.3: its own over the global ones read before it).",
      'Use a value in the allowed range, set the settings the message names in the same block; put service blocks and passdb/userdb blocks at top level; in an event filter, quote a value with characters other than letters, digits and `:.*?_-`.',
    ),
    row(
      'value-crashes-dovecot',
      'error',
      'doveconf',
      "A value Dovecot 2.3 dies on while it reads the configuration, without a message: a metric's `group_by` with a linear step of 0 (`duration:linear:0:100:0`) divides by zero, so `doveconf` and `dovecot` are killed (Floating point exception) and Dovecot does not start.",
      'Use a step of 1 or more (`duration:linear:0:100:10`).',
      ONLY_23,
    ),
    tagged(
      'deprecated',
      row(
        'sieve-extension-removed',
        'warning',
        'doveconf',
        'A `sieve_extensions`, `sieve_global_extensions` or `sieve_implicit_extensions` list enables `imapflags` or `notify`, deprecated Sieve extensions that Pigeonhole 2.4 no longer has (doveconf: `sieve: ignored unknown extension ...`); scripts that require them fail to compile.',
        'Remove them from the list; scripts use `imap4flags` and `enotify` instead.',
        ONLY_24,
      ),
    ),
    row(
      'sieve-extension-unknown',
      'warning',
      'doveconf',
      'A global `sieve_extensions`, `sieve_global_extensions` or `sieve_implicit_extensions` list enables a name Pigeonhole 2.4 does not know (a typo, a 2.3 `+name`/`-name` word, or an extension of a plugin `sieve_plugins` does not load); doveconf warns `sieve: ignored unknown extension ...` and Sieve runs without it.',
      'Write the extension as Pigeonhole names it (e.g. `vnd.dovecot.pipe` with `sieve_plugins = sieve_extprograms`), one name per list element.',
      ONLY_24,
    ),
    row(
      'file-value-doveconf-warns',
      'warning',
      'doveconf',
      "A global `sieve_extensions`, `sieve_global_extensions` or `sieve_implicit_extensions` list is read from a `<file`: Dovecot reads the names from the file when it starts, but `doveconf -n` does not read it and takes the text `<path` as extension names, so every check of the configuration warns `sieve: ignored unknown extension '<path' ...`.",
      'Write the extension names themselves instead of `<file`.',
      ONLY_24,
    ),
    row(
      'special-use-unknown',
      'warning',
      'doveconf',
      "A mailbox `special_use` label is not one of RFC 6154's (`\\All`, `\\Archive`, `\\Drafts`, `\\Flagged`, `\\Important`, `\\Junk`, `\\Sent`, `\\Trash`); doveconf warns and allows it, but IMAP clients will not recognise it.",
      'Use one of the RFC labels, with its backslash: `special_use = \\Sent`.',
      ONLY_24,
    ),
    row(
      'unknown-group',
      'error',
      'doveconf',
      'An `@label = name` include-group line names no `group @label name { }` defined before it, or is nested in a group.',
      'Define the group first, at top level, and include it by its label and name.',
      ONLY_24,
    ),
    row(
      'variable-syntax-23',
      'error',
      'runtime',
      'A 2.3-style `%u`/`%d`/`%n` variable in a Dovecot 2.4 value: 2.4 keeps it as the literal text `%u`, so paths and queries silently use the wrong value.',
      'Use the 2.4 form the message names, e.g. `%{user}`, `%{user | domain}`, `%{user | username}`.',
      ONLY_24,
    ),
    row(
      'set-variable-fails-at-start',
      'error',
      'start',
      '`$SET:name` of another setting names no setting, or a list or filter (`$SET:mail_plugins`), or the path before the name (`$SET:service/auth/service_process_limit`) names no list filter written before the line or built into Dovecot (`$SET:protocol/imap/mail_plugins`): doveconf -n leaves it alone, but Dovecot expands it when it starts (as `doveconf -x` does) and stops with `Failed to expand $SET:name: ...`.',
      'Fix the name (after a path it is the full name: `service_process_limit`, not `process_limit`), or write the value itself; a list is extended with a block (`mail_plugins { quota = yes }`).',
      ONLY_24,
    ),
    row(
      'variable-text-fails-at-start',
      'error',
      'start',
      'A `$SET:name` or `$ENV:NAME` that does not begin a word (after a tab, `x<tab>$SET:name`, or inside one, `x$SET:name`) in a boolean, number, size, time or choice setting: Dovecot 2.4 expands only words that begin with it (words are separated by spaces) and keeps the rest as text. doveconf -n checks no value holding `$SET:`, but Dovecot checks the text when it starts (as `doveconf -x` does) and stops: `Invalid number x<tab>$SET:name`.',
      'Separate the reference from the text before it with a space, or write the value itself.',
      ONLY_24,
    ),
    row(
      'setting-variable-23',
      'error',
      'runtime',
      "A 2.3-style `$name` naming a setting in a Dovecot 2.4 value (`mail_plugins = $mail_plugins quota`): 2.4 expands only `$SET:name` and `$ENV:NAME` and keeps `$name` as literal text; doveconf accepts it, but a boolean list gets an element named `$mail_plugins` (mail processes stop: `Plugin '$mail_plugins' not found`) and a string keeps the text.",
      'Add to a boolean list with a block (`mail_plugins { quota = yes }`); elsewhere write `$SET:name`. The quick fix writes what the conversion to 2.4 writes.',
      ONLY_24,
    ),
  ]),
  // Dialect (FACTS §4).
  ...family('dialect', [
    row(
      'mixed-dialect',
      'warning',
      'practice',
      'The configuration mixes Dovecot 2.3 and 2.4 constructs: reported once where 2.4 starts, and on every 2.3 construct with what it becomes in 2.4.',
      'Convert it to one version: each 2.3 construct has a quick fix that writes what **Dovecot: Convert to Dovecot 2.4…** writes there, or convert the whole tree with that command.',
    ),
    row(
      'removed-in-2.4',
      'error',
      'doveconf',
      'A 2.3 setting or block that Dovecot 2.4 no longer has, replication among them (`mail_replica`, `replication_*`, `replicator_*`); doveconf 2.4 reports it as unknown. The message names the 2.4 replacement where there is one.',
      'Use the 2.4 replacement the message names; for replication use shared storage or run `doveadm sync` externally.',
      ONLY_24,
    ),
    row(
      'replication-removed-in-2.4',
      'error',
      'runtime',
      'The replicator or aggregator service, or the replication plugin in `mail_plugins`: Dovecot 2.4 has none of them, so nothing replicates (doveconf itself does not object).',
      'Remove them; use shared storage or run `doveadm sync` externally.',
      ONLY_24,
    ),
  ]),
  // dsync replication (FACTS §3, lab/REPORT.md).
  ...family('replication', [
    row(
      'replication-notify-missing',
      'error',
      'runtime',
      '`replication` is in `mail_plugins` without `notify`: every mail process dies with `Plugin notify must be loaded also`.',
      'Add `notify` to the same `mail_plugins` line.',
      ONLY_23,
    ),
    row(
      'replication-plugin-missing',
      'error',
      'runtime',
      'Replication is configured but `replication` is not in the global `mail_plugins`: changes are never notified and mail is not replicated (nothing is logged).',
      'Set `mail_plugins = $mail_plugins notify replication`.',
      ONLY_23,
    ),
    row(
      'replication-protocol-plugins-dropped',
      'error',
      'runtime',
      'A `protocol X { mail_plugins = ... }` for a mail-writing protocol drops `notify`/`replication`, so mail written by X is not replicated until the next full sync.',
      'Start the value with `$mail_plugins`, and make sure the global value is set before the protocol block.',
      ONLY_23,
    ),
    row(
      'mail-replica-missing',
      'error',
      'runtime',
      'The replication plugin is loaded but no `mail_replica` is set (doveadm: `User has no mail_replica in userdb`).',
      'Add `plugin { mail_replica = tcp:PEER:PORT }`.',
      ONLY_23,
    ),
    row(
      'mail-replica-malformed',
      'error',
      'runtime',
      '`mail_replica` is not `tcp:host[:port]`, `tcps:host[:port]`, `remote:[login@]host` or `remoteprefix:[login@]host`; anything else is taken as a local mail location.',
      'Write the peer as `tcp:HOST:PORT` (or `tcps:`).',
      ONLY_23,
    ),
    row(
      'mail-replica-outside-plugin',
      'error',
      'doveconf',
      '`mail_replica` is a plugin setting; at top level doveconf fails with `Unknown setting: mail_replica`.',
      'Move it into `plugin { }`.',
      ONLY_23,
    ),
    row(
      'mail-replica-self',
      'error',
      'runtime',
      "`mail_replica` points at this host's own doveadm listener: dsync waits on its own lock and nothing reaches the peer.",
      'Point `mail_replica` at the other host.',
      ONLY_23,
    ),
    row(
      'doveadm-port-missing',
      'error',
      'runtime',
      'A `tcp:`/`tcps:` replica has no port and `doveadm_port` is not set: dsync connects to port 0 (`connect(PEER:0) failed`).',
      'Add the port to `mail_replica` or set `doveadm_port`.',
      ONLY_23,
    ),
    row(
      'doveadm-password-missing',
      'error',
      'runtime',
      "Replicating over `tcp:`/`tcps:` with an empty `doveadm_password` (`doveadm_password not set, can't authenticate to remote server`).",
      'Set the same `doveadm_password` on both hosts.',
      ONLY_23,
    ),
    row(
      'doveadm-listener-missing',
      'error',
      'runtime',
      '`service doveadm` has no `inet_listener`, so the peer cannot connect (`Connection refused`).',
      'Add `inet_listener { port = N }` to `service doveadm`.',
      ONLY_23,
    ),
    row(
      'doveadm-port-mismatch',
      'warning',
      'runtime',
      'This host listens for doveadm on a different port than the one it uses for the peer; with symmetric configs the peer then connects to a closed port.',
      'Use the same port in `mail_replica`/`doveadm_port` and the doveadm `inet_listener`.',
      ONLY_23,
    ),
    row(
      'doveadm-listener-http',
      'error',
      'runtime',
      'The doveadm inet listener is named `http`, which selects the HTTP API instead of the dsync protocol.',
      'Rename the listener (or leave it unnamed).',
      ONLY_23,
    ),
    row(
      'tcps-listener-no-ssl',
      'error',
      'runtime',
      '`tcps:` replica while the doveadm listener is not `ssl = yes`: the handshake fails (`doveadm client not compatible with this server`).',
      'Set `ssl = yes` on the doveadm inet listener, or use `tcp:`.',
      ONLY_23,
    ),
    row(
      'tcp-to-ssl-listener',
      'error',
      'runtime',
      '`tcp:` replica while the doveadm listener is `ssl = yes`: the server expects TLS (`wrong version number`).',
      'Use `tcps:` in `mail_replica`, or `ssl = no` on the listener.',
      ONLY_23,
    ),
    row(
      'tcps-no-client-ca',
      'error',
      'runtime',
      '`tcps:` without `ssl_client_ca_file`/`ssl_client_ca_dir`: the peer certificate cannot be verified (`Received invalid SSL certificate`).',
      "Set `ssl_client_ca_file` to the CA that signed the peer's certificate.",
      ONLY_23,
    ),
    row(
      'tcps-ssl-disabled',
      'error',
      'runtime',
      'Global `ssl = no` while the doveadm listener has `ssl = yes`: Dovecot silently does not create the listener.',
      'Set `ssl = yes` (or `required`) at top level with `ssl_cert`/`ssl_key`.',
      ONLY_23,
    ),
    row(
      'tcps-no-server-cert',
      'error',
      'runtime',
      'An `ssl = yes` doveadm listener without top-level `ssl_cert`/`ssl_key`: TLS cannot start.',
      'Set `ssl_cert = </path/cert.pem` and `ssl_key = </path/key.pem` at top level.',
      ONLY_23,
    ),
    row(
      'aggregator-fifo-permissions',
      'error',
      'runtime',
      "The aggregator's `replication-notify-fifo` is not writable by the mail user (default root 0600): `open(.../replication-notify-fifo) failed: Permission denied`.",
      'Set `user = <mail user>` in `fifo_listener replication-notify-fifo` of `service aggregator`.',
      ONLY_23,
    ),
    row(
      'aggregator-socket-permissions',
      'warning',
      'runtime',
      "The aggregator's `replication-notify` socket is not writable by the mail user (used by synchronous replication).",
      'Set `user = <mail user>` in `unix_listener replication-notify` of `service aggregator`.',
      ONLY_23,
    ),
    row(
      'replication-listener-owner-unverified',
      'information',
      'runtime',
      'A replication listener (`replication-notify-fifo`, `replication-notify`, `replicator-doveadm`) is owned by a named user, and the configuration does not say which user the mail processes run as (no `mail_uid`, no `uid=` in a userdb): it works only if that user is the mail user.',
      "Check the mail user on the server and set the listener's `user` to it, or set `mail_uid` so the linter can check it.",
      ONLY_23,
    ),
    row(
      'replicator-min-avail',
      'warning',
      'runtime',
      '`service replicator` without `process_min_avail = 1`: no replicator at boot, so no initial or periodic full sync until something wakes it.',
      'Set `process_min_avail = 1` in `service replicator`.',
      ONLY_23,
    ),
    row(
      'replicator-doveadm-socket',
      'warning',
      'runtime',
      '`replicator-doveadm` is left at mode 0 (no socket: every `doveadm replicator` command fails) or is not writable by the mail user (each sync logs `Permission denied`).',
      'Set `mode = 0600` and `user = <mail user>` in `unix_listener replicator-doveadm`.',
      ONLY_23,
    ),
    row(
      'replicator-doveadm-world-writable',
      'information',
      'practice',
      '`replicator-doveadm` mode 0666 lets any local user drive the replicator.',
      'Use `mode = 0600` with `user = <mail user>`.',
      ONLY_23,
    ),
    row(
      'replication-max-conns-invalid',
      'error',
      'runtime',
      '`replication_max_conns = 0` lets the replicator start no dsync at all.',
      'Remove it (default 10) or set a positive number.',
      ONLY_23,
    ),
    row(
      'replication-sync-timeout-invalid',
      'error',
      'runtime',
      '`replication_sync_timeout` must be a plain number of seconds (`Invalid replication_sync_timeout value`).',
      'Write e.g. `replication_sync_timeout = 2`.',
      ONLY_23,
    ),
    tagged(
      'unnecessary',
      row(
        'replication-setting-in-plugin',
        'warning',
        'runtime',
        'A replicator/doveadm top-level setting is inside `plugin {}`, where it is silently ignored.',
        'Move it to the top level.',
        ONLY_23,
      ),
    ),
    row(
      'userdb-not-iterable',
      'warning',
      'runtime',
      "No userdb can list users (static, prefetch, checkpassword): existing mailboxes are never fully synced (`listing users failed, can't replicate existing data`).",
      'Use a userdb that can iterate (passwd-file, sql with iterate_query, ldap with iterate_attrs).',
      ONLY_23,
    ),
    row(
      'doveadm-password-weak',
      'warning',
      'practice',
      '`doveadm_password` is short or a well-known default; anyone reaching the doveadm port can read and change all mail.',
      'Use a long random password (the quick fix generates one) on both hosts.',
      ONLY_23,
    ),
  ]),
  // Two hosts (dovecot-lint --peer, dovecot.replication.peers).
  ...family('peer', [
    row(
      'peer-password-mismatch',
      'error',
      'runtime',
      "The two hosts' `doveadm_password` differ (byte for byte; `<file` includes its newline): both directions fail authentication.",
      'Use the same password source on both hosts.',
      ONLY_23,
    ),
    row(
      'peer-port-mismatch',
      'error',
      'runtime',
      'This host connects to a port on which the peer has no doveadm listener (`connect(PEER:PORT) failed: Connection refused`).',
      "Use the peer's doveadm listener port in `mail_replica`.",
      ONLY_23,
    ),
    row(
      'peer-transport-mismatch',
      'error',
      'runtime',
      "This host's `tcp:`/`tcps:` does not match the peer listener's `ssl` setting: the handshake fails.",
      'Use `tcps:` toward an `ssl = yes` listener and `tcp:` toward a plain one.',
      ONLY_23,
    ),
    row(
      'peer-not-pointing-back',
      'warning',
      'practice',
      "This host's `mail_replica` does not name the peer's doveadm listener address (its `address` or `listen`): the two configs do not point at each other, so changes here never reach that peer. Not reported when the peer listens on a wildcard.",
      "Use the peer's doveadm listener address as the host of `mail_replica`.",
      ONLY_23,
    ),
  ]),
] as const satisfies readonly Rule[];

/** A rule's id: the only codes a finding, a quick fix or a test may name (a misspelt id does not compile). */
export type RuleId = (typeof RULES)[number]['id'];

const RULES_BY_ID: ReadonlyMap<string, Rule & { id: RuleId }> = new Map(RULES.map((rule) => [rule.id, rule]));

/** The rule of an id that comes from outside the code (a command-line option, a setting, a diagnostic's code). */
export function findRule(id: string): (Rule & { id: RuleId }) | undefined {
  return RULES_BY_ID.get(id);
}

export function isRuleId(id: string): id is RuleId {
  return RULES_BY_ID.has(id);
}

export function ruleOf(id: RuleId): Rule {
  return RULES_BY_ID.get(id)!;
}

/** Who has the rule's opinion on a tree read as this version. */
export function ruleOrigin(rule: Rule, version: CheckedVersion): RuleOrigin {
  return typeof rule.origin === 'string' ? rule.origin : rule.origin[version];
}

/** The rules of some families, in table order. */
export function rulesOf(...families: readonly RuleFamily[]): (Rule & { id: RuleId })[] {
  return RULES.filter((rule) => families.includes(rule.family));
}

/** The level a finding is reported at: the rule's default, unless the user overrode it. */
export function levelFor(id: RuleId, overrides: Readonly<Record<string, LevelSetting>> = {}): LevelSetting {
  return overrides[id] ?? ruleOf(id).level;
}
