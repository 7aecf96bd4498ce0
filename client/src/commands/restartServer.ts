// `dovecot.restartServer`: stops and starts the language server (e.g. after editing data files).
import * as vscode from 'vscode';
import type { ServerController } from '../extension';

export const RESTART_SERVER_COMMAND = 'dovecot.restartServer';

export function registerRestartServer(context: vscode.ExtensionContext, controller: ServerController): void {
  context.subscriptions.push(
    vscode.commands.registerCommand(RESTART_SERVER_COMMAND, async () => {
      try {
        await controller.restart();
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        void vscode.window.showErrorMessage(`Dovecot: could not restart the language server: ${message}`);
      }
    }),
  );
}
