// Quick fixes for the mail_plugins of replication: notify and replication loaded everywhere mail is handled.
import { tokensOf } from '../../analysis/replicationFacts';
import { filtersOf } from '../../model/model';
import { makeFix, type PlannedEdit } from '../fixEdits';
import type { PlannedFix } from '../quickFix';
import { insertTopLevelSetting, isTopLevel, provider } from './fixContext';

export const notifyMissing = provider((ctx) => {
  const entry = ctx.entry;
  if (!entry || entry.node.key !== 'mail_plugins') return [];
  const valueLine = entry.node.valueRange.start.line;
  const line = ctx.editor.textLines(entry.file).lineText(valueLine);
  const at = line.indexOf('replication', entry.node.valueRange.start.character);
  const edit: PlannedEdit =
    at >= 0
      ? {
          file: entry.file,
          range: { start: { line: valueLine, character: at }, end: { line: valueLine, character: at } },
          text: 'notify ',
        }
      : ctx.editor.appendToValue(entry, ['notify']);
  return [makeFix('Add notify to mail_plugins', [edit], true)];
});

export const pluginMissing = provider((ctx) => {
  const global = ctx.facts.globalPlugins;
  const missing = ['notify', 'replication'].filter((plugin) => !global.tokens.includes(plugin));
  // `mail_plugins = <file`: the plugins are in that file, and `$mail_plugins` after it would expand to
  // the literal `<file` (doveconf 2.3.19 -n prints `<file notify replication`): no edit is right.
  if (global.entry?.node.valueKind === 'file') return [];
  if (global.entry && isTopLevel(ctx.editor, global.entry)) {
    return [
      makeFix(`Add ${missing.join(' ')} to mail_plugins`, [ctx.editor.appendToValue(global.entry, missing)], true),
    ];
  }
  const line = 'mail_plugins = $mail_plugins notify replication';
  const firstProtocolValue = ctx.quick.analysis.model.settings.find(
    (entry) => entry.node.key === 'mail_plugins' && filtersOf(entry.frames).length > 0,
  );
  // A protocol block expands $mail_plugins when it is read (FACTS §1.7): the global line must come first.
  const protocolBlock = firstProtocolValue?.frames[0];
  const neighbours = ['mail_location', 'mail_gid', 'mail_uid'];
  const neighbour = ctx.quick.analysis.model.settings
    .filter((entry) => neighbours.includes(entry.node.key) && isTopLevel(ctx.editor, entry))
    .pop();
  const beforeProtocol =
    protocolBlock &&
    ctx.editor.isTopLevelFile(protocolBlock.file) &&
    (!neighbour || neighbour.order > firstProtocolValue!.order);
  const edit = beforeProtocol
    ? ctx.editor.insertLines(protocolBlock.file, protocolBlock.section.headerRange.start.line, [line])
    : insertTopLevelSetting(ctx, neighbours, line);
  return [makeFix('Load notify and replication in mail_plugins', [edit], true)];
});

export const protocolPluginsDropped = provider((ctx) => {
  const entry = ctx.entry;
  if (!entry || entry.node.key !== 'mail_plugins') return [];
  const global = ctx.facts.globalPlugins.entry;
  const usesGlobal = entry.node.variables.some((variable) => variable.name === 'mail_plugins');
  const tokens = tokensOf(ctx.quick.analysis.effective.value('mail_plugins').value);
  const own = tokensOf(entry.node.value);
  const dropped = ['notify', 'replication'].filter((plugin) => tokens.includes(plugin) && !own.includes(plugin));
  const fixes: PlannedFix[] = [];
  if (!usesGlobal && entry.node.valueKind !== 'quoted' && global && global.order < entry.order) {
    const start = entry.node.valueRange.start;
    const text = entry.node.value === '' ? '$mail_plugins' : '$mail_plugins ';
    fixes.push(
      makeFix('Start the value with $mail_plugins', [{ file: entry.file, range: { start, end: start }, text }], true),
    );
  }
  fixes.push(
    makeFix(
      `Add ${dropped.join(' ')} to this protocol's mail_plugins`,
      [ctx.editor.appendToValue(entry, dropped)],
      fixes.length === 0,
    ),
  );
  return fixes;
});
