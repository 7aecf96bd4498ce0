// Dovecot 2.3: a filter inside a block knows the block only when its parser saw it (analysis/filterParsers23.ts).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { analyzeFiles, brief } from './helpers/analyze';

const unknown = (text: string): string[] => brief(analyzeFiles(text), 'unknown-setting').map((m) => m.split('. ')[0]);

test('a setting or a block in a filter inside a namespace, passdb or own service is unknown', () => {
  assert.deepEqual(unknown('namespace inbox {\n  local 127.0.0.1 {\n    prefix = x/\n  }\n}\n'), [
    '2:4 Unknown setting: namespace { prefix',
  ]);
  assert.deepEqual(
    unknown('namespace inbox {\n  protocol imap {\n    mailbox Sent {\n      auto = no\n    }\n  }\n}\n'),
    ['2:4 Unknown setting: namespace { mailbox { mailbox'],
  );
  assert.deepEqual(unknown('service quota-status {\n  local 127.0.0.1 {\n    vsz_limit = 2G\n  }\n}\n'), [
    '2:4 Unknown setting: service { vsz_limit',
  ]);
  const passdb = analyzeFiles('passdb {\n  local 127.0.0.1 {\n    driver = static\n  }\n}\n');
  // doveconf stops there; had it gone on, the passdb would lack its driver (a check of the whole configuration).
  assert.deepEqual(
    passdb.diagnostics.filter((d) => d.level === 'error').map((d) => d.code),
    ['unknown-setting', 'settings-check'],
  );
  assert.match(
    passdb.diagnostics[0].message,
    /put the block inside the filter instead \(local 127\.0\.0\.1 \{ passdb \{ \.\.\. \} \}\)$/,
  );
});

test('the filter knows a built-in service and its listeners, and a block opened under it before', () => {
  assert.deepEqual(unknown('service imap {\n  local 127.0.0.1 {\n    vsz_limit = 2G\n  }\n}\n'), []);
  assert.deepEqual(
    unknown('service imap-login {\n  inet_listener imaps {\n    protocol imap {\n      port = 994\n    }\n  }\n}\n'),
    [],
  );
  assert.deepEqual(
    unknown('service imap-login {\n  inet_listener other {\n    protocol imap {\n      port = 994\n    }\n  }\n}\n'),
    ['3:6 Unknown setting: service { inet_listener { port'],
  );
  const opened = 'local 127.0.0.1 {\n  namespace inbox {\n  }\n}\n';
  const nested = 'namespace inbox {\n  local 127.0.0.1/32 {\n    prefix = x/\n  }\n}\n';
  assert.deepEqual(unknown(opened + nested), []);
  assert.deepEqual(unknown(nested + opened), ['2:4 Unknown setting: namespace { prefix']);
  assert.deepEqual(unknown(opened.replace('127.0.0.1', '127.0.0.2') + nested), [
    '6:4 Unknown setting: namespace { prefix',
  ]);
});

test('a block without a name is known only to the reading that opened it under the same filter', () => {
  assert.deepEqual(
    unknown('local 10.0.0.0/8 {\n  namespace {\n    local 10.0.0.0/8 {\n      prefix = x/\n    }\n  }\n}\n'),
    [],
  );
  assert.deepEqual(
    unknown('local 10.0.0.0/8 {\n  namespace {\n  }\n}\nnamespace {\n  local 10.0.0.0/8 {\n    prefix = x/\n  }\n}\n'),
    ['6:4 Unknown setting: namespace { prefix'],
  );
});
