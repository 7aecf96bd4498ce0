// doveconf's schema-level errors (FACTS §1.3, §1.10-1.14), one failing and one passing example each.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import pluginReads from '../data/dovecot/plugin-setting-reads-2.3.json';
import { findSetting } from '../server/src/service/schema/schema';
import { analyzeFiles, brief, ROOT } from './helpers/analyze';
import { doveconfInstalled } from './oracle/cases';

test('unknown-setting: top level, inside sections (path prefixed), unknown section type, with did-you-mean', () => {
  assert.deepEqual(brief(analyzeFiles('foo = bar\n'), 'unknown-setting'), ['0:0 Unknown setting: foo']);
  assert.deepEqual(
    brief(analyzeFiles('process_min_avail = 1\n'), 'unknown-setting').map((m) => m.split(' (did')[0]),
    ['0:0 Unknown setting: process_min_avail'],
  );
  assert.deepEqual(
    brief(analyzeFiles('service doveadm {\n  inet_listener {\n    mode = 0600\n  }\n}\n'), 'unknown-setting').map(
      (m) => m.split(' (did')[0],
    ),
    ['2:4 Unknown setting: service { inet_listener { mode'],
  );
  assert.deepEqual(brief(analyzeFiles('service imap {\n  foo {\n  }\n}\n'), 'unknown-setting'), [
    '1:2 Unknown setting: service { foo { foo',
  ]);
  assert.match(brief(analyzeFiles('mail_debugg = yes\n'), 'unknown-setting')[0], /did you mean mail_debug/);
  assert.deepEqual(analyzeFiles('mail_debug = yes\nservice imap {\n  vsz_limit = 1G\n}\n').diagnostics, []);
});

test('section-not-allowed inside plugin {}; any key accepted there', () => {
  assert.deepEqual(brief(analyzeFiles('plugin {\n  sieve {\n  }\n}\n'), 'section-not-allowed'), [
    '1:2 Section not allowed here',
  ]);
  assert.deepEqual(analyzeFiles('plugin {\n  any_random_key = 1\n}\n').diagnostics, []);
});

test('a filter inside plugin {} or dict {} is taken, but a setting in it is the unknown plugin/key', () => {
  const text =
    'plugin {\n  remote ::/0 {\n  }\n  protocol imap {\n    quota = x\n  }\n}\ndict {\n  local ::1 {\n    x = y\n  }\n}\n';
  const analysis = analyzeFiles(text);
  assert.deepEqual(brief(analysis, 'section-not-allowed'), []);
  assert.deepEqual(brief(analysis, 'unknown-setting'), [
    '4:4 Unknown setting: plugin { quota',
    '9:4 Unknown setting: dict { x',
  ]);
  assert.deepEqual(analyzeFiles('protocol imap {\n  plugin {\n    quota = x\n  }\n}\n').diagnostics, []);
});

test('inside a filter in plugin {} or dict {}, a section, a quoted or empty key is an unknown setting too', () => {
  const errors = (text: string): string[] =>
    analyzeFiles(text)
      .diagnostics.filter((d) => d.level === 'error')
      .map((d) => `${d.range.start.line}:${d.range.start.character} ${d.message} [${d.code}]`);
  assert.deepEqual(errors('dict {\n  protocol imap {\n    service lmtp {\n    }\n  }\n}\n'), [
    '2:4 Unknown setting: dict { service { service [unknown-setting]',
  ]);
  assert.deepEqual(errors('plugin {\n  local 10.0.0.1 {\n    "x" {\n    }\n  }\n}\n'), [
    '2:4 Unknown setting: plugin { "x" { "x" [unknown-setting]',
  ]);
  assert.deepEqual(errors('plugin {\n  protocol imap {\n    "x" = y\n  }\n}\n'), [
    '2:4 Unknown setting: plugin { "x" [unknown-setting]',
  ]);
  assert.deepEqual(errors('plugin {\n  protocol imap {\n    = y\n  }\n}\n'), [
    '2:4 Unknown setting: plugin {  [unknown-setting]',
  ]);
  // Outside a filter the free-form block takes them, and refuses a section.
  assert.deepEqual(errors('plugin {\n  "x" = y\n  = z\n}\n'), []);
  assert.deepEqual(errors('dict {\n  service lmtp {\n  }\n}\n'), [
    '1:2 Section not allowed here [section-not-allowed]',
  ]);
});

test('invalid-value with doveconf wording, on the value', () => {
  const cases: [string, string][] = [
    ['mail_debug = 0', '0:13 Invalid boolean value: 0 (use yes or no)'],
    ['mail_max_lock_timeout = 10', "0:24 Time interval '10' is missing units (add e.g. 's' for seconds)"],
    ['default_vsz_limit = 1X', '0:20 Invalid size: 1X'],
    ['ssl = maybe', '0:6 Invalid value: maybe'],
  ];
  for (const [line, expected] of cases)
    assert.deepEqual(brief(analyzeFiles(`${line}\n`), 'invalid-value'), [expected], line);
  assert.deepEqual(
    brief(analyzeFiles('mail_debug = yes\nmail_max_lock_timeout = 10s\nssl = required\n'), 'invalid-value'),
    [],
  );
  assert.deepEqual(
    brief(analyzeFiles('mail_max_lock_timeout = $foo\n'), 'invalid-value'),
    ['0:24 Invalid time interval: $foo'],
    'doveconf -n checks a $name as written (doveconf 2.3.19: line 1: Invalid time interval: $foo)',
  );
});

test('invalid-value: doveconf -n checks a <file value of a typed setting as written, whatever the file holds', () => {
  const files = { [ROOT]: '', '/etc/dovecot/v.txt': 'yes' };
  const analyze = (text: string) => brief(analyzeFiles({ ...files, [ROOT]: text }), 'invalid-value');
  assert.deepEqual(
    analyze('mail_debug = <v.txt\n').map((m) => m.split('. doveconf -n')[0]),
    ['0:14 Invalid boolean value: <v.txt (use yes or no)'],
  );
  assert.deepEqual(
    analyze('mail_max_lock_timeout = <  missing.txt\nsubmission_relay_command_timeout = <\n').map(
      (m) => m.split('. doveconf -n')[0],
    ),
    ['0:27 Invalid time interval: <missing.txt', '1:36 Invalid time interval: <'],
  );
  assert.deepEqual(analyze('login_greeting = <v.txt\nmail_debug = "<v.txt"\n').length, 1, 'a string, or a quoted <');
  assert.deepEqual(analyze('plugin {\n  quota_rule = <v.txt\n}\n'), []);
});

test('section-on-scalar warns where doveconf silently sets the value; service-in-filter warns', () => {
  assert.deepEqual(brief(analyzeFiles('mail_location {\n}\n'), 'section-on-scalar').length, 1);
  assert.deepEqual(brief(analyzeFiles('protocol imap {\n  service imap {\n  }\n}\n'), 'service-in-filter').length, 1);
  assert.deepEqual(brief(analyzeFiles('service imap {\n}\n'), 'service-in-filter'), []);
  const inRemote = (network: string) =>
    brief(analyzeFiles(`remote ${network} {\n  service imap {\n    process_limit = 77\n  }\n}\n`), 'service-in-filter');
  assert.equal(inRemote('10.0.0.0/8').length, 1);
  // A network of 0 bits matches every connection: doveconf -a gives service imap process_limit = 77.
  assert.deepEqual(inRemote('::/0'), []);
  assert.deepEqual(inRemote('0.0.0.0/0'), []);
});

test('a block on a typed setting sets it to its name, or to the counter of unnamed blocks: invalid-value', () => {
  const invalid = (text: string) =>
    brief(analyzeFiles(text), 'invalid-value').map((m) => m.split('. doveconf reads')[0]);
  assert.deepEqual(invalid('mail_debug x {\n}\n'), ['0:0 Invalid boolean value: x (use yes or no)']);
  assert.deepEqual(invalid('mail_debug "a b,c" {\n}\n'), ['0:0 Invalid boolean value: a\\_b\\+c (use yes or no)']);
  assert.deepEqual(invalid('plugin {\n}\nprotocol imap {\n}\nservice {\n}\nmail_debug {\n}\n'), [
    '6:0 Invalid boolean value: 2 (use yes or no)',
  ]);
  assert.deepEqual(invalid('plugin {\n}\nmail_debug {\n}\n'), [], 'the second block is 1, which reads as yes');
  assert.deepEqual(invalid('first_valid_uid {\n}\nmail_max_lock_timeout {\n}\n'), [
    "2:0 Time interval '1' is missing units (add e.g. 's' for seconds)",
  ]);
  const accepted = analyzeFiles('first_valid_uid {\n}\n');
  assert.deepEqual(brief(accepted, 'invalid-value'), []);
  assert.match(brief(accepted, 'section-on-scalar')[0], /sets it to 0\./);
});

test('what a block on a plain setting holds is judged: doveconf knows no setting in it', () => {
  const analysis = analyzeFiles('mail_location {\n  x.y = z\n  foo {\n  }\n}\n');
  assert.deepEqual(brief(analysis, 'unknown-setting'), [
    '2:2 Unknown setting: mail_location { foo { foo',
    '1:2 Unknown setting: mail_location { x.y',
  ]);
  assert.equal(brief(analysis, 'section-on-scalar').length, 1);
});

test('plugin misplacements: top-level key in plugin {} is ignored; mail_replica at top level is an error', () => {
  assert.deepEqual(brief(analyzeFiles('plugin {\n  mail_debug = yes\n}\n'), 'setting-ignored-in-plugin').length, 1);
  assert.deepEqual(
    brief(analyzeFiles('mail_replica = tcp:h:1\n'), 'mail-replica-outside-plugin').map((m) => m.slice(0, 34)),
    ['0:0 Unknown setting: mail_replica.'],
  );
});

test('global-after-filter names the earlier file as doveconf does: relative to the root directory', () => {
  const analysis = analyzeFiles({
    [ROOT]: '!include conf.d/*.conf\nmail_debug = no\n',
    '/etc/dovecot/conf.d/20-a.conf': 'protocol imap {\n  mail_debug = yes\n}\n',
  });
  assert.deepEqual(brief(analysis, 'global-after-filter'), [
    "1:0 Global setting mail_debug won't change the setting inside an earlier filter at conf.d/20-a.conf line 2 (if this is intentional, avoid this warning by moving the global setting before conf.d/20-a.conf line 2)",
  ]);
});

test('setting-ignored-in-plugin is silent for names plugins read from plugin settings (Pigeonhole recipient_delimiter)', () => {
  assert.deepEqual(brief(analyzeFiles('plugin {\n  recipient_delimiter = +\n}\n'), 'setting-ignored-in-plugin'), []);
  assert.equal(brief(analyzeFiles('plugin {\n  auth_debug = yes\n}\n'), 'setting-ignored-in-plugin').length, 1);
  for (const read of pluginReads.reads) {
    assert.ok(findSetting('', read.name), `${read.name} is a top-level setting`);
    assert.ok(
      read.readBy.length > 0 &&
        read.readBy.every((where) => /^dovecot\/(core|pigeonhole) \S+ src\/\S+:\d+ \w+\(\)$/.test(where)),
      `${read.name} cites where it is read`,
    );
  }
});

test('a line starting with = (doveconf 2.3.19): accepted in plugin {} and dict {}, unknown in other sections, Missing key name at top level and in filters', () => {
  assert.deepEqual(brief(analyzeFiles('plugin {\n  = foo\n}\n'), 'missing-key'), []);
  assert.deepEqual(brief(analyzeFiles('plugin {\n  = foo\n}\n'), 'unknown-setting'), []);
  assert.deepEqual(brief(analyzeFiles('service imap {\n  inet_listener x {\n    = 1\n  }\n}\n'), 'unknown-setting'), [
    '2:4 Unknown setting: service { inet_listener { ',
  ]);
  assert.deepEqual(brief(analyzeFiles('protocol imap {\n  = x\n}\n'), 'missing-key'), [
    "1:2 Missing key name ('=' at the beginning of line)",
  ]);
  assert.deepEqual(brief(analyzeFiles('= x\n'), 'missing-key'), [
    "0:0 Missing key name ('=' at the beginning of line)",
  ]);
});

test('an auth setting inside local/remote whose value doveconf refuses: the value is the error', () => {
  const analysis = analyzeFiles('local 1.2.3.4 {\n  auth_failure_delay = 1 mon\n  auth_debug = yes\n}\n');
  assert.deepEqual(brief(analysis, 'invalid-value'), ['1:23 Invalid time interval: 1 mon']);
  assert.deepEqual(brief(analysis, 'auth-setting-in-filter'), [
    '2:2 Auth settings not supported inside local/remote blocks: auth_debug',
  ]);
  // A `$name` value doveconf -n refuses as written, and Dovecot too once expanded ($mail_plugins is empty).
  const refused = analyzeFiles('remote 10.0.0.0/8 {\n  auth_cache_size = $mail_plugins x\n}\n');
  assert.deepEqual(brief(refused, 'invalid-value'), ['1:20 Invalid size: $mail_plugins x']);
  assert.deepEqual(brief(refused, 'auth-setting-in-filter'), []);
  // Where only doveconf -n refuses it, Dovecot reads the value at start and stops at the auth setting.
  const expanded = analyzeFiles('remote 10.0.0.0/8 {\n  auth_cache_size = $default_vsz_limit\n}\n');
  assert.deepEqual(brief(expanded, 'auth-setting-in-filter'), [
    '1:2 Auth settings not supported inside local/remote blocks: auth_cache_size',
  ]);
});

test('passdb/userdb inside local/remote: doveconf rejects the section header line, naming the section', () => {
  assert.deepEqual(
    brief(analyzeFiles('local 10.0.0.1 {\n  passdb {\n    driver = pam\n  }\n}\n'), 'auth-setting-in-filter'),
    ['1:2 Auth settings not supported inside local/remote blocks: passdb'],
  );
  assert.deepEqual(
    brief(analyzeFiles('protocol imap {\n  passdb {\n    driver = pam\n  }\n}\n'), 'auth-setting-in-filter'),
    [],
  );
});

test('duplicate-auth-block-name: a second passdb/userdb of the same escaped name in the same filter', () => {
  const found = (text: string): string[] =>
    brief(analyzeFiles(text), 'duplicate-auth-block-name').map((m) => m.split(' (')[0]);
  assert.deepEqual(found('userdb x {\n}\npassdb x {\n}\nuserdb x\t{\n}\n'), ['4:0 userdb/x already exists']);
  assert.deepEqual(found('passdb "a b" {\n}\npassdb "a b" {\n}\n'), ['2:0 passdb/a\\_b already exists']);
  // doveconf aborts on a name with a tab (an assertion of its parser), which is no finding of this rule.
  assert.deepEqual(found('passdb "a\tb" {\n}\npassdb "a\tb" {\n}\n'), []);
  assert.deepEqual(found('protocol imap {\n  passdb x {\n  }\n}\nprotocol imap {\n  passdb x {\n  }\n}\n'), [
    '5:2 passdb/x already exists',
  ]);
  // Another filter, the top level and a filter, no name (a counter) or two names: no duplicate.
  assert.deepEqual(
    found('passdb x {\n}\nprotocol imap {\n  passdb x {\n  }\n}\nprotocol pop3 {\n  passdb x {\n  }\n}\n'),
    [],
  );
  assert.deepEqual(found('passdb {\n}\npassdb {\n}\npassdb "a b" {\n}\npassdb a_b {\n}\n'), []);
  // A file included twice repeats its own block: the earlier block is the same line of the same file.
  const twice = analyzeFiles({
    [ROOT]: '!include pdb.conf\n}\n!include pdb.conf\n}\n',
    '/etc/dovecot/pdb.conf': 'passdb x {\n',
  });
  const [repeat] = twice.diagnostics.filter((d) => d.code === 'duplicate-auth-block-name');
  assert.deepEqual(
    [repeat.file, repeat.related?.map((place) => `${place.file}:${place.range.start.line} ${place.message}`)],
    ['/etc/dovecot/pdb.conf', ['/etc/dovecot/pdb.conf:0 the earlier passdb block of this name']],
  );
});

test('a key written in double quotes (doveconf 2.3.19): the quote is part of the key, accepted only in plugin {}', () => {
  const errors = (text: string): string[] =>
    analyzeFiles(text)
      .diagnostics.filter((d) => d.level === 'error')
      .sort((a, b) => a.range.start.line - b.range.start.line)
      .map((d) => `${d.range.start.line}:${d.range.start.character} ${d.message.split(' (did')[0]} [${d.code}]`);
  assert.deepEqual(errors('"mail_debug" = yes\n'), ['0:0 Unknown setting: "mail_debug" [unknown-setting]']);
  assert.deepEqual(errors('service imap {\n  "process_limit"=5\n}\n'), [
    '1:2 Unknown setting: service { "process_limit" [unknown-setting]',
  ]);
  assert.deepEqual(errors('plugin {\n  "x" = y\n  "" = z\n}\n'), []);
  // 2.3 reads `"a b" = c` as a section `"a` named `b"` without its `{`: that error and no other.
  assert.deepEqual(errors('"a b" = c\nplugin {\n  "a b" = c\n}\n'), [
    "0:0 Expecting '{' [expecting-brace]",
    "2:2 Expecting '{' [expecting-brace]",
  ]);
  // A quoted section type is no section 2.3 knows; what it holds is not checked.
  assert.deepEqual(errors('"namespace" inbox {\n  nosuch = yes\n}\n'), [
    '0:0 Unknown setting: "namespace" { "namespace" [unknown-setting]',
  ]);
  assert.deepEqual(errors('plugin {\n  "x" {\n  }\n}\n'), ['1:2 Section not allowed here [section-not-allowed]']);
  // Lines Dovecot 2.4 rejects but 2.3 reads: an unterminated quoted key, text after the closing quote.
  assert.deepEqual(errors('"mail_debug = yes\n"a"b = c\n"x {\n'), [
    '0:0 Unknown setting: "mail_debug [unknown-setting]',
    '1:0 Unknown setting: "a"b [unknown-setting]',
    '2:0 Unknown setting: "x { "x [unknown-setting]',
  ]);
  assert.deepEqual(errors('plugin {\n  "x = y\n}\n'), []);
});

const doveconf23 = doveconfInstalled();
if (!doveconf23) console.log('SKIPPED: no doveconf 2.3 on this machine to read service blocks in filters');

test(
  'service-in-filter agrees with doveconf -a on whether the service reads a block in a remote filter',
  { skip: !doveconf23 },
  () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'dovecot-service-filter-'));
    try {
      for (const network of ['10.0.0.0/8', '::/0']) {
        const text = `protocols = imap\nremote ${network} {\n  service imap {\n    process_limit = 77\n  }\n}\n`;
        const file = path.join(dir, 'dovecot.conf');
        writeFileSync(file, text);
        const all = spawnSync('doveconf', ['-a', '-c', file], { encoding: 'utf8' }).stdout;
        const service = /^service imap \{\n(?: {2}.*\n)*? {2}process_limit = (\d+)$/m.exec(all)?.[1];
        const warned = brief(analyzeFiles(text), 'service-in-filter').length > 0;
        assert.equal(warned, service !== '77', `${network}: service imap process_limit = ${service}`);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
);
