// Settings whose % variables are their own (a rejection message's subject, a logout format's byte counts):
// their 2.3 letters and 2.4 names, read off the defaults of both releases.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { convertVariables } from '../server/src/service/migrate/variables';
import { findSetting, settingsInContext } from '../server/src/service/schema/schema';
import { findSetting24 } from '../server/src/service/schema/schema24';
import { defaultVariableNames24, shortVariablesOf } from '../server/src/service/schema/settingVariables24';
import { SHORT_VARIABLES_23 } from '../server/src/service/schema/varExpand24';

const withOwnLetters = settingsInContext('')
  .map((setting) => setting.name)
  .filter((name) => shortVariablesOf(name) !== SHORT_VARIABLES_23);

test('the settings with letters of their own are the message and log formats', () => {
  for (const name of ['rejection_subject', 'rejection_reason', 'imap_logout_format', 'pop3_logout_format'])
    assert.ok(withOwnLetters.includes(name), `${name} in ${withOwnLetters.join(', ')}`);
  for (const name of ['mail_location', 'mail_home', 'auth_username_format', 'dsync_remote_cmd'])
    assert.equal(shortVariablesOf(name), SHORT_VARIABLES_23, `${name} has the mail user's letters`);
});

test("each such setting's 2.3 default, converted with its letters, is its 2.4 default", () => {
  for (const name of withOwnLetters) {
    const conversion = convertVariables(
      findSetting('', name)?.default ?? '',
      shortVariablesOf(name),
      defaultVariableNames24(name),
    );
    assert.deepEqual([conversion.value, conversion.unknown], [findSetting24(name)?.default, []], name);
  }
});

test('the rejection subject and reason share their letters, as Dovecot expands both with one table', () => {
  assert.deepEqual(shortVariablesOf('rejection_subject'), shortVariablesOf('rejection_reason'));
  assert.deepEqual(shortVariablesOf('rejection_subject'), {
    n: "%{literal('\\r\\n')}",
    r: '%{reason}',
    s: '%{subject}',
    t: '%{to}',
  });
});

test('the conversion to 2.4 leaves the % of an IPv6 zone as it is', () => {
  assert.deepEqual(convertVariables('fe80::1%lo'), { value: 'fe80::1%lo', unknown: [], changed: false });
  assert.equal(convertVariables('fe80::1%lo /srv/%u').value, 'fe80::1%lo /srv/%{user}');
});
