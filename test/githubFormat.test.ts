// --format github: GitHub Actions workflow commands, one annotation per problem.
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { before, test } from 'node:test';
import type { LintDiagnostic } from '../server/src/service/analysis/analyzer';
import { toGithubCommands } from '../server/src/report/github';
import { buildBundles, runCli } from './helpers/cli';
import { tempDir } from './helpers/tempDir';

const diagnostic = (file: string, message: string, level: LintDiagnostic['level']): LintDiagnostic => ({
  file,
  range: { start: { line: 4, character: 2 }, end: { line: 4, character: 9 } },
  code: 'unknown-setting',
  message,
  level,
});

test('a diagnostic becomes ::error with 1-based line and columns, relative path', () => {
  const [line] = toGithubCommands([diagnostic('/repo/hosts/a/dovecot.conf', 'Unknown setting: foo', 'error')], '/repo');
  assert.equal(
    line,
    '::error file=hosts/a/dovecot.conf,line=5,col=3,endLine=5,endColumn=10,title=dovecot-lint unknown-setting::Unknown setting: foo',
  );
});

test('warnings stay warnings; information and hints become notices', () => {
  const levels = (['warning', 'information', 'hint'] as const).map(
    (level) => toGithubCommands([diagnostic('/r/x.conf', 'm', level)], '/r')[0].split(' ')[0],
  );
  assert.deepEqual(levels, ['::warning', '::notice', '::notice']);
});

test('messages and properties are escaped so that no text can end the command early', () => {
  const [line] = toGithubCommands([diagnostic('/r/a,b:c.conf', '100% wrong\nnext: line', 'error')], '/r');
  assert.ok(line.startsWith('::error file=a%2Cb%3Ac.conf,'), line);
  assert.ok(line.endsWith('::100%25 wrong%0Anext: line'), line);
  assert.equal(line.split('\n').length, 1);
});

before(buildBundles);

test('the CLI prints one command per problem and keeps its exit status', () => {
  const repo = tempDir('dovecot-github-');
  mkdirSync(path.join(repo, 'etc'));
  writeFileSync(path.join(repo, 'etc', 'dovecot.conf'), 'protocols = imap\nmail_debug = maybe\n');
  const result = runCli(repo, '--format', 'github', 'etc/dovecot.conf');
  assert.equal(result.status, 1, result.stderr);
  const lines = result.stdout.trim().split('\n');
  assert.equal(lines.length, 1, result.stdout);
  assert.match(
    lines[0],
    /^::error file=etc\/dovecot\.conf,line=2,col=\d+,endLine=2,endColumn=\d+,title=dovecot-lint invalid-value::/,
  );
});
