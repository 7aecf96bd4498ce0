// Status bar item showing the Dovecot dialect the server detected for the active document.
import * as vscode from 'vscode';

import type { Dialect } from '../../server/src/service/model/dialect';
import type { DovecotStatus } from '../../server/src/protocol';

const DIALECT_LABELS: Record<Dialect, string> = {
  '2.3': 'Dovecot 2.3',
  '2.4': 'Dovecot 2.4',
  mixed: 'Dovecot 2.3/2.4 (mixed)',
  unknown: 'Dovecot',
};

export function statusText(status: DovecotStatus): string {
  return DIALECT_LABELS[status.dialect] ?? DIALECT_LABELS.unknown;
}

export class DialectStatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('dovecot.dialect', vscode.StatusBarAlignment.Right, 100);
  private readonly statusByUri = new Map<string, DovecotStatus>();
  private readonly rendered = new vscode.EventEmitter<string | undefined>();
  private readonly subscriptions: vscode.Disposable[] = [this.rendered];
  private visible = false;

  /** Fires with the shown text (undefined when hidden) after every render; the integration tests wait on it. */
  readonly onDidRender = this.rendered.event;

  constructor(private readonly languageId: string) {
    this.item.name = 'Dovecot Dialect';
    this.item.command = 'dovecot.statusMenu';
    this.subscriptions.push(
      vscode.window.onDidChangeActiveTextEditor(() => this.render()),
      vscode.workspace.onDidCloseTextDocument((doc) => this.statusByUri.delete(doc.uri.toString())),
    );
  }

  update(status: DovecotStatus): void {
    if (!status || typeof status.uri !== 'string') return;
    this.statusByUri.set(normalizeUri(status.uri), status);
    this.render();
  }

  clear(): void {
    this.statusByUri.clear();
    this.render();
  }

  /** What the item currently shows; undefined when hidden. */
  get shownText(): string | undefined {
    return this.visible ? this.item.text : undefined;
  }

  /** The command the item runs when clicked. */
  get command(): string | undefined {
    return typeof this.item.command === 'string' ? this.item.command : this.item.command?.command;
  }

  get shownTooltip(): string | undefined {
    return this.visible && typeof this.item.tooltip === 'string' ? this.item.tooltip : undefined;
  }

  private render(): void {
    const document = vscode.window.activeTextEditor?.document;
    const status =
      document && document.languageId === this.languageId
        ? this.statusByUri.get(normalizeUri(document.uri.toString()))
        : undefined;
    if (status) {
      this.item.text = statusText(status);
      const root = status.root ? `Dovecot configuration root: ${status.root}` : 'Dovecot configuration';
      const reason = status.reason ? `\nRead as ${statusText(status)}: ${status.reason}` : '';
      this.item.tooltip = `${root}${reason}\n(click for actions)`;
      this.item.show();
    } else {
      this.item.hide();
    }
    this.visible = status !== undefined;
    this.rendered.fire(this.shownText);
  }

  dispose(): void {
    for (const subscription of this.subscriptions) subscription.dispose();
    this.item.dispose();
  }
}

/** The server and VS Code may encode the same file URI differently (e.g. `%3A`); compare parsed forms. */
function normalizeUri(uri: string): string {
  try {
    return vscode.Uri.parse(uri).toString();
  } catch {
    return uri;
  }
}
