// The language service behind one interface, and a server that starts only when told to (in process here).
import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { test } from 'node:test';
import { createConnection } from 'vscode-languageserver/node';
import {
  StreamMessageReader,
  StreamMessageWriter,
  createProtocolConnection,
  InitializeRequest,
  ShutdownRequest,
} from 'vscode-languageserver-protocol/node';
import { EffectiveConfigRequest } from '../server/src/protocol';
import { startServer } from '../server/src/server';
import { toLspDiagnostic } from '../server/src/lspDiagnostics';
import { getLanguageService } from '../server/src/service/dovecotLanguageService';
import { MemoryHost } from '../server/src/service/model/host';

const ROOT = '/etc/dovecot/dovecot.conf';

test('one service object analyses, completes, hovers, formats and renders the effective configuration', () => {
  const host = new MemoryHost({
    [ROOT]:
      'protocols = imap\nmail_locaton = maildir:~/Maildir\nprotocol imap {\n mail_max_userip_connections = 20\n}\n',
  });
  const service = getLanguageService(host);
  const analysis = service.analyze(ROOT);
  assert.deepEqual(
    analysis.diagnostics.map((d) => d.code),
    ['unknown-setting'],
  );
  assert.ok(service.doComplete(analysis, ROOT, { line: 0, character: 5 }).some((item) => item.label === 'protocols'));
  assert.match(JSON.stringify(service.doHover(analysis, ROOT, { line: 0, character: 3 })), /protocols/);
  assert.ok(
    service
      .doQuickFixes(analysis, ROOT, [toLspDiagnostic(analysis.diagnostics[0])])
      .some(({ fix }) => fix.title.includes('mail_location')),
  );
  const own = { text: host.readFile(ROOT)!, parsed: analysis.model.files.get(ROOT)!.parsed };
  assert.deepEqual(service.format(own, []), [], 'the file keeps its own one-space indent');
  const flat = 'protocol imap {\nmail_debug = yes\n}\n';
  const edits = service.format({ text: flat, parsed: service.parse('/tmp/flat.conf', flat) }, [own]);
  assert.deepEqual(
    edits.map((edit) => [edit.range.start.line, edit.newText]),
    [[1, ' ']],
    'a flat body is indented in the unit of the tree',
  );
  assert.match(service.renderEffectiveConfig(analysis), /^protocols = imap/m);
  assert.deepEqual(
    service.getFoldingRanges(own.parsed).map((range) => range.startLine),
    [2],
  );
});

test('importing the server starts nothing; startServer runs it on the connection it is given', async () => {
  const toServer = new PassThrough();
  const fromServer = new PassThrough();
  startServer(createConnection(new StreamMessageReader(toServer), new StreamMessageWriter(fromServer)));
  const client = createProtocolConnection(new StreamMessageReader(fromServer), new StreamMessageWriter(toServer));
  client.listen();
  try {
    const init = await client.sendRequest(InitializeRequest.type, {
      processId: null,
      rootUri: null,
      capabilities: {},
      workspaceFolders: null,
    });
    assert.ok(init.capabilities.completionProvider, 'the server answered initialize with its capabilities');
    const effective = await client.sendRequest(EffectiveConfigRequest, { uri: 'untitled:Untitled-1' });
    assert.match(
      effective?.text ?? '',
      /^# effective configuration of [^\n]*\n$/,
      'an empty document has no settings in effect',
    );
    await client.sendRequest(ShutdownRequest.type);
  } finally {
    client.dispose();
    toServer.end();
  }
});
