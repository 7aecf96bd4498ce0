// The 2.3 → 2.4 converter, rule by rule: what converts (the converted text) and what is reported
// (kind and rule of the report entry), on trees held in memory.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { getLanguageService } from '../server/src/service/dovecotLanguageService';
import { MIGRATION_RULES } from '../server/src/service/migrate/rules';
import type { MigrationResult } from '../server/src/service/migrate/types';
import { MemoryHost } from '../server/src/service/model/host';

const ROOT = '/etc/dovecot/dovecot.conf';

function migrate(root: string, others: Record<string, string> = {}): MigrationResult {
  const files: Record<string, string> = { [ROOT]: root };
  for (const [name, text] of Object.entries(others)) files[`/etc/dovecot/${name}`] = text;
  return getLanguageService(new MemoryHost(files)).migrateTree(ROOT, '2.4');
}

/** The converted root without the version lines and marker comments. */
function body(result: MigrationResult, relativePath = 'dovecot.conf'): string[] {
  const file = result.files.find((f) => f.relativePath === relativePath);
  assert.ok(file, `no file ${relativePath}`);
  const added = new Set(['# [2.4 migration] required', '# [2.4 migration] the 2.3 default']);
  return file.converted
    .split('\n')
    .filter(
      (line) =>
        !/^dovecot_(config|storage)_version = /.test(line) &&
        line !== 'protocols = imap pop3 lmtp' &&
        ![...added].some((start) => line.startsWith(start)) &&
        line !== '',
    );
}

function entries(result: MigrationResult, rule: string): MigrationResult['report'] {
  return result.report.filter((entry) => entry.rule === rule);
}

test('every rule of the table has an id, what it matches, how it rewrites and its source', () => {
  const ids = MIGRATION_RULES.map((rule) => rule.id);
  assert.equal(new Set(ids).size, ids.length);
  for (const rule of MIGRATION_RULES) {
    assert.ok(rule.matches.length > 0 && rule.rewrites.length > 0 && rule.source.length > 0, rule.id);
  }
});

test('version-lines: both version settings go above the first statement, after leading comments', () => {
  const result = migrate('# my server\nmail_debug = yes\n');
  const lines = result.files[0].converted.split('\n');
  assert.equal(lines[0], '# my server');
  assert.ok(lines.indexOf('dovecot_config_version = 2.4.0') < lines.indexOf('mail_debug = yes'));
  assert.ok(lines.includes('dovecot_storage_version = 2.4.0'));
  assert.equal(entries(result, 'version-lines')[0].kind, 'converted');
  assert.equal(result.complete, true);
});

test('changed-default: protocols unset in 2.3 is written out as the 2.3 default; a set one is kept', () => {
  const unset = migrate('mail_debug = yes\n');
  const lines = unset.files[0].converted.split('\n');
  assert.ok(
    lines.indexOf('dovecot_config_version = 2.4.0') < lines.indexOf('protocols = imap pop3 lmtp'),
    'dovecot_config_version must stay the first setting',
  );
  assert.equal(entries(unset, 'changed-default')[0].kind, 'needs-review');
  const set = migrate('protocols = imap\n');
  assert.deepEqual(body(set), ['protocols = imap']);
  assert.equal(entries(set, 'changed-default').length, 0);
});

test('rename: a renamed setting gets its 2.4 name; one 2.4 knows stays untouched', () => {
  const result = migrate('auth_default_realm = example.com\nmail_debug = yes\n');
  assert.deepEqual(body(result), ['auth_default_domain = example.com', 'mail_debug = yes']);
  assert.equal(entries(result, 'rename').length, 1);
  assert.equal(
    result.files[0].converted.split('\n')[(entries(result, 'rename')[0].convertedLine ?? 0) - 1],
    'auth_default_domain = example.com',
  );
});

test('rename: doveadm_proxy_port becomes doveadm_port, the setting it stands for (2.4 aborts on the old name)', () => {
  const result = migrate('doveadm_proxy_port = 12345\nprotocol imap {\n  doveadm_proxy_port = 1\n}\n');
  assert.deepEqual(body(result), ['doveadm_port = 12345', 'protocol imap {', '  doveadm_port = 1', '}']);
  assert.deepEqual(
    entries(result, 'rename').map((entry) => entry.kind),
    ['converted', 'converted'],
  );
  assert.equal(result.complete, true);
});

test('rename: disable_plaintext_auth is inverted; service_count 0 is unlimited inside service', () => {
  const result = migrate('disable_plaintext_auth = yes\nservice imap-login {\n  service_count = 0\n}\n');
  assert.deepEqual(body(result), [
    'auth_allow_cleartext = no',
    'service imap-login {',
    '  restart_request_count = unlimited',
    '}',
  ]);
});

test('rename: disable_plaintext_auth = no under ssl = required is commented out, as 2.4 refuses it there', () => {
  const dropped = migrate('ssl = required\ndisable_plaintext_auth = no\n');
  assert.equal(body(dropped).filter((line) => line.startsWith('auth_allow_cleartext')).length, 0);
  assert.match(entries(dropped, 'rename')[0].message, /has no effect with ssl=required/);
  // Where a block lowers ssl the setting had an effect there: the admin writes it in that block.
  const mixed = migrate('ssl = required\ndisable_plaintext_auth = no\nprotocol pop3 {\n  ssl = yes\n}\n');
  assert.equal(body(mixed).filter((line) => line.startsWith('auth_allow_cleartext')).length, 0);
  assert.match(entries(mixed, 'rename')[0].message, /only in protocol pop3/);
  assert.ok(body(migrate('ssl = yes\ndisable_plaintext_auth = no\n')).includes('auth_allow_cleartext = yes'));
});

test('rename: acl_anyone read from a file is reported, not guessed', () => {
  const result = migrate('plugin {\n  acl_anyone = </etc/dovecot/acl_anyone\n}\n', { acl_anyone: 'allow\n' });
  const entry = entries(result, 'rename')[0];
  assert.equal(entry.kind, 'not-converted');
  assert.ok(body(result).some((line) => line.trim() === '#acl_anyone = </etc/dovecot/acl_anyone'));
  assert.equal(result.complete, false);
});

test('mail-location: driver, path and parameters become one setting each, variables rewritten', () => {
  const result = migrate('mail_location = maildir:~/Maildir:INBOX=/var/mail/%u:INDEX=/var/idx/%d/%n:LAYOUT=fs\n');
  assert.deepEqual(body(result), [
    'mail_driver = maildir',
    'mail_path = ~/Maildir',
    'mail_inbox_path = /var/mail/%{user}',
    'mail_index_path = /var/idx/%{user | domain}/%{user | username}',
    'mailbox_list_layout = fs',
  ]);
  assert.equal(entries(result, 'mail-location')[0].kind, 'converted');
});

test('mail-location: an unknown parameter or a location without a driver is reported', () => {
  const unknown = migrate('mail_location = maildir:~/Maildir:BOGUS=1\n');
  assert.equal(entries(unknown, 'mail-location')[0].kind, 'not-converted');
  const noDriver = migrate('mail_location = /var/mail/%u\n');
  assert.equal(entries(noDriver, 'mail-location')[0].kind, 'not-converted');
  assert.ok(body(noDriver)[1].trim().startsWith('#mail_location'));
});

test('mail-location: an empty namespace location is dropped as converted', () => {
  const result = migrate('namespace inbox {\n  inbox = yes\n  location =\n}\n');
  assert.equal(entries(result, 'mail-location')[0].kind, 'converted');
  assert.ok(body(result).includes('  #location ='));
});

test('ssl-file: <file values become *_file paths; inline PEM is reported', () => {
  const result = migrate('ssl_cert = </etc/ssl/c.pem\nssl_key = </etc/ssl/k.pem\nssl_dh = </etc/ssl/dh.pem\n');
  assert.deepEqual(body(result), [
    'ssl_server_cert_file = /etc/ssl/c.pem',
    'ssl_server_key_file = /etc/ssl/k.pem',
    'ssl_server_dh_file = /etc/ssl/dh.pem',
  ]);
  const inline = migrate('ssl_cert = -----BEGIN CERTIFICATE-----\n');
  assert.equal(entries(inline, 'ssl-file')[0].kind, 'not-converted');
});

test('ssl-file: ssl_ca becomes ssl_server_ca_file, for review', () => {
  const result = migrate('ssl_ca = </etc/ssl/ca.pem\n');
  assert.deepEqual(body(result), ['ssl_server_ca_file = /etc/ssl/ca.pem']);
  assert.equal(entries(result, 'ssl-file')[0].kind, 'needs-review');
});

test('auth-db: passdb/userdb get the driver as name; passwd-file args become settings', () => {
  const result = migrate(
    'passdb {\n  driver = passwd-file\n  args = scheme=CRYPT username_format=%u /etc/dovecot/users\n}\nuserdb {\n  driver = static\n  args = uid=vmail home=/var/vmail/%d/%n\n}\n',
  );
  assert.deepEqual(body(result), [
    'passdb passwd-file {',
    '  driver = passwd-file',
    '  default_password_scheme = CRYPT',
    '  passwd_file_path = /etc/dovecot/users',
    '}',
    'userdb static {',
    '  driver = static',
    '  fields {',
    '    uid = vmail',
    '    home = /var/vmail/%{user | domain}/%{user | username}',
    '  }',
    '}',
  ]);
  assert.ok(entries(result, 'auth-db').every((entry) => entry.kind === 'converted'));
});

test('auth-db: sql args and removed drivers are reported', () => {
  const sql = migrate('passdb {\n  driver = sql\n  args = /etc/dovecot/dovecot-sql.conf.ext\n}\n');
  assert.deepEqual(body(sql).slice(0, 2), ['passdb sql {', '  driver = sql']);
  assert.equal(entries(sql, 'auth-db').filter((entry) => entry.kind === 'not-converted').length, 1);
  const removed = migrate('passdb {\n  driver = checkpassword\n  args = /usr/bin/check\n}\n');
  assert.equal(entries(removed, 'auth-db')[0].kind, 'not-converted');
  assert.ok(body(removed).every((line) => line.trimStart().startsWith('#')));
});

test('auth-db: the prefetch userdb, which 2.4 still has, becomes userdb prefetch { }', () => {
  const result = migrate(
    'passdb {\n  driver = sql\n  args = /etc/dovecot/dovecot-sql.conf.ext\n}\nuserdb {\n  driver = prefetch\n}\n',
  );
  const lines = body(result);
  assert.deepEqual(lines.slice(lines.indexOf('userdb prefetch {')), ['userdb prefetch {', '  driver = prefetch', '}']);
  const prefetch = entries(result, 'auth-db').filter((entry) => entry.message.includes('prefetch'));
  assert.deepEqual(
    prefetch.map((entry) => entry.kind),
    ['converted'],
  );
});

test('auth-db: the bsdauth passdb, which 2.4 still has, becomes passdb bsdauth { }; blocking=no is use_worker = no', () => {
  const result = migrate('passdb {\n  driver = bsdauth\n  args = blocking=no\n}\n');
  assert.deepEqual(body(result), ['passdb bsdauth {', '  driver = bsdauth', '  use_worker = no', '}']);
  const reported = entries(result, 'auth-db');
  assert.deepEqual(
    reported.map((entry) => entry.kind),
    ['converted', 'converted'],
  );
  assert.match(reported.map((entry) => entry.message).join('\n'), /still has the bsdauth passdb.*OpenBSD/);
  const cached = migrate('passdb {\n  driver = bsdauth\n  args = cache_key=%u\n}\n');
  assert.deepEqual(body(cached).slice(0, 3), [
    'passdb bsdauth {',
    '  driver = bsdauth',
    '  # [2.4 migration] args not converted: cache_key=%u',
  ]);
  assert.deepEqual(
    entries(cached, 'auth-db').map((entry) => entry.kind),
    ['not-converted', 'converted'],
  );
});

test('auth-db: lua args become lua_file, use_worker and default_password_scheme; cache_key is left with its 2.4 form', () => {
  const result = migrate(
    'passdb {\n  driver = lua\n  args = file=/etc/dovecot/auth.lua blocking=yes\n}\nuserdb {\n  driver = lua\n  args = file=/etc/dovecot/auth.lua blocking=no\n}\n',
  );
  assert.deepEqual(body(result), [
    'passdb lua {',
    '  driver = lua',
    '  lua_file = /etc/dovecot/auth.lua',
    '}',
    'userdb lua {',
    '  driver = lua',
    '  lua_file = /etc/dovecot/auth.lua',
    '  use_worker = no',
    '}',
  ]);
  assert.ok(entries(result, 'auth-db').every((entry) => entry.kind === 'converted'));
  const keyed = migrate(
    'passdb {\n  driver = lua\n  args = file=/etc/dovecot/auth.lua scheme=CRYPT cache_key=%s:%u:%w\n}\n',
  );
  assert.deepEqual(body(keyed).slice(2, 5), [
    '  lua_file = /etc/dovecot/auth.lua',
    '  default_password_scheme = CRYPT',
    '  # [2.4 migration] args not converted: cache_key=%s:%u:%w',
  ]);
  const left = entries(keyed, 'auth-db').filter((entry) => entry.kind === 'not-converted');
  assert.equal(left.length, 1);
  assert.match(
    left[0].action ?? '',
    /auth_passdb_get_cache_key\(\) function return "%\{protocol\}:%\{user\}:%\{password\}"/,
  );
});

test('auth-db: two passdbs of one driver get distinct names', () => {
  const result = migrate('passdb {\n  driver = pam\n}\npassdb {\n  driver = pam\n}\n');
  assert.deepEqual(
    body(result).filter((line) => line.startsWith('passdb')),
    ['passdb pam {', 'passdb pam2 {'],
  );
});

test('plugin-block: the block dissolves; known settings stay, unknown ones are reported', () => {
  const result = migrate('plugin {\n  mail_log_events = delete expunge\n  antispam_backend = pipe\n}\n');
  const lines = body(result);
  assert.ok(lines.includes('  mail_log_events = delete expunge'));
  assert.ok(lines.includes('  #antispam_backend = pipe'));
  assert.ok(lines.some((line) => line.startsWith('#plugin {')));
  assert.equal(entries(result, 'unknown-in-2.4')[0].kind, 'not-converted');
});

test('sieve-script: sieve and sieve_before become sieve_script blocks; sieve_dir is reported', () => {
  const result = migrate(
    'plugin {\n  sieve = file:~/sieve;active=~/.dovecot.sieve\n  sieve_before = /etc/sieve/before.sieve\n  sieve_dir = ~/sieve\n}\n',
  );
  const lines = body(result).map((line) => line.trim());
  assert.ok(lines.includes('sieve_script personal {'));
  assert.ok(lines.includes('active_path = ~/.dovecot.sieve'));
  assert.ok(lines.includes('sieve_script before {'));
  assert.ok(lines.includes('type = before'));
  assert.equal(entries(result, 'sieve-script').filter((entry) => entry.kind === 'not-converted').length, 1);
});

test('quota: quota and a default quota_rule convert; a per-mailbox rule is reported', () => {
  const result = migrate(
    'plugin {\n  quota = maildir:User quota\n  quota_rule = *:storage=1G\n  quota_rule2 = Trash:storage=+100M\n}\n',
  );
  const lines = body(result).map((line) => line.trim());
  assert.ok(lines.includes('quota "User quota" {'));
  assert.ok(lines.includes('quota_storage_size = 1G'));
  assert.deepEqual(
    entries(result, 'quota').map((entry) => entry.kind),
    ['not-converted', 'converted', 'converted'],
  );
});

test('plugin-settings: acl = vfile and fts = flatcurve convert; fts = lucene is reported', () => {
  const result = migrate('plugin {\n  acl = vfile:/etc/dovecot/acls:cache_secs=300\n  fts = flatcurve\n}\n');
  const lines = body(result).map((line) => line.trim());
  assert.ok(lines.includes('acl_driver = vfile'));
  assert.ok(lines.includes('acl_cache_ttl = 300 secs'));
  assert.ok(lines.includes('fts flatcurve {'));
  const lucene = migrate('plugin {\n  fts = lucene\n}\n');
  assert.equal(entries(lucene, 'plugin-settings')[0].kind, 'not-converted');
});

test('variables: short and long 2.3 variables become 2.4 expressions; strftime values are left alone', () => {
  const result = migrate(
    'mail_home = /home/%Ld/%n\nlog_timestamp = "%Y-%m-%d "\nmail_log_prefix = "%s(%{username}): "\n',
  );
  assert.deepEqual(body(result), [
    'mail_home = /home/%{user | domain | lower}/%{user | username}',
    'log_timestamp = "%Y-%m-%d "',
    'mail_log_prefix = "%{service}(%{user | username}): "',
  ]);
});

test("variables: a message or log format's own letters keep their meaning; pid comes from the process provider", () => {
  const result = migrate(
    [
      'rejection_subject = Rejected: %s',
      'rejection_reason = Your message to <%t> was rejected:%n%r',
      'imap_logout_format = in=%i out=%o',
      'pop3_logout_format = top=%t/%p',
      'mail_log_prefix = "%s(%u)<%{pid}>: "',
      'mail_home = /home/%u-%p',
      '',
    ].join('\n'),
  );
  assert.deepEqual(body(result), [
    'rejection_subject = Rejected: %{subject}',
    "rejection_reason = Your message to <%{to}> was rejected:%{literal('\\r\\n')}%{reason}",
    'imap_logout_format = in=%{input} out=%{output}',
    'pop3_logout_format = top=%{top_count}/%{top_bytes}',
    'mail_log_prefix = "%{service}(%{user})<%{process:pid}>: "',
    'mail_home = /home/%{user}-%{process:pid}',
  ]);
});

test('variables: pop3_uidl_format becomes the hex filter form; an unknown code is reported', () => {
  const result = migrate('pop3_uidl_format = %08Xu%08Xv\n');
  assert.deepEqual(body(result), ['pop3_uidl_format = %{uid | hex(8)}%{uidvalidity | hex(8)}']);
  const odd = migrate('pop3_uidl_format = %08Xq\n');
  assert.equal(entries(odd, 'variables')[0].kind, 'not-converted');
});

test('variables: $setting references become $SET:setting', () => {
  const result = migrate('mail_home = /home/x\nmail_chroot = $mail_home\n');
  assert.ok(body(result).includes('mail_chroot = $SET:mail_home'));
});

test('bool-list: $mail_plugins additions become a block; plain lists stay; removed plugins are reported', () => {
  const result = migrate(
    'mail_plugins = $mail_plugins quota zlib\nprotocol imap {\n  mail_plugins = $mail_plugins imap_quota listescape\n}\nprotocols = imap lmtp\n',
  );
  assert.deepEqual(body(result), [
    'mail_plugins {',
    '  quota = yes',
    '  mail_compress = yes',
    '}',
    'protocol imap {',
    '  mail_plugins {',
    '    imap_quota = yes',
    '  }',
    '}',
    'protocols = imap lmtp',
  ]);
  assert.equal(entries(result, 'bool-list').filter((entry) => entry.kind === 'not-converted').length, 1);
});

test('bool-list: sieve_extensions +/- become yes/no entries', () => {
  const result = migrate('plugin {\n  sieve_extensions = +vnd.dovecot.pipe -vacation\n}\n');
  const lines = body(result).map((line) => line.trim());
  assert.ok(lines.includes('vnd.dovecot.pipe = yes'));
  assert.ok(lines.includes('vacation = no'));
});

test('service-listener: address becomes listen; an unnamed listener gets a name', () => {
  const result = migrate(
    'service imap-login {\n  inet_listener imap {\n    address = 127.0.0.1\n  }\n}\nservice doveadm {\n  inet_listener {\n    port = 12345\n  }\n}\n',
  );
  const lines = body(result);
  assert.ok(lines.includes('    listen = 127.0.0.1'));
  assert.ok(lines.includes('  inet_listener doveadm {'));
  assert.equal(
    entries(result, 'service-listener').find((entry) => entry.message.includes('without a name'))?.kind,
    'needs-review',
  );
});

test('namespace: a namespace without a name is named from its prefix, for review', () => {
  const result = migrate('namespace {\n  prefix = INBOX.\n  inbox = yes\n}\n');
  assert.equal(body(result)[0], 'namespace inbox {');
  assert.equal(entries(result, 'namespace')[0].kind, 'needs-review');
});

test('removed: settings and services 2.4 removed are commented out with a marker and reported', () => {
  const result = migrate('imap_id_log = *\nservice director {\n  process_limit = 1\n}\n');
  const text = result.files[0].converted;
  assert.match(text, /# \[2\.4 migration\] removed in 2\.4: imap_id_log\n#imap_id_log = \*/);
  assert.match(text, /#service director \{\n {2}#process_limit = 1\n#\}/);
  assert.deepEqual(
    entries(result, 'removed').map((entry) => entry.kind),
    ['not-converted', 'not-converted'],
  );
});

test('value-change: sieve_vacation_max_period 0 is unlimited; no_compression is dropped', () => {
  const result = migrate('plugin {\n  sieve_vacation_max_period = 0\n}\nssl_options = no_compression no_ticket\n');
  const lines = body(result).map((line) => line.trim());
  assert.ok(lines.includes('sieve_vacation_max_period = unlimited'));
  assert.ok(lines.includes('ssl_options = no_ticket'));
});

test('value-change: imapc_features words 2.4 does by default are dropped, the others kept', () => {
  const result = migrate('imapc_features = rfc822.size Fetch-Headers no-examine throttle:1:30000:500\n');
  const lines = body(result).map((line) => line.trim());
  assert.ok(lines.includes('imapc_features = no-examine throttle:1:30000:500'), lines.join('\n'));
  const entry = entries(result, 'value-change')[0];
  assert.match(entry.message, /^rfc822\.size, Fetch-Headers removed from imapc_features: .*no-fetch-size/);
  const only = migrate('imapc_features = rfc822.size fetch-headers\n').files[0].converted;
  assert.match(only, /#imapc_features = rfc822\.size fetch-headers/);
});

test('replication: commented out, never dropped; one entry lists the four routes with sources', () => {
  const result = migrate(
    'mail_plugins = $mail_plugins notify replication\nreplication_max_conns = 10\nservice replicator {\n  process_min_avail = 1\n}\nplugin {\n  mail_replica = tcp:peer:12345\n}\n',
  );
  const text = result.files[0].converted;
  assert.match(text, /#replication_max_conns = 10/);
  assert.match(text, /#service replicator \{/);
  assert.match(text, /#mail_replica = tcp:peer:12345/);
  assert.doesNotMatch(text, /replication = yes/);
  const summary = entries(result, 'replication').find((entry) => entry.message.includes('no built-in replication'));
  assert.ok(summary?.action);
  for (const route of [
    'Keep the pair on Dovecot 2.3',
    'doveadm sync',
    'community replication plugin',
    'Shared storage',
  ])
    assert.ok(summary.action.includes(route), route);
  assert.match(summary.action, /codeberg\.org\/errror\/dovecot-replication/);
  assert.equal(result.complete, false);
});

test('unknown-in-2.4: a value 2.4 refuses is commented out and reported', () => {
  const result = migrate('plugin {\n  quota_grace = 10%%\n}\n');
  assert.ok(body(result).includes('  #quota_grace = 10%%'));
  assert.equal(entries(result, 'unknown-in-2.4')[0].kind, 'not-converted');
});

test('outside-include: included files outside the root folder are reported and not converted', () => {
  const host = new MemoryHost({
    [ROOT]: '!include /usr/share/dovecot/protocols.d/*.protocol\n',
    '/usr/share/dovecot/protocols.d/imapd.protocol': 'protocols = $protocols imap\n',
  });
  const result = getLanguageService(host).migrateTree(ROOT, '2.4');
  assert.equal(result.files.length, 1);
  assert.equal(entries(result, 'outside-include')[0].kind, 'not-converted');
  assert.equal(entries(result, 'bool-list').length, 0);
});

test('layout: every included file keeps its path, comments and order; unchanged files are listed unchanged', () => {
  const result = migrate('# head\n!include conf.d/*.conf\n', {
    'conf.d/10-a.conf': '# a\nmail_debug = yes\n',
    'conf.d/20-b.conf': '# b\nauth_default_realm = x\n',
  });
  assert.deepEqual(
    result.files.map((file) => [file.relativePath, file.changed]),
    [
      ['dovecot.conf', true],
      ['conf.d/10-a.conf', false],
      ['conf.d/20-b.conf', true],
    ],
  );
  assert.equal(result.files[2].converted, '# b\nauth_default_domain = x\n');
});

test('traceability: each entry names the original range and the converted line', () => {
  const result = migrate('# c\nmail_location = mbox:~/mail\nauth_default_realm = x\n');
  const rename = entries(result, 'rename')[0];
  assert.equal(rename.range.start.line, 2);
  const converted = result.files[0].converted.split('\n');
  assert.equal(converted[(rename.convertedLine ?? 0) - 1], 'auth_default_domain = x');
});

test('secrets: the report never shows a password met in a converted value', () => {
  const result = migrate('userdb {\n  driver = static\n  args = uid=vmail password=hunter2%u\n}\n');
  assert.ok(result.report.length > 0);
  assert.ok(result.report.every((entry) => !entry.message.includes('hunter2')));
});

test('mail-location: a shared namespace gets the owner_* variables, for review', () => {
  const result = migrate(
    'namespace shared {\n  type = shared\n  separator = /\n  prefix = shared/%%u/\n  location = maildir:%%h/Maildir:INDEX=~/Maildir/shared/%%u\n}\n',
  );
  const lines = body(result).map((line) => line.trim());
  assert.ok(lines.includes('mail_path = %{owner_home}/Maildir'));
  assert.ok(lines.includes('mail_index_path = ~/Maildir/shared/%{owner_user}'));
  assert.ok(lines.includes('prefix = shared/$user/'));
  assert.equal(entries(result, 'mail-location')[0].kind, 'needs-review');
});

test('import-environment: the 2.3 word list becomes a block adding to 2.4 defaults, for review; an empty one stays', () => {
  const result = migrate('import_environment = TZ KRB5CCNAME=/run/dovecot/krb5_ccache NOTIFY_SOCKET\n');
  assert.deepEqual(body(result), [
    'import_environment {',
    '  TZ = %{env:TZ}',
    '  KRB5CCNAME = /run/dovecot/krb5_ccache',
    '  NOTIFY_SOCKET = %{env:NOTIFY_SOCKET}',
    '}',
  ]);
  assert.deepEqual(
    entries(result, 'import-environment').map((entry) => entry.kind),
    ['needs-review'],
  );
  assert.deepEqual(body(migrate('import_environment =\n')), ['import_environment =']);
});

test('import-environment: a value 2.4 would expand (%, $) is commented out and reported, not guessed', () => {
  const result = migrate('import_environment = TZ HOME=%h\n');
  assert.ok(body(result).every((line) => line.startsWith('#')));
  assert.deepEqual(
    entries(result, 'import-environment').map((entry) => entry.kind),
    ['not-converted'],
  );
});

test('metric-group-by: each 2.3 group_by word becomes a block, ranges get their method block', () => {
  const result = migrate(
    'metric imap_command {\n  filter = event=imap_command_finished\n  group_by = cmd_name tagged_reply_state:discrete duration:exponential:1:5:10 bytes:linear:100:1000:100\n}\n',
  );
  assert.deepEqual(body(result), [
    'metric imap_command {',
    '  filter = event=imap_command_finished',
    '  group_by cmd_name {',
    '  }',
    '  group_by tagged_reply_state {',
    '  }',
    '  group_by duration {',
    '    method exponential {',
    '      exponential_min_magnitude = 1',
    '      exponential_max_magnitude = 5',
    '      exponential_base = 10',
    '    }',
    '  }',
    '  group_by bytes {',
    '    method linear {',
    '      linear_min = 100',
    '      linear_max = 1000',
    '      linear_step = 100',
    '    }',
    '  }',
    '}',
  ]);
  assert.deepEqual(
    entries(result, 'metric-group-by').map((entry) => entry.kind),
    ['converted'],
  );
});

test('metric-group-by: a word 2.3 itself refuses is commented out and reported', () => {
  const result = migrate('metric m {\n  filter = event=x\n  group_by = duration:exponential:1:5\n}\n');
  assert.ok(body(result).some((line) => line.trim().startsWith('#') && line.includes('group_by')));
  assert.deepEqual(
    entries(result, 'metric-group-by').map((entry) => entry.kind),
    ['not-converted'],
  );
});
