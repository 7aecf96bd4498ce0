// Template parts in Dovecot files are highlighted by the injection grammar, as VS Code applies it
// (vscode-textmate with the injection the package contributes), without breaking the Dovecot scopes around them.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import * as oniguruma from 'vscode-oniguruma';
import * as vsctm from 'vscode-textmate';

const REPO = join(__dirname, '..');
const packageJson = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as {
  contributes: { grammars: { scopeName: string; path: string; injectTo?: string[] }[] };
};

async function loadGrammar(): Promise<vsctm.IGrammar> {
  const wasm = readFileSync(join(REPO, 'node_modules', 'vscode-oniguruma', 'release', 'onig.wasm'));
  await oniguruma.loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength));
  const grammars = packageJson.contributes.grammars;
  const registry = new vsctm.Registry({
    onigLib: Promise.resolve({
      createOnigScanner: (patterns: string[]) => new oniguruma.OnigScanner(patterns),
      createOnigString: (text: string) => new oniguruma.OnigString(text),
    }),
    loadGrammar: async (scopeName) => {
      const contributed = grammars.find((grammar) => grammar.scopeName === scopeName);
      const file = contributed && join(REPO, contributed.path);
      return file ? vsctm.parseRawGrammar(readFileSync(file, 'utf8'), file) : null;
    },
    getInjections: (scopeName) =>
      grammars.filter((grammar) => grammar.injectTo?.includes(scopeName)).map((grammar) => grammar.scopeName),
  });
  const grammar = await registry.loadGrammar('source.dovecot');
  assert.ok(grammar);
  return grammar;
}

const grammarPromise = loadGrammar();

/** The scopes of the first token that starts with `text` on each line of the source. */
async function scopesOf(source: string, text: string): Promise<string[]> {
  const grammar = await grammarPromise;
  let stack = vsctm.INITIAL;
  for (const line of source.split('\n')) {
    const result = grammar.tokenizeLine(line, stack);
    stack = result.ruleStack;
    const token = result.tokens.find((t) => line.slice(t.startIndex, t.endIndex).startsWith(text));
    if (token) return token.scopes;
  }
  return [];
}

test('an expression in a value is an embedded template expression; the key keeps its scope', async () => {
  const source = 'mail_location = maildir:{{ mail_dir }}/%d\n';
  assert.ok((await scopesOf(source, '{{')).includes('punctuation.section.embedded.begin.template.dovecot'));
  assert.ok((await scopesOf(source, 'mail_dir')).includes('variable.other.template.dovecot'));
  assert.ok((await scopesOf(source, 'mail_location')).includes('variable.other.key.dovecot'));
});

test('statements, their keywords and filters; comments over several lines', async () => {
  assert.ok((await scopesOf('{% if dovecot_ssl %}\n', 'if')).includes('keyword.control.template.dovecot'));
  assert.ok((await scopesOf('{% endif %}\n', 'endif')).includes('keyword.control.template.dovecot'));
  assert.ok(
    (await scopesOf("protocols = {{ list | join(' ') }}\n", 'join')).includes(
      'support.function.filter.template.dovecot',
    ),
  );
  const comment = '{# first line\nsecond line #}\nmail_debug = yes\n';
  assert.ok((await scopesOf(comment, 'second line')).includes('comment.block.template.dovecot'));
  assert.ok(
    (await scopesOf(comment, 'mail_debug')).includes('variable.other.key.dovecot'),
    'the comment ends where it closes',
  );
});

test('Go template actions and a template in a section name', async () => {
  assert.ok((await scopesOf('{{ if .Values.ssl }}\n', 'if')).includes('keyword.control.template.dovecot'));
  assert.ok((await scopesOf('{{/* note */}}\n', '{{/*')).includes('comment.block.template.dovecot'));
  assert.ok((await scopesOf('service {{ name }} {\n', '{{')).includes('meta.embedded.expression.template.dovecot'));
});
