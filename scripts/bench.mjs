// Benchmark (not a test): parse + analyse generated configs of 1k, 10k and 100k lines with the
// in-process language service, and the same files with `doveconf -n -c` when it is installed.
// Also: completion latency on the 10k tree, re-analysis time after a one-line edit, and hostile inputs
// (huge keys, long continuations, deep nesting, glob cycles, 20,000-file globs) beside doveconf.
// Usage: npm run bench   (runs the build first; imports the pure service through tsx)
//        npm run bench -- --pathological   (only the hostile inputs)
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';

// The pure service is TypeScript: run this script again under tsx (as the unit tests do).
if (!process.env.DOVECOT_BENCH_UNDER_TSX) {
  const child = spawnSync(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), ...process.argv.slice(2)], {
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

/** Hostile inputs (issue 14, items 4-8): one run each of ours and of doveconf (killed after 20 s). */
function pathological() {
  const DOVECONF_KILL_MS = 20000;
  const BLOCK_8MB = 'service a {\n  process_limit = 5\n}\nmail_debug = yes\n';
  const cases = [
    ['1 MB unknown key', { 'dovecot.conf': `${'x'.repeat(1024 * 1024)} = 1\n` }],
    ['5 MB unknown key', { 'dovecot.conf': `${'x'.repeat(5 * 1024 * 1024)} = 1\n` }],
    ['200k continuation lines with $v', { 'dovecot.conf': `mail_plugins = ${'$v \\\n'.repeat(200000)}x\n` }],
    ['3,000 nested sections', { 'dovecot.conf': `${'service a {\n'.repeat(3000)}${'}\n'.repeat(3000)}` }],
    ['100,000 nested sections', { 'dovecot.conf': `${'service a {\n'.repeat(100000)}${'}\n'.repeat(100000)}` }],
    ['7.9 MB file', { 'dovecot.conf': BLOCK_8MB.repeat(Math.floor((7.9 * 1024 * 1024) / BLOCK_8MB.length)) }],
    ['50 MB file (past the 8 MB limit)', { 'dovecot.conf': 'mail_debug = yes\n'.repeat(Math.ceil((50 * 1024 * 1024) / 17)) }],
    ['glob include cycle of 9 files', Object.fromEntries([...'abcdefghi'].map((name) => [name === 'a' ? 'dovecot.conf' : `${name}.conf`, '!include *.conf\n']))],
    ['20,000-file glob', { 'dovecot.conf': '!include conf.d/*.conf\n', ...Object.fromEntries(Array.from({ length: 20000 }, (_, i) => [`conf.d/${String(i).padStart(5, '0')}.conf`, 'mail_debug = yes\n'])) }],
    ['!include /dev/zer[o] (doveconf not run: reads forever)', { 'dovecot.conf': '!include /dev/zer[o]\n' }, false],
  ];
  console.log(`\nhostile inputs: one run each; doveconf killed after ${DOVECONF_KILL_MS / 1000} s`);
  console.log(`${'input'.padEnd(56)}  ${'ours'.padStart(12)}  ${'doveconf -n'.padStart(14)}  diagnostics`);
  for (const [label, files, runDoveconf = true] of cases) {
    const dir = mkdtempSync(path.join(tmpdir(), 'dovecot-bench-hostile-'));
    for (const [name, text] of Object.entries(files)) {
      mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
      writeFileSync(path.join(dir, name), text);
    }
    let diagnostics = 0;
    const ours = time(() => {
      diagnostics = new DovecotLanguageService(new DiskHost()).analyze(path.join(dir, 'dovecot.conf')).diagnostics.length;
    }, 1);
    let doveconf = 'not run';
    if (runDoveconf && haveDoveconf) {
      const start = performance.now();
      const result = spawnSync('doveconf', ['-n', '-c', 'dovecot.conf'], { cwd: dir, stdio: 'ignore', timeout: DOVECONF_KILL_MS, killSignal: 'SIGKILL' });
      doveconf = result.error ? 'killed' : fmt(performance.now() - start);
    }
    console.log(`${label.padEnd(56)}  ${fmt(ours).padStart(12)}  ${doveconf.padStart(14)}  ${diagnostics}`);
  }
}

if (process.argv.includes('--pathological')) {
  pathological();
  process.exit(0);
}

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

pathological();
