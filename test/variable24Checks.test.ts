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
const DOVECONF_24 = '/opt/dovecot-2.4.4/bin/doveconf';

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

/** Lines with `$SET:` of another setting, and what Dovecot says when it expands them at start (undefined: fine). */
const SET_REFERENCES: [line: string, failure: string | undefined][] = [
  ['mail_path = $SET:no_such_setting', 'Failed to expand $SET:no_such_setting: Unknown setting: no_such_setting'],
  ['mail_path = $SET:mail_plugins', "Failed to expand $SET:mail_plugins: Setting type can't be expanded to string"],
  ['mail_path = $SET:mail_home/Maildir', 'Failed to expand $SET:mail_home/Maildir: Unknown filter path: mail_home'],
  [
    'mail_path = $SET:protocol/imap/mail_home',
    'Failed to expand $SET:protocol/imap/mail_home: Unknown filter path: protocol/imap',
  ],
  [
    'mail_path = $SET:ssl_server/ssl_server_cert_file',
    'Failed to expand $SET:ssl_server/ssl_server_cert_file: Unknown filter path: ssl_server',
  ],
  ['mail_path = $SET:service/auth/service_client_limit', undefined],
  [
    'mail_path = $SET:service/auth/client_limit',
    'Failed to expand $SET:service/auth/client_limit: Unknown setting: client_limit',
  ],
  [
    'mail_path = $SET:service/auth/unix_listener',
    "Failed to expand $SET:service/auth/unix_listener: Setting type can't be expanded to string",
  ],
  ['mail_path = $SET:service/auth/unix_listener/auth-userdb/unix_listener_mode', undefined],
  [
    'service auth {\n}\nmail_path = $SET:service/auth/unix_listener/auth-userdb/no_such_setting',
    'Failed to expand $SET:service/auth/unix_listener/auth-userdb/no_such_setting: Unknown setting: no_such_setting',
  ],
  ['service auth {\n}\nmail_path = $SET:service/auth/unix_listener/auth-userdb/unix_listener_mode', undefined],
  [
    'mail_path = $SET:service/nosuch/service_client_limit',
    'Failed to expand $SET:service/nosuch/service_client_limit: Unknown filter path: service/nosuch',
  ],
  ['passdb x {\n  driver = static\n}\nmail_path = $SET:passdb/x/passdb_driver', undefined],
  [
    'mail_path = $SET:passdb/x/passdb_driver\npassdb x {\n  driver = static\n}',
    'Failed to expand $SET:passdb/x/passdb_driver: Unknown filter path: passdb/x',
  ],
  [
    'namespace inbox {\n  mailbox Sent {\n  }\n}\nmail_path = $SET:namespace/inbox/mailbox/Sent/auto',
    'Failed to expand $SET:namespace/inbox/mailbox/Sent/auto: Unknown setting: auto',
  ],
  ['mail_path = $SET:mail_home', undefined],
  ['mail_home = /home/%{user}\nmail_path = $SET:mail_home', undefined],
  ['login_greeting = $SET:login_greeting ready', undefined],
];

describe('$SET: of another setting in a Dovecot 2.4 value', () => {
  const messages = (line: string) =>
    analyse(`${HEAD}${line}\n`)
      .analysis.diagnostics.filter((d) => d.code === 'set-variable-fails-at-start')
      .map((d) => d.message);

  test('is reported when Dovecot cannot expand it at start: no such setting, a list, a path no filter has', () => {
    for (const [line, failure] of SET_REFERENCES) {
      const found = messages(line);
      if (failure === undefined) assert.deepEqual(found, [], line);
      else {
        assert.equal(found.length, 1, line);
        assert.ok(found[0].startsWith(failure), found[0]);
        assert.ok(
          found[0].endsWith(
            ': doveconf -n accepts this line, but Dovecot expands $SET: when it starts (as doveconf -x does) and stops here.',
          ),
          found[0],
        );
      }
    }
  });

  test('a built-in listener is found under a service block the user wrote too, before or after the line', () => {
    const unknown = 'mail_path = $SET:service/auth/unix_listener/auth-userdb/no_such_setting';
    for (const tree of [`service auth {\n  unix_listener x {\n  }\n}\n${unknown}`, `${unknown}\nservice auth {\n}`])
      assert.deepEqual(
        messages(tree).map((message) => message.slice(0, message.indexOf(': doveconf -n'))),
        [
          'Failed to expand $SET:service/auth/unix_listener/auth-userdb/no_such_setting: Unknown setting: no_such_setting',
        ],
        tree,
      );
    const known = 'login_greeting = $SET:service/imap-login/inet_listener/imap/inet_listener_port';
    assert.deepEqual(messages(`service imap-login {\n  inet_listener imaps {\n  }\n}\n${known}`), []);
  });

  test('a path ending in the short name inside the filter is told the full name', () => {
    const [message] = messages('mail_path = $SET:service/auth/client_limit');
    assert.match(
      message,
      /: Unknown setting: client_limit \(a \$SET: path takes the full name: \$SET:service\/auth\/service_client_limit\):/,
    );
  });

  test('is not judged where the filter path depends on what we cannot see, or in a template line', () => {
    // A filter Dovecot does not define itself, in a tree with a template part: a template may write it.
    const rendered = new MemoryHost({
      [ROOT]: `${HEAD}login_greeting = {{ greeting }}\nmail_path = $SET:passdb/x/passdb_driver\n`,
    });
    assert.deepEqual(
      getLanguageService(rendered)
        .analyze(ROOT, { dovecotVersion: '2.4' })
        .diagnostics.filter((d) => d.code === 'set-variable-fails-at-start'),
      [],
    );
    const host = new MemoryHost({ [ROOT]: `${HEAD}mail_path = $SET:{{ name }}\n` });
    const templated = getLanguageService(host).analyze(ROOT, { dovecotVersion: '2.4' });
    assert.deepEqual(
      templated.diagnostics.filter((d) => d.code === 'set-variable-fails-at-start'),
      [],
    );
  });

  const present = existsSync(DOVECONF_24);
  if (!present) console.log(`SKIPPED: no Dovecot 2.4 doveconf at ${DOVECONF_24} (see scripts/build-dovecot24.sh)`);
  test(
    'agrees with doveconf 2.4: -n accepts every line, -x fails exactly on the reported ones',
    { skip: !present },
    () => {
      const dir = mkdtempSync(path.join(tmpdir(), 'dovecot-set-reference-'));
      try {
        for (const [line, failure] of SET_REFERENCES) {
          const file = path.join(dir, 'dovecot.conf');
          writeFileSync(file, `${HEAD}${line}\n`);
          const run = (option: string) => spawnSync(DOVECONF_24, [option, '-c', file], { encoding: 'utf8' });
          assert.equal(run('-n').status, 0, line);
          const expanded = run('-x');
          if (failure === undefined) assert.equal(expanded.status, 0, `${line}: ${expanded.stderr}`);
          else assert.ok(expanded.stderr.includes(failure), `${line}: ${expanded.stderr}`);
        }
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  );
});

/** Lines with a `$SET:`/`$ENV:` that begins no word, and the error Dovecot stops with at start (undefined: none). */
const TEXT_REFERENCES: [string, string | undefined][] = [
  [
    'service_process_min_avail = x\t$SET:protocols',
    'service_process_min_avail: Invalid number x\t$SET:protocols: Not a valid number',
  ],
  ['mail_debug = x$ENV:HOME', 'mail_debug: Invalid boolean value: x$ENV:HOME (use yes or no)'],
  [
    'protocol imap {\n  mail_max_userip_connections = 1\t$ENV:HOME\n}',
    'mail_max_userip_connections: Invalid number 1\t$ENV:HOME: Not a valid number',
  ],
  // A string takes any text.
  ['login_greeting = x\t$SET:protocols', undefined],
];

describe('$SET: or $ENV: that begins no word in a Dovecot 2.4 value', () => {
  const messages = (line: string) =>
    analyse(`${HEAD}${line}\n`)
      .analysis.diagnostics.filter((d) => d.code === 'variable-text-fails-at-start')
      .map((d) => d.message);

  test('is text Dovecot checks when it starts: reported with the error it stops with', () => {
    for (const [line, failure] of TEXT_REFERENCES) {
      const found = messages(line);
      if (failure === undefined) assert.deepEqual(found, [], line);
      else {
        assert.equal(found.length, 1, line);
        assert.ok(found[0].startsWith(`${failure}: doveconf -n accepts this line`), found[0]);
      }
    }
  });

  const present = existsSync(DOVECONF_24);
  if (!present) console.log(`SKIPPED: no Dovecot 2.4 doveconf at ${DOVECONF_24} (see scripts/build-dovecot24.sh)`);
  test('agrees with doveconf 2.4: -n accepts every line, -x fails on the reported ones', { skip: !present }, () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'dovecot-text-reference-'));
    try {
      for (const [line, failure] of TEXT_REFERENCES) {
        const file = path.join(dir, 'dovecot.conf');
        writeFileSync(file, `${HEAD}${line}\n`);
        const run = (option: string) => spawnSync(DOVECONF_24, [option, '-c', file], { encoding: 'utf8' });
        assert.equal(run('-n').status, 0, line);
        const expanded = run('-x');
        // $ENV:HOME of the process running the test: a value outside a word would be expanded, never checked.
        if (failure === undefined && !line.includes('x $ENV:'))
          assert.equal(expanded.status, 0, `${line}: ${expanded.stderr}`);
        else if (failure !== undefined) assert.ok(expanded.stderr.includes(failure), `${line}: ${expanded.stderr}`);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
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
