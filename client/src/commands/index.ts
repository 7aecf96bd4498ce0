// Registers every command the extension contributes. Add new commands as one file each in this folder.
import * as vscode from 'vscode';
import type { ServerController } from '../extension';
import { registerConvertTo24 } from './convertTo24';
import { registerRestartServer } from './restartServer';
import { registerSetupReplication } from './setupReplication';
import { registerShowEffectiveConfig } from './showEffectiveConfig';
import { registerStatusMenu } from './statusMenu';

export function registerCommands(context: vscode.ExtensionContext, controller: ServerController): void {
  controller.converter = registerConvertTo24(context, controller);
  registerRestartServer(context, controller);
  controller.setupWizard = registerSetupReplication(context, controller);
  registerShowEffectiveConfig(context, controller);
  registerStatusMenu(context, controller);
}
