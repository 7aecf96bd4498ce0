// FACTS §1.9: includes relative to the including file, sorted globs, section context across files,
// brace balance across files, !include_try, No matches, Recursive include file; LF and CRLF.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { MemoryHost } from '../server/src/service/model/host';
import { DEFAULT_LIMITS } from '../server/src/service/model/limits';
import { buildModel, contextOf, forEachInOrder, treeFiles, type ModelOptions } from '../server/src/service/model/model';
import { DovecotLanguageService } from '../server/src/service/languageService';
import { parseConfig } from '../server/src/service/syntax/parser';
import { analyzeFiles, brief } from './helpers/analyze';

for (const eol of ['\n', '\r\n']) {
  const t = (...lines: string[]): string => lines.join(eol) + eol;
  describe(`model (${JSON.stringify(eol)})`, () => {
    test('includes are relative to the including file and expanded in sorted glob order', () => {
      const analysis = analyzeFiles({
        '/etc/dovecot/dovecot.conf': t('!include conf.d/*.conf', 'mail_debug = yes'),
        '/etc/dovecot/conf.d/20-b.conf': t('!include sub/x.conf'),
        '/etc/dovecot/conf.d/10-a.conf': t('auth_debug = yes'),
        '/etc/dovecot/conf.d/sub/x.conf': t('verbose_proctitle = yes'),
      });
      assert.deepEqual(analysis.files, [
        '/etc/dovecot/dovecot.conf',
        '/etc/dovecot/conf.d/10-a.conf',
        '/etc/dovecot/conf.d/20-b.conf',
        '/etc/dovecot/conf.d/sub/x.conf',
      ]);
      assert.deepEqual(
        analysis.model.settings.map((s) => s.node.key),
        ['auth_debug', 'verbose_proctitle', 'mail_debug'],
      );
      assert.deepEqual(analysis.diagnostics, []);
    });
    test('an included file keeps the section context; the error names the included file', () => {
      const analysis = analyzeFiles({
        '/etc/dovecot/dovecot.conf': t('service imap {', '!include conf.d/10-a.conf', '}'),
        '/etc/dovecot/conf.d/10-a.conf': t('mail_debug = yes'),
      });
      const [finding] = analysis.diagnostics.filter((d) => d.code === 'unknown-setting');
      assert.equal(finding.file, '/etc/dovecot/conf.d/10-a.conf');
      assert.equal(finding.message, 'Unknown setting: service { mail_debug');
      assert.deepEqual(finding.range.start, { line: 0, character: 0 });
      assert.equal(contextOf(analysis.model.settings[0].frames), 'service');
      assert.equal(analysis.model.files.get('/etc/dovecot/conf.d/10-a.conf')?.entryFrames[0].section.name, 'imap');
    });
    test('braces balance across files: an included file may open what the parent closes', () => {
      const analysis = analyzeFiles({
        '/etc/dovecot/dovecot.conf': t('!include open.conf', '  process_limit = 5', '}'),
        '/etc/dovecot/open.conf': t('service imap {'),
      });
      assert.deepEqual(analysis.diagnostics, []);
      assert.equal(contextOf(analysis.model.settings[0].frames), 'service');
    });
    test("a '}' in an included file closes the including file's section: that section's own '}' closes the next", () => {
      const closing = (root: string[]) =>
        brief(
          analyzeFiles({
            '/etc/dovecot/dovecot.conf': t(...root),
            '/etc/dovecot/conf.d/10-a.conf': t('  user = vmail', '}'),
          }),
          'unexpected-close-brace',
        );
      // At top level nothing is left to close: Unexpected '}' at the section's own brace, as doveconf says.
      assert.deepEqual(closing(['service imap {', '  !include conf.d/10-a.conf', '  }']), ["2:2 Unexpected '}'"]);
      // Inside another section, it closes that one; the outer section's brace is then the one too many.
      assert.deepEqual(
        closing(['service imap {', '  unix_listener x {', '    !include conf.d/10-a.conf', '  }', '}']),
        ["4:0 Unexpected '}'"],
      );
    });
    test("Missing '}' names where the section started; Unexpected '}'", () => {
      assert.deepEqual(brief(analyzeFiles(t('service imap {', '  vsz_limit = 1G')), 'missing-close-brace'), [
        "0:0 Missing '}' (section started at dovecot.conf:1)",
      ]);
      const included = analyzeFiles({
        '/etc/dovecot/dovecot.conf': t('!include conf.d/open.conf'),
        '/etc/dovecot/conf.d/open.conf': t('', 'service imap {'),
      });
      assert.deepEqual(brief(included, 'missing-close-brace'), [
        "1:0 Missing '}' (section started at conf.d/open.conf:2)",
      ]);
      assert.deepEqual(brief(analyzeFiles(t('service imap {', '}', '}')), 'unexpected-close-brace'), [
        "2:0 Unexpected '}'",
      ]);
      // 2.3 reads a top-level auth block as old auth_ settings and opens no section; a block inside it does.
      assert.deepEqual(brief(analyzeFiles(t('auth default {', '  auth_debug = yes')), 'missing-close-brace'), []);
      assert.deepEqual(brief(analyzeFiles(t('auth default {', '  passdb pam {')), 'missing-close-brace'), [
        "1:2 Missing '}' (section started at dovecot.conf:2)",
      ]);
    });
    test('!include with no match is No matches (even a literal name); !include_try is silent', () => {
      assert.deepEqual(brief(analyzeFiles(t('!include missing.conf')), 'include-no-matches'), ['0:9 No matches']);
      assert.deepEqual(brief(analyzeFiles(t('!include nonexist/*.conf')), 'include-no-matches'), ['0:9 No matches']);
      assert.deepEqual(analyzeFiles(t('!include_try nonexist/*.conf', '!include_try missing.conf')).diagnostics, []);
      // No pattern: the including file's directory, opened and read as nothing.
      assert.deepEqual(analyzeFiles(t('!include', 'mail_debug = yes')).diagnostics, []);
    });
    test('Recursive include file, directly and through another file', () => {
      assert.deepEqual(brief(analyzeFiles(t('!include dovecot.conf')), 'include-recursive'), [
        '0:9 Recursive include file: dovecot.conf',
      ]);
      const loop = analyzeFiles({
        '/etc/dovecot/dovecot.conf': t('!include a.conf'),
        '/etc/dovecot/a.conf': t('!include dovecot.conf'),
      });
      assert.equal(brief(loop, 'include-recursive').length, 1);
      assert.equal(loop.diagnostics.find((d) => d.code === 'include-recursive')?.file, '/etc/dovecot/a.conf');
    });
    test('the same file included twice (not recursively) is read twice, as doveconf does', () => {
      const analysis = analyzeFiles({
        '/etc/dovecot/dovecot.conf': t('!include a.conf', '!include a.conf'),
        '/etc/dovecot/a.conf': t('mail_debug = yes'),
      });
      assert.equal(analysis.model.settings.length, 2);
      assert.deepEqual(analysis.diagnostics, []);
    });
  });
}

test('Recursive include file names the file relative to the root directory, as doveconf does', () => {
  const analysis = analyzeFiles({
    '/etc/dovecot/dovecot.conf': '!include conf.d/*.conf\n',
    '/etc/dovecot/conf.d/a.conf': '!include a.conf\n',
  });
  assert.deepEqual(brief(analysis, 'include-recursive'), ['0:9 Recursive include file: conf.d/a.conf']);
});

/** The entries as forEachInOrder visits them. */
function visitedInOrder<T extends { order: number }>(first: T[], second: T[]): T[] {
  const visited: T[] = [];
  forEachInOrder(
    first,
    second,
    (entry) => visited.push(entry),
    (entry) => visited.push(entry),
  );
  return visited;
}

describe('forEachInOrder', () => {
  test('visits what a stable sort by order of first + second gives, ties included', () => {
    const first = [
      { order: 1, from: 'a' },
      { order: 3, from: 'a' },
      { order: 3, from: 'a2' },
      { order: 7, from: 'a' },
    ];
    const second = [
      { order: 0, from: 'b' },
      { order: 3, from: 'b' },
      { order: 8, from: 'b' },
      { order: 9, from: 'b' },
    ];
    const sorted = [...first, ...second].sort((x, y) => x.order - y.order);
    assert.deepEqual(visitedInOrder(first, second), sorted);
    assert.deepEqual(
      visitedInOrder(second, first),
      [...second, ...first].sort((x, y) => x.order - y.order),
    );
    assert.deepEqual(visitedInOrder([], second), second);
  });
});

describe('kept texts', () => {
  test('each file keeps the text its parse hands back (a kept parse comes with its earlier read), not a second copy', () => {
    const host = new MemoryHost({
      '/etc/dovecot/dovecot.conf': '!include conf.d/*.conf\n',
      '/etc/dovecot/conf.d/a.conf': 'a = 1\n',
    });
    const kept = new Map<string, string>();
    const model = buildModel(host, '/etc/dovecot/dovecot.conf', (file, text) => {
      kept.set(file, `${text}# kept\n`);
      return { text: kept.get(file)!, parsed: parseConfig(text) };
    });
    assert.deepEqual(
      [...model.files.values()].map((file) => [file.path, file.text]),
      [...kept],
    );
  });

  test('a service analysing a tree again hands the model its kept parse while the text is unchanged, then a new one', () => {
    const root = '/etc/dovecot/dovecot.conf';
    const host = new MemoryHost({ [root]: 'mail_debug = yes\n' });
    const service = new DovecotLanguageService(host);
    const first = service.analyze(root).model.files.get(root)!;
    host.set(root, 'mail_debug = yes\n');
    assert.equal(service.analyze(root).model.files.get(root)!.parsed, first.parsed);
    host.set(root, 'mail_debug = no\n');
    const changed = service.analyze(root).model.files.get(root)!;
    assert.notEqual(changed.parsed, first.parsed);
    assert.equal(changed.text, 'mail_debug = no\n');
  });
});

describe('treeFiles', () => {
  const parse = (_file: string, text: string) => ({ text, parsed: parseConfig(text) });
  const agree = (files: Record<string, string>, options: ModelOptions = {}, root = '/etc/dovecot/dovecot.conf') => {
    const host = new MemoryHost(files);
    const read = [...treeFiles(host, root, parse, options)];
    assert.deepEqual(read, [...buildModel(host, root, parse, options).files.keys()]);
    return read;
  };
  const nested = (depth: number, inner: string) => `${'service a {\n'.repeat(depth)}${inner}\n${'}\n'.repeat(depth)}`;

  test('reads the files the model reads: globs, includes in sections and past unbalanced braces, loops, missing files', () => {
    const read = agree({
      '/etc/dovecot/dovecot.conf':
        'service imap {\n!include conf.d/open.conf\n!include_try missing.conf\n!include conf.d/*.conf\n',
      '/etc/dovecot/conf.d/open.conf': '}\n!include ../dovecot.conf\n',
      '/etc/dovecot/conf.d/10-a.conf': 'protocol imap {\n!include sub/x.conf\n}\n',
      '/etc/dovecot/conf.d/sub/x.conf': 'mail_debug = yes\n',
      '/etc/dovecot/unused.conf': 'auth_debug = yes\n',
    });
    assert.deepEqual(read, [
      '/etc/dovecot/dovecot.conf',
      '/etc/dovecot/conf.d/open.conf',
      '/etc/dovecot/conf.d/10-a.conf',
      '/etc/dovecot/conf.d/sub/x.conf',
    ]);
  });
  test('does not follow an include in a section nested past the depth the model analyses', () => {
    const read = agree({
      '/etc/dovecot/dovecot.conf': `${nested(3, '!include shallow.conf')}${nested(101, '!include deep.conf')}`,
      '/etc/dovecot/shallow.conf': 'mail_debug = yes\n',
      '/etc/dovecot/deep.conf': 'mail_debug = yes\n',
    });
    assert.deepEqual(read, ['/etc/dovecot/dovecot.conf', '/etc/dovecot/shallow.conf']);
  });
  test('stops where the model stops: the number of included files and the size of the tree', () => {
    const files = {
      '/etc/dovecot/dovecot.conf': '!include conf.d/*.conf\n',
      '/etc/dovecot/conf.d/1.conf': 'mail_debug = yes\n',
      '/etc/dovecot/conf.d/2.conf': 'mail_debug = yes\n',
      '/etc/dovecot/conf.d/3.conf': 'mail_debug = yes\n',
    };
    assert.equal(agree(files, { limits: { ...DEFAULT_LIMITS, includedFiles: 2 } }).length, 3);
    assert.equal(agree(files, { limits: { ...DEFAULT_LIMITS, treeBytes: 60 } }).length, 3);
  });
  test('in a template tree, follows the template forms of included files', () => {
    const read = agree(
      {
        '/srv/roles/dovecot.conf.j2': '!include conf.d/*.conf\n',
        '/srv/roles/conf.d/10-mail.conf.j2': 'mail_debug = yes\n',
      },
      { templateSuffixes: ['.j2'] },
      '/srv/roles/dovecot.conf.j2',
    );
    assert.deepEqual(read, ['/srv/roles/dovecot.conf.j2', '/srv/roles/conf.d/10-mail.conf.j2']);
  });
});
