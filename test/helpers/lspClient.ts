// JSON-RPC messages from the server under test are untyped: tests read the fields they assert on.
/* eslint-disable @typescript-eslint/no-explicit-any */
// A minimal LSP client over a child process's stdio, for the protocol tests (tier 4).
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { URI as VsUri } from 'vscode-uri';
import { buildBundles } from './cli';

export interface Message {
  id?: number;
  method?: string;
  params?: any;
  result?: any;
  error?: any;
}

/** Requests with ids, notifications, and default answers to the server's own requests. */
export class LspClient {
  private buffer = Buffer.alloc(0);
  private nextId = 1;
  private readonly pending = new Map<number, (message: Message) => void>();
  private readonly listeners: ((message: Message) => void)[] = [];
  readonly stderr: string[] = [];

  constructor(private readonly child: ChildProcessWithoutNullStreams) {
    child.stdout.on('data', (chunk: Buffer) => this.receive(chunk));
    child.stderr.on('data', (chunk: Buffer) => this.stderr.push(chunk.toString()));
  }

  private receive(chunk: Buffer): void {
    this.buffer = Buffer.concat([this.buffer, chunk]);
    for (;;) {
      const headerEnd = this.buffer.indexOf('\r\n\r\n');
      if (headerEnd < 0) return;
      const length = Number(/Content-Length: (\d+)/i.exec(this.buffer.subarray(0, headerEnd).toString())?.[1]);
      if (this.buffer.length < headerEnd + 4 + length) return;
      const body = this.buffer.subarray(headerEnd + 4, headerEnd + 4 + length).toString();
      this.buffer = this.buffer.subarray(headerEnd + 4 + length);
      this.dispatch(JSON.parse(body) as Message);
    }
  }

  private dispatch(message: Message): void {
    if (message.id !== undefined && message.method === undefined) {
      this.pending.get(message.id)?.(message);
      this.pending.delete(message.id);
      return;
    }
    if (message.id !== undefined && message.method !== undefined) {
      // Requests from the server (configuration, registerCapability): answer with nothing.
      this.write({ id: message.id, result: message.method === 'workspace/configuration' ? [{}] : null });
      return;
    }
    for (const listener of this.listeners) listener(message);
  }

  private write(message: object): void {
    const body = JSON.stringify({ jsonrpc: '2.0', ...message });
    this.child.stdin.write(`Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
  }

  request(method: string, params: unknown): Promise<any> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, (message) =>
        message.error ? reject(new Error(JSON.stringify(message.error))) : resolve(message.result),
      );
      this.write({ id, method, params });
    });
  }

  notify(method: string, params: unknown): void {
    this.write({ method, params });
  }

  /** Calls the handler with the params of every later notification of a method. */
  onNotification(method: string, handler: (params: any) => void): void {
    this.listeners.push((message) => {
      if (message.method === method) handler(message.params);
    });
  }

  /** Resolves with the first notification that satisfies the predicate (bounded by a timeout). */
  waitFor(method: string, predicate: (params: any) => boolean, timeoutMs = 10000): Promise<any> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`timed out waiting for ${method}`)), timeoutMs);
      this.listeners.push((message) => {
        if (message.method === method && predicate(message.params)) {
          clearTimeout(timer);
          resolve(message.params);
        }
      });
    });
  }
}

export interface RunningServer {
  client: LspClient;
  /** The server's process id. */
  pid: number;
  initializeResult: any;
  stop(): Promise<void>;
}

/**
 * Starts the bundled dist/server.js over stdio and initializes it on a workspace folder. `nodeArgs`
 * go to node itself, e.g. `--max-old-space-size=512` to bound a test's memory; `capabilities` are the client's.
 */
export async function startServer(
  workspace: string,
  uriOf: (file: string) => string,
  initializationOptions?: unknown,
  nodeArgs: string[] = [],
  capabilities: object = {},
): Promise<RunningServer> {
  const child = spawn(process.execPath, [...nodeArgs, path.resolve('dist/server.js'), '--stdio'], { stdio: 'pipe' });
  const client = new LspClient(child);
  const initializeResult = await client.request('initialize', {
    processId: process.pid,
    rootUri: uriOf(workspace),
    capabilities,
    workspaceFolders: [{ uri: uriOf(workspace), name: 'w' }],
    initializationOptions,
  });
  client.notify('initialized', {});
  return {
    client,
    pid: child.pid ?? -1,
    initializeResult,
    async stop() {
      // Bounded: a server that hangs must not hang the test run too.
      await Promise.race([
        client.request('shutdown', null).catch(() => undefined),
        new Promise((resolve) => setTimeout(resolve, 3000).unref()),
      ]);
      client.notify('exit', null);
      child.kill();
    },
  };
}

export const fileUri = (file: string): string => VsUri.file(file).toString();

export interface ServerOnTree extends RunningServer {
  dir: string;
  rootFile: string;
  mailFile: string;
  /** Stops the server and removes the temporary tree. */
  dispose(): Promise<void>;
}

/**
 * Builds dist/, writes a temporary `dovecot.conf` that includes `conf.d/*.conf` plus a
 * `conf.d/10-mail.conf` with the given text, and starts the server on that folder.
 */
export async function startServerOnTree(
  prefix: string,
  mailText: string,
  initializationOptions?: object,
  capabilities: object = {},
): Promise<ServerOnTree> {
  buildBundles();
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  mkdirSync(path.join(dir, 'conf.d'));
  const rootFile = path.join(dir, 'dovecot.conf');
  const mailFile = path.join(dir, 'conf.d', '10-mail.conf');
  writeFileSync(rootFile, 'protocols = imap\n!include conf.d/*.conf\n');
  writeFileSync(mailFile, mailText);
  const server = await startServer(dir, fileUri, initializationOptions, [], capabilities);
  return {
    ...server,
    dir,
    rootFile,
    mailFile,
    async dispose() {
      await server.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
