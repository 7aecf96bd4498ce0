// Tier 4: the server tells the client which Dovecot version it reads a tree as, and why
// (the `dovecot/status` notification the status bar shows).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { fileUri as uri, startServerOnTree, type ServerOnTree } from './helpers/lspClient';

describe('dovecot/status over stdio', () => {
  let server: ServerOnTree;
  const mailText = 'dovecot_config_version = 2.4.4\nmail_driver = maildir\n';

  before(async () => {
    server = await startServerOnTree('dovecot-lsp-dialect-', mailText);
  });

  after(() => server.dispose());

  it('reports 2.4 with the dovecot_config_version line that decided it', async () => {
    const status = server.client.waitFor('dovecot/status', (p) => p.uri === uri(server.mailFile));
    server.client.notify('textDocument/didOpen', {
      textDocument: { uri: uri(server.mailFile), languageId: 'dovecot', version: 1, text: mailText },
    });
    const params = await status;
    assert.equal(params.dialect, '2.4');
    assert.equal(params.reason, 'dovecot_config_version = 2.4.4 (conf.d/10-mail.conf:1)');
    assert.equal(params.root, server.rootFile);
  });
});
