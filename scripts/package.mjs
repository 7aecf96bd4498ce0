#!/usr/bin/env node
// Builds the extension and packages it with @vscode/vsce into dovecot-lsp-<version>.vsix, then checks that
// the archive holds only the runtime files (the "files" list of package.json, shared with npm pack; everything else is excluded).
//   node scripts/package.mjs [--no-build] [--print-path]
// --print-path prints the .vsix path as the last stdout line (used by scripts/run-vscode-tests.mjs).
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);

/** Every entry must match one of these; vsce adds its manifest files itself. */
export const ALLOWED_ENTRIES = [
  /^extension\/package\.json$/,
  /^extension\/readme\.md$/i,
  /^extension\/LICENSE(\.txt|\.md)?$/i,
  /^extension\/images\/[^/]+\.png$/,
  /^extension\/images\/replication\.svg$/,
  /^extension\/language-configuration\.json$/,
  /^extension\/syntaxes\/[^/]+\.json$/,
  /^extension\/schemas\/[^/]+\.json$/,
  /^extension\/dist\/[^/]+\.js$/,
  /^extension\/dist\/package\.json$/,
  /^extension\/walkthrough\/[^/]+\.md$/,
  /^extension\.vsixmanifest$/,
  /^\[Content_Types\]\.xml$/,
];
/** At least one entry must match each of these. */
export const REQUIRED_ENTRIES = [
  /^extension\/package\.json$/,
  /^extension\/readme\.md$/i,
  /^extension\/LICENSE/i,
  /^extension\/images\/icon\.png$/,
  /^extension\/images\/replication\.svg$/,
  /^extension\/language-configuration\.json$/,
  /^extension\/syntaxes\/dovecot\.tmLanguage\.json$/,
  /^extension\/schemas\/dovecot-lint\.schema\.json$/,
  /^extension\/dist\/client\.js$/,
  /^extension\/dist\/server\.js$/,
  /^extension\/dist\/package\.json$/,
];

function run(command, commandArgs, what) {
  const result = spawnSync(command, commandArgs, { cwd: repoRoot, encoding: 'utf8' });
  if (result.status !== 0) {
    process.stderr.write(`${what} failed (exit ${result.status ?? result.signal}):\n${result.stdout}${result.stderr}`);
    process.exit(1);
  }
  return result.stdout;
}

export function checkEntries(entries) {
  const unexpected = entries.filter((entry) => !ALLOWED_ENTRIES.some((pattern) => pattern.test(entry)));
  const missing = REQUIRED_ENTRIES.filter((pattern) => !entries.some((entry) => pattern.test(entry)));
  return [...unexpected.map((entry) => `unexpected file ${entry}`), ...missing.map((pattern) => `missing ${pattern}`)];
}

function main() {
  if (!args.includes('--no-build')) run(process.execPath, [join(repoRoot, 'scripts', 'build.mjs')], 'build');
  const { name, version } = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8'));
  const vsix = join(repoRoot, `${name}-${version}.vsix`);
  const vsce = join(repoRoot, 'node_modules', '@vscode', 'vsce', 'vsce');
  // --no-dependencies: dist/ is bundled by esbuild, node_modules is not needed at run time.
  // --no-rewrite-relative-links: the README's screenshots ship in images/ and are shown from there.
  run(
    process.execPath,
    [vsce, 'package', '--no-dependencies', '--allow-missing-repository', '--no-rewrite-relative-links', '--out', vsix],
    'vsce package',
  );

  const entries = run('unzip', ['-Z1', vsix], 'unzip -Z1').trim().split('\n');
  const problems = checkEntries(entries);
  if (problems.length > 0) {
    process.stderr.write(`${vsix} does not hold exactly the runtime files:\n  ${problems.join('\n  ')}\n`);
    process.exit(1);
  }
  console.log(`${vsix}: ${entries.length} files, contents checked`);
  if (args.includes('--print-path')) console.log(vsix);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main();
