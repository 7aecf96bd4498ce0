// The pre-commit hook this repository defines, run by the real pre-commit on a repository of configs.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { appendFileSync, cpSync } from 'node:fs';
import * as path from 'node:path';
import { before, test } from 'node:test';
import { buildBundles, REPO } from './helpers/cli';
import { npm, packRepository } from './helpers/npmPackage';
import { tempDir } from './helpers/tempDir';

const hasPreCommit = spawnSync('pre-commit', ['--version']).status === 0;
if (!hasPreCommit)
  console.log(
    'SKIPPED: pre-commit is not installed (Debian package pre-commit; scripts/install-system-deps.sh installs it as root)',
  );

let env: NodeJS.ProcessEnv;
let configs: string;

const git = (...args: string[]) =>
  spawnSync('git', ['-c', 'user.email=ci@example.com', '-c', 'user.name=ci', ...args], {
    cwd: configs,
    encoding: 'utf8',
  });
const tryHook = () =>
  spawnSync('pre-commit', ['try-repo', REPO, 'dovecot-lint', '--all-files'], { cwd: configs, env, encoding: 'utf8' });

before(() => {
  if (!hasPreCommit) return;
  buildBundles();
  const prefix = tempDir('dovecot-global-');
  const install = npm(REPO, 'install', '--global', '--offline', '--prefix', prefix, packRepository().tarball);
  assert.equal(install.status, 0, install.stderr);
  env = {
    ...process.env,
    PATH: `${path.join(prefix, 'bin')}:${process.env.PATH}`,
    PRE_COMMIT_HOME: tempDir('pre-commit-home-'),
  };
  configs = tempDir('dovecot-pre-commit-');
  cpSync(path.join(REPO, 'test', 'fixtures', 'ci-repo'), configs, { recursive: true });
  git('init', '-q');
  git('add', '-A');
  git('commit', '-qm', 'configs');
});

test(
  'the hook passes on a clean repository and fails with the problem on a broken one',
  { skip: !hasPreCommit && 'pre-commit not installed' },
  () => {
    const clean = tryHook();
    assert.equal(clean.status, 0, clean.stdout + clean.stderr);
    assert.match(clean.stdout, /dovecot-lint\.+Passed/);
    appendFileSync(path.join(configs, 'hosts', 'mail2', 'conf.d', '10-mail.conf.j2'), 'mail_debug = maybe\n');
    git('add', '-A');
    const broken = tryHook();
    assert.equal(broken.status, 1, broken.stdout + broken.stderr);
    assert.match(broken.stdout, /dovecot-lint\.+Failed/);
    assert.match(
      broken.stdout,
      /hosts\/mail2\/conf\.d\/10-mail\.conf\.j2:\d+:\d+: error: Invalid boolean value: maybe/,
    );
  },
);
