// Tier 4: completion and hover over stdio right after an edit in a large tree, before the debounced validation.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { fileUri as uri, startServerOnTree, type LspClient, type ServerOnTree } from './helpers/lspClient';

const MAIL_TEXT = 'mail_location = maildir:~/Maildir\nauth_verbose = yes\n';

describe('language server: completion right after an edit in a large tree', () => {
  let server: ServerOnTree;
  let client: LspClient;
  let mailFile: string;
  let version = 1;

  const change = (text: string): void =>
    client.notify('textDocument/didChange', {
      textDocument: { uri: uri(mailFile), version: ++version },
      contentChanges: [{ text }],
    });
  const completionAt = async (line: number, character: number): Promise<{ label: string; detail?: string }[]> => {
    const result = await client.request('textDocument/completion', {
      textDocument: { uri: uri(mailFile) },
      position: { line, character },
    });
    return Array.isArray(result) ? result : result.items;
  };

  before(async () => {
    server = await startServerOnTree('dovecot-lsp-edit-completion-', MAIL_TEXT);
    ({ client, mailFile } = server);
    for (let n = 0; n < 20; n++) {
      const blocks = Array.from(
        { length: 100 },
        (_, i) => `namespace filler${n}_${i} {\n  separator = /\n  prefix = f${n}_${i}/\n}`,
      );
      writeFileSync(
        path.join(server.dir, 'conf.d', `9${String(n).padStart(2, '0')}-filler.conf`),
        blocks.join('\n') + '\n',
      );
    }
    const analysed = client.waitFor('dovecot/status', (p) => p.uri === uri(mailFile));
    client.notify('textDocument/didOpen', {
      textDocument: { uri: uri(mailFile), languageId: 'dovecot', version, text: MAIL_TEXT },
    });
    await analysed;
  });

  after(() => server.dispose());

  it('takes the section around the cursor from the text just sent', async () => {
    change(`${MAIL_TEXT}service imap {\n  \n}\n`);
    const labels = (await completionAt(3, 2)).map((item) => item.label);
    assert.ok(labels.includes('process_min_avail'), 'service key offered');
    assert.ok(!labels.includes('mail_location'), 'top-level key not offered inside the service');
  });

  it('marks the keys typed in the edit as already set, and no longer the one it removed', async () => {
    change('mail_location = maildir:~/Maildir\nmail_debug = yes\n\n');
    const items = await completionAt(2, 0);
    const detail = (label: string): string => items.find((item) => item.label === label)?.detail ?? '';
    assert.match(detail('mail_debug'), /already set here/);
    assert.doesNotMatch(detail('auth_verbose'), /already set here/);
  });

  it('offers namespace names typed in the edit beside those of the other files', async () => {
    change('namespace archive {\n}\nnamespace \n');
    const labels = (await completionAt(2, 10)).map((item) => item.label);
    assert.ok(labels.includes('archive') && labels.includes('filler19_99'), labels.slice(0, 8).join(' '));
  });

  it('hovers a setting typed in the edit', async () => {
    change('service imap {\n  process_min_avail = 2\n}\n');
    const hover = await client.request('textDocument/hover', {
      textDocument: { uri: uri(mailFile) },
      position: { line: 1, character: 5 },
    });
    assert.match(JSON.stringify(hover?.contents), /process_min_avail/);
  });
});
