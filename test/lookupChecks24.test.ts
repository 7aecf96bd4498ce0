// filterLookupError24: doveconf 2.4.4 reads passdb/userdb/mailbox/language blocks again from the parent
// struct's check and fails on a `%{variable}` in a setting of the block's struct it expands (string,
// boolean, number, time, enum), and on a `%{…}` enum of an event_exporter a metric names. Each expected message is the one
// doveconf 2.4.4 prints (oracle cases d60–d65, d70, d72).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { exporterLookupError24, filterLookupError24 } from '../server/src/service/schema/lookupChecks24';

test('a variable in a boolean of a passdb block: the auth check cannot get the passdb', () => {
  assert.equal(
    filterLookupError24('passdb/static', undefined, 'passdb_use_worker', '%{user}'),
    "Failed to get passdb static: auth_passdb settings (filter=passdb/static): Failed to parse configuration: Failed to expand passdb_use_worker setting variables: Unknown variable 'user'",
  );
});

test('userdb enums, mailbox times inside a namespace and language numbers fail the same way', () => {
  assert.match(
    filterLookupError24('userdb/static', undefined, 'userdb_skip', '%{user | lower}') ?? '',
    /^Failed to get userdb static: auth_userdb settings \(filter=userdb\/static\): .*userdb_skip .*'user'$/,
  );
  assert.match(
    filterLookupError24('mailbox/Trash', 'namespace', 'mailbox_autoexpunge', '%{days}') ?? '',
    /^Failed to get mailbox Trash: mailbox settings \(filter=mailbox\/Trash\): .*'days'$/,
  );
  assert.match(
    filterLookupError24('language/en', undefined, 'language_tokenizer_generic_token_maxlen', '%{n}') ?? '',
    /^Failed to get language en: language settings/,
  );
});

test("a string of the block's own struct is expanded too: passdb_driver, mailbox_comment", () => {
  assert.equal(
    filterLookupError24('passdb/sql', undefined, 'passdb_driver', '%{user}'),
    "Failed to get passdb sql: auth_passdb settings (filter=passdb/sql): Failed to parse configuration: Failed to expand passdb_driver setting variables: Unknown variable 'user'",
  );
  assert.match(
    filterLookupError24('mailbox/Sent', 'namespace', 'mailbox_comment', '%{user | upper}') ?? '',
    /^Failed to get mailbox Sent: .*mailbox_comment setting variables: Unknown variable 'user'$/,
  );
  assert.equal(filterLookupError24('passdb/sql', undefined, 'passdb_sql_query', '%{user}'), undefined);
});

test('nothing is claimed where doveconf accepts the value or where we cannot be sure of its message', () => {
  const silent: [string, string | undefined, string, string][] = [
    ['passdb/static', undefined, 'passdb_static_password', '%{user}'], // another struct's: not read again
    ['passdb/static', undefined, 'passdb_use_worker', 'yes'],
    ['passdb/static', undefined, 'passdb_use_worker', "%{literal('yes')}"], // expands fine
    ['passdb/static', undefined, 'passdb_use_worker', '$ENV:WORKER'], // known only where Dovecot runs
    ['passdb/static', undefined, 'passdb_use_worker', '%{a}%{b}'], // which variable fails first is not ours to guess
    ['userdb/static', undefined, 'auth_verbose', '%{x}'], // not a setting of the userdb struct
    ['mailbox/Trash', undefined, 'mailbox_autoexpunge', '%{days}'], // not inside a namespace
    ['service/imap', undefined, 'service_process_limit', '%{x}'], // services are not read this way
    ['passdb/static', undefined, 'passdb_use_worker', '%{user'], // a syntax error: the parser reports it
  ];
  for (const [filter, parent, key, value] of silent)
    assert.equal(filterLookupError24(filter, parent, key, value), undefined, `${filter} ${key} = ${value}`);
});

test('an event_exporter a metric names is read unexpanded: a %{…} enum value is parsed as written', () => {
  assert.equal(
    exporterLookupError24('log', 'event_exporter_time_format', '%{time_format}'),
    'Failed to get event_exporter log: stats_exporter settings (filter=event_exporter/log): Failed to parse configuration: Invalid setting event_exporter_time_format=%{time_format}: Invalid value: %{time_format}',
  );
  assert.equal(exporterLookupError24('log', 'event_exporter_time_format', 'unix'), undefined);
  assert.equal(exporterLookupError24('log', 'event_exporter_driver', '$ENV:DRIVER'), undefined);
  assert.equal(exporterLookupError24('log', 'event_exporter_driver', '%{driver'), undefined);
});
