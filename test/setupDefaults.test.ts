import { test } from 'node:test';
import assert from 'node:assert/strict';
import { getLanguageService } from '../server/src/service/dovecotLanguageService';
import { MemoryHost } from '../server/src/service/model/host';

const ROOT = '/etc/dovecot/dovecot.conf';
function defaultsOf(files: Record<string, string>) {
  const host = new MemoryHost(files);
  const service = getLanguageService(host);
  return service.replicationSetupPlan(service.analyze(ROOT)).defaults;
}

test('the mail user comes from mail_uid, with where it was set', () => {
  const defaults = defaultsOf({
    [ROOT]: '!include conf.d/*.conf\n',
    '/etc/dovecot/conf.d/10-mail.conf': 'mail_location = maildir:~/Maildir\nmail_uid = mailer\n',
  });
  assert.deepEqual(defaults.mailUser, { value: 'mailer', reason: 'mail_uid in conf.d/10-mail.conf:2' });
});

test('a tree of system users gets no invented vmail, and says why', () => {
  const defaults = defaultsOf({ [ROOT]: 'userdb {\n  driver = passwd\n}\n' });
  assert.equal(defaults.mailUser.value, '');
  assert.match(defaults.mailUser.reason, /system users/);
});

test('without anything known, vmail is proposed and explained', () => {
  const defaults = defaultsOf({ [ROOT]: 'protocols = imap\n' });
  assert.equal(defaults.mailUser.value, 'vmail');
  assert.match(defaults.mailUser.reason, /no mail_uid/);
  assert.equal(defaults.localHost, undefined);
  assert.equal(defaults.port, undefined);
});

test("this host's address comes from the doveadm listener, else from listen (never a wildcard)", () => {
  const listener = defaultsOf({
    [ROOT]: 'listen = *\nservice doveadm {\n  inet_listener {\n    address = 192.0.2.10\n    port = 4711\n  }\n}\n',
  });
  assert.deepEqual(listener.localHost, { value: '192.0.2.10', reason: "the doveadm listener's address" });
  assert.deepEqual(listener.port, { value: '4711', reason: "this host's doveadm port" });
  const listen = defaultsOf({ [ROOT]: 'listen = 198.51.100.7 ::\n' });
  assert.deepEqual(listen.localHost, { value: '198.51.100.7', reason: 'listen in dovecot.conf:1' });
  assert.equal(defaultsOf({ [ROOT]: 'listen = *, ::\n' }).localHost, undefined);
});

test('a local filter naming one address proposes it when listen is a wildcard', () => {
  const defaults = defaultsOf({
    [ROOT]: 'listen = *\nlocal 203.0.113.5 {\n  protocol imap {\n    ssl = yes\n  }\n}\n',
  });
  assert.deepEqual(defaults.localHost, { value: '203.0.113.5', reason: 'the local filter in dovecot.conf:2' });
  assert.equal(
    defaultsOf({ [ROOT]: 'listen = *\nlocal 203.0.113.0/24 {\n  protocol imap {\n    ssl = yes\n  }\n}\n' }).localHost,
    undefined,
  );
});

test('an existing mail_replica proposes the peer and the transport, with where they were set', () => {
  const defaults = defaultsOf({ [ROOT]: 'plugin {\n  mail_replica = tcps:mail2.example.com:4711\n}\n' });
  assert.deepEqual(defaults.peerHost, { value: 'mail2.example.com', reason: 'mail_replica in dovecot.conf:2' });
  assert.deepEqual(defaults.transport, { value: 'tcps', reason: 'mail_replica in dovecot.conf:2' });
  assert.equal(defaultsOf({ [ROOT]: 'protocols = imap\n' }).peerHost, undefined);
});
