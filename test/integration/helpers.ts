// Shared helpers for the editor integration suites (they run inside a VS Code extension host).
import * as assert from 'assert';
import * as vscode from 'vscode';

export const EXTENSION_ID = 'dovecot-tooling.dovecot-lsp';
export const LANGUAGE_ID = 'dovecot';
/** Upper bound for any single wait on the editor or the server; tests wait on events, not on time. */
export const EVENT_TIMEOUT_MS = 20000;

export function workspaceRoot(): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'the test workbench must be opened on the fixture workspace');
  return folder.uri;
}

export function fixtureUri(...segments: string[]): vscode.Uri {
  return vscode.Uri.joinPath(workspaceRoot(), ...segments);
}

export function extension(): vscode.Extension<unknown> {
  const ext = vscode.extensions.getExtension(EXTENSION_ID);
  assert.ok(ext, `extension ${EXTENSION_ID} is not installed in this host`);
  return ext;
}

/** The rule id of a diagnostic, whether the server sent a plain code or one with a link. */
export function ruleOf(diagnostic: vscode.Diagnostic): string | undefined {
  const code = diagnostic.code;
  if (code === undefined) return undefined;
  return typeof code === 'object' ? String(code.value) : String(code);
}

export function describeDiagnostics(diagnostics: readonly vscode.Diagnostic[]): string {
  if (diagnostics.length === 0) return '(none)';
  return diagnostics
    .map((d) => `${d.range.start.line + 1}:${d.range.start.character + 1} [${ruleOf(d)}] ${d.message}`)
    .join('; ');
}

/**
 * Resolves with the diagnostics of `uri` as soon as `predicate` holds for them (checked now and on
 * every diagnostics change event). Rejects after `timeoutMs` with what was last seen.
 */
export function waitForDiagnostics(
  uri: vscode.Uri,
  predicate: (diagnostics: vscode.Diagnostic[]) => boolean,
  what: string,
  timeoutMs = EVENT_TIMEOUT_MS,
): Promise<vscode.Diagnostic[]> {
  return new Promise((resolve, reject) => {
    const check = (): boolean => {
      const diagnostics = vscode.languages.getDiagnostics(uri);
      if (!predicate(diagnostics)) return false;
      finish();
      resolve(diagnostics);
      return true;
    };
    const subscription = vscode.languages.onDidChangeDiagnostics((event) => {
      if (event.uris.some((changed) => changed.toString() === uri.toString())) check();
    });
    const timer = setTimeout(() => {
      finish();
      const seen = describeDiagnostics(vscode.languages.getDiagnostics(uri));
      reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what} on ${uri.path}; diagnostics: ${seen}`));
    }, timeoutMs);
    const finish = (): void => {
      clearTimeout(timer);
      subscription.dispose();
    };
    check();
  });
}

export function hasRule(rule: string): (diagnostics: vscode.Diagnostic[]) => boolean {
  return (diagnostics) => diagnostics.some((d) => ruleOf(d) === rule);
}

export function lacksRule(rule: string): (diagnostics: vscode.Diagnostic[]) => boolean {
  return (diagnostics) => !diagnostics.some((d) => ruleOf(d) === rule);
}

/** Resolves when the extension is active, by waiting on extension-change events (with a deadline). */
export function waitForActivation(ext: vscode.Extension<unknown>, timeoutMs = EVENT_TIMEOUT_MS): Promise<void> {
  if (ext.isActive) return Promise.resolve();
  return new Promise((resolve, reject) => {
    // Activation raises no public event; poll the flag with a short interval until the deadline.
    const deadline = Date.now() + timeoutMs;
    const interval = setInterval(() => {
      if (ext.isActive) {
        clearInterval(interval);
        resolve();
      } else if (Date.now() > deadline) {
        clearInterval(interval);
        reject(new Error(`extension ${ext.id} did not activate within ${timeoutMs} ms`));
      }
    }, 50);
  });
}

export async function openDovecotDocument(uri: vscode.Uri): Promise<vscode.TextEditor> {
  const document = await vscode.workspace.openTextDocument(uri);
  const editor = await vscode.window.showTextDocument(document, { preview: false });
  assert.equal(document.languageId, LANGUAGE_ID, `${uri.path} should be a ${LANGUAGE_ID} document`);
  return editor;
}

/** Creates (or overwrites) a file in the temporary test workspace. */
export async function writeWorkspaceFile(uri: vscode.Uri, text: string): Promise<void> {
  await vscode.workspace.fs.writeFile(uri, Buffer.from(text, 'utf8'));
}

export function lineOf(document: vscode.TextDocument, needle: string): number {
  for (let line = 0; line < document.lineCount; line++) {
    if (document.lineAt(line).text.includes(needle)) return line;
  }
  assert.fail(`no line containing "${needle}" in ${document.uri.path}`);
}

/** Replaces the whole text of a line (without its line break). */
export async function replaceLine(document: vscode.TextDocument, line: number, text: string): Promise<void> {
  const edit = new vscode.WorkspaceEdit();
  edit.replace(document.uri, document.lineAt(line).range, text);
  assert.ok(await vscode.workspace.applyEdit(edit), `could not edit line ${line + 1} of ${document.uri.path}`);
}

/** Restores a document's full text (used to undo a test's edits so later tests see the fixture). */
export async function setDocumentText(document: vscode.TextDocument, text: string): Promise<void> {
  const edit = new vscode.WorkspaceEdit();
  const fullRange = new vscode.Range(document.positionAt(0), document.positionAt(document.getText().length));
  edit.replace(document.uri, fullRange, text);
  assert.ok(await vscode.workspace.applyEdit(edit), `could not restore ${document.uri.path}`);
}

export async function completionLabels(
  uri: vscode.Uri,
  position: vscode.Position,
): Promise<{
  server: string[];
  snippets: string[];
}> {
  const list = await vscode.commands.executeCommand<vscode.CompletionList>(
    'vscode.executeCompletionItemProvider',
    uri,
    position,
  );
  const labelOf = (item: vscode.CompletionItem): string =>
    typeof item.label === 'string' ? item.label : item.label.label;
  const items = list?.items ?? [];
  return {
    server: items.filter((i) => i.kind !== vscode.CompletionItemKind.Snippet).map(labelOf),
    snippets: items.filter((i) => i.kind === vscode.CompletionItemKind.Snippet).map(labelOf),
  };
}

function isCommand(action: vscode.CodeAction | vscode.Command): action is vscode.Command {
  return typeof (action as vscode.Command).command === 'string';
}

/** Applies a code action the way the lightbulb does: its edit first, then its command. */
export async function applyCodeAction(action: vscode.CodeAction | vscode.Command): Promise<void> {
  if (isCommand(action)) {
    await vscode.commands.executeCommand(action.command, ...(action.arguments ?? []));
    return;
  }
  if (action.edit) {
    assert.ok(await vscode.workspace.applyEdit(action.edit), `applying "${action.title}" failed`);
  }
  if (action.command) {
    await vscode.commands.executeCommand(action.command.command, ...(action.command.arguments ?? []));
  }
}

export async function quickFixesAt(uri: vscode.Uri, range: vscode.Range): Promise<vscode.CodeAction[]> {
  const actions = await vscode.commands.executeCommand<(vscode.CodeAction | vscode.Command)[]>(
    'vscode.executeCodeActionProvider',
    uri,
    range,
    vscode.CodeActionKind.QuickFix.value,
  );
  return (actions ?? []).filter((action): action is vscode.CodeAction => !isCommand(action));
}

export async function closeAllEditors(): Promise<void> {
  await vscode.commands.executeCommand('workbench.action.closeAllEditors');
}

/** Resolves with the first open document that satisfies `predicate`, now or when one opens. */
export function waitForOpenDocument(
  predicate: (document: vscode.TextDocument) => boolean,
  what: string,
  timeoutMs = EVENT_TIMEOUT_MS,
): Promise<vscode.TextDocument> {
  const find = (): vscode.TextDocument | undefined => vscode.workspace.textDocuments.find(predicate);
  const now = find();
  if (now) return Promise.resolve(now);
  return new Promise((resolve, reject) => {
    const subscription = vscode.workspace.onDidOpenTextDocument(() => {
      const document = find();
      if (!document) return;
      clearTimeout(timer);
      subscription.dispose();
      resolve(document);
    });
    const timer = setTimeout(() => {
      subscription.dispose();
      reject(new Error(`no open document ${what} after ${timeoutMs} ms`));
    }, timeoutMs);
  });
}

/** Resolves with the open document of `uri` once it has `languageId` (now or after a language change). */
export function waitForLanguage(
  uri: vscode.Uri,
  languageId: string,
  timeoutMs = EVENT_TIMEOUT_MS,
): Promise<vscode.TextDocument> {
  return waitForOpenDocument(
    (document) => document.uri.toString() === uri.toString() && document.languageId === languageId,
    `${uri.path} in ${languageId}`,
    timeoutMs,
  );
}

export function hoverText(hovers: readonly vscode.Hover[] | undefined): string {
  return (hovers ?? [])
    .flatMap((hover) => hover.contents.map((content) => (typeof content === 'string' ? content : content.value)))
    .join('\n');
}
