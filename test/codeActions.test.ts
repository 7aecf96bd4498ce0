// Code actions: each rule's own fixes first, then "Ignore <id> on this line", which inserts a suppression comment
// with the line's indentation and the file's EOL; a throwing provider never hides the suppression. LF and CRLF.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { Diagnostic } from 'vscode-languageserver-types';
import { suppressionFix } from '../server/src/service/features/codeActions';
import type { QuickFix } from '../server/src/service/features/quickFix';
import {
  getLanguageService,
  type LanguageService,
  type TreeAnalysis,
} from '../server/src/service/dovecotLanguageService';
import { diagnosticsForFile } from '../server/src/service/languageService';
import { MemoryHost } from '../server/src/service/model/host';
import { analyzeFiles } from './helpers/analyze';

const ROOT = '/etc/dovecot/dovecot.conf';

function analyse(files: Record<string, string>): {
  host: MemoryHost;
  analysis: TreeAnalysis;
  service: LanguageService;
} {
  const host = new MemoryHost(files);
  const service = getLanguageService(host);
  return { host, analysis: service.analyze(ROOT), service };
}

/** The LSP diagnostics of a file with one code, as the client sends them back. */
function lspDiagnostics(analysis: TreeAnalysis, file: string, code: string): Diagnostic[] {
  return diagnosticsForFile(analysis, file)
    .filter((d) => d.code === code)
    .map((d) => ({ range: d.range, message: d.message, code: d.code, data: d.data }));
}

function apply(text: string, file: string, fix: QuickFix): string {
  return TextDocument.applyEdits(TextDocument.create(file, 'dovecot', 1, text), fix.edits[file]);
}

for (const eol of ['\n', '\r\n']) {
  const text = (...lines: string[]) => lines.join(eol) + eol;
  describe(`quick fixes (${JSON.stringify(eol)})`, () => {
    test('"Ignore <id> on this line" inserts the comment above, indented like the line, with the file EOL', () => {
      const original = text('protocols = imap', 'service imap {', '  bogus_setting = 1', '}');
      const files = { [ROOT]: original };
      const { host, analysis } = analyse(files);
      const [diagnostic] = lspDiagnostics(analysis, ROOT, 'unknown-setting');
      assert.equal(diagnostic.range.start.line, 2);
      const fix = suppressionFix({ analysis, diagnostic, file: ROOT, host });
      assert.equal(fix?.title, 'Ignore unknown-setting on this line');
      assert.deepEqual(fix?.edits, {
        [ROOT]: [
          {
            range: { start: { line: 2, character: 0 }, end: { line: 2, character: 0 } },
            newText: `  # dovecot-lint: ignore=unknown-setting${eol}`,
          },
        ],
      });
      const fixed = apply(original, ROOT, fix!);
      assert.equal(
        fixed,
        text(
          'protocols = imap',
          'service imap {',
          '  # dovecot-lint: ignore=unknown-setting',
          '  bogus_setting = 1',
          '}',
        ),
      );
      const after = analyse({ [ROOT]: fixed }).analysis;
      assert.deepEqual(lspDiagnostics(after, ROOT, 'unknown-setting'), []);
      assert.deepEqual(
        after.diagnostics.filter((d) => d.level === 'error' || d.level === 'warning').map((d) => d.code),
        [],
      );
    });

    test("a rule's own fixes come before the suppression, each paired with its diagnostic", () => {
      const { host, analysis, service } = analyse({
        [ROOT]: text('protocols = imap', 'mail_locaton = maildir:~/Maildir'),
      });
      const diagnostics = lspDiagnostics(analysis, ROOT, 'unknown-setting');
      assert.equal(diagnostics.length, 1);
      const titles = service.doQuickFixes(analysis, ROOT, diagnostics, host).map(({ fix, diagnostic }) => {
        assert.equal(diagnostic, diagnostics[0]);
        return fix.title;
      });
      assert.equal(titles[0], "Change to 'mail_location'");
      assert.equal(titles[titles.length - 1], 'Ignore unknown-setting on this line');
      assert.equal(titles.filter((t) => t.startsWith('Ignore')).length, 1);
    });

    test('two diagnostics give their fixes in diagnostic order', () => {
      const { host, analysis, service } = analyse({
        [ROOT]: text('protocols = imap', 'mail_locaton = maildir:~/Maildir', 'foo_bar_baz = 1'),
      });
      const diagnostics = lspDiagnostics(analysis, ROOT, 'unknown-setting');
      assert.deepEqual(
        diagnostics.map((d) => d.range.start.line),
        [1, 2],
      );
      const lines = service
        .doQuickFixes(analysis, ROOT, diagnostics, host)
        .filter(({ fix }) => fix.title.startsWith('Ignore'))
        .map(({ diagnostic }) => diagnostic.range.start.line);
      assert.deepEqual(lines, [1, 2]);
    });

    test('a diagnostic whose range no longer matches the text gets no rule fix, only the suppression', () => {
      const { host, analysis, service } = analyse({
        [ROOT]: text('protocols = imap', 'mail_locaton = maildir:~/Maildir'),
      });
      const [diagnostic] = lspDiagnostics(analysis, ROOT, 'unknown-setting');
      const stale: Diagnostic = {
        ...diagnostic,
        range: { start: { line: 1, character: 3 }, end: { line: 1, character: 20 } },
      };
      assert.deepEqual(
        service.doQuickFixes(analysis, ROOT, [stale], host).map(({ fix }) => fix.title),
        ['Ignore unknown-setting on this line'],
      );
    });

    test('a provider that throws on malformed data does not hide the suppression fix', () => {
      const { host, analysis, service } = analyse({
        [ROOT]: text('protocols = imap', 'mail_locaton = maildir:~/Maildir'),
      });
      const [diagnostic] = lspDiagnostics(analysis, ROOT, 'unknown-setting');
      const data = Object.defineProperty({}, 'suggestions', {
        get() {
          throw new Error('malformed data');
        },
      });
      const fixes = service.doQuickFixes(analysis, ROOT, [{ ...diagnostic, data }], host);
      assert.deepEqual(
        fixes.map(({ fix }) => fix.title),
        ['Ignore unknown-setting on this line'],
      );
    });
  });
}

test('a diagnostic without a code gets no suppression fix', () => {
  const { host, analysis, service } = analyse({ [ROOT]: 'protocols = imap\n' });
  const diagnostic: Diagnostic = {
    range: { start: { line: 0, character: 0 }, end: { line: 0, character: 9 } },
    message: 'no code',
  };
  assert.equal(suppressionFix({ analysis, diagnostic, file: ROOT, host }), undefined);
  assert.deepEqual(service.doQuickFixes(analysis, ROOT, [diagnostic], host), []);
});

test('ignoring a second rule on a line adds it to the suppression comment above, so both stay suppressed', () => {
  const original = 'protocols = imap\n  mail_locaton = x#y\n';
  const first = analyse({ [ROOT]: original });
  const codes = first.analysis.diagnostics
    .filter((d) => d.range.start.line === 1)
    .map((d) => d.code)
    .sort();
  assert.deepEqual(codes, ['ambiguous-comment', 'unknown-setting']);
  const [unknown] = lspDiagnostics(first.analysis, ROOT, 'unknown-setting');
  const once = apply(
    original,
    ROOT,
    suppressionFix({ analysis: first.analysis, diagnostic: unknown, file: ROOT, host: first.host })!,
  );
  assert.equal(once, 'protocols = imap\n  # dovecot-lint: ignore=unknown-setting\n  mail_locaton = x#y\n');

  const second = analyse({ [ROOT]: once });
  const [ambiguous] = lspDiagnostics(second.analysis, ROOT, 'ambiguous-comment');
  const fix = suppressionFix({ analysis: second.analysis, diagnostic: ambiguous, file: ROOT, host: second.host })!;
  const twice = apply(once, ROOT, fix);
  assert.equal(
    twice,
    'protocols = imap\n  # dovecot-lint: ignore=unknown-setting,ambiguous-comment\n  mail_locaton = x#y\n',
  );
  assert.deepEqual(
    analyse({ [ROOT]: twice }).analysis.diagnostics.map((d) => d.code),
    [],
  );
});

test('on a continued setting the suppression goes above its first line, never inside the continuation', () => {
  const original = 'mail_debug = \\\n  maybe\n';
  const { host, analysis } = analyse({ [ROOT]: original });
  const [diagnostic] = lspDiagnostics(analysis, ROOT, 'invalid-value');
  assert.equal(diagnostic.range.start.line, 1);
  const fix = suppressionFix({ analysis, diagnostic, file: ROOT, host });
  assert.ok(fix);
  const fixed = apply(original, ROOT, fix);
  assert.equal(fixed, '# dovecot-lint: ignore=invalid-value\nmail_debug = \\\n  maybe\n');
  const { analysis: after } = analyse({ [ROOT]: fixed });
  assert.deepEqual(after.diagnostics, []);
});

test('no rule fix edits a line Dovecot rewrites (obsolete setting); the obsolete-setting fix does', () => {
  const analysis = analyzeFiles(
    'ssl_disable = yes\nservice doveadm {\n  inet_listener {\n    port = 12345\n    ssl = yes\n  }\n}\nmail_plugins = $mail_plugins notify replication\nplugin {\n  mail_replica = tcps:peer:12345\n}\n',
  );
  const diagnostics = analysis.diagnostics.filter((d) => d.range.start.line === 0);
  assert.ok(
    diagnostics.some((d) => d.code === 'tcps-ssl-disabled'),
    'ssl = no comes from the rewritten line',
  );
  const fixes = getLanguageService(new MemoryHost({})).doQuickFixes(
    analysis,
    analysis.root,
    diagnostics.map((d) => ({ ...d, severity: 1 })),
  );
  const titles = fixes.map(({ fix, diagnostic }) => `${diagnostic.code}: ${fix.title}`);
  assert.ok(titles.includes("obsolete-setting: Change to 'ssl = no'"), titles.join(' | '));
  assert.ok(
    !titles.some((title) => title.startsWith('tcps-ssl-disabled:') && !title.includes('Ignore')),
    titles.join(' | '),
  );
});
