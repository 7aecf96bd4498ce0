// The 2.4 struct checks that read several settings of one filter (filterChecks24.ts); the oracle cases
// p01-p06 and f01-f37 compare them with doveconf 2.4.4, this covers what a recorded case cannot.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { default24, filterChecks24, type ValueOf } from '../server/src/service/schema/filterChecks24';
import { checkedValue24, UNKNOWN_VALUE_24 } from '../server/src/service/schema/valueCheck24';

function failures(own: Record<string, string | undefined>, filterName = ''): string[] {
  const value: ValueOf = (key) => (key in own ? own[key] : default24(key));
  return filterChecks24()
    .map((check) => check.fails(value, filterName))
    .filter((message): message is string => message !== undefined);
}

test('the defaults pass every check', () => {
  assert.deepEqual(failures({}), []);
});

test('pop3_uidl_format: a program that does not parse is named (doveconf 2.4.4 itself aborts on it)', () => {
  assert.deepEqual(failures({ pop3_uidl_format: '%{uid' }), [
    'Invalid pop3_uidl_format: syntax error, unexpected end of file, expecting CCBRACE or PIPE',
  ]);
});

test('pop3_uidl_format: variables are checked in sorted order and a known one first makes the rest pass', () => {
  assert.deepEqual(failures({ pop3_uidl_format: '%{zzz}%{aaa}' }), ['Unknown pop3_uidl_format variable: %{aaa}']);
  assert.deepEqual(failures({ pop3_uidl_format: '%{uid}%{zzz}' }), []);
  assert.deepEqual(failures({ pop3_uidl_format: '%{literal}' }), [
    "pop3_uidl_format setting doesn't contain any %{variables}.",
  ]);
});

test('uid ranges: unlimited is the largest value; a value we cannot read is not judged', () => {
  assert.deepEqual(failures({ first_valid_uid: '1000', last_valid_uid: 'unlimited' }), []);
  assert.deepEqual(failures({ first_valid_uid: 'unlimited', last_valid_uid: '1000' }), [
    "first_valid_uid can't be larger than last_valid_uid",
  ]);
  assert.deepEqual(failures({ first_valid_uid: '%{x}', last_valid_uid: '10' }), []);
});

test('list words: a quoted element is one word, a prefix option is accepted', () => {
  assert.deepEqual(failures({ imap_client_workarounds: '"foo bar"' }), [
    'imap_client_workarounds: Unknown workaround: foo bar',
  ]);
  assert.deepEqual(failures({ imap_client_workarounds: '"delay-newmail" tb-lsub-flags' }), []);
  assert.deepEqual(failures({ mail_attachment_detection_options: 'content-type=text/x-foo' }), []);
  assert.deepEqual(failures({ imap_client_workarounds: 'delay-newmail,nope' }), [
    'imap_client_workarounds: Unknown workaround: nope',
  ]);
});

test('a string list with quotes is split as written, its quotes and backslashes kept in the refused word', () => {
  assert.deepEqual(failures({ dsync_features: 'x "y"' }), ['dsync_features: Unknown feature: x']);
  assert.deepEqual(failures({ dsync_features: 'no-header-hashes,x"y' }), ['dsync_features: Unknown feature: x"y']);
  assert.deepEqual(failures({ dsync_features: '"y" x' }), ['dsync_features: Unknown feature: "y"']);
  assert.deepEqual(failures({ dsync_features: 'empty-header-workaround "no-header-hashes"' }), [
    'dsync_features: Unknown feature: "no-header-hashes"',
  ]);
  assert.deepEqual(failures({ dsync_features: 'a\\"b' }), ['dsync_features: Unknown feature: a\\"b']);
  assert.deepEqual(failures({ pop3c_features: 'no-pipelining x "y"' }), ['pop3c_features: Unknown feature: x']);
});

test('a %{…} program is read by the checks as UNKNOWN_VALUE_WITH_VARIABLES, as doveconf gives it to them', () => {
  assert.equal(checkedValue24('dsync_features', '%{user}'), UNKNOWN_VALUE_24);
  assert.equal(checkedValue24('pop3_uidl_format', '%{uid}'), '%{uid}');
  assert.equal(checkedValue24('imap_client_workarounds', '%{user}'), '%{user}');
  assert.deepEqual(failures({ dsync_features: UNKNOWN_VALUE_24 }), [
    'dsync_features: Unknown feature: UNKNOWN_VALUE_WITH_VARIABLES',
  ]);
  // mail_storage_settings_check() leaves an unknown escape character alone.
  assert.deepEqual(failures({ mailbox_list_visible_escape_char: UNKNOWN_VALUE_24 }), []);
});

test('mail_nfs_index reads every form of yes', () => {
  for (const yes of ['yes', 'YES', 'y', '1'])
    assert.deepEqual(failures({ mail_nfs_index: yes }), ['mail_nfs_index=yes requires mmap_disable=yes'], yes);
  assert.deepEqual(failures({ mail_nfs_index: '1', mmap_disable: 'Y', mail_fsync: 'always' }), []);
});

test('a namespace separator set outside a namespace block names the namespace by namespace_name', () => {
  assert.deepEqual(failures({ namespace_separator: '//' }), [
    'Namespace : Hierarchy separator must be only one character long',
  ]);
  assert.deepEqual(failures({ namespace_separator: '//', namespace_name: 'x' }), [
    'Namespace x: Hierarchy separator must be only one character long',
  ]);
});
