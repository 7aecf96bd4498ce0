// The `dovecot/migrateTree` request and the "Convert this tree to 2.4…" code action, against the bundled server over stdio.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { MigrateTreeRequest, CONVERT_TO_24_COMMAND, type MigrateTreeResult } from '../server/src/protocol';
import { fileUri as uri, startServerOnTree, type LspClient, type ServerOnTree } from './helpers/lspClient';

const MAIL_23 = 'mail_location = maildir:~/Maildir\nmail_home = /home/%u\n';

describe('dovecot/migrateTree over stdio', () => {
  let server: ServerOnTree;
  let client: LspClient;

  before(async () => {
    server = await startServerOnTree('dovecot-lsp-migrate-', MAIL_23, { conversionCommand: true, version: '2.4' });
    client = server.client;
  });

  after(() => server.dispose());

  it("answers with the converted tree of the file's root and a report that names each file:line, writing nothing", async () => {
    const before = readdirSync(server.dir, { recursive: true }).sort();
    const result = (await client.request(MigrateTreeRequest.method, {
      uri: uri(server.mailFile),
      target: '2.4',
    })) as MigrateTreeResult;
    assert.equal(result.root, server.rootFile);
    const mail = result.files.find((file) => file.path === server.mailFile);
    assert.ok(mail?.changed, 'conf.d/10-mail.conf changes');
    assert.equal(mail.original, MAIL_23);
    assert.match(mail.converted, /^mail_driver = maildir$/m);
    assert.match(mail.converted, /%\{user\}/);
    assert.match(result.reportMarkdown, /`conf\.d\/10-mail\.conf:1` /);
    assert.match(result.reportMarkdown, /`conf\.d\/10-mail\.conf:2` /);
    assert.deepEqual(readdirSync(server.dir, { recursive: true }).sort(), before, 'no file was written');
    assert.equal(readFileSync(server.mailFile, 'utf8'), MAIL_23);
  });

  it('converts the unsaved text of an open document', async () => {
    client.notify('textDocument/didOpen', {
      textDocument: {
        uri: uri(server.mailFile),
        languageId: 'dovecot',
        version: 1,
        text: 'mail_location = mdbox:~/mdbox\n',
      },
    });
    const result = (await client.request(MigrateTreeRequest.method, {
      uri: uri(server.mailFile),
      target: '2.4',
    })) as MigrateTreeResult;
    assert.match(result.files.find((file) => file.path === server.mailFile)?.converted ?? '', /^mail_driver = mdbox$/m);
  });

  it('answers null to a request it cannot serve (no uri, another target)', async () => {
    assert.equal(await client.request(MigrateTreeRequest.method, { target: '2.4' }), null);
    assert.equal(await client.request(MigrateTreeRequest.method, { uri: uri(server.mailFile), target: '2.5' }), null);
    assert.ok(!existsSync(path.join(path.dirname(server.dir), `${path.basename(server.dir)}-2.4`)));
  });

  it('offers "Convert this tree to 2.4…" on a 2.3 file when 2.4 is the target', async () => {
    const actions = (await client.request('textDocument/codeAction', {
      textDocument: { uri: uri(server.mailFile) },
      range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
      context: { diagnostics: [] },
    })) as { title: string; kind: string; command?: { command: string; arguments: unknown[] } }[];
    const convert = actions.find((action) => action.title === 'Convert this tree to 2.4…');
    assert.ok(convert, JSON.stringify(actions));
    assert.equal(convert.kind, 'refactor.rewrite');
    assert.deepEqual(convert.command?.command, CONVERT_TO_24_COMMAND);
    assert.deepEqual(convert.command?.arguments, [uri(server.mailFile)]);
  });
});

describe('conversion code action without the client command', () => {
  it('is not offered to a client that has no conversion command (Neovim, ...)', async () => {
    const server = await startServerOnTree('dovecot-lsp-migrate-plain-', MAIL_23, { version: '2.4' });
    try {
      const actions = (await server.client.request('textDocument/codeAction', {
        textDocument: { uri: uri(server.mailFile) },
        range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
        context: { diagnostics: [] },
      })) as { title: string }[];
      assert.ok(!actions.some((action) => action.title.startsWith('Convert this tree')), JSON.stringify(actions));
    } finally {
      await server.dispose();
    }
  });
});
