// The "Dovecot Replication" view, the pair's status bar item and the actions on hosts and users:
// Replicate Now, Full Sync, Replicate All, dsync Status, Check Userdb Iteration, Reload (confirmed),
// Check with doveconf and Set doveadm API Key. Every action refuses to run in an untrusted workspace
// (the menus hide them there too, with `isWorkspaceTrusted`).
import * as vscode from 'vscode';
import {
  dsyncStatusRequest,
  reloadRequest,
  replicateRequest,
  userListRequest,
  type DoveadmRequest,
} from '../../../server/src/service/live/doveadmRequests';
import {
  parseDsyncStatus,
  parseReplicateResult,
  parseUserListing,
  type DoveadmAnswer,
  type DsyncSlot,
  type UserListing,
} from '../../../server/src/service/live/doveadmResults';
import { formatFailure, type LiveFailure } from '../../../server/src/service/live/failures';
import { ask, transportFor, type HostSpec, type Reading } from '../../../server/src/live/liveHosts';
import {
  DoveconfCheckRequest,
  PairHostsRequest,
  WorkspaceTrustNotification,
  type DoveconfCheckResult,
} from '../../../server/src/protocol';
import type { ProposedHost } from '../../../server/src/service/live/pairHosts';
import type { ServerController } from '../extension';
import { apiKeySecret, readLiveSettings, transportSettings } from '../live/liveSettings';
import { PairStatusBar } from '../live/pairStatusBar';
import { REPLICATION_VIEW, ReplicationTree, type ReplicationNode } from '../live/replicationTree';

export const LIVE_COMMANDS = {
  refresh: 'dovecot.live.refresh',
  replicateUser: 'dovecot.live.replicateUser',
  fullSyncUser: 'dovecot.live.fullSyncUser',
  replicateAll: 'dovecot.live.replicateAll',
  dsyncStatus: 'dovecot.live.dsyncStatus',
  checkUserdb: 'dovecot.live.checkUserdb',
  reload: 'dovecot.live.reload',
  checkWithDoveconf: 'dovecot.live.checkWithDoveconf',
  setApiKey: 'dovecot.live.setApiKey',
  watchPair: 'dovecot.live.watchPair',
} as const;

const TITLE = 'Dovecot Replication';

export interface LiveReplication {
  tree: ReplicationTree;
  statusBar: PairStatusBar;
}

type HostNode = Extract<ReplicationNode, { kind: 'host' }>;
type UserNode = Extract<ReplicationNode, { kind: 'user' }>;

export function registerLiveReplication(
  context: vscode.ExtensionContext,
  controller: ServerController,
): LiveReplication {
  const output = vscode.window.createOutputChannel(TITLE);
  const tree = new ReplicationTree(context.secrets);
  const statusBar = new PairStatusBar();
  const view = vscode.window.createTreeView(REPLICATION_VIEW, { treeDataProvider: tree, showCollapseAll: false });
  context.subscriptions.push(
    output,
    tree,
    statusBar,
    view,
    tree.onDidRefresh((health) => statusBar.update(health)),
  );
  new LiveActions(context, controller, output, tree).register();
  // Trust is read when it matters (every action and refresh); the server is told so it can run doveconf.
  context.subscriptions.push(
    vscode.workspace.onDidGrantWorkspaceTrust(
      () => void controller.languageClient?.sendNotification(WorkspaceTrustNotification, { trusted: true }),
    ),
  );
  void tree.refresh();
  return { tree, statusBar };
}

/** The view's commands: each refuses to run in an untrusted workspace and reports a failure with its details. */
class LiveActions {
  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly controller: ServerController,
    private readonly output: vscode.OutputChannel,
    private readonly tree: ReplicationTree,
  ) {}

  register(): void {
    const register = (id: string, handler: (...args: never[]) => unknown): void => {
      this.context.subscriptions.push(vscode.commands.registerCommand(id, handler));
    };
    register(LIVE_COMMANDS.refresh, () => this.tree.refresh());
    register(LIVE_COMMANDS.replicateUser, (node?: UserNode) => this.replicate(node, false));
    register(LIVE_COMMANDS.fullSyncUser, (node?: UserNode) => this.replicate(node, true));
    register(LIVE_COMMANDS.replicateAll, (node?: HostNode) =>
      this.onHost(
        node,
        () => replicateRequest({ userMask: '*' }),
        parseReplicateResult,
        (spec, result) => this.queuedAll(spec, result),
      ),
    );
    register(LIVE_COMMANDS.dsyncStatus, (node?: HostNode) =>
      this.onHost(node, dsyncStatusRequest, parseDsyncStatus, (spec, slots) => this.showDsyncStatus(spec, slots)),
    );
    register(LIVE_COMMANDS.checkUserdb, (node?: HostNode) =>
      this.onHost(
        node,
        () => userListRequest(),
        parseUserListing,
        (spec, listing) => this.showUserdb(spec, listing),
      ),
    );
    register(LIVE_COMMANDS.reload, (node?: HostNode, confirmed?: boolean) => this.reload(node, confirmed));
    register(LIVE_COMMANDS.checkWithDoveconf, (node?: HostNode) => this.checkWithDoveconf(node));
    register(LIVE_COMMANDS.setApiKey, (node?: HostNode, key?: string) => this.setApiKey(node, key));
    register(LIVE_COMMANDS.watchPair, (confirmed?: boolean) => this.watchPair(confirmed));
  }

  private trusted(): boolean {
    if (vscode.workspace.isTrusted) return true;
    void vscode.window.showWarningMessage(
      `${TITLE}: running doveadm or doveconf and contacting servers is disabled in an untrusted workspace.`,
    );
    return false;
  }

  private report(host: string, failure: LiveFailure): void {
    this.output.appendLine(`[${new Date().toISOString()}] ${host}: ${formatFailure(failure).join('\n')}`);
    void vscode.window
      .showErrorMessage(
        `${TITLE}: ${failure.what}${failure.check[0] ? ` — check: ${failure.check[0]}` : ''}`,
        'Show Details',
      )
      .then((choice) => {
        if (choice) this.output.show(true);
      });
  }

  private async run<T>(
    spec: HostSpec,
    request: DoveadmRequest,
    parse: (answer: DoveadmAnswer) => T,
  ): Promise<Reading<T>> {
    const transport = transportFor(spec, await transportSettings(this.context.secrets, readLiveSettings()));
    const reading = await ask(transport, request, parse);
    if (!reading.ok) this.report(spec.name, reading.failure);
    return reading;
  }

  /** The host of the node, else the first host of the settings. */
  private hostOf(node: HostNode | UserNode | undefined): HostSpec | undefined {
    return node?.spec ?? readLiveSettings().hosts[0];
  }

  /** A host action: on the host of the node (else the first host), refused when untrusted; undefined when it failed. */
  private async onHost<T, R>(
    node: HostNode | undefined,
    request: () => DoveadmRequest,
    parse: (answer: DoveadmAnswer) => T,
    done: (spec: HostSpec, value: T) => R | Promise<R>,
  ): Promise<R | undefined> {
    const spec = this.hostOf(node);
    if (!this.trusted() || !spec) return undefined;
    const reading = await this.run(spec, request(), parse);
    return reading.ok ? done(spec, reading.value) : undefined;
  }

  private async replicate(node: UserNode | undefined, fullSync: boolean): Promise<boolean> {
    if (!this.trusted() || !node) return false;
    const reading = await this.run(
      node.spec,
      replicateRequest({ userMask: node.user.username, fullSync, priority: 'high' }),
      parseReplicateResult,
    );
    if (!reading.ok) return false;
    void vscode.window.showInformationMessage(
      `${TITLE}: ${fullSync ? 'full sync' : 'sync'} of ${node.user.username} queued on ${node.spec.name}.`,
    );
    await this.tree.refresh();
    return true;
  }

  private async queuedAll(spec: HostSpec, result: { usersUpdated: number }): Promise<{ usersUpdated: number }> {
    void vscode.window.showInformationMessage(
      `${TITLE}: ${result.usersUpdated} users queued for replication on ${spec.name}.`,
    );
    await this.tree.refresh();
    return result;
  }

  private showDsyncStatus(spec: HostSpec, slots: DsyncSlot[]): DsyncSlot[] {
    this.output.appendLine(`[${new Date().toISOString()}] ${spec.name}: doveadm replicator dsync-status`);
    for (const slot of slots) this.output.appendLine(`  ${slot.username || '(idle)'}  ${slot.type}  ${slot.status}`);
    this.output.show(true);
    return slots;
  }

  private showUserdb(spec: HostSpec, listing: UserListing): UserListing {
    const { count, sample } = listing;
    const text =
      count === 0
        ? `the userdb of ${spec.name} lists no user: the replicator cannot do full syncs.`
        : `the userdb of ${spec.name} lists ${count} users (${sample.join(', ')}${count > sample.length ? ', …' : ''}).`;
    void (count === 0
      ? vscode.window.showWarningMessage(`${TITLE}: ${text}`)
      : vscode.window.showInformationMessage(`${TITLE}: ${text}`));
    return listing;
  }

  private async reload(node: HostNode | undefined, confirmed: boolean | undefined): Promise<boolean> {
    const spec = this.hostOf(node);
    if (!this.trusted() || !spec) return false;
    if (confirmed !== true) {
      const answer = await vscode.window.showWarningMessage(
        `Reload Dovecot's configuration on ${spec.name}?`,
        {
          modal: true,
          detail:
            'Runs doveadm reload: Dovecot re-reads its configuration; a configuration with errors keeps the old one running.',
        },
        'Reload',
      );
      if (answer !== 'Reload') return false;
    }
    const reading = await this.run(spec, reloadRequest(), () => true);
    if (reading.ok) void vscode.window.showInformationMessage(`${TITLE}: ${spec.name} reloaded its configuration.`);
    return reading.ok;
  }

  private async checkWithDoveconf(node: HostNode | undefined): Promise<DoveconfCheckResult | undefined> {
    if (!this.trusted()) return undefined;
    const uri = node?.spec.config ? vscode.Uri.file(node.spec.config) : vscode.window.activeTextEditor?.document.uri;
    const client = this.controller.languageClient;
    if (!uri || uri.scheme !== 'file')
      return void vscode.window.showWarningMessage(
        `${TITLE}: open a file of the Dovecot configuration to check (or set "config" for this host).`,
      );
    if (!client)
      return void vscode.window.showWarningMessage(
        `${TITLE}: the Dovecot language server is not running (Dovecot: Restart Language Server).`,
      );
    const result = await client.sendRequest(DoveconfCheckRequest, { uri: uri.toString() });
    if (!result) return undefined;
    if (result.failure) this.report('doveconf', result.failure);
    else if (result.diagnostics.length === 0)
      void vscode.window.showInformationMessage(`${TITLE}: doveconf accepts ${result.root}.`);
    else
      void vscode.window.showWarningMessage(
        `${TITLE}: doveconf reports ${result.diagnostics.length} problem(s) in ${result.root}; see the Problems panel (source doveconf).`,
      );
    return result;
  }

  private async setApiKey(node: HostNode | undefined, key: string | undefined): Promise<boolean> {
    const hosts = readLiveSettings().hosts.filter((host) => host.url);
    const spec = node?.spec.url ? node.spec : hosts.length === 1 ? hosts[0] : await pickHost(hosts);
    if (!spec?.url) return false;
    const value =
      key ??
      (await vscode.window.showInputBox({
        title: `doveadm API key of ${spec.name}`,
        prompt: `The value of doveadm_api_key on ${spec.name} (${spec.url}); kept in the OS keychain, never in settings.`,
        password: true,
        ignoreFocusOut: true,
      }));
    if (!value) return false;
    await this.context.secrets.store(apiKeySecret(spec.url), value);
    await this.tree.refresh();
    return true;
  }

  private async watchPair(confirmed: boolean | undefined): Promise<boolean | undefined> {
    if (!this.trusted()) return false;
    const document = vscode.window.activeTextEditor?.document;
    const client = this.controller.languageClient;
    if (!document || document.languageId !== 'dovecot' || !client)
      return void vscode.window.showWarningMessage(`${TITLE}: open a file of one host's Dovecot configuration first.`);
    const proposals = await client.sendRequest(PairHostsRequest, { uri: document.uri.toString() });
    const usable = proposals.filter((host): host is ProposedHost & { url: string } => host.url !== undefined);
    const problems = proposals.filter((host) => !host.url).map((host) => `${host.name}: ${host.problem}`);
    if (usable.length === 0)
      return void vscode.window.showWarningMessage(`${TITLE}: no doveadm HTTP API found. ${problems.join(' ')}`);
    const list = usable.map((host) => `${host.name} at ${host.url}`).join(' and ');
    if (confirmed !== true) {
      const detail = `The addresses come from the configuration files in this workspace. Contact ${list} and send them their API keys?${problems.length > 0 ? `\n${problems.join('\n')}` : ''}`;
      if ((await vscode.window.showInformationMessage(`Watch ${list}?`, { modal: true, detail }, 'Watch')) !== 'Watch')
        return false;
    }
    await vscode.workspace.getConfiguration('dovecot.live').update(
      'hosts',
      usable.map((host) => ({ name: host.name, url: host.url })),
      vscode.ConfigurationTarget.Global,
    );
    return true;
  }
}

async function pickHost(hosts: HostSpec[]): Promise<HostSpec | undefined> {
  const pick = await vscode.window.showQuickPick(
    hosts.map((host) => ({ label: host.name, description: host.url, host })),
    { title: 'Which host?' },
  );
  return pick?.host;
}
