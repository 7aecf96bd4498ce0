import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ReplicaUserStatus } from '../server/src/service/live/doveadmResults';
import { describeHost, pairHealth } from '../server/src/service/live/pairHealth';

const user = (username: string, failed = false): ReplicaUserStatus => ({
  username,
  priority: 'none',
  lastFastSync: 1,
  lastFullSync: 1,
  lastSuccessfulSync: failed ? null : 1,
  failed,
});

test('all synced, N failed across both hosts, unreachable first', () => {
  const a = { name: 'A', location: 'http://a', users: [user('alice'), user('bob')] };
  assert.deepEqual(pairHealth([a, { ...a, name: 'B' }]).text, 'all synced');
  const failing = { name: 'B', location: 'http://b', users: [user('alice', true), user('bob', true)] };
  assert.equal(pairHealth([a, failing]).text, '2 failed');
  assert.equal(describeHost(failing), 'B: 2 users, 2 failed');
  const down = {
    name: 'B',
    location: 'http://b',
    failure: { what: 'Nothing accepts connections on b:1 (connection refused)', check: [] },
  };
  const health = pairHealth([failing, down]);
  assert.equal(health.kind, 'unreachable');
  assert.equal(health.text, 'B unreachable');
  assert.deepEqual(health.details, [
    'B: 2 users, 2 failed',
    'B: Nothing accepts connections on b:1 (connection refused)',
  ]);
  assert.equal(pairHealth([]).kind, 'none');
});
