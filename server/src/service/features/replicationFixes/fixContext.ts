// What every replication quick fix works with: the facts of the tree (and of the peer), an editor,
// and where new settings and sections go.
import {
  deriveReplicationFacts,
  listenerFor,
  mailUserName,
  replicaPort,
  type InetListener,
  type ReplicaTarget,
  type ReplicationFacts,
} from '../../analysis/replicationFacts';
import type { MergedSection } from '../../model/effective';
import type { Placed } from '../../model/model';
import type { SettingNode } from '../../syntax/nodes';
import { TreeEditor, makeFix, ph, settingAt, type Part, type PlannedEdit, type Text } from '../fixEdits';
import type { PlannedFix, QuickFixContext, QuickFixProvider } from '../quickFix';
import { DEFAULT_DOVEADM_PORT, DEFAULT_MAIL_USER } from '../replicationSetup';

export const DEFAULT_PORT = String(DEFAULT_DOVEADM_PORT);
export const PEER_HOST = 'peer.example.com';
export const MAIL_USER = DEFAULT_MAIL_USER;

/** What every replication fix works with: the facts of this tree (and of the peer) and an editor. */
export interface FixContext {
  quick: QuickFixContext;
  facts: ReplicationFacts;
  editor: TreeEditor;
  entry?: Placed<SettingNode>;
}

export function fixContext(quick: QuickFixContext): FixContext {
  const { model, effective } = quick.analysis;
  return {
    quick,
    facts: deriveReplicationFacts({ model, effective, host: quick.host }),
    editor: new TreeEditor(model),
    entry: settingAt(model, quick.file, quick.diagnostic.range),
  };
}

export function peerFacts(ctx: FixContext): { facts: ReplicationFacts; editor: TreeEditor } | undefined {
  const peer = ctx.quick.analysis.peer;
  if (!peer) return undefined;
  return {
    facts: deriveReplicationFacts({ model: peer.model, effective: peer.effective, host: ctx.quick.host }),
    editor: new TreeEditor(peer.model),
  };
}

export function provider(build: (ctx: FixContext) => (PlannedFix | undefined)[]): QuickFixProvider {
  return (quick) => build(fixContext(quick)).filter((fix): fix is PlannedFix => fix !== undefined);
}

export const mailUser = (facts: ReplicationFacts): Part => mailUserName(facts) ?? ph(MAIL_USER);
export const knownPort = (facts: ReplicationFacts): number | undefined =>
  replicaPort(facts) ?? facts.dsyncListeners[0]?.port;
export const portPart = (facts: ReplicationFacts): Part => String(knownPort(facts) ?? '') || ph(DEFAULT_PORT);

export function isTopLevel(editor: TreeEditor, placed: { file: string; frames: unknown[] }): boolean {
  return placed.frames.length === 0 && editor.isTopLevelFile(placed.file);
}

/** After the top-level statement (of its own file) that holds the anchor of the replication setup. */
export function afterAnchor(ctx: FixContext): { file: string; line: number } {
  const anchor = ctx.facts.anchor;
  const { editor } = ctx;
  if (anchor && editor.isTopLevelFile(anchor.file)) {
    const statement = editor.topStatementAt(anchor.file, anchor.range.start.line);
    if (statement) return { file: anchor.file, line: statement.range.end.line + 1 };
  }
  const root = ctx.quick.analysis.model.root;
  return { file: root, line: editor.textLines(root).lineCount };
}

/** Where a new top-level setting goes: after the last top-level assignment of a related key, else after the anchor. */
export function topLevelSettingPlace(ctx: FixContext, neighbours: string[]): { file: string; line: number } {
  const related = ctx.quick.analysis.model.settings.filter(
    (entry) => neighbours.includes(entry.node.key) && isTopLevel(ctx.editor, entry),
  );
  const last = related[related.length - 1];
  return last ? { file: last.file, line: last.node.range.end.line + 1 } : afterAnchor(ctx);
}

export function insertTopLevelSetting(ctx: FixContext, neighbours: string[], ...lines: Text[]): PlannedEdit {
  const place = topLevelSettingPlace(ctx, neighbours);
  return ctx.editor.insertLines(place.file, place.line, lines);
}

/** A new top-level section: after the last top-level block of one of the given kinds, else after the anchor. */
export function insertTopLevelSection(
  ctx: FixContext,
  after: (type: string, name: string) => boolean,
  lines: Text[],
): PlannedEdit {
  const { editor } = ctx;
  const blocks = ctx.quick.analysis.model.sections.filter(
    (placed) => after(placed.node.type, placed.node.name) && placed.node.closeRange && isTopLevel(editor, placed),
  );
  const last = blocks[blocks.length - 1];
  const place = last ? { file: last.file, line: last.node.closeRange!.end.line + 1 } : afterAnchor(ctx);
  return editor.insertLines(place.file, place.line, ['', ...lines]);
}

export const isService = (type: string) => type === 'service';

export function nested(lines: Text[], unit = '  '): Text[] {
  return lines.map((line) => (line === '' ? line : [unit, ...(Array.isArray(line) ? line : [line])]));
}
export function replicaText(
  replica: ReplicaTarget,
  change: { transport?: string; host?: Part; port?: Part | null },
): Part[] {
  const host = change.host ?? replica.host ?? '';
  const bracket = typeof host === 'string' && host.includes(':');
  const port =
    change.port === null ? undefined : (change.port ?? (replica.port !== undefined ? String(replica.port) : undefined));
  return [
    `${change.transport ?? replica.transport}:`,
    ...(bracket ? ['[', host, ']'] : [host]),
    ...(port !== undefined ? [':', port] : []),
  ];
}

export function setReplica(
  ctx: FixContext,
  title: string,
  change: Parameters<typeof replicaText>[1],
  preferred = true,
): PlannedFix | undefined {
  const replica = ctx.facts.replica;
  if (!replica || replica.entry.node.valueKind === 'file') return undefined;
  return makeFix(title, [ctx.editor.replaceValue(replica.entry, replicaText(replica, change))], preferred);
}

/** `key = value` inside a merged section: replace the value, or add the line. */
export function setInSection(
  editor: TreeEditor,
  section: MergedSection,
  key: string,
  value: Text,
): PlannedEdit | undefined {
  const entry = section.settings.get(key);
  return entry
    ? editor.replaceValue(entry, value)
    : editor.insertIntoSection(section, [[`${key} = `, ...(Array.isArray(value) ? value : [value])]]);
}

export function replaceSetting(ctx: FixContext, title: string, value: Text): PlannedFix[] {
  return ctx.entry ? [makeFix(title, [ctx.editor.replaceValue(ctx.entry, value)], true)] : [];
}
export function peerHostGuess(ctx: FixContext): Part {
  const peer = peerFacts(ctx)?.facts.dsyncListeners[0]?.addresses.find(
    (address) => !['*', '::', '0.0.0.0'].includes(address),
  );
  return ph(peer ?? PEER_HOST);
}
export function ownListener(facts: ReplicationFacts): InetListener | undefined {
  return listenerFor(facts, replicaPort(facts));
}

export function listenerSsl(
  editor: TreeEditor,
  listener: InetListener | undefined,
  value: 'yes' | 'no',
): PlannedEdit | undefined {
  return listener && setInSection(editor, listener.section, 'ssl', value);
}
