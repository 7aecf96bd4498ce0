// The code cache the CLI and the server load their bundle through on Node releases without their own:
// one private file per installed bundle, reused on the next start, the files of earlier versions and of
// installations unused for 30 days removed.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import Module from 'node:module';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { buildBundles, REPO } from './helpers/cli';
import { printedByNode } from './helpers/nodeScript';
import { tempDir } from './helpers/tempDir';

const LAUNCHER = path.resolve(__dirname, '..', 'server', 'src', 'launcher', 'codeCache.ts');
const nodeKeepsItsOwnCache =
  typeof (Module as unknown as { enableCompileCache?: unknown }).enableCompileCache === 'function';

/** Loads `bundle` through the cache in `dir` in a new Node process; returns what the bundle printed. */
function loadInChild(bundle: string, dir: string, worthKeeping = true): string {
  const script = `require(${JSON.stringify(LAUNCHER)}).loadThroughCache(${JSON.stringify(bundle)}, ${JSON.stringify(dir)}, () => ${worthKeeping})`;
  return printedByNode(['--import', 'tsx'], script);
}

function cacheFiles(dir: string): string[] {
  return fs.readdirSync(dir).filter((name) => name.endsWith('.bin'));
}

/** A bundle with `source` and an empty private cache directory beside it, in a new temporary folder. */
function bundleWithCache(source: string): { bundle: string; dir: string } {
  const work = tempDir('code-cache-');
  const bundle = path.join(work, 'bundle.js');
  fs.writeFileSync(bundle, source);
  const dir = path.join(work, 'cache');
  fs.mkdirSync(dir, { mode: 0o700 });
  return { bundle, dir };
}

describe('bundle code cache', () => {
  if (nodeKeepsItsOwnCache)
    console.log('SKIPPED: this Node release keeps its own compile cache; the launcher does not use its own');

  it(
    'reads a bundle with text beyond ASCII as UTF-8, and an ASCII one unchanged',
    { skip: nodeKeepsItsOwnCache },
    () => {
      const ascii = bundleWithCache('console.log(JSON.stringify("plain \\u00e9"));\n');
      assert.equal(loadInChild(ascii.bundle, ascii.dir), '"plain é"\n');
      const utf8 = bundleWithCache('console.log(JSON.stringify("caf\u00e9 \u2713"));\n');
      assert.equal(loadInChild(utf8.bundle, utf8.dir), '"café ✓"\n');
    },
  );

  it(
    'writes one private cache file at the first start and reuses it at the next',
    { skip: nodeKeepsItsOwnCache },
    () => {
      const { bundle, dir } = bundleWithCache('function twice(n) { return 2 * n; }\nconsole.log(twice(21));\n');

      assert.equal(loadInChild(bundle, dir), '42\n');
      const [written] = cacheFiles(dir);
      assert.ok(written?.startsWith('bundle.js-'), `a cache file for the bundle: ${cacheFiles(dir).join(', ')}`);
      assert.equal(fs.statSync(path.join(dir, written)).mode & 0o777, 0o600);
      const firstWrite = fs.statSync(path.join(dir, written)).mtimeMs;

      assert.equal(loadInChild(bundle, dir), '42\n');
      assert.deepEqual(cacheFiles(dir), [written]);
      assert.equal(fs.statSync(path.join(dir, written)).mtimeMs, firstWrite, 'an accepted cache is not written again');
    },
  );

  it(
    'a run not worth keeping (the CLI printing its usage) writes no cache; the next start that is writes it',
    { skip: nodeKeepsItsOwnCache },
    () => {
      const { bundle, dir } = bundleWithCache('console.log("ran");\n');
      assert.equal(loadInChild(bundle, dir, false), 'ran\n');
      assert.deepEqual(cacheFiles(dir), []);
      assert.equal(loadInChild(bundle, dir, true), 'ran\n');
      assert.equal(cacheFiles(dir).length, 1);
    },
  );

  it(
    'dovecot-lint: --help and a usage error leave no cache for the lint runs after them; a lint run writes it',
    { skip: nodeKeepsItsOwnCache },
    () => {
      buildBundles();
      const tmp = tempDir('code-cache-tmp-');
      const conf = path.join(tmp, 'dovecot.conf');
      fs.writeFileSync(conf, 'protocols = imap\n');
      const lint = (...args: string[]): number | null =>
        spawnSync(process.execPath, [path.join(REPO, 'dist', 'cli.js'), ...args], {
          env: { ...process.env, TMPDIR: tmp },
          encoding: 'utf8',
        }).status;
      const cliCaches = (): string[] => {
        const dir = fs.readdirSync(tmp).find((name) => name.startsWith('dovecot-lint-code-cache-'));
        return dir ? cacheFiles(path.join(tmp, dir)).filter((name) => name.startsWith('cli-main.js-')) : [];
      };
      assert.equal(lint('--help'), 0);
      assert.equal(lint('--no-such-option'), 2);
      assert.deepEqual(cliCaches(), []);
      assert.equal(lint(conf), 0);
      assert.equal(cliCaches().length, 1);
    },
  );

  it(
    "removes the cache of the bundle's earlier version, and keeps other bundles' and other installations'",
    { skip: nodeKeepsItsOwnCache },
    () => {
      const work = tempDir('code-cache-');
      const [here, there] = [path.join(work, 'here'), path.join(work, 'there')];
      for (const install of [here, there]) {
        fs.mkdirSync(install);
        fs.writeFileSync(path.join(install, 'bundle.js'), 'console.log("v1");\n');
        fs.writeFileSync(path.join(install, 'other.js'), 'console.log("other");\n');
      }
      const dir = path.join(work, 'cache');
      fs.mkdirSync(dir, { mode: 0o700 });
      loadInChild(path.join(here, 'bundle.js'), dir);
      loadInChild(path.join(here, 'other.js'), dir);
      loadInChild(path.join(there, 'bundle.js'), dir);
      const before = cacheFiles(dir);
      assert.equal(before.length, 3);

      fs.writeFileSync(path.join(here, 'bundle.js'), 'console.log("version two");\n');
      assert.equal(loadInChild(path.join(here, 'bundle.js'), dir), 'version two\n');
      const after = cacheFiles(dir);
      assert.equal(after.length, 3, after.join(', '));
      const added = after.filter((name) => !before.includes(name));
      const removed = before.filter((name) => !after.includes(name));
      assert.equal(added.length, 1);
      assert.equal(removed.length, 1);
      assert.equal(
        removed[0].split('-').slice(0, 2).join('-'),
        added[0].split('-').slice(0, 2).join('-'),
        'the same installed bundle',
      );
    },
  );

  it(
    'removes the cache files of installations not read for 30 days when it writes one',
    { skip: nodeKeepsItsOwnCache },
    () => {
      const work = tempDir('code-cache-');
      const [current, gone, recent] = ['current', 'gone', 'recent'].map((name) => path.join(work, name));
      for (const install of [current, gone, recent]) {
        fs.mkdirSync(install);
        fs.writeFileSync(path.join(install, 'bundle.js'), `console.log(${JSON.stringify(path.basename(install))});\n`);
      }
      const dir = path.join(work, 'cache');
      fs.mkdirSync(dir, { mode: 0o700 });
      loadInChild(path.join(gone, 'bundle.js'), dir);
      const [goneCache] = cacheFiles(dir);
      loadInChild(path.join(recent, 'bundle.js'), dir);
      const [recentCache] = cacheFiles(dir).filter((name) => name !== goneCache);
      const daysAgo = (days: number): Date => new Date(Date.now() - days * 24 * 60 * 60 * 1000);
      fs.utimesSync(path.join(dir, goneCache), daysAgo(31), daysAgo(60));
      fs.utimesSync(path.join(dir, recentCache), daysAgo(29), daysAgo(60));

      assert.equal(loadInChild(path.join(current, 'bundle.js'), dir), 'current\n');
      const left = cacheFiles(dir);
      assert.equal(left.length, 2, left.join(', '));
      assert.ok(left.includes(recentCache), 'read within 30 days: kept');
      assert.ok(!left.includes(goneCache), 'not read for 31 days: removed');
      assert.ok(
        left.some((name) => name.startsWith('bundle.js-') && name !== recentCache),
        'the new one written',
      );
    },
  );
});
