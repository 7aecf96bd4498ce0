// The bundled server over stdio: find all references, document highlights and workspace symbols.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { until } from './helpers/poll';
import { fileUri as uri, startServerOnTree, type LspClient, type ServerOnTree } from './helpers/lspClient';

const MAIL_TEXT = 'mail_plugins = quota\nprotocol lmtp {\n  mail_plugins = $mail_plugins sieve\n}\n';

interface Location {
  uri: string;
  range: { start: { line: number; character: number } };
}

describe('references, highlights and workspace symbols over stdio', () => {
  let server: ServerOnTree;
  let client: LspClient;

  before(async () => {
    server = await startServerOnTree('dovecot-lsp-references-', MAIL_TEXT);
    client = server.client;
    const { capabilities } = server.initializeResult;
    assert.equal(capabilities.referencesProvider, true);
    assert.equal(capabilities.documentHighlightProvider, true);
    assert.equal(capabilities.workspaceSymbolProvider, true);
    client.notify('textDocument/didOpen', {
      textDocument: { uri: uri(server.mailFile), languageId: 'dovecot', version: 1, text: MAIL_TEXT },
    });
  });

  after(() => server.dispose());

  const at = (locations: Location[]): string[] =>
    locations.map(
      (l) => `${l.uri === uri(server.mailFile) ? 'mail' : l.uri}:${l.range.start.line}:${l.range.start.character}`,
    );

  it('lists the assignments of mail_plugins and the $mail_plugins that reads them', async () => {
    const references = await client.request('textDocument/references', {
      textDocument: { uri: uri(server.mailFile) },
      position: { line: 0, character: 2 },
      context: { includeDeclaration: true },
    });
    assert.deepEqual(at(references), ['mail:0:0', 'mail:2:2', 'mail:2:17']);
  });

  it('highlights them in the file, writes and reads told apart', async () => {
    const highlights = await client.request('textDocument/documentHighlight', {
      textDocument: { uri: uri(server.mailFile) },
      position: { line: 2, character: 20 },
    });
    assert.deepEqual(
      highlights.map((h: { range: Location['range']; kind: number }) => [
        h.range.start.line,
        h.range.start.character,
        h.kind,
      ]),
      [
        [0, 0, 3],
        [2, 2, 3],
        [2, 17, 2],
      ],
    );
  });

  it('answers no highlights for a text not analysed yet, then the new ones once it is', async () => {
    const edited = `# moved\n${MAIL_TEXT}`;
    client.notify('textDocument/didChange', {
      textDocument: { uri: uri(server.mailFile), version: 2 },
      contentChanges: [{ text: edited }],
    });
    const ask = () =>
      client.request('textDocument/documentHighlight', {
        textDocument: { uri: uri(server.mailFile) },
        position: { line: 1, character: 2 },
      });
    assert.deepEqual(await ask(), []);
    const lines = await until('highlights once the edited text is analysed', async () => {
      const highlights = await ask();
      return highlights.length > 0
        ? highlights.map((h: { range: Location['range'] }) => h.range.start.line)
        : undefined;
    });
    assert.deepEqual(lines, [1, 3, 3]);
  });

  it('finds settings of the workspace trees by name', async () => {
    const symbols = await client.request('workspace/symbol', { query: 'protocols' });
    assert.deepEqual(
      symbols.map((s: { name: string; location: Location }) => [s.name, s.location.uri]),
      [['protocols', uri(server.rootFile)]],
    );
  });
});
