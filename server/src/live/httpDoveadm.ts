// The doveadm HTTP API transport (Dovecot 2.3 `service doveadm { inet_listener http { ... } }`):
// POST /doveadm/v1 with `Authorization: X-Dovecot-API <base64 of doveadm_api_key>` and a JSON body
// `[[command, parameters, tag]]`; the answer is `[["doveadmResponse", rows, tag]]` or
// `[["error", {"type": ..., "exitCode": N}, tag]]`.
import * as http from 'node:http';
import * as https from 'node:https';
import { readFileSync } from 'node:fs';
import { httpBody, type DoveadmRequest } from '../service/live/doveadmRequests';
import { describeHttpProblem, type HttpProblem } from '../service/live/failures';
import { DEFAULT_TIMEOUT_MS, type DoveadmOutcome, type DoveadmTransport } from './doveadmTransport';

export interface HttpDoveadmOptions {
  /** `http://host:port` or `https://host:port` (`/doveadm/v1` is added when the URL has no path). */
  url: string;
  apiKey: string;
  /** PEM file of the CA that signed the listener's certificate, for https with a private CA. */
  caFile?: string;
  timeoutMs?: number;
}

export function apiEndpoint(url: string): URL {
  const endpoint = new URL(url);
  if (endpoint.protocol !== 'http:' && endpoint.protocol !== 'https:')
    throw new Error(`${url} is not an http:// or https:// URL`);
  if (endpoint.pathname === '/' || endpoint.pathname === '') endpoint.pathname = '/doveadm/v1';
  return endpoint;
}

interface HttpReply {
  status: number;
  body: string;
}

export class HttpDoveadm implements DoveadmTransport {
  readonly location: string;
  private tag = 0;

  constructor(private readonly options: HttpDoveadmOptions) {
    this.location = options.url;
  }

  async run(request: DoveadmRequest): Promise<DoveadmOutcome> {
    const problem = (fields: Partial<HttpProblem>): DoveadmOutcome => ({
      ok: false,
      failure: describeHttpProblem({ url: this.options.url, command: request.title, ...fields }),
    });
    let endpoint: URL;
    try {
      endpoint = apiEndpoint(this.options.url);
    } catch (error) {
      return {
        ok: false,
        failure: {
          what: `The URL '${this.options.url}' is not usable`,
          detail: (error as Error).message,
          check: ['the URL in the dovecot.live.hosts setting (or --host), e.g. http://10.0.0.2:8080'],
        },
      };
    }
    const tag = `t${++this.tag}`;
    let reply: HttpReply;
    try {
      reply = await this.post(endpoint, httpBody(request, tag));
    } catch (error) {
      const err = error as NodeJS.ErrnoException & { timedOut?: boolean };
      // A doveadm server process that dies in the command (e.g. no replicator socket) hangs up like a
      // listener spoken to in the wrong protocol; the command list (GET) tells the two apart.
      const listenerAnswers = err.code === 'ECONNRESET' ? await this.listenerAnswers(endpoint) : undefined;
      return problem({ errorCode: err.code, errorMessage: err.message, timedOut: err.timedOut, listenerAnswers });
    }
    if (reply.status !== 200) return problem({ status: reply.status });
    let parsed: unknown;
    try {
      parsed = JSON.parse(reply.body);
    } catch {
      return problem({ errorMessage: `the answer is not JSON: ${reply.body.slice(0, 200)}` });
    }
    const entry = Array.isArray(parsed) ? parsed[0] : undefined;
    if (!Array.isArray(entry) || typeof entry[0] !== 'string')
      return problem({ errorMessage: `unexpected answer: ${reply.body.slice(0, 200)}` });
    if (entry[0] === 'doveadmResponse') return { ok: true, answer: { kind: 'json', value: entry[1] } };
    const error = entry[1] as { type?: unknown; exitCode?: unknown } | undefined;
    return problem({
      doveadmError: { type: String(error?.type ?? 'unknown'), exitCode: Number(error?.exitCode ?? 0) },
    });
  }

  /** Whether the API answers its command list (GET, same key): the listener, its TLS and the key work. */
  private async listenerAnswers(endpoint: URL): Promise<boolean> {
    try {
      return (await this.send(endpoint, 'GET')).status === 200;
    } catch {
      return false;
    }
  }

  private post(endpoint: URL, body: string): Promise<HttpReply> {
    return this.send(endpoint, 'POST', body);
  }

  private send(endpoint: URL, method: 'GET' | 'POST', body = ''): Promise<HttpReply> {
    const timeoutMs = this.options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    const secure = endpoint.protocol === 'https:';
    const headers = {
      Authorization: `X-Dovecot-API ${Buffer.from(this.options.apiKey, 'utf8').toString('base64')}`,
      ...(method === 'POST' ? { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) } : {}),
    };
    return new Promise((resolve, reject) => {
      const options: https.RequestOptions = { method, headers, timeout: timeoutMs };
      if (secure && this.options.caFile) options.ca = readFileSync(this.options.caFile);
      const req = (secure ? https : http).request(endpoint, options, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      });
      req.on('timeout', () =>
        req.destroy(Object.assign(new Error(`no answer within ${timeoutMs / 1000} s`), { timedOut: true })),
      );
      req.on('error', reject);
      req.end(body);
    });
  }
}
