// End to end: both hosts' replication config comes only from the guided-setup generator; two real
// Dovecot 2.3 instances (test/e2e/lab.sh) must then replicate a message A -> B and B -> A.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  generatePassword,
  generatePeerConfig,
  generateReplicationConfig,
  ReplicationTransport,
} from '../../server/src/service/features/replicationSetup';
import { Lab, LAB_IP, labSkipReason, withOneRetry } from './lab';
import { lintCliAvailable, lintProblems } from './lint';

const HOST_A = LAB_IP.A;
const HOST_B = LAB_IP.B;
// A port per run, so that two runs at once (say the unit and e2e tiers) do not take each other's listener.
const PORT = 20000 + (process.pid % 20000);
const MAIL_USER = 'mail'; // the lab's users all run as the system user `mail` (uid 8)
const REPLICATION_TIMEOUT_SECONDS = 15;

function writeGenerated(dir: string, content: string): void {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, '90-replication.conf'), content);
}

const reason = labSkipReason([['/usr/lib/dovecot/imap', 'dovecot-imapd']]);

for (const transport of ['tcp', 'tcps'] as ReplicationTransport[]) {
  test(
    `generated ${transport} configs replicate A -> B and B -> A between two real Dovecot instances`,
    { skip: reason ? `SKIPPED: ${reason}` : false },
    () => {
      const workdir = `/tmp/dle2e-${process.pid}-${transport}`;
      const lab = new Lab(workdir);
      try {
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

        const [secondsToB, secondsToA] = withOneRetry(lab, () => {
          lab.ok(['init']);
          writeGenerated(join(workdir, 'generated', 'a'), hostA.files[0].content);
          writeGenerated(join(workdir, 'generated', 'b'), hostB.files[0].content);
          lab.ok(['up'], {
            LAB_CONF_A: join(workdir, 'generated', 'a'),
            LAB_CONF_B: join(workdir, 'generated', 'b'),
          });
          assert.equal(lab.run(['doveconf', 'A', '-h', 'mail_plugins']).stdout.trim(), 'notify replication');
          const timeout = String(REPLICATION_TIMEOUT_SECONDS);
          const toB = lab.ok(['deliver', 'alice@lab.test']);
          const toBSeconds = lab.ok(['wait-replicated', 'alice@lab.test', toB, timeout]);
          const toA = lab.ok(['deliver', '-n', 'B', 'bob@lab.test']);
          return [toBSeconds, lab.ok(['wait-replicated', '-n', 'A', 'bob@lab.test', toA, timeout])];
        });
        const rootA = lab.ok(['conf', 'A']);
        const rootB = lab.ok(['conf', 'B']);
        console.log(`# ${transport}: A -> B ${secondsToB} s, B -> A ${secondsToA} s`);

        if (!lintCliAvailable()) {
          console.log('SKIPPED (lint part): dist/cli.js not built (npm run build)');
          return;
        }
        assert.deepEqual(lintProblems([rootA], ['--peer', rootB]), [], 'host A config lints clean');
        assert.deepEqual(lintProblems([rootB], ['--peer', rootA]), [], 'host B config lints clean');
      } finally {
        lab.down();
      }
    },
  );
}

if (reason) console.log(`SKIPPED: replication e2e: ${reason}`);
