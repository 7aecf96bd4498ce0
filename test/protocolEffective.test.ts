// The `dovecot/effectiveConfig` request against the bundled server over stdio.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { URI as VsUri } from 'vscode-uri';
import { startServer, type LspClient, type RunningServer } from './helpers/lspClient';

const uri = (file: string): string => VsUri.file(file).toString();

describe('dovecot/effectiveConfig over stdio', () => {
  let dir: string;
  let server: RunningServer;
  let client: LspClient;
  let rootFile: string;
  let mailFile: string;

  before(async () => {
    const build = spawnSync(process.execPath, ['scripts/build.mjs'], { stdio: 'inherit' });
    assert.equal(build.status, 0, 'build failed');
    dir = mkdtempSync(path.join(tmpdir(), 'dovecot-lsp-effective-'));
    mkdirSync(path.join(dir, 'conf.d'));
    rootFile = path.join(dir, 'dovecot.conf');
    mailFile = path.join(dir, 'conf.d', '10-mail.conf');
    writeFileSync(rootFile, 'protocols = imap\n!include conf.d/*.conf\n');
    writeFileSync(mailFile, 'mail_location = maildir:~/Maildir\nssl_key = </etc/ssl/key.pem\n');
    server = await startServer(dir, uri);
    client = server.client;
  });

  after(async () => {
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  });

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
    client.notify('textDocument/didOpen', { textDocument: { uri: uri(mailFile), languageId: 'dovecot', version: 1, text: 'mail_location = mdbox:~/mdbox\nssl_key = </etc/ssl/key.pem\n' } });
    const result = await client.request('dovecot/effectiveConfig', { uri: uri(mailFile), showSecrets: true });
    assert.ok(result.text.includes('mail_location = mdbox:~/mdbox # conf.d/10-mail.conf:1'), result.text);
    assert.ok(result.text.includes('ssl_key = </etc/ssl/key.pem # conf.d/10-mail.conf:2'), result.text);
  });

  it('a missing file gives an empty rendering, not an error', async () => {
    const result = await client.request('dovecot/effectiveConfig', { uri: uri(path.join(dir, 'nope.conf')) });
    assert.equal(result.text.trimEnd().split('\n').length, 1, result.text);
  });
});
