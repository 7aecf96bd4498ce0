import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  applyTextEdits,
  generatePassword,
  generatePeerConfig,
  generateReplicationConfig,
  ReplicationSetupError,
  REPLICATION_CONF_PATH,
} from '../server/src/service/features/replicationSetup';
import { getLanguageService } from '../server/src/service/dovecotLanguageService';
import { MemoryHost } from '../server/src/service/model/host';

/** How the wizard would change the tree's mail_plugins line, asked of the language service. */
function mailPluginsPlan(host: MemoryHost) {
  const service = getLanguageService(host);
  return service.replicationSetupPlan(service.analyze(ROOT)).mailPlugins;
}

const base = { peerHost: 'b.example.com', transport: 'tcp' as const, port: 12345, password: 'S3cret-pass_word' };

function only(content: string, pattern: RegExp): string[] {
  return content
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => !line.startsWith('#') && pattern.test(line));
}

test('tcp config has every replication piece for this host', () => {
  const { files, edits, notes } = generateReplicationConfig(base);
  assert.equal(files.length, 1);
  assert.equal(files[0].path, REPLICATION_CONF_PATH);
  const text = files[0].content;
  assert.deepEqual(edits, {});
  assert.deepEqual(notes, []);
  assert.deepEqual(only(text, /^mail_plugins/), ['mail_plugins = $mail_plugins notify replication']);
  assert.match(text, /fifo_listener replication-notify-fifo \{\n\s+user = vmail\n\s+mode = 0600/);
  assert.match(text, /unix_listener replication-notify \{\n\s+user = vmail\n\s+mode = 0600/);
  assert.match(
    text,
    /service replicator \{\n\s+process_min_avail = 1\n\s+unix_listener replicator-doveadm \{\n\s+mode = 0600\n\s+user = vmail/,
  );
  assert.match(text, /service doveadm \{\n\s+inet_listener \{\n\s+port = 12345\n\s+ssl = no\n/);
  assert.deepEqual(only(text, /^doveadm_/), ['doveadm_port = 12345', 'doveadm_password = S3cret-pass_word']);
  assert.deepEqual(only(text, /mail_replica/), ['mail_replica = tcp:b.example.com:12345']);
  assert.doesNotMatch(text, /ssl_client_ca|ssl_cert/);
});

test('tcps config sets listener ssl, CA file, cert/key and notes', () => {
  const { files, notes } = generateReplicationConfig({
    ...base,
    transport: 'tcps',
    mailUser: 'mail',
    caFile: '/etc/dovecot/ca.pem',
    sslCert: '/etc/dovecot/a.crt',
    sslKey: '/etc/dovecot/a.key',
  });
  const text = files[0].content;
  assert.match(text, /inet_listener \{\n\s+port = 12345\n\s+ssl = yes\n/);
  assert.deepEqual(only(text, /^ssl_/), [
    'ssl_cert = </etc/dovecot/a.crt',
    'ssl_key = </etc/dovecot/a.key',
    'ssl_client_ca_file = /etc/dovecot/ca.pem',
  ]);
  assert.deepEqual(only(text, /mail_replica/), ['mail_replica = tcps:b.example.com:12345']);
  assert.equal(only(text, /user = mail$/).length, 3);
  assert.ok(notes.some((note) => note.includes("'ssl' must be yes or required")));
  assert.ok(notes.some((note) => note.includes("must name 'b.example.com'")));
});

test('tcps without a CA file trusts the system CA dir and says so', () => {
  const { files, notes } = generateReplicationConfig({ ...base, transport: 'tcps' });
  assert.deepEqual(only(files[0].content, /^ssl_client/), ['ssl_client_ca_dir = /etc/ssl/certs']);
  assert.ok(notes.some((note) => note.includes('ssl_cert and ssl_key must be set')));
  assert.ok(notes.some((note) => note.includes('public CA')));
});

const ROOT = '/etc/dovecot/dovecot.conf';
const MAIL = '/etc/dovecot/conf.d/10-mail.conf';

/** The plan for a tree whose conf.d/10-mail.conf holds `mail`, and that file after its edits. */
function planFor(mail: string) {
  const host = new MemoryHost({ [ROOT]: '!include conf.d/*.conf\n', [MAIL]: mail });
  const plan = mailPluginsPlan(host);
  const setup = generateReplicationConfig({ ...base, mailPlugins: plan });
  return { plan, setup, edited: applyTextEdits(mail, setup.edits[MAIL] ?? []) };
}

test('existing mail_plugins becomes a minimal edit, not a second definition', () => {
  const { setup, edited } = planFor('mail_location = maildir:~/Maildir\nmail_plugins = $mail_plugins quota\n');
  assert.deepEqual(only(setup.files[0].content, /mail_plugins/), []);
  assert.equal(edited, 'mail_location = maildir:~/Maildir\nmail_plugins = $mail_plugins quota notify replication\n');
});

test('mail_plugins extension keeps a \\ continuation, a trailing comment and quotes', () => {
  assert.equal(
    planFor('mail_plugins = quota \\\n  acl # keep me\n').edited,
    'mail_plugins = quota \\\n  acl notify replication # keep me\n',
  );
  assert.equal(planFor('mail_plugins = "quota notify"\r\n').edited, 'mail_plugins = "quota notify replication"\r\n');
  assert.equal(planFor('  mail_plugins =\n').edited, '  mail_plugins = notify replication\n');
});

test('mail_plugins that already loads both plugins is left alone', () => {
  const { plan, setup } = planFor('mail_plugins = replication quota notify\n');
  assert.equal(plan.kind, 'complete');
  assert.deepEqual(setup.edits, {});
  assert.deepEqual(only(setup.files[0].content, /mail_plugins/), []);
});

test('mail_plugins read from a file is not edited: a note says what to add', () => {
  const { plan, setup } = planFor('mail_plugins = </etc/dovecot/plugins.txt\n');
  assert.equal(plan.kind, 'manual');
  assert.deepEqual(setup.edits, {});
  assert.deepEqual(only(setup.files[0].content, /mail_plugins/), []);
  assert.ok(
    setup.notes.some((note) =>
      /mail_plugins is read from the file \/etc\/dovecot\/plugins\.txt .*line 1\): make sure it loads notify and replication\. Nothing was changed there\./.test(
        note,
      ),
    ),
    setup.notes.join('\n'),
  );
});

test('peer config mirrors this host and points back at localHost', () => {
  const peer = generatePeerConfig({
    ...base,
    transport: 'tcps',
    caFile: '/etc/ca.pem',
    localHost: '10.0.0.1',
    peerSslCert: '/etc/b.crt',
    peerSslKey: '/etc/b.key',
  });
  const text = peer.files[0].content;
  assert.equal(peer.files[0].path, REPLICATION_CONF_PATH);
  assert.deepEqual(only(text, /mail_replica/), ['mail_replica = tcps:10.0.0.1:12345']);
  assert.deepEqual(only(text, /^doveadm_password/), ['doveadm_password = S3cret-pass_word']);
  assert.deepEqual(only(text, /^ssl_cert/), ['ssl_cert = </etc/b.crt']);
  assert.throws(() => generatePeerConfig({ ...base, localHost: '' }), ReplicationSetupError);
});

test('IPv6 peers are bracketed because mail_replica splits at the last colon', () => {
  const { files } = generateReplicationConfig({ ...base, peerHost: 'fd00::2' });
  assert.deepEqual(only(files[0].content, /mail_replica/), ['mail_replica = tcp:[fd00::2]:12345']);
});

test('bad options give one clear error listing every problem', () => {
  const bad = () =>
    generateReplicationConfig({ ...base, peerHost: 'bad host', port: 70000, password: 'has space', mailUser: 'x y' });
  assert.throws(bad, (error: unknown) => {
    assert.ok(error instanceof ReplicationSetupError);
    for (const part of ['peer host', 'port must be', 'password may only', "mail user 'x y'"])
      assert.ok(error.message.includes(part), part);
    return true;
  });
  assert.throws(() => generateReplicationConfig({ ...base, password: '' }), /must not be empty/);
  assert.throws(() => generateReplicationConfig({ ...base, caFile: '/ca.pem' }), /only apply to the tcps/);
  assert.throws(
    () => generateReplicationConfig({ ...base, transport: 'tcps', caFile: 'relative.pem' }),
    /absolute path/,
  );
  assert.throws(
    () => generateReplicationConfig({ ...base, transport: 'tcps', sslCert: '/a.crt' }),
    /both ssl_cert and ssl_key/,
  );
});

test('generated passwords are strong, URL-safe and different', () => {
  const seen = new Set<string>();
  for (let i = 0; i < 50; i++) {
    const password = generatePassword();
    assert.match(password, /^[A-Za-z0-9_-]{24,}$/);
    seen.add(password);
  }
  assert.equal(seen.size, 50);
  assert.doesNotThrow(() => generateReplicationConfig({ ...base, password: generatePassword() }));
});

const DOVECONF = '/usr/bin/doveconf';
test('generated configs (tcp and tcps, both hosts) are accepted by real doveconf -n', (t) => {
  if (!existsSync(DOVECONF)) {
    console.log('SKIPPED: doveconf not installed (apt-get install dovecot-core)');
    t.skip('doveconf not installed');
    return;
  }
  const dir = mkdtempSync(join(tmpdir(), 'replsetup-'));
  try {
    const variants = [
      generateReplicationConfig(base),
      generateReplicationConfig({
        ...base,
        transport: 'tcps',
        caFile: '/etc/ca.pem',
        sslCert: '/etc/a.crt',
        sslKey: '/etc/a.key',
      }),
      generatePeerConfig({ ...base, transport: 'tcps', localHost: 'a.example.com' }),
    ];
    for (const [index, setup] of variants.entries()) {
      const root = join(dir, String(index));
      mkdirSync(join(root, 'conf.d'), { recursive: true });
      writeFileSync(join(root, 'dovecot.conf'), 'ssl = no\n!include conf.d/*.conf\n');
      writeFileSync(join(root, setup.files[0].path), setup.files[0].content.replace(/^ssl_(cert|key) = .*$/gm, ''));
      const result = spawnSync(DOVECONF, ['-n', '-c', join(root, 'dovecot.conf')], { encoding: 'utf8' });
      assert.equal(result.status, 0, `variant ${index}: ${result.stderr}`);
      assert.equal(result.stderr, '', `variant ${index} warned`);
      assert.match(result.stdout, /mail_replica = tcps?:/);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('planMailPlugins finds the global definition in effect across the include tree, not one in a section or a comment', () => {
  const host = new MemoryHost({
    [ROOT]: '!include conf.d/*.conf\n',
    [MAIL]: [
      '# mail_plugins = commented',
      'protocol lmtp {',
      '  mail_plugins = $mail_plugins sieve',
      '}',
      'mail_plugins = $mail_plugins quota # trailing comment',
      'mail_plugins = $mail_plugins acl',
    ].join('\r\n'),
  });
  const plan = mailPluginsPlan(host);
  assert.equal(plan.kind, 'extend');
  assert.equal(plan.kind === 'extend' && plan.range.start.line, 5);
  const none = new MemoryHost({ [ROOT]: 'protocol imap {\n  mail_plugins = x\n}\n' });
  assert.deepEqual(mailPluginsPlan(none), { kind: 'absent' });
});

test('generated files and notes speak about Dovecot, never about internal documents', () => {
  const existing = { file: '/etc/dovecot/conf.d/10-mail.conf', line: 3, value: 'quota' };
  for (const options of [base, { ...base, transport: 'tcps' as const }, { ...base, existingMailPlugins: existing }]) {
    const own = generateReplicationConfig(options);
    const peer = generatePeerConfig({ ...options, localHost: 'a.example.com' });
    const texts = [...own.files, ...peer.files].map((file) => file.content).concat(own.notes, peer.notes);
    for (const text of texts) assert.doesNotMatch(text, /FACTS|REPORT|§|\brows? \d/, text);
  }
});
