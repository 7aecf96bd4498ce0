// Dovecot 2.4's literal value checks (src/config/config-parser.c@2.4.4 settings_value_check) and its
// boolean-list parser; the messages are the ones the 2.4 oracle cases recorded from doveconf 2.4.4.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { findSetting24 } from '../server/src/service/schema/schema24';
import {
  boollistError24,
  checkValue24,
  listWords24,
  sizeInBytes24,
  valueCheckable24,
} from '../server/src/service/schema/valueCheck24';
import { structCheckError24 } from '../server/src/service/schema/structChecks24';

const check = (name: string, value: string) => checkValue24(findSetting24(name)!, value);

test('numbers, times and sizes take unlimited/infinite; 64-bit numbers do not', () => {
  assert.equal(check('service_process_limit', 'unlimited'), undefined);
  assert.equal(check('mailbox_idle_check_interval', 'infinite'), undefined);
  assert.equal(check('mail_max_keyword_length', 'abc'), 'Invalid number abc: Not a valid number');
  assert.equal(check('mail_max_keyword_length', '99999999999'), 'Invalid number 99999999999: Number too large');
  assert.equal(
    check('mailbox_idle_check_interval', '30'),
    "Time interval '30' is missing units (add e.g. 's' for seconds)",
  );
  assert.equal(check('mail_debug', '0'), 'Invalid boolean value: 0 (use yes or no)');
  assert.equal(check('ssl', 'perhaps'), 'Invalid value: perhaps');
  assert.equal(check('unix_listener_mode', '0999'), 'Invalid number: 0999');
});

test('values with %{...}, $SET: or $ENV: are not checked', () => {
  assert.equal(valueCheckable24('%{user}'), false);
  assert.equal(valueCheckable24('$SET:x'), false);
  assert.equal(valueCheckable24('$ENV:X'), false);
  assert.equal(check('mail_debug', '%{user}'), undefined);
  assert.equal(check('mail_debug', '$foo'), 'Invalid boolean value: $foo (use yes or no)');
});

test('boolean-list values: quotes must open and close elements', () => {
  assert.equal(boollistError24('quota acl "a b",c'), undefined);
  assert.equal(boollistError24('quo"ta acl'), "'\"' in the middle of a string");
  assert.equal(boollistError24('"quota"acl'), "Expected ',' or ' ' after '\"'");
  assert.equal(boollistError24('"quota'), "Missing ending '\"'");
  assert.equal(boollistError24('"quota\\'), "Value ends with '\\'");
});

test('post-parse struct checks of one value', () => {
  assert.equal(structCheckError24('mail_cache_max_size', '2G'), "mail_cache_max_size can't be over 1 GB");
  assert.equal(structCheckError24('mail_cache_max_size', '1G'), undefined);
  assert.equal(structCheckError24('mailbox_idle_check_interval', '0'), 'mailbox_idle_check_interval must not be 0');
  assert.equal(structCheckError24('mailbox_idle_check_interval', '30 secs'), undefined);
  assert.equal(sizeInBytes24('512 kB'), 512n * 1024n);
  assert.equal(structCheckError24('mail_cache_purge_delete_percentage', '100'), undefined);
  assert.equal(
    structCheckError24('mail_cache_purge_delete_percentage', 'unlimited'),
    "mail_cache_purge_delete_percentage can't be over 100",
  );
});

test('the experimental IMAP4rev2 and UTF-8 support: any true value is refused, as a packaged Dovecot does', () => {
  for (const yes of ['yes', 'Y', '1'])
    assert.equal(
      structCheckError24('imap4rev2_enable', yes),
      'Dovecot not built with --enable-experimental-imap4rev2.',
      yes,
    );
  assert.equal(
    structCheckError24('mail_utf8_extensions', 'yes'),
    'Dovecot not built with --enable-experimental-mail-utf8',
  );
  assert.equal(structCheckError24('mail_utf8_extensions', 'no'), undefined);
  assert.equal(structCheckError24('imap4rev2_enable', 'maybe'), undefined);
});

test('the words of a list: a boolean list as doveconf parses it, a string list split at spaces and commas', () => {
  assert.deepEqual(listWords24('imap_client_workarounds', '"a b",c d'), ['a b', 'c', 'd']);
  assert.equal(listWords24('imap_client_workarounds', '"a'), undefined);
  assert.deepEqual(listWords24('dsync_features', 'a,b  c'), ['a', 'b', 'c']);
  assert.equal(listWords24('dsync_features', '"a b"'), undefined);
});
