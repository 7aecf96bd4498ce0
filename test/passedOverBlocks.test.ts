// A block header Dovecot rejects on a file's first line: the findings on the block's lines, checked with
// doveconf 2.3.19 and 2.4.4 (oracle cases dq08, dq09).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { analyzeFiles } from './helpers/analyze';

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
