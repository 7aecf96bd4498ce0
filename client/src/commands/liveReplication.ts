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
} from '../../../server/src/service/live/doveadmResults';
import { formatFailure, type LiveFailure } from '../../../server/src/service/live/failures';
import { ask, transportFor, type HostSpec, type Reading } from '../../../server/src/live/liveHosts';
import { DoveconfCheckRequest, PairHostsRequest, WorkspaceTrustNotification } from '../../../server/src/protocol';
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

  const trusted = (): boolean => {
    if (vscode.workspace.isTrusted) return true;
    void vscode.window.showWarningMessage(
      `${TITLE}: running doveadm or doveconf and contacting servers is disabled in an untrusted workspace.`,
    );
    return false;
  };

  const report = (host: string, failure: LiveFailure): void => {
    output.appendLine(`[${new Date().toISOString()}] ${host}: ${formatFailure(failure).join('\n')}`);
    void vscode.window
      .showErrorMessage(
        `${TITLE}: ${failure.what}${failure.check[0] ? ` — check: ${failure.check[0]}` : ''}`,
        'Show Details',
      )
      .then((choice) => {
        if (choice) output.show(true);
      });
  };

  async function run<T>(
    spec: HostSpec,
    request: DoveadmRequest,
    parse: (answer: DoveadmAnswer) => T,
  ): Promise<Reading<T>> {
    const settings = readLiveSettings();
    const reading = await ask(transportFor(spec, await transportSettings(context.secrets, settings)), request, parse);
    if (!reading.ok) report(spec.name, reading.failure);
    return reading;
  }

  const hostOf = (node: HostNode | UserNode | undefined): HostSpec | undefined =>
    node?.spec ?? readLiveSettings().hosts[0];

  async function replicate(node: UserNode | undefined, fullSync: boolean): Promise<boolean> {
    if (!trusted() || !node) return false;
    const reading = await run(
      node.spec,
      replicateRequest({ userMask: node.user.username, fullSync, priority: 'high' }),
      parseReplicateResult,
    );
    if (!reading.ok) return false;
    void vscode.window.showInformationMessage(
      `${TITLE}: ${fullSync ? 'full sync' : 'sync'} of ${node.user.username} queued on ${node.spec.name}.`,
    );
    await tree.refresh();
    return true;
  }

  const register = (id: string, handler: (...args: never[]) => unknown): void => {
    context.subscriptions.push(vscode.commands.registerCommand(id, handler));
  };

  register(LIVE_COMMANDS.refresh, () => tree.refresh());
  register(LIVE_COMMANDS.replicateUser, (node?: UserNode) => replicate(node, false));
  register(LIVE_COMMANDS.fullSyncUser, (node?: UserNode) => replicate(node, true));
  /** A host action: on the host of the node (else the first host), refused when untrusted; undefined when it failed. */
  const onHost = <T, R>(
    id: string,
    request: () => DoveadmRequest,
    parse: (answer: DoveadmAnswer) => T,
    done: (spec: HostSpec, value: T) => R | Promise<R>,
  ): void =>
    register(id, async (node?: HostNode) => {
      const spec = hostOf(node);
      if (!trusted() || !spec) return undefined;
      const reading = await run(spec, request(), parse);
      return reading.ok ? done(spec, reading.value) : undefined;
    });

  onHost(
    LIVE_COMMANDS.replicateAll,
    () => replicateRequest({ userMask: '*' }),
    parseReplicateResult,
    async (spec, result) => {
      void vscode.window.showInformationMessage(
        `${TITLE}: ${result.usersUpdated} users queued for replication on ${spec.name}.`,
      );
      await tree.refresh();
      return result;
    },
  );
  onHost(LIVE_COMMANDS.dsyncStatus, dsyncStatusRequest, parseDsyncStatus, (spec, slots) => {
    output.appendLine(`[${new Date().toISOString()}] ${spec.name}: doveadm replicator dsync-status`);
    for (const slot of slots) output.appendLine(`  ${slot.username || '(idle)'}  ${slot.type}  ${slot.status}`);
    output.show(true);
    return slots;
  });
  onHost(
    LIVE_COMMANDS.checkUserdb,
    () => userListRequest(),
    parseUserListing,
    (spec, listing) => {
      const { count, sample } = listing;
      const text =
        count === 0
          ? `the userdb of ${spec.name} lists no user: the replicator cannot do full syncs.`
          : `the userdb of ${spec.name} lists ${count} users (${sample.join(', ')}${count > sample.length ? ', …' : ''}).`;
      void (count === 0
        ? vscode.window.showWarningMessage(`${TITLE}: ${text}`)
        : vscode.window.showInformationMessage(`${TITLE}: ${text}`));
      return listing;
    },
  );
  register(LIVE_COMMANDS.reload, async (node?: HostNode, confirmed?: boolean) => {
    const spec = hostOf(node);
    if (!trusted() || !spec) return false;
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
    const reading = await run(spec, reloadRequest(), () => true);
    if (reading.ok) void vscode.window.showInformationMessage(`${TITLE}: ${spec.name} reloaded its configuration.`);
    return reading.ok;
  });
  register(LIVE_COMMANDS.checkWithDoveconf, async (node?: HostNode) => {
    if (!trusted()) return undefined;
    const uri = node?.spec.config ? vscode.Uri.file(node.spec.config) : vscode.window.activeTextEditor?.document.uri;
    const client = controller.languageClient;
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
    if (result.failure) report('doveconf', result.failure);
    else if (result.diagnostics.length === 0)
      void vscode.window.showInformationMessage(`${TITLE}: doveconf accepts ${result.root}.`);
    else
      void vscode.window.showWarningMessage(
        `${TITLE}: doveconf reports ${result.diagnostics.length} problem(s) in ${result.root}; see the Problems panel (source doveconf).`,
      );
    return result;
  });
  register(LIVE_COMMANDS.setApiKey, async (node?: HostNode, key?: string) => {
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
    await context.secrets.store(apiKeySecret(spec.url), value);
    await tree.refresh();
    return true;
  });

  register(LIVE_COMMANDS.watchPair, async (confirmed?: boolean) => {
    if (!trusted()) return false;
    const document = vscode.window.activeTextEditor?.document;
    const client = controller.languageClient;
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
  });

  // Trust is read when it matters (every action and refresh); the server is told so it can run doveconf.
  context.subscriptions.push(
    vscode.workspace.onDidGrantWorkspaceTrust(
      () => void controller.languageClient?.sendNotification(WorkspaceTrustNotification, { trusted: true }),
    ),
  );
  void tree.refresh();
  return { tree, statusBar };
}

async function pickHost(hosts: HostSpec[]): Promise<HostSpec | undefined> {
  const pick = await vscode.window.showQuickPick(
    hosts.map((host) => ({ label: host.name, description: host.url, host })),
    { title: 'Which host?' },
  );
  return pick?.host;
}
