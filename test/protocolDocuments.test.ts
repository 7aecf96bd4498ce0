// Tier 4: documents that are not files, and the end of a session (`shutdown`), over stdio.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { buildBundles } from './helpers/cli';
import { fileUri, startServer, type Message, type RunningServer } from './helpers/lspClient';

const UNTITLED = 'untitled:Untitled-1';

/** The JSON-RPC error code a request was answered with, or undefined when it succeeded. */
async function errorCode(request: Promise<unknown>): Promise<number | undefined> {
  try {
    await request;
    return undefined;
  } catch (error) {
    return JSON.parse((error as Error).message).code;
  }
}

describe('documents without a file, and shutdown', () => {
  let server: RunningServer;
  let dir: string;
  const published: Message['params'][] = [];

  before(async () => {
    buildBundles();
    dir = mkdtempSync(path.join(tmpdir(), 'dovecot-lsp-untitled-'));
    server = await startServer(dir, fileUri);
    server.client.onNotification('textDocument/publishDiagnostics', (params) => published.push(params));
  });

  after(async () => {
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('analyses an untitled document alone and publishes to its own URI', async () => {
    const own = server.client.waitFor(
      'textDocument/publishDiagnostics',
      (p) => p.uri === UNTITLED && p.diagnostics.length > 0,
    );
    const text =
      'mail_debug = maybe\n!include conf.d/*.conf\nprotocol imap {\n  mail_plugins = $mail_plugins imap_quota\n}\n';
    server.client.notify('textDocument/didOpen', {
      textDocument: { uri: UNTITLED, languageId: 'dovecot', version: 1, text },
    });
    const params = await own;
    assert.deepEqual(
      params.diagnostics.map((d: { code: string }) => d.code),
      ['invalid-value'],
    );
    assert.equal(params.diagnostics[0].range.start.line, 0);
    // A request round trip: every publication of that validation has arrived before its answer.
    await server.client.request('textDocument/hover', {
      textDocument: { uri: UNTITLED },
      position: { line: 0, character: 2 },
    });
    assert.deepEqual(
      published.map((p) => p.uri).filter((uri) => uri !== UNTITLED && /Untitled/.test(uri)),
      [],
    );
  });

  it('offers quick fixes that edit the untitled document itself', async () => {
    const diagnostics = published.filter((p) => p.uri === UNTITLED).at(-1)?.diagnostics ?? [];
    const actions = await server.client.request('textDocument/codeAction', {
      textDocument: { uri: UNTITLED },
      range: diagnostics[0].range,
      context: { diagnostics },
    });
    assert.ok(actions.length > 0);
    for (const action of actions) assert.deepEqual(Object.keys(action.edit.changes), [UNTITLED]);
  });

  it('clears the diagnostics of an untitled document when it is closed', async () => {
    const cleared = server.client.waitFor(
      'textDocument/publishDiagnostics',
      (p) => p.uri === UNTITLED && p.diagnostics.length === 0,
    );
    server.client.notify('textDocument/didClose', { textDocument: { uri: UNTITLED } });
    await cleared;
  });

  it('rejects every request after shutdown with InvalidRequest (-32600)', async () => {
    assert.equal(await errorCode(server.client.request('dovecot/noSuchMethod', {})), -32601);
    assert.equal(await server.client.request('shutdown', null), null);
    const position = { textDocument: { uri: UNTITLED }, position: { line: 0, character: 0 } };
    assert.equal(await errorCode(server.client.request('textDocument/hover', position)), -32600);
    assert.equal(await errorCode(server.client.request('textDocument/completion', position)), -32600);
    assert.equal(
      await errorCode(
        server.client.request('textDocument/formatting', {
          textDocument: { uri: UNTITLED },
          options: { tabSize: 2, insertSpaces: true },
        }),
      ),
      -32600,
    );
    assert.equal(await errorCode(server.client.request('dovecot/effectiveConfig', { uri: UNTITLED })), -32600);
    assert.equal(await errorCode(server.client.request('dovecot/noSuchMethod', {})), -32600);
    assert.equal(await errorCode(server.client.request('shutdown', null)), -32600);
  });
});
