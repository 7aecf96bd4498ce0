// The 2.4 struct checks of moreChecks24.ts; the oracle cases r01-r43 compare them with doveconf 2.4.4,
// this covers what a recorded case cannot (values we cannot read, the order of one struct's checks).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { default24, type ValueOf } from '../server/src/service/schema/filterChecks24';
import { languagesError24, listWithBlockWord24, moreFilterChecks24 } from '../server/src/service/schema/moreChecks24';

/** The messages of the checks in a filter of kind `kind` (none: a global or protocol filter), named `filterName`. */
function failures(own: Record<string, string | undefined>, filterName = '', kind?: string): string[] {
  const value: ValueOf = (key) => (key in own ? own[key] : default24(key));
  return moreFilterChecks24()
    .map((check) => check.fails(value, check.filterKind === undefined || check.filterKind === kind ? filterName : ''))
    .filter((message): message is string => message !== undefined);
}

test('the defaults pass every check, also in a named filter', () => {
  assert.deepEqual(failures({}), []);
  assert.deepEqual(failures({}, 'x'), []);
  assert.deepEqual(failures({}, 'x', 'event_exporter'), ["Exporter format name can't be empty"]);
});

test('a value we cannot read is not judged', () => {
  assert.deepEqual(
    failures({ syslog_facility: undefined, mail_log_fields: undefined, sieve_vacation_min_period: undefined }),
    [],
  );
});

test('a boolean list is read as doveconf parses it: quotes group words, a broken list is not judged', () => {
  assert.deepEqual(failures({ mail_log_fields: '"uid Box" flags' }), ["Unknown field in mail_log_fields: 'uid Box'"]);
  assert.deepEqual(failures({ mail_log_fields: '"uid" "flags",box' }), []);
  assert.deepEqual(failures({ mail_log_fields: '"uid' }), []);
});

test('list words: case matters where doveconf compares with strcmp', () => {
  assert.deepEqual(failures({ mail_log_fields: 'uid,Box' }), ["Unknown field in mail_log_fields: 'Box'"]);
  assert.deepEqual(failures({ submission_client_workarounds: 'Exotic-Backend' }), []);
});

test('imapc_features: a no-… word may be a capability and is left alone; throttle needs three numbers', () => {
  assert.deepEqual(failures({ imapc_features: 'no-idle no-acl' }), []);
  assert.deepEqual(failures({ imapc_features: 'throttle:1:x:3' }), ['imapc_features: Invalid throttle settings']);
});

test('HTTP client: with a proxy URL (parsed first) nothing is judged; the backoff message names max first', () => {
  assert.deepEqual(failures({ http_client_proxy_url: 'http://proxy/', http_client_request_max_attempts: '0' }), []);
  assert.deepEqual(failures({ http_client_connect_backoff_time: '2s', http_client_connect_backoff_max_time: '1s' }), [
    'http_client_connect_backoff_time_msecs (1000) must not be smaller than http_client_connect_backoff_max_time_msecs (2000)',
  ]);
});

test('auth: an earlier failing check of the struct silences the later ones', () => {
  assert.deepEqual(failures({ auth_cache_size: '100', auth_verbose_passwords: 'maybe' }), [
    'auth_cache_size value is too small (100 bytes)',
  ]);
  assert.deepEqual(failures({ auth_verbose_passwords: 'maybe', auth_policy_server_url: 'http://p/' }), [
    'auth_verbose_passwords: Invalid value',
  ]);
  assert.deepEqual(
    failures({
      auth_cache_size: '0',
      auth_policy_server_url: 'http://p/',
      auth_policy_hash_nonce: 'n',
      auth_policy_hash_mech: 'md5',
      auth_policy_hash_truncate: '128',
    }),
    ['policy_hash_truncate is not smaller than digest size (128 >= 128)'],
  );
});

test('auth_verbose_passwords: no, plain, sha1 or yes, truncated by a positive number', () => {
  for (const verbose of ['no', 'plain', 'sha1', 'yes', 'plain:8', 'sha1:4294967295'])
    assert.deepEqual(failures({ auth_verbose_passwords: verbose }), [], verbose);
  assert.deepEqual(failures({ auth_verbose_passwords: '' }), ['auth_verbose_passwords: Invalid value']);
  assert.deepEqual(failures({ auth_verbose_passwords: 'Plain' }), ['auth_verbose_passwords: Invalid value']);
  assert.deepEqual(failures({ auth_verbose_passwords: 'maybe:5' }), ['auth_verbose_passwords: Invalid value']);
  assert.deepEqual(failures({ auth_verbose_passwords: 'plain:0' }), [
    "auth_verbose_passwords: Invalid truncation number: '0'",
  ]);
  assert.deepEqual(failures({ auth_verbose_passwords: 'maybe:x' }), [
    "auth_verbose_passwords: Invalid truncation number: 'x'",
  ]);
});

test('Sieve address sources: keywords in any case and <paths> pass; the message keeps the written value', () => {
  assert.deepEqual(failures({ sieve_report_from: ' Postmaster ' }), []);
  assert.deepEqual(failures({ sieve_report_from: 'User@Example.com' }), [
    "sieve_report_from: Invalid address source 'User@Example.com'",
  ]);
  assert.deepEqual(failures({ sieve_report_from: '<user@example.com>' }), []);
  // A path ends with its '>': a `<file` value as doveconf -n keeps it, or text after the path, is no path.
  assert.deepEqual(failures({ sieve_report_from: '</etc/dovecot/from' }), [
    "sieve_report_from: Invalid address source '</etc/dovecot/from'",
  ]);
  assert.deepEqual(failures({ sieve_report_from: '<user@example.com> x' }), [
    "sieve_report_from: Invalid address source '<user@example.com> x'",
  ]); // The whole path is judged (smtpPath24.ts), not only its closing '>'.
  assert.deepEqual(failures({ sieve_report_from: '<Postmaster@Example.com.>' }), [
    "sieve_report_from: Invalid address source '<Postmaster@Example.com.>'",
  ]);
  assert.deepEqual(failures({ sieve_report_from: '<a>' }), ["sieve_report_from: Invalid address source '<a>'"]);
  assert.deepEqual(failures({ sieve_report_from: '<>' }), []);
  assert.deepEqual(failures({ sieve_report_from: '<a@[1.2.3.4]>' }), []);
});

test('vacation periods: unlimited maximum and a zero maximum are left to their own rules', () => {
  assert.deepEqual(failures({ sieve_vacation_max_period: 'unlimited', sieve_vacation_default_period: '1000d' }), []);
  assert.deepEqual(failures({ sieve_vacation_max_period: '0' }), []);
});

test('event_exporter: only a named exporter is checked, by its block or by event_exporter_name', () => {
  assert.deepEqual(failures({ event_exporter_format: 'xml' }), []);
  assert.deepEqual(failures({ event_exporter_name: 'log' }), ["Exporter format name can't be empty"]);
  assert.deepEqual(failures({ event_exporter_format: 'xml' }, 'log', 'event_exporter'), [
    "Unknown exporter format 'xml'",
  ]);
});

test('Sieve storage names: a slash or control character is refused, other characters are not judged', () => {
  assert.deepEqual(failures({ sieve_script_name: 'main\u0001' }), ["Invalid script name 'main\u0001'"]);
  assert.deepEqual(failures({ sieve_script_name: 'r\u00e9gles/x', sieve_script_storage: 'caf\u00e9' }), []);
  assert.deepEqual(failures({ sieve_script_storage: 'a/b', sieve_script_name: 'c/d' }), [
    "Invalid script storage name 'a/b'",
  ]);
  assert.deepEqual(failures({ sieve_quota_storage_size: '0' }, 'bad/name'), []);
});

test('fts: a zero search timeout is reported by its own rule, the later checks then stay silent', () => {
  assert.deepEqual(failures({ fts_search_timeout: '0', fts_message_max_size: '0' }), []);
  assert.deepEqual(failures({ fts_decoder_driver: 'tika', fts_decoder_script_socket_path: '/run/x' }), []);
});

test('oauth2: local introspection needs no URL; the client id and secret go together', () => {
  assert.deepEqual(failures({ oauth2_introspection_mode: 'local' }), []);
  assert.deepEqual(failures({ oauth2_introspection_mode: 'local', oauth2_client_secret: 'x' }), [
    'oauth2_client_id and oauth2_client_secret must be provided together',
  ]);
});

test('execute tcp: the port comes from host:port in the name, a name with a colon we do not parse is left alone', () => {
  assert.deepEqual(failures({ execute_driver: 'tcp' }, 'notify'), [
    'execute_tcp_port must not be 0 with execute_driver=tcp',
  ]);
  assert.deepEqual(failures({ execute_driver: 'tcp', execute_name: '[::1]:x' }), []);
  assert.deepEqual(failures({ execute_driver: 'tcp', execute_tcp_host: 'h', execute_tcp_port: '25' }, 'notify'), []);
});

test('cache field lists and redis_host: only what is surely wrong', () => {
  assert.deepEqual(failures({ mail_never_cache_fields: '*' }), []);
  assert.deepEqual(failures({ redis_host: 'fe80::1' }), []);
  assert.deepEqual(failures({ redis_host: 'redis.local' }), ['redis_host is not a valid IP']);
  for (const host of ['a"b', '%u', '%eth0', 'x', 'ff', '.1', '[1.2.3.4]'])
    assert.deepEqual(failures({ redis_host: host }), ['redis_host is not a valid IP']);
  // getaddrinfo's numeric forms: a hex IPv4 address, an IPv6 address with its scope.
  for (const host of ['0x7f000001', '1', '[::1]', 'fe80::1%eth0', '::'])
    assert.deepEqual(failures({ redis_host: host }), []);
  assert.deepEqual(failures({ mail_server_admin: 'https://example.com/admin' }), []);
});

test('sieve_editheader_header: the block name is the header name', () => {
  assert.deepEqual(failures({ sieve_editheader_header_forbid_add: 'yes' }, 'X Bad', 'sieve_editheader_header'), [
    "sieve_editheader_header_name: Invalid header field name 'X Bad'",
  ]);
  assert.deepEqual(failures({ sieve_editheader_header_forbid_add: 'yes' }, 'X-Good', 'sieve_editheader_header'), []);
});

test('sieve_extlists_list: the block name must be a urn: or tag: URI', () => {
  const list = (name: string) => failures({ sieve_extlists_list_max_lookup_size: '2k' }, name, 'sieve_extlists_list');
  const scheme64 = 'a'.repeat(64);
  assert.deepEqual(list(`${scheme64}:x`), [
    `List name '${scheme64}:x' is invalid: ${scheme64}: scheme not supported for external list name`,
  ]);
  assert.deepEqual(list(`a${scheme64}:x`), [`List name 'a${scheme64}:x' is invalid: Invalid URI scheme`]);
  assert.deepEqual(list('1abc:x'), ["List name '1abc:x' is invalid: Invalid URI scheme"]);
  assert.deepEqual(list('Mailto:x'), [
    "List name 'Mailto:x' is invalid: mailto: scheme not supported for external list name",
  ]);
  assert.deepEqual(list('URN:x'), []);
  assert.deepEqual(list(':addrbook:default'), []);
  assert.deepEqual(list('tag:example.com,2025:x'), []);
});

test('a boolean list written as a block adds and removes words', () => {
  assert.equal(listWithBlockWord24(null, 'foo', 'yes'), 'foo');
  assert.equal(listWithBlockWord24('a foo', 'foo', 'no'), 'a');
  assert.equal(listWithBlockWord24(undefined, 'foo', 'yes'), undefined);
  assert.equal(listWithBlockWord24('a', 'foo', undefined), undefined);
  assert.equal(listWithBlockWord24('a', 'foo', 'maybe'), undefined);
});

test('acl identifiers and imapsieve_url', () => {
  assert.deepEqual(failures({ acl_rights: 'lr' }, 'user=alice', 'acl'), []);
  assert.deepEqual(failures({ acl_rights: 'lr' }, 'alice', 'acl'), ["Invalid identifier 'alice'"]);
  assert.deepEqual(failures({ imapsieve_url: 'SIEVE://host' }), []);
});

test('languages: the first problem in file order; an unreadable default makes the check silent', () => {
  assert.deepEqual(languagesError24([]), undefined);
  assert.deepEqual(
    languagesError24([
      { name: 'en', isDefault: true },
      { name: 'data', isDefault: false },
    ]),
    undefined,
  );
  assert.deepEqual(languagesError24([{ name: 'en', isDefault: undefined }]), undefined);
  assert.deepEqual(
    languagesError24([
      { name: 'en', isDefault: false },
      { name: 'de', isDefault: true },
      { name: 'fr', isDefault: true },
    ]),
    {
      index: 2,
      message: "Only one language with with { default = yes } is allowed (default is 'de', cannot set 'fr' too)",
    },
  );
});

test('URLs and addresses: only the forms whose doveconf error we know are judged', () => {
  assert.deepEqual(failures({ http_client_proxy_url: 'socks5://proxy:1080' }), []);
  assert.deepEqual(failures({ push_notification_ox_url: 'https://ox.example.com/notify' }), []);
  assert.deepEqual(failures({ sieve_user_email: '"a b"@example.com' }), []);
  assert.deepEqual(failures({ sieve_user_email: 'user' }), [
    "sieve_user_email: Invalid SMTP address 'user': Missing domain",
  ]);
  assert.deepEqual(failures({ execute_driver: 'tcp', execute_name: 'mx:025' }), []);
  assert.deepEqual(failures({ execute_driver: 'tcp', execute_name: 'mx:65536' }), [
    'Failed to parse execute_tcp_host:port from execute_name=mx:65536',
  ]);
});

test('mail_ext_attachment_hash: the default passes; each % must start %{method[:bits]}, B or X before the {', () => {
  assert.deepEqual(failures({ mail_ext_attachment_hash: '%{sha1}' }), []);
  for (const format of ['%B{sha1}', '%X{md5:64}x', 'abc'])
    assert.deepEqual(failures({ mail_ext_attachment_hash: format }), []);
  const invalid = (format: string): string[] =>
    failures({ mail_ext_attachment_hash: format }).map((message) =>
      message.replace('Invalid mail_attachment_hash setting: ', ''),
    );
  assert.deepEqual(invalid('%u'), ["No '{' after '%'"]);
  assert.deepEqual(invalid('x%'), ["No '{' after '%'"]);
  assert.deepEqual(invalid('%Z{sha1}'), ["No '{' after '%'"]);
  assert.deepEqual(invalid('%{sha1'), ["Missing '}'"]);
  assert.deepEqual(invalid('%{nosuch}'), ['Unknown hash method: nosuch']);
  assert.deepEqual(invalid('%{sha1:0}'), ['Invalid :bits number: 0']);
  assert.deepEqual(invalid('%{sha1:8:8}'), ['Invalid :bits number: 8:8']);
  assert.deepEqual(invalid('%{sha1:12}'), ['Currently :bits must be divisible by 8: 12']);
  assert.deepEqual(failures({ mail_ext_attachment_hash: '%{sha256:80}-x' }), [
    "mail_attachment_hash setting must not contain '-' characters",
  ]);
  assert.deepEqual(failures({ mail_ext_attachment_hash: '%{sha3-256}' }), [
    "mail_attachment_hash setting must not contain '-' characters",
  ]);
});

test('metric_name outside a metric block: the metric it names needs a filter', () => {
  assert.deepEqual(failures({ metric_name: 'imap' }), ['metric imap { filter } is empty - will not match anything']);
  assert.deepEqual(failures({ metric_name: 'imap', metric_filter: 'event=imap_command_finished' }), []);
  assert.deepEqual(failures({ metric_name: '' }), []);
  assert.deepEqual(failures({}, 'imap', 'metric'), []);
});

test('spamtest and virustest: a status header needs one maximum score, a decimal value', () => {
  assert.deepEqual(failures({ sieve_spamtest_status_header: 'X-Spam-Score' }), [
    'None of sieve_spamtest_score_max_header or sieve_spamtest_score_max_value is configured',
  ]);
  assert.deepEqual(failures({ sieve_virustest_status_header: 'X-Virus', sieve_virustest_score_max_value: '5.5' }), []);
  assert.deepEqual(
    failures({
      sieve_spamtest_status_header: 'X-Spam-Score',
      sieve_spamtest_score_max_header: 'X-Spam-Max',
      sieve_spamtest_score_max_value: '10',
    }),
    ['sieve_spamtest_score_max_header and sieve_spamtest_score_max_value cannot both be configured'],
  );
  assert.deepEqual(failures({ sieve_spamtest_status_header: 'X', sieve_spamtest_score_max_value: '1e3' }), [
    "Invalid max score value specification '1e3': Invalid decimal point value: 1e3",
  ]);
  assert.deepEqual(failures({ sieve_spamtest_status_header: 'X', sieve_spamtest_score_max_value: '123456' }), [
    "Invalid max score value specification '123456': Decimal value has too many digits before radix point: 123456",
  ]);
  assert.deepEqual(failures({ sieve_spamtest_status_header: 'X', sieve_spamtest_status_type: 'text' }), []);
  assert.deepEqual(failures({ sieve_spamtest_score_max_value: 'x' }), []);
});

test('unlimited is UINT_MAX in a time: an unlimited backoff is larger than the default maximum', () => {
  assert.deepEqual(failures({ http_client_connect_backoff_time: 'unlimited' }), [
    'http_client_connect_backoff_time_msecs (60000) must not be smaller than http_client_connect_backoff_max_time_msecs (4294967295)',
  ]);
  assert.deepEqual(
    failures({ http_client_connect_backoff_time: 'unlimited', http_client_connect_backoff_max_time: 'infinite' }),
    [],
  );
});

test('acl rights: IMAP letters, then extensions after a colon', () => {
  const acl = (rights: string) => failures({ acl_rights: rights }, 'anyone', 'acl');
  assert.deepEqual(acl('lrwstipekxa'), []);
  assert.deepEqual(acl('-lr :x-custom'), []);
  assert.deepEqual(acl('lrz'), ["Unknown ACL 'z'"]);
  assert.deepEqual(acl('lr x'), ["Missing ':' prefix in ACL extensions"]);
  assert.deepEqual(failures({ acl_rights: 'lrz' }), []);
});

test('mail_server_admin: a URI needs a scheme, letters followed by a colon', () => {
  assert.deepEqual(failures({ mail_server_admin: 'mailto:admin@example.com' }), []);
  assert.deepEqual(failures({ mail_server_admin: '%u' }), [
    "mail_server_admin: '%u' is not a valid URI: Missing scheme",
  ]);
  assert.deepEqual(failures({ mail_server_admin: 'admin@example.com' }), [
    "mail_server_admin: 'admin@example.com' is not a valid URI: Invalid URI scheme",
  ]);
});
