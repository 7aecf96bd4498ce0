// What crosses the wire (and so lands in an LSP trace): diagnostics, their data, hover and the outline carry
// neither a secret nor the content of a `<file` value. Two paired roots over stdio, as in a real workspace.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { buildBundles } from './helpers/cli';
import { fileUri, startServer, type RunningServer } from './helpers/lspClient';

const PEER_PASSWORD = 'PeerOnlyPassw0rdXq8vLr2pZt';
const OWN_PASSWORD = 'OwnPassw0rdXq8vLr2pZt5wNc';
const FILE_CONTENT = 'FILECONTENTLINE1';

const hostConfig = (self: string, peer: string, password: string, extra = '') =>
  `mail_plugins = notify replication\ndoveadm_password = ${password}\nservice doveadm {\n  inet_listener {\n    address = ${self}\n    port = 12345\n  }\n}\nplugin {\n  mail_replica = tcp:${peer}:12345\n${extra}}\n`;

describe('secrets and file contents over the protocol', { timeout: 60000 }, () => {
  let dir: string;
  let server: RunningServer;
  let hostA: string;
  let textA: string;

  before(async () => {
    buildBundles();
    dir = mkdtempSync(path.join(tmpdir(), 'dovecot-lsp-secrets-'));
    hostA = path.join(dir, 'a', 'dovecot.conf');
    mkdirSync(path.dirname(hostA));
    mkdirSync(path.join(dir, 'b'));
    writeFileSync(path.join(dir, 'a', 'timeout.txt'), `${FILE_CONTENT}\n`);
    textA = hostConfig('10.0.0.1', '10.0.0.2', OWN_PASSWORD, '  replication_sync_timeout = <timeout.txt\n');
    writeFileSync(hostA, textA);
    writeFileSync(path.join(dir, 'b', 'dovecot.conf'), hostConfig('10.0.0.2', '10.0.0.1', PEER_PASSWORD));
    server = await startServer(dir, fileUri);
  });

  after(async () => {
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it("publishes the mismatch and the bad timeout without the peer's password or the file's content", async () => {
    const params = await server.client.waitFor(
      'textDocument/publishDiagnostics',
      (p) =>
        p.uri === fileUri(hostA) &&
        p.diagnostics.some((d: { code: string }) => d.code === 'peer-password-mismatch') &&
        p.diagnostics.some((d: { code: string }) => d.code === 'replication-sync-timeout-invalid'),
    );
    const wire = JSON.stringify(params);
    assert.equal(wire.includes(PEER_PASSWORD), false, 'the peer password is not in the diagnostics');
    assert.equal(wire.includes(FILE_CONTENT), false, 'the file content is not in the diagnostics');
    const mismatch = params.diagnostics.find((d: { code: string }) => d.code === 'peer-password-mismatch');
    assert.deepEqual(mismatch.data, {
      peerFile: path.join(dir, 'b', 'dovecot.conf'),
      peerLine: 1,
      peerSetting: 'doveadm_password',
    });
  });

  it("the quick fix still copies the peer's password, computed when it is asked for", async () => {
    server.client.notify('textDocument/didOpen', {
      textDocument: { uri: fileUri(hostA), languageId: 'dovecot', version: 1, text: textA },
    });
    const params = await server.client.waitFor(
      'textDocument/publishDiagnostics',
      (p) =>
        p.uri === fileUri(hostA) && p.diagnostics.some((d: { code: string }) => d.code === 'peer-password-mismatch'),
    );
    const mismatch = params.diagnostics.find((d: { code: string }) => d.code === 'peer-password-mismatch');
    const actions = await server.client.request('textDocument/codeAction', {
      textDocument: { uri: fileUri(hostA) },
      range: mismatch.range,
      context: { diagnostics: [mismatch] },
    });
    const copy = actions.find((action: { title: string }) => action.title === "Use the peer's doveadm_password");
    assert.ok(copy, actions.map((action: { title: string }) => action.title).join(', '));
    assert.equal(copy.edit.changes[fileUri(hostA)][0].newText, PEER_PASSWORD);
  });

  it('hover and the outline hide the password', async () => {
    const hover = await server.client.request('textDocument/hover', {
      textDocument: { uri: fileUri(hostA) },
      position: { line: 1, character: 3 },
    });
    assert.match(hover.contents.value, /In effect: `\(hidden\)`/);
    const symbols = await server.client.request('textDocument/documentSymbol', {
      textDocument: { uri: fileUri(hostA) },
    });
    const wire = JSON.stringify([hover, symbols]);
    assert.equal(wire.includes(OWN_PASSWORD), false, wire);
    assert.equal(wire.includes(FILE_CONTENT), false, wire);
  });
});
