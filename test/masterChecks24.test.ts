// The master checks Dovecot 2.4 runs when it starts (doveconf -x and Dovecot at start; doveconf -n skips them).
// Every expectation here was checked with doveconf 2.4.4 -x (the oracle cases ms01-ms49 of test/oracle24 record
// the same facts against the real binary); the last test runs each configuration through the live doveconf -x.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import { rulesOf } from '../server/src/service/analysis/rules';
import { DOVECONF_24 } from './oracle24/verdict';
import { analyzeFiles } from './helpers/analyze';

const HEAD = 'dovecot_config_version = 2.4.4\ndovecot_storage_version = 2.4.4\n';
const SUFFIX = '. doveconf -n accepts this, but Dovecot stops at start (as doveconf -x does).';
const MASTER: ReadonlySet<string> = new Set(rulesOf('master').map((rule) => rule.id));

/** `line: message [code]` (1-based line, without the start-time suffix) of the master findings on a 2.4 tree. */
function master(body: string): string[] {
  return analyzeFiles(`${HEAD}${body}\n`)
    .diagnostics.filter((d) => MASTER.has(d.code))
    .map((d) => `${d.range.start.line + 1}: ${d.message.replace(SUFFIX, '')} [${d.code}]`);
}

/** Configurations with what doveconf 2.4.4 -x says first (undefined: it accepts), and what we report. */
const CASES: { body: string; doveconf: string | undefined; ours: string[] }[] = [
  {
    body: 'service_process_limit = 10',
    doveconf: 'service(anvil): process_limit must be 1',
    ours: ['3: service(anvil): process_limit must be 1 [service-process-limit]'],
  },
  {
    body: 'default_process_limit = 0',
    doveconf: 'service(config): process_limit must be higher than 0',
    ours: ['3: service(config): process_limit must be higher than 0 [service-limit-zero]'],
  },
  {
    body: 'default_idle_kill_interval = 0',
    doveconf: 'service(auth): idle_kill_interval must be higher than 0 (did you mean "unlimited"?)',
    ours: [
      '3: service(auth): idle_kill_interval must be higher than 0 (did you mean "unlimited"?) [service-limit-zero]',
    ],
  },
  {
    body: 'protocols = imap\nservice imap {\n  vsz_limit = 0\n}',
    doveconf: 'service(imap): vsz_limit is too low (did you mean "unlimited"?)',
    ours: ['5: service(imap): vsz_limit is too low (did you mean "unlimited"?) [service-vsz-limit]'],
  },
  { body: 'service imap {\n  vsz_limit = 0\n}', doveconf: undefined, ours: [] },
  {
    body: 'protocols = imap\nservice imap-login {\n  drop_priv_before_exec = yes\n}',
    doveconf: "service(imap-login): drop_priv_before_exec=yes can't be used with chroot",
    ours: ["5: service(imap-login): drop_priv_before_exec=yes can't be used with chroot [service-drop-priv-chroot]"],
  },
  {
    body: 'service auth {\n  reuse_port = yes\n}',
    doveconf: 'service(auth): process_min_avail must be equal to process_limit when using service_reuse_port=yes',
    ours: [
      '4: service(auth): process_min_avail must be equal to process_limit when using service_reuse_port=yes [service-min-avail]',
    ],
  },
  {
    body: 'service config {\n  type = foo\n}',
    doveconf: 'Unknown service type: foo',
    ours: ['4: Unknown service type: foo [service-type-unknown]'],
  },
  {
    body: 'protocols {\n  imap = yes\n  nosuch = yes\n}',
    doveconf: 'protocols: Unknown protocol: nosuch',
    ours: ['5: protocols: Unknown protocol: nosuch [unknown-protocol]'],
  },
  // 2.4 keeps a `$word` other than $SET: and $ENV: as written: it names a protocol.
  {
    body: 'protocols = imap $foo',
    doveconf: 'protocols: Unknown protocol: $foo',
    ours: ['3: protocols: Unknown protocol: $foo [unknown-protocol]'],
  },
  {
    body: 'protocols = $$ imap',
    doveconf: 'protocols: Unknown protocol: $$',
    ours: ['3: protocols: Unknown protocol: $$ [unknown-protocol]'],
  },
  {
    body: 'protocols = none',
    doveconf: 'protocols: Unknown protocol: none',
    ours: ['3: protocols: Unknown protocol: none [unknown-protocol]'],
  },
  { body: 'service foo {\n  protocol = bar\n}\nprotocols = bar', doveconf: undefined, ours: [] },
  {
    body: 'service zz {\n}\nservice ab {\n  name = ""\n}',
    doveconf: 'Service #28 is missing name',
    ours: ['6: Service #28 is missing name [service-missing-name]'],
  },
  {
    body: 'service foo {\n  name = anvil\n}',
    doveconf: 'Duplicate service name: anvil',
    ours: ['4: Duplicate service name: anvil [duplicate-service-name]'],
  },
  {
    body: 'inet_listener foo {\n  port = 12345\n}',
    doveconf: 'duplicate listener: 12345:*',
    ours: ['4: duplicate listener: 12345:* [duplicate-listener]'],
  },
  {
    body: 'protocols = imap\nservice imap-login {\n  inet_listener x {\n    port = 143\n  }\n}',
    doveconf: 'duplicate listener: 143:*',
    ours: ['6: duplicate listener: 143:* [duplicate-listener]'],
  },
  {
    body: 'protocols = imap\nservice imap-login {\n  listen = 127.0.0.1\n}\nservice doveadm {\n  inet_listener x {\n    port = 143\n  }\n}',
    doveconf: undefined,
    ours: [],
  },
  {
    body: 'base_dir = /tmp/dovecot-lint-base\nservice foo {\n  unix_listener auth-userdb {\n  }\n}',
    doveconf: 'duplicate listener: /tmp/dovecot-lint-base/auth-userdb',
    ours: ['5: duplicate listener: /tmp/dovecot-lint-base/auth-userdb [duplicate-listener]'],
  },
  { body: 'service foo {\n  unix_listener auth-userdb {\n    mode = 0\n  }\n}', doveconf: undefined, ours: [] },
  // A listener's path is never expanded: every unix listener takes the same text.
  {
    body: 'base_dir = /tmp/dovecot-lint-base\nunix_listener_path = %{user}',
    doveconf: 'duplicate listener: /tmp/dovecot-lint-base/%{user}',
    ours: ['4: duplicate listener: /tmp/dovecot-lint-base/%{user} [duplicate-listener]'],
  },
  {
    body: 'protocols = imap\nservice imap {\n  unix_listener "" {\n  }\n}',
    doveconf: 'service(imap): unix_listener: path must not be empty',
    ours: ['5: service(imap): unix_listener: path must not be empty [listener-path-empty]'],
  },
];

describe('Dovecot 2.4 master checks at start', () => {
  test("are reported with doveconf -x's message, on the line that causes them", () => {
    for (const { body, doveconf, ours } of CASES) {
      assert.deepEqual(master(body), ours, body);
      if (doveconf !== undefined)
        assert.ok(
          ours.some((line) => line.includes(` ${doveconf} [`)),
          body,
        );
    }
  });

  test('say that doveconf -n accepts the line and Dovecot stops at start', () => {
    const [finding] = analyzeFiles(`${HEAD}default_client_limit = 0\n`).diagnostics;
    assert.equal(finding.code, 'service-limit-zero');
    assert.equal(finding.message, `service(anvil): client_limit must be higher than 0${SUFFIX}`);
  });

  test('a global line that fails every service is reported once, for the first service', () => {
    assert.deepEqual(master('service_vsz_limit = 100k'), [
      '3: service(anvil): vsz_limit is too low (did you mean "unlimited"?) [service-vsz-limit]',
    ]);
  });

  test('a duplicate relative path is named in base_dir when base_dir is the one Dovecot was built with', () => {
    assert.deepEqual(master('service foo {\n  unix_listener auth-userdb {\n  }\n}'), [
      '4: duplicate listener: auth-userdb in base_dir [duplicate-listener]',
    ]);
  });

  test('are not judged where a value is unknown: $ENV:, $SET:, <file, %{…}, include groups', () => {
    assert.deepEqual(master('default_process_limit = $ENV:LIMIT'), []);
    assert.deepEqual(master('service_process_limit = $SET:default_client_limit'), []);
    assert.deepEqual(master('service_process_limit = </etc/dovecot/limit'), []);
    assert.deepEqual(master('service_chroot = %{env:CHROOT}'), []);
    assert.deepEqual(master('protocols = $ENV:PROTOCOLS'), []);
    assert.deepEqual(master('protocols = imap\nservice imap {\n  process_limit = $ENV:LIMIT\n}'), []);
    const group = 'group @services big {\n  service_process_limit = 10\n}\n@services = big\nservice_process_limit = 10';
    assert.deepEqual(master(group), []);
  });

  test('are not judged where the order of two lines decides: a top-level listener block and a listener setting in a service', () => {
    const body =
      'base_dir = /tmp/b\nunix_listener bar {\n  mode = 0\n}\nservice foo {\n  unix_listener_mode = 0600\n  unix_listener bar {\n  }\n}';
    assert.deepEqual(master(`${body}\nservice foo2 {\n  unix_listener bar {\n    mode = 0600\n  }\n}`), []);
  });

  test('a 2.3 tree keeps the 2.3 messages and reads 0 as the default', () => {
    assert.deepEqual(
      analyzeFiles(
        'service anvil {\n  vsz_limit = 0\n}\nservice imap {\n  vsz_limit = 100k\n}\nprotocols = imap\n',
      ).diagnostics.map((d) => d.message),
      ['service(imap): vsz_limit is too low'],
    );
  });
});

describe('a service block inside a filter that sets listen', () => {
  const panic = (body: string) =>
    analyzeFiles(`${HEAD}${body}\n`)
      .diagnostics.filter((d) => d.code === 'service-in-filter-aborts')
      .map((d) => `${d.range.start.line + 1}: ${d.message}`);

  test('is reported where Dovecot 2.4.4 aborts for certain: built-in protocol services only', () => {
    assert.deepEqual(panic('protocol imap {\n  listen = 127.0.0.1\n  service imap-login {\n  }\n}'), [
      "5: Panic: Unexpectedly didn't find service auth: Dovecot 2.4.4 checks the services of protocol imap { } on their own when it starts and aborts (as doveconf -x does); doveconf -n accepts this.",
    ]);
    assert.equal(panic('local 10.0.0.1 {\n  listen = 10.0.0.1\n  service imap {\n  }\n}').length, 1);
  });

  test('is left alone where something else may fail first or the filter has its own auth and anvil', () => {
    assert.deepEqual(
      panic('protocol imap {\n  listen = 127.0.0.1\n  service auth {\n  }\n  service anvil {\n  }\n}'),
      [],
    );
    assert.deepEqual(panic('protocol imap {\n  listen = 127.0.0.1\n  service foo {\n  }\n}'), []);
    assert.deepEqual(panic('protocol imap {\n  listen = 127.0.0.1\n  protocols = imap\n  service imap {\n  }\n}'), []);
    assert.deepEqual(panic('protocol imap {\n  listen = $ENV:ADDRESS\n  service imap {\n  }\n}'), []);
    assert.deepEqual(
      panic('service imap {\n  type = login\n}\nprotocol imap {\n  listen = 127.0.0.1\n  service imap {\n  }\n}'),
      [],
    );
  });
});

const present = existsSync(DOVECONF_24);
if (!present) console.log(`SKIPPED: no Dovecot 2.4 doveconf at ${DOVECONF_24} (see scripts/build-dovecot24.sh)`);

test(
  'agrees with the live doveconf 2.4 -x: -n accepts each case, -x fails with what we report first',
  { skip: !present },
  () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'dovecot-master24-'));
    try {
      for (const { body, doveconf } of CASES) {
        const file = path.join(dir, 'dovecot.conf');
        writeFileSync(file, `${HEAD}${body}\n`);
        const plain = spawnSync(DOVECONF_24, ['-n', '-c', file], { encoding: 'utf8' });
        assert.equal(plain.status, 0, `${body}: ${plain.stderr}`);
        const expanded = spawnSync(DOVECONF_24, ['-x', '-n', '-c', file], { encoding: 'utf8' });
        if (doveconf === undefined) assert.equal(expanded.status, 0, `${body}: ${expanded.stderr}`);
        else
          assert.ok(
            expanded.stderr.includes(`Error in configuration file ${file}: ${doveconf}\n`),
            `${body}: ${expanded.stderr}`,
          );
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
);
