// The questions of the replication wizard as a small interface: the real one shows VS Code's quick inputs
// (an input box or a quick pick per step, with a Back button), a scripted one answers in the editor tests.
import * as vscode from 'vscode';

/** An answer, the Back button, or undefined when the user closed the step (Escape). */
export type Reply<T> = { value: T } | 'back' | undefined;

export interface InputQuestion {
  /** `Dovecot: Set Up Replication (2/8)`. */
  title: string;
  prompt: string;
  /** What the box starts with: the previous answer when coming back, else the proposal. */
  value: string;
  placeholder?: string;
  /** Whether a Back button is offered (not on the first step). */
  back: boolean;
  /** The problem with a value (empty values are checked by `allowEmpty`), or undefined when it is fine. */
  validate(value: string): string | undefined;
  allowEmpty?: boolean;
}

export interface PickItem<T> {
  label: string;
  description?: string;
  detail?: string;
  value: T;
}

export interface PickQuestion<T> {
  title: string;
  placeholder: string;
  items: PickItem<T>[];
  /** The item selected when the step opens (the previous answer when coming back). */
  active?: T;
  back: boolean;
}

export interface SetupUi {
  input(question: InputQuestion): Promise<Reply<string>>;
  pick<T>(question: PickQuestion<T>): Promise<Reply<T>>;
  /** A folder from the file dialog, or undefined. */
  chooseFolder(start: vscode.Uri | undefined): Promise<string | undefined>;
  /** The short result; resolves true when the user chose `action`. */
  result(message: string, action: string): Promise<boolean>;
}

/** What a step showed, for the editor tests that drive the real widgets (they cannot read the workbench). */
export interface ShownStep {
  kind: 'input' | 'pick' | 'result';
  title: string;
  prompt: string;
  value?: string;
  items?: string[];
  active?: string;
}

/** VS Code's own quick inputs. */
export class VscodeSetupUi implements SetupUi {
  constructor(private readonly shown?: vscode.EventEmitter<ShownStep>) {}

  input(question: InputQuestion): Promise<Reply<string>> {
    const box = vscode.window.createInputBox();
    box.title = question.title;
    box.prompt = question.prompt;
    box.placeholder = question.placeholder;
    box.value = question.value;
    box.ignoreFocusOut = true;
    box.buttons = question.back ? [vscode.QuickInputButtons.Back] : [];
    return new Promise((resolve) => {
      const done = (reply: Reply<string>): void => {
        resolve(reply);
        box.dispose();
      };
      box.onDidChangeValue((value) => {
        box.validationMessage = value === '' ? undefined : question.validate(value);
      });
      box.onDidTriggerButton(() => done('back'));
      box.onDidAccept(() => {
        const value = box.value.trim();
        const problem = value === '' ? (question.allowEmpty ? undefined : 'required') : question.validate(value);
        if (problem) {
          box.validationMessage = problem;
          return;
        }
        done({ value });
      });
      box.onDidHide(() => done(undefined));
      box.show();
      this.shown?.fire({ kind: 'input', title: question.title, prompt: question.prompt, value: question.value });
    });
  }

  pick<T>(question: PickQuestion<T>): Promise<Reply<T>> {
    const pick = vscode.window.createQuickPick<PickItem<T>>();
    pick.title = question.title;
    pick.placeholder = question.placeholder;
    pick.items = question.items;
    pick.ignoreFocusOut = true;
    pick.buttons = question.back ? [vscode.QuickInputButtons.Back] : [];
    const active = question.items.find((item) => item.value === question.active);
    if (active) pick.activeItems = [active];
    return new Promise((resolve) => {
      const done = (reply: Reply<T>): void => {
        resolve(reply);
        pick.dispose();
      };
      pick.onDidTriggerButton(() => done('back'));
      pick.onDidAccept(() => {
        const chosen = pick.selectedItems[0] ?? pick.activeItems[0];
        if (chosen) done({ value: chosen.value });
      });
      pick.onDidHide(() => done(undefined));
      pick.show();
      this.shown?.fire({
        kind: 'pick',
        title: question.title,
        prompt: question.placeholder,
        items: question.items.map((item) => item.label),
        active: (active ?? question.items[0])?.label,
      });
    });
  }

  async chooseFolder(start: vscode.Uri | undefined): Promise<string | undefined> {
    const chosen = await vscode.window.showOpenDialog({
      canSelectFolders: true,
      canSelectFiles: false,
      defaultUri: start,
      openLabel: "Peer's Dovecot folder",
    });
    return chosen?.[0]?.fsPath;
  }

  async result(message: string, action: string): Promise<boolean> {
    const choice = vscode.window.showInformationMessage(message, action);
    this.shown?.fire({ kind: 'result', title: message, prompt: action });
    return (await choice) === action;
  }
}
