// A 2.3-style `$name` in a Dovecot 2.4 tree: reported where it names a setting, fixed as the conversion to 2.4
// writes it, and checked against the real Dovecot 2.4 (its doveadm loads the mail plugins as mail processes do).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { getLanguageService } from '../server/src/service/dovecotLanguageService';
import { MemoryHost } from '../server/src/service/model/host';
import { ROOT } from './helpers/cursor';

const HEAD = 'dovecot_config_version = 2.4.4\ndovecot_storage_version = 2.4.4\n';
const DOVEADM_24 = '/opt/dovecot-2.4.4/bin/doveadm';

function analyse(text: string, dovecotVersion: '2.3' | '2.4' = '2.4') {
  const host = new MemoryHost({ [ROOT]: text });
  const service = getLanguageService(host);
  return { host, service, analysis: service.analyze(ROOT, { dovecotVersion }) };
}

const reported = (text: string, dovecotVersion: '2.3' | '2.4' = '2.4') =>
  analyse(text, dovecotVersion)
    .analysis.diagnostics.filter((d) => d.code === 'setting-variable-23')
    .map((d) => text.split('\n')[d.range.start.line].slice(d.range.start.character, d.range.end.character));

/** The text after the preferred quick fix of the first setting-variable-23 diagnostic. */
function fixed(text: string): string {
  const { host, service, analysis } = analyse(text);
  const found = analysis.diagnostics.find((d) => d.code === 'setting-variable-23');
  assert.ok(found, `not reported on:\n${text}`);
  const diagnostic = { range: found.range, message: found.message, code: found.code, data: found.data };
  const preferred = service.doQuickFixes(analysis, ROOT, [diagnostic], host).find(({ fix }) => fix.isPreferred);
  assert.ok(preferred, 'no preferred fix');
  return TextDocument.applyEdits(TextDocument.create(ROOT, 'dovecot', 1, text), preferred.fix.edits[ROOT]);
}

describe('$name in a Dovecot 2.4 value', () => {
  test('is reported where it names a setting, as 2.4 keeps it as literal text', () => {
    assert.deepEqual(reported(`${HEAD}mail_plugins = $mail_plugins quota\n`), ['$mail_plugins']);
    assert.deepEqual(reported(`${HEAD}protocol imap {\n  mail_plugins = $mail_plugins imap_quota\n}\n`), [
      '$mail_plugins',
    ]);
    assert.deepEqual(reported(`${HEAD}login_greeting = $login_greeting ready\n`), ['$login_greeting']);
  });

  test('says what 2.4 does with it: a list element (naming the block to write), or text to write as $SET:', () => {
    const [list] = analyse(`${HEAD}mail_plugins = $mail_plugins quota\n`).analysis.diagnostics;
    assert.equal(
      list.message,
      '$mail_plugins is how Dovecot 2.3 reads a setting: 2.4 expands only $SET:name and $ENV:NAME and keeps "$mail_plugins" as literal text: mail_plugins gets an element named "$mail_plugins", and mail processes stop with "Plugin \'$mail_plugins\' not found". Add to the list with a block: mail_plugins { quota = yes }.',
    );
    const [protocols] = analyse(`${HEAD}protocols = $protocols\n`).analysis.diagnostics;
    assert.match(
      protocols.message,
      /protocols gets an element named "\$protocols"\. Add to the list with a block: protocols \{ NAME = yes \}\.$/,
    );
    const [text] = analyse(`${HEAD}login_greeting = $login_greeting ready\n`).analysis.diagnostics;
    assert.match(text.message, /keeps "\$login_greeting" as literal text\. Write \$SET:login_greeting\.$/);
  });

  test('is not reported for $SET:, $ENV:, a $ that names no setting, a secret, a quoted value or a 2.3 tree', () => {
    assert.deepEqual(reported(`${HEAD}login_greeting = $SET:login_greeting ready $ENV:HOSTNAME\n`), []);
    assert.deepEqual(reported(`${HEAD}login_greeting = costs $5 $nothing_of_that_name\n`), []);
    assert.deepEqual(reported(`${HEAD}doveadm_password = $mail_plugins\n`), []);
    assert.deepEqual(reported(`${HEAD}login_greeting = "$login_greeting ready"\n`), []);
    assert.deepEqual(reported('mail_plugins = $mail_plugins quota\n', '2.3'), []);
  });

  test('the quick fix writes what the conversion writes: a block for a list, $SET: for text', () => {
    const list = fixed(`${HEAD}mail_plugins = $mail_plugins quota\n`);
    assert.equal(list, `${HEAD}mail_plugins {\n  quota = yes\n}\n`);
    assert.deepEqual(analyse(list).analysis.diagnostics, []);
    const text = fixed(`${HEAD}login_greeting = $login_greeting ready\n`);
    assert.equal(text, `${HEAD}login_greeting = $SET:login_greeting ready\n`);
    assert.deepEqual(analyse(text).analysis.diagnostics, []);
  });
});

describe('with the real Dovecot 2.4', () => {
  const present = existsSync(DOVEADM_24);
  if (!present) console.log(`SKIPPED: no Dovecot 2.4 doveadm at ${DOVEADM_24} (see scripts/build-dovecot24.sh)`);

  test(
    'its mail processes stop on $mail_plugins, and get past loading the plugins once the quick fix is applied',
    { skip: !present },
    () => {
      const dir = mkdtempSync(path.join(tmpdir(), 'dovecot-setting-variable-'));
      try {
        const tree = (plugins: string) =>
          [
            HEAD.trimEnd(),
            `base_dir = ${dir}/run`,
            `state_dir = ${dir}/state`,
            'log_path = /dev/stderr',
            'mail_driver = maildir',
            `mail_home = ${dir}/home/%{user}`,
            'mail_path = ~/Maildir',
            plugins,
            'userdb static {\n  fields {\n    uid = root\n    gid = root\n  }\n}',
            'passdb static {\n  password = x\n}',
            '',
          ].join('\n');
        const mailboxList = (text: string) => {
          const file = path.join(dir, 'dovecot.conf');
          writeFileSync(file, text);
          const run = spawnSync(DOVEADM_24, ['-c', file, 'mailbox', 'list', '-u', 'test'], { encoding: 'utf8' });
          return `${run.stdout}${run.stderr}`;
        };
        const broken = tree('mail_plugins = $mail_plugins quota');
        assert.match(mailboxList(broken), /Fatal: Plugin '\$mail_plugins' not found/);
        assert.deepEqual(reported(broken), ['$mail_plugins']);
        const repaired = fixed(broken);
        // No auth service runs here: getting as far as the user lookup shows the plugins loaded.
        const after = mailboxList(repaired);
        assert.doesNotMatch(after, /Plugin .* not found/);
        assert.match(after, /User lookup failed/);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  );
});
