// The server's message writer over stdio (editors other than VS Code start it with --stdio):
// - each message goes out in one write, header and body together, so the client is woken once;
// - a result marked with `sendUnchanged` (a completion list kept for its tree) is encoded once, and
//   later answers with the same object reuse that JSON.
import { AbstractMessageWriter, type Message, type MessageWriter } from 'vscode-languageserver/node';

/** Results that are never changed once sent: null until first encoded, then their JSON. */
const unchangedResults = new WeakMap<object, string | null>();

/** `result` is never modified: each answer with it may send the JSON it had the first time. */
export function sendUnchanged(result: object): void {
  if (!unchangedResults.has(result)) unchangedResults.set(result, null);
}

function resultJson(result: object): string | undefined {
  const known = unchangedResults.get(result);
  if (known === undefined) return undefined;
  if (known !== null) return known;
  const json = JSON.stringify(result);
  unchangedResults.set(result, json);
  return json;
}

/** The JSON of a message; a response's unchanged result is spliced in as it was encoded. */
export function encodeMessage(message: Message): string {
  const { id, result } = message as { id?: unknown; result?: unknown };
  const reused = typeof result === 'object' && result !== null ? resultJson(result) : undefined;
  if (reused === undefined || Object.keys(message).length !== 3) return JSON.stringify(message);
  return `{"jsonrpc":${JSON.stringify(message.jsonrpc)},"id":${JSON.stringify(id)},"result":${reused}}`;
}

/** One frame: the Content-Length header and the UTF-8 body in one buffer. */
export function frame(json: string): Buffer {
  const bodyLength = Buffer.byteLength(json, 'utf8');
  const header = `Content-Length: ${bodyLength}\r\n\r\n`;
  const framed = Buffer.allocUnsafe(header.length + bodyLength);
  framed.write(header, 0, 'ascii');
  framed.write(json, header.length, 'utf8');
  return framed;
}

export class StdioMessageWriter extends AbstractMessageWriter implements MessageWriter {
  private errors = 0;

  constructor(private readonly output: NodeJS.WritableStream) {
    super();
    output.on('error', (error: Error) => this.fireError(error));
    output.on('close', () => this.fireClose());
  }

  write(message: Message): Promise<void> {
    return new Promise((resolve, reject) => {
      this.output.write(frame(encodeMessage(message)), (error) => {
        if (!error) return resolve();
        this.fireError(error, message, ++this.errors);
        reject(error);
      });
    });
  }

  end(): void {
    this.output.end();
  }
}
