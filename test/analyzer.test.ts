// Analyzer: `# dovecot-lint: ignore=<ids>` suppression, rule level overrides, duplicates, failing checks; LF and CRLF.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  applyLevels,
  runChecks,
  suppressedIds,
  type AnalysisContext,
  type Check,
} from '../server/src/service/analysis/analyzer';
import { ANALYSIS_CHECKS } from '../server/src/service/analysis/checks';
import type { Finding } from '../server/src/service/analysis/finding';
import type { RuleId } from '../server/src/service/analysis/rules';
import { getLanguageService, type LanguageService } from '../server/src/service/dovecotLanguageService';
import { detectDialect } from '../server/src/service/model/dialect';
import { EffectiveSettings } from '../server/src/service/model/effective';
import { SCHEMA_23 } from '../server/src/service/schema/versions';
import { MemoryHost } from '../server/src/service/model/host';

const ROOT = '/etc/dovecot/dovecot.conf';

function serviceFor(text: string): LanguageService {
  return getLanguageService(new MemoryHost({ [ROOT]: text }));
}

/** `line code` of every diagnostic of the root file. */
function reported(text: string, ruleLevels?: Parameters<LanguageService['analyze']>[1]): string[] {
  return serviceFor(text)
    .analyze(ROOT, ruleLevels)
    .diagnostics.map((d) => `${d.range.start.line} ${d.code}`);
}

const finding = (code: RuleId, line: number, message = `${code} here`): Finding => ({
  code,
  file: ROOT,
  range: { start: { line, character: 0 }, end: { line, character: 3 } },
  message,
});

for (const eol of ['\n', '\r\n']) {
  const text = (...lines: string[]) => lines.join(eol) + eol;
  describe(`suppression comments (${JSON.stringify(eol)})`, () => {
    const bad = ['protocols = imap', 'mail_locaton = x'];
    test('without a comment the finding is reported (the control for the cases below)', () => {
      assert.deepEqual(reported(text(...bad)), ['1 unknown-setting']);
    });

    test('a comment line right before the reported line suppresses it', () => {
      assert.deepEqual(
        reported(text('protocols = imap', '# dovecot-lint: ignore=unknown-setting', 'mail_locaton = x')),
        [],
      );
      assert.deepEqual(
        reported(
          text('protocols = imap', 'service imap {', '  #dovecot-lint:ignore=unknown-setting', '  bogus = 1', '}'),
        ),
        [],
      );
    });

    test('a comment at the end of the reported line suppresses it', () => {
      assert.deepEqual(
        reported(text('protocols = imap', 'mail_locaton = x # dovecot-lint: ignore=unknown-setting')),
        [],
      );
    });

    test('several comma-separated ids suppress each of them', () => {
      assert.deepEqual(reported(text('protocols = imap', 'mail_locaton = x#y')).sort(), [
        '1 ambiguous-comment',
        '1 unknown-setting',
      ]);
      assert.deepEqual(
        reported(
          text('protocols = imap', '# dovecot-lint: ignore=ambiguous-comment,unknown-setting', 'mail_locaton = x#y'),
        ),
        [],
      );
      assert.deepEqual(
        reported(
          text('protocols = imap', '# dovecot-lint: ignore=ambiguous-comment, unknown-setting', 'mail_locaton = x#y'),
        ),
        [],
      );
      const onlyOne = text('protocols = imap', '# dovecot-lint: ignore=ambiguous-comment', 'mail_locaton = x#y');
      assert.deepEqual(reported(onlyOne), ['2 unknown-setting']);
    });

    test('a comment two lines above does not suppress', () => {
      assert.deepEqual(
        reported(text('# dovecot-lint: ignore=unknown-setting', 'protocols = imap', 'mail_locaton = x')),
        ['2 unknown-setting'],
      );
      assert.deepEqual(
        reported(text('protocols = imap', '# dovecot-lint: ignore=unknown-setting', '', 'mail_locaton = x')),
        ['3 unknown-setting'],
      );
    });

    test('a suppression at the end of the previous setting line belongs to that line, not the next', () => {
      const previous = text('protocols = imap', 'foo_one = 1 # dovecot-lint: ignore=unknown-setting', 'foo_two = 2');
      assert.deepEqual(reported(previous), ['2 unknown-setting']);
    });

    test('a different id does not suppress', () => {
      assert.deepEqual(
        reported(text('protocols = imap', '# dovecot-lint: ignore=unknown-settings', 'mail_locaton = x')),
        ['2 unknown-setting'],
      );
    });

    test('suppressedIds lists the ids of the line and of the comment line before it', () => {
      const model = serviceFor(
        text('# dovecot-lint: ignore=a,b', 'x = 1 # dovecot-lint: ignore=c', 'y = 2'),
      ).buildModel(ROOT);
      assert.deepEqual([...suppressedIds(model, ROOT, 1)].sort(), ['a', 'b', 'c']);
      assert.deepEqual([...suppressedIds(model, ROOT, 0)].sort(), ['a', 'b']);
      assert.deepEqual([...suppressedIds(model, '/etc/dovecot/other.conf', 1)], []);
    });
  });
}

describe('levels', () => {
  const text = 'protocols = imap\nmail_locaton = x#y\n';
  test('each diagnostic gets its rule level; overrides change it; off drops it', () => {
    const levels = (ruleLevels = {}) =>
      serviceFor(text)
        .analyze(ROOT, { ruleLevels })
        .diagnostics.map((d) => `${d.code}=${d.level}`)
        .sort();
    assert.deepEqual(levels(), ['ambiguous-comment=warning', 'unknown-setting=error']);
    assert.deepEqual(levels({ 'unknown-setting': 'hint', 'ambiguous-comment': 'error' }), [
      'ambiguous-comment=error',
      'unknown-setting=hint',
    ]);
    assert.deepEqual(levels({ 'unknown-setting': 'off' }), ['ambiguous-comment=warning']);
    assert.deepEqual(levels({ 'no-such-rule': 'off' }), ['ambiguous-comment=warning', 'unknown-setting=error']);
  });

  test("applyLevels: findings take their rule's level; duplicates (same file, start, code, message) are removed", () => {
    const model = serviceFor('a = 1\nb = 2\n').buildModel(ROOT);
    const diagnostics = applyLevels(
      [
        finding('unknown-setting', 0),
        finding('unknown-setting', 0),
        finding('unknown-setting', 0, 'another message'),
        finding('unknown-setting', 1),
        finding('ambiguous-comment', 0),
      ],
      model,
    );
    assert.deepEqual(
      diagnostics.map((d) => `${d.range.start.line} ${d.code} ${d.level} ${d.message}`),
      [
        '0 unknown-setting error unknown-setting here',
        '0 unknown-setting error another message',
        '1 unknown-setting error unknown-setting here',
        '0 ambiguous-comment warning ambiguous-comment here',
      ],
    );
  });
});

describe('runChecks', () => {
  const model = serviceFor('protocols = imap\n').buildModel(ROOT);
  const context: AnalysisContext = {
    model,
    effective: new EffectiveSettings(model),
    dialect: detectDialect(model),
    schema: SCHEMA_23,
    host: new MemoryHost(),
  };

  test('a check that throws becomes one internal-error finding and the other checks still report', () => {
    const before: Check = () => [finding('unknown-setting', 0)];
    const explodes: Check = () => {
      throw new Error('boom');
    };
    const after: Check = () => [finding('missing-key', 0)];
    const findings = runChecks(context, [
      { name: 'before', check: before },
      { name: 'brokenCheck', check: explodes },
      { name: 'after', check: after },
    ]);
    assert.deepEqual(
      findings.map((f) => `${f.code}: ${f.message}`),
      [
        'unknown-setting: unknown-setting here',
        'internal-error: dovecot-lint internal error in brokenCheck: boom',
        'missing-key: missing-key here',
      ],
    );
    const internal = findings[1];
    assert.equal(internal.file, ROOT);
    assert.deepEqual(internal.range, { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } });
    assert.equal(applyLevels([internal], model)[0].level, 'error');
  });

  test('a thrown non-Error is described too', () => {
    const findings = runChecks(context, [
      {
        name: 'throwsString',
        check: () => {
          throw 'plain string';
        },
      },
    ]);
    assert.deepEqual(
      findings.map((f) => f.message),
      ['dovecot-lint internal error in throwsString: plain string'],
    );
  });

  test('each check of the analysis is named as its function is in the sources', () => {
    for (const row of ANALYSIS_CHECKS) assert.equal(row.name, row.check.name);
  });
});

test('a suppression comment above a continued setting covers a finding on its second line', () => {
  const root = '/etc/dovecot/dovecot.conf';
  const text = '# dovecot-lint: ignore=invalid-value\nmail_debug = \\\n  maybe\nmail_debug = \\\n  maybe\n';
  const analysis = getLanguageService(new MemoryHost({ [root]: text })).analyze(root);
  assert.deepEqual(
    analysis.diagnostics.map((d) => [d.code, d.range.start.line]),
    [['invalid-value', 4]],
  );
});
