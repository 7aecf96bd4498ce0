// Path settings from a workspace (dovecot.rootConfig, dovecot.replication.peers) that name something other
// than a regular file: the server warns and ignores them, and goes on answering (a FIFO used to block it,
// /dev/zero to crash it). The bundled server over stdio, every wait bounded.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { buildBundles } from './helpers/cli';
import { fileUri, startServer, type RunningServer } from './helpers/lspClient';

describe('path settings that are not regular files', { timeout: 60000 }, () => {
  let dir: string;
  let fifo: string;
  let server: RunningServer;
  const warnings: string[] = [];

  before(async () => {
    buildBundles();
    dir = mkdtempSync(path.join(tmpdir(), 'dovecot-lsp-untrusted-'));
    fifo = path.join(dir, 'fifo.conf');
    assert.equal(spawnSync('mkfifo', [fifo]).status, 0, 'mkfifo');
    writeFileSync(
      path.join(dir, 'dovecot.conf'),
      'mail_plugins = notify replication\nplugin {\n  mail_replica = tcp:10.0.0.2:12345\n}\n',
    );
    server = await startServer(dir, fileUri, {
      rootConfig: fifo,
      replication: { peers: { 'dovecot.conf': '/dev/zero' } },
    });
    server.client.onNotification('window/showMessage', (params: { message: string }) => warnings.push(params.message));
  });

  after(async () => {
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('analyses a file outside the tree on its own instead of reading the FIFO, and says why', async () => {
    const other = path.join(dir, 'other.conf');
    const published = server.client.waitFor(
      'textDocument/publishDiagnostics',
      (p) => p.uri === fileUri(other) && p.diagnostics.length > 0,
    );
    server.client.notify('textDocument/didOpen', {
      textDocument: { uri: fileUri(other), languageId: 'dovecot', version: 1, text: 'mail_debug = maybe\n' },
    });
    const params = await published;
    assert.equal(params.diagnostics[0].code, 'invalid-value');
    assert.ok(
      warnings.some(
        (message) => message.includes('dovecot.rootConfig') && message.includes(fifo) && message.includes('is a FIFO'),
      ),
      warnings.join('\n'),
    );
  });

  it('ignores a peer that is a device, and still answers requests', async () => {
    const root = path.join(dir, 'dovecot.conf');
    server.client.notify('textDocument/didOpen', {
      textDocument: {
        uri: fileUri(root),
        languageId: 'dovecot',
        version: 1,
        text: 'mail_plugins = notify replication\nplugin {\n  mail_replica = tcp:10.0.0.2:12345\n}\n',
      },
    });
    const hover = await server.client.request('textDocument/hover', {
      textDocument: { uri: fileUri(root) },
      position: { line: 0, character: 2 },
    });
    assert.match(hover.contents.value, /mail_plugins/);
    assert.ok(
      warnings.some(
        (message) =>
          message.includes('dovecot.replication.peers') &&
          message.includes('/dev/zero') &&
          message.includes('is a device'),
      ),
      warnings.join('\n'),
    );
  });
});
