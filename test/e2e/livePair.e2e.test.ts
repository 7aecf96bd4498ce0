// End to end: the live replication module and `dovecot-replication` against two real Dovecot 2.3
// instances (test/e2e/lab.sh with the doveadm HTTP API on both). Run under `flock /tmp/dovecot-lab.lock`.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import {
  reloadRequest,
  replicateRequest,
  userListRequest,
  dsyncStatusRequest,
} from '../../server/src/service/live/doveadmRequests';
import { parseDsyncStatus, parseReplicateResult, parseUserListing } from '../../server/src/service/live/doveadmResults';
import { pairHealth } from '../../server/src/service/live/pairHealth';
import { HttpDoveadm } from '../../server/src/live/httpDoveadm';
import { LocalDoveadm } from '../../server/src/live/localDoveadm';
import { ask, readHostState, type HostSpec, type TransportSettings } from '../../server/src/live/liveHosts';
import { Lab, LAB_IP, labSkipReason, withOneRetry } from './lab';
import { until } from '../helpers/poll';

const PORT = 20000 + (process.pid % 20000);
const HTTP_PORT = 40000 + (process.pid % 20000);
const API_KEY = randomBytes(12).toString('hex');
const CLI = join(__dirname, '..', '..', 'server', 'src', 'replicationCli.ts');
const URL_A = `http://${LAB_IP.A}:${HTTP_PORT}`;
const URL_B = `http://${LAB_IP.B}:${HTTP_PORT}`;
const USERS = ['alice@lab.test', 'bob@lab.test'];
const LDA = '/usr/lib/dovecot/dovecot-lda';

const settings: TransportSettings = {
  doveadmPath: '/usr/bin/doveadm',
  timeoutMs: 10_000,
  apiKeyFor: () => API_KEY,
  apiKeyHint: () => 'set the key',
};
const hostA: HostSpec = { name: 'A', url: URL_A };
const hostB: HostSpec = { name: 'B', url: URL_B };

function cli(
  args: string[],
  env: Record<string, string> = { DOVEADM_API_KEY: API_KEY },
  hosts = ['--host', `A=${URL_A}`, '--host', `B=${URL_B}`],
): { code: number | null; out: string; err: string } {
  const result = spawnSync(process.execPath, ['--import', 'tsx', CLI, ...hosts, ...args], {
    encoding: 'utf8',
    timeout: 60_000,
    env: { ...process.env, ...env },
  });
  return { code: result.status, out: result.stdout, err: result.stderr };
}

/**
 * Delivers a message into A with the replication plugin switched off for this one delivery
 * (`-o mail_plugins=`): the replicator is not notified, so only a sync can carry it to B.
 */
function deliverUnnotified(lab: Lab, user: string): string {
  const messageId = `<live-pair-${Date.now()}@lab.test>`;
  const message = `From: sender@lab.test\nTo: ${user}\nSubject: full sync\nMessage-ID: ${messageId}\n\nNot announced to the replicator.\n`;
  const result = spawnSync(
    LDA,
    ['-c', lab.ok(['conf', 'A']), '-o', 'mail_plugins=', '-d', user, '-f', 'sender@lab.test', '-m', 'INBOX'],
    { input: message, encoding: 'utf8', timeout: 30_000 },
  );
  assert.equal(result.status, 0, `dovecot-lda: ${result.stderr}`);
  return messageId;
}

const reason = labSkipReason();

test(
  'the live module and dovecot-replication watch and drive a real pair over the doveadm HTTP API',
  { skip: reason ? `SKIPPED: ${reason}` : false, timeout: 180_000 },
  async (t) => {
    const lab = new Lab(`/tmp/dle2e-live-${process.pid}`, {
      LAB_REPLICATION: 'good',
      LAB_PORT: String(PORT),
      LAB_HTTP_PORT: String(HTTP_PORT),
      LAB_API_KEY: API_KEY,
      LAB_READY_TIMEOUT: '20',
    });
    try {
      withOneRetry(lab, () => lab.ok(['up']));

      await t.test('module: users of both hosts, over HTTP and with the local doveadm', async () => {
        const states = await Promise.all([readHostState(hostA, settings), readHostState(hostB, settings)]);
        for (const state of states) {
          assert.equal(state.failure, undefined, JSON.stringify(state.failure));
          assert.deepEqual(state.users?.map((user) => user.username).sort(), USERS);
          assert.ok(state.users?.every((user) => !user.failed && user.lastSuccessfulSync !== null));
        }
        assert.equal(pairHealth(states).text, 'all synced');
        const local = await readHostState({ name: 'A', config: lab.ok(['conf', 'A']) }, settings);
        assert.deepEqual(local.users?.map((user) => user.username).sort(), USERS);
        const listing = await ask(
          new HttpDoveadm({ url: URL_B, apiKey: API_KEY }),
          userListRequest(),
          parseUserListing,
        );
        assert.deepEqual(listing, { ok: true, value: { count: 2, sample: USERS } });
        const localListing = await ask(
          new LocalDoveadm({ doveadmPath: '/usr/bin/doveadm', configPath: lab.ok(['conf', 'B']) }),
          userListRequest(),
          parseUserListing,
        );
        assert.deepEqual(localListing, { ok: true, value: { count: 2, sample: USERS } });
        const slots = await ask(
          new HttpDoveadm({ url: URL_A, apiKey: API_KEY }),
          dsyncStatusRequest(),
          parseDsyncStatus,
        );
        assert.ok(slots.ok && slots.value.length > 0 && slots.value.every((slot) => typeof slot.status === 'string'));
      });

      await t.test('CLI: status of both hosts in text and JSON', () => {
        const text = cli(['status']);
        assert.equal(text.code, 0, text.out + text.err);
        assert.match(text.out, new RegExp(`== A: 2 users, all synced \\(${URL_A}\\)`));
        assert.match(text.out, /ok {5}bob@lab\.test {2}queued: none/);
        assert.match(text.out, /pair: all synced/);
        const json = cli(['--format', 'json', 'status']);
        const parsed = JSON.parse(json.out) as {
          hosts: { name: string; users: { username: string }[] }[];
          health: { kind: string };
        };
        assert.deepEqual(
          parsed.hosts.map((host) => [host.name, host.users.map((user) => user.username).sort()]),
          [
            ['A', USERS],
            ['B', USERS],
          ],
        );
        assert.equal(parsed.health.kind, 'synced');
        const users = cli(['users']);
        assert.match(users.out, /== B\n {2}2 users listed by the userdb, e\.g\. alice@lab\.test, bob@lab\.test/);
      });

      await t.test('replicate -f on A: a newer full-sync time on A and the message on B', async () => {
        const messageId = deliverUnnotified(lab, 'alice@lab.test');
        const aliceOnA = async () =>
          (await readHostState(hostA, settings)).users?.find((user) => user.username === 'alice@lab.test');
        // Let the last full sync age, so "newer" is visible in the replicator's whole seconds.
        const before = await until('alice full sync on A to be 2 s old', async () => {
          const alice = await aliceOnA();
          return alice?.lastFullSync !== null && alice !== undefined && alice.lastFullSync >= 2 ? alice : undefined;
        });
        assert.equal(
          lab.run(['has', 'alice@lab.test', messageId]).status,
          1,
          'the message is not on B before the sync',
        );
        // On A only: a full sync queued on both hosts at once makes one wait for the other's user lock.
        const cliRun = cli(['replicate', '-f', 'alice@lab.test'], { DOVEADM_API_KEY: API_KEY }, [
          '--host',
          `A=${URL_A}`,
        ]);
        assert.equal(cliRun.code, 0, cliRun.out + cliRun.err);
        assert.match(cliRun.out, /== A\n {2}1 users queued/);
        const after = await until('a newer full sync of alice on A', async () => {
          const alice = await aliceOnA();
          return alice && alice.lastFullSync !== null && alice.lastFullSync < (before.lastFullSync ?? 0)
            ? alice
            : undefined;
        });
        assert.equal(after.failed, false);
        lab.ok(['wait-replicated', 'alice@lab.test', messageId, '40']);
      });

      await t.test('wrong API key, nothing on the port: the failure says what to check', async () => {
        const wrongKey = await readHostState(hostA, { ...settings, apiKeyFor: () => 'not-the-key' });
        assert.equal(
          wrongKey.failure?.what,
          `${LAB_IP.A}:${HTTP_PORT} refused the API key (401 Authentication required)`,
        );
        const noListener = await readHostState({ name: 'A', url: `http://${LAB_IP.A}:${PORT + 1}` }, settings);
        assert.match(
          noListener.failure?.what ?? '',
          /Nothing accepts connections on 127\.0\.0\.2:\d+ \(connection refused\)/,
        );
        const cliRun = cli(['status'], { DOVEADM_API_KEY: 'not-the-key' });
        assert.equal(cliRun.code, 1);
        assert.match(
          cliRun.out,
          /FAILED: 127\.0\.0\.2:\d+ refused the API key[^]*check: the API key stored for this host equals doveadm_api_key/,
        );
      });

      await t.test(
        'a broken pair (wrong doveadm_password on B, reloaded over the API) shows the failed users',
        async () => {
          const passwordFile = join(lab.workdir, 'b', 'etc', 'conf.d', '90-replication.conf');
          writeFileSync(
            passwordFile,
            readFileSync(passwordFile, 'utf8').replace(
              /^doveadm_password = .*$/m,
              'doveadm_password = not-the-pair-password',
            ),
          );
          const reload = await ask(new HttpDoveadm({ url: URL_B, apiKey: API_KEY }), reloadRequest(), () => true);
          assert.deepEqual(reload, { ok: true, value: true });
          const queued = await ask(
            new HttpDoveadm({ url: URL_A, apiKey: API_KEY }),
            replicateRequest({ userMask: '*', fullSync: true }),
            parseReplicateResult,
          );
          assert.deepEqual(queued, { ok: true, value: { usersUpdated: 2 } });
          const states = await until('A to mark users failed', async () => {
            const both = await Promise.all([readHostState(hostA, settings), readHostState(hostB, settings)]);
            return both[0].users?.some((user) => user.failed) ? both : undefined;
          });
          assert.equal(pairHealth(states).kind, 'failed');
          // B's own syncs towards A fail too once its password differs: up to all four users of the pair.
          assert.match(pairHealth(states).text, /^[1-4] failed$/);
          const cliRun = cli(['status']);
          assert.equal(cliRun.code, 1);
          assert.match(cliRun.out, /== A: 2 users, [12] failed/);
          assert.match(cliRun.out, /FAILED alice@lab\.test|FAILED bob@lab\.test/);
          assert.match(lab.run(['log', 'A']).stdout, /doveadm authentication failed/);
        },
      );

      await t.test('check: the real doveconf Fatal error of a copy of A lands on its file and line', () => {
        const copy = join(lab.workdir, 'check-copy');
        cpSync(join(lab.workdir, 'a', 'etc'), copy, { recursive: true });
        const mailConf = join(copy, 'conf.d', '10-mail.conf');
        const lines = readFileSync(mailConf, 'utf8').split('\n');
        lines.splice(2, 0, 'mail_debug = perhaps');
        writeFileSync(mailConf, lines.join('\n'));
        const result = cli(['--format', 'json', 'check', join(copy, 'dovecot.conf')]);
        assert.equal(result.code, 1, result.out + result.err);
        const [verdict] = JSON.parse(result.out) as {
          findings: { file: string; line: number; severity: string; message: string }[];
        }[];
        assert.deepEqual(verdict.findings, [
          { file: mailConf, line: 3, severity: 'error', message: 'Invalid boolean value: perhaps (use yes or no)' },
        ]);
        const clean = cli(['check', join(lab.workdir, 'a', 'etc', 'dovecot.conf')]);
        assert.equal(clean.code, 0, clean.out);
        assert.match(clean.out, /doveconf accepts it/);
      });
    } finally {
      lab.down();
    }
  },
);

if (reason) console.log(`SKIPPED: live pair e2e: ${reason}`);

test(
  'TLS on the HTTP API and a replicator without its doveadm socket: real answers, plain explanations',
  { skip: reason ? `SKIPPED: ${reason}` : false, timeout: 120_000 },
  async () => {
    const workdir = `/tmp/dle2e-livetls-${process.pid}`;
    const overrideB = join(workdir, 'override-b');
    const lab = new Lab(workdir, {
      LAB_REPLICATION: 'good',
      LAB_PORT: String(PORT),
      LAB_HTTP_PORT: String(HTTP_PORT),
      LAB_HTTP_SSL: '1',
      LAB_API_KEY: API_KEY,
      LAB_CONF_B: overrideB,
      LAB_READY_TIMEOUT: '5',
    });
    try {
      lab.ok(['init']);
      mkdirSync(overrideB, { recursive: true });
      // mode 0: Dovecot creates no replicator-doveadm socket on B, so every `replicator` command there fails.
      writeFileSync(
        join(overrideB, '95-no-replicator-socket.conf'),
        'service replicator {\n  unix_listener replicator-doveadm {\n    mode = 0\n  }\n}\n',
      );
      lab.run(['up']); // B's replicator cannot report "synced": `up` exits 3, both instances run
      const caFile = join(workdir, 'certs', 'ca.pem');
      const httpsA: HostSpec = { name: 'A', url: `https://${LAB_IP.A}:${HTTP_PORT}`, caFile };
      const overTls = await readHostState(httpsA, settings);
      assert.deepEqual(overTls.users?.map((user) => user.username).sort(), USERS, JSON.stringify(overTls.failure));

      const noCa = await readHostState({ ...httpsA, caFile: undefined }, settings);
      assert.equal(noCa.failure?.what, `The TLS handshake with ${LAB_IP.A}:${HTTP_PORT} failed`);
      assert.match(noCa.failure?.check.join('\n') ?? '', /CA file/);

      const plainToTls = await readHostState({ name: 'A', url: URL_A }, settings);
      assert.equal(plainToTls.failure?.what, `${LAB_IP.A}:${HTTP_PORT} closed the connection without an HTTP answer`);
      assert.match(plainToTls.failure?.check[0] ?? '', /ssl = no \(an ssl = yes listener needs an https:\/\/ URL\)/);
      assert.doesNotMatch(plainToTls.failure?.check.join('\n') ?? '', /replicator-doveadm/);

      const noSocket = await readHostState({ name: 'B', url: `https://${LAB_IP.B}:${HTTP_PORT}`, caFile }, settings);
      assert.match(
        noSocket.failure?.what ?? '',
        /doveadm on that host died running the command \(the HTTP API itself answers\)/,
        JSON.stringify(noSocket.failure),
      );
      assert.match(noSocket.failure?.check[0] ?? '', /replicator-doveadm has mode = 0600 \(mode 0 creates no socket\)/);
      const localNoSocket = await readHostState({ name: 'B', config: lab.ok(['conf', 'B']) }, settings);
      assert.match(
        localNoSocket.failure?.what ?? '',
        /the replicator socket .*replicator-doveadm is not there/,
        JSON.stringify(localNoSocket.failure),
      );
    } finally {
      lab.down();
    }
  },
);
