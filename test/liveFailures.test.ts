// What the admin is told when a host or a program fails. The stderr lines are Dovecot 2.3.19's own.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  describeHttpProblem,
  describeLocalProblem,
  doveadmErrorLines,
  formatFailure,
} from '../server/src/service/live/failures';

test('connection refused names the address and the http listener to check', () => {
  const failure = describeHttpProblem({
    url: 'http://10.0.0.2:8080',
    command: "replicator status '*'",
    errorCode: 'ECONNREFUSED',
  });
  assert.equal(failure.what, 'Nothing accepts connections on 10.0.0.2:8080 (connection refused)');
  assert.match(failure.check.join('\n'), /inet_listener http \{ port/);
});

test('401 points at the API key and doveadm_api_key; 500 at a missing key or password', () => {
  assert.match(
    describeHttpProblem({ url: 'http://b:1', command: 'x', status: 401 }).check.join('\n'),
    /doveadm_api_key/,
  );
  assert.match(
    describeHttpProblem({ url: 'http://b:1', command: 'x', status: 500 }).check[0],
    /doveadm_api_key \(or doveadm_password\)/,
  );
});

test('TLS and plain-HTTP mismatches name the listener ssl setting', () => {
  assert.match(
    describeHttpProblem({ url: 'https://b:1', command: 'x', errorCode: 'ERR_SSL_WRONG_VERSION_NUMBER' }).check[0],
    /ssl = yes/,
  );
  assert.match(
    describeHttpProblem({ url: 'https://b:1', command: 'x', errorCode: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE' }).check.join(
      '\n',
    ),
    /CA file/,
  );
  assert.match(describeHttpProblem({ url: 'http://b:1', command: 'x', errorCode: 'ECONNRESET' }).check[0], /ssl = no/);
});

test('a hang-up while the same listener answers its command list blames the command: for the replicator, its socket', () => {
  const failure = describeHttpProblem({
    url: 'https://b:1',
    command: "replicator status '*'",
    errorCode: 'ECONNRESET',
    listenerAnswers: true,
  });
  assert.match(failure.what, /doveadm on that host died running the command/);
  assert.match(failure.check[0], /replicator-doveadm/);
  const wrongScheme = describeHttpProblem({
    url: 'http://b:1',
    command: "replicator status '*'",
    errorCode: 'ECONNRESET',
    listenerAnswers: false,
  });
  assert.doesNotMatch(wrongScheme.check.join('\n'), /replicator-doveadm/);
});

test('a doveadm command that fails on the host gives its exit code and, for the replicator, the socket to check', () => {
  const failure = describeHttpProblem({
    url: 'http://b:1',
    command: "replicator status '*'",
    doveadmError: { type: 'exitCode', exitCode: 75 },
  });
  assert.equal(
    failure.what,
    "doveadm replicator status '*' over the HTTP API of b:1 failed (exit code 75, temporary failure)",
  );
  assert.match(failure.check[0], /replicator-doveadm/);
  assert.match(
    describeHttpProblem({ url: 'http://b:1', command: 'x', doveadmError: { type: 'unknownMethod', exitCode: 0 } })
      .check[0],
    /Dovecot 2\.4 removed the replicator/,
  );
});

test('local doveadm: the replicator socket, permissions, a missing program, a timeout', () => {
  const missing = describeLocalProblem({
    binary: 'doveadm',
    command: "replicator status '*'",
    exitCode: 75,
    stderr:
      'doveadm(root): Fatal: net_connect_unix(/run/dovecot/replicator-doveadm) failed: No such file or directory\n',
  });
  assert.match(
    missing.what,
    /the replicator socket \/run\/dovecot\/replicator-doveadm is not there \(No such file or directory\)/,
  );
  assert.equal(missing.detail, 'net_connect_unix(/run/dovecot/replicator-doveadm) failed: No such file or directory');
  const denied = describeLocalProblem({
    binary: 'doveadm',
    command: 'x',
    exitCode: 89,
    stderr: 'doveadm(vmail): Fatal: net_connect_unix(/run/dovecot/replicator-doveadm) failed: Permission denied',
  });
  assert.match(denied.what, /no permission on \/run\/dovecot\/replicator-doveadm/);
  const iteration = describeLocalProblem({
    binary: 'doveadm',
    command: "user '*'",
    exitCode: 75,
    stderr: 'Error: auth-master: userdb list: User listing returned failure\nFatal: user listing failed\n',
  });
  assert.match(iteration.what, /the userdb cannot list users/);
  assert.match(
    describeLocalProblem({ binary: '/opt/doveadm', command: 'x', spawnCode: 'ENOENT' }).what,
    /\/opt\/doveadm was not found/,
  );
  assert.match(
    describeLocalProblem({ binary: 'doveadm', command: 'reload', timedOut: true, timeoutSeconds: 15 }).what,
    /did not finish within 15 s/,
  );
});

test('doveadm error lines lose their process prefix; formatted failures end in check lines', () => {
  assert.deepEqual(doveadmErrorLines('doveadm(alice@lab.test): Error: doveadm authentication failed ()\nInfo: x\n'), [
    'doveadm authentication failed ()',
  ]);
  assert.deepEqual(formatFailure({ what: 'W', detail: 'D', check: ['C'] }), ['W', '  D', '  check: C']);
});
