// The installed doveconf's verdict through the language server (request and executeCommand), for
// every LSP editor; refused when the client says the workspace is untrusted.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { fileUri as uri, startServerOnTree, type ServerOnTree } from './helpers/lspClient';

const noDoveconf = existsSync('/usr/bin/doveconf')
  ? false
  : 'SKIPPED: doveconf not installed (apt-get install dovecot-core)';
const BROKEN = 'mail_location = maildir:~/Maildir\nmail_debug = maybe\n';

describe('doveconf check over stdio', { skip: noDoveconf }, () => {
  let server: ServerOnTree;

  before(async () => {
    server = await startServerOnTree('dovecot-lsp-doveconf-', BROKEN);
  });
  after(() => server.dispose());

  it('dovecot/checkWithDoveconf maps the Fatal error to its file and line and publishes it with source doveconf', async () => {
    const published = server.client.waitFor(
      'textDocument/publishDiagnostics',
      (params) =>
        params.uri === uri(server.mailFile) &&
        params.diagnostics.some((d: { source: string }) => d.source === 'doveconf'),
    );
    const result = await server.client.request('dovecot/checkWithDoveconf', { uri: uri(server.mailFile) });
    assert.equal(result.root, server.rootFile);
    assert.equal(result.failure, undefined);
    assert.deepEqual(
      result.diagnostics.map(
        (d: { uri: string; diagnostic: { range: { start: { line: number } }; source: string; message: string } }) => [
          d.uri,
          d.diagnostic.range.start.line,
          d.diagnostic.source,
          d.diagnostic.message,
        ],
      ),
      [[uri(server.mailFile), 1, 'doveconf', 'Invalid boolean value: maybe (use yes or no)']],
    );
    const diagnostics = (await published).diagnostics.filter((d: { source: string }) => d.source === 'doveconf');
    assert.deepEqual(diagnostics[0].range, {
      start: { line: 1, character: 0 },
      end: { line: 1, character: 'mail_debug = maybe'.length },
    });
  });

  it('workspace/executeCommand dovecot.checkWithDoveconf gives the same verdict (Neovim: vim.lsp.buf.execute_command)', async () => {
    const result = await server.client.request('workspace/executeCommand', {
      command: 'dovecot.checkWithDoveconf',
      arguments: [uri(server.rootFile)],
    });
    assert.equal(result.diagnostics.length, 1);
  });
});

describe('doveconf check in an untrusted workspace', () => {
  let server: ServerOnTree;

  before(async () => {
    server = await startServerOnTree('dovecot-lsp-untrusted-', BROKEN, { workspaceTrusted: false });
  });
  after(() => server.dispose());

  it('runs no program and says why', async () => {
    const result = await server.client.request('dovecot/checkWithDoveconf', { uri: uri(server.mailFile) });
    assert.deepEqual(result.diagnostics, []);
    assert.equal(result.failure.what, 'doveconf is not run in an untrusted workspace');
  });

  it('until the client reports that the workspace is trusted', { skip: noDoveconf }, async () => {
    server.client.notify('dovecot/workspaceTrust', { trusted: true });
    const result = await server.client.request('dovecot/checkWithDoveconf', { uri: uri(server.mailFile) });
    assert.equal(result.diagnostics.length, 1);
  });
});
