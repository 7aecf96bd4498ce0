// Tier 4: the bundled server as a child process over stdio, driven with real LSP messages.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { fileUri as uri, startServerOnTree, type LspClient, type ServerOnTree } from './helpers/lspClient';

describe('language server over stdio', () => {
  let server: ServerOnTree;
  let client: LspClient;
  let rootFile: string;
  let mailFile: string;

  before(async () => {
    server = await startServerOnTree(
      'dovecot-lsp-protocol-',
      'mail_location = maildir:~/Maildir\nmail_debug = maybe\n',
    );
    ({ client, rootFile, mailFile } = server);
    assert.ok(server.initializeResult.capabilities.completionProvider, 'completion capability');
  });

  after(() => server.dispose());

  it('publishes diagnostics for the opened conf.d file, analysed from its root', async () => {
    const published = client.waitFor(
      'textDocument/publishDiagnostics',
      (p) => p.uri === uri(mailFile) && p.diagnostics.length > 0,
    );
    client.notify('textDocument/didOpen', {
      textDocument: {
        uri: uri(mailFile),
        languageId: 'dovecot',
        version: 1,
        text: 'mail_location = maildir:~/Maildir\nmail_debug = maybe\n',
      },
    });
    const params = await published;
    assert.equal(params.diagnostics[0].code, 'invalid-value');
    assert.equal(params.diagnostics[0].message, 'Invalid boolean value: maybe (use yes or no)');
    assert.equal(params.diagnostics[0].range.start.line, 1);
  });

  it('clears the diagnostic after an edit fixes it', async () => {
    const cleared = client.waitFor(
      'textDocument/publishDiagnostics',
      (p) => p.uri === uri(mailFile) && p.diagnostics.length === 0,
    );
    client.notify('textDocument/didChange', {
      textDocument: { uri: uri(mailFile), version: 2 },
      contentChanges: [{ text: 'mail_location = maildir:~/Maildir\nmail_debug = yes\n' }],
    });
    await cleared;
  });

  it('answers completion with context-aware items', async () => {
    client.notify('textDocument/didChange', {
      textDocument: { uri: uri(mailFile), version: 3 },
      contentChanges: [{ text: 'service imap {\n  \n}\n' }],
    });
    const result = await client.request('textDocument/completion', {
      textDocument: { uri: uri(mailFile) },
      position: { line: 1, character: 2 },
    });
    const labels: string[] = (Array.isArray(result) ? result : result.items).map(
      (item: { label: string }) => item.label,
    );
    assert.ok(labels.includes('process_min_avail'), 'service key offered');
    assert.ok(labels.includes('inet_listener'), 'listener section offered');
    assert.ok(!labels.includes('mail_location'), 'top-level key not offered inside service');
  });

  it('offers the replication snippets at top level to clients without a snippets file', async () => {
    client.notify('textDocument/didChange', {
      textDocument: { uri: uri(mailFile), version: 4 },
      contentChanges: [{ text: '\n' }],
    });
    const result = await client.request('textDocument/completion', {
      textDocument: { uri: uri(mailFile) },
      position: { line: 0, character: 0 },
    });
    const snippets = (Array.isArray(result) ? result : result.items).filter(
      (item: { kind: number }) => item.kind === 15,
    );
    assert.ok(
      snippets.some((item: { label: string }) => /aggregator/.test(item.label)),
      'aggregator snippet offered',
    );
  });

  it('formats indentation and goes to the definition of an included file', async () => {
    client.notify('textDocument/didChange', {
      textDocument: { uri: uri(mailFile), version: 5 },
      contentChanges: [{ text: 'service imap {\nprocess_limit = 5\n}\n' }],
    });
    const edits = await client.request('textDocument/formatting', {
      textDocument: { uri: uri(mailFile) },
      options: { tabSize: 2, insertSpaces: true },
    });
    assert.deepEqual(edits, [
      { range: { start: { line: 1, character: 0 }, end: { line: 1, character: 0 } }, newText: '  ' },
    ]);
    const outside = await client.request('textDocument/rangeFormatting', {
      textDocument: { uri: uri(mailFile) },
      range: { start: { line: 0, character: 0 }, end: { line: 0, character: 5 } },
      options: { tabSize: 2, insertSpaces: true },
    });
    assert.deepEqual(outside, []);
    const inside = await client.request('textDocument/rangeFormatting', {
      textDocument: { uri: uri(mailFile) },
      range: { start: { line: 1, character: 0 }, end: { line: 1, character: 3 } },
      options: { tabSize: 2, insertSpaces: true },
    });
    assert.deepEqual(inside, edits);
    const [selection] = await client.request('textDocument/selectionRange', {
      textDocument: { uri: uri(mailFile) },
      positions: [{ line: 1, character: 2 }],
    });
    assert.deepEqual(selection.range, { start: { line: 1, character: 0 }, end: { line: 1, character: 13 } });
    assert.deepEqual(selection.parent.range, { start: { line: 1, character: 0 }, end: { line: 1, character: 17 } });
    const rootDocument = {
      uri: uri(rootFile),
      languageId: 'dovecot',
      version: 1,
      text: 'protocols = imap\n!include conf.d/*.conf\n',
    };
    client.notify('textDocument/didOpen', { textDocument: rootDocument });
    const locations = await client.request('textDocument/definition', {
      textDocument: { uri: uri(rootFile) },
      position: { line: 1, character: 12 },
    });
    assert.deepEqual(
      locations.map((location: { uri: string }) => location.uri),
      [uri(mailFile)],
    );
  });

  it('shows the expanded value of a self-referencing mail_plugins as an inlay hint', async () => {
    client.notify('textDocument/didChange', {
      textDocument: { uri: uri(mailFile), version: 6 },
      contentChanges: [{ text: 'mail_plugins = quota\nprotocol lmtp {\n  mail_plugins = $mail_plugins sieve\n}\n' }],
    });
    const hints = await client.request('textDocument/inlayHint', {
      textDocument: { uri: uri(mailFile) },
      range: { start: { line: 0, character: 0 }, end: { line: 9, character: 0 } },
    });
    assert.deepEqual(
      hints.map((hint: { label: string; position: { line: number } }) => [hint.position.line, hint.label]),
      [[2, '= quota sieve']],
    );
  });

  it('offers the suppression code action for a diagnostic', async () => {
    const diagnostic = {
      range: { start: { line: 0, character: 0 }, end: { line: 0, character: 3 } },
      code: 'unknown-setting',
      message: 'Unknown setting: foo',
      source: 'dovecot',
    };
    const actions = await client.request('textDocument/codeAction', {
      textDocument: { uri: uri(mailFile) },
      range: diagnostic.range,
      context: { diagnostics: [diagnostic] },
    });
    const ignore = actions.find((action: { title: string }) => action.title === 'Ignore unknown-setting on this line');
    assert.ok(ignore, 'suppression action offered');
    assert.equal(ignore.edit.changes[uri(mailFile)][0].newText, '# dovecot-lint: ignore=unknown-setting\n');
  });

  it('never fails a request on a position outside the document', async () => {
    const hover = await client.request('textDocument/hover', {
      textDocument: { uri: uri(mailFile) },
      position: { line: 999, character: 999 },
    });
    assert.equal(hover, null);
    assert.equal(client.stderr.join('').includes('TypeError'), false);
  });
});
