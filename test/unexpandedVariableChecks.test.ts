// Dovecot 2.3: a `$name` in a typed setting that Dovecot expands when it starts but `doveconf -n` checks
// as written. The expected doveconf messages and values below were given by doveconf 2.3.19 (`-n`, and
// `-x -n`, which reads the configuration with variables expanded as Dovecot's config service does; the
// daemon itself was checked to start on the firing cases). With doveconf installed, every case is run
// through it again: where we warn, `doveconf -n` stops at that line with the message we quote, `-x`
// accepts the value we say Dovecot uses, and the quick-fixed file gives `doveconf -n` the same
// configuration as `-x` gave the original; where we are silent, `doveconf -n` accepts or `-x` fails too.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { getLanguageService } from '../server/src/service/dovecotLanguageService';
import { DiskHost } from '../server/src/service/model/diskHost';
import { MemoryHost } from '../server/src/service/model/host';
import { tempDir } from './helpers/tempDir';
import { doveconfInstalled, parseVerdict, runDoveconf } from './oracle/cases';

const ROOT = '/etc/dovecot/dovecot.conf';
const CODE = 'variable-fails-doveconf';

interface Warned {
  /** 0-based line, doveconf's message there, the value Dovecot uses. */
  line: number;
  doveconf: string;
  value: string;
  /** doveconf names no line: the check runs once the whole configuration is read. */
  afterReading?: true;
}

const WARNED: Array<{ name: string; text: string; warned: Warned[] }> = [
  {
    name: 'a service vsz_limit from the default',
    text: 'service imap {\n  vsz_limit = $default_vsz_limit\n}\n',
    warned: [{ line: 1, doveconf: 'Invalid size: $default_vsz_limit', value: '256 M' }],
  },
  {
    name: 'a service vsz_limit from a value set before',
    text: 'default_vsz_limit = 1024M\nservice imap {\n  vsz_limit = $default_vsz_limit\n}\ndefault_vsz_limit = 2G\n',
    warned: [{ line: 2, doveconf: 'Invalid size: $default_vsz_limit', value: '1 G' }],
  },
  {
    name: 'numbers and a time in a service',
    text: 'service imap {\n  process_limit = $default_process_limit\n  client_limit = $default_client_limit\n  idle_kill = $default_idle_kill\n}\n',
    warned: [
      { line: 1, doveconf: 'Invalid number $default_process_limit: Not a valid number', value: '100' },
      { line: 2, doveconf: 'Invalid number $default_client_limit: Not a valid number', value: '1000' },
      { line: 3, doveconf: 'Invalid time interval: $default_idle_kill', value: '1 mins' },
    ],
  },
  {
    name: 'a protocol block starts from the defaults, not from the global value',
    text: 'default_client_limit = 500\nprotocol imap {\n  mail_max_userip_connections = $default_client_limit\n}\n',
    warned: [{ line: 2, doveconf: 'Invalid number $default_client_limit: Not a valid number', value: '1000' }],
  },
  {
    name: 'a boolean, an enum and a time at the top level',
    text: 'mail_debug = $auth_debug\nlock_method = $mbox_read_locks\nmailbox_idle_check_interval = $auth_cache_ttl\n',
    warned: [
      { line: 0, doveconf: 'Invalid boolean value: $auth_debug (use yes or no)', value: 'no' },
      { line: 1, doveconf: 'Invalid value: $mbox_read_locks', value: 'fcntl' },
      { line: 2, doveconf: 'Invalid time interval: $auth_cache_ttl', value: '1 hours' },
    ],
  },
  {
    name: 'a listener port, and a number with its unit written after it',
    text: 'service imap-login {\n  inet_listener imap {\n    port = $mail_max_userip_connections\n  }\n}\nmailbox_idle_check_interval = $default_client_limit secs\n',
    warned: [
      { line: 2, doveconf: 'Invalid port number $mail_max_userip_connections', value: '10' },
      { line: 5, doveconf: 'Invalid time interval: $default_client_limit secs', value: '1000 secs' },
    ],
  },
  {
    name: 'a value that itself came from a variable',
    text: 'default_process_limit = $default_client_limit\nservice imap {\n  process_limit = $default_process_limit\n}\n',
    warned: [
      { line: 0, doveconf: 'Invalid number $default_client_limit: Not a valid number', value: '1000' },
      { line: 2, doveconf: 'Invalid number $default_process_limit: Not a valid number', value: '1000' },
    ],
  },
  {
    name: "a service's type, checked once the configuration is read",
    text: 'hostname = worker\nservice imap {\n  type = $hostname\n}\n',
    warned: [{ line: 2, doveconf: 'Unknown service type: $hostname', value: 'worker', afterReading: true }],
  },
  {
    name: 'protocols, globally and in a protocol block (which reads its own value)',
    text: 'hostname = lmtp\nprotocols = imap $hostname\nprotocol imap {\n  hostname = pop3\n  protocols = imap $hostname\n}\n',
    warned: [
      { line: 1, doveconf: 'protocols: Unknown protocol: $hostname', value: 'imap lmtp', afterReading: true },
      { line: 4, doveconf: 'protocols: Unknown protocol: $hostname', value: 'imap pop3', afterReading: true },
    ],
  },
  {
    name: 'a namespace separator',
    text: 'hostname = /\nnamespace inbox {\n  separator = $hostname\n}\n',
    warned: [
      {
        line: 2,
        doveconf: "Namespace '': Hierarchy separator must be only one character long",
        value: '/',
        afterReading: true,
      },
    ],
  },
  {
    name: 'a mailbox special_use',
    text: 'hostname = \\Sent\nnamespace inbox {\n  mailbox Sent {\n    special_use = $hostname\n  }\n}\n',
    warned: [
      { line: 3, doveconf: 'mailbox Sent: unknown special_use: $hostname', value: '\\Sent', afterReading: true },
    ],
  },
  {
    name: 'a workarounds list',
    text: 'hostname = tb-lsub-flags\nimap_client_workarounds = $hostname\n',
    warned: [
      {
        line: 1,
        doveconf: 'imap_client_workarounds: Unknown workaround: $hostname',
        value: 'tb-lsub-flags',
        afterReading: true,
      },
    ],
  },
];

const SILENT: Array<{ name: string; text: string }> = [
  { name: 'a setting naming itself is expanded by doveconf too', text: 'default_vsz_limit = $default_vsz_limit\n' },
  {
    name: 'the same in a protocol block (it reads the global value)',
    text: 'mail_max_userip_connections = 20\nprotocol imap {\n  mail_max_userip_connections = $mail_max_userip_connections\n}\n',
  },
  { name: 'a string setting keeps $name as text', text: 'login_greeting = $hostname ready\n' },
  {
    name: 'the expanded value is no size either',
    text: 'service imap {\n  vsz_limit = $default_vsz_limit 1\n}\n',
  },
  { name: 'a size where a number goes', text: 'service imap {\n  process_limit = $default_vsz_limit\n}\n' },
  { name: 'a name Dovecot does not know there', text: 'service imap {\n  vsz_limit = $vsz_limit\n}\n' },
  {
    name: 'an environment variable, which the config service does not have',
    text: 'default_process_limit = $ENV:PL\n',
  },
];

function analyse(text: string) {
  const host = new MemoryHost({ [ROOT]: text });
  const service = getLanguageService(host);
  return { host, service, analysis: service.analyze(ROOT, { dovecotVersion: '2.3' }) };
}

/** The text with every warning's preferred quick fix applied. */
function fixAll(text: string): string {
  const { host, service, analysis } = analyse(text);
  const diagnostics = analysis.diagnostics
    .filter((d) => d.code === CODE)
    .map((d) => ({ range: d.range, message: d.message, code: d.code, data: d.data }));
  const edits = diagnostics.flatMap((diagnostic) => {
    const fix = service.doQuickFixes(analysis, ROOT, [diagnostic], host).find(({ fix: f }) => f.isPreferred)?.fix;
    assert.ok(fix, `no preferred fix at line ${diagnostic.range.start.line}`);
    return fix.edits[ROOT];
  });
  return TextDocument.applyEdits(TextDocument.create(ROOT, 'dovecot', 1, text), edits);
}

describe('variable-fails-doveconf (Dovecot 2.3)', () => {
  for (const { name, text, warned } of WARNED) {
    test(`warns: ${name}`, () => {
      const found = analyse(text).analysis.diagnostics.filter((d) => d.code === CODE);
      assert.deepEqual(
        found.map((d) => ({ line: d.range.start.line, level: d.level, data: d.data })),
        warned.map(({ line, value }) => ({ line, level: 'warning', data: { replacement: value } })),
      );
      found.forEach((d, i) => {
        const stops = warned[i].afterReading ? 'stops with' : 'stops here with';
        assert.ok(d.message.includes(`doveconf -n ${stops} "${warned[i].doveconf}"`), d.message);
        assert.ok(d.message.includes(`= ${warned[i].value})`), d.message);
      });
    });
  }

  for (const { name, text } of SILENT) {
    test(`silent: ${name}`, () => {
      assert.deepEqual(
        analyse(text)
          .analysis.diagnostics.filter((d) => d.code === CODE)
          .map((d) => d.message),
        [],
      );
    });
  }

  test('the quick fix writes the value and the warning goes', () => {
    const fixed = fixAll('service imap {\n  vsz_limit = $default_vsz_limit # as the default\n}\n');
    assert.equal(fixed, 'service imap {\n  vsz_limit = 256 M # as the default\n}\n');
    assert.deepEqual(analyse(fixed).analysis.diagnostics, []);
  });

  test('a 2.4 tree is not judged by this rule', () => {
    const text = 'dovecot_config_version = 2.4.4\ndovecot_storage_version = 2.4.4\nmail_debug = $auth_debug\n';
    const analysis = getLanguageService(new MemoryHost({ [ROOT]: text })).analyze(ROOT);
    assert.ok(!analysis.diagnostics.some((d) => d.code === CODE));
  });
});

/** Debian 12's stock tree with the commented `#vsz_limit = $default_vsz_limit` of 10-master.conf's imap-login service set. */
function stockWithVszLimit(): { root: string; master: string } {
  const dir = tempDir('debian-stock-vsz-');
  cpSync(path.join(__dirname, 'fixtures', 'debian-stock'), dir, { recursive: true });
  const master = path.join(dir, 'conf.d', '10-master.conf');
  const lines = readFileSync(master, 'utf8').split('\n');
  assert.equal(lines[34], '  #vsz_limit = $default_vsz_limit');
  lines[34] = '  vsz_limit = $default_vsz_limit';
  writeFileSync(master, lines.join('\n'));
  return { root: path.join(dir, 'dovecot.conf'), master };
}

test("Debian 12's stock example, uncommented: warned where doveconf stops", (t) => {
  const { root, master } = stockWithVszLimit();
  const warned = getLanguageService(new DiskHost())
    .analyze(root)
    .diagnostics.filter((d) => d.code === CODE)
    .map((d) => `${path.basename(d.file)}:${d.range.start.line + 1}`);
  assert.deepEqual(warned, ['10-master.conf:35']);
  if (!doveconfInstalled()) return t.skip('doveconf not installed');
  const { output, rc } = runDoveconf(root);
  const verdict = parseVerdict(output, rc);
  assert.deepEqual(
    [verdict.fatal?.file && path.resolve(path.dirname(root), verdict.fatal.file), verdict.fatal?.line],
    [master, 35],
  );
  assert.equal(verdict.fatal?.message, 'Invalid size: $default_vsz_limit');
});

/** Two listeners with the same `$hostname` path, which Dovecot reads as two paths: the value changes between them. */
const LISTENERS =
  'protocols = imap pop3\nhostname = imap-a\nservice imap {\n  unix_listener x {\n    path = $hostname\n  }\n}\nhostname = pop3-b\nservice pop3 {\n  unix_listener y {\n    path = $hostname\n  }\n}\n';
const LISTENERS_DOVECONF = 'duplicate listener: /run/dovecot/$hostname';

test('two listener paths doveconf -n reads as the same text, which Dovecot reads as two paths', () => {
  const { analysis } = analyse(LISTENERS);
  const found = analysis.diagnostics.filter((d) => d.code === CODE || d.code === 'duplicate-listener');
  assert.deepEqual(
    found.map((d) => [d.code, d.range.start.line, d.data]),
    [[CODE, 4, { replacement: 'imap-a' }]],
  );
  assert.ok(found[0].message.includes(`doveconf -n stops with "${LISTENERS_DOVECONF}"`), found[0].message);
  // Where Dovecot reads the same path twice too, doveconf's error stands.
  const same = analyse(LISTENERS.replace('hostname = pop3-b\n', ''));
  assert.deepEqual(
    same.analysis.diagnostics.filter((d) => d.code === CODE || d.code === 'duplicate-listener').map((d) => d.message),
    [LISTENERS_DOVECONF],
  );
});

describe('variable-fails-doveconf against the real doveconf 2.3', () => {
  const installed = doveconfInstalled();
  if (!installed) console.log('SKIPPED: doveconf not installed (Debian dovecot-core); the recorded cases were checked');
  const dir = installed ? tempDir('unexpanded-variable-') : '';
  const write = (name: string, text: string): string => {
    const file = path.join(dir, `${name.replace(/[^a-z0-9]+/gi, '-')}.conf`);
    writeFileSync(file, text);
    return file;
  };
  /** `doveconf [-x] -n` on the file: its exit status and the configuration it prints, comments left out. */
  const dump = (file: string, expand: boolean) => {
    const env = { ...process.env };
    delete env.PL;
    const args = [...(expand ? ['-x'] : []), '-n', '-c', path.basename(file)];
    const run = spawnSync('doveconf', args, { cwd: dir, encoding: 'utf8', env });
    return { rc: run.status, config: run.stdout.split('\n').filter((line) => !line.startsWith('#')) };
  };

  for (const { name, text, warned } of WARNED) {
    test(`doveconf stops where we warn, Dovecot's reading is the value we write: ${name}`, (t) => {
      if (!installed) return t.skip('doveconf not installed');
      const file = write(name, text);
      const { output, rc } = runDoveconf(file);
      const verdict = parseVerdict(output, rc);
      assert.equal(verdict.fatal?.line, warned[0].afterReading ? undefined : warned[0].line + 1, output);
      assert.equal(verdict.fatal?.message, warned[0].doveconf, output);
      const expanded = dump(file, true);
      assert.equal(expanded.rc, 0, 'doveconf -x accepts');
      const fixed = dump(write(`${name} fixed`, fixAll(text)), false);
      assert.equal(fixed.rc, 0, 'doveconf -n accepts the fixed file');
      assert.deepEqual(fixed.config, expanded.config);
    });
  }

  test('two listener paths: doveconf -n stops, -x accepts', (t) => {
    if (!installed) return t.skip('doveconf not installed');
    const file = write('listeners', LISTENERS);
    const { output, rc } = runDoveconf(file);
    assert.equal(parseVerdict(output, rc).fatal?.message, LISTENERS_DOVECONF, output);
    assert.equal(dump(file, true).rc, 0, 'doveconf -x accepts');
    const same = write('listeners same', LISTENERS.replace('hostname = pop3-b\n', ''));
    assert.notEqual(dump(same, true).rc, 0, 'doveconf -x stops too where the paths are the same');
  });

  for (const { name, text } of SILENT) {
    test(`doveconf -n accepts, or Dovecot's reading fails too: ${name}`, (t) => {
      if (!installed) return t.skip('doveconf not installed');
      const file = write(name, text);
      assert.ok(dump(file, false).rc === 0 || dump(file, true).rc !== 0, text);
    });
  }
});
