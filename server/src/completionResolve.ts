// Completion lists leave the documentation of their items to completionItem/resolve when the client
// resolves it (VS Code, Neovim): a top-level list holds hundreds of settings, and their documentation
// is most of what would be sent for each keystroke. The last list's documentation is kept until the next one.
import type { ClientCapabilities, CompletionItem } from 'vscode-languageserver';

interface ResolveData {
  /** The list the item came from; an item of an older list resolves to itself. */
  list: number;
  index: number;
}

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
      const data: ResolveData = { list: this.list, index };
      // An undefined property is left out of the JSON sent.
      return { ...item, documentation: undefined, data };
    });
  }

  resolve(item: CompletionItem): CompletionItem {
    const data = item.data as Partial<ResolveData> | undefined;
    if (data?.list !== this.list || typeof data.index !== 'number') return item;
    const documentation = this.documentation[data.index];
    return documentation === undefined ? item : { ...item, documentation };
  }
}
