// Tier 4, over stdio: a document opened while its tree is analysed with the same text is not analysed
// again; it gets its diagnostics and status at once. An edit still validates the tree.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileUri, startServerOnTree, type ServerOnTree } from './helpers/lspClient';

describe('opening a file of an analysed tree', () => {
  let server: ServerOnTree;
  let validations = 0;

  before(async () => {
    server = await startServerOnTree('dovecot-lsp-open-analysed-', 'mail_debug = maybe\n');
    server.client.onNotification('dovecot/treeFiles', () => validations++);
    const validated = server.client.waitFor('dovecot/treeFiles', () => true);
    const root = server.rootFile;
    server.client.notify('textDocument/didOpen', {
      textDocument: { uri: fileUri(root), languageId: 'dovecot', version: 1, text: readFileSync(root, 'utf8') },
    });
    await validated;
  });

  after(() => server.dispose());

  const open = (file: string) =>
    server.client.notify('textDocument/didOpen', {
      textDocument: { uri: fileUri(file), languageId: 'dovecot', version: 1, text: readFileSync(file, 'utf8') },
    });

  it('sends the opened file its diagnostics and status without analysing the tree again', async () => {
    const uri = fileUri(server.mailFile);
    const diagnostics = server.client.waitFor('textDocument/publishDiagnostics', (p) => p.uri === uri);
    const status = server.client.waitFor('dovecot/status', (p) => p.uri === uri);
    open(server.mailFile);
    assert.deepEqual(
      (await diagnostics).diagnostics.map((d: { code: string }) => d.code),
      ['invalid-value'],
    );
    assert.equal((await status).root, server.rootFile);
    // Past the validation debounce, and a round trip: a validation would have been announced by now.
    await sleep(500);
    await server.client.request('textDocument/hover', { textDocument: { uri }, position: { line: 0, character: 1 } });
    assert.equal(validations, 1);
  });

  it('an edit of the opened file validates the tree', async () => {
    const uri = fileUri(server.mailFile);
    const fixed = server.client.waitFor(
      'textDocument/publishDiagnostics',
      (p) => p.uri === uri && p.diagnostics.length === 0,
    );
    const validated = server.client.waitFor('dovecot/treeFiles', () => true);
    server.client.notify('textDocument/didChange', {
      textDocument: { uri, version: 2 },
      contentChanges: [{ text: 'mail_debug = yes\n' }],
    });
    await fixed;
    await validated;
    assert.equal(validations, 2);
  });
});
