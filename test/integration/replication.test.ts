// The Dovecot Replication view in the real extension host, against the two real Dovecot 2.3 instances
// of test/e2e/lab.sh (started here under /tmp/dovecot-lab.lock, with the doveadm HTTP API on both).
import * as assert from 'assert';
import { spawn, type ChildProcessWithoutNullStreams } from 'child_process';
import { randomBytes } from 'crypto';
import { existsSync, readFileSync, writeFileSync } from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import type { ReplicationNode } from '../../client/src/live/replicationTree';
import type { LiveReplication } from '../../client/src/commands/liveReplication';
import { extension, fixtureUri, openDovecotDocument, waitForActivation } from './helpers';
import { until } from '../helpers/poll';

const HTTP_PORT = 40000 + (process.pid % 20000);
const DSYNC_PORT = 20000 + (process.pid % 20000);
const API_KEY = randomBytes(12).toString('hex');
const URL_A = `http://127.0.0.2:${HTTP_PORT}`;
const URL_B = `http://127.0.0.3:${HTTP_PORT}`;
const USERS = ['alice@lab.test', 'bob@lab.test'];
/** Set by scripts/screenshots.mjs (replication-view): the runner saves a screenshot of the window here. */
const SCREENSHOT_DIR = process.env.DOVECOT_SCREENSHOT_DIR;
export const SCREENSHOT_MARKER = 'DOVECOT-SCREENSHOT';

type UserNode = Extract<ReplicationNode, { kind: 'user' }>;
type HostNode = Extract<ReplicationNode, { kind: 'host' }>;

function labUnavailable(): string | undefined {
  if (process.getuid?.() !== 0) return 'not root';
  if (!existsSync('/usr/sbin/dovecot') || !existsSync('/usr/lib/dovecot/modules/lib20_replication_plugin.so'))
    return 'Dovecot 2.3 with replication is not installed';
  if (!existsSync('/usr/bin/flock')) return 'flock is missing';
  return undefined;
}

/** Holds /tmp/dovecot-lab.lock with the lab up until stop() closes its stdin; then the lab goes down. */
const LAB_WORKDIR = `/tmp/dlvscode-${process.pid}`;

function startLab(): { ready: Promise<void>; stop: () => Promise<void> } {
  const script = path.join(extension().extensionPath, 'test', 'e2e', 'lab.sh');
  const workdir = LAB_WORKDIR;
  const child: ChildProcessWithoutNullStreams = spawn(
    'flock',
    [
      '/tmp/dovecot-lab.lock',
      'bash',
      '-c',
      'bash "$1" -w "$2" up; echo "LAB-UP $?"; read -r _; bash "$1" -w "$2" down',
      '_',
      script,
      workdir,
    ],
    {
      env: {
        ...process.env,
        LAB_REPLICATION: 'good',
        LAB_PORT: String(DSYNC_PORT),
        LAB_HTTP_PORT: String(HTTP_PORT),
        LAB_API_KEY: API_KEY,
        LAB_READY_TIMEOUT: '20',
      },
    },
  );
  let output = '';
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const ready = new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const match = /LAB-UP (\d+)/.exec(output);
      if (match && match[1] === '0') resolve();
      else if (match) reject(new Error(`lab.sh up exited ${match[1]}: ${output}`));
    });
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    void exited.then(() => reject(new Error(`the lab holder exited early: ${output}`)));
  });
  return {
    ready,
    stop: async () => {
      child.stdin.end();
      await exited;
    },
  };
}

function live(): LiveReplication {
  const api = extension().exports as { live?: LiveReplication };
  assert.ok(api.live, 'the extension exposes its replication view');
  return api.live;
}

function hosts(): HostNode[] {
  return live()
    .tree.getChildren()
    .filter((node): node is HostNode => node.kind === 'host');
}

function users(host: HostNode): UserNode[] {
  return live()
    .tree.getChildren(host)
    .filter((node): node is UserNode => node.kind === 'user');
}

async function screenshot(name: string): Promise<void> {
  if (!SCREENSHOT_DIR) return;
  const file = path.join(SCREENSHOT_DIR, `${name}.png`);
  console.log(`${SCREENSHOT_MARKER} ${file}`);
  await until(`the runner to save ${file}`, async () => (existsSync(file) ? true : undefined), 20000);
}

suite('Dovecot Replication view (two real Dovecots)', function () {
  const reason = labUnavailable();
  let lab: ReturnType<typeof startLab> | undefined;
  const config = () => vscode.workspace.getConfiguration('dovecot.live');

  suiteSetup(async function () {
    if (reason) {
      console.log(`SKIPPED: replication view: ${reason}`);
      this.skip();
    }
    this.timeout(300000);
    await openDovecotDocument(fixtureUri('etc', 'dovecot', 'dovecot.conf'));
    await waitForActivation(extension());
    lab = startLab();
    await lab.ready;
    await config().update('refreshSeconds', 0, vscode.ConfigurationTarget.Global);
    await config().update(
      'hosts',
      [
        { name: 'mail-a', url: URL_A },
        { name: 'mail-b', url: URL_B },
      ],
      vscode.ConfigurationTarget.Global,
    );
  });

  suiteTeardown(async function () {
    this.timeout(120000);
    await config().update('hosts', undefined, vscode.ConfigurationTarget.Global);
    await config().update('refreshSeconds', undefined, vscode.ConfigurationTarget.Global);
    await lab?.stop();
  });

  test('without API keys, each host says which key to set', async () => {
    await live().tree.refresh();
    const [a] = hosts();
    const lines = live()
      .tree.getChildren(a)
      .map((node) => (node.kind === 'message' ? node.label : node.kind));
    assert.equal(lines[0], `No API key for mail-a (${URL_A})`);
    assert.match(lines.join('\n'), /Set doveadm API Key/);
    assert.equal(live().statusBar.shownText, '$(error) Dovecot pair: mail-a, mail-b unreachable');
  });

  test('with the keys in SecretStorage, the view lists both hosts and their users, all synced', async () => {
    for (const [name, url] of [
      ['mail-a', URL_A],
      ['mail-b', URL_B],
    ]) {
      assert.equal(
        await vscode.commands.executeCommand('dovecot.live.setApiKey', { kind: 'host', spec: { name, url } }, API_KEY),
        true,
      );
    }
    await live().tree.refresh();
    assert.deepEqual(
      hosts().map((host) => [host.spec.name, host.state.failure?.what]),
      [
        ['mail-a', undefined],
        ['mail-b', undefined],
      ],
    );
    for (const host of hosts())
      assert.deepEqual(
        users(host)
          .map((user) => user.user.username)
          .sort(),
        USERS,
      );
    const item = live().tree.getTreeItem(users(hosts()[0])[0]);
    assert.match(String(item.description), /^synced \d+s ago · full \d+s ago$/);
    assert.equal(live().statusBar.shownText, '$(pass) Dovecot pair: all synced');
    await vscode.commands.executeCommand('workbench.view.extension.dovecot-replication');
    if (SCREENSHOT_DIR)
      for (let i = 0; i < 4; i++) await vscode.commands.executeCommand('workbench.action.increaseViewSize');
    await screenshot('replication-view');
  });

  test('Full Sync on a user of mail-a gives a newer full sync there', async function () {
    this.timeout(90000);
    const alice = () => users(hosts()[0]).find((user) => user.user.username === 'alice@lab.test');
    const before = await until('the last full sync of alice to be 2 s old', async () => {
      await live().tree.refresh();
      const node = alice();
      return node && node.user.lastFullSync !== null && node.user.lastFullSync >= 2 ? node : undefined;
    });
    assert.equal(await vscode.commands.executeCommand('dovecot.live.fullSyncUser', before), true);
    await until('a newer full sync of alice on mail-a', async () => {
      await live().tree.refresh();
      const node = alice();
      return node && node.user.lastFullSync !== null && node.user.lastFullSync < (before.user.lastFullSync ?? 0)
        ? node
        : undefined;
    });
  });

  test('Check Userdb Iteration and dsync status answer from the host', async () => {
    const listing = await vscode.commands.executeCommand<{ count: number; sample: string[] }>(
      'dovecot.live.checkUserdb',
      hosts()[1],
    );
    assert.deepEqual(listing, { count: 2, sample: USERS });
    const slots = await vscode.commands.executeCommand<unknown[]>('dovecot.live.dsyncStatus', hosts()[0]);
    assert.ok(Array.isArray(slots) && slots.length > 0);
  });

  test('a broken pair (wrong doveadm_password on mail-b, reloaded from the view) shows failed users and the status bar says so', async function () {
    this.timeout(90000);
    const replicationConf = path.join(LAB_WORKDIR, 'b', 'etc', 'conf.d', '90-replication.conf');
    writeFileSync(
      replicationConf,
      readFileSync(replicationConf, 'utf8').replace(
        /^doveadm_password = .*$/m,
        'doveadm_password = not-the-pair-password',
      ),
    );
    assert.equal(await vscode.commands.executeCommand('dovecot.live.reload', hosts()[1], true), true);
    assert.ok(await vscode.commands.executeCommand('dovecot.live.replicateAll', hosts()[0]));
    const failed = await until(
      'mail-a to mark a user failed',
      async () => {
        await live().tree.refresh();
        return users(hosts()[0]).find((user) => user.user.failed);
      },
      45000,
    );
    assert.match(String(live().tree.getTreeItem(failed).description), /^sync FAILED · last success /);
    assert.match(live().statusBar.shownText ?? '', /^\$\(warning\) Dovecot pair: [1-4] failed$/);
    assert.match(String(live().tree.getTreeItem(hosts()[0]).description), /2 users, [12] failed/);
  });
});

suite('Dovecot Replication actions and workspace trust', () => {
  const packageJson = () =>
    extension().packageJSON as {
      capabilities: { untrustedWorkspaces: { supported: unknown } };
      contributes: {
        commands: { command: string; enablement?: string }[];
        menus: Record<string, { command: string; when?: string }[]>;
        configuration: { properties: Record<string, { scope?: string }> };
      };
    };

  test('every live action is disabled and hidden unless the workspace is trusted', () => {
    const { contributes, capabilities } = packageJson();
    assert.equal(capabilities.untrustedWorkspaces.supported, 'limited');
    const liveCommands = contributes.commands.filter((command) => command.command.startsWith('dovecot.live.'));
    assert.ok(liveCommands.length >= 9);
    for (const command of liveCommands) assert.equal(command.enablement, 'isWorkspaceTrusted', command.command);
    const entries = Object.values(contributes.menus)
      .flat()
      .filter((entry) => entry.command.startsWith('dovecot.live.'));
    for (const entry of entries)
      assert.match(entry.when ?? '', /isWorkspaceTrusted|^false$/, `${entry.command}: ${entry.when}`);
  });

  test('hosts and program paths are machine settings: the fixture workspace sets doveadmPath and is ignored', () => {
    const { properties } = packageJson().contributes.configuration;
    for (const key of ['hosts', 'doveadmPath', 'doveconfPath'])
      assert.equal(properties[`dovecot.live.${key}`].scope, 'machine', key);
    assert.equal(vscode.workspace.getConfiguration('dovecot.live').get('doveadmPath'), 'doveadm');
  });
});
