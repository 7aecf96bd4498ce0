// Tokenizes Dovecot configuration with the shipped TextMate grammar (vscode-textmate + vscode-oniguruma,
// the engine VS Code uses) and checks the scopes of exact tokens.
import { describe, it, before } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, statSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import * as vsctm from 'vscode-textmate';
import * as oniguruma from 'vscode-oniguruma';

const grammarPath = join(__dirname, '..', 'syntaxes', 'dovecot.tmLanguage.json');
const languageConfigurationPath = join(__dirname, '..', 'language-configuration.json');
const onigWasmPath = join(__dirname, '..', 'node_modules', 'vscode-oniguruma', 'release', 'onig.wasm');
const stockConfigDir = '/etc/dovecot';

interface Token {
  text: string;
  start: number;
  scopes: string[];
}

interface TokenizedLine {
  text: string;
  tokens: Token[];
}

/** How lines reach the tokenizer: VS Code strips "\r\n"; a naive consumer splits on "\n" and keeps the "\r". */
type LineSplitting = 'LF' | 'CRLF' | 'CRLF-raw';

let grammarPromise: Promise<vsctm.IGrammar> | undefined;

function loadGrammar(): Promise<vsctm.IGrammar> {
  grammarPromise ??= (async () => {
    const wasm = readFileSync(onigWasmPath);
    await oniguruma.loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength));
    const registry = new vsctm.Registry({
      onigLib: Promise.resolve({
        createOnigScanner: (patterns: string[]) => new oniguruma.OnigScanner(patterns),
        createOnigString: (text: string) => new oniguruma.OnigString(text),
      }),
      loadGrammar: async (scopeName: string) =>
        scopeName === 'source.dovecot' ? vsctm.parseRawGrammar(readFileSync(grammarPath, 'utf8'), grammarPath) : null,
    });
    const grammar = await registry.loadGrammar('source.dovecot');
    if (!grammar) throw new Error('grammar source.dovecot did not load');
    return grammar;
  })();
  return grammarPromise;
}

function splitLines(source: string, splitting: LineSplitting): string[] {
  if (splitting === 'LF') return source.split('\n');
  const crlf = source.replace(/\n/g, '\r\n');
  return splitting === 'CRLF' ? crlf.split(/\r\n/) : crlf.split('\n');
}

async function tokenize(source: string, splitting: LineSplitting = 'LF'): Promise<TokenizedLine[]> {
  const grammar = await loadGrammar();
  let ruleStack = vsctm.INITIAL;
  const lines: TokenizedLine[] = [];
  for (const text of splitLines(source, splitting)) {
    const result = grammar.tokenizeLine(text, ruleStack);
    ruleStack = result.ruleStack;
    const tokens = result.tokens.map((token) => ({
      text: text.slice(token.startIndex, Math.min(token.endIndex, text.length)),
      start: token.startIndex,
      scopes: token.scopes,
    }));
    lines.push({ text, tokens });
  }
  return lines;
}

function dump(line: TokenizedLine): string {
  return line.tokens.map((t) => `  ${JSON.stringify(t.text)} ${t.scopes.slice(1).join(' ')}`).join('\n');
}

/** The tokens that exactly make up the first occurrence of `fragment` (at or after `from`) in the line. */
function tokensOf(line: TokenizedLine, fragment: string, from = 0): Token[] {
  const start = line.text.indexOf(fragment, from);
  assert.ok(start >= 0, `"${fragment}" not in line ${JSON.stringify(line.text)}`);
  const end = start + fragment.length;
  const covered = line.tokens.filter((t) => t.start < end && t.start + t.text.length > start);
  const exact =
    covered.length > 0 && covered[0].start === start && covered.at(-1)!.start + covered.at(-1)!.text.length === end;
  assert.ok(exact, `"${fragment}" is not a whole token run in ${JSON.stringify(line.text)}:\n${dump(line)}`);
  return covered;
}

function assertScope(line: TokenizedLine, fragment: string, scope: string, from = 0): void {
  for (const token of tokensOf(line, fragment, from)) {
    assert.ok(
      token.scopes.includes(scope),
      `token ${JSON.stringify(token.text)} of "${fragment}" lacks ${scope}:\n${dump(line)}`,
    );
  }
}

function assertNoScope(line: TokenizedLine, fragment: string, scopePrefix: string): void {
  const start = line.text.indexOf(fragment);
  assert.ok(start >= 0, `"${fragment}" not in line ${JSON.stringify(line.text)}`);
  const end = start + fragment.length;
  for (const token of line.tokens) {
    if (token.start >= end || token.start + token.text.length <= start) continue;
    const bad = token.scopes.find((s) => s.startsWith(scopePrefix));
    assert.equal(bad, undefined, `token ${JSON.stringify(token.text)} of "${fragment}" has ${bad}:\n${dump(line)}`);
  }
}

function lineHasScope(line: TokenizedLine, scopePrefix: string): boolean {
  return line.tokens.some((t) => t.scopes.some((s) => s.startsWith(scopePrefix)));
}

const KEY = 'variable.other.key.dovecot';
const ASSIGN = 'keyword.operator.assignment.dovecot';
const COMMENT = 'comment.line.number-sign.dovecot';
const COMMENT_MARK = 'punctuation.definition.comment.dovecot';
const DQ = 'string.quoted.double.dovecot';
const SQ = 'string.quoted.single.dovecot';
const ESCAPE = 'constant.character.escape.dovecot';
const BOOL = 'constant.language.boolean.dovecot';
const NUMBER = 'constant.numeric.dovecot';
const FILE_OP = 'keyword.operator.file.dovecot';
const PATH = 'string.unquoted.path.dovecot';
const VAR = 'variable.language.reference.dovecot';
const ENV_VAR = 'variable.language.environment.dovecot';
const PLACEHOLDER = 'constant.other.placeholder.dovecot';
const CONTINUATION = 'constant.character.escape.line-continuation.dovecot';
const SECTION_TYPE = 'entity.name.type.section.dovecot';
const SECTION_NAME = 'entity.name.function.section.dovecot';
const BLOCK_BEGIN = 'punctuation.section.block.begin.dovecot';
const BLOCK_END = 'punctuation.section.block.end.dovecot';
const FILTER = 'keyword.control.filter.dovecot';
const NEGATION = 'keyword.operator.negation.dovecot';
const IP = 'constant.numeric.ip.dovecot';
const FILTER_NAME = 'entity.name.filter.dovecot';
const INCLUDE = 'keyword.control.include.dovecot';

before(async () => {
  await loadGrammar();
});

for (const splitting of ['LF', 'CRLF', 'CRLF-raw'] as const) {
  describe(`grammar (${splitting} line endings)`, () => {
    const tok = (source: string) => tokenize(source, splitting);

    it('scopes a whole comment line and its marker', async () => {
      const [line] = await tok('# 2.3.19.1 (9b53102964): /etc/dovecot/dovecot.conf');
      assertScope(line, '#', COMMENT_MARK);
      assertScope(line, '# 2.3.19.1 (9b53102964): /etc/dovecot/dovecot.conf', COMMENT);
    });

    it('starts a comment at a # that is not preceded by whitespace', async () => {
      const [line] = await tok('protocols = imap#x');
      assertNoScope(line, 'imap', 'comment');
      assertScope(line, '#x', COMMENT);
      assertScope(line, '#', COMMENT_MARK);
    });

    it('does not start a comment inside double or single quotes', async () => {
      const [double, single] = await tok("login_greeting = \"a # b\"\nlogin_greeting = 'it\\'s # no' # yes");
      assertScope(double, '"a # b"', DQ);
      assert.equal(lineHasScope(double, 'comment'), false, dump(double));
      assertScope(single, "'it\\'s # no'", SQ);
      assertScope(single, "\\'", ESCAPE);
      assertNoScope(single, "'it\\'s # no'", 'comment');
      assertScope(single, '# yes', COMMENT);
    });

    it('scopes escapes inside double quotes', async () => {
      const [line] = await tok('postmaster_address = "a\\"b # c"');
      assertScope(line, '\\"', ESCAPE);
      assertScope(line, '"a\\"b # c"', DQ);
      assert.equal(lineHasScope(line, 'comment'), false, dump(line));
    });

    it('keeps an unterminated quote to its line and does not comment-strip it', async () => {
      const lines = await tok('login_greeting = "abc # d\nmail_debug = yes');
      assertScope(lines[0], '"abc # d', DQ);
      assert.equal(lineHasScope(lines[0], 'comment'), false, dump(lines[0]));
      assertScope(lines[1], 'mail_debug', KEY);
      assertScope(lines[1], 'yes', BOOL);
      assertNoScope(lines[1], 'mail_debug = yes', 'string');
    });

    it('scopes key, = and boolean values with and without blanks', async () => {
      const lines = await tok('mail_debug = yes\nauth_debug=no\n  ssl = NO  # off');
      assertScope(lines[0], 'mail_debug', KEY);
      assertScope(lines[0], '=', ASSIGN);
      assertScope(lines[0], 'yes', BOOL);
      assertScope(lines[1], 'auth_debug', KEY);
      assertScope(lines[1], '=', ASSIGN);
      assertScope(lines[1], 'no', BOOL);
      assertScope(lines[2], 'NO', BOOL);
      assertScope(lines[2], '# off', COMMENT);
    });

    it('does not call yes a boolean inside a longer word', async () => {
      const [line] = await tok('args = yesterday noop');
      assert.equal(lineHasScope(line, BOOL), false, dump(line));
    });

    it('scopes numbers with size and time units', async () => {
      const lines = await tok(
        [
          'mail_max_userip_connections = 10',
          'default_vsz_limit = 256M',
          'idle_kill = 1 mins',
          'replication_full_sync_interval = 1d',
          'mode = 0600',
          'quota_grace = 10%%',
          'mail_cache_min_mail_count = 10 messages',
          'ssl_min_protocol = TLSv1.2',
          'vsz_limit = 1 GiB',
          'timeout = 500 ms',
        ].join('\n'),
      );
      assertScope(lines[0], '10', NUMBER);
      assertScope(lines[1], '256M', NUMBER);
      assertScope(lines[2], '1 mins', NUMBER);
      assertScope(lines[3], '1d', NUMBER);
      assertScope(lines[4], '0600', NUMBER);
      assert.equal(lineHasScope(lines[5], NUMBER), false, dump(lines[5]));
      assertScope(lines[6], '10', NUMBER);
      assertNoScope(lines[6], 'messages', 'constant');
      assert.equal(lineHasScope(lines[7], NUMBER), false, dump(lines[7]));
      assertScope(lines[8], '1 GiB', NUMBER);
      assertScope(lines[9], '500 ms', NUMBER);
    });

    it('does not scope an IP address value as a number', async () => {
      const [line] = await tok('listen = 10.0.0.1, ::1');
      assert.equal(lineHasScope(line, NUMBER), false, dump(line));
    });

    it('scopes <file values, with and without a trailing comment', async () => {
      const lines = await tok(
        'ssl_cert = </etc/dovecot/private/dovecot.pem\ndoveadm_password = < pw.txt # shared\nx = b <c',
      );
      assertScope(lines[0], '<', FILE_OP);
      assertScope(lines[0], '/etc/dovecot/private/dovecot.pem', PATH);
      assertScope(lines[1], '<', FILE_OP);
      assertScope(lines[1], 'pw.txt', PATH);
      assertScope(lines[1], '# shared', COMMENT);
      assert.equal(lineHasScope(lines[2], FILE_OP), false, dump(lines[2]));
    });

    it('scopes $variables only at the start of a token', async () => {
      const lines = await tok(
        [
          'mail_plugins = $mail_plugins quota',
          'mail_plugins=$mail_plugins',
          'x = x$foo tcp:$host',
          'x = "$foo"',
          'y = a $b',
        ].join('\n'),
      );
      assertScope(lines[0], '$mail_plugins', VAR);
      assertNoScope(lines[0], 'quota', VAR);
      assertScope(lines[1], '$mail_plugins', VAR);
      assert.equal(lineHasScope(lines[2], VAR), false, dump(lines[2]));
      assert.equal(lineHasScope(lines[3], VAR), false, dump(lines[3]));
      assertScope(lines[3], '"$foo"', DQ);
      assertScope(lines[4], '$b', VAR);
    });

    it('scopes $ENV:NAME as an environment variable', async () => {
      const [line] = await tok('import_environment = $ENV:TZ x$ENV:NO');
      assertScope(line, '$ENV:TZ', ENV_VAR);
      assertNoScope(line, 'x$ENV:NO', 'variable');
    });

    it('scopes %-variables in plain and quoted values', async () => {
      const lines = await tok(
        [
          'mail_location = mbox:~/mail:INBOX=/var/mail/%u',
          'mail = maildir:%{dict:userdb.home}/Maildir',
          'mail_home = "/srv/%d/%Ln"',
          'x = 100%% %1.2u',
        ].join('\n'),
      );
      assertScope(lines[0], '%u', PLACEHOLDER);
      assertScope(lines[1], '%{dict:userdb.home}', PLACEHOLDER);
      assertScope(lines[2], '%d', PLACEHOLDER);
      assertScope(lines[2], '%Ln', PLACEHOLDER);
      assertScope(lines[2], '%Ln', DQ);
      assertScope(lines[3], '%%', 'constant.character.escape.percent.dovecot');
      assertScope(lines[3], '%1.2u', PLACEHOLDER);
    });

    it('scopes a continuation backslash and keeps the value going on the next line', async () => {
      const lines = await tok(
        [
          'mail_location = maildir:~/Maildir \\',
          '   :LAYOUT=fs',
          'mail_plugins = \\ # plugins follow',
          '  $mail_plugins notify',
          'mail_debug = yes',
        ].join('\n'),
      );
      assertScope(lines[0], '\\', CONTINUATION);
      assertScope(lines[1], '   :LAYOUT=fs', 'meta.setting.dovecot');
      assertNoScope(lines[1], ':LAYOUT=fs', KEY);
      assertScope(lines[2], '\\', CONTINUATION);
      assertScope(lines[2], '# plugins follow', COMMENT);
      assertScope(lines[3], '$mail_plugins', VAR);
      assertScope(lines[4], 'mail_debug', KEY);
      assertNoScope(lines[4], 'mail_debug = yes', 'meta.setting.dovecot meta');
    });

    it('does not let a backslash in the middle of a value continue the line', async () => {
      const lines = await tok('special_use = \\Drafts\nauto = subscribe');
      assert.equal(lineHasScope(lines[0], CONTINUATION), false, dump(lines[0]));
      assertScope(lines[1], 'auto', KEY);
    });

    it('gives $variables, keys and section names scopes that themes color differently', async () => {
      // Themes color by scope prefix: `variable.other` (keys) and `variable.language` differ in every
      // built-in theme, and `entity.name.function` is colored where `entity.name.section` is not.
      const [setting, header] = await tok('mail_plugins = $mail_plugins quota\nservice imap-login {\n}');
      const scopeOf = (line: TokenizedLine, text: string): string =>
        [...tokensOf(line, text, 0).at(-1)!.scopes].reverse().find((scope) => !/^(meta|punctuation)\./.test(scope))!;
      const prefix = (scope: string): string => scope.split('.').slice(0, 2).join('.');
      assert.notEqual(prefix(scopeOf(setting, '$mail_plugins')), prefix(scopeOf(setting, 'mail_plugins')));
      assert.equal(prefix(scopeOf(setting, 'mail_plugins')), 'variable.other');
      assert.equal(prefix(scopeOf(setting, '$mail_plugins')), 'variable.language');
      assert.match(scopeOf(header, 'imap-login'), /^entity\.name\.function\./);
    });

    it('scopes section headers, names and braces', async () => {
      const lines = await tok(
        [
          'service imap-login {',
          '  inet_listener imaps {',
          '  }',
          '  unix_listener /var/spool/postfix/private/auth {',
          '  }',
          '}',
          'plugin { # free-form',
          '}',
        ].join('\n'),
      );
      assertScope(lines[0], 'service', SECTION_TYPE);
      assertScope(lines[0], 'imap-login', SECTION_NAME);
      assertScope(lines[0], '{', BLOCK_BEGIN);
      assertScope(lines[1], 'inet_listener', SECTION_TYPE);
      assertScope(lines[1], 'imaps', SECTION_NAME);
      assertScope(lines[2], '}', BLOCK_END);
      assertScope(lines[3], '/var/spool/postfix/private/auth', SECTION_NAME);
      assertScope(lines[6], 'plugin', SECTION_TYPE);
      assertScope(lines[6], '{', BLOCK_BEGIN);
      assertScope(lines[6], '# free-form', COMMENT);
      assertScope(lines[7], '}', BLOCK_END);
    });

    it('scopes a quoted section name as a string inside the name', async () => {
      const lines = await tok('  mailbox "Sent Messages" {\n  mailbox \'Junk\'{');
      assertScope(lines[0], 'mailbox', SECTION_TYPE);
      assertScope(lines[0], '"Sent Messages"', SECTION_NAME);
      assertScope(lines[0], '"Sent Messages"', DQ);
      assertScope(lines[0], '"', 'punctuation.definition.string.begin.dovecot');
      assertScope(lines[0], '{', BLOCK_BEGIN);
      assertScope(lines[1], "'Junk'", SQ);
      assertScope(lines[1], "'Junk'", SECTION_NAME);
      assertScope(lines[1], '{', BLOCK_BEGIN);
    });

    it('does not open a block when { is glued to the header or not last', async () => {
      const lines = await tok('service imap{\nservice imap { mail_debug = yes }');
      assert.equal(lineHasScope(lines[0], BLOCK_BEGIN), false, dump(lines[0]));
      assert.equal(lineHasScope(lines[1], BLOCK_BEGIN), false, dump(lines[1]));
    });

    it('scopes a header continued onto the next line', async () => {
      const lines = await tok('service imap \\\n{');
      assertScope(lines[0], 'service', SECTION_TYPE);
      assertScope(lines[0], 'imap', SECTION_NAME);
      assertScope(lines[0], '\\', CONTINUATION);
      assertScope(lines[1], '{', BLOCK_BEGIN);
    });

    it('flags text after a closing brace and unknown ! directives', async () => {
      const lines = await tok('} foo\n!includex x.conf\n}# fine');
      assertScope(lines[0], '}', BLOCK_END);
      assertScope(lines[0], 'foo', 'invalid.illegal.trailing-characters.dovecot');
      assertScope(lines[1], '!includex', 'invalid.illegal.unknown-directive.dovecot');
      assertScope(lines[2], '}', BLOCK_END);
      assertScope(lines[2], '# fine', COMMENT);
      assert.equal(lineHasScope(lines[2], 'invalid'), false, dump(lines[2]));
    });

    it('scopes protocol filters and negation', async () => {
      const lines = await tok('protocol imap {\nprotocol !indexer-worker {');
      assertScope(lines[0], 'protocol', FILTER);
      assertScope(lines[0], 'imap', FILTER_NAME);
      assertScope(lines[0], '{', BLOCK_BEGIN);
      assertScope(lines[1], '!', NEGATION);
      assertScope(lines[1], 'indexer-worker', FILTER_NAME);
    });

    it('scopes local/remote addresses: IPv4, IPv6, CIDR, brackets and hostnames', async () => {
      const lines = await tok(
        [
          'local 10.0.0.0/8 {',
          'remote 2001:db8::/32 {',
          'remote [::1] {',
          'remote 192.168.1.10 { # peer',
          'local mail.example.com {',
          'local "127.0.0.1" {',
          'remote ::ffff:10.0.0.1 {',
        ].join('\n'),
      );
      assertScope(lines[0], 'local', FILTER);
      assertScope(lines[0], '10.0.0.0/8', IP);
      assertScope(lines[0], '{', BLOCK_BEGIN);
      assertScope(lines[1], 'remote', FILTER);
      assertScope(lines[1], '2001:db8::/32', IP);
      assertScope(lines[2], '[::1]', IP);
      assertScope(lines[3], '192.168.1.10', IP);
      assertScope(lines[3], '# peer', COMMENT);
      assertScope(lines[4], 'mail.example.com', FILTER_NAME);
      assertNoScope(lines[4], 'mail.example.com', IP);
      assertScope(lines[5], '127.0.0.1', IP);
      assertScope(lines[5], '"127.0.0.1"', DQ);
      assertScope(lines[6], '::ffff:10.0.0.1', IP);
    });

    it('scopes local_name with a hostname or a quoted list', async () => {
      const lines = await tok('local_name mail.example.com {\nlocal_name "a.example b.example" {');
      assertScope(lines[0], 'local_name', FILTER);
      assertScope(lines[0], 'mail.example.com', FILTER_NAME);
      assertScope(lines[0], '{', BLOCK_BEGIN);
      assertScope(lines[1], 'a.example b.example', FILTER_NAME);
      assertScope(lines[1], '"a.example b.example"', DQ);
    });

    it('scopes !include and !include_try with their glob paths', async () => {
      const lines = await tok(
        [
          '!include conf.d/*.conf',
          '!include_try conf.d/*.conf',
          '!include_try /usr/share/dovecot/protocols.d/*.protocol # optional',
          '!include "with space.conf"',
        ].join('\n'),
      );
      assertScope(lines[0], '!include', INCLUDE);
      assertScope(lines[0], 'conf.d/*.conf', PATH);
      assertScope(lines[1], '!include_try', INCLUDE);
      assertScope(lines[1], 'conf.d/*.conf', PATH);
      assertScope(lines[2], '/usr/share/dovecot/protocols.d/*.protocol', PATH);
      assertScope(lines[2], '# optional', COMMENT);
      assertScope(lines[3], 'with space.conf', PATH);
      assertScope(lines[3], '"with space.conf"', DQ);
    });

    it('recovers on the next line after broken lines', async () => {
      const lines = await tok(
        ['mailbox "Sent {', 'mail_debug = yes', 'service imap{', 'auth_debug = no', 'bare_key', 'ssl = yes'].join('\n'),
      );
      assertScope(lines[1], 'mail_debug', KEY);
      assertScope(lines[1], 'yes', BOOL);
      assertScope(lines[3], 'auth_debug', KEY);
      assertScope(lines[4], 'bare_key', KEY);
      assertScope(lines[5], 'ssl', KEY);
      assertScope(lines[5], 'yes', BOOL);
    });
  });
}

describe('grammar: CRLF input tokenizes like LF input', () => {
  it('gives the same tokens (ignoring a trailing \\r) for a mixed sample', async () => {
    const sample = [
      '# comment',
      'protocols = imap lmtp#x',
      'mail_plugins = $mail_plugins notify replication',
      'ssl_cert = </etc/dovecot/private/dovecot.pem',
      'mail_location = maildir:~/Maildir \\',
      '  :LAYOUT=fs',
      'remote 2001:db8::/32 {',
      '  mailbox "Sent Messages" {',
      '  }',
      '}',
      '!include_try conf.d/*.conf',
    ].join('\n');
    const lf = await tokenize(sample, 'LF');
    for (const splitting of ['CRLF', 'CRLF-raw'] as const) {
      const other = await tokenize(sample, splitting);
      assert.equal(other.length, lf.length);
      for (let i = 0; i < lf.length; i++) {
        const strip = (line: TokenizedLine) =>
          line.tokens
            .filter((t) => t.text.replace(/\r/g, '').trim() !== '')
            .map((t) => [t.text.replace(/\r$/, ''), t.scopes]);
        assert.deepEqual(strip(other[i]), strip(lf[i]), `line ${i + 1} differs with ${splitting}`);
      }
    }
  });
});

function listConfigFiles(dir: string): string[] {
  const files: string[] = [];
  for (const entry of readdirSync(dir).sort()) {
    const path = join(dir, entry);
    let stats;
    try {
      stats = statSync(path);
    } catch {
      continue;
    }
    if (stats.isDirectory()) files.push(...listConfigFiles(path));
    else if (/\.(conf|ext)$/.test(entry)) files.push(path);
  }
  return files;
}

describe('grammar: Debian stock configuration', () => {
  const present = existsSync(join(stockConfigDir, 'dovecot.conf'));
  if (!present)
    console.log(`SKIPPED: ${stockConfigDir}/dovecot.conf not found (install dovecot-core to run this test)`);

  it(
    'tokenizes every stock file without an invalid scope and scopes every key',
    { skip: !present && `${stockConfigDir} missing` },
    async () => {
      const files = listConfigFiles(stockConfigDir);
      assert.ok(files.length >= 10, `expected the stock conf.d files, found ${files.length}`);
      let keyLines = 0;
      for (const file of files) {
        const lines = await tokenize(readFileSync(file, 'utf8'));
        lines.forEach((line, index) => {
          const where = `${file}:${index + 1}`;
          assert.equal(lineHasScope(line, 'invalid'), false, `${where} has an invalid scope:\n${dump(line)}`);
          const setting = /^\s*([a-z][a-z0-9_]*)\s*=/.exec(line.text);
          if (setting && !lineHasScope(lines[index - 1] ?? line, CONTINUATION)) {
            assertScope(line, setting[1], KEY);
            keyLines++;
          }
          const header =
            /^\s*(service|namespace|passdb|userdb|plugin|protocol|inet_listener|unix_listener)\b.*\{\s*$/.exec(
              line.text,
            );
          if (header) assertScope(line, '{', BLOCK_BEGIN, line.text.lastIndexOf('{'));
          if (/^\s*\}\s*$/.test(line.text)) assertScope(line, '}', BLOCK_END);
          if (/^\s*#/.test(line.text)) assertScope(line, line.text.replace(/^\s+/, ''), COMMENT);
        });
      }
      assert.ok(keyLines >= 20, `expected many active settings in the stock config, saw ${keyLines}`);
    },
  );
});

describe('language-configuration.json', () => {
  const configuration = JSON.parse(readFileSync(languageConfigurationPath, 'utf8')) as {
    comments: { lineComment: string };
    brackets: string[][];
    wordPattern: string;
    indentationRules: { increaseIndentPattern: string; decreaseIndentPattern: string };
    onEnterRules: { beforeText: string; previousLineText?: string }[];
  };

  it('declares # comments and {} brackets', () => {
    assert.equal(configuration.comments.lineComment, '#');
    assert.deepEqual(configuration.brackets, [['{', '}']]);
  });

  it('keeps keys, hyphenated names and $variables as single words', () => {
    const word = new RegExp(configuration.wordPattern, 'g');
    const words = (text: string) => text.match(word) ?? [];
    assert.deepEqual(words('mail_plugins = $mail_plugins quota'), ['mail_plugins', '$mail_plugins', 'quota']);
    assert.deepEqual(words('ssl_client_ca_file = x'), ['ssl_client_ca_file', 'x']);
    assert.deepEqual(words('unix_listener replication-notify-fifo {'), ['unix_listener', 'replication-notify-fifo']);
    assert.deepEqual(words('!include_try local.conf'), ['!include_try', 'local', 'conf']);
  });

  it('indents after a line ending in { and outdents on a line starting with }', () => {
    const increase = new RegExp(configuration.indentationRules.increaseIndentPattern);
    const decrease = new RegExp(configuration.indentationRules.decreaseIndentPattern);
    assert.ok(increase.test('service imap {'));
    assert.ok(increase.test('  mailbox "Sent Messages" { # c'));
    assert.ok(!increase.test('#service imap {'));
    assert.ok(!increase.test('mail_debug = yes'));
    assert.ok(decrease.test('  }'));
    assert.ok(!decrease.test('mail_debug = yes'));
  });

  it('indents once after a continuation backslash', () => {
    const [keepRule, indentRule] = configuration.onEnterRules;
    assert.ok(new RegExp(indentRule.beforeText).test('mail_location = maildir:~/Maildir \\'));
    assert.ok(!new RegExp(indentRule.beforeText).test('# a comment \\'));
    assert.ok(new RegExp(keepRule.previousLineText!).test('mail_location = a \\'));
  });
});
