// Shared by the two VS Code test runners: bundles test/integration for the extension host and copies
// the fixture workspace to a temporary folder (the tests edit and create files in it).
import { cpSync, readdirSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const testsOutDir = join(repoRoot, 'out', 'integration');
/** The module the extension host loads (`run()` in test/integration/index.ts). */
export const testsEntry = join(testsOutDir, 'index');
const sourceDir = join(repoRoot, 'test', 'integration');
const fixtureWorkspace = join(sourceDir, 'fixtures', 'workspace');

export async function bundleIntegrationTests() {
  const esbuild = await import('esbuild');
  const entryPoints = ['index.ts', ...readdirSync(sourceDir).filter((file) => file.endsWith('.test.ts'))].map((file) =>
    join(sourceDir, file),
  );
  rmSync(testsOutDir, { recursive: true, force: true });
  await esbuild.build({
    entryPoints,
    outdir: testsOutDir,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    sourcemap: 'inline',
    // mocha stays a real module resolved from the repository's node_modules (it has dynamic requires)
    external: ['vscode', 'mocha'],
    logLevel: 'warning',
  });
}

/** The fixture workspace, plus the bundled example pair (a tree without any `dovecot/` folder in its paths). */
export function copyFixtureWorkspace(parent) {
  const workspace = join(parent, 'workspace');
  cpSync(fixtureWorkspace, workspace, { recursive: true });
  cpSync(join(repoRoot, 'examples', 'replication'), join(workspace, 'examples', 'replication'), { recursive: true });
  return workspace;
}
