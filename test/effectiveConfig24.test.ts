// The effective configuration of small Dovecot 2.4 trees against doveconf 2.4: each case keeps the lines
// `doveconf -n` of Dovecot 2.4.4 printed for it (banner lines left out), so our listing is compared with them
// everywhere; where doveconf 2.4 is installed, it is run on each case to check that it still prints them.
import assert from 'node:assert/strict';
import { existsSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import { getLanguageService } from '../server/src/service/dovecotLanguageService';
import { DiskHost } from '../server/src/service/model/diskHost';
import { runDoveconf } from './oracle/cases';
import { doveconfListing, ourListing } from './oracle24/listing';
import { DOVECONF_24 } from './oracle24/verdict';
import { tempDir } from './helpers/tempDir';

interface Case {
  title: string;
  /** dovecot.conf after the two version settings (`dovecot_storage_version = 2.4.0`). */
  conf: string[];
  /** What doveconf 2.4.4 -n prints for it, after `dovecot_config_version` (always first). */
  doveconf: string[];
}

const CONFIG_VERSION = 'dovecot_config_version = 2.4.4';

/** The Sieve extensions Pigeonhole 2.4.4 enables by default, in its order. */
const SIEVE_DEFAULT_EXTENSIONS = [
  'fileinto',
  'reject',
  'envelope',
  'encoded-character',
  'vacation',
  'subaddress',
  'comparator-i;ascii-numeric',
  'relational',
  'regex',
  'imap4flags',
  'copy',
  'include',
  'body',
  'variables',
  'enotify',
  'environment',
  'mailbox',
  'date',
  'index',
  'ihave',
  'duplicate',
  'mime',
  'foreverypart',
  'extracttext',
];

const CASES: Case[] = [
  {
    title: 'a named filter inside another is headed by its full name; a list inside a filter without its prefix',
    conf: [
      'metric imap {',
      '  filter = event=imap_command_finished',
      '  group_by cmd_name {',
      '    method discrete {',
      '    }',
      '  }',
      '  metric_group_by duration {',
      '    metric_group_by_method exponential {',
      '      base = 10',
      '    }',
      '  }',
      '}',
      'quota "User quota" {',
      '  warning warn-80 {',
      '    quota_storage_percentage = 80',
      '    execute quota-warning {',
      '      args = 80 %{user}',
      '    }',
      '  }',
      '}',
      'userdb passwd-file {',
      '  passwd_file_path = /etc/x',
      '  userdb_fields {',
      '    uid = vmail',
      '  }',
      '}',
    ],
    doveconf: [
      'dovecot_storage_version = 2.4.0',
      'metric imap {',
      '  filter = event=imap_command_finished',
      '  metric_group_by cmd_name {',
      '    metric_group_by_method discrete {',
      '    }',
      '  }',
      '  metric_group_by duration {',
      '    metric_group_by_method exponential {',
      '      base = 10',
      '    }',
      '  }',
      '}',
      'quota "User quota" {',
      '  quota_warning warn-80 {',
      '    quota_storage_percentage = 80',
      '    execute quota-warning {',
      '      args = 80 %{user}',
      '    }',
      '  }',
      '}',
      'userdb passwd-file {',
      '  passwd_file_path = /etc/x',
      '  fields {',
      '    uid = vmail',
      '  }',
      '}',
    ],
  },
  {
    title: "block names quoted as doveconf 2.4 quotes them; an include group's definition with its label",
    conf: [
      'namespace inbox {',
      '  mailbox "a=b\'s" {',
      '    auto = create',
      '  }',
      '  mailbox "x#y}" {',
      '    auto = create',
      '  }',
      '}',
      'group @mine one {',
      '  mail_debug = yes',
      '}',
    ],
    doveconf: [
      'dovecot_storage_version = 2.4.0',
      'namespace inbox {',
      '  mailbox "a=b\\\'s" {',
      '    auto = create',
      '  }',
      '  mailbox x#y} {',
      '    auto = create',
      '  }',
      '}',
      'group @mine one {',
      '  mail_debug = yes',
      '}',
    ],
  },
  {
    title: "secrets are told by the setting's full name (password in a mysql block is mysql_password), _secret too",
    conf: [
      'mysql /run/mysqld/mysqld.sock {',
      '  user = dovecot',
      '  password = dovecot',
      '}',
      'oauth2 {',
      '  client_id = dovecot',
      '  client_secret = s3cret',
      '  introspection_url = https://user:pw@example.com/x',
      '  introspection_mode = post',
      '}',
      'passdb static {',
      '  password = pw',
      '  fields {',
      '    password = shown',
      '  }',
      '}',
      'sql_driver = mysql',
    ],
    doveconf: [
      'dovecot_storage_version = 2.4.0',
      'sql_driver = mysql',
      'mysql /run/mysqld/mysqld.sock {',
      '  password = # hidden, use -P to show it',
      '  user = dovecot',
      '}',
      'oauth2 {',
      '  client_id = dovecot',
      '  client_secret = # hidden, use -P to show it',
      '  introspection_mode = post',
      '  introspection_url = https://#hidden_use-P_to_show#@example.com/x',
      '}',
      'passdb static {',
      '  fields {',
      '    password = shown',
      '  }',
      '  password = # hidden, use -P to show it',
      '}',
    ],
  },
  {
    title: 'a global value is compared with the default as written, not by meaning; a filter lists what it sets',
    conf: [
      'quota_storage_grace = 10M',
      'quota_storage_size = 1 G',
      'mail_debug = no',
      'auth_debug = NO',
      'imap_idle_notify_interval = 2min',
      'imap_hibernate_timeout = 0',
      'mail_max_userip_connections = 10',
      'protocol imap {',
      '  imap_idle_notify_interval = 2 mins',
      '  mail_debug = no',
      '}',
    ],
    doveconf: [
      'auth_debug = NO',
      'dovecot_storage_version = 2.4.0',
      'imap_idle_notify_interval = 2min',
      'quota_storage_grace = 10M',
      'quota_storage_size = 1 G',
      'protocol imap {',
      '  imap_idle_notify_interval = 2 mins',
      '  mail_debug = no',
      '}',
    ],
  },
  {
    title:
      "a boolean list's block in the global block adds to Dovecot's own list, in its order, an entry set again in place; +ext is no syntax of 2.4",
    conf: [
      'sieve_extensions {',
      '  imapflags = yes',
      '  fileinto = no',
      '}',
      'mail_plugins {',
      '  quota = yes',
      '  acl = yes',
      '}',
      'sieve_global_extensions = +vnd.dovecot.pipe -fileinto',
    ],
    doveconf: [
      'dovecot_storage_version = 2.4.0',
      'mail_plugins {',
      '  quota = yes',
      '  acl = yes',
      '}',
      'sieve_extensions {',
      '  fileinto = no',
      ...SIEVE_DEFAULT_EXTENSIONS.slice(1).map((extension) => `  ${extension} = yes`),
      '  imapflags = yes',
      '}',
      'sieve_global_extensions = +vnd.dovecot.pipe -fileinto',
    ],
  },
  {
    title:
      "a list's block after `key = …` changes that list, listed on one line; a filter's list starts empty; a string list's entries sorted",
    conf: [
      'auth_mechanisms {',
      '  login = yes',
      '}',
      'import_environment {',
      '  FOO = bar',
      '}',
      'mail_plugins = quota acl',
      'protocol lmtp {',
      '  sieve_extensions {',
      '    vnd.dovecot.pipe = yes',
      '  }',
      '  mail_plugins {',
      '    sieve = yes',
      '  }',
      '}',
      'protocol imap {',
      '  mail_plugins = imap_quota',
      '  auth_mechanisms {',
      '    plain = no',
      '  }',
      '}',
      'protocols = imap',
      'protocols {',
      '  imap = no',
      '  lmtp = yes',
      '}',
      'mail_log_events {',
      '  flag_change = yes',
      '}',
    ],
    doveconf: [
      'auth_mechanisms {',
      '  plain = yes',
      '  login = yes',
      '}',
      'dovecot_storage_version = 2.4.0',
      'import_environment {',
      '  CORE_ERROR = %{env:CORE_ERROR}',
      '  CORE_OUTOFMEM = %{env:CORE_OUTOFMEM}',
      '  FOO = bar',
      '  LISTEN_FDS = %{env:LISTEN_FDS}',
      '  LISTEN_PID = %{env:LISTEN_PID}',
      '  MALLOC_MMAP_THRESHOLD_ = 131072',
      '  NOTIFY_SOCKET = %{env:NOTIFY_SOCKET}',
      '  PATH = %{env:PATH}',
      '  TZ = %{env:TZ}',
      '}',
      'mail_log_events {',
      '  delete = yes',
      '  undelete = yes',
      '  expunge = yes',
      '  save = yes',
      '  copy = yes',
      '  mailbox_delete = yes',
      '  mailbox_rename = yes',
      '  flag_change = yes',
      '}',
      'mail_plugins = quota acl',
      'protocols = lmtp',
      'protocol lmtp {',
      '  mail_plugins {',
      '    sieve = yes',
      '  }',
      '  sieve_extensions {',
      '    vnd.dovecot.pipe = yes',
      '  }',
      '}',
      'protocol imap {',
      '  auth_mechanisms {',
      '    plain = no',
      '  }',
      '  mail_plugins = imap_quota',
      '}',
    ],
  },
];

/** The case as a tree of one file in a folder of its own. */
function writeCase(conf: string[]): string {
  const root = path.join(tempDir('dovecot-listing24-'), 'dovecot.conf');
  writeFileSync(root, [CONFIG_VERSION, 'dovecot_storage_version = 2.4.0', ...conf, ''].join('\n'));
  return root;
}

const haveDoveconf24 = existsSync(DOVECONF_24);
if (!haveDoveconf24)
  console.log(
    `SKIPPED: no Dovecot 2.4 doveconf at ${DOVECONF_24}: the recorded listings are not checked against it live`,
  );

for (const { title, conf, doveconf } of CASES) {
  describe(title, () => {
    test('our listing is the one doveconf 2.4.4 printed', () => {
      const root = writeCase(conf);
      const service = getLanguageService(new DiskHost());
      assert.deepEqual(ourListing(service, service.analyze(root)), [CONFIG_VERSION, ...doveconf]);
    });

    test('doveconf 2.4 prints it still', { skip: !haveDoveconf24 }, () => {
      const { output, rc } = runDoveconf(writeCase(conf), DOVECONF_24);
      assert.equal(rc, 0, output);
      assert.deepEqual(doveconfListing(output), [CONFIG_VERSION, ...doveconf]);
    });
  });
}
