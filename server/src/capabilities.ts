// What the client can take, read once from its initialize request, and what the server offers in return.
import {
  CodeActionKind,
  TextDocumentSyncKind,
  type ClientCapabilities,
  type ServerCapabilities,
} from 'vscode-languageserver/node';
import { DOVECONF_CHECK_COMMAND } from './protocol';

export interface ClientSupport {
  /** workspace/configuration: the server asks for the `dovecot` section. */
  configuration: boolean;
  /** LSP 3.18's snippetEditSupport (SnippetTextEdit inside documentChanges); clients without it get plain edits. */
  snippetEdits: boolean;
  changeAnnotations: boolean;
  inlayHintRefresh: boolean;
}

export function clientSupport(capabilities: ClientCapabilities): ClientSupport {
  const workspaceEdit = capabilities.workspace?.workspaceEdit;
  return {
    configuration: capabilities.workspace?.configuration === true,
    snippetEdits:
      workspaceEdit?.documentChanges === true &&
      (workspaceEdit as { snippetEditSupport?: boolean }).snippetEditSupport === true,
    changeAnnotations: workspaceEdit?.documentChanges === true && workspaceEdit.changeAnnotationSupport !== undefined,
    inlayHintRefresh: capabilities.workspace?.inlayHint?.refreshSupport === true,
  };
}

/** The server's capabilities; completion items are resolved when the client takes their documentation that way. */
export function serverCapabilities(resolvesCompletions: boolean): ServerCapabilities {
  return {
    textDocumentSync: TextDocumentSyncKind.Incremental,
    completionProvider: {
      triggerCharacters: [' ', '=', '$', ':', '!', '<', '/'],
      resolveProvider: resolvesCompletions,
    },
    hoverProvider: true,
    codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix, CodeActionKind.RefactorRewrite] },
    documentSymbolProvider: true,
    foldingRangeProvider: true,
    selectionRangeProvider: true,
    documentLinkProvider: { resolveProvider: false },
    definitionProvider: true,
    referencesProvider: true,
    documentHighlightProvider: true,
    workspaceSymbolProvider: true,
    inlayHintProvider: true,
    documentFormattingProvider: true,
    documentRangeFormattingProvider: true,
    executeCommandProvider: { commands: [DOVECONF_CHECK_COMMAND] },
  };
}
