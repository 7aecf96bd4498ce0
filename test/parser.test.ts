// FACTS §1.2-1.7 on one file: statements, values, variables, sections and doveconf's errors; LF and CRLF.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { SectionNode, SettingNode, Statement } from '../server/src/service/syntax/nodes';
import { parseConfig } from '../server/src/service/syntax/parser';

const settingOf = (statement: Statement | undefined): SettingNode => {
  assert.equal(statement?.kind, 'setting');
  return statement as SettingNode;
};
const sectionOf = (statement: Statement | undefined): SectionNode => {
  assert.equal(statement?.kind, 'section');
  return statement as SectionNode;
};

for (const eol of ['\n', '\r\n']) {
  const parse = (...lines: string[]) => parseConfig(lines.join(eol) + eol);
  const problems = (...lines: string[]): string[] =>
    parse(...lines).problems.map((p) => `${p.range.start.line}:${p.range.start.character} ${p.message}`);
  describe(`parser (${JSON.stringify(eol)})`, () => {
    test('key = value with every spacing variant, ranges of key and value', () => {
      for (const line of ['mail_debug=yes', 'mail_debug =yes', 'mail_debug= yes', 'mail_debug   =   yes']) {
        const setting = settingOf(parse(line).statements[0]);
        assert.equal(setting.key, 'mail_debug');
        assert.equal(setting.value, 'yes');
        assert.equal(setting.valueKind, 'plain');
        assert.deepEqual(setting.keyRange, { start: { line: 0, character: 0 }, end: { line: 0, character: 10 } });
        assert.equal(setting.valueRange.start.character, line.length - 3);
      }
      assert.equal(settingOf(parse('mail_plugins =').statements[0]).value, '');
    });
    test('both quote styles are unquoted and unescaped; "a"b" gives a"b; unquoted keeps backslashes', () => {
      const [a, b, c, d, e] = parse(
        'a = "in \\"q\\""',
        "b = 'it\\'s'",
        'c = "a"b"',
        'd = x\\y',
        'e = "unterminated',
      ).statements.map(settingOf);
      assert.deepEqual([a.value, a.valueKind], ['in "q"', 'quoted']);
      assert.deepEqual([b.value, b.valueKind], ["it's", 'quoted']);
      assert.equal(c.value, 'a"b');
      assert.deepEqual([d.value, d.valueKind], ['x\\y', 'plain']);
      assert.deepEqual([e.value, e.valueKind], ['"unterminated', 'plain']);
    });
    test('a quoted value ending in a lone backslash loses it, as Dovecot unescapes it', () => {
      const [a, b] = parse('mail_debug = "yes\\"', "b = 'a\\\\\\'").statements.map(settingOf);
      assert.deepEqual([a.value, a.valueKind], ['yes', 'quoted']);
      assert.deepEqual([b.value, b.valueKind], ['a\\', 'quoted']);
    });
    test('<file values: path after < and optional blanks', () => {
      const setting = settingOf(parse('ssl_cert = <  /etc/ssl/cert.pem').statements[0]);
      assert.deepEqual(
        [setting.valueKind, setting.value, setting.valueRange.start.character],
        ['file', '/etc/ssl/cert.pem', 14],
      );
    });
    test('$var and $ENV: tokens only at the start of a white-space separated token of an unquoted value', () => {
      const [a, b, c, d] = parse(
        'mail_plugins = $mail_plugins quota',
        'login_greeting = $ENV:GREET ready',
        'hostname = x$foo tcp:$h',
        'postmaster_address = "$foo"',
      ).statements.map(settingOf);
      assert.deepEqual(
        a.variables.map((v) => [v.name, v.range.start.character, v.range.end.character]),
        [['mail_plugins', 15, 28]],
      );
      assert.equal(a.valueKind, 'variables');
      assert.deepEqual(
        b.variables.map((v) => v.name),
        ['ENV:GREET'],
      );
      assert.deepEqual([c.valueKind, c.variables], ['plain', []]);
      assert.deepEqual([d.valueKind, d.value, d.variables], ['quoted', '$foo', []]);
    });
    test('sections: bare, quoted and unnamed names, filters, nesting and close ranges', () => {
      const parsed = parse(
        'namespace inbox {',
        '  mailbox "Sent Messages" {',
        '  }',
        '}',
        'passdb {',
        '}',
        'protocol !imap {',
        '}',
        'remote 2001:db8::/32 {',
        '}',
      );
      assert.deepEqual(parsed.problems, []);
      const [ns, passdb, protocol, remote] = parsed.statements.map(sectionOf);
      assert.deepEqual([ns.type, ns.name, ns.nameQuoted, ns.filter], ['namespace', 'inbox', false, undefined]);
      const mailbox = sectionOf(ns.children[0]);
      assert.deepEqual([mailbox.name, mailbox.nameQuoted], ['Sent Messages', true]);
      assert.deepEqual(mailbox.nameRange, { start: { line: 1, character: 10 }, end: { line: 1, character: 25 } });
      assert.deepEqual(ns.closeRange?.start, { line: 3, character: 0 });
      assert.deepEqual([passdb.name, passdb.nameRange], ['', undefined]);
      assert.deepEqual([protocol.filter, protocol.name], ['protocol', '!imap']);
      assert.deepEqual([remote.filter, remote.name], ['remote', '2001:db8::/32']);
    });
    test("Expecting '{': bare key, key value without =, brace on the next line, name with a space", () => {
      assert.deepEqual(problems('mail_location'), ["0:0 Expecting '{'"]);
      assert.deepEqual(problems('mail_location maildir:~/x'), ["0:0 Expecting '{'"]);
      assert.deepEqual(problems('service imap', '{', '}').slice(0, 1), ["0:0 Expecting '{'"]);
      assert.deepEqual(problems('namespace my ns {', '}'), ["0:0 Expecting '{'"]);
      assert.deepEqual(problems('mailbox "unterminated {'), ["0:0 Expecting '{'"]);
      assert.equal(parse('mail_location').statements[0].kind, 'invalid');
    });
    test("Garbage after '{' on the text after the brace", () => {
      assert.deepEqual(problems('service imap { vsz_limit = 1G }'), ["0:14 Garbage after '{'"]);
    });
    test('a block whose header Dovecot rejects is passed over to its own }, nested blocks counted, and nothing in it is read', () => {
      const file = parse(
        'mail_debug = yes',
        'service a b {',
        '  x = 1',
        '  "y {',
        '  }',
        '  inet_listener {',
        '  }',
        '}',
        'z = 2',
      );
      assert.deepEqual(
        file.problems.map((problem) => problem.message),
        ["Expecting '{'"],
      );
      assert.deepEqual(
        file.statements.map((statement) => statement.kind),
        ['setting', 'invalid', 'setting'],
      );
      assert.equal(settingOf(file.statements[2]).key, 'z');
    });
    test('a rejected block header on the first line is not passed over: 2.4 reads its root past it to the version line', () => {
      const file = parse('{', 'dovecot_config_version = 2.4.0', '}');
      assert.deepEqual(
        file.statements.map((statement) => statement.kind),
        ['invalid', 'setting', 'close'],
      );
      // The lines 2.3 (and an included file) pass over with it are marked: the block's lines and its `}`.
      const header = file.statements[0];
      assert.ok(header.kind === 'invalid');
      assert.deepEqual(header.passedOver, { first: 1, last: 2 });
      const nested = parse('service a b {', '  inet_listener x {', '  }', '}', 'mail_debug = yes').statements[0];
      assert.ok(nested.kind === 'invalid');
      assert.deepEqual(nested.passedOver, { first: 1, last: 3 });
      // A line 2.4 cannot read (an unknown escape) comes before the first line it reads.
      const afterEscape = parse('mail_debug = "ye\\s"', 'userdb{', '}', 'x = 1');
      assert.deepEqual(
        afterEscape.statements.map((statement) => statement.kind),
        ['setting', 'invalid', 'close', 'setting'],
      );
      const escaped = afterEscape.statements[1];
      assert.ok(escaped.kind === 'invalid');
      assert.deepEqual(escaped.passedOver, { first: 2, last: 2 });
      const unclosed = parse('service a b {', '  x = 1', '  y = 2').statements[0];
      assert.ok(unclosed.kind === 'invalid');
      assert.deepEqual(unclosed.passedOver, { first: 1, last: 2 });
    });
    test('a header rejected for its brace whose quoted name has an unknown escape: 2.4 reports the escape, at the name', () => {
      const marked = (line: string): string[] =>
        parse(line).problems.map(
          (p) =>
            `${p.data?.dialect ?? 'both'} ${p.code} ${p.range.start.character}-${p.range.end.character} ${p.message}`,
        );
      assert.deepEqual(marked('namespace "a\\tb" x'), [
        "2.3 expecting-brace 0-18 Expecting '{'",
        '2.4 unknown-escape 10-16 Unknown escape sequence \\t',
      ]);
      assert.deepEqual(marked('namespace "a\\tb" {x'), [
        "2.3 garbage-after-brace 18-19 Garbage after '{'",
        '2.4 unknown-escape 10-16 Unknown escape sequence \\t',
      ]);
      // The name ends at the first quote, backslash or not: `a\` ends in a lone backslash.
      assert.deepEqual(marked('namespace "a\\"b" x'), [
        "2.3 expecting-brace 0-18 Expecting '{'",
        '2.4 unknown-escape 10-14 Unknown escape sequence \\',
      ]);
      // A quoted type too: 2.3 reads the type with its quotes and rejects the line for its brace.
      assert.deepEqual(marked('"namespace" "a\\tb"'), [
        '2.4 unknown-escape 12-18 Unknown escape sequence \\t',
        "2.3 expecting-brace 0-18 Expecting '{'",
      ]);
      // Escapes 2.4 knows, an unterminated name, or a header that opens: the brace decides, for both.
      assert.deepEqual(marked('namespace "a\\\\b" x'), ["both expecting-brace 0-18 Expecting '{'"]);
      assert.deepEqual(marked('namespace "a\\tb'), ["both expecting-brace 0-15 Expecting '{'"]);
      assert.deepEqual(marked('namespace "a\\tb" {'), []);
    });
    test('a line starting with = is a setting with an empty key (the section decides whether that is an error)', () => {
      const parsed = parse('mail_debug = yes', '= yes');
      assert.deepEqual(parsed.problems, []);
      const empty = parsed.statements[1];
      assert.ok(empty.kind === 'setting' && empty.key === '' && empty.value === 'yes');
    });
    test('a } closing nothing in this file becomes a close statement (the model decides if it is an error)', () => {
      const parsed = parse('}');
      assert.deepEqual(parsed.problems, []);
      assert.deepEqual(
        parsed.statements.map((s) => s.kind),
        ['close'],
      );
    });
    test('!include and !include_try keep their pattern and its range', () => {
      const [include, includeTry] = parse('!include conf.d/*.conf', '!include_try /x/{a,b}.conf').statements;
      assert.deepEqual(include, {
        kind: 'include',
        optional: false,
        pattern: 'conf.d/*.conf',
        patternRange: { start: { line: 0, character: 9 }, end: { line: 0, character: 22 } },
        range: { start: { line: 0, character: 0 }, end: { line: 0, character: 22 } },
      });
      assert.equal(includeTry.kind === 'include' && includeTry.optional, true);
    });
    describe('a key written in double quotes: 2.4 reads it unquoted, 2.3 keeps the quote in the key', () => {
      /** Each problem as `dialect line:character message` ('both' when the versions agree). */
      const marked = (...lines: string[]): string[] =>
        parse(...lines).problems.map(
          (p) => `${p.data?.dialect ?? 'both'} ${p.range.start.line}:${p.range.start.character} ${p.message}`,
        );
      const range = (line: number, start: number, end: number) => ({
        start: { line, character: start },
        end: { line, character: end },
      });
      test('"x" = y and "x"=y: key x, 2.3 reads key "x"; the key range covers the quotes', () => {
        for (const line of ['"mail_debug" = yes', '"mail_debug"=yes', '"mail_debug"\t=  yes']) {
          const parsed = parse(line);
          const setting = settingOf(parsed.statements[0]);
          assert.deepEqual(
            [setting.key, setting.keyQuoted, setting.key23, setting.value],
            ['mail_debug', true, '"mail_debug"', 'yes'],
            line,
          );
          assert.deepEqual(setting.keyRange, range(0, 0, 12));
          assert.deepEqual(parsed.problems, [], line);
        }
      });
      test('"a b" = c is a setting for 2.4 and Expecting \'{\' for 2.3 only', () => {
        const setting = settingOf(parse('  "a b" = c').statements[0]);
        assert.deepEqual([setting.key, setting.keyQuoted, setting.key23, setting.value], ['a b', true, undefined, 'c']);
        assert.deepEqual(setting.keyRange, range(0, 2, 7));
        assert.deepEqual(marked('  "a b" = c'), ["2.3 0:2 Expecting '{'"]);
      });
      test('escapes: \\" and \\\\ only; any other is 2.4\'s Unknown escape sequence', () => {
        const [quote, backslash] = parse('"a\\"b" = c', '"a\\\\b" = d').statements.map(settingOf);
        assert.deepEqual([quote.key, backslash.key], ['a"b', 'a\\b']);
        const parsed = parse('"a\\nb" = c');
        assert.equal(parsed.statements[0].kind, 'invalid');
        assert.deepEqual(marked('"a\\nb" = c'), ['2.4 0:0 Unknown escape sequence \\n']);
        assert.equal(parsed.problems[0].code, 'unknown-escape');
      });
      test('"" = x is a setting with an empty key; a quoted key may hold = and #', () => {
        const [empty, equals, hash] = parse('"" = x', '"e=f" = g', '"h#i" = j').statements.map(settingOf);
        assert.deepEqual([empty.key, empty.key23, empty.value], ['', '""', 'x']);
        assert.deepEqual([equals.key, equals.key23, equals.value], ['e=f', '"e', 'g']);
        assert.deepEqual([hash.key, hash.value], ['h#i', 'j']);
      });
      test('a key quoted in part is read as written by both versions', () => {
        const setting = settingOf(parse('a"b" = c').statements[0]);
        assert.deepEqual([setting.key, setting.keyQuoted], ['a"b"', undefined]);
      });
      test('text after the closing quote that is not = makes a section header: "a"b = c is Expecting \'{\' for 2.4', () => {
        const [statement] = parse('"a"b = $c d').statements;
        assert.equal(statement.kind, 'invalid');
        // 2.3 reads the setting `"a"b`.
        const read23 = statement.kind === 'invalid' ? statement.read23 : undefined;
        const setting23 = read23?.kind === 'setting' ? read23.setting : undefined;
        assert.deepEqual(setting23 && [setting23.key, setting23.value, setting23.valueKind], [
          '"a"b',
          '$c d',
          'variables',
        ]);
        assert.deepEqual(marked('"a"b = c'), ["2.4 0:0 Expecting '{'"]);
      });
      test("an unterminated quoted key runs to the end of the line: Expecting '{' for 2.4, the next line is read", () => {
        const parsed = parse('"mail_debug = yes', 'mail_debug = no');
        assert.deepEqual(
          parsed.statements.map((s) => s.kind),
          ['invalid', 'setting'],
        );
        assert.deepEqual(marked('"mail_debug = yes', 'mail_debug = no'), ["2.4 0:0 Expecting '{'"]);
        // 2.3 reads the line as the setting `"mail_debug`: the analysis judges it where it is.
        const read23 = parsed.statements[0].kind === 'invalid' ? parsed.statements[0].read23 : undefined;
        assert.deepEqual(read23 && [read23.kind, read23.key], ['setting', '"mail_debug']);
        const setting23 = read23?.kind === 'setting' ? read23.setting : undefined;
        assert.deepEqual(setting23 && [setting23.key, setting23.value, setting23.keyRange], [
          '"mail_debug',
          'yes',
          range(0, 0, 11),
        ]);
        assert.deepEqual(marked('"mail_debug\\" = yes'), ["2.4 0:0 Expecting '{'"]);
      });
      test("a quoted key alone is Expecting '{' for both", () => {
        assert.deepEqual(marked('"mail_debug"'), ["both 0:0 Expecting '{'"]);
      });
      test('section headers: a quoted type is the type; "a b" {, "namespace" inbox {', () => {
        const [spaced, namespace] = parse('"a b" {', '}', '"namespace" inbox {', '}').statements.map(sectionOf);
        assert.deepEqual([spaced.type, spaced.typeQuoted, spaced.type23], ['a b', true, '"a']);
        assert.deepEqual(spaced.typeRange, range(0, 0, 5));
        assert.deepEqual([namespace.type, namespace.name, namespace.type23], ['namespace', 'inbox', '"namespace"']);
        assert.deepEqual(namespace.typeRange, range(2, 0, 11));
        assert.deepEqual(marked('"a b" {', '}', '"namespace" inbox {', '}'), []);
      });
      test('a quoted } closes a section and a quoted !include includes, for 2.4 only', () => {
        const parsed = parse('service imap {', '"}"', '"!include" conf.d/*.conf');
        assert.deepEqual(
          parsed.statements.map((s) => s.kind),
          ['section', 'include'],
        );
        assert.equal(sectionOf(parsed.statements[0]).closeRange?.start.line, 1);
        assert.deepEqual(marked('service imap {', '"}"', '"!include" conf.d/*.conf'), [
          "2.3 1:0 Expecting '{'",
          "2.3 2:0 Expecting '{'",
        ]);
      });
      test('a quoted "group" is an include group header for 2.4', () => {
        const group = sectionOf(parse('"group" @mailboxes english {', '}').statements[0]);
        assert.deepEqual([group.type, group.groupLabel, group.name], ['group', '@mailboxes', 'english']);
        assert.deepEqual(marked('"group" @mailboxes english {', '}'), ["2.3 0:0 Expecting '{'"]);
        // Alone, `group` is a header without `{`, but `"group"` one without a group name (unterminated, it is not `group`).
        assert.deepEqual(marked('group'), ["both 0:0 Expecting '{'"]);
        assert.deepEqual(marked('"group"'), ['2.4 0:0 Expecting group name', "2.3 0:0 Expecting '{'"]);
        assert.deepEqual(marked('"group'), ["both 0:0 Expecting '{'"]);
        // Both versions reject `"group"a }group` with the same message: one problem for both.
        assert.deepEqual(marked('"group"a }group'), ["both 0:0 Expecting '{'"]);
      });
      test('a quoted key continued on the next line joins with one space', () => {
        const setting = settingOf(parse('"a \\', '   b" = c').statements[0]);
        assert.deepEqual([setting.key, setting.value], ['a b', 'c']);
      });
    });
    test('a section header continued onto the { line parses', () => {
      const parsed = parse('service imap \\', '  {', '}');
      assert.deepEqual(parsed.problems, []);
      assert.equal(sectionOf(parsed.statements[0]).name, 'imap');
    });
    test('recovers after errors and keeps parsing every line', () => {
      const parsed = parse('bad line here', 'service x { y }', 'mail_debug = yes');
      assert.equal(parsed.problems.length, 2);
      assert.equal(settingOf(parsed.statements[parsed.statements.length - 1]).key, 'mail_debug');
      assert.equal(parsed.eol, eol);
    });
  });
}
