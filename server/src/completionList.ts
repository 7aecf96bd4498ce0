// What a completion list looks like on the wire, as the client's capabilities allow, made in one pass:
// - documentation left to completionItem/resolve for clients that resolve it (VS Code, Neovim): a
//   top-level list holds hundreds of settings, and their documentation is most of what would be sent;
// - a list whose items all replace the same range sends that range once, as the list's default (LSP 3.17
//   itemDefaults), for clients that accept it (VS Code): each item then carries only its text.
// The language service returns the same array for the same list (completion.ts keeps them per analysis):
// such a list is sent as it was made the first time, and its items resolve as they did.
import type {
  ClientCapabilities,
  CompletionItem,
  CompletionList,
  InsertTextFormat,
  Range,
} from 'vscode-languageserver';

export function acceptsEditRangeDefault(capabilities: ClientCapabilities): boolean {
  return capabilities.textDocument?.completion?.completionList?.itemDefaults?.includes('editRange') === true;
}

function resolvedProperties(capabilities: ClientCapabilities): string[] {
  return capabilities.textDocument?.completion?.completionItem?.resolveSupport?.properties ?? [];
}

export function resolvesDocumentation(capabilities: ClientCapabilities): boolean {
  return resolvedProperties(capabilities).includes('documentation');
}

/** The client fills in an item's detail through resolve (VS Code shows it for the selected item only). */
export function resolvesDetail(capabilities: ClientCapabilities): boolean {
  return resolvesDocumentation(capabilities) && resolvedProperties(capabilities).includes('detail');
}

const sameRange = (a: Range, b: Range): boolean =>
  a.start.line === b.start.line &&
  a.start.character === b.start.character &&
  a.end.line === b.end.line &&
  a.end.character === b.end.character;

function editRangeOf(item: CompletionItem): Range | undefined {
  const edit = item.textEdit;
  return edit && 'range' in edit ? edit.range : undefined;
}

/** The range every item replaces, when there is one; an item without its own edit (a snippet's insertText) fits any. */
function sharedEditRange(items: readonly CompletionItem[]): Range | undefined {
  let range: Range | undefined;
  for (const item of items) {
    if (item.additionalTextEdits !== undefined) return undefined;
    const own = editRangeOf(item);
    if (own === undefined) {
      if (item.textEdit !== undefined) return undefined;
    } else if (range === undefined) {
      range = own;
    } else if (!sameRange(own, range)) {
      return undefined;
    }
  }
  return range;
}

function sharedFormat(items: readonly CompletionItem[]): InsertTextFormat | undefined {
  const format = items[0]?.insertTextFormat;
  return format !== undefined && items.every((item) => item.insertTextFormat === format) ? format : undefined;
}

/**
 * How items travel: `list` marks deferred documentation (undefined: sent inline), `detail` deferred
 * details too; `range` and `format` are list defaults.
 */
interface WireShape {
  list?: number;
  detail?: boolean;
  range?: Range;
  format?: InsertTextFormat;
}

/** What resolve adds to an item whose documentation (and detail) were left out of the list. */
interface Deferred {
  documentation?: CompletionItem['documentation'];
  detail?: string;
}

function isDeferred(item: CompletionItem, shape: WireShape): boolean {
  return (
    shape.list !== undefined &&
    (item.documentation !== undefined || (shape.detail === true && item.detail !== undefined))
  );
}

function deferredPart(item: CompletionItem, shape: WireShape): Deferred | undefined {
  if (!isDeferred(item, shape)) return undefined;
  return shape.detail
    ? { documentation: item.documentation, detail: item.detail }
    : { documentation: item.documentation };
}

/** One item as sent: only its defined properties, less what the list's defaults or resolve carry. */
function wireItem(item: CompletionItem, index: number, shape: WireShape): CompletionItem {
  const wire: Record<string, unknown> = {};
  const deferred = isDeferred(item, shape);
  for (const key in item) {
    const value = item[key as keyof CompletionItem];
    if (value === undefined || (deferred && (key === 'documentation' || key === 'data'))) continue;
    if (deferred && shape.detail && key === 'detail') continue;
    if (shape.range !== undefined) {
      if (key === 'textEdit' || key === 'insertText') continue;
      // The label is the filter text when none is given.
      if (key === 'filterText' && value === item.label) continue;
      if (key === 'insertTextFormat' && shape.format !== undefined) continue;
    }
    wire[key] = value;
  }
  if (shape.range !== undefined) {
    const text = item.textEdit?.newText ?? item.insertText ?? item.label;
    if (text !== item.label) wire.textEditText = text;
  }
  if (deferred) wire.data = [shape.list, index];
  return wire as unknown as CompletionItem;
}

/** The list as sent, and what its deferred items resolve to (by index; empty when nothing is deferred). */
function wireList(
  items: readonly CompletionItem[],
  options: { list?: number; detail?: boolean; itemDefaults: boolean },
): { wire: CompletionItem[] | CompletionList; deferred: (Deferred | undefined)[] } {
  const range = options.itemDefaults ? sharedEditRange(items) : undefined;
  const format = range === undefined ? undefined : sharedFormat(items);
  const shape: WireShape = { list: options.list, detail: options.detail, range, format };
  const sent = items.map((item, index) => wireItem(item, index, shape));
  const deferred = options.list === undefined ? [] : items.map((item) => deferredPart(item, shape));
  if (!options.itemDefaults) return { wire: sent, deferred };
  if (range === undefined) return { wire: { isIncomplete: false, items: sent }, deferred };
  const itemDefaults = format === undefined ? { editRange: range } : { editRange: range, insertTextFormat: format };
  return { wire: { isIncomplete: false, itemDefaults, items: sent }, deferred };
}

/**
 * The list with the shared edit range (and insert text format) as defaults; the items as they are when
 * their ranges differ. An item without its own edit (a snippet's insertText) then replaces the same
 * range, as VS Code does with the word at the cursor.
 */
export function withItemDefaults(items: readonly CompletionItem[]): CompletionList {
  return wireList(items, { itemDefaults: true }).wire as CompletionList;
}

/** The wire form of one list of the service, with what its deferred items resolve to. */
interface SentList {
  id: number;
  wire: CompletionItem[] | CompletionList;
  deferred: (Deferred | undefined)[];
}

/**
 * Completion lists as one client takes them. The documentation of the list sent last is kept for
 * completionItem/resolve (data: [list, index]); an item of an older list resolves to itself.
 */
export class CompletionLists {
  private lastId = 0;
  private current?: SentList;
  private readonly made = new WeakMap<readonly CompletionItem[], SentList>();

  constructor(
    private readonly client: { resolvesDocumentation: boolean; resolvesDetail?: boolean; itemDefaults: boolean },
  ) {}

  static for(capabilities: ClientCapabilities): CompletionLists {
    return new CompletionLists({
      resolvesDocumentation: resolvesDocumentation(capabilities),
      resolvesDetail: resolvesDetail(capabilities),
      itemDefaults: acceptsEditRangeDefault(capabilities),
    });
  }

  get resolvesDocumentation(): boolean {
    return this.client.resolvesDocumentation;
  }

  /** What to send for `items`; the same array of the service is sent as it was the first time. */
  toSend(items: readonly CompletionItem[]): CompletionItem[] | CompletionList {
    let sent = this.made.get(items);
    if (!sent) {
      const id = ++this.lastId;
      const list = this.client.resolvesDocumentation ? id : undefined;
      const detail = list !== undefined && this.client.resolvesDetail === true;
      sent = { id, ...wireList(items, { list, detail, itemDefaults: this.client.itemDefaults }) };
      this.made.set(items, sent);
    }
    this.current = sent;
    return sent.wire;
  }

  /** The item with what was left out of the list sent last (documentation, detail); else the item unchanged. */
  resolve(item: CompletionItem): CompletionItem {
    const data: unknown = item.data;
    const list = this.current;
    if (!list || !Array.isArray(data) || data[0] !== list.id || typeof data[1] !== 'number') return item;
    const deferred = list.deferred[data[1]];
    if (deferred === undefined) return item;
    const resolved: CompletionItem = { ...item };
    if (deferred.documentation !== undefined) resolved.documentation = deferred.documentation;
    if (deferred.detail !== undefined) resolved.detail = deferred.detail;
    return resolved;
  }
}
