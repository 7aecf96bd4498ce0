// The `dovecot/effectiveConfig` request against the bundled server over stdio.
import * as path from 'node:path';
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { fileUri as uri, startServerOnTree, type LspClient, type ServerOnTree } from './helpers/lspClient';

describe('dovecot/effectiveConfig over stdio', () => {
  let server: ServerOnTree;
  let client: LspClient;
  let rootFile: string;
  let mailFile: string;

  before(async () => {
    server = await startServerOnTree(
      'dovecot-lsp-effective-',
      'mail_location = maildir:~/Maildir\nssl_key = </etc/ssl/key.pem\n',
    );
    ({ client, rootFile, mailFile } = server);
  });

  after(() => server.dispose());

  it('answers for a file on disk (not open) with its root and the rendered text', async () => {
    const result = await client.request('dovecot/effectiveConfig', { uri: uri(mailFile) });
    assert.equal(result.root, rootFile);
    const lines = result.text.trimEnd().split('\n').slice(1);
    assert.deepEqual(lines, [
      'mail_location = maildir:~/Maildir # conf.d/10-mail.conf:1',
      'protocols = imap # dovecot.conf:1',
      'ssl_key = # hidden, use --show-secrets to show it # conf.d/10-mail.conf:2',
    ]);
  });

  it('follows the unsaved text of an open document and shows secrets on request', async () => {
    client.notify('textDocument/didOpen', {
      textDocument: {
        uri: uri(mailFile),
        languageId: 'dovecot',
        version: 1,
        text: 'mail_location = mdbox:~/mdbox\nssl_key = </etc/ssl/key.pem\n',
      },
    });
    const result = await client.request('dovecot/effectiveConfig', { uri: uri(mailFile), showSecrets: true });
    assert.ok(result.text.includes('mail_location = mdbox:~/mdbox # conf.d/10-mail.conf:1'), result.text);
    assert.ok(result.text.includes('ssl_key = </etc/ssl/key.pem # conf.d/10-mail.conf:2'), result.text);
  });

  it('a missing file gives an empty rendering, not an error', async () => {
    const result = await client.request('dovecot/effectiveConfig', { uri: uri(path.join(server.dir, 'nope.conf')) });
    assert.equal(result.text.trimEnd().split('\n').length, 1, result.text);
  });
});
