// Benchmark (not a test): parse + analyse generated configs of 1k, 10k and 100k lines with the
// in-process language service, and the same files with `doveconf -n -c` when it is installed.
// Also: completion latency on the 10k tree and re-analysis time after a one-line edit.
// Usage: npm run bench   (runs the build first; imports the pure service through tsx)
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';

// The pure service is TypeScript: run this script again under tsx (as the unit tests do).
if (!process.env.DOVECOT_BENCH_UNDER_TSX) {
  const child = spawnSync(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url)], {
    stdio: 'inherit',
    env: { ...process.env, DOVECOT_BENCH_UNDER_TSX: '1' },
  });
  process.exit(child.status ?? 1);
}
const { DovecotLanguageService } = await import('../server/src/service/languageService.ts');
const { DiskHost, OverlayHost } = await import('../server/src/service/model/diskHost.ts');
const { doComplete } = await import('../server/src/service/features/completion.ts');

const RUNS = 5;
const FILES_PER_TREE = 20;

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

/** A tree: dovecot.conf including conf.d/*.conf, `lines` physical lines in total. */
function generateTree(lines) {
  const dir = mkdtempSync(path.join(tmpdir(), `dovecot-bench-${lines}-`));
  mkdirSync(path.join(dir, 'conf.d'));
  const header = ['# generated for the benchmark', 'protocols = imap lmtp', 'mail_plugins = acl', '!include conf.d/*.conf', ''];
  const perBlock = block(0).length;
  const blocks = Math.max(1, Math.round((lines - header.length) / perBlock));
  const perFile = Math.ceil(blocks / FILES_PER_TREE);
  writeFileSync(path.join(dir, 'dovecot.conf'), header.join('\n'));
  let total = header.length;
  for (let f = 0; f * perFile < blocks; f++) {
    const text = [];
    for (let b = f * perFile; b < Math.min(blocks, (f + 1) * perFile); b++) text.push(...block(b));
    writeFileSync(path.join(dir, 'conf.d', `${String(f).padStart(2, '0')}-part.conf`), text.join('\n'));
    total += text.length;
  }
  return { dir, root: path.join(dir, 'dovecot.conf'), lines: total };
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

function time(fn, runs = RUNS) {
  const samples = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    fn();
    samples.push(performance.now() - start);
  }
  return median(samples);
}

const haveDoveconf = spawnSync('doveconf', ['--help']).error === undefined;
const fmt = (ms) => (ms === undefined ? 'n/a' : `${ms.toFixed(1)} ms`);

console.log(`dovecot-lint benchmark: median of ${RUNS} runs, ${FILES_PER_TREE} conf.d files per tree`);
if (!haveDoveconf) console.log('doveconf not installed: its column shows n/a');
console.log(`${'lines'.padStart(8)}  ${'ours (parse+analyse)'.padStart(22)}  ${'doveconf -n'.padStart(12)}  ${'ours/doveconf'.padStart(13)}  ${'errors'.padStart(6)}`);
const trees = {};
for (const size of [1000, 10000, 100000]) {
  const tree = generateTree(size);
  trees[size] = tree;
  let errors = 0;
  const ours = time(() => {
    const service = new DovecotLanguageService(new DiskHost());
    errors = service.analyze(tree.root).diagnostics.filter((d) => d.level === 'error').length;
  });
  const doveconf = haveDoveconf
    ? time(() => spawnSync('doveconf', ['-n', '-c', 'dovecot.conf'], { cwd: tree.dir }), 3)
    : undefined;
  const ratio = doveconf ? (ours / doveconf).toFixed(2) : 'n/a';
  console.log(`${String(tree.lines).padStart(8)}  ${fmt(ours).padStart(22)}  ${fmt(doveconf).padStart(12)}  ${ratio.padStart(13)}  ${String(errors).padStart(6)}`);
}

// Completion latency and incremental re-analysis on the 10k tree, as the LSP server runs them.
const tree = trees[10000];
const openBuffers = new Map();
const overlay = new OverlayHost((filePath) => openBuffers.get(filePath), new DiskHost());
const service = new DovecotLanguageService(overlay);
const analysis = service.analyze(tree.root);
const file = path.join(tree.dir, 'conf.d', '05-part.conf');
const text = overlay.readFile(file);
const fileLines = text.split('\n');
const positions = [
  ['top level, start of a line', { line: 0, character: 0 }],
  ['inside service', { line: 3, character: 2 }],
  ['inside unix_listener', { line: 5, character: 4 }],
  ['inside plugin {}', { line: 24, character: 2 }],
  ['last line of the file', { line: fileLines.length - 1, character: 0 }],
];
console.log('\ncompletion latency (10k-line tree, doComplete on a file of the tree):');
for (const [label, position] of positions) {
  let count = 0;
  const ms = time(() => { count = doComplete(analysis, file, position).length; }, 20);
  console.log(`  ${label.padEnd(28)} ${fmt(ms).padStart(10)}  (${count} items)`);
}

const edited = fileLines.map((line, i) => (i === 3 ? '  process_limit = 11' : line)).join('\n');
let flip = false;
const incremental = time(() => {
  flip = !flip;
  openBuffers.set(file, flip ? edited : text);
  service.analyze(tree.root);
});
const full = time(() => new DovecotLanguageService(new DiskHost()).analyze(tree.root));
console.log(`\nre-analysis after a one-line edit (10k tree, other files from the parse cache): ${fmt(incremental)}; cold: ${fmt(full)}`);
