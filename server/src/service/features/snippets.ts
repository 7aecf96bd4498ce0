// Replication snippets (snippets.json beside this file, bundled into the server) as LSP completion items for every
// editor, VS Code included, offered only where they are valid: at top level, never inside a section.
import { CompletionItem, CompletionItemKind, InsertTextFormat, MarkupKind } from 'vscode-languageserver-types';
import type { VersionSchema } from '../schema/versions';
import { DEFAULT_MAIL_USER } from './replicationSetup';
import snippetFile from './snippets.json';

export interface SnippetOptions {
  /** The mail user in effect (e.g. from `mail_uid`), used as the default of the mail-user tab stop. */
  mailUser?: string;
  /** One level of indentation, as the tree writes it (default two spaces). */
  indentUnit?: string;
}

interface SnippetDefinition {
  prefix: string | string[];
  description: string;
  body: string | string[];
}

interface SnippetPlacement {
  /** Only meaningful with Dovecot 2.3: 2.4 removed the replicator, aggregator and mail_replica (FACTS §4.1). */
  replicationOnly: boolean;
  /** Tab stop whose default is the mail user, if any. */
  mailUserTabStop?: number;
}

// Every snippet in the file is a top-level block or top-level settings. Keyed by snippet name;
// test/snippets.test.ts checks this table and the JSON file name the same snippets.
export const SNIPPET_PLACEMENT: Readonly<Record<string, SnippetPlacement>> = {
  'service aggregator (replication notify)': { replicationOnly: true, mailUserTabStop: 1 },
  'service replicator': { replicationOnly: true, mailUserTabStop: 1 },
  'service doveadm (TCP listener)': { replicationOnly: false },
  'plugin mail_replica (tcp/tcps)': { replicationOnly: true },
  'plugin mail_replica (remote via ssh)': { replicationOnly: true },
  'doveadm port and password': { replicationOnly: false },
  'replication setup (tcp)': { replicationOnly: true, mailUserTabStop: 1 },
  'replication setup (tcps)': { replicationOnly: true, mailUserTabStop: 1 },
};

const SNIPPETS = snippetFile as Record<string, SnippetDefinition>;
const USER_NAME = /^[A-Za-z0-9_][A-Za-z0-9._-]*$/;

export function snippetNames(): string[] {
  return Object.keys(SNIPPETS);
}

/**
 * Completion items for the snippets valid at the cursor. `context` is the section-type path at the
 * cursor ('' at top level, 'service', 'service/inet_listener', 'plugin', ...).
 */
export function snippetCompletions(
  context: string,
  version: Pick<VersionSchema, 'hasReplicator'>,
  options: SnippetOptions = {},
): CompletionItem[] {
  if (context !== '') return [];
  const items: CompletionItem[] = [];
  for (const [name, definition] of Object.entries(SNIPPETS)) {
    const placement = SNIPPET_PLACEMENT[name];
    if (!placement) continue;
    if (placement.replicationOnly && !version.hasReplicator) continue;
    items.push(toCompletionItem(name, definition, placement, options));
  }
  return items;
}

function toCompletionItem(
  name: string,
  definition: SnippetDefinition,
  placement: SnippetPlacement,
  options: SnippetOptions,
): CompletionItem {
  const prefixes = Array.isArray(definition.prefix) ? definition.prefix : [definition.prefix];
  return {
    label: prefixes[0],
    kind: CompletionItemKind.Snippet,
    detail: name,
    documentation: { kind: MarkupKind.PlainText, value: definition.description },
    filterText: prefixes[0],
    insertTextFormat: InsertTextFormat.Snippet,
    insertText: snippetText(definition, placement, options),
  };
}

/** The snippet body as one string, tabs as the tree's indentation unit (two spaces by default), mail user applied. */
export function snippetText(
  definition: SnippetDefinition,
  placement: SnippetPlacement,
  options: SnippetOptions = {},
): string {
  const lines = Array.isArray(definition.body) ? definition.body : [definition.body];
  const unit = options.indentUnit ?? '  ';
  let text = lines.map((line) => line.replace(/^\t+/, (tabs) => unit.repeat(tabs.length))).join('\n');
  const user = options.mailUser;
  if (placement.mailUserTabStop !== undefined && user && user !== DEFAULT_MAIL_USER && USER_NAME.test(user)) {
    text = text
      .split(`\${${placement.mailUserTabStop}:${DEFAULT_MAIL_USER}}`)
      .join(`\${${placement.mailUserTabStop}:${user}}`);
  }
  return text;
}
