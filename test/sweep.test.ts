// The setting sweep (test/sweep/cases.ts): every setting of the 2.3 and 2.4 schemas, placed where Dovecot
// reads it, with values chosen by its type. Our verdict on each case must agree with the recorded verdict of
// the real doveconf (accepted or not, first error's line and message, warnings), except where a listed
// exception says why we differ; with the binaries installed, every 25th case is also run live (all of them with
// SWEEP_LIVE=all). After a schema change, record again: node --import tsx test/sweep/record-sweep.ts
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import { getLanguageService } from '../server/src/service/dovecotLanguageService';
import { findSetting24 } from '../server/src/service/schema/schema24';
import { MemoryHost } from '../server/src/service/model/host';
import { doveconfInstalled, parseVerdict, runDoveconf, type DoveconfVerdict } from './oracle/cases';
import { disagreements, errorsInProcessingOrder, isDoveconfRule } from './oracle/compare';
import { DOVECONF_24, parseVerdict24 } from './oracle24/verdict';
import { tempDir } from './helpers/tempDir';
import {
  caseKey,
  caseLines,
  formatRecord,
  readRecords,
  sweepCases,
  SWEEP_FILE,
  type SweepCase,
  type SweepRecord,
  type SweepVersion,
} from './sweep/cases';
import { expandedVerdict } from './sweep/record-sweep';

type Matcher = string | RegExp | ((text: string) => boolean);

interface SweepException {
  version: SweepVersion;
  place?: Matcher;
  setting?: Matcher;
  value?: Matcher;
  /**
   * `silent`: doveconf rejects the case or warns and we say nothing (a check we do not reproduce);
   * `extra`: rules of ours (not doveconf's) that deliberately add a diagnostic; `crash`: doveconf crashes.
   */
  kind: 'silent' | 'extra' | 'crash';
  /** `extra`: the rules that add a diagnostic; `crash`: the rules we must report on the case (an error each). */
  extraRules?: string[];
  why: string;
}

function matches(matcher: Matcher | undefined, text: string): boolean {
  if (matcher === undefined) return true;
  if (typeof matcher === 'string') return matcher === text;
  if (matcher instanceof RegExp) return matcher.test(text);
  return matcher(text);
}

const SHORT_VARIABLE_23 = /%[a-zA-Z]/;

/** Settings of the master's own struct that it reads (and expands) when Dovecot starts. */
const MASTER_STRINGS: ReadonlySet<string> = new Set([
  'base_dir',
  'state_dir',
  'libexec_dir',
  'instance_name',
  'default_internal_user',
  'default_internal_group',
  'default_login_user',
]);

/** Every case where we deliberately differ from doveconf, and why (several may apply to one case). */
const EXCEPTIONS: SweepException[] = [
  {
    version: '2.4',
    setting: (setting) =>
      /^(service|unix_listener|fifo_listener|inet_listener)_/.test(setting) || MASTER_STRINGS.has(setting),
    value: /%\{/,
    kind: 'silent',
    why: "a %{variable} in a setting of a service, a listener or the master: doveconf -n accepts it, Dovecot's master fails to expand it when it starts (doveconf -x: Failed to get service …: Unknown variable); not reproduced",
  },
  {
    version: '2.4',
    setting: 'sieve_plugins',
    kind: 'silent',
    why: 'which Sieve plugins exist depends on the installation (its module directory): we do not judge the names',
  },
  ...(['2.3', '2.4'] as const).map((version): SweepException => ({
    version,
    setting: /(^|_)mode$/,
    value: /^[1-7][0-7]+$/,
    kind: 'extra',
    extraRules: ['mode-read-as-decimal'],
    why: 'doveconf reads a mode without its leading 0 as a decimal number and accepts it (600 is the mode 01130); we warn',
  })),
  {
    version: '2.4',
    value: (value) => SHORT_VARIABLE_23.test(value.replace(/%\{[^}]*\}/g, '')),
    kind: 'extra',
    extraRules: ['variable-syntax-23'],
    why: 'doveconf 2.4 keeps a 2.3 variable such as %u as literal text; we report it, the value is wrong at run time',
  },
  {
    version: '2.4',
    place: /^(protocol|local)$/,
    setting: /^mail_log_(cached_only|events)$/,
    kind: 'crash',
    why: 'doveconf 2.4.4 crashes (SIGSEGV) on a mail_log setting inside a protocol or local filter: no verdict to compare',
  },
  {
    version: '2.4',
    setting: 'doveadm_proxy_port',
    kind: 'crash',
    extraRules: ['setting-aborts-dovecot'],
    why: 'doveconf 2.4.4 aborts (Panic: unreached) on the alias doveadm_proxy_port, and so does Dovecot at start: no verdict to compare; we report setting-aborts-dovecot',
  },
  {
    version: '2.4',
    setting: (name) => findSetting24(name)?.type === 'string_novars',
    value: '%{user',
    kind: 'crash',
    why: 'doveconf 2.4.4 aborts (Panic) on an unparsable %{ program in a setting it expands itself later: no verdict to compare',
  },
  {
    version: '2.4',
    place: 'metric_group_by_method',
    kind: 'extra',
    extraRules: ['stats-group-by-invalid'],
    why: 'the sweep opens method linear { } without a step, which the stats process refuses when Dovecot starts (the step defaults to 0); doveconf does not check it, we report it',
  },
  {
    version: '2.3',
    setting: /^default_(internal|login)_user$/,
    kind: 'silent',
    why: 'whether the user exists depends on the server (doveconf asks the system): we do not judge it',
  },
  {
    version: '2.3',
    place: 'namespace',
    setting: 'alias_for',
    kind: 'silent',
    why: 'alias_for is not compared with the prefixes of the other namespaces for 2.3',
  },
  {
    version: '2.3',
    place: 'service',
    setting: 'name',
    value: '',
    kind: 'silent',
    why: 'doveconf numbers the nameless service by its place among all services (Service #17): not reproduced',
  },
  {
    version: '2.3',
    place: 'plugin',
    setting: 'mail_replica',
    kind: 'extra',
    extraRules: [
      'replication-plugin-missing',
      'mail-replica-malformed',
      'aggregator-fifo-permissions',
      'aggregator-socket-permissions',
      'replicator-min-avail',
      'replicator-doveadm-socket',
    ],
    why: 'mail_replica alone is an incomplete replication setup, which our replication rules report',
  },
];

function exceptionsOf(testCase: SweepCase): SweepException[] {
  return EXCEPTIONS.filter(
    (exception) =>
      exception.version === testCase.version &&
      matches(exception.place, testCase.place) &&
      matches(exception.setting, testCase.setting) &&
      matches(exception.value, testCase.value),
  );
}

const DIR = path.resolve('/sweep');
const ROOT = path.join(DIR, SWEEP_FILE);

/** Analyses cases in memory, as the CLI analyses a dovecot.conf (the version read from the file). */
class SweepAnalyzer {
  private readonly host = new MemoryHost();
  private readonly service = getLanguageService(this.host);

  analyze(testCase: SweepCase) {
    this.host.set(
      ROOT,
      caseLines(testCase)
        .map((line) => `${line}\n`)
        .join(''),
    );
    return this.service.analyze(ROOT);
  }
}

interface CaseResult {
  problems: string[];
  /** The exceptions that excused a difference on this case. */
  excusedBy: SweepException[];
}

/** Our verdict against doveconf's on one case; the listed exceptions may excuse the differences they name. */
function compareCase(
  analyzer: SweepAnalyzer,
  testCase: SweepCase,
  verdict: DoveconfVerdict,
  expanded?: DoveconfVerdict,
): CaseResult {
  const exceptions = exceptionsOf(testCase);
  const crash = exceptions.filter((exception) => exception.kind === 'crash');
  if (crash.length > 0) {
    if (verdict.rc >= 0) return { problems: [`doveconf no longer crashes (rc=${verdict.rc})`], excusedBy: [] };
    const expected = crash.flatMap((exception) => exception.extraRules ?? []);
    const errors = expected.length > 0 ? analyzer.analyze(testCase).diagnostics.filter((d) => d.level === 'error') : [];
    const missing = expected.filter((rule) => !errors.some((error) => error.code === rule));
    return { problems: missing.map((rule) => `doveconf crashes and we do not report ${rule}`), excusedBy: crash };
  }
  if (verdict.rc < 0) return { problems: ['doveconf crashed'], excusedBy: [] };
  const analysis = analyzer.analyze(testCase);
  const extra = exceptions.filter((exception) => exception.kind === 'extra');
  const strict = disagreements(analysis, verdict, DIR, undefined, expanded);
  const extraRules = extra.flatMap((exception) => exception.extraRules ?? []);
  const problems = extra.length > 0 ? disagreements(analysis, verdict, DIR, { extraRules, why: '' }, expanded) : strict;
  const excusedBy = strict.length > problems.length ? extra : [];
  const silent = exceptions.filter((exception) => exception.kind === 'silent');
  if (problems.length === 0 || silent.length === 0) return { problems, excusedBy };
  const ours = analysis.diagnostics.filter(
    (diagnostic) =>
      isDoveconfRule(diagnostic.code, analysis.versionDialect.version) &&
      (diagnostic.level === 'error' || diagnostic.level === 'warning'),
  );
  const theirs = !verdict.accepted || verdict.warnings.length > 0 || expanded?.accepted === false;
  const onlyTheirs = problems.every(
    (problem) =>
      problem.startsWith('doveconf rejects') ||
      problem.startsWith('doveconf warns') ||
      problem.startsWith('doveconf -x rejects'),
  );
  return ours.length === 0 && theirs && onlyTheirs
    ? { problems: [], excusedBy: [...excusedBy, ...silent] }
    : { problems, excusedBy };
}

function sweepProblems(
  analyzer: SweepAnalyzer,
  testCase: SweepCase,
  verdict: DoveconfVerdict,
  expanded?: DoveconfVerdict,
): string[] {
  return compareCase(analyzer, testCase, verdict, expanded).problems;
}

const VERSIONS: { version: SweepVersion; binary: string; parse: (output: string, rc: number) => DoveconfVerdict }[] = [
  { version: '2.4', binary: DOVECONF_24, parse: (output, rc) => parseVerdict24(output, rc, ROOT) },
  { version: '2.3', binary: 'doveconf', parse: parseVerdict },
];

/** The live check runs every LIVE_STEP-th case (all of them with SWEEP_LIVE=all). */
const LIVE_STEP = process.env.SWEEP_LIVE === 'all' ? 1 : 25;

for (const { version, binary, parse } of VERSIONS) {
  const records = readRecords(path.join(__dirname, 'sweep', `sweep-${version}.txt`), version);

  describe(`setting sweep ${version}: recorded doveconf verdicts (${records.length} cases)`, () => {
    test('the recorded file holds exactly the cases the schema gives (re-record with test/sweep/record-sweep.ts)', () => {
      const recorded = new Set(records.map(caseKey));
      const generated = sweepCases(version).map(caseKey);
      assert.deepEqual(
        generated.filter((key) => !recorded.has(key)),
        [],
        'cases of the schema without a recorded verdict',
      );
      assert.equal(recorded.size, generated.length, 'recorded cases the schema no longer gives');
    });

    test('our verdict agrees with the recorded doveconf verdict', () => {
      const analyzer = new SweepAnalyzer();
      const problems: string[] = [];
      const excused = new Map<SweepException, number>();
      let agreeing = 0;
      let differing = 0;
      for (const record of records) {
        const result = compareCase(analyzer, record, record.verdict, record.expanded);
        for (const exception of result.excusedBy) excused.set(exception, (excused.get(exception) ?? 0) + 1);
        for (const problem of result.problems)
          problems.push(`${record.place} ${record.setting} = ${record.value}: ${problem}`);
        if (result.problems.length > 0) differing++;
        else if (result.excusedBy.length === 0) agreeing++;
      }
      console.log(
        `setting sweep ${version}: ${records.length} cases, ${agreeing} agree with doveconf, ` +
          `${records.length - agreeing - differing} differ as listed, ${differing} disagree`,
      );
      for (const [exception, count] of excused) console.log(`  ${count} × ${exception.why}`);
      assert.equal(problems.length, 0, `disagreements:\n${problems.join('\n')}`);
      for (const exception of EXCEPTIONS.filter((exception) => exception.version === version))
        assert.ok(excused.has(exception), `the exception "${exception.why}" excuses no case`);
    });
  });

  describe(`setting sweep ${version}: live doveconf`, () => {
    test(`every ${LIVE_STEP === 1 ? '' : `${LIVE_STEP}th `}case gives the recorded verdict and ours agrees`, (t) => {
      if (!doveconfInstalled(binary)) {
        console.log(`SKIPPED: no doveconf ${version} at ${binary}; the recorded verdicts are still compared`);
        t.skip(`no doveconf ${version}`);
        return;
      }
      const analyzer = new SweepAnalyzer();
      const configPath = path.join(tempDir('dovecot-sweep-'), SWEEP_FILE);
      const problems: string[] = [];
      for (const record of records.filter((_, index) => index % LIVE_STEP === 0)) {
        writeFileSync(
          configPath,
          caseLines(record)
            .map((line) => `${line}\n`)
            .join(''),
        );
        const { output, rc } = runDoveconf(configPath, binary);
        const verdict = parse(output, rc);
        const live: SweepRecord = { ...record, verdict, ...expandedVerdict(version, verdict, configPath) };
        if (formatRecord(live) !== formatRecord(record))
          problems.push(`recorded ${formatRecord(record)}, live ${formatRecord(live)}`);
        for (const problem of sweepProblems(analyzer, record, live.verdict, live.expanded))
          problems.push(`${record.place} ${record.setting} = ${record.value}: ${problem}`);
      }
      assert.deepEqual(problems, []);
    });
  });
}

test('the sweep comparison can fail: a wrong verdict is reported', () => {
  const analyzer = new SweepAnalyzer();
  const testCase: SweepCase = { version: '2.4', place: 'global', setting: 'mail_debug', value: 'maybe' };
  const accepted: DoveconfVerdict = { rc: 0, accepted: true, warnings: [] };
  assert.equal(sweepProblems(analyzer, testCase, accepted).length, 1);
  const analysis = analyzer.analyze(testCase);
  assert.equal(errorsInProcessingOrder(analysis).length, 1);
  const otherLine: DoveconfVerdict = {
    rc: 89,
    accepted: false,
    fatal: { file: SWEEP_FILE, line: 1, message: 'mail_debug: Invalid boolean value: maybe (use yes or no)' },
    warnings: [],
  };
  assert.equal(sweepProblems(analyzer, testCase, otherLine).length, 1);
});
