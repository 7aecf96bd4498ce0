// Tier 3 oracle for Dovecot 2.4: every case of test/oracle24/cases.txt (recorded with the real
// doveconf 2.4.4) is written to disk and analysed; our verdict must agree with the recorded one
// (accept/reject, file, line, message), and with the live binary when scripts/build-dovecot24.sh
// has built it.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import { readCases, runDoveconf, writeCase, type OracleCase, type RecordedOutput } from './oracle/cases';
import { analyzeOnDisk, disagreements, JOINED_ACROSS_FILES, type Exception } from './oracle/compare';
import { DOVECONF_24, parseVerdict24 } from './oracle24/verdict';

const RECORDED = path.join(__dirname, 'oracle24', 'cases.txt');

/** Cases where a rule of ours (not doveconf's) deliberately adds a diagnostic, and why. */
const EXCEPTIONS: Record<string, Exception> = {
  'dr05_empty_file_value.conf': {
    extraRules: ['file-not-regular'],
    why: 'doveconf -n keeps "<" as written; Dovecot, started with the absolute path of its configuration, reads "<" as the directory of the file and its config service fails (read() failed: Is a directory); doveconf -x run on a relative path opens "" instead',
  },
  'x03_var_23.conf': {
    extraRules: ['variable-syntax-23'],
    why: 'doveconf 2.4 keeps %d and %n as literal text; the mail path is wrong at run time',
  },
  'm04_replicator_service.conf': {
    extraRules: ['replication-removed-in-2.4'],
    why: 'doveconf accepts a replicator service block, but 2.4 has no replicator',
  },
  'k22_2_3_mail_plugins.conf': {
    extraRules: ['setting-variable-23'],
    why: 'doveconf 2.4 keeps $mail_plugins as a plugin name; mail processes stop: Plugin not found',
  },
  'm08_mail_plugins_replication.conf': {
    extraRules: ['replication-removed-in-2.4'],
    why: 'doveconf accepts the plugin name; the plugin does not exist in 2.4',
  },
  't15_octal_decimal.conf': {
    extraRules: ['mode-read-as-decimal'],
    why: 'doveconf reads mode = 660 as the decimal number 660 (mode 01224) and accepts it; the socket is made -w--w-r--',
  },
  'dz17_dropped_continuation_before_version.conf': {
    extraRules: ['continuation-dropped'],
    why: 'the continued line is never set as written: doveconf reads it joined to the version line, which it then refuses',
  },
  'dz18_dropped_continuation_joins_brace_before_version.conf': {
    extraRules: ['continuation-dropped'],
    why: 'the continued line is never set as written: doveconf reads it joined to the { line, which it then refuses',
  },
  'inc/dz20.conf': {
    extraRules: ['continuation-joins-next-file'],
    why: 'an included file ends in a continuation that Dovecot joins with the next line it reads; doveconf says nothing, we warn',
  },
  ...JOINED_ACROSS_FILES,
  'inc/dz21.conf': {
    extraRules: ['continuation-joins-next-file'],
    why: 'an included file ends in a continuation that Dovecot joins with the next line it reads; doveconf says nothing, we warn',
  },
  'ds02_no_version_ends_in_continuation.conf': {
    extraRules: ['continuation-dropped'],
    why: 'the continued line ends the file: doveconf reads its built-in settings onto it and aborts, Dovecot never sets it',
  },
  'dz19_dropped_continuation_after_version.conf': {
    extraRules: ['continuation-dropped'],
    why: 'doveconf accepts the file and drops mail_debug = yes without a word',
  },
  'r06_mail_log_field.conf': {
    extraRules: ['mail-plugin-dependency-missing'],
    why: 'mail_plugins = mail_log without notify: doveadm and the mail processes stop with Plugin notify must be loaded also',
  },
};

const haveDoveconf24 = existsSync(DOVECONF_24);
if (!haveDoveconf24)
  console.log(
    'SKIPPED: no Dovecot 2.4 doveconf (see scripts/build-dovecot24.sh); the recorded 2.4 verdicts are still checked.',
  );

/** Our verdict against doveconf -n's (`plain`) and, for the errors Dovecot finds when it starts, doveconf -x -n's. */
function check(testCase: OracleCase, plain: RecordedOutput, expanded: RecordedOutput): string[] {
  const configPath = writeCase(testCase);
  return disagreements(
    analyzeOnDisk(configPath, { dovecotVersion: '2.4' }),
    parseVerdict24(plain.output, plain.rc, configPath),
    path.dirname(configPath),
    EXCEPTIONS[testCase.name],
    parseVerdict24(expanded.output, expanded.rc, configPath),
  );
}

/** The recorded doveconf -x -n output of a case (every recorded case has one). */
function recordedExpanded(testCase: OracleCase): RecordedOutput {
  assert.ok(testCase.recorded.expanded, `${testCase.name} has a recorded doveconf -x -n verdict`);
  return testCase.recorded.expanded;
}

const cases = readCases(RECORDED);

describe(`oracle 2.4: recorded doveconf 2.4.4 verdicts (${cases.length})`, () => {
  test('the case file is complete', () => {
    assert.ok(cases.length >= 150, `${cases.length} cases`);
    // rc=-1: killed by a signal, recorded only with the Panic doveconf printed (doveadm_proxy_port aborts it).
    for (const { name, recorded, lines } of cases)
      assert.ok((recorded.rc >= 0 || /^doveconf: Panic: /m.test(recorded.output)) && lines.length > 0, name);
  });
  const failures: string[] = [];
  for (const testCase of cases) {
    test(`${testCase.name} vs recorded output`, () => {
      const problems = check(testCase, testCase.recorded, recordedExpanded(testCase));
      if (problems.length > 0) failures.push(testCase.name);
      assert.deepEqual(problems, [], testCase.name);
    });
  }
  test('agreement summary', () => {
    console.log(
      `oracle 2.4: ${cases.length - failures.length}/${cases.length} recorded cases agree with doveconf 2.4.4`,
    );
  });
});

describe('oracle 2.4: live doveconf 2.4.4', () => {
  for (const testCase of cases) {
    test(`${testCase.name} vs live doveconf`, (t) => {
      if (!haveDoveconf24) {
        t.skip('SKIPPED: no Dovecot 2.4 doveconf (see scripts/build-dovecot24.sh)');
        return;
      }
      const configPath = writeCase(testCase);
      const plain = runDoveconf(configPath, DOVECONF_24);
      const expanded = runDoveconf(configPath, DOVECONF_24, true);
      const verdict = (run: RecordedOutput) => parseVerdict24(run.output, run.rc, configPath);
      assert.deepEqual(verdict(plain), verdict(testCase.recorded), `live doveconf -n gives the recorded verdict`);
      assert.deepEqual(
        verdict(expanded),
        verdict(recordedExpanded(testCase)),
        `live doveconf -x gives the recorded verdict`,
      );
      assert.deepEqual(check(testCase, plain, expanded), [], testCase.name);
    });
  }
});

test('every 2.4 exception names a case that exists', () => {
  const names = new Set(cases.map((testCase) => testCase.name));
  for (const name of Object.keys(EXCEPTIONS)) assert.ok(names.has(name), name);
});

test('the 2.4 comparison can fail: a wrong message is reported', () => {
  const testCase: OracleCase = {
    name: 'self24.conf',
    header: '',
    lines: ['dovecot_config_version = 2.4.4', 'dovecot_storage_version = 2.4.4', 'mail_drivr = maildir'],
    recorded: { output: '', rc: 89 },
  };
  const wrong = 'doveconf: Fatal: Error in configuration file self24.conf line 3: mail_drivr: Invalid value';
  const accepted = { output: '', rc: 0 };
  assert.equal(check(testCase, { output: wrong, rc: 89 }, { output: wrong, rc: 89 }).length, 1);
  assert.equal(check(testCase, accepted, accepted).length, 1);
});

test('the 2.4 comparison can fail: a warning without a line that we do not give', () => {
  const testCase: OracleCase = {
    name: 'self24w.conf',
    header: '',
    lines: ['dovecot_config_version = 2.4.4', 'dovecot_storage_version = 2.4.4', 'ssl_min_protocol = TLSv1.2'],
    recorded: { output: '', rc: 0 },
  };
  const warning = 'doveconf: Warning: ssl_min_protocol=ANY is used - This is insecure and intended only for testing';
  const accepted = { output: '', rc: 0 };
  assert.equal(check(testCase, { output: warning, rc: 0 }, accepted).length, 1);
  assert.equal(check(testCase, accepted, accepted).length, 0);
});

test('the 2.4 comparison can fail: a start-time error doveconf -x does not give, or one it gives that we miss', () => {
  const lines = (value: string) => [
    'dovecot_config_version = 2.4.4',
    'dovecot_storage_version = 2.4.4',
    `mail_path = ${value}`,
  ];
  const unknown: OracleCase = {
    name: 'self24x.conf',
    header: '',
    lines: lines('$SET:nosuch'),
    recorded: { output: '', rc: 0 },
  };
  const fine: OracleCase = { ...unknown, lines: lines('$SET:mail_home') };
  const accepted = { output: '', rc: 0 };
  const fatal = (message: string) => ({
    output: `doveconf: Fatal: Error in configuration file self24x.conf line 3: ${message}`,
    rc: 89,
  });
  const rejected = fatal('Failed to expand $SET:nosuch: Unknown setting: nosuch');
  assert.deepEqual(check(unknown, accepted, rejected), []);
  assert.equal(check(unknown, accepted, accepted).length, 1, 'we report what doveconf -x accepts');
  assert.equal(check(unknown, accepted, fatal('Failed to expand $SET:nosuch: something else')).length, 1);
  assert.equal(check(fine, accepted, rejected).length, 1, 'doveconf -x rejects, we say nothing');
  const panic = { output: "doveconf: Panic: Unexpectedly didn't find service auth", rc: -1 };
  assert.equal(check(unknown, accepted, panic).length, 1, 'doveconf -x aborts on something else');
  const machine = fatal('ssl_server_cert_file: open(/etc/ssl/cert.pem) failed: No such file or directory');
  assert.deepEqual(check(fine, accepted, machine), [], 'a file this machine lacks is not ours to judge');
});

test('the 2.4 comparison can fail: doveconf -n aborts with a Panic our first error does not name', () => {
  const testCase: OracleCase = {
    name: 'self24p.conf',
    header: '',
    lines: ['dovecot_config_version = 2.4.4', 'dovecot_storage_version = 2.4.4', 'login_greeting = %{ $SET:x'],
    recorded: { output: '', rc: -1 },
  };
  const accepted = { output: '', rc: 0 };
  const panic = (text: string) => ({ output: `doveconf: Panic: ${text}`, rc: -1 });
  assert.deepEqual(check(testCase, panic('%{ $SET:x: Premature program end'), accepted), []);
  assert.equal(check(testCase, panic('file config-parser.c: line 747: unreached'), accepted).length, 1);
});

test('doveconf -n aborting on its built-in settings is its own bug: only that both reject is compared', () => {
  // The root ends in a `\` continuation before any setting: doveconf reads its built-in settings onto it.
  const testCase: OracleCase = {
    name: 'self24i.conf',
    header: '',
    lines: ['# no version', 'mail_path = ~/Maildir \\'],
    recorded: { output: '', rc: -1 },
  };
  const panic = (text: string) => ({ output: `doveconf: Panic: ${text}`, rc: -1 });
  const builtIn = panic("Error in internal import configuration line 2: Expecting '{'");
  // Our warning on the dropped continuation is no rule of doveconf's: the differential tier leaves it out too.
  const ofDoveconf = (problems: string[]) => problems.filter((problem) => !problem.startsWith('unlisted '));
  assert.deepEqual(ofDoveconf(check(testCase, builtIn, builtIn)), [], 'our first error names no Panic, and need not');
  const accepting: OracleCase = {
    ...testCase,
    lines: ['dovecot_config_version = 2.4.4', 'dovecot_storage_version = 2.4.4', 'mail_path = ~/Maildir'],
  };
  assert.equal(check(accepting, builtIn, builtIn).length, 1, 'doveconf aborts, we report no error');
  // Any other Panic is still doveconf's verdict, which our first error must name.
  assert.equal(ofDoveconf(check(testCase, panic('file config-parser.c: line 747: unreached'), builtIn)).length, 1);
});
