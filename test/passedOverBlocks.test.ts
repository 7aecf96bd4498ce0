// A block header Dovecot rejects on a file's first line: the findings on the block's lines, checked with
// doveconf 2.3.19 and 2.4.4 (oracle cases dq08-dq11).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { analyzeFiles, ROOT, serviceOver } from './helpers/analyze';

const HEAD = 'dovecot_config_version = 2.4.4\ndovecot_storage_version = 2.4.4\n';
const errors = (files: Record<string, string> | string, root?: string): string[] =>
  analyzeFiles(files, root)
    .diagnostics.filter((d) => d.level === 'error')
    .map((d) => `${d.file.split('/').pop()}:${d.range.start.line + 1} ${d.message}`);

test("2.3: only the header's error, as doveconf stops there; the block's lines and its } are not read", () => {
  assert.deepEqual(errors('service a b {\n  foo = 1\n}\nmail_debug = yes\n'), ["dovecot.conf:1 Expecting '{'"]);
});

test('an included file: its first-line block is passed over in 2.4 too', () => {
  assert.deepEqual(
    errors({
      '/etc/dovecot/dovecot.conf': `${HEAD}!include conf.d/x.conf\n`,
      '/etc/dovecot/conf.d/x.conf': 'service a b {\n  foo = 1\n}\n',
    }),
    ["x.conf:1 Expecting '{'"],
  );
});

test('a 2.4 root reads the lines after a rejected first line as its own, to the version line', () => {
  // doveconf 2.4: the header is passed over, the version lines are read, the block's } is unexpected.
  assert.deepEqual(errors(`service a b {\n${HEAD}}\n`), ["dovecot.conf:4 Unexpected '}'"]);
});

test('a rejected header further down is passed over with its block in both versions, as before', () => {
  assert.deepEqual(errors('mail_debug = yes\nservice a b {\n  foo = 1\n}\n'), ["dovecot.conf:2 Expecting '{'"]);
  assert.deepEqual(errors(`${HEAD}service a b {\n  foo = 1\n}\n`), ["dovecot.conf:3 Expecting '{'"]);
});

test('a line with an escape 2.4 does not know comes before the first line 2.4 reads', () => {
  const text = 'mail_debug = "ye\\s"\nuserdb{\n}\n';
  // 2.4 passes over both lines and stops at the } as the first line it reads, which is not the version.
  const analysis = serviceOver(text).analyze(ROOT, { dovecotVersion: '2.4' });
  const found = analysis.diagnostics
    .filter((d) => d.level === 'error')
    .map((d) => `dovecot.conf:${d.range.start.line + 1} ${d.message}`);
  assert.ok(found.includes('dovecot.conf:3 The first setting must be dovecot_config_version'), found.join(' | '));
  assert.ok(!found.some((line) => line.includes("Expecting '{'")), found.join(' | '));
});

test('2.3 reads that line, and stops at the header', () => {
  const analysis = analyzeFiles('mail_debug = "ye\\s"\nuserdb{\n}\n');
  assert.equal(analysis.versionDialect.version, '2.3');
  assert.deepEqual(
    analysis.diagnostics.filter((d) => d.level === 'error').map((d) => `${d.range.start.line + 1} ${d.message}`),
    ["2 Expecting '{'"],
  );
});
