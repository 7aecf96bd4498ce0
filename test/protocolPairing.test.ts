// Automatic pairing in the server: two roots of one workspace whose mail_replica name each other.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { buildBundles } from './helpers/cli';
import { fileUri, startServer, type RunningServer } from './helpers/lspClient';

const hostConfig = (self: string, peer: string, password: string) =>
  `mail_plugins = notify replication\ndoveadm_password = ${password}\nservice doveadm {\n  inet_listener {\n    address = ${self}\n    port = 12345\n  }\n  inet_listener http {\n    port = 8080\n  }\n}\nplugin {\n  mail_replica = tcp:${peer}:12345\n}\n`;

describe('automatic pairing of two workspace roots', () => {
  let dir: string;
  let server: RunningServer;
  let hostA: string;

  before(async () => {
    buildBundles();
    dir = mkdtempSync(path.join(tmpdir(), 'dovecot-lsp-pairing-'));
    hostA = path.join(dir, 'a', 'dovecot.conf');
    mkdirSync(path.dirname(hostA));
    mkdirSync(path.join(dir, 'b'));
    writeFileSync(hostA, hostConfig('10.0.0.1', '10.0.0.2', 'Xq8vLr2pZt5wNc7yHb4k'));
    writeFileSync(path.join(dir, 'b', 'dovecot.conf'), hostConfig('10.0.0.2', '10.0.0.1', 'Xq8vLr2pZt5wNc7yHb4j'));
    server = await startServer(dir, fileUri);
  });

  after(async () => {
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('reports the two-host password mismatch without any peers setting', async () => {
    const params = await server.client.waitFor(
      'textDocument/publishDiagnostics',
      (p) =>
        p.uri === fileUri(hostA) && p.diagnostics.some((d: { code: string }) => d.code === 'peer-password-mismatch'),
    );
    const mismatch = params.diagnostics.find((d: { code: string }) => d.code === 'peer-password-mismatch');
    assert.equal(mismatch.range.start.line, 1);
  });

  it('dovecot/pairHosts proposes the doveadm HTTP API of both hosts, at the addresses the peers replicate to', async () => {
    const proposals = await server.client.request('dovecot/pairHosts', { uri: fileUri(hostA) });
    assert.deepEqual(
      proposals.map((p: { name: string; url?: string }) => [p.name, p.url]),
      [
        ['a', 'http://10.0.0.1:8080'],
        ['b', 'http://10.0.0.2:8080'],
      ],
    );
  });
});

describe('dovecot/replicationSetupPlan: the setup wizard asks the server, not its own analysis', () => {
  let dir: string;
  let server: RunningServer;

  before(async () => {
    buildBundles();
    dir = mkdtempSync(path.join(tmpdir(), 'dovecot-lsp-setup-plan-'));
    mkdirSync(path.join(dir, 'conf.d'));
    writeFileSync(path.join(dir, 'dovecot.conf'), '!include conf.d/*.conf\n');
    writeFileSync(
      path.join(dir, 'conf.d', '10-mail.conf'),
      'mail_uid = mailer\nmail_plugins = quota\nservice doveadm {\n  inet_listener {\n    address = 192.0.2.10\n    port = 4711\n  }\n}\n',
    );
    server = await startServer(dir, fileUri);
  });

  after(async () => {
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('answers the defaults with where they come from, and the mail_plugins line to extend', async () => {
    const plan = await server.client.request('dovecot/replicationSetupPlan', {
      uri: fileUri(path.join(dir, 'dovecot.conf')),
    });
    assert.equal(plan.root, path.join(dir, 'dovecot.conf'));
    assert.deepEqual(plan.defaults.mailUser, { value: 'mailer', reason: 'mail_uid in conf.d/10-mail.conf:1' });
    assert.deepEqual(plan.defaults.localHost, { value: '192.0.2.10', reason: "the doveadm listener's address" });
    assert.deepEqual(plan.defaults.port, { value: '4711', reason: "this host's doveadm port" });
    assert.equal(plan.mailPlugins.kind, 'extend');
    assert.equal(plan.mailPlugins.file, path.join(dir, 'conf.d', '10-mail.conf'));
    assert.deepEqual(plan.mailPlugins.missing, ['notify', 'replication']);
  });
});
