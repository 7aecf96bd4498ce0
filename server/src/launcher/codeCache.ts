// Loads a bundle (the CLI's, the language server's) through V8's code cache, so every start after the first skips compiling it (most of a
// short CLI run). Node >= 22.1 keeps the cache itself (module.enableCompileCache). On older Node the
// cache is kept here: one file per installed bundle (the one of its current version) in a directory under the
// temp folder that only the current user may read or write; anything unexpected there and the bundle is simply
// compiled as usual.
import { isAscii } from 'node:buffer';
import * as fs from 'node:fs';
import Module from 'node:module';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vm from 'node:vm';

interface ModuleInternals {
  enableCompileCache?: () => unknown;
  wrap(source: string): string;
  _nodeModulePaths(dir: string): string[];
}

const internals = Module as unknown as ModuleInternals;

/** Asked at exit: whether what this run compiled is worth keeping for the next (a run that only printed its usage is not). */
export type WorthKeeping = () => boolean;

const always: WorthKeeping = () => true;

/** The exports of the CommonJS bundle `file`. */
export function loadCached(file: string, worthKeeping: WorthKeeping = always): unknown {
  if (typeof internals.enableCompileCache === 'function') {
    internals.enableCompileCache();
    return Module.createRequire(file)(file);
  }
  const dir = privateCacheDirectory();
  return dir === undefined ? Module.createRequire(file)(file) : loadThroughCache(file, dir, worthKeeping);
}

/** `<tmp>/dovecot-lint-code-cache-<uid>`, created 0700; undefined unless it is a directory of ours that nobody else can touch. */
function privateCacheDirectory(): string | undefined {
  const uid = process.getuid?.();
  if (uid === undefined) return undefined;
  const dir = path.join(os.tmpdir(), `dovecot-lint-code-cache-${uid}`);
  try {
    fs.mkdirSync(dir, { mode: 0o700 });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') return undefined;
  }
  try {
    const stat = fs.lstatSync(dir);
    return stat.isDirectory() && stat.uid === uid && (stat.mode & 0o077) === 0 ? dir : undefined;
  } catch {
    return undefined;
  }
}

/** Exported for the tests: `loadCached` on Node releases without their own compile cache. */
export function loadThroughCache(file: string, dir: string, worthKeeping: WorthKeeping = always): unknown {
  const source = readBundleSource(file);
  const stat = fs.statSync(file);
  // Each installation of the bundle (its directory) keeps its own cache file.
  const bundlePrefix = `${path.basename(file)}-${directoryTag(path.dirname(file))}-`;
  const cacheFile = path.join(
    dir,
    `${bundlePrefix}${stat.size}-${Math.trunc(stat.mtimeMs)}-${stat.ino}-${process.version}-${process.arch}.bin`,
  );
  let cachedData: Buffer | undefined;
  try {
    cachedData = fs.readFileSync(cacheFile);
  } catch {
    cachedData = undefined;
  }
  const script = new vm.Script(internals.wrap(source), { filename: file, cachedData });
  const loaded = new Module(file, module);
  loaded.filename = file;
  loaded.paths = internals._nodeModulePaths(path.dirname(file));
  const wrapper = script.runInThisContext() as (
    exports: unknown,
    require: NodeJS.Require,
    module: Module,
    filename: string,
    dirname: string,
  ) => void;
  wrapper.call(loaded.exports, loaded.exports, Module.createRequire(file), loaded, file, path.dirname(file));
  loaded.loaded = true;
  // Written at exit, so the functions this run compiled are in the cache too. A cache is never written again
  // while it is accepted: one made by a run that compiled little would slow every later run.
  if (cachedData === undefined || script.cachedDataRejected)
    process.once('exit', () => {
      if (worthKeeping()) save(cacheFile, bundlePrefix, script);
    });
  return loaded.exports;
}

/**
 * The bundle's text. The build makes it pure ASCII, which reads the same as Latin-1 and is copied into V8 without
 * decoding (about 0.6 ms of every start of the CLI's 1.2 MB bundle); a file with any other byte is read as UTF-8.
 */
function readBundleSource(file: string): string {
  const bytes = fs.readFileSync(file);
  return isAscii(bytes) ? bytes.toString('latin1') : bytes.toString('utf8');
}

/** A short tag of a directory's path (FNV-1a), for file names. */
function directoryTag(dir: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < dir.length; i++) hash = Math.imul(hash ^ dir.charCodeAt(i), 0x01000193) >>> 0;
  return hash.toString(16);
}

function save(cacheFile: string, bundlePrefix: string, script: vm.Script): void {
  const temporary = `${cacheFile}.${process.pid}.tmp`;
  try {
    fs.writeFileSync(temporary, script.createCachedData(), { mode: 0o600 });
    fs.renameSync(temporary, cacheFile);
  } catch {
    fs.rmSync(temporary, { force: true });
    return;
  }
  removeStaleCaches(cacheFile, bundlePrefix);
}

/**
 * A cache file not read for this long belongs to an installation that is gone (an extension updated into a
 * new directory). Each start reads its file, which keeps its access time recent (Linux's default `relatime`
 * updates it at least daily; on a `noatime` mount a file may go sooner and is written again at its next start).
 */
const UNUSED_MS = 30 * 24 * 60 * 60 * 1000;

/**
 * Each update of the bundle gets a new cache file: the ones of its earlier versions are removed, and so are
 * the files of other installations unused for 30 days, so the directory does not grow.
 */
function removeStaleCaches(cacheFile: string, bundlePrefix: string): void {
  const dir = path.dirname(cacheFile);
  const kept = path.basename(cacheFile);
  const now = Date.now();
  try {
    for (const name of fs.readdirSync(dir)) {
      if (name === kept || !name.endsWith('.bin')) continue;
      const file = path.join(dir, name);
      if (name.startsWith(bundlePrefix) || now - fs.statSync(file).atimeMs > UNUSED_MS)
        fs.rmSync(file, { force: true });
    }
  } catch {
    // A cache file that cannot be removed costs disk space only.
  }
}
