// Completion lists leave documentation to completionItem/resolve for clients that resolve it, and carry it
// inline for the others; both get the same documentation for the same item.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { fileUri as uri, startServerOnTree, type ServerOnTree } from './helpers/lspClient';

const MAIL_TEXT = 'mail_location = maildir:~/Maildir\n\n';
const RESOLVING = {
  textDocument: {
    completion: { completionItem: { resolveSupport: { properties: ['documentation', 'detail'] } } },
  },
};

interface Item {
  label: string;
  documentation?: unknown;
  data?: unknown;
}

async function topLevelItems(server: ServerOnTree): Promise<Item[]> {
  const { client, mailFile } = server;
  const analysed = client.waitFor('dovecot/status', (p) => p.uri === uri(mailFile));
  client.notify('textDocument/didOpen', {
    textDocument: { uri: uri(mailFile), languageId: 'dovecot', version: 1, text: MAIL_TEXT },
  });
  await analysed;
  const result = await client.request('textDocument/completion', {
    textDocument: { uri: uri(mailFile) },
    position: { line: 1, character: 0 },
  });
  return Array.isArray(result) ? result : result.items;
}

describe('completion documentation through completionItem/resolve', () => {
  let resolving: ServerOnTree;
  let plain: ServerOnTree;
  before(async () => {
    resolving = await startServerOnTree('dovecot-lsp-resolve-', MAIL_TEXT, undefined, RESOLVING);
    plain = await startServerOnTree('dovecot-lsp-inline-', MAIL_TEXT);
  });
  after(async () => {
    await resolving.dispose();
    await plain.dispose();
  });

  it('a client that resolves documentation gets a list without it, and each item resolves to the inline one', async () => {
    assert.equal(resolving.initializeResult.capabilities.completionProvider.resolveProvider, true);
    assert.equal(plain.initializeResult.capabilities.completionProvider.resolveProvider, false);
    const deferred = await topLevelItems(resolving);
    const inline = await topLevelItems(plain);
    assert.deepEqual(
      deferred.map((item) => item.label),
      inline.map((item) => item.label),
    );
    assert.ok(inline.some((item) => item.documentation !== undefined));
    assert.ok(deferred.every((item) => item.documentation === undefined));
    for (const label of ['mail_debug', 'auth_mechanisms', 'protocols']) {
      const listed = deferred.find((item) => item.label === label)!;
      const resolved = (await resolving.client.request('completionItem/resolve', listed)) as Item;
      const expected = inline.find((item) => item.label === label)!;
      assert.ok(expected.documentation !== undefined, `${label} has documentation`);
      assert.deepEqual(resolved.documentation, expected.documentation, label);
    }
  });

  it('an item of an older list resolves to itself, unchanged', async () => {
    const old = (await topLevelItems(resolving)).find((item) => item.label === 'mail_debug')!;
    // Another list sent since: the keys completing `mail_` on the first line.
    const other = await resolving.client.request('textDocument/completion', {
      textDocument: { uri: uri(resolving.mailFile) },
      position: { line: 0, character: 5 },
    });
    assert.ok((Array.isArray(other) ? other : other.items).length > 0);
    const resolved = (await resolving.client.request('completionItem/resolve', old)) as Item;
    assert.deepEqual(resolved, old);
  });
});
