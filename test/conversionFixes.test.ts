// Quick fixes of 2.3 constructs in 2.4 and mixed trees write what the real converter writes there.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { TextEdit } from 'vscode-languageserver-types';
import { getLanguageService, type TreeAnalysis } from '../server/src/service/dovecotLanguageService';
import { MemoryHost } from '../server/src/service/model/host';

const ROOT = '/etc/dovecot/dovecot.conf';

function setup(text: string) {
  const host = new MemoryHost({ [ROOT]: text });
  const service = getLanguageService(host);
  const analysis = service.analyze(ROOT);
  const converted = service.migrateTree(ROOT, '2.4').files.find((file) => file.path === ROOT)?.converted ?? '';
  return { host, analysis, converted, service };
}

function conversionFixes(analysis: TreeAnalysis, host: MemoryHost, code: string) {
  const service = getLanguageService(host);
  return analysis.diagnostics
    .filter((diagnostic) => diagnostic.code === code)
    .map((diagnostic) => ({
      diagnostic,
      fixes: service
        .doQuickFixes(
          analysis,
          ROOT,
          [{ range: diagnostic.range, message: diagnostic.message, code: diagnostic.code, data: diagnostic.data }],
          host,
        )
        .map(({ fix }) => fix)
        .filter((fix) => fix.title.startsWith('Convert to Dovecot 2.4')),
    }));
}

function apply(text: string, edit: TextEdit): string {
  return TextDocument.applyEdits(TextDocument.create('file:///x', 'dovecot', 1, text), [edit]);
}

/** The replacement lines stand, in the same order, in the converter's output. */
function inConverted(converted: string, edit: TextEdit): boolean {
  return converted.includes(edit.newText);
}

const TREE_24 = [
  'dovecot_config_version = 2.4.4',
  'dovecot_storage_version = 2.4.4',
  'mail_location = maildir:~/Maildir',
  'disable_plaintext_auth = yes',
  'mail_home = /home/%u',
  'plugin {',
  '  mail_replica = tcp:peer.example.com:12345',
  '}',
  '',
].join('\n');

describe('conversion fixes in a 2.4 tree', () => {
  it('offer, for each 2.3 setting, the lines the converter writes for it and nothing else', () => {
    const { analysis, host, converted } = setup(TREE_24);
    const found = ['unknown-setting', 'variable-syntax-23', 'removed-in-2.4'].flatMap((code) =>
      conversionFixes(analysis, host, code),
    );
    const lines = found
      .filter(({ fixes }) => fixes.length > 0)
      .map(({ diagnostic }) => diagnostic.range.start.line)
      .sort((a, b) => a - b);
    assert.deepEqual([...new Set(lines)], [2, 3, 4, 5], 'a conversion fix on every 2.3 line');
    for (const { diagnostic, fixes } of found) {
      for (const fix of fixes) {
        const edit = fix.edits[ROOT][0];
        assert.ok(
          inConverted(converted, edit),
          `${diagnostic.code} line ${diagnostic.range.start.line}: ${JSON.stringify(edit.newText)} is not what the converter wrote:\n${converted}`,
        );
        assert.ok(
          edit.range.start.line <= diagnostic.range.start.line && edit.range.end.line > diagnostic.range.start.line,
          'the edit covers the construct',
        );
      }
    }
  });

  it('replaces the rename when the value changes meaning, as the converter does', () => {
    const { analysis, host, converted, service } = setup(TREE_24);
    const [renamed] = conversionFixes(analysis, host, 'unknown-setting').filter(
      ({ diagnostic }) => diagnostic.range.start.line === 3,
    );
    const titles = service
      .doQuickFixes(
        analysis,
        ROOT,
        [
          {
            range: renamed.diagnostic.range,
            message: renamed.diagnostic.message,
            code: renamed.diagnostic.code,
            data: renamed.diagnostic.data,
          },
        ],
        host,
      )
      .map(({ fix }) => fix.title);
    assert.ok(
      !titles.some((title) => title.startsWith('Rename to')),
      `a plain rename would disagree with the converter: ${titles.join(' | ')}`,
    );
    const fixed = apply(TREE_24, renamed.fixes[0].edits[ROOT][0]).split('\n')[3];
    assert.ok(converted.split('\n').includes(fixed), `${fixed} is in the converted tree`);
    assert.notEqual(fixed, 'auth_allow_cleartext = yes');
  });

  it('converts a whole block from its header, closing brace included', () => {
    const { analysis, host } = setup(TREE_24);
    const [plugin] = conversionFixes(analysis, host, 'removed-in-2.4').filter(
      ({ diagnostic }) => diagnostic.range.start.line === 5,
    );
    assert.ok(plugin?.fixes[0], 'the plugin block has a conversion fix');
    const edit = plugin.fixes[0].edits[ROOT][0];
    assert.equal(edit.range.start.line, 5);
    assert.equal(edit.range.end.line, 8);
    const service = getLanguageService(new MemoryHost({ [ROOT]: apply(TREE_24, edit) }));
    const after = service.analyze(ROOT);
    assert.deepEqual(
      after.diagnostics.filter((d) => d.code === 'unexpected-close-brace' || d.code === 'missing-close-brace'),
      [],
    );
  });

  it('keeps the variable fix of the shared variable table beside the line conversion', () => {
    const { analysis, host, service } = setup(TREE_24);
    const [variable] = analysis.diagnostics.filter((d) => d.code === 'variable-syntax-23');
    const titles = service
      .doQuickFixes(
        analysis,
        ROOT,
        [{ range: variable.range, message: variable.message, code: variable.code, data: variable.data }],
        host,
      )
      .map(({ fix }) => fix.title);
    assert.ok(titles.includes("Write '%{user}'"), titles.join(' | '));
    assert.ok(
      titles.some((title) => title === 'Convert to Dovecot 2.4: mail_home = /home/%{user}'),
      titles.join(' | '),
    );
  });

  it('offers no conversion for a misspelled 2.4 setting', () => {
    const { analysis, host } = setup(
      'dovecot_config_version = 2.4.4\ndovecot_storage_version = 2.4.4\nmail_drivr = maildir\n',
    );
    const found = conversionFixes(analysis, host, 'unknown-setting');
    assert.equal(found.length, 1);
    assert.deepEqual(found[0].fixes, []);
  });
});

describe('mixed-dialect fixes', () => {
  it("each 2.3 construct of a mixed tree gets the converter's lines for it", () => {
    const text = 'mail_driver = maildir\nmail_home = /home/%u\nssl_cert = </etc/ssl/cert.pem\n';
    const { analysis, host, converted } = setup(text);
    assert.equal(analysis.dialect, 'mixed');
    const found = conversionFixes(analysis, host, 'mixed-dialect').filter(({ fixes }) => fixes.length > 0);
    const lines = found.map(({ diagnostic }) => diagnostic.range.start.line);
    assert.ok(lines.includes(1) && lines.includes(2), `fixes on ${lines.join(',')}`);
    for (const { fixes } of found)
      assert.ok(inConverted(converted, fixes[0].edits[ROOT][0]), JSON.stringify(fixes[0].edits[ROOT][0]));
    const home = found.find(({ diagnostic }) => diagnostic.range.start.line === 1);
    assert.equal(apply(text, home!.fixes[0].edits[ROOT][0]).split('\n')[1], 'mail_home = /home/%{user}');
  });

  it('gives no conversion fix in a 2.3 tree', () => {
    const { analysis, host } = setup('mail_location = maildir:~/Maildir\n');
    assert.equal(analysis.dialect, '2.3');
    assert.deepEqual(conversionFixes(analysis, host, 'mixed-dialect'), []);
  });
});
