// Benchmark (not a test): every speed and memory goal of the product, measured on the shipped bundles
// as users run them (dist/server.js over stdio, dist/cli.js as a process), side by side with
// `doveconf -n` on the same files, ending with one summary line (goal met / not met per figure).
//   - server start to first diagnostics on a generated 10k-line tree in 21 files
//   - completion latency (p50/p95) at 10k and 100k lines, at rest and right after an edit
//   - edit to diagnostics, with the server's validation debounce and without it
//   - server peak RSS at 10k and 100k lines
//   - full parse + analysis (1k/10k/100k lines) in process on the CLI bundle and as a whole process
//   - the CLI on the stock tree /etc/dovecot as a whole process
// The machine may be shared: every figure is the median (or p95) of repeated runs; `uptime`'s load
// average is printed at the start and the end.
// Usage: npm run bench                     (builds first)
//        npm run bench -- --pathological   (only the hostile inputs)
//        npm run bench -- --all            (the goals, then the hostile inputs)
//        npm run bench -- --server         (only the language server's figures)
//        npm run bench -- --analysis       (only the full parse + analysis table, about a minute)
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath, pathToFileURL } from 'node:url';

const PROJECT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const CLI = path.join(PROJECT, 'dist', 'cli.js');
const SERVER = path.join(PROJECT, 'dist', 'server.js');
const STOCK_ROOT = '/etc/dovecot/dovecot.conf';
/** The Node options the extension starts the server with. */
const SERVER_NODE_OPTIONS = JSON.parse(
  readFileSync(path.join(PROJECT, 'server', 'src', 'launcher', 'nodeOptions.json'), 'utf8'),
);
const FILES_PER_TREE = 20;
const GOALS = {
  startMs: 250,
  completionP95Ms: 2,
  peakRssMb: 100,
  analysisSpeedup: 50,
  cliStockRatio: 3,
};

/** The generated trees and scratch files, removed when the bench ends. */
const scratchDirs = [];
process.once('exit', () => {
  for (const dir of scratchDirs) rmSync(dir, { recursive: true, force: true });
});

function scratchDir(prefix) {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  scratchDirs.push(dir);
  return dir;
}

/** One realistic block of config: a service with listeners, a namespace with mailboxes, a protocol filter, plugin keys, comments, a continuation. */
function block(i) {
  return [
    `# block ${i}: service, namespace, filter, plugin`,
    `service svc${i} {`,
    `  executable = /usr/lib/dovecot/svc${i}`,
    `  process_limit = 10`,
    `  unix_listener svc${i}-socket {`,
    `    mode = 0600`,
    `    user = vmail`,
    `  }`,
    `  inet_listener svc${i}-inet {`,
    `    port = 0`,
    `  }`,
    `}`,
    `namespace ns${i} {`,
    `  prefix = NS${i}/`,
    `  separator = /`,
    `  mailbox "Sent ${i}" {`,
    `    special_use = \\Sent`,
    `    auto = subscribe`,
    `  }`,
    `}`,
    `protocol imap {`,
    `  mail_max_userip_connections = ${10 + (i % 50)}`,
    `}`,
    `plugin {`,
    `  quota_rule${i} = *:storage=1G # quota`,
    `  sieve_script${i} = file:~/sieve${i};active=~/.dovecot${i}.sieve`,
    `}`,
    `mail_plugins = $mail_plugins \\`,
    `  quota`,
    ``,
  ];
}

/** A tree: dovecot.conf including conf.d/*.conf (FILES_PER_TREE files), `lines` physical lines in total. */
function generateTree(lines) {
  const dir = scratchDir(`dovecot-bench-${lines}-`);
  mkdirSync(path.join(dir, 'conf.d'));
  const header = [
    '# generated for the benchmark',
    'protocols = imap lmtp',
    'mail_plugins = acl',
    '!include conf.d/*.conf',
    '',
  ];
  const perBlock = block(0).length;
  const blocks = Math.max(1, Math.round((lines - header.length) / perBlock));
  const perFile = Math.ceil(blocks / FILES_PER_TREE);
  writeFileSync(path.join(dir, 'dovecot.conf'), header.join('\n'));
  let total = header.length;
  let files = 1;
  for (let f = 0; f * perFile < blocks; f++) {
    const text = [];
    for (let b = f * perFile; b < Math.min(blocks, (f + 1) * perFile); b++) text.push(...block(b));
    writeFileSync(path.join(dir, 'conf.d', `${String(f).padStart(2, '0')}-part.conf`), text.join('\n'));
    total += text.length;
    files++;
  }
  return { dir, root: path.join(dir, 'dovecot.conf'), lines: total, files };
}

const sorted = (values) => [...values].sort((a, b) => a - b);
const median = (values) => sorted(values)[Math.floor(values.length / 2)];
const percentile = (values, p) => sorted(values)[Math.min(values.length - 1, Math.ceil((p / 100) * values.length) - 1)];
/** p50 / p95 of a series. */
const pair = ({ p50, p95 }) => `${fmt(p50)} / ${fmt(p95)}`;
const fmt = (ms) => (ms === undefined ? 'n/a' : ms < 10 ? `${ms.toFixed(2)} ms` : `${ms.toFixed(0)} ms`);
const loadAverage = () => readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');

function timeRuns(runs, fn) {
  const samples = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    fn();
    samples.push(performance.now() - start);
  }
  return median(samples);
}

/**
 * Runs of the analysis in one process per tree size: a run that meets a full collection of the runs before it
 * takes up to half as long again, so the median of five flipped between about 47x and 67x doveconf -n.
 */
const IN_PROCESS_RUNS = 9;

// NODE_EXTRA_CA_CERTS makes every node process read a CA bundle at start (~100 ms of CPU on this machine's
// kind); it is a setting of the environment, not of the tool, so the bundles run without it.
const NODE_ENV = Object.fromEntries(Object.entries(process.env).filter(([name]) => name !== 'NODE_EXTRA_CA_CERTS'));

const haveDoveconf = spawnSync('doveconf', ['--help']).error === undefined;
const doveconfMs = (root, runs) =>
  haveDoveconf ? timeRuns(runs, () => spawnSync('doveconf', ['-n', '-c', root], { stdio: 'ignore' })) : undefined;
// Run from the configuration's folder, as an admin runs it: the CLI looks for a project file from its working
// folder upwards, and run from this repository it would read the extension's own package.json (60 KB).
const cliProcessMs = (root, runs) =>
  timeRuns(runs, () =>
    spawnSync(process.execPath, [CLI, root], { stdio: 'ignore', env: NODE_ENV, cwd: path.dirname(root) }),
  );

let emptyScript;
/** Node running an empty file with `nodeOptions`, once: Node's own start on this machine. */
function bareNodeMs(nodeOptions = []) {
  if (emptyScript === undefined) {
    emptyScript = path.join(scratchDir('dovecot-bench-empty-'), 'empty.js');
    writeFileSync(emptyScript, '');
  }
  return timeRuns(1, () =>
    spawnSync(process.execPath, [...nodeOptions, emptyScript], { stdio: 'ignore', env: NODE_ENV }),
  );
}

// ---------------------------------------------------------------- a minimal LSP client over stdio

class LspClient {
  constructor(env = {}) {
    this.started = performance.now();
    this.child = spawn(process.execPath, [...SERVER_NODE_OPTIONS, SERVER, '--stdio'], {
      stdio: ['pipe', 'pipe', 'inherit'],
      env: { ...NODE_ENV, ...env },
    });
    this.nextId = 1;
    this.pending = new Map();
    this.waiters = [];
    this.buffer = Buffer.alloc(0);
    this.child.stdout.on('data', (chunk) => this.receive(chunk));
  }

  receive(chunk) {
    this.buffer = Buffer.concat([this.buffer, chunk]);
    for (;;) {
      const headerEnd = this.buffer.indexOf('\r\n\r\n');
      if (headerEnd < 0) return;
      const length = Number(/Content-Length: (\d+)/i.exec(this.buffer.subarray(0, headerEnd).toString())[1]);
      if (this.buffer.length < headerEnd + 4 + length) return;
      const message = JSON.parse(this.buffer.subarray(headerEnd + 4, headerEnd + 4 + length).toString());
      this.buffer = this.buffer.subarray(headerEnd + 4 + length);
      this.dispatch(message);
    }
  }

  dispatch(message) {
    if (message.id !== undefined && message.method) return this.send({ jsonrpc: '2.0', id: message.id, result: null });
    if (message.id !== undefined) {
      this.pending.get(message.id)?.(message);
      this.pending.delete(message.id);
      return;
    }
    const waiter = this.waiters.find((w) => w.matches(message));
    if (waiter) {
      this.waiters.splice(this.waiters.indexOf(waiter), 1);
      waiter.resolve(message);
    }
  }

  send(message) {
    const body = Buffer.from(JSON.stringify(message));
    this.child.stdin.write(`Content-Length: ${body.length}\r\n\r\n`);
    this.child.stdin.write(body);
  }

  request(method, params) {
    const id = this.nextId++;
    return new Promise((resolve) => {
      this.pending.set(id, resolve);
      this.send({ jsonrpc: '2.0', id, method, params });
    });
  }

  notify(method, params) {
    this.send({ jsonrpc: '2.0', method, params });
  }

  /** The next notification the predicate accepts (register before causing it). */
  next(matches) {
    return new Promise((resolve) => this.waiters.push({ matches, resolve }));
  }

  async initialize(dir) {
    await this.request('initialize', {
      processId: process.pid,
      rootUri: pathToFileURL(dir).href,
      workspaceFolders: [{ uri: pathToFileURL(dir).href, name: 'bench' }],
      // What VS Code declares for completion: snippets, documentation resolved per item, list defaults.
      capabilities: {
        textDocument: {
          completion: {
            completionItem: {
              snippetSupport: true,
              resolveSupport: { properties: ['documentation', 'detail', 'additionalTextEdits'] },
            },
            completionList: {
              itemDefaults: ['commitCharacters', 'editRange', 'insertTextFormat', 'insertTextMode', 'data'],
            },
          },
        },
      },
      initializationOptions: { snippets: true },
    });
    this.notify('initialized', {});
  }

  open(file, text = readFileSync(file, 'utf8')) {
    this.notify('textDocument/didOpen', {
      textDocument: { uri: pathToFileURL(file).href, languageId: 'dovecot', version: 1, text },
    });
  }

  /** VmHWM: the most resident memory the server process has had. */
  peakRssMb() {
    const status = readFileSync(`/proc/${this.child.pid}/status`, 'utf8');
    return Number(/VmHWM:\s+(\d+) kB/.exec(status)[1]) / 1024;
  }

  async close() {
    await this.request('shutdown');
    this.notify('exit');
    await new Promise((resolve) => this.child.once('exit', resolve));
  }
}

const diagnosticsFor = (uri) => (message) =>
  message.method === 'textDocument/publishDiagnostics' && message.params.uri === uri;
/** The end of one validation of the tree: every publishDiagnostics of it is sent before. */
const treeFilesNotification = (message) => message.method === 'dovecot/treeFiles';

/** Spawn → initialize → open the root → its first diagnostics (the validation of the whole tree). */
async function startToDiagnostics(tree) {
  const client = new LspClient();
  await client.initialize(tree.dir);
  const validated = client.next(treeFilesNotification);
  client.open(tree.root);
  await validated;
  const ms = performance.now() - client.started;
  await client.close();
  return ms;
}

/** Requests per server run: a 100k-line tree is re-analysed on each edit, so it gets fewer edits. */
const SERVER_RUNS = {
  10000: { completions: 250, edits: 40, flips: 12 },
  100000: { completions: 250, edits: 40, flips: 6 },
};

const COMPLETION_POSITIONS = [
  { line: 0, character: 0 },
  { line: 3, character: 2 },
  { line: 5, character: 4 },
  { line: 24, character: 2 },
  { line: 21, character: 33 },
];

/** Completion round trips on a file of the tree (p50/p95), at rest and right after an edit; edit to diagnostics; peak RSS. */
async function serverFigures(tree, debounce, runs) {
  const client = new LspClient(debounce ? {} : { DOVECOT_LSP_VALIDATION_DELAY_MS: '0' });
  await client.initialize(tree.dir);
  const file = path.join(tree.dir, 'conf.d', '05-part.conf');
  const uri = pathToFileURL(file).href;
  const original = readFileSync(file, 'utf8');
  let validated = client.next(treeFilesNotification);
  client.open(file, original);
  await validated;
  let version = 1;
  const lines = original.split('\n');
  // As VS Code sends an edit (the server syncs incrementally): the range replaced and its new text.
  const replaceLine = (line, text) => {
    const range = { start: { line, character: 0 }, end: { line, character: lines[line].length } };
    lines[line] = text;
    client.notify('textDocument/didChange', {
      textDocument: { uri, version: ++version },
      contentChanges: [{ range, text }],
    });
  };
  const complete = async (position) => {
    const start = performance.now();
    await client.request('textDocument/completion', { textDocument: { uri }, position });
    return performance.now() - start;
  };
  const atRest = [];
  for (let i = 0; i < runs.completions; i++)
    atRest.push(await complete(COMPLETION_POSITIONS[i % COMPLETION_POSITIONS.length]));

  // Typing: one character more on line 3, then completion at once (before the debounced validation),
  // each edit once the server is idle again (a completion behind a running validation waits for it).
  const afterEdit = [];
  for (let i = 0; i < runs.edits; i++) {
    validated = client.next(treeFilesNotification);
    replaceLine(3, `  process_limit = 1${'0'.repeat(2 + (i % 3))}`);
    afterEdit.push(await complete({ line: 3, character: 2 }));
    await validated;
    // The server answers in order: this answer means the validation and the work after it are done.
    await client.request('textDocument/foldingRange', { textDocument: { uri } });
  }

  // Edit to diagnostics: line 3 flips between a valid and an invalid value, so the file's diagnostics change.
  const editToDiagnostics = [];
  for (let i = 0; i < runs.flips; i++) {
    const published = client.next(diagnosticsFor(uri));
    const start = performance.now();
    replaceLine(3, i % 2 === 0 ? '  process_limit = ten' : '  process_limit = 10');
    await published;
    editToDiagnostics.push(performance.now() - start);
  }
  const peakRssMb = client.peakRssMb();
  await client.close();
  return {
    completion: { p50: median(atRest), p95: percentile(atRest, 95) },
    completionAfterEdit: { p50: median(afterEdit), p95: percentile(afterEdit, 95) },
    editToDiagnostics: median(editToDiagnostics),
    peakRssMb,
  };
}

/**
 * The same round trips with nothing for the server to do: a request it does not know (answered at once with
 * an error) at rest, and after an edit of a one-line document, each once the server is idle again. This is
 * what the pipes and the scheduling of two processes cost on this machine, whatever the server does.
 */
async function transportFloor(runs) {
  const emptyFolder = scratchDir('dovecot-bench-floor-');
  const client = new LspClient();
  await client.initialize(emptyFolder);
  const uri = 'untitled:bench-floor';
  let validated = client.next(treeFilesNotification);
  client.notify('textDocument/didOpen', {
    textDocument: { uri, languageId: 'dovecot', version: 1, text: 'protocols = imap\n' },
  });
  await validated;
  const nothingToDo = async () => {
    const start = performance.now();
    await client.request('dovecot/noSuchRequest', {});
    return performance.now() - start;
  };
  const atRest = [];
  for (let i = 0; i < runs.completions; i++) atRest.push(await nothingToDo());
  const afterEdit = [];
  for (let i = 0; i < runs.edits; i++) {
    validated = client.next(treeFilesNotification);
    const start = performance.now();
    client.notify('textDocument/didChange', {
      textDocument: { uri, version: i + 2 },
      contentChanges: [{ text: `protocols = ${i % 2 === 0 ? 'lmtp' : 'imap'}\n` }],
    });
    await client.request('dovecot/noSuchRequest', {});
    afterEdit.push(performance.now() - start);
    await validated;
    await client.request('textDocument/foldingRange', { textDocument: { uri } });
  }
  await client.close();
  return {
    atRest: { p50: median(atRest), p95: percentile(atRest, 95) },
    afterEdit: { p50: median(afterEdit), p95: percentile(afterEdit, 95) },
  };
}

// ---------------------------------------------------------------- hostile inputs

/** Hostile inputs (issue 14, items 4-8): one run each of the CLI bundle in process and of doveconf (killed after 20 s). */
function pathological() {
  const { run } = createRequire(import.meta.url)(CLI);
  const DOVECONF_KILL_MS = 20000;
  const BLOCK_8MB = 'service a {\n  process_limit = 5\n}\nmail_debug = yes\n';
  const cases = [
    ['1 MB unknown key', { 'dovecot.conf': `${'x'.repeat(1024 * 1024)} = 1\n` }],
    ['5 MB unknown key', { 'dovecot.conf': `${'x'.repeat(5 * 1024 * 1024)} = 1\n` }],
    ['200k continuation lines with $v', { 'dovecot.conf': `mail_plugins = ${'$v \\\n'.repeat(200000)}x\n` }],
    ['3,000 nested sections', { 'dovecot.conf': `${'service a {\n'.repeat(3000)}${'}\n'.repeat(3000)}` }],
    ['100,000 nested sections', { 'dovecot.conf': `${'service a {\n'.repeat(100000)}${'}\n'.repeat(100000)}` }],
    ['7.9 MB file', { 'dovecot.conf': BLOCK_8MB.repeat(Math.floor((7.9 * 1024 * 1024) / BLOCK_8MB.length)) }],
    [
      '50 MB file (past the 8 MB limit)',
      { 'dovecot.conf': 'mail_debug = yes\n'.repeat(Math.ceil((50 * 1024 * 1024) / 17)) },
    ],
    [
      'glob include cycle of 9 files',
      Object.fromEntries(
        [...'abcdefghi'].map((name) => [name === 'a' ? 'dovecot.conf' : `${name}.conf`, '!include *.conf\n']),
      ),
    ],
    [
      '20,000-file glob',
      {
        'dovecot.conf': '!include conf.d/*.conf\n',
        ...Object.fromEntries(
          Array.from({ length: 20000 }, (_, i) => [`conf.d/${String(i).padStart(5, '0')}.conf`, 'mail_debug = yes\n']),
        ),
      },
    ],
    ['!include /dev/zer[o] (doveconf not run: reads forever)', { 'dovecot.conf': '!include /dev/zer[o]\n' }, false],
  ];
  console.log(
    `\nhostile inputs: one run each (dovecot-lint in process on dist/cli.js); doveconf killed after ${DOVECONF_KILL_MS / 1000} s`,
  );
  console.log(`${'input'.padEnd(56)}  ${'ours'.padStart(12)}  ${'doveconf -n'.padStart(14)}  output lines`);
  for (const [label, files, runDoveconf = true] of cases) {
    const dir = scratchDir('dovecot-bench-hostile-');
    for (const [name, text] of Object.entries(files)) {
      mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
      writeFileSync(path.join(dir, name), text);
    }
    let outputLines = 0;
    const count = (text) => {
      outputLines += text.split('\n').length;
    };
    const ours = timeRuns(1, () => run(['--no-config', path.join(dir, 'dovecot.conf')], count, count));
    let doveconf = 'not run';
    if (runDoveconf && haveDoveconf) {
      const start = performance.now();
      const result = spawnSync('doveconf', ['-n', '-c', 'dovecot.conf'], {
        cwd: dir,
        stdio: 'ignore',
        timeout: DOVECONF_KILL_MS,
        killSignal: 'SIGKILL',
      });
      doveconf = result.error ? 'killed' : fmt(performance.now() - start);
    }
    console.log(`${label.padEnd(56)}  ${fmt(ours).padStart(12)}  ${doveconf.padStart(14)}  ${outputLines}`);
  }
}

// ---------------------------------------------------------------- the goals

/** The language server over stdio: start to first diagnostics, completion, edit to diagnostics, peak RSS. */
async function serverGoals(trees, results) {
  console.log(
    `\nlanguage server (node ${SERVER_NODE_OPTIONS.join(' ')} dist/server.js, as the extension starts it, over stdio)`,
  );
  // Node's own start, with the same options and interleaved: it moves with the machine, and the goal includes it.
  const starts = [];
  const bareNode = [];
  for (let i = 0; i < 7; i++) {
    starts.push(await startToDiagnostics(trees[10000]));
    bareNode.push(bareNodeMs(SERVER_NODE_OPTIONS));
  }
  results.start = median(starts);
  console.log(
    `  start to first diagnostics, ${trees[10000].lines}-line tree in ${trees[10000].files} files: median of 7 ${fmt(results.start)} (node running an empty file with these options: ${fmt(median(bareNode))})`,
  );
  console.log(
    `  ${'lines'.padStart(7)}  ${'completion p50/p95'.padStart(19)}  ${'after an edit p50/p95'.padStart(22)}  ${'edit→diagnostics (150 ms debounce / none)'.padStart(42)}  ${'peak RSS'.padStart(9)}`,
  );
  results.server = {};
  for (const size of [10000, 100000]) {
    const runs = SERVER_RUNS[size];
    const withDebounce = await serverFigures(trees[size], true, runs);
    const without = await serverFigures(trees[size], false, runs);
    const peakRssMb = Math.max(withDebounce.peakRssMb, without.peakRssMb);
    results.server[size] = {
      completionP95: without.completion.p95,
      afterEditP95: withDebounce.completionAfterEdit.p95,
      peakRssMb,
    };
    console.log(
      `  ${String(trees[size].lines).padStart(7)}  ${pair(without.completion).padStart(19)}  ${pair(withDebounce.completionAfterEdit).padStart(22)}  ${`${fmt(withDebounce.editToDiagnostics)} / ${fmt(without.editToDiagnostics)}`.padStart(42)}  ${`${peakRssMb.toFixed(0)} MB`.padStart(9)}`,
    );
  }
  const floor = await transportFloor(SERVER_RUNS[10000]);
  console.log(
    `  ${'no work'.padStart(7)}  ${pair(floor.atRest).padStart(19)}  ${pair(floor.afterEdit).padStart(22)}  (round trips of a request the server does not know, alone and after an edit of a one-line document: what the pipes and scheduling cost on this machine)`,
  );
  console.log(
    `  (completion: ${SERVER_RUNS[10000].completions} requests at 5 places of one file, without the debounce; after an edit: didChange + completion at once, with the debounce as users run it, ${SERVER_RUNS[10000].edits} times at 10k and ${SERVER_RUNS[100000].edits} at 100k; edit→diagnostics: median of ${SERVER_RUNS[10000].flips} / ${SERVER_RUNS[100000].flips})`,
  );
}

const verdict = (ok) => (ok ? 'met' : 'NOT MET');

/** The server's goals, met or not. */
function serverVerdicts(results) {
  return [
    `start→diagnostics 10k ${fmt(results.start)} (≤${GOALS.startMs}) ${verdict(results.start <= GOALS.startMs)}`,
    ...[10000, 100000].map(
      (size) =>
        `completion p95 ${size / 1000}k ${fmt(results.server[size].completionP95)} (≤${GOALS.completionP95Ms}) ${verdict(results.server[size].completionP95 <= GOALS.completionP95Ms)}`,
    ),
    ...[10000, 100000].map(
      (size) =>
        `completion p95 right after an edit ${size / 1000}k ${fmt(results.server[size].afterEditP95)} (≤${GOALS.completionP95Ms}) ${verdict(results.server[size].afterEditP95 <= GOALS.completionP95Ms)}`,
    ),
    `peak RSS 100k ${results.server[100000].peakRssMb.toFixed(0)} MB (≤${GOALS.peakRssMb}) ${verdict(results.server[100000].peakRssMb <= GOALS.peakRssMb)}`,
  ];
}

/** `--server`: only the language server's figures (the CLI and doveconf parts are skipped). */
async function serverOnly() {
  console.log(
    `dovecot-lint benchmark, language server only (node ${process.version}); load average at start: ${loadAverage()}`,
  );
  const trees = { 10000: generateTree(10000), 100000: generateTree(100000) };
  const results = {};
  await serverGoals(trees, results);
  console.log(`\nload average at end: ${loadAverage()}`);
  console.log(`SUMMARY (server only): ${serverVerdicts(results).join('; ')}`);
}

/** The full parse + analysis table (1k/10k/100k lines, with doveconf -n); the generated trees, by size. */
function analysisTable(run, results) {
  console.log(
    `\nfull parse + analysis (${FILES_PER_TREE} conf.d files + dovecot.conf): in process = run() of dist/cli.js, median of ${IN_PROCESS_RUNS};`,
  );
  console.log('process = `node dist/cli.js ROOT`, median of 5; doveconf = `doveconf -n -c ROOT`, median of 3');
  console.log(
    `${'lines'.padStart(8)}  ${'in process'.padStart(11)}  ${'process'.padStart(9)}  ${'doveconf -n'.padStart(12)}  ${'doveconf / in process'.padStart(21)}`,
  );
  const trees = {};
  for (const size of [1000, 10000, 100000]) {
    const tree = generateTree(size);
    trees[size] = tree;
    const inProcess = timeRuns(IN_PROCESS_RUNS, () =>
      run(
        ['--no-config', tree.root],
        () => {},
        () => {},
      ),
    );
    const processMs = cliProcessMs(tree.root, 5);
    const doveconf = doveconfMs(tree.root, 3);
    const speedup = doveconf === undefined ? undefined : doveconf / inProcess;
    if (size === 100000) results.analysis = { inProcess, doveconf, speedup };
    console.log(
      `${String(tree.lines).padStart(8)}  ${fmt(inProcess).padStart(11)}  ${fmt(processMs).padStart(9)}  ${fmt(doveconf).padStart(12)}  ${(speedup === undefined ? 'n/a' : `${speedup.toFixed(1)}x`).padStart(21)}`,
    );
  }
  return trees;
}

async function goals() {
  const { run } = createRequire(import.meta.url)(CLI);
  const results = {};
  console.log(
    `dovecot-lint benchmark on the bundles (node ${process.version}); load average at start: ${loadAverage()}`,
  );
  if (process.env.NODE_EXTRA_CA_CERTS)
    console.log(
      'NODE_EXTRA_CA_CERTS is set here: the bundles run without it (it makes every node start read a CA bundle)',
    );
  if (!haveDoveconf) console.log('doveconf not installed: its column shows n/a');

  const trees = analysisTable(run, results);

  if (existsSync(STOCK_ROOT)) {
    // Interleaved, so a change of load touches both the same way.
    const ours = [];
    const theirs = [];
    for (let i = 0; i < 21; i++) {
      ours.push(cliProcessMs(STOCK_ROOT, 1));
      if (haveDoveconf) theirs.push(doveconfMs(STOCK_ROOT, 1));
    }
    const bareNode = median(Array.from({ length: 21 }, () => bareNodeMs()));
    results.stock = { ours: median(ours), doveconf: haveDoveconf ? median(theirs) : undefined };
    const ratio = results.stock.doveconf ? results.stock.ours / results.stock.doveconf : undefined;
    results.stock.ratio = ratio;
    console.log(
      `\nCLI on ${STOCK_ROOT} as a whole process, median of 21 (interleaved): dovecot-lint ${fmt(results.stock.ours)}, doveconf -n ${fmt(results.stock.doveconf)}, ratio ${ratio === undefined ? 'n/a' : `${ratio.toFixed(1)}x`} (node running an empty file: ${fmt(bareNode)})`,
    );
  } else {
    console.log(`\n${STOCK_ROOT} not found: the stock-tree comparison is skipped`);
  }

  await serverGoals(trees, results);

  const figures = [
    ...serverVerdicts(results),
    results.analysis.speedup === undefined
      ? 'analysis 100k vs doveconf n/a'
      : `analysis 100k ${results.analysis.speedup.toFixed(1)}x faster than doveconf (≥${GOALS.analysisSpeedup}x) ${verdict(results.analysis.speedup >= GOALS.analysisSpeedup)}`,
    results.stock?.ratio === undefined
      ? 'CLI stock tree vs doveconf n/a'
      : `CLI stock tree ${results.stock.ratio.toFixed(1)}x doveconf (≤${GOALS.cliStockRatio}x) ${verdict(results.stock.ratio <= GOALS.cliStockRatio)}`,
  ];
  console.log(`\nload average at end: ${loadAverage()}`);
  console.log(`SUMMARY: ${figures.join('; ')}`);
}

/** `--analysis`: only the full parse + analysis table (about a minute). */
function analysisOnly() {
  const { run } = createRequire(import.meta.url)(CLI);
  const results = {};
  console.log(
    `dovecot-lint benchmark, parse + analysis only (node ${process.version}); load average at start: ${loadAverage()}`,
  );
  analysisTable(run, results);
  console.log(`\nload average at end: ${loadAverage()}`);
  const { speedup } = results.analysis;
  console.log(
    `SUMMARY (analysis only): ${speedup === undefined ? 'analysis 100k vs doveconf n/a' : `analysis 100k ${speedup.toFixed(1)}x faster than doveconf (≥${GOALS.analysisSpeedup}x) ${verdict(speedup >= GOALS.analysisSpeedup)}`}`,
  );
}

if (process.argv.includes('--pathological')) {
  pathological();
} else if (process.argv.includes('--analysis')) {
  analysisOnly();
} else if (process.argv.includes('--server')) {
  await serverOnly();
} else {
  await goals();
  if (process.argv.includes('--all')) pathological();
}
