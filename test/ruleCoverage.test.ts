// Every rule of the rules table fires on a broken configuration and stays quiet once the smallest
// user edit fixes it. One row per rule id; the last test checks the table covers RULES.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { RULES, ruleOf, type RuleId } from '../server/src/service/analysis/rules';
import { getLanguageService, type TreeAnalysis } from '../server/src/service/dovecotLanguageService';
import { MemoryHost, textOf, type FileHost, type FileRead } from '../server/src/service/model/host';
import { DEFAULT_LIMITS } from '../server/src/service/model/limits';

type Files = Record<string, string>;

interface Row {
  id: RuleId;
  broken: Files;
  fixed: Files;
  /** The other host of a replication pair (root PEER_ROOT); one side given = same tree for both. */
  peer?: { broken?: Files; fixed?: Files };
  /** Paths of `broken` that exist but cannot be read (a MemoryHost cannot express that). */
  unreadable?: string[];
  /** Paths of `broken` that are FIFOs (a MemoryHost cannot express that either). */
  fifos?: string[];
}

/** Rules no configuration can trigger by design: `internal-error` is raised only when a check throws. */
const UNTRIGGERABLE: RuleId[] = ['internal-error'];

const ROOT = '/etc/dovecot/dovecot.conf';
const PEER_ROOT = '/etc/peer/dovecot.conf';

/** A host whose listed paths exist (isFile, listDirectory) but cannot be read, like a 0000 file, or are FIFOs. */
class UnreadableHost implements FileHost {
  constructor(
    private readonly inner: MemoryHost,
    private readonly unreadable: ReadonlySet<string>,
    private readonly fifos: ReadonlySet<string> = new Set(),
  ) {}

  readFile(filePath: string): string | undefined {
    return textOf(this.read(filePath, DEFAULT_LIMITS.fileBytes));
  }

  read(filePath: string, maxBytes: number): FileRead {
    if (this.unreadable.has(filePath)) return { kind: 'unreadable' };
    if (this.fifos.has(filePath)) return { kind: 'not-regular', what: 'a FIFO' };
    return this.inner.read(filePath, maxBytes);
  }

  listDirectory(dirPath: string): string[] | undefined {
    return this.inner.listDirectory(dirPath);
  }

  isFile(filePath: string): boolean {
    return this.inner.isFile(filePath) && !this.fifos.has(filePath);
  }
}

function conf(text: string, extra: Files = {}): Files {
  return { [ROOT]: text, ...extra };
}

/** Replaces `from` by `to` in the root file; `from` must occur, so a stale edit fails loudly. */
function edit(files: Files, ...edits: [from: string, to: string][]): Files {
  let text = files[ROOT];
  for (const [from, to] of edits) {
    assert.ok(text.includes(from), `${ROOT} does not contain ${JSON.stringify(from)}`);
    text = text.replace(from, to);
  }
  return { ...files, [ROOT]: text };
}

function mountPeer(files: Files): Files {
  return Object.fromEntries(Object.entries(files).map(([file, text]) => [file === ROOT ? PEER_ROOT : file, text]));
}

const CERTS: Files = {
  '/etc/dovecot/cert.pem': 'CERT\n',
  '/etc/dovecot/key.pem': 'KEY\n',
  '/etc/dovecot/ca.pem': 'CA\n',
};

/** Host 127.0.0.2 of a correct dsync pair (tcp:, port 12345), in one file (after test/fixtures/replication/base). */
const HOST_A = `protocols = imap lmtp
listen = 127.0.0.2
mail_location = maildir:~/Maildir
mail_uid = vmail
mail_gid = vmail
first_valid_uid = 100
mail_plugins = $mail_plugins notify replication
ssl = yes
ssl_cert = </etc/dovecot/cert.pem
ssl_key = </etc/dovecot/key.pem
passdb {
  driver = passwd-file
  args = scheme=CRYPT username_format=%u /etc/dovecot/users
}
userdb {
  driver = passwd-file
  args = username_format=%u /etc/dovecot/users
}
protocol lmtp {
  mail_plugins = $mail_plugins sieve
}
plugin {
  sieve = file:~/sieve;active=~/.dovecot.sieve
  mail_replica = tcp:127.0.0.3:12345
}
doveadm_port = 12345
doveadm_password = Vq3hT8kZr2LmW9xN4pYc
service doveadm {
  inet_listener {
    port = 12345
  }
}
service aggregator {
  fifo_listener replication-notify-fifo {
    user = vmail
  }
  unix_listener replication-notify {
    user = vmail
  }
}
service replicator {
  process_min_avail = 1
  unix_listener replicator-doveadm {
    mode = 0600
    user = vmail
  }
}
`;

const REPL = conf(HOST_A, CERTS);
/** Host 127.0.0.3, pointing back at 127.0.0.2. */
const PEER = edit(REPL, ['listen = 127.0.0.2', 'listen = 127.0.0.3'], ['tcp:127.0.0.3:12345', 'tcp:127.0.0.2:12345']);

const TCPS: [string, string][] = [
  ['tcp:127.0.0.3', 'tcps:127.0.0.3'],
  ['    port = 12345\n', '    port = 12345\n    ssl = yes\n'],
];
const WITH_CA: [string, string] = ['ssl = yes\n', 'ssl = yes\nssl_client_ca_file = /etc/dovecot/ca.pem\n'];
const REPL_TCPS = edit(REPL, ...TCPS, WITH_CA);

const SERVICE_IMAP = 'protocols = imap\nservice imap {\n';
/** The two settings a Dovecot 2.4 configuration starts with. */
const V24 = 'dovecot_config_version = 2.4.4\ndovecot_storage_version = 2.4.4\n';

const ROWS: Row[] = [
  // Syntax.
  {
    id: 'expecting-brace',
    broken: conf('mail_location maildir:~/Maildir\n'),
    fixed: conf('mail_location = maildir:~/Maildir\n'),
  },
  {
    id: 'garbage-after-brace',
    broken: conf('protocol imap { mail_debug = yes\n}\n'),
    fixed: conf('protocol imap {\n  mail_debug = yes\n}\n'),
  },
  {
    id: 'unexpected-close-brace',
    broken: conf('protocol imap {\n  mail_debug = yes\n}\n}\n'),
    fixed: conf('protocol imap {\n  mail_debug = yes\n}\n'),
  },
  {
    id: 'missing-close-brace',
    broken: conf('protocol imap {\n  mail_debug = yes\n'),
    fixed: conf('protocol imap {\n  mail_debug = yes\n}\n'),
  },
  { id: 'missing-key', broken: conf('= maildir:~/Maildir\n'), fixed: conf('mail_location = maildir:~/Maildir\n') },
  {
    id: 'ambiguous-comment',
    broken: conf('auth_mechanisms = plain# login\n'),
    fixed: conf('auth_mechanisms = plain # login\n'),
  },
  {
    id: 'continuation-dropped',
    broken: conf('auth_mechanisms = plain \\\n\nmail_debug = yes\n'),
    fixed: conf('auth_mechanisms = plain\n\nmail_debug = yes\n'),
  },
  {
    id: 'continuation-joins-next-file',
    broken: conf('!include conf.d/10-a.conf\nmail_debug = yes\n', {
      ['/etc/dovecot/conf.d/10-a.conf']: 'mail_plugins = quota \\\n',
    }),
    fixed: conf('!include conf.d/10-a.conf\nmail_debug = yes\n', {
      ['/etc/dovecot/conf.d/10-a.conf']: 'mail_plugins = quota\n',
    }),
  },
  {
    id: 'filter-nesting',
    broken: conf('protocol imap {\n  remote 10.0.0.0/8 {\n    mail_debug = yes\n  }\n}\n'),
    fixed: conf('remote 10.0.0.0/8 {\n  protocol imap {\n    mail_debug = yes\n  }\n}\n'),
  },
  {
    id: 'invalid-network-mask',
    broken: conf('remote 10.0.0.0/33 {\n  mail_debug = yes\n}\n'),
    fixed: conf('remote 10.0.0.0/8 {\n  mail_debug = yes\n}\n'),
  },
  { id: 'include-no-matches', broken: conf('!include local.conf\n'), fixed: conf('!include_try local.conf\n') },
  {
    id: 'include-recursive',
    broken: conf('!include local.conf\n', { '/etc/dovecot/local.conf': 'mail_debug = yes\n!include dovecot.conf\n' }),
    fixed: conf('!include local.conf\n', { '/etc/dovecot/local.conf': 'mail_debug = yes\n' }),
  },
  {
    // Same tree; the fix is outside the files (permissions), so only `broken` has the unreadable file.
    id: 'include-unreadable',
    broken: conf('!include local.conf\n', { '/etc/dovecot/local.conf': 'mail_debug = yes\n' }),
    fixed: conf('!include local.conf\n', { '/etc/dovecot/local.conf': 'mail_debug = yes\n' }),
    unreadable: ['/etc/dovecot/local.conf'],
  },
  {
    // Same tree; the fix replaces the FIFO by a regular file, so only `broken` has the FIFO.
    id: 'file-not-regular',
    broken: conf('!include local.conf\n', { '/etc/dovecot/local.conf': 'mail_debug = yes\n' }),
    fixed: conf('!include local.conf\n', { '/etc/dovecot/local.conf': 'mail_debug = yes\n' }),
    fifos: ['/etc/dovecot/local.conf'],
  },
  {
    id: 'analysis-limit',
    broken: conf(`${'service imap {\n'.repeat(101)}${'}\n'.repeat(101)}`),
    fixed: conf(`${'service imap {\n'.repeat(100)}${'}\n'.repeat(100)}`),
  },
  {
    id: 'file-value-missing',
    broken: conf('ssl_cert = </etc/dovecot/cert.pem\n'),
    fixed: conf('ssl_cert = </etc/dovecot/cert.pem\n', CERTS),
  },
  // Schema.
  {
    id: 'unknown-setting',
    broken: conf('mail_locaton = maildir:~/Maildir\n'),
    fixed: conf('mail_location = maildir:~/Maildir\n'),
  },
  {
    id: 'obsolete-setting',
    broken: conf('ssl_protocols = !SSLv3 !TLSv1\n'),
    fixed: conf('ssl_min_protocol = TLSv1.1\n'),
  },
  {
    id: 'ssl-protocols-not-converted',
    broken: conf('ssl_protocols = !SSLv2 !SSLv3\n'),
    fixed: conf('ssl_protocols = !SSLv3\n'),
  },
  {
    id: 'unknown-variable',
    broken: conf('mail_plugins = $mail_plugin quota\n'),
    fixed: conf('mail_plugins = $mail_plugins quota\n'),
  },
  {
    id: 'unknown-self-variable',
    broken: conf('service imap {\n  vsz_limit = $vsz_limit\n}\n'),
    fixed: conf('service imap {\n  vsz_limit = 1G\n}\n'),
  },
  {
    id: 'variable-fails-doveconf',
    broken: conf('service imap {\n  vsz_limit = $default_vsz_limit\n}\n'),
    fixed: conf('service imap {\n  vsz_limit = 256M\n}\n'),
  },
  {
    id: 'value-crashes-dovecot',
    broken: conf('metric m {\n  filter = event=x\n  group_by = duration:linear:0:100:0\n}\n'),
    fixed: conf('metric m {\n  filter = event=x\n  group_by = duration:linear:0:100:10\n}\n'),
  },
  {
    id: 'file-value-fails-doveconf',
    broken: conf('log_debug = </etc/dovecot/debug-filter\n'),
    fixed: conf('log_debug = category=auth\n'),
  },
  {
    id: 'section-not-allowed',
    broken: conf('plugin {\n  sieve = file:~/sieve\nservice imap {\n}\n}\n'),
    fixed: conf('plugin {\n  sieve = file:~/sieve\n}\nservice imap {\n}\n'),
  },
  { id: 'invalid-value', broken: conf('mail_debug = maybe\n'), fixed: conf('mail_debug = yes\n') },
  {
    id: 'value-aborts-doveconf',
    broken: conf(`${V24}passwd_file_path = /etc/dovecot/%{user |\n`),
    fixed: conf(`${V24}passwd_file_path = /etc/dovecot/%{user | domain}\n`),
  },
  {
    id: 'duplicate-auth-block-name',
    broken: conf('passdb x {\n  driver = pam\n}\npassdb x {\n  driver = pam\n}\n'),
    fixed: conf('passdb x {\n  driver = pam\n}\npassdb y {\n  driver = pam\n}\n'),
  },
  {
    id: 'auth-setting-in-filter',
    broken: conf('remote 10.0.0.0/8 {\n  auth_mechanisms = plain login\n}\n'),
    fixed: conf('protocol imap {\n  auth_mechanisms = plain login\n}\n'),
  },
  { id: 'section-on-scalar', broken: conf('mail_location {\n}\n'), fixed: conf('mail_location = maildir:~/Maildir\n') },
  {
    id: 'service-in-filter',
    broken: conf('protocol imap {\n  service imap {\n  }\n}\n'),
    fixed: conf('service imap {\n}\n'),
  },
  {
    id: 'global-after-filter',
    broken: conf('protocol imap {\n  mail_debug = yes\n}\nmail_debug = no\n'),
    fixed: conf('mail_debug = no\nprotocol imap {\n  mail_debug = yes\n}\n'),
  },
  {
    id: 'ssl-ignored-in-filter',
    broken: conf(
      'dovecot_config_version = 2.4.4\ndovecot_storage_version = 2.4.4\nssl = no\nprotocol imap {\n  ssl = yes\n}\n',
    ),
    fixed: conf(
      'dovecot_config_version = 2.4.4\ndovecot_storage_version = 2.4.4\nssl = no\nprotocol imap {\n  ssl = no\n}\n',
    ),
  },
  {
    id: 'ssl-min-protocol-any',
    broken: conf('dovecot_config_version = 2.4.4\ndovecot_storage_version = 2.4.4\nssl_min_protocol = ANY\n'),
    fixed: conf('dovecot_config_version = 2.4.4\ndovecot_storage_version = 2.4.4\nssl_min_protocol = TLSv1.2\n'),
  },
  {
    id: 'setting-ignored-in-plugin',
    broken: conf('plugin {\n  mail_debug = yes\n}\n'),
    fixed: conf('mail_debug = yes\nplugin {\n}\n'),
  },
  {
    id: 'mail-plugin-dependency-missing',
    broken: conf('protocols = imap\nmail_plugins = quota\nprotocol imap {\n  mail_plugins = imap_quota\n}\n'),
    fixed: conf(
      'protocols = imap\nmail_plugins = quota\nprotocol imap {\n  mail_plugins = $mail_plugins imap_quota\n}\n',
    ),
  },
  {
    id: 'mail-plugin-for-other-program',
    broken: conf('protocols = imap lmtp\nmail_plugins = $mail_plugins sieve\n'),
    fixed: conf('protocols = imap lmtp\nprotocol lmtp {\n  mail_plugins = $mail_plugins sieve\n}\n'),
  },
  // Master checks.
  { id: 'service-missing-name', broken: conf('service {\n}\n'), fixed: conf('service imap {\n}\n') },
  {
    id: 'duplicate-service-name',
    broken: conf('service foo {\n  name = bar\n}\nservice bar {\n}\n'),
    fixed: conf('service foo {\n}\nservice bar {\n}\n'),
  },
  {
    id: 'service-process-limit',
    broken: conf('service anvil {\n  process_limit = 2\n}\n'),
    fixed: conf('service anvil {\n  process_limit = 1\n}\n'),
  },
  {
    id: 'service-min-avail',
    broken: conf(`${SERVICE_IMAP}  process_limit = 5\n  process_min_avail = 6\n}\n`),
    fixed: conf(`${SERVICE_IMAP}  process_limit = 5\n  process_min_avail = 5\n}\n`),
  },
  {
    id: 'service-vsz-limit',
    broken: conf('service doveadm {\n  vsz_limit = 100k\n}\n'),
    fixed: conf('service doveadm {\n  vsz_limit = 100M\n}\n'),
  },
  {
    id: 'listener-path-empty',
    broken: conf(`${SERVICE_IMAP}  unix_listener {\n  }\n}\n`),
    fixed: conf(`${SERVICE_IMAP}  unix_listener imap-extra {\n  }\n}\n`),
  },
  {
    id: 'duplicate-listener',
    broken: conf('protocols = imap\nservice doveadm {\n  inet_listener {\n    port = 143\n  }\n}\n'),
    fixed: conf('protocols = imap\nservice doveadm {\n  inet_listener {\n    port = 12345\n  }\n}\n'),
  },
  { id: 'unknown-protocol', broken: conf('protocols = imap pop4\n'), fixed: conf('protocols = imap pop3\n') },
  {
    id: 'service-type-unknown',
    broken: conf(`${V24}service config {\n  type = foo\n}\n`),
    fixed: conf(`${V24}service config {\n  type = config\n}\n`),
  },
  {
    id: 'service-limit-zero',
    broken: conf(`${V24}default_client_limit = 0\n`),
    fixed: conf(`${V24}default_client_limit = 100\n`),
  },
  {
    id: 'service-drop-priv-chroot',
    broken: conf('protocols = imap\nservice imap-login {\n  drop_priv_before_exec = yes\n}\n'),
    fixed: conf('protocols = imap\nservice imap-login {\n  drop_priv_before_exec = yes\n  chroot =\n}\n'),
  },
  {
    id: 'master-variable-fails-at-start',
    broken: conf(`${V24}service imap {\n  executable = imap %{user}\n}\n`),
    fixed: conf(`${V24}service imap {\n  executable = imap\n}\n`),
  },
  {
    id: 'master-value-invalid-at-start',
    broken: conf(`${V24}service imap {\n  vsz_limit = x %{process:pid}\n}\n`),
    fixed: conf(`${V24}service imap {\n  vsz_limit = %{process:pid}M\n}\n`),
  },
  {
    id: 'service-in-filter-aborts',
    broken: conf(`${V24}protocol imap {\n  listen = 127.0.0.1\n  service imap-login {\n  }\n}\n`),
    fixed: conf(`${V24}service imap-login {\n  inet_listener imap {\n    listen = 127.0.0.1\n  }\n}\n`),
  },
  {
    id: 'stats-group-by-invalid',
    broken: conf(`${V24}metric dur {\n  group_by duration {\n    method linear {\n      max = 100\n    }\n  }\n}\n`),
    fixed: conf(
      `${V24}metric dur {\n  group_by duration {\n    method linear {\n      max = 100\n      step = 10\n    }\n  }\n}\n`,
    ),
  },
  // Dialect.
  {
    id: 'mixed-dialect',
    broken: conf('mail_location = maildir:~/Maildir\nmail_driver = maildir\n'),
    fixed: conf('mail_location = maildir:~/Maildir\n'),
  },
  {
    id: 'replication-removed-in-2.4',
    broken: conf(
      'dovecot_config_version = 2.4.4\ndovecot_storage_version = 2.4.4\nmail_plugins {\n  notify = yes\n  replication = yes\n}\n',
    ),
    fixed: conf('dovecot_config_version = 2.4.4\ndovecot_storage_version = 2.4.4\nmail_plugins {\n  notify = yes\n}\n'),
  },
  // Dovecot 2.4's config parser.
  {
    id: 'config-version-missing',
    broken: conf('mail_driver = maildir\ndovecot_config_version = 2.4.4\ndovecot_storage_version = 2.4.4\n'),
    fixed: conf('dovecot_config_version = 2.4.4\ndovecot_storage_version = 2.4.4\nmail_driver = maildir\n'),
  },
  {
    id: 'config-version-invalid',
    broken: conf('dovecot_config_version = 2.3.19\ndovecot_storage_version = 2.4.4\n'),
    fixed: conf('dovecot_config_version = 2.4.4\ndovecot_storage_version = 2.4.4\n'),
  },
  {
    id: 'storage-version-missing',
    broken: conf('dovecot_config_version = 2.4.4\nmail_driver = maildir\n'),
    fixed: conf('dovecot_config_version = 2.4.4\ndovecot_storage_version = 2.4.4\nmail_driver = maildir\n'),
  },
  {
    id: 'removed-in-2.4',
    broken: conf('dovecot_config_version = 2.4.4\ndovecot_storage_version = 2.4.4\nmail_replica = tcp:peer:12345\n'),
    fixed: conf('dovecot_config_version = 2.4.4\ndovecot_storage_version = 2.4.4\n'),
  },
  {
    id: 'section-syntax',
    broken: conf('dovecot_config_version = 2.4.4\ndovecot_storage_version = 2.4.4\npassdb {\n}\n'),
    fixed: conf('dovecot_config_version = 2.4.4\ndovecot_storage_version = 2.4.4\npassdb pam {\n}\n'),
  },
  {
    id: 'filter-required-setting',
    broken: conf('dovecot_config_version = 2.4.4\ndovecot_storage_version = 2.4.4\nmetric imap {\n}\n'),
    fixed: conf(
      'dovecot_config_version = 2.4.4\ndovecot_storage_version = 2.4.4\nmetric imap {\n  filter = event=imap_command_finished\n}\n',
    ),
  },
  {
    id: 'dict-entry-not-a-uri',
    broken: conf('dict {\n  user = vmail\n}\n'),
    fixed: conf('dict {\n  quota = mysql:/etc/dovecot/dict-sql.conf.ext\n}\n'),
  },
  {
    id: 'mode-read-as-decimal',
    broken: conf('service auth {\n  unix_listener auth-userdb {\n    mode = 660\n  }\n}\n'),
    fixed: conf('service auth {\n  unix_listener auth-userdb {\n    mode = 0660\n  }\n}\n'),
  },
  {
    id: 'setting-aborts-dovecot',
    broken: conf('dovecot_config_version = 2.4.4\ndovecot_storage_version = 2.4.4\ndoveadm_proxy_port = 12345\n'),
    fixed: conf('dovecot_config_version = 2.4.4\ndovecot_storage_version = 2.4.4\ndoveadm_port = 12345\n'),
  },
  {
    id: 'unknown-escape',
    broken: conf('dovecot_config_version = 2.4.4\ndovecot_storage_version = 2.4.4\nlogin_greeting = "Mail\\tserver"\n'),
    fixed: conf('dovecot_config_version = 2.4.4\ndovecot_storage_version = 2.4.4\nlogin_greeting = "Mail server"\n'),
  },
  {
    id: 'set-variable-error',
    broken: conf(
      'dovecot_config_version = 2.4.4\ndovecot_storage_version = 2.4.4\nprotocol imap {\n  mail_plugins = $SET:mail_plugins quota\n}\n',
    ),
    fixed: conf(
      'dovecot_config_version = 2.4.4\ndovecot_storage_version = 2.4.4\nprotocol imap {\n  mail_plugins {\n    quota = yes\n  }\n}\n',
    ),
  },
  {
    id: 'settings-check',
    broken: conf('dovecot_config_version = 2.4.4\ndovecot_storage_version = 2.4.4\nmail_cache_max_size = 2G\n'),
    fixed: conf('dovecot_config_version = 2.4.4\ndovecot_storage_version = 2.4.4\nmail_cache_max_size = 1G\n'),
  },
  {
    id: 'sieve-extension-removed',
    broken: conf(
      'dovecot_config_version = 2.4.4\ndovecot_storage_version = 2.4.4\nsieve_extensions {\n  imapflags = yes\n}\n',
    ),
    fixed: conf(
      'dovecot_config_version = 2.4.4\ndovecot_storage_version = 2.4.4\nsieve_extensions {\n  imap4flags = yes\n}\n',
    ),
  },
  {
    id: 'sieve-extension-unknown',
    broken: conf(
      'dovecot_config_version = 2.4.4\ndovecot_storage_version = 2.4.4\nsieve_global_extensions = vnd.dovecot.pipe\n',
    ),
    fixed: conf(
      'dovecot_config_version = 2.4.4\ndovecot_storage_version = 2.4.4\nsieve_plugins = sieve_extprograms\nsieve_global_extensions = vnd.dovecot.pipe\n',
    ),
  },
  {
    id: 'file-value-doveconf-warns',
    broken: conf('dovecot_config_version = 2.4.4\ndovecot_storage_version = 2.4.4\nsieve_extensions = <extensions\n'),
    fixed: conf('dovecot_config_version = 2.4.4\ndovecot_storage_version = 2.4.4\nsieve_extensions = fileinto\n'),
  },
  {
    id: 'special-use-unknown',
    broken: conf(
      'dovecot_config_version = 2.4.4\ndovecot_storage_version = 2.4.4\nnamespace inbox {\n  mailbox Sent {\n    special_use = Sent\n  }\n}\n',
    ),
    fixed: conf(
      'dovecot_config_version = 2.4.4\ndovecot_storage_version = 2.4.4\nnamespace inbox {\n  mailbox Sent {\n    special_use = \\Sent\n  }\n}\n',
    ),
  },
  {
    id: 'unknown-group',
    broken: conf('dovecot_config_version = 2.4.4\ndovecot_storage_version = 2.4.4\n@mailboxes = english\n'),
    fixed: conf('dovecot_config_version = 2.4.4\ndovecot_storage_version = 2.4.4\n'),
  },
  {
    id: 'variable-syntax-23',
    broken: conf('dovecot_config_version = 2.4.4\ndovecot_storage_version = 2.4.4\nmail_path = /srv/mail/%d/%n\n'),
    fixed: conf(
      'dovecot_config_version = 2.4.4\ndovecot_storage_version = 2.4.4\nmail_path = /srv/mail/%{user | domain}/%{user | username}\n',
    ),
  },
  {
    id: 'set-variable-fails-at-start',
    broken: conf(
      'dovecot_config_version = 2.4.4\ndovecot_storage_version = 2.4.4\nmail_path = $SET:mail_home/Maildir\n',
    ),
    fixed: conf('dovecot_config_version = 2.4.4\ndovecot_storage_version = 2.4.4\nmail_path = ~/Maildir\n'),
  },
  {
    id: 'variable-text-fails-at-start',
    broken: conf(
      'dovecot_config_version = 2.4.4\ndovecot_storage_version = 2.4.4\nmail_max_userip_connections = 10\t$SET:x\n',
    ),
    fixed: conf('dovecot_config_version = 2.4.4\ndovecot_storage_version = 2.4.4\nmail_max_userip_connections = 10\n'),
  },
  {
    id: 'setting-variable-23',
    broken: conf(
      'dovecot_config_version = 2.4.4\ndovecot_storage_version = 2.4.4\nlogin_greeting = $login_greeting ready\n',
    ),
    fixed: conf(
      'dovecot_config_version = 2.4.4\ndovecot_storage_version = 2.4.4\nlogin_greeting = $SET:login_greeting ready\n',
    ),
  },
  // dsync replication: each a small edit of the correct host A.
  { id: 'replication-notify-missing', broken: edit(REPL, ['notify replication', 'replication']), fixed: REPL },
  { id: 'replication-plugin-missing', broken: edit(REPL, ['notify replication', 'notify']), fixed: REPL },
  { id: 'replication-protocol-plugins-dropped', broken: edit(REPL, ['$mail_plugins sieve', 'sieve']), fixed: REPL },
  { id: 'mail-replica-missing', broken: edit(REPL, ['  mail_replica = tcp:127.0.0.3:12345\n', '']), fixed: REPL },
  { id: 'mail-replica-malformed', broken: edit(REPL, ['tcp:127.0.0.3:12345', '127.0.0.3:12345']), fixed: REPL },
  {
    id: 'mail-replica-outside-plugin',
    broken: edit(
      REPL,
      ['  mail_replica = tcp:127.0.0.3:12345\n', ''],
      ['doveadm_port', 'mail_replica = tcp:127.0.0.3:12345\ndoveadm_port'],
    ),
    fixed: REPL,
  },
  { id: 'mail-replica-self', broken: edit(REPL, ['tcp:127.0.0.3', 'tcp:127.0.0.2']), fixed: REPL },
  {
    id: 'doveadm-port-missing',
    broken: edit(REPL, ['doveadm_port = 12345\n', ''], ['tcp:127.0.0.3:12345', 'tcp:127.0.0.3']),
    fixed: edit(REPL, ['doveadm_port = 12345\n', '']),
  },
  {
    id: 'doveadm-password-missing',
    broken: edit(REPL, ['doveadm_password = Vq3hT8kZr2LmW9xN4pYc', 'doveadm_password =']),
    fixed: REPL,
  },
  {
    id: 'doveadm-listener-missing',
    broken: edit(REPL, ['  inet_listener {\n    port = 12345\n  }\n', '']),
    fixed: REPL,
  },
  { id: 'doveadm-port-mismatch', broken: edit(REPL, ['127.0.0.3:12345', '127.0.0.3:4321']), fixed: REPL },
  { id: 'doveadm-listener-http', broken: edit(REPL, ['inet_listener {', 'inet_listener http {']), fixed: REPL },
  { id: 'tcps-listener-no-ssl', broken: edit(REPL_TCPS, ['    ssl = yes\n', '']), fixed: REPL_TCPS },
  { id: 'tcp-to-ssl-listener', broken: edit(REPL_TCPS, ['tcps:', 'tcp:']), fixed: REPL_TCPS },
  { id: 'tcps-no-client-ca', broken: edit(REPL, ...TCPS), fixed: REPL_TCPS },
  {
    id: 'tcps-ssl-disabled',
    broken: edit(REPL_TCPS, ['ssl = yes\nssl_client', 'ssl = no\nssl_client']),
    fixed: REPL_TCPS,
  },
  { id: 'tcps-no-server-cert', broken: edit(REPL_TCPS, ['ssl_key = </etc/dovecot/key.pem\n', '']), fixed: REPL_TCPS },
  {
    id: 'aggregator-fifo-permissions',
    broken: edit(REPL, ['replication-notify-fifo {\n    user = vmail\n', 'replication-notify-fifo {\n']),
    fixed: REPL,
  },
  {
    id: 'aggregator-socket-permissions',
    broken: edit(REPL, ['replication-notify {\n    user = vmail\n', 'replication-notify {\n']),
    fixed: REPL,
  },
  {
    id: 'replication-listener-owner-unverified',
    broken: conf(
      'mail_plugins = $mail_plugins notify replication\nservice aggregator {\n  fifo_listener replication-notify-fifo {\n    user = vmail\n  }\n}\n',
    ),
    fixed: conf(
      'mail_plugins = $mail_plugins notify replication\nmail_uid = vmail\nservice aggregator {\n  fifo_listener replication-notify-fifo {\n    user = vmail\n  }\n}\n',
    ),
  },
  { id: 'replicator-min-avail', broken: edit(REPL, ['  process_min_avail = 1\n', '']), fixed: REPL },
  { id: 'replicator-doveadm-socket', broken: edit(REPL, ['    mode = 0600\n', '']), fixed: REPL },
  { id: 'replicator-doveadm-world-writable', broken: edit(REPL, ['mode = 0600', 'mode = 0666']), fixed: REPL },
  {
    id: 'replication-max-conns-invalid',
    broken: edit(REPL, ['doveadm_port', 'replication_max_conns = 0\ndoveadm_port']),
    fixed: edit(REPL, ['doveadm_port', 'replication_max_conns = 10\ndoveadm_port']),
  },
  {
    id: 'replication-sync-timeout-invalid',
    broken: edit(REPL, ['plugin {\n', 'plugin {\n  replication_sync_timeout = 2s\n']),
    fixed: edit(REPL, ['plugin {\n', 'plugin {\n  replication_sync_timeout = 2\n']),
  },
  {
    id: 'replication-setting-in-plugin',
    broken: edit(REPL, ['doveadm_port = 12345\n', ''], ['plugin {\n', 'plugin {\n  doveadm_port = 12345\n']),
    fixed: REPL,
  },
  {
    id: 'userdb-not-iterable',
    broken: edit(REPL, [
      'driver = passwd-file\n  args = username_format=%u /etc/dovecot/users',
      'driver = static\n  args = uid=vmail gid=vmail home=/var/vmail/%u',
    ]),
    fixed: REPL,
  },
  { id: 'doveadm-password-weak', broken: edit(REPL, ['Vq3hT8kZr2LmW9xN4pYc', 'password']), fixed: REPL },
  // Two hosts: analysed with PEER_ROOT as the peer.
  {
    id: 'peer-password-mismatch',
    broken: REPL,
    fixed: REPL,
    peer: { broken: edit(PEER, ['Vq3hT8kZr2LmW9xN4pYc', 'Vq3hT8kZr2LmW9xN4pYd']), fixed: PEER },
  },
  {
    id: 'peer-port-mismatch',
    broken: REPL,
    fixed: REPL,
    peer: { broken: edit(PEER, ['    port = 12345\n', '    port = 4321\n']), fixed: PEER },
  },
  {
    id: 'peer-transport-mismatch',
    broken: REPL,
    fixed: REPL,
    peer: { broken: edit(PEER, ['    port = 12345\n', '    port = 12345\n    ssl = yes\n']), fixed: PEER },
  },
  {
    id: 'peer-not-pointing-back',
    broken: edit(REPL, ['tcp:127.0.0.3', 'tcp:127.0.0.4']),
    fixed: REPL,
    peer: { fixed: PEER },
  },
];

function analyse(row: Row, variant: 'broken' | 'fixed'): TreeAnalysis {
  const peer = row.peer ? (row.peer[variant] ?? row.peer.broken ?? row.peer.fixed) : undefined;
  const files = { ...row[variant], ...(peer ? mountPeer(peer) : {}) };
  const memory = new MemoryHost(files);
  const unreadable = variant === 'broken' ? (row.unreadable ?? []) : [];
  const fifos = variant === 'broken' ? (row.fifos ?? []) : [];
  const host =
    unreadable.length + fifos.length > 0 ? new UnreadableHost(memory, new Set(unreadable), new Set(fifos)) : memory;
  return getLanguageService(host).analyze(ROOT, peer ? { peerRoot: PEER_ROOT } : {});
}

function listing(analysis: TreeAnalysis): string {
  return (
    analysis.diagnostics.map((d) => `  ${d.file}:${d.range.start.line + 1} [${d.code}] ${d.message}`).join('\n') ||
    '  (no diagnostics)'
  );
}

describe('every rule fires on its broken config and not on the fixed one', () => {
  for (const row of ROWS) {
    test(row.id, () => {
      assert.ok(
        JSON.stringify(row.broken) !== JSON.stringify(row.fixed) ||
          JSON.stringify(row.peer?.broken) !== JSON.stringify(row.peer?.fixed) ||
          row.unreadable ||
          row.fifos,
        'broken and fixed must differ',
      );
      const broken = analyse(row, 'broken');
      assert.ok(
        broken.diagnostics.some((d) => d.code === row.id),
        `${row.id} not reported on the broken config:\n${listing(broken)}`,
      );
      const fixed = analyse(row, 'fixed');
      assert.ok(
        !fixed.diagnostics.some((d) => d.code === row.id),
        `${row.id} still reported on the fixed config:\n${listing(fixed)}`,
      );
      for (const analysis of [broken, fixed]) {
        assert.ok(
          !analysis.diagnostics.some((d) => d.code === 'internal-error'),
          `a check crashed:\n${listing(analysis)}`,
        );
        const version = analysis.versionDialect.version;
        const foreign = analysis.diagnostics.filter((d) => !ruleOf(d.code).dialects.includes(version));
        assert.deepEqual(
          foreign.map((d) => d.code),
          [],
          `rules of another version raised on a ${analysis.dialect} tree:\n${listing(analysis)}`,
        );
      }
    });
  }
});

test('the correct replication pair the dsync rows start from raises nothing, either way round', () => {
  const pair = { ...REPL, ...mountPeer(PEER) };
  const service = getLanguageService(new MemoryHost(pair));
  for (const [root, peerRoot] of [
    [ROOT, PEER_ROOT],
    [PEER_ROOT, ROOT],
  ]) {
    const analysis = service.analyze(root, { peerRoot });
    assert.deepEqual(analysis.diagnostics, [], listing(analysis));
  }
});

test('the table has one row per rule of RULES; only internal-error is exempt', () => {
  const ids = ROWS.map((row) => row.id);
  assert.deepEqual(
    ids.filter((id, index) => ids.indexOf(id) !== index),
    [],
    'duplicate rows',
  );
  const known = new Set<string>(RULES.map((rule) => rule.id));
  assert.deepEqual(UNTRIGGERABLE, ['internal-error'], 'internal-error must stay the only rule without a row');
  const missing = RULES.map((rule) => rule.id).filter((id) => !ids.includes(id) && !UNTRIGGERABLE.includes(id));
  assert.deepEqual(missing, [], 'rules without a row');
  assert.ok(
    UNTRIGGERABLE.every((id) => known.has(id) && !ids.includes(id)),
    'an exempt id must be a rule without a row',
  );
  assert.equal(ids.length, RULES.length - UNTRIGGERABLE.length);
});

test('mail-replica-self: a loopback replica reaches this host through any wildcard listen address', () => {
  for (const wildcard of ['*', '::', '[::]', '0.0.0.0']) {
    const files = edit(REPL, ['listen = 127.0.0.2', `listen = ${wildcard}`], ['tcp:127.0.0.3', 'tcp:127.0.0.1']);
    const analysis = getLanguageService(new MemoryHost(files)).analyze(ROOT);
    assert.ok(
      analysis.diagnostics.some((d) => d.code === 'mail-replica-self'),
      `listen = ${wildcard}:\n${listing(analysis)}`,
    );
  }
  const elsewhere = edit(REPL, ['listen = 127.0.0.2', 'listen = 0.0.0.0'], ['tcp:127.0.0.3', 'tcp:192.0.2.3']);
  assert.ok(
    !analyse({ id: 'mail-replica-self', broken: elsewhere, fixed: elsewhere }, 'broken').diagnostics.some(
      (d) => d.code === 'mail-replica-self',
    ),
  );
});
