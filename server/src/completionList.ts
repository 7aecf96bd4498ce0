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
import { sameRange } from './service/syntax/ranges';
import { sendUnchanged } from './stdioWriter';

function acceptedItemDefaults(capabilities: ClientCapabilities): string[] {
  return capabilities.textDocument?.completion?.completionList?.itemDefaults ?? [];
}

export function acceptsEditRangeDefault(capabilities: ClientCapabilities): boolean {
  return acceptedItemDefaults(capabilities).includes('editRange');
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
 * details too; `range` and `format` are list defaults, and so is `list` as the items' data when
 * `listData` is set (a deferred item is then found again by its label and kind).
 */
interface WireShape {
  list?: number;
  detail?: boolean;
  range?: Range;
  format?: InsertTextFormat;
  listData?: boolean;
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
  if (deferred && !shape.listData) wire.data = [shape.list, index];
  return wire as unknown as CompletionItem;
}

/** What tells an item from the others of its list when its data is the list's (a snippet may share a setting's label). */
const labelAndKind = (item: CompletionItem): string => `${item.kind ?? ''} ${item.label}`;

/** Where each item stands, by label and kind. */
function labelIndexOf(items: readonly CompletionItem[]): Map<string, number> {
  return new Map(items.map((item, index) => [labelAndKind(item), index]));
}

/**
 * The list as sent, what its deferred items resolve to (by index; empty when nothing is deferred) and, when
 * the items' data is the list's default, where each item stands by label and kind.
 */
function wireList(
  items: readonly CompletionItem[],
  options: { list?: number; detail?: boolean; itemDefaults: boolean; dataDefault?: boolean },
): Pick<SentList, 'wire' | 'deferred' | 'labelIndex'> {
  const range = options.itemDefaults ? sharedEditRange(items) : undefined;
  const format = range === undefined ? undefined : sharedFormat(items);
  const byLabel = options.list !== undefined && options.dataDefault === true ? labelIndexOf(items) : undefined;
  const labelIndex = byLabel?.size === items.length ? byLabel : undefined;
  const listData = labelIndex !== undefined;
  const shape: WireShape = { list: options.list, detail: options.detail, range, format, listData };
  const sent: CompletionItem[] = [];
  const deferred: (Deferred | undefined)[] = [];
  items.forEach((item, index) => {
    sent.push(wireItem(item, index, shape));
    if (options.list !== undefined) deferred.push(deferredPart(item, shape));
  });
  if (!options.itemDefaults) return { wire: sent, deferred, labelIndex };
  const itemDefaults: CompletionList['itemDefaults'] = {};
  if (range !== undefined) itemDefaults.editRange = range;
  if (format !== undefined) itemDefaults.insertTextFormat = format;
  if (listData) itemDefaults.data = options.list;
  const wire: CompletionList =
    Object.keys(itemDefaults).length === 0
      ? { isIncomplete: false, items: sent }
      : { isIncomplete: false, itemDefaults, items: sent };
  return { wire, deferred, labelIndex };
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
  /** Where each item stands, by label and kind, for a list whose items' data is the list's default. */
  labelIndex?: ReadonlyMap<string, number>;
}

/**
 * Where a resolved item stood in the list sent, from its data: [list, index], or the list's id when that
 * is the items' data default (the item is then found by its label and kind).
 */
function indexInList(list: SentList, item: CompletionItem): number | undefined {
  const data: unknown = item.data;
  if (Array.isArray(data) && data[0] === list.id && typeof data[1] === 'number') return data[1];
  return data === list.id ? list.labelIndex?.get(labelAndKind(item)) : undefined;
}

/**
 * Completion lists as one client takes them. The documentation of the list sent last is kept for
 * completionItem/resolve (data: [list, index], or the list's id as the list's default); an item of an
 * older list resolves to itself.
 */
export class CompletionLists {
  private lastId = 0;
  private current?: SentList;
  private readonly made = new WeakMap<readonly CompletionItem[], SentList>();

  constructor(
    private readonly client: {
      resolvesDocumentation: boolean;
      resolvesDetail?: boolean;
      itemDefaults: boolean;
      dataDefault?: boolean;
    },
  ) {}

  static for(capabilities: ClientCapabilities): CompletionLists {
    const itemDefaults = acceptsEditRangeDefault(capabilities);
    return new CompletionLists({
      resolvesDocumentation: resolvesDocumentation(capabilities),
      resolvesDetail: resolvesDetail(capabilities),
      itemDefaults,
      dataDefault: itemDefaults && acceptedItemDefaults(capabilities).includes('data'),
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
      const { itemDefaults, dataDefault } = this.client;
      sent = { id, ...wireList(items, { list, detail, itemDefaults, dataDefault }) };
      this.made.set(items, sent);
      sendUnchanged(sent.wire);
    }
    this.current = sent;
    return sent.wire;
  }

  /** The item with what was left out of the list sent last (documentation, detail); else the item unchanged. */
  resolve(item: CompletionItem): CompletionItem {
    const list = this.current;
    const index = list && indexInList(list, item);
    if (!list || index === undefined) return item;
    const deferred = list.deferred[index];
    if (deferred === undefined) return item;
    const resolved: CompletionItem = { ...item };
    if (deferred.documentation !== undefined) resolved.documentation = deferred.documentation;
    if (deferred.detail !== undefined) resolved.detail = deferred.detail;
    return resolved;
  }
}
