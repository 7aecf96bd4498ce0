// Completion lists leave the documentation of their items to completionItem/resolve when the client
// resolves it (VS Code, Neovim): a top-level list holds hundreds of settings, and their documentation
// is most of what would be sent for each keystroke. The last list's documentation is kept until the next one.
import type { ClientCapabilities, CompletionItem } from 'vscode-languageserver';

/** The list the item came from (an item of an older list resolves to itself) and its place in it. */
type ResolveData = [list: number, index: number];

export function resolvesDocumentation(capabilities: ClientCapabilities): boolean {
  const properties = capabilities.textDocument?.completion?.completionItem?.resolveSupport?.properties ?? [];
  return properties.includes('documentation');
}

export class DeferredDocumentation {
  private list = 0;
  private documentation: CompletionItem['documentation'][] = [];

  /** The items without their documentation, each marked so that resolve() finds it again. */
  defer(items: CompletionItem[]): CompletionItem[] {
    this.list++;
    this.documentation = items.map((item) => item.documentation);
    return items.map((item, index) => {
      if (item.documentation === undefined) return item;
      const data: ResolveData = [this.list, index];
      // An undefined property is left out of the JSON sent.
      return { ...item, documentation: undefined, data };
    });
  }

  resolve(item: CompletionItem): CompletionItem {
    const data: unknown = item.data;
    if (!Array.isArray(data) || data[0] !== this.list || typeof data[1] !== 'number') return item;
    const documentation = this.documentation[data[1]];
    return documentation === undefined ? item : { ...item, documentation };
  }
}
