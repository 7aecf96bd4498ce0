// Dovecot 2.3's `$name` in a value (config_write_keyvariable@2.3.19): `doveconf -n` expands only
// `key = $key`, the config service expands every variable when Dovecot starts (`doveconf -x -n` reads the
// configuration as it does). With doveconf installed, every case is run through both: where we report
// unknown-self-variable `doveconf -n` stops there with `Unknown variable: $name`; where we report
// unknown-variable `doveconf -n` accepts and `-x` stops there with it; where we say nothing, `-x` accepts.
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { getLanguageService } from '../server/src/service/dovecotLanguageService';
import { MemoryHost } from '../server/src/service/model/host';
import { doveconfInstalled, parseVerdict } from './oracle/cases';
import { tempDir } from './helpers/tempDir';

const ROOT = '/etc/dovecot/dovecot.conf';

function diagnostics(text: string) {
  return getLanguageService(new MemoryHost({ [ROOT]: text })).analyze(ROOT, { dovecotVersion: '2.3' }).diagnostics;
}

/** The variable findings as `code@line:character`. */
function found(text: string): string[] {
  return diagnostics(text)
    .filter((d) => d.code.includes('variable'))
    .map((d) => `${d.code}@${d.range.start.line}:${d.range.start.character}`);
}

interface Case {
  name: string;
  text: string;
  /** What we report, as `code@line:character`. */
  expected: string[];
}

const CASES: Case[] = [
  { name: 'a name no setting has', text: 'mail_plugins = $foo quota\n', expected: ['unknown-variable@0:15'] },
  {
    name: 'self-references, other settings, $ENV: and quoted or embedded dollars',
    text: 'mail_plugins = quota\nmail_plugins = $mail_plugins acl\nlogin_greeting = $ENV:GREET ready\npostmaster_address = "$mail_plugins"\nmail_location = maildir:~/x$y\n',
    expected: [],
  },
  // `$key` reads only top-level settings, inside a section too: doveconf -n stops with `Unknown variable: $key`.
  {
    name: 'key = $key in a service',
    text: 'service imap {\n  vsz_limit = $vsz_limit\n}\n',
    expected: ['unknown-self-variable@1:14'],
  },
  {
    name: 'key = $key more after a value in a service',
    text: 'service imap {\n  vsz_limit = 1G\n  vsz_limit = $vsz_limit 1\n}\n',
    expected: ['unknown-self-variable@2:14'],
  },
  {
    name: 'key = $key in a listener',
    text: 'service imap-login {\n  inet_listener imap {\n    port = $port\n  }\n}\n',
    expected: ['unknown-self-variable@2:11'],
  },
  {
    name: 'key = $key in a namespace',
    text: 'namespace inbox {\n  inbox = yes\n  prefix = $prefix\n}\n',
    expected: ['unknown-self-variable@2:11'],
  },
  {
    name: 'key = $key in a passdb',
    text: 'passdb {\n  driver = pam\n  args = $args x\n}\n',
    expected: ['unknown-self-variable@2:9'],
  },
  {
    name: 'key = $key in plugin {}',
    text: 'plugin {\n  x = 1\n  x = $x 2\n}\n',
    expected: ['unknown-self-variable@2:6'],
  },
  {
    name: 'key = $key of a top-level setting in a filter',
    text: 'mail_plugins = quota\nprotocol imap {\n  mail_plugins = $mail_plugins imap_quota\n}\n',
    expected: [],
  },
  {
    name: 'another setting of the section is no top-level setting either',
    text: 'service imap-login {\n  inet_listener imap {\n    port = 143\n    address = $port\n  }\n}\n',
    expected: ['unknown-variable@3:14'],
  },
  {
    name: 'a top-level setting read in a section',
    text: 'service imap {\n  user = $default_internal_user\n}\n',
    expected: [],
  },
  // Dovecot splits the words at spaces only: `a<tab>$foo` is one literal word.
  { name: 'a $ after a tab', text: 'mail_location = maildir:~/M\t$foo\n', expected: [] },
  {
    name: 'a $ after a space and a tab',
    text: 'mail_location = maildir:~/M \t$foo\n',
    expected: ['unknown-variable@0:29'],
  },
  // A section path reads the setting of an existing section (not judged); `$foo/bar` reads nothing.
  { name: 'a section path', text: 'mail_location = $service/imap/vsz_limit\n', expected: [] },
  { name: 'a path under no setting', text: 'mail_location = $foo/bar\n', expected: ['unknown-variable@0:16'] },
];

describe('variable checks (Dovecot 2.3)', () => {
  for (const { name, text, expected } of CASES) it(name, () => assert.deepEqual(found(text), expected, text));

  it('the messages say why: $name reads only top-level settings', () => {
    const [self] = diagnostics('service imap {\n  vsz_limit = $vsz_limit\n}\n');
    assert.match(self.message, /^Unknown variable: \$vsz_limit\. .*no top-level vsz_limit/);
    const [other] = diagnostics(CASES.find((c) => c.name.startsWith('another setting'))!.text);
    assert.match(other.message, /^Unknown variable: \$port\. .*port is only a setting of this section/);
  });
});

describe('variable checks against the real doveconf 2.3', () => {
  const installed = doveconfInstalled();
  if (!installed) console.log('SKIPPED: doveconf not installed (Debian dovecot-core); the cases above still ran');
  const dir = installed ? tempDir('variable-checks-') : '';
  /** `doveconf [-x] -n` on the text: its verdict. */
  const verdict = (name: string, text: string, expand: boolean) => {
    const file = `${name.replace(/[^a-z0-9]+/gi, '-')}.conf`;
    writeFileSync(path.join(dir, file), text);
    const run = spawnSync('doveconf', [...(expand ? ['-x'] : []), '-n', '-c', file], { cwd: dir, encoding: 'utf8' });
    return parseVerdict(`${run.stdout}${run.stderr}`, run.status ?? -1);
  };
  for (const { name, text, expected } of CASES) {
    it(name, (t) => {
      if (!installed) return t.skip('doveconf not installed');
      const unexpanded = verdict(name, text, false);
      const expanded = verdict(name, text, true);
      const [ours] = expected;
      if (ours === undefined) {
        assert.ok(expanded.accepted, `doveconf -x -n accepts: ${JSON.stringify(expanded)}`);
        return;
      }
      const line = Number(/@(\d+):/.exec(ours)![1]) + 1;
      const theirs = ours.startsWith('unknown-self-variable') ? unexpanded : expanded;
      if (!ours.startsWith('unknown-self-variable')) assert.ok(unexpanded.accepted, 'doveconf -n accepts');
      assert.equal(theirs.fatal?.line, line, JSON.stringify(theirs));
      assert.match(theirs.fatal?.message ?? '', /^Unknown variable: \$/);
    });
  }
});
