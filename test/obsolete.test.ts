// Obsolete settings: Dovecot 2.3 rewrites them while parsing (old-set-parser.c). Every row of the table
// is checked against doveconf's recorded verdict on the row's example (live too when doveconf is
// installed): the same warnings on the same lines, and the same effective configuration.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import { obsoleteSettingFixes } from '../server/src/service/features/obsoleteFixes';
import { minProtocolOf, OBSOLETE_ROWS } from '../server/src/service/model/obsolete';
import { analyzeFiles, brief, ROOT, serviceOver, withCode } from './helpers/analyze';
import { doveconfListing, listedLines, withoutMachineLines } from './oracle24/listing';
import { getLanguageService } from '../server/src/service/dovecotLanguageService';
import { MemoryHost } from '../server/src/service/model/host';
import type { LintDiagnostic } from '../server/src/service/analysis/analyzer';
import type { TreeAnalysis } from '../server/src/service/languageService';
import { doveconfInstalled, parseVerdict, readCases, writeCase, type OracleCase } from './oracle/cases';
import { diskService, disagreements } from './oracle/compare';
import { caseName } from './oracle/obsoleteCases';

const RECORDED = readCases(path.join(__dirname, 'oracle', 'obsolete-cases.txt'));
const haveDoveconf = doveconfInstalled();
if (!haveDoveconf)
  console.log(
    'SKIPPED: live doveconf comparisons of the obsolete settings (doveconf not installed); the recorded verdicts are still checked.',
  );

/** The quick fixes for an obsolete-setting diagnostic, as the code-action request asks for them. */
function fixesFor(analysis: TreeAnalysis, diagnostic: LintDiagnostic): ReturnType<typeof obsoleteSettingFixes> {
  return obsoleteSettingFixes({
    analysis,
    diagnostic: { ...diagnostic, severity: 2 },
    file: diagnostic.file,
    host: new MemoryHost({}),
  });
}

function checkAgainst(testCase: OracleCase, output: string, rc: number): void {
  const configPath = writeCase(testCase);
  const service = diskService();
  const analysis = service.analyze(configPath);
  const verdict = parseVerdict(output, rc);
  assert.deepEqual(
    disagreements(analysis, verdict, path.dirname(configPath)),
    [],
    `warnings and errors of ${testCase.name}`,
  );
  if (rc !== 0) return;
  const ours = listedLines(service.renderEffectiveConfig(analysis, { showSecrets: true }));
  const theirs = withoutMachineLines(doveconfListing(output), ours);
  assert.deepEqual(ours, theirs, `effective configuration of ${testCase.name}`);
}

describe('obsolete settings: every row against doveconf', () => {
  test('one recorded case per row, in table order; each reachable row is the warning doveconf printed', () => {
    assert.equal(RECORDED.length, OBSOLETE_ROWS.length);
    OBSOLETE_ROWS.forEach((row, index) => {
      const recorded = RECORDED[index];
      assert.equal(recorded.name, caseName(row, index));
      assert.deepEqual(
        recorded.lines,
        row.example,
        `${recorded.name} is the row's current example (re-record after editing the table)`,
      );
      if (row.unreachable || row.message === '') return;
      const warnings = parseVerdict(recorded.recorded.output, recorded.recorded.rc).warnings.map((w) => w.message);
      const escaped = row.message.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{(key|value|target)\}/g, '\\S+');
      const pattern = new RegExp(`^Obsolete setting in ${recorded.name}:\\d+: ${escaped}$`);
      assert.ok(
        warnings.some((text) => pattern.test(text)),
        `${recorded.name}: doveconf printed the row's message (${pattern})`,
      );
    });
  });
  for (const testCase of RECORDED) {
    test(`${testCase.name} vs recorded doveconf`, () =>
      checkAgainst(testCase, testCase.recorded.output, testCase.recorded.rc));
    test(`${testCase.name} vs live doveconf`, (t) => {
      if (!haveDoveconf) return t.skip('SKIPPED: doveconf not installed');
      const configPath = writeCase(testCase);
      const run = spawnSync('doveconf', ['-P', '-n', '-c', path.basename(configPath)], {
        cwd: path.dirname(configPath),
        encoding: 'utf8',
      });
      const output = `${run.stdout}${run.stderr}`;
      assert.deepEqual(
        parseVerdict(output, run.status ?? -1),
        parseVerdict(testCase.recorded.output, testCase.recorded.rc),
        'live doveconf still gives the recorded verdict',
      );
      checkAgainst(testCase, output, run.status ?? -1);
    });
  }
});

describe('obsolete settings: rewrites as old-set-parser.c does them', () => {
  test('values read from <file or with $variables are not rewritten: doveconf reports the key as unknown', () => {
    assert.deepEqual(brief(analyzeFiles('ssl_cert_file = </etc/x.pem\n'), 'unknown-setting'), [
      '0:0 Unknown setting: ssl_cert_file',
    ]);
    assert.deepEqual(withCode(analyzeFiles('ssl_protocols = $foo\n'), 'obsolete-setting'), []);
    assert.equal(withCode(analyzeFiles('ssl_protocols = $foo\n'), 'unknown-setting').length, 1);
  });

  test('a quoted key is no old name (its quotes are part of it); inside auth {} it is still prefixed', () => {
    const top = analyzeFiles('"ssl_protocols" = !SSLv3\n');
    assert.deepEqual(withCode(top, 'obsolete-setting'), []);
    assert.deepEqual(brief(top, 'unknown-setting'), ['0:0 Unknown setting: "ssl_protocols"']);
    const auth = analyzeFiles('auth default {\n  "worker_max_count" = 5\n}\n');
    assert.deepEqual(
      brief(auth, 'unknown-setting').map((m) => m.split(' (did')[0]),
      ['1:2 Unknown setting: auth_"worker_max_count"'],
    );
    assert.deepEqual(analyzeFiles('plugin {\n  "ssl_protocols" = x\n}\n').diagnostics, []);
  });

  test('the warning names the last line of a statement continued with a backslash, as doveconf does', () => {
    assert.deepEqual(brief(analyzeFiles('mail_debug = yes\nauth_process_size \\\n  = 10\n'), 'obsolete-setting'), [
      '1:0 Obsolete setting in dovecot.conf:3: auth_process_size has been replaced by service auth { vsz_limit }',
    ]);
  });
  test('rewrites inside a filter stay in the filter; service rewrites reach only matching protocols', () => {
    const service = serviceOver(
      'local 10.0.0.1 {\n  ssl_disable = yes\n  login_user = x\n}\nprotocol imap {\n  mail_process_size = 100\n}\n',
    );
    const analysis = service.analyze(ROOT);
    const effective = service
      .renderEffectiveConfig(analysis)
      .split('\n')
      .map((line) => line.replace(/ # .*$/, ''));
    assert.ok(effective.includes('local 10.0.0.1 {') && effective.includes('  ssl = no'));
    assert.ok(!effective.some((line) => line.includes('user = x')), 'login_user in a local filter changes no service');
    assert.ok(effective.includes('service imap {') && !effective.includes('service pop3 {'));
    assert.equal(withCode(analysis, 'obsolete-setting').length, 3);
  });

  test('only the plugin {} that is the first unnamed section has imap_zlib_compress_level rewritten', () => {
    assert.equal(withCode(analyzeFiles('plugin {\n  imap_zlib_compress_level = 6\n}\n'), 'obsolete-setting').length, 1);
    assert.equal(
      withCode(
        analyzeFiles('passdb {\n  driver = pam\n}\nplugin {\n  imap_zlib_compress_level = 6\n}\n'),
        'obsolete-setting',
      ).length,
      0,
    );
  });

  test('checks read the rewritten settings: ssl_disable = yes is ssl = no', () => {
    const analysis = analyzeFiles('ssl_disable = yes\n');
    assert.equal(analysis.effective.value('ssl').value, 'no');
    assert.deepEqual(withCode(analysis, 'unknown-setting'), []);
  });

  test('ssl_protocols becomes the lowest protocol left enabled, or the error Dovecot logs', () => {
    assert.deepEqual(minProtocolOf('!SSLv3'), { minimum: 'TLSv1' });
    assert.deepEqual(minProtocolOf('!SSLv3 !TLSv1'), { minimum: 'TLSv1.1' });
    assert.deepEqual(minProtocolOf('TLSv1.2 TLSv1.1'), { minimum: 'TLSv1.1' });
    assert.deepEqual(minProtocolOf('!SSLv2 !SSLv3'), { error: "Unrecognized protocol 'SSLv2'" });
    assert.deepEqual(minProtocolOf('!SSLv3 !TLSv1 !TLSv1.1 !TLSv1.2'), { error: 'All protocols disabled' });
  });

  test('each error doveconf logs for an ssl_protocols value it cannot convert is quoted by one of our warnings', () => {
    const [recorded] = readCases(path.join(__dirname, 'oracle', 'extra-cases.txt')).filter((c) =>
      c.name.startsWith('cu01_'),
    );
    const logged = [
      ...new Set(
        recorded.recorded.output.split('\n').filter((line) => line.startsWith('doveconf: Error: Could not find')),
      ),
    ].map((line) => line.slice('doveconf: Error: '.length));
    assert.equal(logged.length, 2);
    const analysis = diskService().analyze(writeCase(recorded));
    const ours = withCode(analysis, 'ssl-protocols-not-converted').map((d) => d.message);
    assert.equal(ours.length, logged.length);
    for (const error of logged)
      assert.ok(
        ours.some((message) => message.includes(`"${error}"`)),
        error,
      );
  });

  test('an ssl_protocols value Dovecot cannot convert: the error it logs, at the value, and the line ignored', () => {
    const analysis = analyzeFiles('ssl_protocols = !SSLv2 !SSLv3\n');
    assert.deepEqual(brief(analysis, 'ssl-protocols-not-converted'), [
      `0:16 Dovecot cannot turn ssl_protocols = !SSLv2 !SSLv3 into ssl_min_protocol: each time it reads the configuration it logs "Could not find a minimum ssl_min_protocol setting from ssl_protocols = !SSLv2 !SSLv3: Unrecognized protocol 'SSLv2'" and ignores the line, so ssl_min_protocol is what the rest of the configuration sets, or its default.`,
    ]);
    assert.equal(withCode(analysis, 'obsolete-setting').length, 1);
    assert.equal(analysis.effective.value('ssl_min_protocol').value, 'TLSv1.2');
    const disabled = analyzeFiles('ssl_min_protocol = TLSv1.1\nssl_protocols = !SSLv3 !TLSv1 !TLSv1.1 !TLSv1.2\n');
    assert.match(withCode(disabled, 'ssl-protocols-not-converted')[0].message, /: All protocols disabled" and ignores/);
    assert.equal(disabled.effective.value('ssl_min_protocol').value, 'TLSv1.1');
    assert.deepEqual(withCode(analyzeFiles('ssl_protocols = !SSLv3 !TLSv1\n'), 'ssl-protocols-not-converted'), []);
  });

  for (const [written, fixed] of [
    ['ssl_disable = yes', 'ssl = no'],
    ['fsync_disable = no', 'mail_fsync = optimized'],
    ['mail_cache_compress_min_size = 1k', 'mail_cache_purge_min_size = 1k'],
    ['ssl_key_file = /k.pem', 'ssl_key = </k.pem'],
    ['ssl_protocols = !SSLv3 !TLSv1', 'ssl_min_protocol = TLSv1.1'],
  ]) {
    test(`quick fix: ${written} -> ${fixed}`, () => {
      const text = `mail_debug = yes\n${written}\n`;
      const analysis = analyzeFiles(text);
      const [diagnostic] = withCode(analysis, 'obsolete-setting');
      const [fix] = fixesFor(analysis, diagnostic);
      const [edit] = fix.edits[diagnostic.file];
      const lines = text.split('\n');
      lines[edit.range.start.line] =
        lines[edit.range.start.line].slice(0, edit.range.start.character) +
        edit.newText +
        lines[edit.range.start.line].slice(edit.range.end.character);
      const after = analyzeFiles(lines.join('\n'));
      assert.equal(lines[1], fixed);
      assert.deepEqual(
        after.diagnostics.filter((d) => d.code !== 'file-value-missing'),
        [],
      );
      assert.equal(
        after.effective.value(fixed.split(' ')[0]).value,
        analysis.effective.value(fixed.split(' ')[0]).value,
        'the fix keeps the value in effect',
      );
    });
  }

  test('quick fix removes a setting Dovecot drops, line and all', () => {
    const text = 'ssl_parameters_regenerate = 168\nmail_debug = yes\n';
    const analysis = analyzeFiles(text);
    const [diagnostic] = withCode(analysis, 'obsolete-setting');
    const [fix] = fixesFor(analysis, diagnostic);
    assert.deepEqual(fix.edits[diagnostic.file], [
      { range: { start: { line: 0, character: 0 }, end: { line: 1, character: 0 } }, newText: '' },
    ]);
  });

  test('no quick fix where the rewrite moves the setting into service blocks', () => {
    const analysis = analyzeFiles('login_user = dovenull\n');
    const [diagnostic] = withCode(analysis, 'obsolete-setting');
    assert.deepEqual(fixesFor(analysis, diagnostic), []);
  });
});

test('a templated obsolete value still warns, but no quick fix guesses the rendered value', () => {
  const service = getLanguageService(
    new MemoryHost({ '/etc/dovecot/dovecot.conf.j2': 'ssl_disable = {{ dovecot_ssl_disable }}\n' }),
  );
  const analysis = service.analyze('/etc/dovecot/dovecot.conf.j2');
  const [diagnostic] = withCode(analysis, 'obsolete-setting');
  assert.ok(diagnostic, analysis.diagnostics.map((d) => d.code).join(','));
  assert.deepEqual(fixesFor(analysis, diagnostic), []);
});
