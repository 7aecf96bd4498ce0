import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CompletionItemKind, InsertTextFormat } from 'vscode-languageserver-types';
import {
  SNIPPET_PLACEMENT,
  snippetCompletions,
  snippetNames,
  snippetText,
} from '../server/src/service/features/snippets';
import { featureDialect } from '../server/src/service/features/dialects';
import { lintCliAvailable, lintProblems } from './e2e/lint';

const snippetFile = JSON.parse(
  readFileSync(join(__dirname, '..', 'server', 'src', 'service', 'features', 'snippets.json'), 'utf8'),
) as Record<string, { prefix: string | string[]; body: string[]; description: string }>;

// Tiny snippet expander: ${N:default}, ${N|a,b|} (choice `choiceIndex`, clipped), $N (mirror), \$.
const TOKEN = /\\\$|\$\{(\d+):([^}]*)\}|\$\{(\d+)\|([^|]*)\|\}|\$(\d+)/g;
function expand(body: string, choiceIndex = 0): string {
  const values = new Map<string, string>();
  for (const match of body.matchAll(TOKEN)) {
    if (match[1] !== undefined && !values.has(match[1])) values.set(match[1], match[2]);
    if (match[3] !== undefined && !values.has(match[3])) {
      const choices = match[4].split(',');
      values.set(match[3], choices[Math.min(choiceIndex, choices.length - 1)]);
    }
  }
  return body.replace(TOKEN, (whole, n1, _d, n2, _c, n3) =>
    whole === '\\$' ? '$' : (values.get(n1 ?? n2 ?? n3) ?? ''),
  );
}

function tabStops(body: string): number[] {
  return [...body.matchAll(/\$\{?(\d+)/g)].map((match) => Number(match[1]));
}

function textOf(name: string, mailUser?: string): string {
  return snippetText(snippetFile[name], SNIPPET_PLACEMENT[name], { mailUser });
}

test('expander handles defaults, choices, mirrors and escapes', () => {
  assert.equal(expand('a ${1:x} ${2|p,q|} $1 \\$v $0'), 'a x p x $v ');
  assert.equal(expand('${2|p,q|}', 1), 'q');
});

test('the JSON file and the placement table name the same snippets', () => {
  assert.deepEqual(Object.keys(snippetFile).sort(), Object.keys(SNIPPET_PLACEMENT).sort());
  assert.deepEqual(snippetNames().sort(), Object.keys(snippetFile).sort());
  for (const [name, snippet] of Object.entries(snippetFile)) {
    assert.ok(snippet.description.length > 10, `${name}: description`);
    assert.ok(snippet.body.at(-1)?.endsWith('$0'), `${name}: ends with $0`);
  }
});

test('top level on 2.3 offers every snippet as a snippet completion item', () => {
  for (const dialect of ['2.3', 'mixed', 'unknown'] as const) {
    const items = snippetCompletions('', featureDialect(dialect));
    assert.equal(items.length, Object.keys(snippetFile).length, dialect);
    for (const item of items) {
      assert.equal(item.kind, CompletionItemKind.Snippet);
      assert.equal(item.insertTextFormat, InsertTextFormat.Snippet);
      assert.ok(item.insertText && item.insertText.includes('$0'));
      assert.doesNotMatch(item.insertText, /\t/);
    }
  }
  const labels = snippetCompletions('', featureDialect('2.3')).map((item) => item.label);
  for (const label of [
    'service aggregator',
    'service replicator',
    'service doveadm',
    'plugin mail_replica',
    'doveadm_port',
    'replication setup tcp',
    'replication setup tcps',
  ]) {
    assert.ok(labels.includes(label), label);
  }
});

test("snippets indent with the tree's unit: two spaces by default, else what the tree uses", () => {
  const body = (unit?: string) =>
    snippetCompletions('', featureDialect('2.3'), unit ? { indentUnit: unit } : {}).find(
      (item) => item.label === 'service aggregator',
    )?.insertText ?? '';
  assert.match(body(), /\n {2}fifo_listener/);
  assert.match(body(), /\n {4}user = /);
  assert.match(body('    '), /\n {4}fifo_listener/);
  assert.match(body('\t'), /\n\tfifo_listener/);
});

test('no snippet is offered inside a section', () => {
  for (const context of [
    'service',
    'service/inet_listener',
    'plugin',
    'protocol',
    'protocol/plugin',
    'namespace/mailbox',
  ]) {
    assert.deepEqual(snippetCompletions(context, featureDialect('2.3')), [], context);
  }
});

test('replication snippets are hidden on a 2.4 config, doveadm ones stay', () => {
  const labels = snippetCompletions('', featureDialect('2.4'))
    .map((item) => item.label)
    .sort();
  assert.deepEqual(labels, ['doveadm_port', 'service doveadm']);
});

test('the mail user is one tab stop per snippet and defaults to the known mail user', () => {
  for (const [name, placement] of Object.entries(SNIPPET_PLACEMENT)) {
    const body = snippetFile[name].body.join('\n');
    const userLines = body.split('\n').filter((line) => /^\s*user = /.test(line));
    if (placement.mailUserTabStop === undefined) {
      assert.deepEqual(userLines, [], name);
      continue;
    }
    assert.ok(userLines.length > 0, name);
    for (const line of userLines) assert.equal(line.trim(), `user = \${${placement.mailUserTabStop}:vmail}`, name);
  }
  assert.match(
    textOf('service aggregator (replication notify)', 'mail'),
    /user = \$\{1:mail\}[\s\S]*user = \$\{1:mail\}/,
  );
  assert.doesNotMatch(textOf('service aggregator (replication notify)', 'mail'), /vmail/);
  assert.match(textOf('plugin mail_replica (remote via ssh)', 'mail'), /remote:\$\{1:vmail\}@/);
  assert.match(textOf('service replicator', 'bad user}'), /\$\{1:vmail\}/);
  const item = snippetCompletions('', featureDialect('2.3'), { mailUser: 'dovemail' }).find(
    (candidate) => candidate.label === 'replication setup tcp',
  );
  assert.equal(item?.insertText?.match(/\$\{1:dovemail\}/g)?.length, 3);
});

test('tab stops are numbered 1..n, mirrors share one default, fixed sets are choices', () => {
  for (const [name, snippet] of Object.entries(snippetFile)) {
    const body = snippet.body.join('\n');
    const numbers = [...new Set(tabStops(body).filter((n) => n > 0))].sort((a, b) => a - b);
    assert.deepEqual(
      numbers,
      numbers.map((_, index) => index + 1),
      name,
    );
    const defaults = new Map<string, Set<string>>();
    for (const match of body.matchAll(/\$\{(\d+):([^}]*)\}/g))
      defaults.set(match[1], (defaults.get(match[1]) ?? new Set()).add(match[2]));
    for (const [stop, values] of defaults) assert.equal(values.size, 1, `${name}: tab stop ${stop} has one default`);
  }
  assert.match(snippetFile['plugin mail_replica (tcp/tcps)'].body.join(''), /\$\{1\|tcp,tcps\|\}/);
  assert.match(snippetFile['service doveadm (TCP listener)'].body.join(''), /ssl = \$\{2\|no,yes\|\}/);
  assert.match(
    snippetFile['replication setup (tcp)'].body.join('\n'),
    /^mail_plugins = \\\$mail_plugins notify replication$/m,
  );
  assert.match(snippetFile['replication setup (tcps)'].body.join('\n'), /^ssl_client_ca_file = /m);
});

// ---------------------------------------------------------------- real doveconf and the linter --

// Pieces of a complete 2.3 replication config; a snippet replaces the pieces it covers.
type Piece = 'plugins' | 'aggregator' | 'replicator' | 'doveadmService' | 'doveadmSettings' | 'replica';
const ALL_PIECES: Piece[] = ['plugins', 'aggregator', 'replicator', 'doveadmService', 'doveadmSettings', 'replica'];
const COVERS: Record<string, Piece[]> = {
  'service aggregator (replication notify)': ['aggregator'],
  'service replicator': ['replicator'],
  'service doveadm (TCP listener)': ['doveadmService'],
  'plugin mail_replica (tcp/tcps)': ['replica'],
  'plugin mail_replica (remote via ssh)': ['replica'],
  'doveadm port and password': ['doveadmSettings'],
  'replication setup (tcp)': ALL_PIECES,
  'replication setup (tcps)': ALL_PIECES,
};
// The complement pieces for a tcp setup are the tcp snippet itself, split into its pieces.
function pieceText(piece: Piece): string {
  const whole = expand(textOf('replication setup (tcp)'));
  const blocks: Record<Piece, RegExp> = {
    plugins: /^mail_plugins = .*$/m,
    aggregator: /^service aggregator \{[\s\S]*?\n\}$/m,
    replicator: /^service replicator \{[\s\S]*?\n\}$/m,
    doveadmService: /^service doveadm \{[\s\S]*?\n\}$/m,
    doveadmSettings: /^doveadm_port = .*\ndoveadm_password = .*$/m,
    replica: /^plugin \{[\s\S]*?\n\}$/m,
  };
  const found = whole.match(blocks[piece]);
  assert.ok(found, piece);
  return found[0];
}

function baseConfig(dir: string): string {
  writeFileSync(join(dir, 'users'), 'alice@example.com:{PLAIN}secret:8:8::/var/mail/alice::\n');
  writeFileSync(join(dir, 'cert.pem'), 'dummy\n');
  writeFileSync(join(dir, 'key.pem'), 'dummy\n');
  return [
    'protocols = imap',
    'mail_location = maildir:~/Maildir',
    'first_valid_uid = 8',
    `passdb {\n  driver = passwd-file\n  args = scheme=PLAIN ${dir}/users\n}`,
    `userdb {\n  driver = passwd-file\n  args = ${dir}/users\n}`,
    'ssl = yes',
    `ssl_cert = <${dir}/cert.pem`,
    `ssl_key = <${dir}/key.pem`,
    '',
  ].join('\n');
}

function configWith(name: string, dir: string, choiceIndex: number): string {
  const covered = new Set(COVERS[name]);
  const rest = ALL_PIECES.filter((piece) => !covered.has(piece)).map(pieceText);
  return [baseConfig(dir), ...rest, expand(textOf(name), choiceIndex)].join('\n');
}

const DOVECONF = '/usr/bin/doveconf';
test('every snippet, expanded with its defaults (and each choice), is accepted by real doveconf -n', (t) => {
  if (!existsSync(DOVECONF)) {
    console.log('SKIPPED: doveconf not installed (apt-get install dovecot-core)');
    t.skip('doveconf not installed');
    return;
  }
  const dir = mkdtempSync(join(tmpdir(), 'snippets-'));
  try {
    for (const name of Object.keys(snippetFile)) {
      for (const choiceIndex of [0, 1]) {
        const file = join(dir, 'dovecot.conf');
        writeFileSync(file, configWith(name, dir, choiceIndex));
        const result = spawnSync(DOVECONF, ['-n', '-c', file], { encoding: 'utf8' });
        assert.equal(result.status, 0, `${name} (choice ${choiceIndex}): ${result.stderr}`);
        assert.equal(result.stderr, '', `${name} (choice ${choiceIndex}) warned`);
      }
      // the snippet alone, with nothing around it, is also valid syntax
      const alone = join(dir, 'alone.conf');
      writeFileSync(alone, expand(textOf(name)));
      const result = spawnSync(DOVECONF, ['-n', '-c', alone], { encoding: 'utf8' });
      assert.equal(result.status, 0, `${name} alone: ${result.stderr}`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('every snippet, expanded with its defaults, lints clean in an otherwise complete replication config, except a password left as the placeholder', (t) => {
  if (!lintCliAvailable()) {
    console.log('SKIPPED: dist/cli.js not built (npm run build)');
    t.skip('dist/cli.js missing');
    return;
  }
  const dir = mkdtempSync(join(tmpdir(), 'snippets-lint-'));
  try {
    for (const name of Object.keys(snippetFile)) {
      const file = join(dir, 'dovecot.conf');
      const config = configWith(name, dir, 0);
      writeFileSync(file, config);
      const leftPlaceholder = /^\s*doveadm_password = same-long-random-secret-on-both-hosts$/m.test(config);
      const expected = leftPlaceholder ? [{ severity: 'warning', code: 'doveadm-password-weak' }] : [];
      assert.deepEqual(
        lintProblems([file]).map(({ severity, text }) => ({
          severity,
          code: /\[([\w-]+)\]|"code":"([\w-]+)"/.exec(text)?.slice(1).find(Boolean),
        })),
        expected,
        `${name}:\n${config}`,
      );
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
