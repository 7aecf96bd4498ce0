// The language server reads the same project file as dovecot-lint: pairs, rule levels, roots.
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { buildBundles, REPO } from './helpers/cli';
import { fileUri, startServer, type RunningServer } from './helpers/lspClient';

describe('project file in the language server', () => {
  let repo: string;
  let server: RunningServer;
  const replication = (host: string): string => path.join(repo, 'hosts', host, 'conf.d', '90-replication.conf.j2');

  before(async () => {
    buildBundles();
    repo = mkdtempSync(path.join(tmpdir(), 'dovecot-lsp-project-'));
    cpSync(path.join(REPO, 'test', 'fixtures', 'ci-repo'), repo, { recursive: true });
    // Two hosts that do not name each other by address: only the project's pair makes them a pair.
    writeFileSync(
      replication('mail2'),
      readFileSync(replication('mail2'), 'utf8')
        .replace('xY7pQ2vLk9mZt4Rw8sBn', 'Another4Long9Password2x')
        .replace('mode = 0600', 'mode = 0666'),
    );
    server = await startServer(repo, fileUri);
  });

  after(async () => {
    await server.stop();
    rmSync(repo, { recursive: true, force: true });
  });

  it('finds both roots before any file is opened, pairs them and applies the rule levels of the file', async () => {
    const params = await server.client.waitFor(
      'textDocument/publishDiagnostics',
      (p) =>
        p.uri === fileUri(replication('mail2')) &&
        p.diagnostics.some((d: { code: string }) => d.code === 'peer-password-mismatch'),
    );
    const worldWritable = params.diagnostics.find(
      (d: { code: string }) => d.code === 'replicator-doveadm-world-writable',
    );
    assert.equal(worldWritable?.severity, 1, 'raised to error by the project file');
  });
});
