// Runs in a session where workspace trust is on and the fixture folder is NOT trusted
// (scripts/run-vscode-tests.mjs --suite untrusted): nothing may run a program or contact a server.
import * as assert from 'assert';
import * as http from 'http';
import type { AddressInfo } from 'net';
import * as vscode from 'vscode';
import { existsSync } from 'fs';
import * as path from 'path';
import type { ConversionOutcome } from '../../client/src/commands/convertTo24';
import type { LiveReplication } from '../../client/src/commands/liveReplication';
import { extension, fixtureUri, openDovecotDocument, waitForActivation } from './helpers';

suite('untrusted workspace', () => {
  let server: http.Server;
  let requests = 0;
  let url = '';

  suiteSetup(async () => {
    server = http.createServer((_request, response) => {
      requests++;
      response.end('[["doveadmResponse",[],"t1"]]');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    await openDovecotDocument(fixtureUri('etc', 'dovecot', 'dovecot.conf'));
    await waitForActivation(extension());
    await vscode.workspace
      .getConfiguration('dovecot.live')
      .update('hosts', [{ name: 'mail-a', url }], vscode.ConfigurationTarget.Global);
  });

  suiteTeardown(async () => {
    await vscode.workspace
      .getConfiguration('dovecot.live')
      .update('hosts', undefined, vscode.ConfigurationTarget.Global);
    server.close();
  });

  test('the fixture folder is not trusted in this session', () => {
    assert.equal(vscode.workspace.isTrusted, false);
  });

  test('the view shows why it is off, the status bar stays hidden, and no host is contacted', async () => {
    const live = (extension().exports as { live: LiveReplication }).live;
    await live.tree.refresh();
    const top = live.tree.getChildren();
    assert.deepEqual(
      top.map((node) => (node.kind === 'message' ? node.label : node.kind)),
      ['Live replication status is off in an untrusted workspace'],
    );
    assert.equal(live.statusBar.shownText, undefined);
    const host = { kind: 'host', spec: { name: 'mail-a', url } };
    const user = {
      kind: 'user',
      spec: host.spec,
      user: {
        username: 'alice@lab.test',
        priority: 'none',
        lastFastSync: 1,
        lastFullSync: 1,
        lastSuccessfulSync: 1,
        failed: false,
      },
    };
    for (const [command, node] of [
      ['dovecot.live.fullSyncUser', user],
      ['dovecot.live.replicateUser', user],
      ['dovecot.live.replicateAll', host],
      ['dovecot.live.checkUserdb', host],
      ['dovecot.live.dsyncStatus', host],
    ] as const) {
      const result = await Promise.resolve(vscode.commands.executeCommand(command, node)).catch(
        (error: Error) => error,
      );
      assert.ok(
        result !== true && !Array.isArray(result) && !(result && typeof result === 'object' && 'count' in result),
        `${command} ran: ${JSON.stringify(result)}`,
      );
    }
    assert.equal(
      await Promise.resolve(vscode.commands.executeCommand('dovecot.live.reload', host, true)).catch(() => false),
      false,
    );
    assert.equal(requests, 0, 'a host was contacted from an untrusted workspace');
  });

  test('the language server refuses to run doveconf', async () => {
    const client = (
      extension().exports as {
        languageClient?: {
          sendRequest(method: string, params: unknown): Promise<{ failure?: { what: string }; diagnostics: unknown[] }>;
        };
      }
    ).languageClient;
    assert.ok(client);
    const result = await client.sendRequest('dovecot/checkWithDoveconf', {
      uri: fixtureUri('etc', 'dovecot', 'dovecot.conf').toString(),
    });
    assert.equal(result.failure?.what, 'doveconf is not run in an untrusted workspace');
    assert.deepEqual(result.diagnostics, []);
  });

  test('Convert to Dovecot 2.4 shows the diffs and the report but writes nothing', async () => {
    const root = fixtureUri('etc', 'dovecot', 'dovecot.conf');
    const outcome = await vscode.commands.executeCommand<ConversionOutcome>('dovecot.convertTo24', root);
    assert.equal(outcome.notWritten, 'untrusted workspace');
    assert.ok(outcome.diffs.length > 0, 'the preview is shown');
    assert.ok(
      vscode.workspace.textDocuments.some((document) => document.uri.scheme === 'dovecot-migration-report'),
      'the report is shown',
    );
    assert.ok(!existsSync(`${path.dirname(root.fsPath)}-2.4`), 'nothing was written');
  });
});
