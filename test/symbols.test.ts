// Outline of one file: sections (filters as Namespace), settings with their raw value, includes; LF and CRLF.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { SymbolKind, type DocumentSymbol, type Range } from 'vscode-languageserver-types';
import { getLanguageService } from '../server/src/service/dovecotLanguageService';
import { MemoryHost } from '../server/src/service/model/host';

const service = getLanguageService(new MemoryHost());
const FILE = '/etc/dovecot/dovecot.conf';

const range = (startLine: number, startChar: number, endLine: number, endChar: number): Range => ({
  start: { line: startLine, character: startChar },
  end: { line: endLine, character: endChar },
});

// SymbolKind is a namespace of constants, not an enum: map the numbers used here back to names.
const KIND_NAMES: Record<number, string> = {
  [SymbolKind.Struct]: 'Struct',
  [SymbolKind.Namespace]: 'Namespace',
  [SymbolKind.Property]: 'Property',
  [SymbolKind.File]: 'File',
};

/** `name [kind] detail` per symbol, children indented: the outline as a reader sees it. */
function outline(symbols: DocumentSymbol[] | undefined, indent = ''): string[] {
  return (symbols ?? []).flatMap((s) => [
    `${indent}${s.name} [${KIND_NAMES[s.kind] ?? s.kind}] ${s.detail ?? '-'}`,
    ...outline(s.children, indent + '  '),
  ]);
}

for (const eol of ['\n', '\r\n']) {
  const symbolsOf = (...lines: string[]) => service.findDocumentSymbols(service.parse(FILE, lines.join(eol) + eol));
  describe(`document symbols (${JSON.stringify(eol)})`, () => {
    test('sections with and without names, quoted names unquoted, settings as Property with the raw value', () => {
      const symbols = symbolsOf(
        'protocols = imap lmtp',
        'namespace inbox {',
        '  inbox = yes',
        '  mailbox "Sent Messages" {',
        '    special_use = \\Sent',
        '  }',
        '}',
        'plugin {',
        '  sieve = "file:~/sieve;active=~/.dovecot.sieve" # note',
        '}',
      );
      assert.deepEqual(outline(symbols), [
        'protocols [Property] imap lmtp',
        'namespace inbox [Struct] -',
        '  inbox [Property] yes',
        '  mailbox Sent Messages [Struct] -',
        '    special_use [Property] \\Sent',
        'plugin [Struct] -',
        '  sieve [Property] "file:~/sieve;active=~/.dovecot.sieve"',
      ]);
    });

    test('ranges: a section spans header to }, its selection is the header; a setting selects its key', () => {
      const [namespace] = symbolsOf('namespace inbox {', '  inbox = yes', '}');
      assert.deepEqual(namespace.range, range(0, 0, 2, 1));
      assert.deepEqual(namespace.selectionRange, range(0, 0, 0, 17));
      const [inbox] = namespace.children ?? [];
      assert.deepEqual(inbox.range, range(1, 2, 1, 13));
      assert.deepEqual(inbox.selectionRange, range(1, 2, 1, 7));
    });

    test('filters are Namespace symbols with detail "filter", other sections Struct', () => {
      const symbols = symbolsOf(
        'protocol imap {',
        '  mail_plugins = $mail_plugins imap_quota',
        '}',
        'local 10.0.0.1 {',
        '  remote 192.168.0.0/16 {',
        '    ssl = no',
        '  }',
        '}',
        'local_name mail.example.com {',
        '  ssl_cert = </etc/ssl/mail.pem',
        '}',
        'service imap-login {',
        '}',
      );
      assert.deepEqual(outline(symbols), [
        'protocol imap [Namespace] filter',
        '  mail_plugins [Property] $mail_plugins imap_quota',
        'local 10.0.0.1 [Namespace] filter',
        '  remote 192.168.0.0/16 [Namespace] filter',
        '    ssl [Property] no',
        'local_name mail.example.com [Namespace] filter',
        '  ssl_cert [Property] </etc/ssl/mail.pem',
        'service imap-login [Struct] -',
      ]);
    });

    test('includes are File symbols named after the directive, detail = pattern, selection = pattern', () => {
      const symbols = symbolsOf(
        '!include conf.d/*.conf',
        'service auth {',
        '  !include_try /etc/dovecot/auth-extra.conf',
        '}',
      );
      assert.deepEqual(outline(symbols), [
        '!include [File] conf.d/*.conf',
        'service auth [Struct] -',
        '  !include_try [File] /etc/dovecot/auth-extra.conf',
      ]);
      assert.deepEqual(symbols[0].selectionRange, range(0, 9, 0, 22));
      assert.deepEqual(symbols[0].range, range(0, 0, 0, 22));
    });

    test('stray }, invalid lines, comments and blank lines give no symbols', () => {
      const symbols = symbolsOf('# comment', '', 'a = 1', '}', 'garbage line here', 'b = 2');
      assert.deepEqual(outline(symbols), ['a [Property] 1', 'b [Property] 2']);
    });

    test('a key or section type written in double quotes is named as Dovecot 2.4 reads it, and selects what is written', () => {
      const symbols = symbolsOf('"namespace" inbox {', '  "a b" = c', '  "" = d', '}');
      assert.deepEqual(outline(symbols), ['namespace inbox [Struct] -', '  a b [Property] c', '  = [Property] d']);
      assert.deepEqual(symbols[0].children?.[0].selectionRange, range(1, 2, 1, 7));
      assert.deepEqual(symbols[0].children?.[1].selectionRange, range(2, 2, 2, 4));
    });

    test('an unclosed section still lists its children and ends at its last child', () => {
      const symbols = symbolsOf('service imap {', '  process_limit = 100', '  inet_listener imap {', '    port = 143');
      assert.deepEqual(outline(symbols), [
        'service imap [Struct] -',
        '  process_limit [Property] 100',
        '  inet_listener imap [Struct] -',
        '    port [Property] 143',
      ]);
      assert.equal(symbols[0].range.start.line, 0);
      assert.equal(symbols[0].range.end.line, 3);
      assert.equal(symbols[0].children?.[1].range.end.line, 3);
    });
  });
}

test('an empty file has no symbols', () => {
  assert.deepEqual(service.findDocumentSymbols(service.parse(FILE, '')), []);
});
