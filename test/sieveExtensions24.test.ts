// Sieve extensions Pigeonhole 2.4 no longer has, enabled in a 2.4 list: doveconf's warning, on the line that
// enables them, unless a later line of the tree disables them again.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { analyzeFiles } from './helpers/analyze';

const HEAD = 'dovecot_config_version = 2.4.4\ndovecot_storage_version = 2.4.4\n';
const ROOT = '/etc/dovecot/dovecot.conf';

const warnings = (text: string, extra: Record<string, string> = {}) =>
  analyzeFiles({ [ROOT]: `${HEAD}${text}`, ...extra })
    .diagnostics.filter((d) => d.code === 'sieve-extension-removed')
    .map((d) => `${d.file === ROOT ? '' : `${d.file}:`}${d.range.start.line + 1}: ${d.message}`);

test("imapflags and notify enabled in a block or a value get doveconf 2.4's warning, once each", () => {
  assert.deepEqual(warnings('sieve_extensions {\n  imapflags = yes\n  notify = yes\n  enotify = yes\n}\n'), [
    "4: sieve: ignored unknown extension 'imapflags' while configuring available extensions",
    "5: sieve: ignored unknown extension 'notify' while configuring available extensions",
  ]);
  assert.deepEqual(warnings('sieve_global_extensions = vnd.dovecot.pipe imapflags\n'), [
    "3: sieve: ignored unknown extension 'imapflags' while configuring available extensions",
  ]);
});

test('an extension disabled later, or never enabled, gets no warning; neither do the current names', () => {
  assert.deepEqual(
    warnings('sieve_extensions {\n  imapflags = yes\n}\n!include conf.d/*.conf\n', {
      '/etc/dovecot/conf.d/90-sieve.conf': 'sieve_extensions {\n  imapflags = no\n}\n',
    }),
    [],
  );
  assert.deepEqual(warnings('sieve_extensions {\n  imap4flags = yes\n  notify = no\n}\n'), []);
});

test('a 2.3 tree is not checked: there the extensions still exist', () => {
  const diagnostics = analyzeFiles({ [ROOT]: 'plugin {\n  sieve_extensions = +imapflags +notify\n}\n' }).diagnostics;
  assert.deepEqual(
    diagnostics.filter((d) => d.code === 'sieve-extension-removed'),
    [],
  );
});

const unknown = (text: string) =>
  analyzeFiles({ [ROOT]: `${HEAD}${text}` })
    .diagnostics.filter((d) => d.code === 'sieve-extension-unknown')
    .map((d) => `${d.range.start.line + 1}: ${d.message}`);

test('an unknown name in a global list gets doveconf 2.4.4 warning; case and 2.3 +/- prefixes count', () => {
  assert.deepEqual(unknown('sieve_extensions = fileinto Vacation +spamtest\n'), [
    "3: sieve: ignored unknown extension 'Vacation' while configuring available extensions",
    "3: sieve: ignored unknown extension '+spamtest' while configuring available extensions",
  ]);
  assert.deepEqual(unknown('sieve_extensions {\n  foo = yes\n  bar = no\n}\n'), [
    "4: sieve: ignored unknown extension 'foo' while configuring available extensions",
  ]);
});

test('extensions of the plugins sieve_plugins loads are known; another plugin may add any name', () => {
  assert.deepEqual(
    unknown('sieve_plugins = sieve_extprograms\nsieve_global_extensions = vnd.dovecot.pipe imapsieve\n'),
    ["4: sieve: ignored unknown extension 'imapsieve' while configuring available extensions"],
  );
  assert.deepEqual(
    unknown('sieve_plugins = sieve_imapsieve\nsieve_global_extensions = imapsieve vnd.dovecot.imapsieve\n'),
    [],
  );
  assert.deepEqual(unknown('sieve_plugins = my_plugin\nsieve_extensions = vnd.example.x\n'), []);
});

test('not judged where doveconf does not initialise Sieve: inside a filter, or with every capability given', () => {
  assert.deepEqual(unknown('protocol lda {\n  sieve_extensions = foo\n}\n'), []);
  assert.deepEqual(
    unknown(
      'managesieve_sieve_capability = x\nmanagesieve_notify_capability = y\nmanagesieve_extlists_capability = z\nsieve_extensions = foo\n',
    ),
    [],
  );
  assert.deepEqual(unknown('sieve_extensions = $ENV:EXTENSIONS\n'), []);
});

test('a Sieve file opened alone is not judged: sieve_plugins may be set in another file', () => {
  const file = '/etc/dovecot/conf.d/90-sieve.conf';
  const diagnostics = analyzeFiles(
    { [file]: 'sieve_script personal {\n  path = ~/sieve\n}\nsieve_global_extensions = vnd.dovecot.pipe\n' },
    file,
  ).diagnostics;
  assert.deepEqual(
    diagnostics.filter((d) => d.code === 'sieve-extension-unknown'),
    [],
  );
});

const fromFile = (text: string) =>
  analyzeFiles({ [ROOT]: `${HEAD}${text}` })
    .diagnostics.filter((d) => d.code === 'file-value-doveconf-warns')
    .map((d) => `${d.range.start.line + 1}: ${d.message}`);

test("a list read from a <file gets doveconf -n's warnings for the text <path, word by word, on its last line only", () => {
  assert.deepEqual(fromFile('sieve_extensions = fileinto\nsieve_extensions = < /etc/dovecot/sieve ext\n'), [
    `4: Dovecot reads sieve_extensions from the file /etc/dovecot/sieve ext when it starts, but doveconf -n takes "</etc/dovecot/sieve ext" as written and warns "sieve: ignored unknown extension '</etc/dovecot/sieve' while configuring available extensions", "sieve: ignored unknown extension 'ext' while configuring available extensions".`,
  ]);
  assert.deepEqual(
    fromFile('sieve_global_extensions = <g\nsieve_global_extensions {\n  fileinto = yes\n}\n').length,
    1,
  );
  assert.deepEqual(fromFile('sieve_implicit_extensions = <i\nsieve_implicit_extensions = fileinto\n'), []);
  assert.deepEqual(fromFile('protocol lda {\n  sieve_extensions = <x\n}\n'), []);
});

test('a protocol block without a name is read after the global lines, as the ManageSieve capability listing reads it', () => {
  const unknown = (text: string) =>
    analyzeFiles({ [ROOT]: `${HEAD}${text}` })
      .diagnostics.filter((d) => d.code === 'sieve-extension-unknown')
      .map((d) => `${d.range.start.line + 1}: ${d.message}`);
  const acl = "sieve: ignored unknown extension 'acl' while configuring available extensions";
  // The block's value wins over the global one, before it or after it.
  assert.deepEqual(unknown('sieve_implicit_extensions = quota\nprotocol {\n  sieve_implicit_extensions = acl\n}\n'), [
    `5: ${acl}`,
  ]);
  assert.deepEqual(
    unknown('protocol "" {\n  sieve_implicit_extensions = acl\n}\nsieve_implicit_extensions = quota\n'),
    [`4: ${acl}`],
  );
  // A block inside it adds to the global list; a named protocol is not read there.
  assert.deepEqual(
    unknown('sieve_extensions = acl\nprotocol {\n  sieve_extensions {\n    x = yes\n  }\n}\n').length,
    2,
  );
  assert.deepEqual(unknown('protocol imap {\n  sieve_implicit_extensions = acl\n}\n'), []);
});
