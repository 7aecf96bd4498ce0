// dovecot-lint as an installable tool: the npm package alone, installed into an empty project, runs.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { before, test } from 'node:test';
import { buildBundles, REPO, runCli } from './helpers/cli';
import { npm, packRepository } from './helpers/npmPackage';
import { tempDir } from './helpers/tempDir';
const EXAMPLE = path.join(REPO, 'examples', 'replication', 'host-a', 'dovecot.conf');

let project: string;
let packedFiles: string[];

before(() => {
  buildBundles();
  const { tarball, files } = packRepository();
  packedFiles = files;
  project = tempDir('dovecot-pack-user-');
  writeFileSync(path.join(project, 'package.json'), JSON.stringify({ name: 'mail-infra', private: true }));
  const install = npm(project, 'install', '--offline', tarball);
  assert.equal(install.status, 0, `installs offline, so it needs no other package: ${install.stderr}`);
});

test('the package holds the bundles and data, no sources or tests, and declares no runtime dependency', () => {
  for (const file of ['dist/cli.js', 'dist/setup.js', 'schemas/dovecot-lint.schema.json', 'README.md'])
    assert.ok(packedFiles.includes(file), file);
  assert.deepEqual(
    packedFiles.filter((file) => /^(server|client|test|scripts)\/|\.ts$/.test(file)),
    [],
  );
  const installed = JSON.parse(
    readFileSync(path.join(project, 'node_modules', 'dovecot-lsp', 'package.json'), 'utf8'),
  ) as Record<string, unknown>;
  assert.equal(installed.dependencies, undefined);
});

test("the bundles carry a package.json of their own, so Node need not parse the package's manifest at every start", () => {
  assert.ok(packedFiles.includes('dist/package.json'));
  const nearest = JSON.parse(
    readFileSync(path.join(project, 'node_modules', 'dovecot-lsp', 'dist', 'package.json'), 'utf8'),
  ) as Record<string, unknown>;
  assert.deepEqual(nearest, { type: 'commonjs' });
});

test('npx dovecot-lint from the installed package gives the same answer as the development build', () => {
  const installed = spawnSync('npx', ['--no-install', 'dovecot-lint', '--format', 'json', EXAMPLE], {
    cwd: project,
    encoding: 'utf8',
  });
  const development = runCli(project, '--format', 'json', EXAMPLE);
  assert.equal(installed.status, 1, installed.stderr);
  assert.equal(installed.status, development.status);
  assert.deepEqual(JSON.parse(installed.stdout), JSON.parse(development.stdout));
  assert.ok((JSON.parse(installed.stdout) as unknown[]).length > 0);
});
