// The `dovecot/effectiveConfig` request against the bundled server over stdio.
import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { URI as VsUri } from 'vscode-uri';

interface Message {
  id?: number;
  method?: string;
  params?: any;
  result?: any;
  error?: any;
}

/** A minimal LSP client: requests with ids, answers the server's own requests with defaults. */
class LspClient {
  private buffer = Buffer.alloc(0);
  private nextId = 1;
  private readonly pending = new Map<number, (message: Message) => void>();

  constructor(private readonly child: ChildProcessWithoutNullStreams) {
    child.stdout.on('data', (chunk: Buffer) => this.receive(chunk));
  }

  private receive(chunk: Buffer): void {
    this.buffer = Buffer.concat([this.buffer, chunk]);
    for (;;) {
      const headerEnd = this.buffer.indexOf('\r\n\r\n');
      if (headerEnd < 0) return;
      const length = Number(/Content-Length: (\d+)/i.exec(this.buffer.subarray(0, headerEnd).toString())?.[1]);
      if (this.buffer.length < headerEnd + 4 + length) return;
      const message = JSON.parse(this.buffer.subarray(headerEnd + 4, headerEnd + 4 + length).toString()) as Message;
      this.buffer = this.buffer.subarray(headerEnd + 4 + length);
      if (message.id !== undefined && message.method === undefined) {
        this.pending.get(message.id)?.(message);
        this.pending.delete(message.id);
      } else if (message.id !== undefined) {
        this.write({ id: message.id, result: message.method === 'workspace/configuration' ? [{}] : null });
      }
    }
  }

  private write(message: object): void {
    const body = JSON.stringify({ jsonrpc: '2.0', ...message });
    this.child.stdin.write(`Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
  }

  request(method: string, params: unknown): Promise<any> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, (message) => (message.error ? reject(new Error(JSON.stringify(message.error))) : resolve(message.result)));
      this.write({ id, method, params });
    });
  }

  notify(method: string, params: unknown): void {
    this.write({ method, params });
  }
}

const uri = (file: string): string => VsUri.file(file).toString();

describe('dovecot/effectiveConfig over stdio', () => {
  let dir: string;
  let child: ChildProcessWithoutNullStreams;
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
    child = spawn(process.execPath, [path.resolve('dist/server.js'), '--stdio'], { stdio: 'pipe' });
    client = new LspClient(child);
    await client.request('initialize', { processId: process.pid, rootUri: uri(dir), capabilities: {}, workspaceFolders: [{ uri: uri(dir), name: 'w' }] });
    client.notify('initialized', {});
  });

  after(async () => {
    await client.request('shutdown', null).catch(() => undefined);
    client.notify('exit', null);
    child.kill();
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
