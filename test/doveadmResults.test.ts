// Answers captured from Dovecot 2.3.19 (doveadm -f json and the HTTP API print the same rows).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  formatSecondsAgo,
  parseDsyncStatus,
  parseReplicateResult,
  parseReplicatorOverview,
  parseReplicatorStatus,
  parseSecondsAgo,
  parseUserListing,
  UnexpectedAnswerError,
  type DoveadmAnswer,
} from '../server/src/service/live/doveadmResults';

const json = (text: string): DoveadmAnswer => ({ kind: 'json', value: JSON.parse(text) });

test('replicator status rows: times are seconds ago, - is never, failed is y', () => {
  const users = parseReplicatorStatus(
    json(
      '[{"username":"alice@lab.test","priority":"none","fast sync":"00:00:07","full sync":"01:02:03","success sync":"00:00:07","failed":"-"},{"username":"bob@lab.test","priority":"low","fast sync":"-","full sync":"-","success sync":"-","failed":"y"}]',
    ),
  );
  assert.deepEqual(users[0], {
    username: 'alice@lab.test',
    priority: 'none',
    lastFastSync: 7,
    lastFullSync: 3723,
    lastSuccessfulSync: 7,
    failed: false,
  });
  assert.deepEqual(users[1], {
    username: 'bob@lab.test',
    priority: 'low',
    lastFastSync: null,
    lastFullSync: null,
    lastSuccessfulSync: null,
    failed: true,
  });
  assert.deepEqual(parseReplicatorStatus(json('[]')), []);
});

test('the replicator prints hours past 99 without wrapping', () => {
  assert.equal(parseSecondsAgo('123:00:01'), 123 * 3600 + 1);
  assert.throws(() => parseSecondsAgo('yesterday'), UnexpectedAnswerError);
  assert.equal(formatSecondsAgo(null), 'never');
  assert.equal(formatSecondsAgo(42), '42s ago');
  assert.equal(formatSecondsAgo(3723), '1h 02m ago');
  assert.equal(formatSecondsAgo(90000), '1d 01h ago');
});

test('overview, dsync-status and replicate results', () => {
  const overview = parseReplicatorOverview(
    json('[{"field":"Queued \'sync\' requests","value":"0"},{"field":"Total number of known users","value":"2"}]'),
  );
  assert.deepEqual(overview.at(-1), { field: 'Total number of known users', value: '2' });
  assert.deepEqual(parseDsyncStatus(json('[{"username":"","type":"-","status":"Not connected"}]')), [
    { username: '', type: '-', status: 'Not connected' },
  ]);
  assert.deepEqual(parseReplicateResult(json('[{"result":"1 users updated"}]')), { usersUpdated: 1 });
  assert.throws(() => parseReplicateResult(json('[]')), /unexpected result/);
});

test("user '*': plain lines from the command line, userList from the HTTP API; a sample of five", () => {
  const names = Array.from({ length: 7 }, (_, i) => `u${i}@lab.test`);
  assert.deepEqual(parseUserListing({ kind: 'lines', lines: [...names, ''] }), { count: 7, sample: names.slice(0, 5) });
  assert.deepEqual(parseUserListing(json('{"userList":["alice@lab.test","bob@lab.test"]}')), {
    count: 2,
    sample: ['alice@lab.test', 'bob@lab.test'],
  });
  assert.throws(() => parseUserListing(json('[]')), /userList/);
});

test('an answer of another shape is an error that says which command, never an empty list', () => {
  assert.throws(
    () => parseReplicatorStatus(json('{"userList":[]}')),
    /replicator status: doveadm did not answer with a list/,
  );
  assert.throws(() => parseReplicatorStatus(json('[{"username":"a"}]')), /has no 'priority'/);
  assert.throws(() => parseReplicatorStatus({ kind: 'lines', lines: ['alice'] }), UnexpectedAnswerError);
});
