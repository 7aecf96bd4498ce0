// `dovecot.statusMenu`: what the Dovecot status bar item offers when clicked.
import * as path from 'path';
import * as vscode from 'vscode';
import type { ServerController } from '../extension';

export const STATUS_MENU_COMMAND = 'dovecot.statusMenu';
export const PICK_ROOT_COMMAND = 'dovecot.pickRoot';

export interface StatusMenuEntry {
  label: string;
  detail: string;
  /** The command run when the entry is picked. */
  command: string;
}

export const STATUS_MENU: readonly StatusMenuEntry[] = [
  {
    label: '$(list-tree) Show Effective Configuration',
    detail: 'The settings in effect over this tree, like doveconf -n, with where each was set',
    command: 'dovecot.showEffectiveConfig',
  },
  {
    label: '$(sync) Set Up Replication…',
    detail: 'Write the dsync replication configuration for this host and its peer',
    command: 'dovecot.setupReplication',
  },
  {
    label: '$(arrow-up) Convert to Dovecot 2.4…',
    detail: 'The whole tree as diffs against the original, with a report; written only where you choose',
    command: 'dovecot.convertTo24',
  },
  {
    label: '$(file-symlink-file) Pick the Root Configuration…',
    detail: 'Which dovecot.conf the files are analysed against (dovecot.rootConfig)',
    command: PICK_ROOT_COMMAND,
  },
  {
    label: '$(warning) Problems of This Tree',
    detail: 'Open the Problems panel',
    command: 'workbench.actions.view.problems',
  },
  {
    label: '$(output) Show Language Server Output',
    detail: 'The log of the Dovecot language server',
    command: 'dovecot.showOutput',
  },
];

async function pickRoot(): Promise<void> {
  const found = await vscode.workspace.findFiles('**/dovecot.conf', '**/node_modules/**', 50);
  if (found.length === 0) {
    void vscode.window.showInformationMessage('Dovecot: no dovecot.conf in this workspace.');
    return;
  }
  const current = vscode.workspace.getConfiguration('dovecot').get<string>('rootConfig', '');
  const items = [
    {
      label: 'Nearest dovecot.conf',
      description: current === '' ? 'current' : '',
      detail: 'Each file is analysed from the nearest dovecot.conf that includes it',
      value: '',
    },
    ...found.map((uri) => {
      const relative = vscode.workspace.asRelativePath(uri, false);
      return {
        label: relative,
        description: current === relative || current === uri.fsPath ? 'current' : '',
        detail: path.dirname(uri.fsPath),
        value: relative,
      };
    }),
  ];
  const pick = await vscode.window.showQuickPick(items, {
    title: 'Dovecot: Root Configuration',
    placeHolder: 'Analyse files against…',
  });
  if (!pick) return;
  await vscode.workspace
    .getConfiguration('dovecot')
    .update('rootConfig', pick.value, vscode.ConfigurationTarget.Workspace);
}

export function registerStatusMenu(context: vscode.ExtensionContext, controller: ServerController): void {
  context.subscriptions.push(
    vscode.commands.registerCommand(STATUS_MENU_COMMAND, async () => {
      const pick = await vscode.window.showQuickPick(
        STATUS_MENU.map((entry) => ({ ...entry })),
        { title: 'Dovecot', placeHolder: controller.statusBar.shownTooltip },
      );
      if (pick) await vscode.commands.executeCommand(pick.command);
    }),
    vscode.commands.registerCommand(PICK_ROOT_COMMAND, pickRoot),
    vscode.commands.registerCommand('dovecot.showOutput', () => controller.showOutput()),
  );
}
