import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  checkUserMask,
  dsyncStatusRequest,
  httpBody,
  InvalidUserMaskError,
  reloadRequest,
  replicateRequest,
  replicatorStatusRequest,
  userListRequest,
} from '../server/src/service/live/doveadmRequests';

test('replicator status: overview without a mask, per user with one; HTTP parameter userMask', () => {
  assert.deepEqual(replicatorStatusRequest().args, ['replicator', 'status']);
  assert.deepEqual(replicatorStatusRequest().parameters, {});
  const perUser = replicatorStatusRequest('*');
  assert.deepEqual(perUser.args, ['replicator', 'status', '*']);
  assert.equal(httpBody(perUser, 't1'), '[["replicatorStatus",{"userMask":"*"},"t1"]]');
  assert.equal(perUser.formatted, true);
});

test('replicator replicate: -f and -p on the command line, fullSync and priority over HTTP', () => {
  const request = replicateRequest({ userMask: 'alice@lab.test', fullSync: true, priority: 'high' });
  assert.deepEqual(request.args, ['replicator', 'replicate', '-f', '-p', 'high', 'alice@lab.test']);
  assert.equal(
    httpBody(request, 't2'),
    '[["replicatorReplicate",{"userMask":"alice@lab.test","fullSync":true,"priority":"high"},"t2"]]',
  );
  assert.equal(request.title, "replicator replicate -f -p high 'alice@lab.test'");
  const plain = replicateRequest({ userMask: '*' });
  assert.deepEqual(plain.args, ['replicator', 'replicate', '*']);
  assert.deepEqual(plain.parameters, { userMask: '*' });
});

test('dsync-status, user and reload requests', () => {
  assert.equal(httpBody(dsyncStatusRequest(), 'x'), '[["replicatorDsyncStatus",{},"x"]]');
  const users = userListRequest();
  assert.deepEqual(users.args, ['user', '*']);
  assert.equal(users.formatted, false, "doveadm user '*' prints plain lines, not through -f json");
  assert.equal(httpBody(users, 'x'), '[["user",{"userMask":["*"]},"x"]]');
  assert.deepEqual(reloadRequest().args, ['reload']);
  assert.equal(reloadRequest().httpCommand, 'reload');
});

test('a user mask that doveadm would read as an option, or an empty one, is refused', () => {
  assert.throws(() => checkUserMask(''), InvalidUserMaskError);
  assert.throws(() => replicateRequest({ userMask: '-A' }), /starts with '-'/);
  assert.throws(() => replicatorStatusRequest('a\nb'), /control characters/);
  assert.equal(checkUserMask('*@example.com'), '*@example.com');
});
