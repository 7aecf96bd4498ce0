// Tier 4: quick-fix edits as the client can take them, plain text or (LSP 3.18) snippet edits.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { fileUri as uri, startServerOnTree } from './helpers/lspClient';

// Replication intent without mail_replica: its fix holds placeholders (the peer host).
const MAIL_TEXT = 'mail_plugins = $mail_plugins notify replication\nplugin {\n}\n';
const FIX_TITLE = 'Add mail_replica to plugin { }';

async function replicaFixEdit(capabilities: object): Promise<Record<string, unknown>> {
  const server = await startServerOnTree('dovecot-lsp-edits-', MAIL_TEXT, undefined, capabilities);
  try {
    const { client, mailFile } = server;
    const published = client.waitFor(
      'textDocument/publishDiagnostics',
      (p) => p.uri === uri(mailFile) && p.diagnostics.some((d: { code: string }) => d.code === 'mail-replica-missing'),
    );
    client.notify('textDocument/didOpen', {
      textDocument: { uri: uri(mailFile), languageId: 'dovecot', version: 1, text: MAIL_TEXT },
    });
    const diagnostic = (await published).diagnostics.find((d: { code: string }) => d.code === 'mail-replica-missing');
    const actions = await client.request('textDocument/codeAction', {
      textDocument: { uri: uri(mailFile) },
      range: diagnostic.range,
      context: { diagnostics: [diagnostic] },
    });
    const action = actions.find((candidate: { title: string }) => candidate.title === FIX_TITLE);
    assert.ok(action, `"${FIX_TITLE}" offered: ${actions.map((a: { title: string }) => a.title).join(', ')}`);
    return action.edit;
  } finally {
    await server.dispose();
  }
}

describe('quick-fix edits and the client capabilities', () => {
  it('a client without snippet edits gets plain text: the placeholders become their defaults', async () => {
    const edit = await replicaFixEdit({});
    const [edits] = Object.values(edit.changes as Record<string, { newText: string }[]>);
    assert.match(edits[0].newText, /^ {2}mail_replica = tcp:peer\.example\.com:12345\n$/);
  });

  it('a client with LSP 3.18 snippet edits gets a SnippetTextEdit with tab stops', async () => {
    const edit = await replicaFixEdit({
      workspace: { workspaceEdit: { documentChanges: true, snippetEditSupport: true } },
    });
    const changes = edit.documentChanges as {
      edits: { newText?: string; snippet?: { kind: string; value: string } }[];
    }[];
    const [first] = changes[0].edits;
    assert.equal(first.newText, undefined);
    assert.equal(first.snippet?.kind, 'snippet');
    assert.match(first.snippet?.value ?? '', /^ {2}mail_replica = tcp:\$\{1:peer\.example\.com\}:\$\{2:12345\}\n$/);
  });
});
