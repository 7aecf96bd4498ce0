// Status bar item with the replication pair's health: all synced, N failed, or a host unreachable.
import * as vscode from 'vscode';
import type { PairHealth } from '../../../server/src/service/live/pairHealth';
import { REPLICATION_VIEW } from './replicationTree';

const ICONS: Record<PairHealth['kind'], string> = {
  synced: '$(pass)',
  failed: '$(warning)',
  unreachable: '$(error)',
  none: '$(circle-outline)',
};

export function pairStatusText(health: PairHealth): string {
  return `${ICONS[health.kind]} Dovecot pair: ${health.text}`;
}

export class PairStatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('dovecot.pairHealth', vscode.StatusBarAlignment.Left, 50);

  constructor() {
    this.item.name = 'Dovecot Replication Pair';
    this.item.command = `${REPLICATION_VIEW}.focus`;
  }

  /** What the item shows now; undefined when hidden. */
  shownText: string | undefined;

  update(health: PairHealth | undefined): void {
    if (!health || health.kind === 'none') {
      this.item.hide();
      this.shownText = undefined;
      return;
    }
    this.item.text = pairStatusText(health);
    this.item.tooltip = health.details.join('\n');
    this.item.backgroundColor =
      health.kind === 'synced'
        ? undefined
        : new vscode.ThemeColor(
            health.kind === 'failed' ? 'statusBarItem.warningBackground' : 'statusBarItem.errorBackground',
          );
    this.item.show();
    this.shownText = this.item.text;
  }

  dispose(): void {
    this.item.dispose();
  }
}
