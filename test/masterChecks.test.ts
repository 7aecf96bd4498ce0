// doveconf's master checks (FACTS §1.11); every expectation below was checked with doveconf 2.3.19.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { analyzeFiles, brief } from './helpers/analyze';

test('process_limit must be 1 for process_limit_1 services, 0 meaning default_process_limit', () => {
  assert.deepEqual(brief(analyzeFiles('service replicator {\n  process_limit = 2\n}\n'), 'service-process-limit'), [
    '1:2 service(replicator): process_limit must be 1',
  ]);
  assert.deepEqual(brief(analyzeFiles('service anvil {\n  process_limit = 0\n}\n'), 'service-process-limit'), [
    '1:2 service(anvil): process_limit must be 1',
  ]);
  assert.deepEqual(
    brief(
      analyzeFiles('service replicator {\n  process_limit = 1\n}\nservice imap {\n  process_limit = 5\n}\n'),
      'service-process-limit',
    ),
    [],
  );
});

test('process_min_avail is higher than process_limit', () => {
  assert.deepEqual(brief(analyzeFiles('service replicator {\n  process_min_avail = 2\n}\n'), 'service-min-avail'), [
    '1:2 service(replicator): process_min_avail is higher than process_limit',
  ]);
  assert.deepEqual(brief(analyzeFiles('service replicator {\n  process_min_avail = 1\n}\n'), 'service-min-avail'), []);
  // A service of the user's own starts from every service's defaults: process_limit 0, default_process_limit's 100.
  assert.deepEqual(brief(analyzeFiles('service foo {\n  process_min_avail = 200\n}\n'), 'service-min-avail'), [
    '1:2 service(foo): process_min_avail is higher than process_limit',
  ]);
  assert.deepEqual(brief(analyzeFiles('service foo {\n  process_min_avail = 100\n}\n'), 'service-min-avail'), []);
  // imap is not enabled: Debian's protocols default is empty for a standalone file, so doveconf skips it.
  assert.deepEqual(
    brief(analyzeFiles('service imap {\n  process_limit = 5\n  process_min_avail = 6\n}\n'), 'service-min-avail'),
    [],
  );
  assert.deepEqual(
    brief(
      analyzeFiles('protocols = imap\nservice imap {\n  process_limit = 5\n  process_min_avail = 6\n}\n'),
      'service-min-avail',
    ),
    ['3:2 service(imap): process_min_avail is higher than process_limit'],
  );
  assert.deepEqual(
    brief(
      analyzeFiles('default_process_limit = 5\nprotocols = lmtp\nservice lmtp {\n  process_min_avail = 6\n}\n'),
      'service-min-avail',
    ),
    ['3:2 service(lmtp): process_min_avail is higher than process_limit'],
  );
});

test('vsz_limit is too low below 1M, 0 allowed', () => {
  assert.deepEqual(brief(analyzeFiles('service doveadm {\n  vsz_limit = 100k\n}\n'), 'service-vsz-limit'), [
    '1:2 service(doveadm): vsz_limit is too low',
  ]);
  assert.deepEqual(brief(analyzeFiles('service anvil {\n  vsz_limit = 1023k\n}\n'), 'service-vsz-limit'), [
    '1:2 service(anvil): vsz_limit is too low',
  ]);
  assert.deepEqual(
    brief(
      analyzeFiles('service doveadm {\n  vsz_limit = 1M\n}\nservice anvil {\n  vsz_limit = 0\n}\n'),
      'service-vsz-limit',
    ),
    [],
  );
});

test('unix_listener/fifo_listener path must not be empty, only for enabled services', () => {
  assert.deepEqual(brief(analyzeFiles('service doveadm {\n  unix_listener {\n  }\n}\n'), 'listener-path-empty'), [
    '1:2 service(doveadm): unix_listener: path must not be empty',
  ]);
  assert.deepEqual(
    brief(analyzeFiles('service doveadm {\n  fifo_listener x {\n    path =\n  }\n}\n'), 'listener-path-empty'),
    ['2:4 service(doveadm): fifo_listener: path must not be empty'],
  );
  assert.deepEqual(brief(analyzeFiles('service imap {\n  unix_listener {\n  }\n}\n'), 'listener-path-empty'), []);
  assert.deepEqual(
    brief(analyzeFiles('protocols = imap\nservice imap {\n  unix_listener {\n  }\n}\n'), 'listener-path-empty'),
    ['2:2 service(imap): unix_listener: path must not be empty'],
  );
});

test('duplicate listener: port:address and base_dir-relative paths, default listeners included', () => {
  assert.deepEqual(
    brief(
      analyzeFiles('service doveadm {\n  inet_listener {\n    port = 143\n  }\n}\nprotocols = imap\n'),
      'duplicate-listener',
    ),
    ['2:4 duplicate listener: 143:'],
  );
  assert.deepEqual(
    brief(analyzeFiles('service doveadm {\n  inet_listener {\n    port = 143\n  }\n}\n'), 'duplicate-listener'),
    [],
    'imap-login is not enabled',
  );
  assert.deepEqual(
    brief(
      analyzeFiles(
        'service doveadm {\n  inet_listener a {\n    port = 1\n    address = 127.0.0.1\n  }\n  inet_listener b {\n    port = 1\n    address = 127.0.0.1\n  }\n}\n',
      ),
      'duplicate-listener',
    ),
    ['6:4 duplicate listener: 1:127.0.0.1'],
  );
  assert.deepEqual(
    brief(
      analyzeFiles(
        'service doveadm {\n  inet_listener a {\n    port = 1\n    address = *\n  }\n  inet_listener b {\n    port = 1\n  }\n}\n',
      ),
      'duplicate-listener',
    ),
    [],
    'addresses compare as strings',
  );
  assert.deepEqual(
    brief(analyzeFiles('service doveadm {\n  unix_listener auth-userdb {\n  }\n}\n'), 'duplicate-listener'),
    ['1:2 duplicate listener: /run/dovecot/auth-userdb'],
  );
  assert.deepEqual(
    brief(
      analyzeFiles('base_dir = /tmp/bd\nservice doveadm {\n  unix_listener /tmp/bd/auth-userdb {\n  }\n}\n'),
      'duplicate-listener',
    ),
    ['2:2 duplicate listener: /tmp/bd/auth-userdb'],
  );
  assert.deepEqual(
    brief(
      analyzeFiles('service doveadm {\n  unix_listener x {\n  }\n  unix_listener x {\n  }\n}\n'),
      'duplicate-listener',
    ),
    [],
    'same-named blocks merge',
  );
  assert.deepEqual(
    brief(
      analyzeFiles(
        'service doveadm {\n  inet_listener {\n    port = 0\n  }\n  inet_listener {\n    port = 0\n  }\n}\n',
      ),
      'duplicate-listener',
    ),
    [],
    'port 0 opens nothing',
  );
});

test('protocols: Unknown protocol, none only alone', () => {
  assert.deepEqual(brief(analyzeFiles('protocols = imap pop4\n'), 'unknown-protocol'), [
    '0:12 protocols: Unknown protocol: pop4',
  ]);
  assert.deepEqual(brief(analyzeFiles('protocols = imap none\n'), 'unknown-protocol'), [
    '0:12 protocols: Unknown protocol: none',
  ]);
  assert.deepEqual(brief(analyzeFiles('protocols = imap,lmtp\n'), 'unknown-protocol'), [
    '0:12 protocols: Unknown protocol: imap,lmtp',
  ]);
  assert.deepEqual(brief(analyzeFiles('protocols = imap\tpop3\n'), 'unknown-protocol'), [
    '0:12 protocols: Unknown protocol: imap\tpop3',
  ]);
  assert.deepEqual(brief(analyzeFiles('protocols = none\n'), 'unknown-protocol'), []);
  assert.deepEqual(brief(analyzeFiles('protocols = imap lmtp sieve submission pop3\n'), 'unknown-protocol'), []);
  assert.deepEqual(brief(analyzeFiles('protocols = imap\nprotocols = $protocols lmtp\n'), 'unknown-protocol'), []);
});

test('Service #N is missing name counts the built-in services; Duplicate service name through name =', () => {
  const builtIn = 32; // doveconf 2.3.19 with Pigeonhole: `service {` alone is Service #32
  assert.deepEqual(brief(analyzeFiles('service {\n}\n'), 'service-missing-name'), [
    `0:0 Service #${builtIn} is missing name`,
  ]);
  assert.deepEqual(brief(analyzeFiles('service foo {\n}\nservice {\n}\n'), 'service-missing-name'), [
    `2:0 Service #${builtIn + 1} is missing name`,
  ]);
  assert.deepEqual(brief(analyzeFiles('service {\n  name = foo\n}\n'), 'service-missing-name'), []);
  assert.deepEqual(
    brief(analyzeFiles('service foo {\n  name = bar\n}\nservice bar {\n}\n'), 'duplicate-service-name'),
    ['3:0 Duplicate service name: bar'],
  );
  assert.deepEqual(brief(analyzeFiles('service imap {\n  name = pop3\n}\n'), 'duplicate-service-name'), [
    '1:2 Duplicate service name: pop3',
  ]);
});

test('services inside filters and the stock-like defaults raise nothing', () => {
  const analysis = analyzeFiles(
    'protocols = imap lmtp\nprotocol imap {\n  service imap {\n    process_limit = 5\n  }\n}\nservice imap-login {\n  inet_listener imap {\n    port = 143\n  }\n}\n',
  );
  const master = [
    'service-process-limit',
    'service-min-avail',
    'service-vsz-limit',
    'listener-path-empty',
    'duplicate-listener',
    'unknown-protocol',
    'service-missing-name',
    'duplicate-service-name',
  ];
  assert.deepEqual(
    analysis.diagnostics.filter((d) => master.includes(d.code)),
    [],
  );
});

test('protocols = <file: doveconf -n does not read the file and rejects the text <path', () => {
  // doveconf 2.3.19: "protocols: Unknown protocol: <protos" even when the file exists.
  const files = { '/etc/dovecot/dovecot.conf': 'protocols = <protos\n', '/etc/dovecot/protos': 'imap\n' };
  assert.deepEqual(brief(analyzeFiles(files), 'unknown-protocol'), ['0:13 protocols: Unknown protocol: <protos']);
});

test('drop_priv_before_exec = yes with a chroot (the login services chroot to login), only for enabled services', () => {
  assert.deepEqual(
    brief(
      analyzeFiles('protocols = imap\nservice imap-login {\n  drop_priv_before_exec = yes\n}\n'),
      'service-drop-priv-chroot',
    ),
    ["2:2 service(imap-login): drop_priv_before_exec=yes can't be used with chroot"],
  );
  assert.deepEqual(
    brief(
      analyzeFiles('protocols = imap\nservice imap-login {\n  drop_priv_before_exec = yes\n  chroot =\n}\n'),
      'service-drop-priv-chroot',
    ),
    [],
  );
  assert.deepEqual(
    brief(
      analyzeFiles('protocols = lmtp\nservice imap-login {\n  drop_priv_before_exec = yes\n}\n'),
      'service-drop-priv-chroot',
    ),
    [],
  );
});

test('a unix listener of mode 0 is not among the listeners: no duplicate', () => {
  const listener = (mode: string) => `service foo {\n  executable = foo\n  unix_listener anvil {\n${mode}  }\n}\n`;
  assert.deepEqual(brief(analyzeFiles(listener('    mode = 0\n')), 'duplicate-listener'), []);
  assert.deepEqual(brief(analyzeFiles(listener('')), 'duplicate-listener'), [
    '2:2 duplicate listener: /run/dovecot/anvil',
  ]);
});

test('2.3 checks the services of each local, remote and protocol filter, over the global block', () => {
  const limit = (text: string) => brief(analyzeFiles(text), 'service-process-limit');
  const minAvail = (text: string) => brief(analyzeFiles(text), 'service-min-avail');
  assert.deepEqual(limit('local 127.0.0.1 {\n  service auth {\n    process_limit = 5\n  }\n}\n'), [
    '2:4 service(auth): process_limit must be 1',
  ]);
  assert.deepEqual(limit('remote 10.0.0.0/8 {\n  service auth {\n    process_limit = 5\n  }\n}\n'), [
    '2:4 service(auth): process_limit must be 1',
  ]);
  assert.deepEqual(limit('protocol imap {\n  service auth {\n    process_limit = 5\n  }\n}\n'), [
    '2:4 service(auth): process_limit must be 1',
  ]);
  // Written 0 is default_process_limit; a block that leaves process_limit alone keeps the built-in 1.
  assert.deepEqual(limit('local 127.0.0.1 {\n  service auth {\n    process_limit = 0\n  }\n}\n'), [
    '2:4 service(auth): process_limit must be 1',
  ]);
  // A filter inside the service block is the same as the service block inside the filter.
  assert.deepEqual(limit('service auth {\n  local 127.0.0.1 {\n    process_limit = 5\n  }\n}\n'), [
    '2:4 service(auth): process_limit must be 1',
  ]);
  assert.deepEqual(limit('local 127.0.0.1 {\n  service anvil {\n    chroot = x\n  }\n}\n'), []);
  assert.deepEqual(limit('local 127.0.0.1 {\n  service auth {\n    process_limit = 1\n  }\n}\n'), []);
  // The global block's values reach the filter's block of the same service; the finding goes on the filter's line.
  assert.deepEqual(
    minAvail(
      'service foo {\n  process_min_avail = 6\n}\nlocal 127.0.0.1 {\n  service foo {\n    process_limit = 5\n  }\n}\n',
    ),
    ['5:4 service(foo): process_min_avail is higher than process_limit'],
  );
  assert.deepEqual(
    minAvail('local 127.0.0.1 {\n  default_process_limit = 5\n  service foo {\n    process_min_avail = 6\n  }\n}\n'),
    ['3:4 service(foo): process_min_avail is higher than process_limit'],
  );
  // A service whose protocol is not enabled is skipped there too.
  assert.deepEqual(
    minAvail('protocol imap {\n  service foo {\n    process_min_avail = 200\n    protocol = imap\n  }\n}\n'),
    [],
  );
  assert.deepEqual(
    brief(analyzeFiles('local 127.0.0.1 {\n  service foo {\n    vsz_limit = 1k\n  }\n}\n'), 'service-vsz-limit'),
    ['2:4 service(foo): vsz_limit is too low'],
  );
  assert.deepEqual(
    brief(
      analyzeFiles('local 127.0.0.1 {\n  service auth {\n    unix_listener x {\n      path =\n    }\n  }\n}\n'),
      'listener-path-empty',
    ),
    ['3:6 service(auth): unix_listener: path must not be empty'],
  );
});

test('2.3 filters: a value another filter may give is not judged', () => {
  // `local X` and `protocol imap` may both apply to `local X` + `protocol imap`: which one wins is not modelled.
  assert.deepEqual(
    brief(
      analyzeFiles(
        'local 127.0.0.1 {\n  service foo {\n    process_min_avail = 0\n  }\n  protocol imap {\n    service foo {\n      process_limit = 2\n    }\n  }\n}\nservice foo {\n  process_min_avail = 3\n}\n',
      ),
      'service-min-avail',
    ),
    [],
  );
});
