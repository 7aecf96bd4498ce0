// doveconf 2.3's settings checks after parsing (settingsChecks23.ts, structChecks23.ts). The messages were
// recorded from Debian's doveconf 2.3.19.1 by the setting sweep (test/sweep/sweep-2.3.txt); here: where the
// finding goes, which scope a value reaches, and the values a check cannot read.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { analyzeFiles } from './helpers/analyze';
import {
  default23,
  SECTION_CHECKS_23,
  STRUCT_CHECKS_23,
  structCheckError23,
} from '../server/src/service/schema/structChecks23';

const checks = (text: string) =>
  analyzeFiles(text)
    .diagnostics.filter((d) => d.code === 'settings-check')
    .map((d) => `${d.range.start.line + 1}: ${d.message}`);

test('the defaults and a usual configuration pass', () => {
  assert.deepEqual(checks('protocols = imap lmtp\nmail_location = maildir:~/Maildir\nssl = required\n'), []);
});

test('a struct stops at its first failing check; each struct is checked', () => {
  assert.deepEqual(checks('mail_nfs_index = yes\nimap_client_workarounds = tb-lsub-flags nope\n'), [
    '1: mail_nfs_index=yes requires mmap_disable=yes',
    '2: imap_client_workarounds: Unknown workaround: nope',
  ]);
  assert.deepEqual(checks('mail_nfs_index = yes\nmmap_disable = yes\n'), [
    '1: mail_nfs_index=yes requires mail_fsync=always',
  ]);
  assert.deepEqual(checks('mail_cache_max_size = 2G\n'), ["1: mail_cache_max_size can't be over 1 GB"]);
  assert.deepEqual(checks('auth_worker_max_count = 0\nauth_verbose_passwords = maybe\n'), [
    '1: auth_worker_max_count must be above zero',
  ]);
});

test('a filter sees its own values over the global ones, also those written after it', () => {
  assert.deepEqual(
    checks('mail_nfs_index = yes\nmmap_disable = yes\nmail_fsync = always\nprotocol imap {\n  mail_fsync = never\n}\n'),
    ['5: mail_nfs_index=yes requires mail_fsync=always'],
  );
  assert.deepEqual(checks('protocol imap {\n  mail_nfs_index = yes\n}\nmmap_disable = yes\nmail_fsync = always\n'), []);
});

test('a file is not judged; a $name is, as doveconf -n reads it (as written)', () => {
  assert.deepEqual(checks('imap_client_workarounds = <workarounds.txt\n'), []);
  assert.deepEqual(checks('ssl_options = $options\n'), ["1: ssl_options: unknown flag: '$options'"]);
  // a boolean doveconf -n refuses as it reads the line (invalid-value), before any settings check
  assert.deepEqual(checks('mail_nfs_index = $nfs\n'), []);
});

test('pop3_uidl_format and mail_attachment_hash are read as Dovecot 2.3 expands them', () => {
  assert.deepEqual(checks('pop3_uidl_format = %08Xu%08Xv\nmail_attachment_hash = %{sha256}\n'), []);
  assert.deepEqual(checks('pop3_uidl_format = %Lz\n'), ['1: Unknown pop3_uidl_format variable: %z']);
  assert.deepEqual(checks('pop3_uidl_format = %{uid}\n'), ['1: Unknown pop3_uidl_format variable: %{']);
  assert.deepEqual(checks('mail_attachment_hash = %Bsha1\n'), [
    "1: Invalid mail_attachment_hash setting: No '{' after '%'",
  ]);
  assert.deepEqual(checks('mail_attachment_hash = %X{sha3-256}\n'), [
    "1: mail_attachment_hash setting must not contain '-' characters",
  ]);
});

test('protocols inside a filter is checked there; the global line is the master check', () => {
  assert.deepEqual(checks('protocol imap {\n  protocols = imap pop4\n}\n'), ['2: protocols: Unknown protocol: pop4']);
  assert.deepEqual(checks('protocol imap {\n  protocols = none\n}\n'), []);
});

test('blocks: passdb and userdb need a driver, a namespace separator is one character, special_use labels', () => {
  assert.deepEqual(checks('passdb {\n  args = /etc/passwd\n}\n'), ['1: passdb is missing driver']);
  assert.deepEqual(checks('namespace inbox {\n  prefix = INBOX.\n  separator = ::\n}\n'), [
    "3: Namespace 'INBOX.': Hierarchy separator must be only one character long",
  ]);
  assert.deepEqual(checks('namespace inbox {\n  mailbox Spam {\n    special_use = \\Junk \\Spam\n  }\n}\n'), [
    '3: mailbox Spam: unknown special_use: \\Spam',
  ]);
  assert.deepEqual(checks('service imap {\n  type = worker\n}\nservice pop3 {\n  type = daemon\n}\n'), [
    '5: Unknown service type: daemon',
  ]);
});

test('a file opened alone is not checked: the rest of the configuration may set what a check reads', () => {
  const alone = analyzeFiles(
    { '/etc/dovecot/conf.d/10-auth.conf': 'passdb pam {\n}\nmail_nfs_index = yes\n' },
    '/etc/dovecot/conf.d/10-auth.conf',
  );
  assert.deepEqual(
    alone.diagnostics.filter((d) => d.code === 'settings-check'),
    [],
  );
});

test('each struct check reads only the settings it lists, so a filter that sets none of them is not checked again', () => {
  const samples = ['', 'yes', 'no', '0', '1', 'always', 'x', 'a,b', '2G', '10s', 'sha256', 'http://h/'];
  for (const check of STRUCT_CHECKS_23) {
    for (const sample of samples) {
      const read = new Set<string>();
      structCheckError23(check, (key) => {
        read.add(key);
        return check.keys.includes(key) ? sample : default23(key);
      });
      const unlisted = [...read].filter((key) => !check.keys.includes(key));
      assert.deepEqual(unlisted, [], `a check of ${check.keys.join(', ')} also reads ${unlisted.join(', ')}`);
    }
  }
});

test('a check failing on a global value is reported once, not again for each protocol block', () => {
  const blocks = Array.from({ length: 3 }, () => 'protocol imap {\n  mail_max_userip_connections = 5\n}\n').join('');
  assert.deepEqual(checks(`mail_nfs_index = yes\n${blocks}`), ['1: mail_nfs_index=yes requires mmap_disable=yes']);
  assert.deepEqual(checks(`${blocks}protocol pop3 {\n  mmap_disable = no\n  mail_nfs_index = yes\n}\n`), [
    '12: mail_nfs_index=yes requires mmap_disable=yes',
  ]);
});

test('each block check reads only the settings it lists as read', () => {
  for (const [type, check] of Object.entries(SECTION_CHECKS_23)) {
    for (const sample of ['', 'x', '//', '\\Sent', '\\Nope', 'login']) {
      const read = new Set<string>();
      check.fails((key) => {
        read.add(key);
        return sample;
      }, 'name');
      const unlisted = [...read].filter((key) => !check.reads.includes(key));
      assert.deepEqual(unlisted, [], `the ${type} check also reads ${unlisted.join(', ')}`);
    }
  }
});

test('a block is checked as Dovecot merges it: a namespace opened twice with its separator fixed in the second (doveconf 2.3.19.1 accepts; the other way round it refuses)', () => {
  const twice = (first: string, second: string) =>
    checks(
      `namespace inbox {\n  inbox = yes\n  separator = ${first}\n}\nnamespace inbox {\n  separator = ${second}\n}\n`,
    );
  assert.deepEqual(twice('::', '/'), []);
  assert.deepEqual(twice('/', '::'), ["6: Namespace '': Hierarchy separator must be only one character long"]);
});

// Recorded from doveconf 2.3.19.1 (also the oracle's em cases): a metric's and an exporter's checks, and the
// event filters of log_debug, log_core_filter and process_shutdown_filter.
test('an event filter setting doveconf cannot parse: on its own line, after syslog_facility in the same struct', () => {
  assert.deepEqual(checks('syslog_facility = mail\nlog_debug = category=mail OR\n'), [
    "2: Invalid log_debug: event filter: syntax error, unexpected $end, expecting TOKEN or STRING or NOT or '('",
  ]);
  assert.deepEqual(checks('syslog_facility = nope\nlog_debug = (\n'), ['1: Unknown syslog_facility: nope']);
  assert.deepEqual(checks('protocol imap {\n  log_core_filter = event=x)\n}\n'), [
    "2: Invalid log_core_filter: event filter: syntax error, unexpected ')', expecting $end",
  ]);
  assert.deepEqual(checks('log_debug =\nprocess_shutdown_filter = "event"=x\n'), []);
});

const fileWarnings = (text: string) =>
  analyzeFiles(text)
    .diagnostics.filter((d) => d.code === 'file-value-fails-doveconf')
    .map((d) => `${d.range.start.line + 1}: ${d.level}: ${d.message}`);

test('a <file value is not judged as Dovecot reads it, but doveconf -n checks "<path" and may stop: a warning', () => {
  assert.deepEqual(checks('log_debug = </etc/dovecot/debug-filter\n'), []);
  assert.deepEqual(fileWarnings('log_debug = </etc/dovecot/debug-filter\n'), [
    '1: warning: Dovecot reads log_debug from the file /etc/dovecot/debug-filter when it starts, but doveconf -n checks "</etc/dovecot/debug-filter" as written and stops with "Invalid log_debug: event filter: syntax error, unexpected \'<\', expecting $end", so anything that checks the configuration with doveconf (doveconf -n, dovecot -n, doveadm config) fails.',
  ]);
  const metric = fileWarnings('metric foo {\n  filter = </etc/dovecot/filter\n}\n');
  assert.equal(metric.length, 1);
  assert.match(metric[0], /^2: warning: .*"event filter: syntax error, unexpected '<', expecting \$end"/);
  // once per line, also where a filter reads it
  assert.equal(fileWarnings('process_shutdown_filter = <f\nprotocol imap {\n  log_debug = event=x\n}\n').length, 1);
  assert.equal(fileWarnings('imap_client_workarounds = <workarounds.txt\n').length, 1);
  // a check that fails before reaching the file's setting is the error it was; text doveconf -n passes is silent
  assert.deepEqual(fileWarnings('syslog_facility = nope\nlog_debug = <f\n'), []);
  assert.deepEqual(checks('syslog_facility = nope\nlog_debug = <f\n'), ['1: Unknown syslog_facility: nope']);
  assert.deepEqual(fileWarnings('ssl_ca = </etc/ssl/ca.pem\nssl_verify_client_cert = yes\nlisten = <f\n'), []);
  assert.deepEqual(fileWarnings('metric foo {\n  filter = event=x\n  group_by = <f\n}\n'), []);
});

test("a metric's checks in Dovecot's order: its name, an empty filter, the filter, then group_by", () => {
  assert.deepEqual(checks('metric "" {\n  filter = (\n}\n'), ["1: Metric name can't be empty"]);
  assert.deepEqual(checks('metric foo {\n  filter = event=x\n  metric_name =\n}\n'), ["3: Metric name can't be empty"]);
  assert.deepEqual(checks('metric foo {\n  fields = duration\n}\n'), [
    '1: metric foo { filter } is empty - will not match anything',
  ]);
  assert.deepEqual(checks('metric foo {\n  metric_name = bar\n}\n'), [
    '1: metric bar { filter } is empty - will not match anything',
  ]);
  assert.deepEqual(checks('metric foo {\n  group_by = a:foo\n  filter = event>x\n}\n'), [
    '3: event filter: Only fields support inequality comparisons',
  ]);
  assert.deepEqual(checks('metric foo {\n  filter = event=x\n  group_by = a b:discrete c:linear:1:2\n}\n'), [
    "3: group_by 'linear' aggregate function takes 3 int args",
  ]);
  assert.deepEqual(checks('metric foo {\n  filter = event=x\n  group_by = a:exponential:3:2:10\n}\n'), [
    "3: group_by 'exponential' aggregate function min must be < max (3 must be < 2)",
  ]);
  assert.deepEqual(checks('metric foo {\n  filter = event=x\n  group_by = a:discrete:x\n}\n'), [
    "3: group_by 'discrete' aggregate function does not take any args",
  ]);
  assert.deepEqual(
    checks('metric foo {\n  filter = event=x AND (user=a* OR NOT "cmd_name"=FETCH)\n  group_by = a:linear:0:10:2\n}\n'),
    [],
  );
});

test('a linear group_by step of 0 kills doveconf and Dovecot: an error on the group_by line, after the words before it', () => {
  const crashes = (text: string) =>
    analyzeFiles(text)
      .diagnostics.filter((d) => d.code === 'value-crashes-dovecot' || d.code === 'settings-check')
      .map((d) => `${d.range.start.line + 1}: ${d.level} ${d.code}: ${d.message}`);
  assert.deepEqual(crashes('metric foo {\n  filter = event=x\n  group_by = a duration:linear:0:100:0 b:nope\n}\n'), [
    "3: error value-crashes-dovecot: group_by 'duration:linear:0:100:0': a linear step of 0 makes doveconf and Dovecot die while reading the configuration (Floating point exception, no message): the step must be 1 or more",
  ]);
  assert.deepEqual(crashes('metric foo {\n  filter = event=x\n  group_by = b:nope duration:linear:0:100:0\n}\n'), [
    "3: error settings-check: unknown aggregation function 'nope' on field 'b'",
  ]);
  // min+step over max is checked first; a step of 1 passes
  assert.deepEqual(crashes('metric foo {\n  filter = event=x\n  group_by = d:linear:5:4:0\n}\n'), [
    "3: error settings-check: group_by 'linear' aggregate function min must be < max (5 must be < 4)",
  ]);
  assert.deepEqual(crashes('metric foo {\n  filter = event=x\n  group_by = d:linear:0:100:1\n}\n'), []);
});

test('a metric opened twice is one block: the second filter replaces the first', () => {
  assert.deepEqual(checks('metric foo {\n  filter = event=x\n}\nmetric foo {\n  filter = event=y (\n}\n'), [
    "5: event filter: syntax error, unexpected '(', expecting $end",
  ]);
  assert.deepEqual(checks('metric foo {\n  filter = (\n}\nmetric foo {\n  filter = event=y\n}\n'), []);
});

test('a metric exports to an event_exporter that exists, checked once there are both, in global blocks only', () => {
  const exporter = 'event_exporter log {\n  format = none\n  transport = log\n}\n';
  const metric = (exporterLine: string) => `metric foo {\n  filter = event=x\n  ${exporterLine}\n}\n`;
  assert.deepEqual(checks(exporter + metric('exporter = nosuch')), [
    "7: metric foo refers to non-existent exporter 'nosuch'",
  ]);
  assert.deepEqual(checks(exporter + metric('exporter = log')), []);
  assert.deepEqual(checks(metric('exporter = nosuch')), [], 'no exporter at all: doveconf does not compare');
  assert.deepEqual(checks(exporter + metric('exporter = $name')), [], 'a value doveconf may read otherwise');
  assert.deepEqual(
    checks(`protocol imap {\n${exporter}}\n${metric('exporter = nosuch')}`),
    [],
    'stats blocks in a filter: not judged',
  );
});

test("an exporter's checks in Dovecot's order: name, format, transport, format_args", () => {
  assert.deepEqual(checks('event_exporter "" {\n  format = xml\n}\n'), ["1: Exporter name can't be empty"]);
  assert.deepEqual(checks('event_exporter foo {\n  format = xml\n}\n'), ["2: Unknown exporter format 'xml'"]);
  assert.deepEqual(checks('event_exporter foo {\n  format = json\n}\n'), ["1: Exporter transport name can't be empty"]);
  assert.deepEqual(checks('event_exporter foo {\n  format = none\n  transport = kafka\n}\n'), [
    "3: Unknown transport type 'kafka'",
  ]);
  assert.deepEqual(checks('event_exporter foo {\n  format = json\n  transport = log\n}\n'), [
    '2: json exporter format requires a time-* argument',
  ]);
  assert.deepEqual(
    checks('event_exporter foo {\n  format = json\n  transport = log\n  format_args = time-unix time-rfc3339 x\n}\n'),
    ["4: Exporter 'foo' specifies multiple time format args"],
  );
  assert.deepEqual(
    checks('event_exporter foo {\n  format = json\n  transport = log\n  format_args = time-unix x\n}\n'),
    ['4: Unknown exporter format arg: x'],
  );
  assert.deepEqual(
    checks(
      'event_exporter foo {\n  format = tab-text\n  transport = http-post\n  format_args = time-unix time-unix\n}\n',
    ),
    [],
  );
});
