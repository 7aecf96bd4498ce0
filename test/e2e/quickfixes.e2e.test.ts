// End to end: broken replication variants from the lab's break-it table are repaired with nothing but the
// linter's own quick fixes (placeholders filled with the lab's values); two real Dovecot 2.3 instances
// (test/e2e/lab.sh) must then replicate a delivered message from A to B.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { LintDiagnostic } from '../../server/src/service/analysis/analyzer';
import type { QuickFix } from '../../server/src/service/features/quickFix';
import { getLanguageService } from '../../server/src/service/dovecotLanguageService';
import { MemoryHost } from '../../server/src/service/model/host';
import {
  REPLICATION_RULES,
  applyEdits,
  describeDiagnostics,
  toLspDiagnostic,
  type Files,
} from '../fixtures/replication/kit';
import { Lab, LAB_IP, labSkipReason, withOneRetry } from './lab';

const TEMPLATES = join(__dirname, 'templates');
const IP = { a: LAB_IP.A, b: LAB_IP.B } as const;
const PASSWORD = 'e2e-quickfix-lab-password-7f3K9q';
const PORT = 20000 + (process.pid % 20000);
const MAIL_USER = 'mail';
const REPLICATION_TIMEOUT_SECONDS = 10;

type Mutation = [from: string, to: string];

interface Variant {
  id: string;
  mistake: string;
  /** Applied to the known-good 90-replication.conf template of both hosts. */
  mutations: Mutation[];
  /** Break host A only (the lab's cases d, g, m); else both hosts. */
  onlyA?: boolean;
  /** Rules the broken config must raise on host A before fixing. */
  expect: string[];
}

const LISTENER = '  inet_listener {\n    port = @PORT@\n    ssl = @LISTENER_SSL@\n  }\n';
const AGGREGATOR =
  'service aggregator {\n  fifo_listener replication-notify-fifo {\n    user = @MAIL_USER@\n    mode = 0600\n  }\n  unix_listener replication-notify {\n    user = @MAIL_USER@\n    mode = 0600\n  }\n}\n';

const VARIANTS: Variant[] = [
  {
    id: 'a',
    mistake: 'no notify',
    mutations: [['$mail_plugins notify replication', '$mail_plugins replication']],
    expect: ['replication-notify-missing'],
  },
  {
    id: 'b',
    mistake: 'no replication plugin',
    mutations: [['$mail_plugins notify replication', '$mail_plugins notify']],
    expect: ['replication-plugin-missing'],
  },
  {
    id: 'c',
    mistake: 'no mail_replica',
    mutations: [['plugin {\n  mail_replica = @PROTO@:@PEER_IP@:@PORT@\n}\n', '']],
    expect: ['mail-replica-missing'],
  },
  {
    id: 'e',
    mistake: 'no port at all',
    mutations: [
      ['doveadm_port = @PORT@\n', ''],
      ['@PROTO@:@PEER_IP@:@PORT@', '@PROTO@:@PEER_IP@'],
    ],
    expect: ['doveadm-port-missing'],
  },
  { id: 'f', mistake: 'no inet_listener', mutations: [[LISTENER, '']], expect: ['doveadm-listener-missing'] },
  {
    id: 'h1',
    mistake: 'tcps to a plain listener',
    mutations: [['@PROTO@:@PEER_IP@', 'tcps:@PEER_IP@']],
    expect: ['tcps-listener-no-ssl'],
  },
  {
    id: 'd',
    mistake: 'doveadm_password differs (A)',
    onlyA: true,
    mutations: [['doveadm_password = @PASSWORD@', 'doveadm_password = a-different-long-password-on-A']],
    expect: ['peer-password-mismatch'],
  },
  {
    id: 'g',
    mistake: 'mail_replica port differs from the listener (A)',
    onlyA: true,
    mutations: [['@PEER_IP@:@PORT@', '@PEER_IP@:4321']],
    expect: ['doveadm-port-mismatch', 'peer-port-mismatch'],
  },
  {
    id: 'm',
    mistake: 'mail_replica points at itself (A)',
    onlyA: true,
    mutations: [['@PROTO@:@PEER_IP@', '@PROTO@:@IP@']],
    expect: ['mail-replica-self'],
  },
  {
    id: 'i2',
    mistake: 'no service aggregator',
    mutations: [[AGGREGATOR, '']],
    expect: ['aggregator-fifo-permissions', 'aggregator-socket-permissions'],
  },
];

/** The lab in `workdir`, on this run's port, with the password the fixes are filled with. */
function labIn(workdir: string): Lab {
  return new Lab(workdir, { LAB_PORT: String(PORT), LAB_PASSWORD: PASSWORD, LAB_READY_TIMEOUT: '10' });
}

/** The same substitutions lab.sh's render_to makes (LAB_TLS unset: tcp, listener ssl = no). */
function render(text: string, workdir: string, x: 'a' | 'b'): string {
  const peer = x === 'a' ? 'b' : 'a';
  const id = (flag: string) => execFileSync('id', [flag, MAIL_USER], { encoding: 'utf8' }).trim();
  const values: Record<string, string> = {
    LAB: workdir,
    NAME: x,
    DIR: `${workdir}/${x}`,
    IP: IP[x],
    PEER_IP: IP[peer],
    PORT: String(PORT),
    PROTO: 'tcp',
    LISTENER_SSL: 'no',
    PASSWORD,
    CA_FILE: `${workdir}/certs/ca.pem`,
    CERT: `${workdir}/certs/${x}.crt`,
    KEY: `${workdir}/certs/${x}.key`,
    MAIL_USER,
    MAIL_UID: id('-u'),
    MAIL_GID: id('-g'),
    IMAP_PORT: '10143',
    PROTOCOLS: 'none',
    DEBUG: 'no',
  };
  return text.replace(/@([A-Z_]+)@/g, (match, name: string) => values[name] ?? match);
}

function brokenTemplate(variant: Variant): string {
  let text = readFileSync(join(TEMPLATES, 'replication-good', '90-replication.conf'), 'utf8');
  for (const [from, to] of variant.mutations) {
    assert.ok(text.includes(from), `variant ${variant.id}: template lacks ${JSON.stringify(from)}`);
    text = text.replace(from, to);
  }
  return text;
}

/** Both hosts' trees as lab.sh renders them, at their real paths under the workdir. */
function renderTrees(variant: Variant, workdir: string): Files {
  const files: Files = {};
  for (const x of ['a', 'b'] as const) {
    const etc = `${workdir}/${x}/etc`;
    files[`${etc}/dovecot.conf`] = render(readFileSync(join(TEMPLATES, 'dovecot.conf'), 'utf8'), workdir, x);
    for (const name of readdirSync(join(TEMPLATES, 'conf.d')).filter((n) => n.endsWith('.conf'))) {
      files[`${etc}/conf.d/${name}`] = render(readFileSync(join(TEMPLATES, 'conf.d', name), 'utf8'), workdir, x);
    }
    const broken = x === 'a' || !variant.onlyA;
    files[`${etc}/conf.d/90-replication.conf`] = render(
      broken
        ? brokenTemplate(variant)
        : readFileSync(join(TEMPLATES, 'replication-good', '90-replication.conf'), 'utf8'),
      workdir,
      x,
    );
  }
  return files;
}

/** Placeholder defaults of our fixes, mapped to the lab's values. */
function labValue(placeholder: string, code: string, host: 'a' | 'b'): string {
  if (code.includes('password')) return PASSWORD;
  const values: Record<string, string> = {
    vmail: MAIL_USER,
    'peer.example.com': IP[host === 'a' ? 'b' : 'a'],
    '12345': String(PORT),
  };
  return values[placeholder] ?? placeholder;
}

function fillPlaceholders(text: string, code: string, host: 'a' | 'b'): string {
  return text
    .replace(/\$\{\d+:((?:\\.|[^}\\])*)\}/g, (_m, value: string) => labValue(value.replace(/\\(.)/g, '$1'), code, host))
    .replace(/\\([$\\}])/g, '$1');
}

function applyQuickFix(files: Files, fix: QuickFix, code: string, host: 'a' | 'b'): Files {
  const result = { ...files };
  for (const [file, edits] of Object.entries(fix.edits)) {
    assert.ok(file in files, `fix edits ${file}, outside both trees`);
    const filled = fix.snippet
      ? edits.map((edit) => ({ ...edit, newText: fillPlaceholders(edit.newText, code, host) }))
      : edits;
    result[file] = applyEdits(files[file], filled);
  }
  return result;
}

function analyze(files: Files, workdir: string, host: 'a' | 'b') {
  const memory = new MemoryHost(files);
  const root = `${workdir}/${host}/etc/dovecot.conf`;
  const peerRoot = `${workdir}/${host === 'a' ? 'b' : 'a'}/etc/dovecot.conf`;
  return { analysis: getLanguageService(memory).analyze(root, { peerRoot }), memory };
}

const serious = (d: LintDiagnostic) => REPLICATION_RULES.has(d.code) && (d.level === 'error' || d.level === 'warning');

/** Applies the preferred quick fix of the first serious replication diagnostic, host A first, until none is left. */
function fixEverything(files: Files, workdir: string): { files: Files; applied: string[] } {
  let current = files;
  const applied: string[] = [];
  for (let round = 0; round < 12; round++) {
    let progressed = false;
    for (const host of ['a', 'b'] as const) {
      const { analysis, memory } = analyze(current, workdir, host);
      const diagnostic = analysis.diagnostics.find(serious);
      if (!diagnostic) continue;
      const fixes = getLanguageService(memory)
        .doQuickFixes(analysis, diagnostic.file, [toLspDiagnostic(diagnostic)], memory, { snippetEdits: true })
        .map(({ fix }) => fix)
        .filter((fix) => !fix.title.startsWith('Ignore'));
      assert.ok(fixes.length > 0, `no quick fix for ${diagnostic.code}`);
      const fix = fixes.find((candidate) => candidate.isPreferred) ?? fixes[0];
      current = applyQuickFix(current, fix, String(diagnostic.code), host);
      applied.push(`${host.toUpperCase()}: ${diagnostic.code} -> ${fix.title}`);
      progressed = true;
      break;
    }
    if (!progressed) return { files: current, applied };
  }
  assert.fail(`quick fixes did not converge: ${applied.join('; ')}`);
}

function writeOverrides(files: Files, rendered: Files, workdir: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const x of ['a', 'b'] as const) {
    const etc = `${workdir}/${x}/etc`;
    assert.equal(
      files[`${etc}/dovecot.conf`],
      rendered[`${etc}/dovecot.conf`],
      'fixes must not need dovecot.conf (lab.sh cannot override it)',
    );
    const dir = `${workdir}/fixed-${x}`;
    mkdirSync(dir, { recursive: true });
    for (const [file, text] of Object.entries(files)) {
      // 90-replication.conf is not one of lab.sh's base templates: always pass it.
      const replication = file === `${etc}/conf.d/90-replication.conf`;
      if (file.startsWith(`${etc}/conf.d/`) && (replication || text !== rendered[file]))
        writeFileSync(join(dir, file.slice(`${etc}/conf.d/`.length)), text);
    }
    env[`LAB_CONF_${x.toUpperCase()}`] = dir;
  }
  return env;
}

const reason = labSkipReason();

for (const variant of VARIANTS) {
  test(
    `break-it case ${variant.id} (${variant.mistake}): our quick fixes alone make real Dovecot replicate`,
    { skip: reason ? `SKIPPED: ${reason}` : false },
    () => {
      const workdir = `/tmp/dlqf-${process.pid}-${variant.id}`;
      const lab = labIn(workdir);
      const started = Date.now();
      try {
        const rendered = renderTrees(variant, workdir);
        const before = analyze(rendered, workdir, 'a').analysis.diagnostics;
        for (const code of variant.expect)
          assert.ok(
            before.some((d) => d.code === code),
            `broken variant ${variant.id} does not raise ${code}:\n${describeDiagnostics(before)}`,
          );

        const { files, applied } = fixEverything(rendered, workdir);
        for (const host of ['a', 'b'] as const) {
          const left = analyze(files, workdir, host).analysis.diagnostics.filter(serious);
          assert.deepEqual(left, [], `host ${host} still has problems after the fixes`);
        }

        const seconds = withOneRetry(lab, () => {
          lab.ok(['init']);
          lab.ok(['up'], writeOverrides(files, rendered, workdir));
          const messageId = lab.ok(['deliver', 'alice@lab.test']);
          return lab.ok(['wait-replicated', 'alice@lab.test', messageId, String(REPLICATION_TIMEOUT_SECONDS)]);
        });
        console.log(
          `# ${variant.id}: fixes [${applied.join('; ')}]; A -> B ${seconds} s; case total ${((Date.now() - started) / 1000).toFixed(1)} s`,
        );
      } finally {
        lab.down();
      }
    },
  );
}

test(
  'control: the unfixed i2 variant really does not replicate (so the checks above can fail)',
  { skip: reason ? `SKIPPED: ${reason}` : false },
  () => {
    const variant = VARIANTS.find((candidate) => candidate.id === 'i2')!;
    const workdir = `/tmp/dlqf-${process.pid}-control`;
    const lab = labIn(workdir);
    try {
      lab.ok(['init']);
      const rendered = renderTrees(variant, workdir);
      lab.run(['up'], writeOverrides(rendered, rendered, workdir));
      const messageId = lab.ok(['deliver', 'alice@lab.test']);
      const waited = lab.run(['wait-replicated', 'alice@lab.test', messageId, '3']);
      assert.equal(waited.status, 1, `the broken config replicated anyway:\n${waited.stdout}${waited.stderr}`);
      assert.match(lab.run(['log', 'A']).stdout, /replication-notify-fifo\) failed: Permission denied/);
    } finally {
      lab.down();
    }
  },
);

if (reason) console.log(`SKIPPED: quick-fix e2e: ${reason}`);
