// The questions of Convert to Dovecot 2.4 as a small interface: the real one shows VS Code's quick pick,
// modal warning, input box and folder dialog; a scripted one answers in the editor tests.
import * as vscode from 'vscode';

export type Destination = 'new-folder' | 'replace';

export interface DestinationItem {
  label: string;
  description?: string;
  detail?: string;
  /** undefined: the Cancel item. */
  value: Destination | undefined;
}

export interface DestinationQuestion {
  title: string;
  placeholder: string;
  items: DestinationItem[];
}

export interface WarningQuestion {
  message: string;
  detail: string;
  /** The label of the one button that goes ahead. */
  confirm: string;
}

export interface FolderQuestion {
  title: string;
  prompt: string;
  /** What the box starts with: the proposal, or the folder chosen with Browse…. */
  value: string;
  /** The problem with a value, or undefined when it is fine. */
  validate(value: string): string | undefined;
}

/** A typed folder, the Browse… button, or undefined when the admin closed the box (Escape). */
export type FolderReply = { value: string } | 'browse' | undefined;

export interface ConvertUi {
  /** Where to write; undefined when cancelled. */
  destination(question: DestinationQuestion): Promise<Destination | undefined>;
  /** Resolves true only when the admin chose `confirm`. */
  warn(question: WarningQuestion): Promise<boolean>;
  folder(question: FolderQuestion): Promise<FolderReply>;
  /** A folder from the file dialog, or undefined. */
  chooseFolder(start: vscode.Uri): Promise<string | undefined>;
}

/** VS Code's own widgets. */
export class VscodeConvertUi implements ConvertUi {
  async destination(question: DestinationQuestion): Promise<Destination | undefined> {
    // A quick pick, not a modal dialog: the diffs and the report stay readable while choosing.
    const choice = await vscode.window.showQuickPick(question.items, {
      title: question.title,
      placeHolder: question.placeholder,
      ignoreFocusOut: true,
    });
    return choice?.value;
  }

  async warn(question: WarningQuestion): Promise<boolean> {
    const answer = await vscode.window.showWarningMessage(
      question.message,
      { modal: true, detail: question.detail },
      question.confirm,
    );
    return answer === question.confirm;
  }

  folder(question: FolderQuestion): Promise<FolderReply> {
    const box = vscode.window.createInputBox();
    const browse: vscode.QuickInputButton = { iconPath: new vscode.ThemeIcon('folder-opened'), tooltip: 'Browse…' };
    box.title = question.title;
    box.prompt = question.prompt;
    box.value = question.value;
    box.ignoreFocusOut = true;
    box.buttons = [browse];
    box.validationMessage = question.validate(question.value.trim());
    return new Promise((resolve) => {
      let settled = false;
      const done = (reply: FolderReply): void => {
        if (settled) return;
        settled = true;
        resolve(reply);
        box.dispose();
      };
      box.onDidChangeValue((value) => {
        box.validationMessage = question.validate(value.trim());
      });
      box.onDidTriggerButton(() => done('browse'));
      box.onDidAccept(() => {
        const value = box.value.trim();
        const problem = question.validate(value);
        if (problem) {
          box.validationMessage = problem;
          return;
        }
        done({ value });
      });
      box.onDidHide(() => done(undefined));
      box.show();
    });
  }

  async chooseFolder(start: vscode.Uri): Promise<string | undefined> {
    const chosen = await vscode.window.showOpenDialog({
      canSelectFolders: true,
      canSelectFiles: false,
      canSelectMany: false,
      defaultUri: start,
      openLabel: 'Write the converted tree here',
    });
    return chosen?.[0]?.fsPath;
  }
}
