// End to end: both hosts' replication config comes only from the guided-setup generator; two real
// Dovecot 2.3 instances (test/e2e/lab.sh) must then replicate a message A -> B and B -> A.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync, SpawnSyncReturns } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  generatePassword,
  generatePeerConfig,
  generateReplicationConfig,
  ReplicationTransport,
} from '../../server/src/service/features/replicationSetup';
import { lintCliAvailable, lintProblems } from './lint';

const LAB = join(__dirname, 'lab.sh');
const HOST_A = '127.0.0.2';
const HOST_B = '127.0.0.3';
// A port per run, so that two runs at once (say the unit and e2e tiers) do not take each other's listener.
const PORT = 20000 + (process.pid % 20000);
const MAIL_USER = 'mail'; // the lab's users all run as the system user `mail` (uid 8)
const REPLICATION_TIMEOUT_SECONDS = 15;

const REQUIRED = [
  ['/usr/sbin/dovecot', 'dovecot-core'],
  ['/usr/lib/dovecot/dovecot-lda', 'dovecot-core'],
  ['/usr/lib/dovecot/modules/lib20_replication_plugin.so', 'dovecot-core'],
  ['/usr/lib/dovecot/imap', 'dovecot-imapd'],
];

function skipReason(): string | undefined {
  if (process.getuid?.() !== 0) return 'not root (the lab starts Dovecot masters that drop privileges)';
  const missing = REQUIRED.filter(([path]) => !existsSync(path)).map(([path, pkg]) => `${path} (${pkg})`);
  if (missing.length > 0) return `missing ${missing.join(', ')}`;
  return undefined;
}

function lab(workdir: string, args: string[], env: Record<string, string> = {}): SpawnSyncReturns<string> {
  // lab.sh never leaves a daemon holding our pipes (it redirects Dovecot's output to a file).
  return spawnSync('bash', [LAB, '-w', workdir, ...args], {
    encoding: 'utf8',
    timeout: 60_000,
    env: { ...process.env, ...env },
  });
}

function labOk(workdir: string, args: string[], env: Record<string, string> = {}): string {
  const result = lab(workdir, args, env);
  assert.equal(
    result.status,
    0,
    `lab.sh ${args.join(' ')} exited ${result.status}:\n${result.stdout}${result.stderr}${logs(workdir)}`,
  );
  return result.stdout.trim();
}

function logs(workdir: string): string {
  return ['A', 'B']
    .map((name) => `\n--- log ${name}:\n${lab(workdir, ['log', name]).stdout.split('\n').slice(-15).join('\n')}`)
    .join('');
}

function writeGenerated(dir: string, content: string): void {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, '90-replication.conf'), content);
}

const reason = skipReason();

for (const transport of ['tcp', 'tcps'] as ReplicationTransport[]) {
  test(
    `generated ${transport} configs replicate A -> B and B -> A between two real Dovecot instances`,
    { skip: reason ? `SKIPPED: ${reason}` : false },
    () => {
      const workdir = `/tmp/dle2e-${process.pid}-${transport}`;
      try {
        labOk(workdir, ['init']);
        const password = generatePassword();
        const tls =
          transport === 'tcps'
            ? { caFile: `${workdir}/certs/ca.pem`, sslCert: `${workdir}/certs/a.crt`, sslKey: `${workdir}/certs/a.key` }
            : {};
        const hostA = generateReplicationConfig({
          peerHost: HOST_B,
          transport,
          port: PORT,
          password,
          mailUser: MAIL_USER,
          ...tls,
        });
        const hostB = generatePeerConfig({
          peerHost: HOST_B,
          localHost: HOST_A,
          transport,
          port: PORT,
          password,
          mailUser: MAIL_USER,
          caFile: tls.caFile,
          ...(transport === 'tcps'
            ? { peerSslCert: `${workdir}/certs/b.crt`, peerSslKey: `${workdir}/certs/b.key` }
            : {}),
        });
        assert.deepEqual(hostA.edits, {});
        writeGenerated(join(workdir, 'generated', 'a'), hostA.files[0].content);
        writeGenerated(join(workdir, 'generated', 'b'), hostB.files[0].content);

        labOk(workdir, ['up'], {
          LAB_CONF_A: join(workdir, 'generated', 'a'),
          LAB_CONF_B: join(workdir, 'generated', 'b'),
        });
        const rootA = labOk(workdir, ['conf', 'A']);
        const rootB = labOk(workdir, ['conf', 'B']);
        assert.equal(lab(workdir, ['doveconf', 'A', '-h', 'mail_plugins']).stdout.trim(), 'notify replication');

        const toB = labOk(workdir, ['deliver', 'alice@lab.test']);
        const secondsToB = labOk(workdir, [
          'wait-replicated',
          'alice@lab.test',
          toB,
          String(REPLICATION_TIMEOUT_SECONDS),
        ]);
        const toA = labOk(workdir, ['deliver', '-n', 'B', 'bob@lab.test']);
        const secondsToA = labOk(workdir, [
          'wait-replicated',
          '-n',
          'A',
          'bob@lab.test',
          toA,
          String(REPLICATION_TIMEOUT_SECONDS),
        ]);
        console.log(`# ${transport}: A -> B ${secondsToB} s, B -> A ${secondsToA} s`);

        if (!lintCliAvailable()) {
          console.log('SKIPPED (lint part): dist/cli.js not built (npm run build)');
          return;
        }
        assert.deepEqual(lintProblems([rootA], ['--peer', rootB]), [], 'host A config lints clean');
        assert.deepEqual(lintProblems([rootB], ['--peer', rootA]), [], 'host B config lints clean');
      } finally {
        lab(workdir, ['down']);
      }
    },
  );
}

if (reason) console.log(`SKIPPED: replication e2e: ${reason}`);
