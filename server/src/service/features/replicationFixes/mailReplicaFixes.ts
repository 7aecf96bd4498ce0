// Quick fixes for `mail_replica`: present, well formed, inside plugin { }, pointing at the peer on the right port.
import { contextOf } from '../../model/model';
import { makeFix, ph, type Part } from '../fixEdits';
import {
  afterAnchor,
  DEFAULT_PORT,
  insertTopLevelSection,
  isTopLevel,
  nested,
  PEER_HOST,
  peerHostGuess,
  portPart,
  provider,
  replaceSetting,
  replicaText,
  setReplica,
} from './fixContext';

export const replicaMissing = provider((ctx) => {
  const line: Part[] = ['mail_replica = tcp:', peerHostGuess(ctx), ':', portPart(ctx.facts)];
  const plugin = ctx.quick.analysis.effective
    .sections('plugin')
    .find((section) => section.occurrences.some((o) => o.node.closeRange && isTopLevel(ctx.editor, o)));
  const intoPlugin = plugin && ctx.editor.insertIntoSection(plugin, [line]);
  const edit =
    intoPlugin ??
    insertTopLevelSection(ctx, () => false, [
      'plugin {',
      ...nested([line], ctx.editor.indentUnit(afterAnchor(ctx).file)),
      '}',
    ]);
  return [makeFix('Add mail_replica to plugin { }', [edit], true)];
});

export const replicaMalformed = provider((ctx) => {
  const replica = ctx.facts.replica;
  if (!replica) return [];
  const bare = /^(?:[a-z]+:)?(\[[^\]]+\]|[\w.-]+)(?::(\d+))?$/i.exec(replica.text);
  const host = replica.host ?? (bare ? bare[1].replace(/^\[|\]$/g, '') : undefined);
  const port = bare?.[2] !== undefined && replica.transport === undefined ? bare[2] : undefined;
  const value = replicaText(
    { ...replica, transport: replica.transport === 'tcps' ? 'tcps' : 'tcp', port: undefined },
    {
      host: host ?? ph(PEER_HOST),
      port: port ?? (String(ctx.facts.doveadmPort.port ?? ctx.facts.dsyncListeners[0]?.port ?? '') || ph(DEFAULT_PORT)),
    },
  );
  if (replica.entry.node.valueKind === 'file') return [];
  const title = `Write mail_replica as ${replica.transport === 'tcps' ? 'tcps' : 'tcp'}:HOST:PORT`;
  return [makeFix(title, [ctx.editor.replaceValue(replica.entry, value)], true)];
});

export const replicaOutsidePlugin = provider((ctx) => {
  const entry = ctx.entry;
  if (!entry || contextOf(entry.frames) !== '') return [];
  const line = `mail_replica = ${entry.node.rawValue}`;
  const plugin = ctx.quick.analysis.effective.sections('plugin')[0];
  const into = plugin && ctx.editor.insertIntoSection(plugin, [line]);
  const { start, end } = entry.node.range;
  if (into)
    return [
      makeFix(
        'Move mail_replica into plugin { }',
        [ctx.editor.deleteLines(entry.file, start.line, end.line), into],
        true,
      ),
    ];
  const indent = ctx.editor.indentOf(entry.file, start.line);
  const unit = ctx.editor.indentUnit(entry.file);
  const eol = ctx.editor.eol(entry.file);
  const text = `plugin {${eol}${indent}${unit}${line}${eol}${indent}}`;
  return [makeFix('Wrap mail_replica in plugin { }', [{ file: entry.file, range: entry.node.range, text }], true)];
});

export const replicaSelf = provider((ctx) => [
  setReplica(ctx, 'Point mail_replica at the peer', { host: peerHostGuess(ctx) }),
]);

export const portMissing = provider((ctx) => {
  const port = String(ctx.facts.dsyncListeners[0]?.port ?? '') || ph(DEFAULT_PORT);
  return [setReplica(ctx, 'Add the doveadm port to mail_replica', { port })];
});

export const portMismatch = provider((ctx) => {
  const port = String(ctx.facts.dsyncListeners[0]?.port ?? '');
  if (port === '') return [];
  if (ctx.entry?.node.key === 'doveadm_port')
    return replaceSetting(ctx, `Use port ${port} (this host's doveadm listener)`, port);
  return [setReplica(ctx, `Use port ${port} (this host's doveadm listener)`, { port })];
});
