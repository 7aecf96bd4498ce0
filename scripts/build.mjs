// Bundles the three entry points (VS Code client, language server, CLI linter) with esbuild.
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import * as esbuild from 'esbuild';

/**
 * The large generated data files (settings schemas, obsolete-setting and plugin tables) become a JSON
 * string parsed on load: V8 scans a string literal far faster than it compiles the same object literal.
 */
const jsonAsString = {
  name: 'json-as-string',
  setup(build) {
    build.onLoad(
      { filter: /(settings-2\.[34]|obsolete-settings-2\.3|plugin-setting-reads-2\.3)\.json$/ },
      async (args) => ({
        contents: `module.exports = JSON.parse(${JSON.stringify(JSON.stringify(JSON.parse(await readFile(args.path, 'utf8'))))});`,
        loader: 'js',
      }),
    );
  },
};

/**
 * vscode-jsonrpc loads node:crypto when it loads (~15 ms of every server start), for the random name of a
 * pipe transport the server never uses over stdio: it gets a stand-in that loads crypto on first use.
 */
const lazyCryptoForJsonRpc = {
  name: 'lazy-crypto-for-jsonrpc',
  setup(build) {
    build.onResolve({ filter: /^crypto$/ }, (args) =>
      args.importer.includes(`${'node_modules'}/vscode-jsonrpc/`)
        ? { path: 'crypto', namespace: 'lazy-crypto' }
        : undefined,
    );
    build.onLoad({ filter: /.*/, namespace: 'lazy-crypto' }, () => ({
      contents: "module.exports = { get randomBytes() { return require('node:crypto').randomBytes; } };",
      loader: 'js',
    }));
  },
};

/**
 * `import * as path from 'node:path'` in each of ~30 modules becomes, in a bundle, a copy of the module's
 * exports made at load (esbuild's __toESM, about 2 ms of a CLI run in all): each Node built-in
 * imported that way is re-exported by one shared module instead, made once.
 */
const oneNamespacePerBuiltin = {
  name: 'one-namespace-per-builtin',
  setup(build) {
    build.onResolve({ filter: /^node:/ }, (args) =>
      args.namespace === 'builtin-namespace'
        ? { path: args.path, external: true }
        : { path: args.path, namespace: 'builtin-namespace' },
    );
    build.onLoad({ filter: /.*/, namespace: 'builtin-namespace' }, (args) => ({
      contents: `export * from '${args.path}'; export { default } from '${args.path}';`,
      loader: 'js',
    }));
  },
};

const watch = process.argv.includes('--watch');
// Node looks for the package.json nearest to an entry point to learn whether its .js files are CommonJS: this
// small one is found before the project's (60 KB of extension manifest, about 1 ms of every CLI run to parse).
const dist = new URL('../dist/', import.meta.url);
await mkdir(dist, { recursive: true });
await writeFile(new URL('package.json', dist), `${JSON.stringify({ type: 'commonjs' })}\n`);
const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: true,
  logLevel: 'warning',
  plugins: [jsonAsString, lazyCryptoForJsonRpc, oneNamespacePerBuiltin],
};
const builds = [
  { ...common, entryPoints: ['client/src/extension.ts'], outfile: 'dist/client.js', external: ['vscode'] },
  // dist/server.js and dist/cli.js are small launchers that load their bundle through V8's code cache.
  // The bundles they load are read, and their cache restored, at every start: minified (the source maps lead
  // back to the sources) they and their cache are smaller, and pure ASCII reads faster.
  { ...common, entryPoints: ['server/src/serverMain.ts'], outfile: 'dist/server-main.js', minify: true },
  { ...common, entryPoints: ['server/src/launcher/server.ts'], outfile: 'dist/server.js' },
  { ...common, entryPoints: ['server/src/cli.ts'], outfile: 'dist/cli-main.js', minify: true },
  {
    ...common,
    entryPoints: ['server/src/launcher/cli.ts'],
    outfile: 'dist/cli.js',
    banner: { js: '#!/usr/bin/env node' },
  },
  {
    ...common,
    entryPoints: ['server/src/setupCli.ts'],
    outfile: 'dist/setup.js',
    banner: { js: '#!/usr/bin/env node' },
  },
  {
    ...common,
    entryPoints: ['server/src/replicationCli.ts'],
    outfile: 'dist/replication.js',
    banner: { js: '#!/usr/bin/env node' },
  },
];

if (watch) {
  for (const options of builds) await (await esbuild.context(options)).watch();
} else {
  await Promise.all(builds.map((options) => esbuild.build(options)));
}
