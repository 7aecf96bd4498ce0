// Tier 3 oracle: every recorded doveconf case, written to disk and checked with the real
// `doveconf -n -c` (when installed) and with our language service on the same files.
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import { doveconfInstalled, parseVerdict, readCases, runDoveconf, writeCase, type OracleCase } from './oracle/cases';
import { analyzeOnDisk, disagreements, JOINED_ACROSS_FILES, type Exception } from './oracle/compare';

const RECORDED = path.join(__dirname, '..', 'data', 'dovecot', 'doveconf-2.3.19-error-cases.txt');
const EXTRA = path.join(__dirname, 'oracle', 'extra-cases.txt');

/** Replication rules that deliberately fire on replication fragments doveconf accepts or rejects for another reason. */
const REPLICATION_FRAGMENT = [
  'replication-plugin-missing',
  'mail-replica-missing',
  'aggregator-fifo-permissions',
  'aggregator-socket-permissions',
  'replicator-min-avail',
  'replicator-doveadm-socket',
  'doveadm-port-missing',
  'doveadm-password-missing',
  'doveadm-listener-missing',
  'tcps-no-server-cert',
];

/** Every case where we deliberately differ from doveconf, and why. */
const EXCEPTIONS: Record<string, Exception> = {
  'x104_file_value_empty_name.conf': {
    extraRules: ['file-not-regular'],
    why: 'doveconf -n keeps "<" as written; Dovecot, started with the absolute path of its configuration, reads "<" as the directory of the file and its config service fails (read() failed: Is a directory)',
  },
  'dr02_empty_file_value_among_whole_checks.conf': {
    extraRules: ['file-not-regular'],
    why: 'doveconf -n keeps "<" as written; Dovecot, started with the absolute path of its configuration, reads "<" as the directory of the file and its config service fails (read() failed: Is a directory)',
  },
  'q08_section_not_allowed.conf': {
    extraRules: ['section-on-scalar'],
    why: 'doveconf silently sets mail_location = 0; we warn (FACTS §1.3)',
  },
  'x113_block_on_bool_setting_counter.conf': {
    extraRules: ['section-on-scalar'],
    why: 'doveconf sets mail_debug to the counter of unnamed blocks, 1, which reads as yes; we warn',
  },
  'gq05_blocks_on_plain_settings.conf': {
    extraRules: ['section-on-scalar'],
    why: 'doveconf sets each setting opened as a block to its name or counter; we warn',
  },
  'x115_block_on_time_setting.conf': {
    extraRules: ['section-on-scalar'],
    why: 'first_valid_uid { is first_valid_uid = 0 for doveconf; we warn',
  },
  'x117_setting_in_block_on_plain_setting.conf': {
    extraRules: ['section-on-scalar'],
    why: 'mail_plugins { is mail_plugins = 0 for doveconf; we warn',
  },
  'x123_listing_values_as_parsed.conf': {
    extraRules: ['mode-read-as-decimal'],
    why: 'doveconf reads mode = 666 as decimal and lists it as 01232 without a word; we warn',
  },
  'v02.conf': {
    extraRules: ['unknown-variable'],
    why: 'doveconf -n itself prints "Unknown variable: $foo" as Fatal but exits 0; the config service refuses it at start',
  },
  'x68_section_setting_as_variable.conf': {
    extraRules: ['unknown-variable'],
    why: 'doveconf -n keeps $port as written and exits 0; the config service expands it at start and stops: $name reads only top-level settings',
  },
  'x91_self_variable_in_sections.conf': {
    extraRules: ['setting-ignored-in-plugin'],
    why: 'top-level settings inside plugin {} show what $key reads there; Dovecot ignores them in plugin {}, we warn',
  },
  'x84_size_unknown_variable.conf': {
    extraRules: ['unknown-variable'],
    why: 'doveconf -n stops with "Invalid size: $no_such_setting" (we say so too); the config service would stop earlier, at the unknown variable',
  },
  'x94_variable_word_with_tab.conf': {
    extraRules: ['unknown-variable'],
    why: 'Dovecot splits a $ line at spaces only: the word names "mail_plugins<tab>imap_quota"; doveconf -n prints "Unknown variable" and exits 0, the config service stops there',
  },
  'x95_variable_word_with_tab_in_filter.conf': {
    extraRules: ['unknown-variable'],
    why: 'as x94, inside protocol imap {}',
  },
  'f05.conf': {
    extraRules: ['service-in-filter'],
    why: 'a service block inside protocol {} is meaningless (FACTS §1.4)',
  },
  'dq01_auth_process_limit_in_local.conf': {
    extraRules: ['service-in-filter'],
    why: 'a service block inside a filter does not change the service; doveconf still checks it',
  },
  'dq02_filter_service_over_global.conf': {
    extraRules: ['service-in-filter'],
    why: 'a service block inside a filter does not change the service; doveconf still checks it',
  },
  'dq03_filter_service_keeps_builtin_limit.conf': {
    extraRules: ['service-in-filter'],
    why: 'a service block inside a filter does not change the service; doveconf still checks it',
  },
  'dq04_filter_inside_auth_service.conf': {
    extraRules: ['service-in-filter'],
    why: 'a service block inside a filter does not change the service; doveconf still checks it',
  },
  'f09.conf': {
    extraRules: ['service-in-filter'],
    why: 'a service block inside protocol {} is meaningless (FACTS §1.4)',
  },
  'r02.conf': {
    extraRules: ['replication-setting-in-plugin'],
    why: 'replication_max_conns inside plugin {} is ignored by Dovecot (FACTS §0.6)',
  },
  'v01.conf': {
    extraRules: REPLICATION_FRAGMENT,
    why: 'loads the replication plugin without the rest of a replication setup',
  },
  'v04.conf': { extraRules: REPLICATION_FRAGMENT, why: 'sets mail_replica without the rest of a replication setup' },
  'r01.conf': {
    extraRules: REPLICATION_FRAGMENT,
    why: 'mail_replica at top level is also an incomplete replication setup',
  },
  'x13_cont_blank.conf': {
    extraRules: ['continuation-dropped'],
    why: 'doveconf silently drops a continued line followed by a blank line; we warn',
  },
  'x14_cont_comment.conf': {
    extraRules: ['continuation-dropped'],
    why: 'doveconf silently drops a continued line followed by a comment line; we warn',
  },
  'x23_cont_eof.conf': {
    extraRules: ['continuation-dropped'],
    why: 'doveconf silently drops a continued line at the end of the file; we warn',
  },
  'inc/dz08.conf': {
    extraRules: ['continuation-joins-next-file'],
    why: 'an included file ends in a continuation that Dovecot joins with the next line it reads; doveconf says nothing, we warn',
  },
  ...JOINED_ACROSS_FILES,
  'inc/dz09.conf': {
    extraRules: ['continuation-joins-next-file'],
    why: 'an included file ends in a continuation that Dovecot joins with the next line it reads; doveconf says nothing, we warn',
  },
  'x24_cont_dropped.conf': {
    extraRules: ['continuation-dropped'],
    why: 'doveconf silently drops a continued line; we warn',
  },
};

const haveDoveconf = doveconfInstalled();
if (!haveDoveconf)
  console.log(
    'SKIPPED: live doveconf comparisons (doveconf not installed; install Debian dovecot-core). Recorded outputs are still checked.',
  );

function checkCase(testCase: OracleCase, t: { skip: (message: string) => void }, live: boolean): void {
  const configPath = writeCase(testCase);
  const dir = path.dirname(configPath);
  const exception = EXCEPTIONS[testCase.name];
  // A case is a whole configuration, as doveconf reads it with -c, also when its file is not named dovecot.conf.
  const analysis = analyzeOnDisk(configPath, { dovecotVersion: '2.3' });
  const recorded = parseVerdict(testCase.recorded.output, testCase.recorded.rc);
  if (!live) {
    assert.deepEqual(
      disagreements(analysis, recorded, dir, exception),
      [],
      `recorded doveconf output of ${testCase.name}`,
    );
    return;
  }
  if (!haveDoveconf) {
    console.log(`SKIPPED: ${testCase.name} against live doveconf (not installed)`);
    t.skip('doveconf not installed');
    return;
  }
  const { output, rc } = runDoveconf(configPath);
  const verdict = parseVerdict(output, rc);
  assert.deepEqual(verdict, recorded, `live doveconf still gives the recorded verdict for ${testCase.name}`);
  assert.deepEqual(disagreements(analysis, verdict, dir, exception), [], `live doveconf on ${testCase.name}`);
}

for (const [label, file] of [
  ['recorded error cases', RECORDED],
  ['extra cases', EXTRA],
] as const) {
  const cases = readCases(file);
  describe(`oracle: ${label} (${cases.length})`, () => {
    test('the case file is complete', () => {
      assert.ok(cases.length >= (file === RECORDED ? 69 : 20));
      // rc=-1: killed by a signal after its banner (a linear group_by step of 0 divides by zero).
      for (const { name, recorded, lines } of cases)
        assert.ok((recorded.rc >= 0 || /^# 2\.3\./m.test(recorded.output)) && lines.length > 0, name);
    });
    for (const testCase of cases) {
      test(`${testCase.name} vs recorded output`, (t) => checkCase(testCase, t, false));
      test(`${testCase.name} vs live doveconf`, (t) => checkCase(testCase, t, true));
    }
  });
}

test('every exception names a case that exists', () => {
  const names = new Set([...readCases(RECORDED), ...readCases(EXTRA)].map((testCase) => testCase.name));
  for (const name of Object.keys(EXCEPTIONS)) assert.ok(names.has(name), name);
});

test('the comparison can fail: a wrong line or a missing error is reported', () => {
  const testCase: OracleCase = {
    name: 'self.conf',
    header: '',
    lines: ['mail_debug = yes', 'foo = 1'],
    recorded: { output: '', rc: 89 },
  };
  const configPath = writeCase(testCase);
  const analysis = analyzeOnDisk(configPath);
  const wrongLine = parseVerdict(
    'doveconf: Fatal: Error in configuration file self.conf line 1: Unknown setting: foo',
    89,
  );
  assert.equal(disagreements(analysis, wrongLine, path.dirname(configPath)).length, 1);
  const accepted = parseVerdict('', 0);
  assert.equal(disagreements(analysis, accepted, path.dirname(configPath)).length, 1);
});
