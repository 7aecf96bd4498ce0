// Dovecot 2.4 config-parser checks on in-memory trees (LF and CRLF). The wording of every message is
// checked against the real doveconf 2.4.4 by test/oracle24.test.ts; here: places, continuation after
// an error, and the hints we add.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { analyzeFiles, brief } from './helpers/analyze';
import { getLanguageService } from '../server/src/service/dovecotLanguageService';
import { MemoryHost } from '../server/src/service/model/host';

const HEAD = 'dovecot_config_version = 2.4.4\ndovecot_storage_version = 2.4.4\n';

for (const eol of ['\n', '\r\n']) {
  const crlf = (text: string) => text.replace(/\n/g, eol);
  const analyze = (text: string, extra: Record<string, string> = {}) =>
    analyzeFiles({
      '/etc/dovecot/dovecot.conf': crlf(text),
      ...Object.fromEntries(Object.entries(extra).map(([k, v]) => [k, crlf(v)])),
    });

  describe(`parser24Checks (${JSON.stringify(eol)})`, () => {
    test('a clean 2.4 tree gives nothing', () => {
      const analysis = analyze(
        `${HEAD}mail_driver = maildir\nservice imap {\n  process_limit = 10\n}\npassdb static {\n  password = x\n}\n`,
      );
      assert.deepEqual(analysis.diagnostics, []);
    });

    test('the version must come first, from any statement; storage version is required', () => {
      assert.deepEqual(
        brief(
          analyze('!include_try conf.d/*.conf\ndovecot_config_version = 2.4.4\ndovecot_storage_version = 2.4.4\n'),
          'config-version-missing',
        ),
        ['0:0 The first setting must be dovecot_config_version'],
      );
      assert.deepEqual(
        brief(analyze('dovecot_config_version = 2.4.4\nmail_debug = yes\n'), 'storage-version-missing'),
        ['0:0 dovecot_storage_version setting must be set'],
      );
      assert.deepEqual(brief(analyze(`${HEAD}dovecot_config_version = 2.4.0\n`), 'config-version-invalid'), [
        "2:0 dovecot_config_version value can't be changed once set",
      ]);
      assert.deepEqual(brief(analyze(`${HEAD}dovecot_config_version = 2.4.4\n`), 'config-version-invalid'), []);
      // A version line Dovecot cannot read is that error, not a change of the version.
      const unreadable = analyze(`${HEAD}dovecot_config_version = 'a\\'b'\n`);
      assert.deepEqual(
        unreadable.diagnostics.map((d) => `${d.range.start.line}:${d.code}`),
        ['2:unknown-escape'],
      );
    });

    test('a version line written over several lines aborts Dovecot 2.4; blank continued pieces before it do not', () => {
      const overLines = (version: string) =>
        analyze(`${version}dovecot_storage_version = 2.4.4\n`).diagnostics.map(
          (d) => `${d.range.start.line}:${d.code}`,
        );
      for (const version of ['dovecot_config_version = \\\n2.4.4\n', 'dovecot_config_version \\\n  = 2.4.4\n'])
        assert.deepEqual(overLines(version), ['0:config-version-invalid'], version);
      const [message] = brief(analyze('dovecot_config_version = \\\n2.4.4\n'), 'config-version-invalid');
      assert.match(message, /Panic: Error in internal import configuration line 1: Expecting '\{'/);
      // A `\` alone adds nothing to the line being built.
      assert.deepEqual(overLines('  \\\n\\\ndovecot_config_version = 2.4.4\n'), []);
    });

    test('lines Dovecot cannot read before the first readable one are passed over: no syntax error for them', () => {
      const before = 'passdb "x y" {}\nnamespace\n';
      const ignored = analyze(`${before}${HEAD}mail_debug = yes\n`);
      assert.deepEqual(ignored.diagnostics, [], 'Dovecot looks for the version line and passes them over');
      const missing = analyze(`${before}mail_debug = yes\n${HEAD}`);
      assert.deepEqual(
        missing.diagnostics.filter((d) => d.level === 'error').map((d) => `${d.range.start.line}:${d.code}`),
        ['2:config-version-missing'],
      );
      assert.deepEqual(brief(analyze(`${HEAD}namespace\n`), 'expecting-brace'), ["2:0 Expecting '{'"]);
      // A quoted key or value with an unknown escape is such a line too.
      const escapes = '"a\\q" = x\nmail_debug = "a\\q"\n';
      assert.deepEqual(analyze(`${escapes}${HEAD}`).diagnostics, []);
      assert.deepEqual(
        analyze(`${escapes}mail_debug = yes\n${HEAD}`)
          .diagnostics.filter((d) => d.level === 'error')
          .map((d) => `${d.range.start.line}:${d.code}`),
        ['2:config-version-missing'],
      );
      assert.deepEqual(brief(analyze(`${HEAD}mail_debug = "a\\q"\n`), 'unknown-escape'), [
        '2:13 Unknown escape sequence \\q',
      ]);
    });

    test("unknown settings: doveconf's text, then our did-you-mean or the 2.4 name of a 2.3 setting", () => {
      const analysis = analyze(`${HEAD}mail_drivr = maildir\nssl_cert = /etc/ssl/c.pem\nmail_replica = tcp:peer\n`);
      assert.deepEqual(brief(analysis, 'unknown-setting'), [
        '2:0 mail_drivr: Unknown setting: mail_drivr (did you mean mail_driver?)',
        '3:0 ssl_cert: Unknown setting: ssl_cert (renamed in Dovecot 2.4 to ssl_server_cert_file: 2.4 takes the path, not <file contents)',
      ]);
      assert.match(
        brief(analysis, 'removed-in-2.4')[0],
        /^4:0 mail_replica: Unknown setting: mail_replica \(removed in Dovecot 2\.4: replication is gone in 2\.4: use shared storage/,
      );
    });

    // doveconf 2.4.4 aborts on these (Panic: unreached, killed by SIGABRT), and so does `dovecot -F`, which
    // reads the configuration through `doveconf -F` when it starts; a $SET: value is not checked there.
    test('doveadm_proxy_port, an alias Dovecot 2.4 aborts on, wherever and however it is set; not with $SET:', () => {
      const cases = [
        'doveadm_proxy_port = 12345',
        'doveadm_proxy_port =',
        'doveadm_proxy_port = abc',
        'doveadm_proxy_port = $ENV:PORT',
        'doveadm_proxy_port = </etc/dovecot/port',
        '"doveadm_proxy_port" = 1',
        'protocol imap {\n  doveadm_proxy_port = 1\n}',
      ];
      for (const line of cases) {
        const found = brief(analyze(`${HEAD}${line}\n`), 'setting-aborts-dovecot');
        assert.equal(found.length, 1, line);
        assert.match(
          found[0],
          /doveadm_proxy_port: Dovecot 2\.4 aborts on this old name of doveadm_port .* Write doveadm_port instead\.$/,
        );
      }
      assert.deepEqual(brief(analyze(`${HEAD}doveadm_proxy_port = $SET:doveadm_port\n`), 'setting-aborts-dovecot'), []);
      assert.deepEqual(analyze(`${HEAD}doveadm_port = 12345\n`).diagnostics, []);
    });

    test('inside blocks the prefixed names are tried and named in the message', () => {
      const analysis = analyze(
        `${HEAD}service imap {\n  process_min_avail = 1\n  foo = 1\n}\nssl_client {\n  bar = 1\n}\n`,
      );
      assert.deepEqual(brief(analysis, 'unknown-setting'), [
        '4:2 foo: Unknown setting: foo (service_foo or service_imap_foo not found either.)',
        '7:2 bar: Unknown setting: bar (ssl_client_bar not found either.)',
      ]);
    });

    test('did-you-mean inside a block offers the short name written there', () => {
      const analysis = analyze(`${HEAD}service imap {\n  proces_limit = 5\n}\n`);
      assert.deepEqual(brief(analysis, 'unknown-setting'), [
        '3:2 proces_limit: Unknown setting: proces_limit (service_proces_limit or service_imap_proces_limit not found either.) (did you mean process_limit?)',
      ]);
    });

    test('a rejected block is skipped, and analysis goes on after it', () => {
      const analysis = analyze(`${HEAD}plugin {\n  quota = maildir\n}\nmail_debug = maybe\n`);
      assert.deepEqual(
        analysis.diagnostics.map((d) => `${d.range.start.line}:${d.code}`),
        ['2:removed-in-2.4', '5:invalid-value'],
      );
    });

    test('included files are read in place, inside the including block', () => {
      const analysis = analyze(`${HEAD}service imap {\n  !include conf.d/svc.conf\n}\n`, {
        '/etc/dovecot/conf.d/svc.conf': 'process_limit = 5\nnosuch = 1\n',
      });
      assert.deepEqual(
        analysis.diagnostics.map((d) => `${d.file}:${d.range.start.line}:${d.message}`),
        [
          '/etc/dovecot/conf.d/svc.conf:1:nosuch: Unknown setting: nosuch (service_nosuch or service_imap_nosuch not found either.)',
        ],
      );
    });

    test('filters: nesting, names, required settings, auth settings in local/remote', () => {
      const analysis = analyze(
        `${HEAD}protocol imap {\n  local 127.0.0.1 {\n  }\n}\nservice {\n}\nmetric m {\n}\nlocal 10.0.0.1 {\n  auth_mechanisms = plain\n}\n`,
      );
      assert.deepEqual(
        analysis.diagnostics.map((d) => `${d.range.start.line}:${d.code}:${d.message}`),
        [
          '3:filter-nesting:protocol { local { .. } } not allowed (use local { protocol { .. } } instead)',
          '6:section-syntax:service { } is missing section name',
          '9:filter-required-setting:Named filter metric is required to have metric_filter setting, but it is missing',
          '11:auth-setting-in-filter:auth_mechanisms: Auth settings not supported inside local/remote blocks: auth_mechanisms',
        ],
      );
    });

    test('key = $SET:key is judged as doveconf expands it: from the filter, the filters around it, or the default', () => {
      const lines = (text: string) =>
        analyze(`${HEAD}${text}`).diagnostics.map((d) => `${d.range.start.line}:${d.code}:${d.message}`);
      assert.deepEqual(lines('log_debug = $SET:log_debug or category=mail\n'), [
        '2:settings-check:Invalid log_debug: event filter: syntax error, unexpected OR, expecting end of file',
      ]);
      assert.deepEqual(
        lines('log_debug = category=auth\nprotocol imap {\n  log_debug = $SET:log_debug or category=mail\n}\n'),
        [],
      );
      assert.deepEqual(
        lines(
          'mail_max_userip_connections = 5\nprotocol imap {\n  mail_max_userip_connections = $SET:mail_max_userip_connections 1\n}\n',
        ),
        ['4:invalid-value:mail_max_userip_connections: Invalid number 5 1: Not a valid number'],
      );
      assert.deepEqual(lines('login_greeting = $SET:base_dir\nlogin_greeting = $SET:login_greeting x\n'), [
        '3:set-variable-error:Chained $SET:login_greeting loops back to itself',
      ]);
      // Values Dovecot reads when it starts, which doveconf -n does not: $ENV:, another $SET:, a file.
      assert.deepEqual(lines('log_debug = $ENV:DEBUG\nlog_debug = $SET:log_debug or category=mail\n'), []);
      assert.deepEqual(lines('log_debug = $SET:log_core_filter or category=mail\n'), []);
      const fromFile = analyze(`${HEAD}log_debug = </etc/dovecot/debug-filter\nlog_debug = $SET:log_debug\n`, {
        '/etc/dovecot/debug-filter': 'category=mail\n',
      });
      assert.deepEqual(fromFile.diagnostics, []);
    });

    test('a continuation dropped before the version line joins the next line read: that is no version', () => {
      const missing = (text: string) => brief(analyze(text), 'config-version-missing');
      const first = 'The first setting must be dovecot_config_version';
      assert.deepEqual(missing(`mail_debug = yes \\\n\n# c\n${HEAD}`), [`3:0 ${first}`]);
      // A line doveconf passes over before the version is read (`{`) is read joined to the dropped text.
      assert.deepEqual(missing(`mail_debug = yes \\\n\n{\n}\n${HEAD}`), [`2:0 ${first}`]);
      assert.deepEqual(missing(`{\n${HEAD}mail_debug = yes \\\n\nmail_debug = no\n`), []);
    });

    test('a passdb or userdb block inside local/remote sets that auth list there: refused', () => {
      const lines = (text: string) =>
        analyze(`${HEAD}${text}`).diagnostics.map((d) => `${d.range.start.line}:${d.code}:${d.message}`);
      assert.deepEqual(lines('local 10.0.0.1 {\n  userdb "a b" {\n  }\n}\n'), [
        '3:auth-setting-in-filter:Failed to set userdb=a\\_b for struct auth: Auth settings not supported inside local/remote blocks: userdb',
      ]);
      assert.deepEqual(lines('protocol imap {\n  passdb x {\n    driver = static\n  }\n}\n'), []);
    });

    test('a %{...} doveconf cannot parse in a value the line check leaves alone: doveconf aborts writing it out', () => {
      const lines = (text: string) =>
        analyze(`${HEAD}${text}`).diagnostics.map(
          (d) => `${d.range.start.line}:${d.code}:${d.message.split(': doveconf')[0]}`,
        );
      const unparsed = '%{user |: syntax error, unexpected end of file, expecting CCBRACE or PIPE or NAME';
      assert.deepEqual(lines('passwd_file_path = %{user |\n'), [
        `2:value-aborts-doveconf:passwd_file_path: ${unparsed}`,
      ]);
      assert.deepEqual(
        lines('login_greeting = %{user | $SET:base_dir\n').map((line) => line.split(':').slice(0, 2).join(':')),
        ['2:value-aborts-doveconf'],
      );
      // A later value replaces it; a typed setting's line check is the error; a program that parses is fine.
      assert.deepEqual(lines('passwd_file_path = %{user |\npasswd_file_path = x\n'), []);
      assert.deepEqual(lines('login_greeting = %{user |\n'), [`2:invalid-value:login_greeting: ${unparsed}`]);
      assert.deepEqual(lines('passwd_file_path = %{user}\nlogin_greeting = %{user} $SET:base_dir\n'), []);
    });

    test('a local/remote block on a host name is one on its whole address, or on the mask written', () => {
      const lines = (text: string) =>
        analyze(`${HEAD}${text}`).diagnostics.map((d) => `${d.range.start.line}:${d.code}:${d.message}`);
      assert.deepEqual(lines('local 1.2.3 {\n  protocol {\n    passdb x {\n    }\n  }\n}\n'), [
        '4:auth-setting-in-filter:Failed to set passdb=x for struct auth: Auth settings not supported inside local/remote blocks: passdb',
      ]);
      assert.deepEqual(lines('remote mail.example.com {\n  auth_debug = yes\n}\n'), [
        '3:auth-setting-in-filter:auth_debug: Auth settings not supported inside local/remote blocks: auth_debug',
      ]);
      assert.deepEqual(lines('remote mail.example.com/0 {\n  auth_debug = yes\n}\n'), []);
    });

    test('a boolean list element `$SET:` names the setting "", which doveconf -n expands and cannot find', () => {
      const lines = (text: string) =>
        analyze(`${HEAD}${text}`).diagnostics.map((d) => `${d.range.start.line}:${d.code}:${d.message}`);
      assert.deepEqual(lines('protocols = imap "$SET:"\n'), [
        '2:set-variable-error:protocols: Failed to expand $SET:: Unknown setting: ',
      ]);
      assert.deepEqual(lines('service_extra_groups = x $SET:\n'), [
        '2:set-variable-error:service_extra_groups: Failed to expand $SET:: Unknown setting: ',
      ]);
      // Another name is left to the config service; in a string the empty name only fails at start.
      assert.deepEqual(lines('service_extra_groups = x $SET:mail_gid\n'), []);
      assert.deepEqual(
        lines('login_greeting = x $SET:\n').map((line) => line.split(':').slice(0, 2).join(':')),
        ['2:set-variable-fails-at-start'],
      );
    });

    test('event filters are parsed on the last value of each filter; a %{...} in one always fails', () => {
      const lines = (text: string) =>
        analyze(`${HEAD}${text}`).diagnostics.map((d) => `${d.range.start.line}:${d.code}:${d.message}`);
      assert.deepEqual(lines('log_debug = category=mail or\nlog_debug = category=mail\n'), []);
      assert.deepEqual(lines('protocol imap {\n  log_core_filter = event>x\n}\n'), [
        '3:settings-check:Invalid log_core_filter: event filter: Only fields support inequality comparisons',
      ]);
      assert.deepEqual(lines('metric imap {\n  filter = event=imap_command_finished and\n}\n'), [
        "3:settings-check:event filter: syntax error, unexpected end of file, expecting TOKEN or STRING or NOT or '('",
      ]);
      assert.deepEqual(lines('process_shutdown_filter = event=x AND user=%{user}\n'), [
        "2:settings-check:Invalid process_shutdown_filter: event filter: syntax error, unexpected end of file, expecting '=' or '>' or '<' (Dovecot does not expand %{…} in an event filter: it checks the value as one unknown word)",
      ]);
    });

    test('values: types, unlimited, escapes; %{...} and $SET: values are not type-checked', () => {
      const analysis = analyze(
        `${HEAD}mail_debug = 0\nservice imap {\n  process_limit = unlimited\n}\nlogin_greeting = "a\\tb"\nmail_max_keyword_length = %{user}\nmail_debug = $SET:mail_debug\n`,
      );
      assert.deepEqual(
        analysis.diagnostics.map((d) => `${d.range.start.line}:${d.code}:${d.message}`),
        [
          '2:invalid-value:mail_debug: Invalid boolean value: 0 (use yes or no)',
          '6:unknown-escape:Unknown escape sequence \\t',
        ],
      );
    });

    test('a failing Sieve check in the global filter fails the Sieve initialisation; in a protocol filter it is named', () => {
      const messages = (text: string) =>
        analyze(`${HEAD}${text}`).diagnostics.map((d) => `${d.range.start.line}:${d.message}`);
      assert.deepEqual(messages('sieve_vacation_max_period = 0\n'), [
        '2:Failed to initialize Sieve (sieve_vacation settings: sieve_vacation_max_period must not be 0)',
      ]);
      assert.deepEqual(messages('protocol lda {\n  sieve_vacation_max_period = 0\n}\n'), [
        '3:sieve_vacation_max_period must not be 0',
      ]);
      assert.deepEqual(messages('protocol lda {\n  sieve_user_email = user\n}\n'), [
        "3:sieve_user_email: Invalid SMTP address 'user': Missing domain",
      ]);
      assert.deepEqual(messages('sieve_user_log_path = ~/%{user}.log\n'), [
        "2:Failed to initialize Sieve (sieve settings: Failed to parse configuration: Failed to expand sieve_user_log_path setting variables: Unknown variable 'user')",
      ]);
      assert.deepEqual(messages('protocol lda {\n  sieve_user_log_path = ~/%{user}.log\n}\n'), []);
      // With every capability given, doveconf does not initialise Sieve: the struct's own check speaks.
      const capabilities =
        'managesieve_sieve_capability = fileinto\nmanagesieve_notify_capability = mailto\nmanagesieve_extlists_capability =\n';
      assert.deepEqual(messages(`${capabilities}sieve_vacation_max_period = 0\nsieve_trace_dir = %{home}\n`), [
        '5:sieve_vacation_max_period must not be 0',
      ]);
    });

    test("a special_use label other than RFC 6154's: a warning naming the mailbox, each label once", () => {
      const warnings = (text: string) =>
        analyze(`${HEAD}${text}`)
          .diagnostics.filter((d) => d.code === 'special-use-unknown')
          .map((d) => `${d.range.start.line}:${d.message}`);
      // A list element's `\s` is an escaped slash (doveconf 2.4.4 too reads `\sent` as `/ent`).
      assert.deepEqual(warnings('namespace inbox {\n  mailbox Sent {\n    special_use = \\sent Sent\n  }\n}\n'), [
        '4:mailbox Sent: special_use label /ent is not an RFC-defined label - allowing anyway',
        '4:mailbox Sent: special_use label Sent is not an RFC-defined label - allowing anyway',
      ]);
      assert.deepEqual(warnings('mailbox_special_use = \\Junk \\Spam\n'), [
        '2:mailbox : special_use label \\Spam is not an RFC-defined label - allowing anyway',
      ]);
      // doveconf stops at a failing check before it would warn.
      assert.deepEqual(warnings('mailbox_special_use = \\Spam\nmail_nfs_index = yes\n'), []);
    });

    test('a line starting with = is a setting with an empty name: unknown at top level, an entry of a string list', () => {
      const lines = (text: string): string[] =>
        analyze(`${HEAD}${text}`).diagnostics.map((d) => `${d.range.start.line}:${d.code}:${d.message}`);
      assert.deepEqual(lines('= c\n'), ['2:unknown-setting:: Unknown setting: ']);
      assert.deepEqual(lines('userdb static {\n  fields {\n    = c\n  }\n}\n'), []);
    });

    test('a key written in double quotes is the key unquoted, checked like any other', () => {
      const lines = (text: string): string[] =>
        analyze(`${HEAD}${text}`).diagnostics.map((d) => `${d.range.start.line}:${d.code}:${d.message}`);
      assert.deepEqual(
        lines('"mail_debug" = yes\nuserdb static {\n  fields {\n    "a b" = c\n    "" = d\n  }\n}\n'),
        [],
      );
      assert.deepEqual(lines('"mail_debug"=maybe\n'), [
        '2:invalid-value:mail_debug: Invalid boolean value: maybe (use yes or no)',
      ]);
      assert.deepEqual(lines('"a b" = c\n'), ['2:unknown-setting:a b: Unknown setting: a b']);
      // Quoted, an @ key is a setting named with the @, not an include group.
      assert.deepEqual(lines('"@mailboxes" = english\n'), [
        '2:unknown-setting:@mailboxes: Unknown setting: @mailboxes',
      ]);
      assert.deepEqual(lines('"" = c\n'), ['2:unknown-setting:: Unknown setting: ']);
      assert.deepEqual(lines('"mail_debug = yes\n'), ["2:expecting-brace:Expecting '{'"]);
      assert.deepEqual(lines('"a\\tb" = c\n'), ['2:unknown-escape:Unknown escape sequence \\t']);
    });

    test('a 2.3 tree forced to 2.4 is judged by 2.4 rules; forced to 2.3 it is not', () => {
      const tree = { '/etc/dovecot/dovecot.conf': crlf(`${HEAD}plugin {\n  sieve = ~/.dovecot.sieve\n}\n`) };
      const service = getLanguageService(new MemoryHost(tree));
      assert.ok(service.analyze('/etc/dovecot/dovecot.conf').diagnostics.some((d) => d.code === 'removed-in-2.4'));
      assert.ok(
        !service
          .analyze('/etc/dovecot/dovecot.conf', { dovecotVersion: '2.3' })
          .diagnostics.some((d) => d.code === 'removed-in-2.4'),
      );
    });
  });
}

describe("listen can't be set empty (each filter's own list, checked on its own)", () => {
  const empty = (text: string) =>
    brief(analyzeFiles(`${HEAD}${text}`), 'settings-check').filter((line) =>
      line.endsWith("listen can't be set empty"),
    );

  test("the top level's list: Dovecot's * and :: changed by the listen { } lines, a listen = starting it again", () => {
    assert.deepEqual(empty('listen {\n  * = no\n  :: = no\n}\n'), ["4:2 listen can't be set empty"]);
    assert.deepEqual(empty('listen = 1.2.3.4\nlisten {\n  1.2.3.4 = no\n}\n'), []);
    assert.deepEqual(empty('listen {\n  * = no\n  :: = no\n}\nlisten = 1.2.3.4\n'), []);
    assert.deepEqual(empty('listen =\n'), []);
  });

  test('a filter with a service block: its own list only, what the filters around it set does not count', () => {
    assert.deepEqual(empty('local 1.2.3.4 {\n  listen = *\n  protocol imap {\n    service imap {\n    }\n  }\n}\n'), [
      "5:4 listen can't be set empty",
    ]);
    assert.deepEqual(empty('protocol imap {\n  listen {\n    * = no\n  }\n  service imap {\n  }\n}\n'), [
      "6:2 listen can't be set empty",
    ]);
    assert.deepEqual(empty('protocol imap {\n  listen {\n    * = no\n  }\n}\n'), []);
  });

  test('not judged when a value of the list is unknown', () => {
    assert.deepEqual(empty('listen = $ENV:LISTEN\nlisten {\n  * = no\n  :: = no\n}\n'), []);
    assert.deepEqual(empty('protocol imap {\n  listen = $ENV:LISTEN\n  service imap {\n  }\n}\n'), []);
  });
});

describe('a passdb or userdb block inside another block than a protocol one (checked with doveconf 2.4.4)', () => {
  const found = (body: string): string[] => brief(analyzeFiles(`${HEAD}${body}`), 'settings-check');
  const notFound = (line: number, key: string): string[] => [
    `${line}:2 Failed to get ${key} x: Filter ${key}=x unexpectedly not found (invalid userdb or -o override settings?)`,
  ];

  test('the auth check cannot find it: inside passdb_static, a passdb, a namespace, ssl_server in a protocol', () => {
    assert.deepEqual(found('passdb_static {\n  userdb x {\n  }\n}\n'), notFound(3, 'userdb'));
    assert.deepEqual(found('passdb y {\n  passdb x {\n  }\n}\n'), notFound(3, 'passdb'));
    assert.deepEqual(found('namespace n {\n  userdb x {\n  }\n}\n'), notFound(3, 'userdb'));
    assert.deepEqual(found('protocol imap {\n  ssl_server {\n    userdb x {\n    }\n  }\n}\n'), [
      '4:4 Failed to get userdb x: Filter userdb=x unexpectedly not found (invalid userdb or -o override settings?)',
    ]);
  });

  test('found at top level or in the protocol block it is written in', () => {
    assert.deepEqual(found('protocol imap {\n  userdb x {\n  }\n}\n'), []);
    assert.deepEqual(found('passdb y {\n  userdb x {\n  }\n}\nuserdb x {\n}\n'), []);
  });

  test('a block of that name in a protocol block does not help one in another block', () => {
    assert.deepEqual(
      found('protocol imap {\n  userdb x {\n  }\n}\npassdb y {\n  userdb x {\n  }\n}\n'),
      notFound(7, 'userdb'),
    );
  });

  test('another failed check comes first in doveconf: that one alone is reported', () => {
    assert.deepEqual(found('passdb y {\n  userdb x {\n  }\n}\nmail_log_fields = nosuch\n'), [
      "6:0 Unknown field in mail_log_fields: 'nosuch'",
    ]);
  });
});

describe('the checks after reading over a value written with $SET:/$ENV: words', () => {
  const checked = (text: string) => brief(analyzeFiles(`${HEAD}${text}`), 'settings-check');

  test("a boolean list's literal words before its first $ word are checked: they fail whatever follows", () => {
    assert.deepEqual(checked('pop3c_features = x $SET:mail_plugins\n'), ['2:0 pop3c_features: Unknown feature: x']);
    assert.deepEqual(checked('imap_client_workarounds = tb-lsub-flags,zz $ENV:X\n'), [
      '2:0 imap_client_workarounds: Unknown workaround: zz',
    ]);
    assert.deepEqual(checked('pop3c_features = x %{user} $ENV:X\n'), ['2:0 pop3c_features: Unknown feature: x']);
    assert.deepEqual(checked('imap_client_workarounds = zz %{user}\n'), [
      '2:0 imap_client_workarounds: Unknown workaround: zz',
    ]);
    // A boolean list's words are never expanded: a %{…} word is one of them, when doveconf -n runs and at start.
    assert.deepEqual(checked('pop3c_features = no-pipelining %{user} $ENV:X\n'), [
      '2:0 pop3c_features: Unknown feature: %{user}',
    ]);
    assert.deepEqual(checked('imap_client_workarounds = delay-newmail %{user}\n'), [
      '2:0 imap_client_workarounds: Unknown workaround: %{user}',
    ]);
    assert.deepEqual(checked('mail_log_events = %{user | upper}\n'), [
      "2:0 Unknown event in mail_log_events: '%{user'",
    ]);
    // doveconf -n checks the `$` word as written: its message is one we do not claim.
    assert.deepEqual(checked('pop3c_features = no-pipelining $ENV:X x\n'), []);
    assert.deepEqual(checked('pop3c_features = x\t$ENV:X\n'), []);
    // A string list with a variable is checked by doveconf -n as UNKNOWN_VALUE_WITH_VARIABLES.
    assert.deepEqual(checked('dsync_features = x $ENV:X\n'), []);
  });

  test('a setting a check reads only for being set is set when a literal word goes with its variables', () => {
    const nonce = ['2:0 auth_policy_hash_nonce must be set when policy server is used'];
    assert.deepEqual(checked('auth_policy_server_url = $ENV:NOSUCH x\n'), nonce);
    assert.deepEqual(checked('auth_policy_server_url = http://x/$ENV:NOSUCH\n'), nonce);
    assert.deepEqual(checked('auth_policy_server_url = $ENV:NOSUCH x\nauth_policy_hash_nonce = n\n'), []);
    // Empty when the environment has no such variable: doveconf -n fails, Dovecot starts.
    assert.deepEqual(checked('auth_policy_server_url = $ENV:NOSUCH\n'), []);
  });
});
