// The "Dovecot Replication" view: one node per host of the pair, its users with their sync state, or
// what failed and what to check. Reads nothing and runs nothing in an untrusted workspace.
import * as vscode from 'vscode';
import { formatSecondsAgo, type ReplicaUserStatus } from '../../../server/src/service/live/doveadmResults';
import {
  describeHost,
  failedUsers,
  pairHealth,
  type HostState,
  type PairHealth,
} from '../../../server/src/service/live/pairHealth';
import { readHostState, type HostSpec } from '../../../server/src/live/liveHosts';
import { readLiveSettings, transportSettings } from './liveSettings';

export const REPLICATION_VIEW = 'dovecot.replication';

export type ReplicationNode =
  | { kind: 'host'; spec: HostSpec; state: HostState }
  | { kind: 'user'; spec: HostSpec; user: ReplicaUserStatus }
  | { kind: 'message'; label: string; icon: string; tooltip?: string; error?: boolean };

export class ReplicationTree implements vscode.TreeDataProvider<ReplicationNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly refreshed = new vscode.EventEmitter<PairHealth | undefined>();
  /** Fires after every refresh with the pair's health (undefined: nothing to watch or untrusted). */
  readonly onDidRefresh = this.refreshed.event;
  private states: { spec: HostSpec; state: HostState }[] = [];
  private settingProblems: string[] = [];
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private readonly subscriptions: vscode.Disposable[] = [this.changed, this.refreshed];

  constructor(private readonly secrets: vscode.SecretStorage) {
    this.subscriptions.push(
      vscode.workspace.onDidChangeConfiguration((event) => {
        if (event.affectsConfiguration('dovecot.live')) void this.refresh();
      }),
      vscode.workspace.onDidGrantWorkspaceTrust(() => void this.refresh()),
      secrets.onDidChange(() => void this.refresh()),
    );
  }

  /** The last readings, for the commands and the tests. */
  get hostStates(): readonly { spec: HostSpec; state: HostState }[] {
    return this.states;
  }

  /** Asks every host again; concurrent calls share one round. */
  refresh(): Promise<void> {
    this.running ??= this.readAll().finally(() => (this.running = undefined));
    return this.running;
  }

  private async readAll(): Promise<void> {
    const settings = readLiveSettings();
    this.schedule(settings.refreshSeconds);
    this.settingProblems = settings.problems;
    if (!vscode.workspace.isTrusted || settings.hosts.length === 0) {
      this.states = [];
      this.changed.fire();
      this.refreshed.fire(undefined);
      return;
    }
    const transport = await transportSettings(this.secrets, settings);
    this.states = await Promise.all(
      settings.hosts.map(async (spec) => ({ spec, state: await readHostState(spec, transport) })),
    );
    this.changed.fire();
    this.refreshed.fire(pairHealth(this.states.map(({ state }) => state)));
  }

  private schedule(seconds: number): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = seconds > 0 ? setTimeout(() => void this.refresh(), seconds * 1000) : undefined;
  }

  getChildren(node?: ReplicationNode): ReplicationNode[] {
    if (!node) return this.topLevel();
    if (node.kind !== 'host') return [];
    const { state, spec } = node;
    if (state.failure) {
      return [
        { kind: 'message', label: state.failure.what, icon: 'error', error: true, tooltip: state.failure.detail },
        ...(state.failure.detail
          ? [
              {
                kind: 'message' as const,
                label: state.failure.detail.split('\n')[0],
                icon: 'output',
                tooltip: state.failure.detail,
              },
            ]
          : []),
        ...state.failure.check.map((check) => ({
          kind: 'message' as const,
          label: `Check: ${check}`,
          icon: 'lightbulb',
          tooltip: check,
        })),
      ];
    }
    if (!state.users || state.users.length === 0) {
      return [
        {
          kind: 'message',
          label: 'The replicator knows no user: can the userdb list users? (Check Userdb Iteration)',
          icon: 'warning',
        },
      ];
    }
    return [...state.users]
      .sort((a, b) => a.username.localeCompare(b.username))
      .map((user) => ({ kind: 'user', spec, user }));
  }

  private topLevel(): ReplicationNode[] {
    if (!vscode.workspace.isTrusted) {
      return [
        {
          kind: 'message',
          label: 'Live replication status is off in an untrusted workspace',
          icon: 'workspace-untrusted',
          tooltip: 'Trust the workspace to read the replicator of each host and run doveadm.',
        },
      ];
    }
    const problems = this.settingProblems.map((problem) => ({
      kind: 'message' as const,
      label: problem,
      icon: 'warning',
    }));
    return [...problems, ...this.states.map(({ spec, state }) => ({ kind: 'host' as const, spec, state }))];
  }

  getTreeItem(node: ReplicationNode): vscode.TreeItem {
    if (node.kind === 'host') return hostItem(node.spec, node.state);
    if (node.kind === 'user') return userItem(node.spec, node.user);
    const item = new vscode.TreeItem(node.label, vscode.TreeItemCollapsibleState.None);
    item.iconPath = new vscode.ThemeIcon(node.icon, node.error ? new vscode.ThemeColor('errorForeground') : undefined);
    item.tooltip = node.tooltip ?? node.label;
    return item;
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    for (const subscription of this.subscriptions) subscription.dispose();
  }
}

function hostItem(spec: HostSpec, state: HostState): vscode.TreeItem {
  const item = new vscode.TreeItem(spec.name, vscode.TreeItemCollapsibleState.Expanded);
  item.id = `host:${spec.name}`;
  const failed = failedUsers(state).length;
  item.description = state.failure ? 'unreachable' : describeHost(state).slice(spec.name.length + 2);
  const color = state.failure || failed > 0 ? new vscode.ThemeColor('errorForeground') : undefined;
  item.iconPath = new vscode.ThemeIcon(state.failure ? 'debug-disconnect' : 'server', color);
  item.tooltip = new vscode.MarkdownString(`**${spec.name}** — ${state.location}\n\n${describeHost(state)}`);
  item.contextValue = ['dovecotHost', spec.url ? 'http' : 'local', spec.config ? 'config' : '']
    .filter(Boolean)
    .join(' ');
  return item;
}

function userItem(spec: HostSpec, user: ReplicaUserStatus): vscode.TreeItem {
  const item = new vscode.TreeItem(user.username, vscode.TreeItemCollapsibleState.None);
  item.id = `user:${spec.name}:${user.username}`;
  item.description = user.failed
    ? `sync FAILED · last success ${formatSecondsAgo(user.lastSuccessfulSync)}`
    : `synced ${formatSecondsAgo(user.lastSuccessfulSync)} · full ${formatSecondsAgo(user.lastFullSync)}`;
  item.iconPath = user.failed
    ? new vscode.ThemeIcon('error', new vscode.ThemeColor('errorForeground'))
    : new vscode.ThemeIcon('pass', new vscode.ThemeColor('testing.iconPassed'));
  item.tooltip = new vscode.MarkdownString(
    [
      `**${user.username}** on ${spec.name}`,
      '',
      `- queued: ${user.priority}`,
      `- last fast sync: ${formatSecondsAgo(user.lastFastSync)}`,
      `- last full sync: ${formatSecondsAgo(user.lastFullSync)}`,
      `- last successful sync: ${formatSecondsAgo(user.lastSuccessfulSync)}`,
      `- failed: ${user.failed ? 'yes — see the log of this host for doveadm(' + user.username + ') errors' : 'no'}`,
    ].join('\n'),
  );
  item.contextValue = 'dovecotUser';
  return item;
}
