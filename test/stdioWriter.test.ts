// The server's stdio writer: one write per message, framed as LSP requires, and results kept unchanged
// (completion lists) encoded once.
import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { describe, it } from 'node:test';
import { encodeMessage, frame, sendUnchanged, StdioMessageWriter } from '../server/src/stdioWriter';

/** The messages in a byte stream of LSP frames. */
function unframe(bytes: Buffer): unknown[] {
  const messages: unknown[] = [];
  let at = 0;
  while (at < bytes.length) {
    const headerEnd = bytes.indexOf('\r\n\r\n', at);
    const length = Number(/^Content-Length: (\d+)$/.exec(bytes.subarray(at, headerEnd).toString('ascii'))?.[1]);
    messages.push(JSON.parse(bytes.subarray(headerEnd + 4, headerEnd + 4 + length).toString('utf8')));
    at = headerEnd + 4 + length;
  }
  return messages;
}

describe('stdio message writer', () => {
  it('frames each message in one write, with its length in UTF-8 bytes', async () => {
    const output = new PassThrough();
    const chunks: Buffer[] = [];
    output.on('data', (chunk: Buffer) => chunks.push(chunk));
    const writer = new StdioMessageWriter(output);
    const first = { jsonrpc: '2.0', method: 'window/logMessage', params: { type: 3, message: 'Entwürfe → ✓' } };
    const second = { jsonrpc: '2.0', id: 7, result: { value: 'ß' } };
    await writer.write(first);
    await writer.write(second);
    assert.equal(chunks.length, 2, 'one write per message');
    assert.deepEqual(unframe(Buffer.concat(chunks)), [first, second]);
    assert.match(chunks[0].toString('ascii', 0, 20), /^Content-Length: \d+\r\n/);
  });

  it('sends a result marked unchanged as it was first encoded, in answers with any id', () => {
    const list = { isIncomplete: false, items: [{ label: 'mail_debug', kind: 10 }] };
    sendUnchanged(list);
    const first = encodeMessage({ jsonrpc: '2.0', id: 1, result: list } as never);
    // The contract: a marked result is not changed. Were it changed, the first encoding is what is sent.
    list.items.push({ label: 'later', kind: 10 });
    const again = encodeMessage({ jsonrpc: '2.0', id: 'b', result: list } as never);
    assert.deepEqual(JSON.parse(first), {
      jsonrpc: '2.0',
      id: 1,
      result: { isIncomplete: false, items: [{ label: 'mail_debug', kind: 10 }] },
    });
    assert.deepEqual(JSON.parse(again), { ...JSON.parse(first), id: 'b' });
  });

  it('encodes other results, and errors, afresh each time', () => {
    const result = { items: [1] };
    assert.equal(
      encodeMessage({ jsonrpc: '2.0', id: 1, result } as never),
      '{"jsonrpc":"2.0","id":1,"result":{"items":[1]}}',
    );
    result.items.push(2);
    assert.equal(
      encodeMessage({ jsonrpc: '2.0', id: 2, result } as never),
      '{"jsonrpc":"2.0","id":2,"result":{"items":[1,2]}}',
    );
    const error = { jsonrpc: '2.0', id: 3, error: { code: -32603, message: 'x' } };
    assert.deepEqual(JSON.parse(encodeMessage(error as never)), error);
  });

  it('a frame holds the header and the body, byte for byte', () => {
    const framed = frame('{"a":"é"}');
    assert.equal(framed.toString('utf8'), 'Content-Length: 10\r\n\r\n{"a":"é"}');
  });
});
