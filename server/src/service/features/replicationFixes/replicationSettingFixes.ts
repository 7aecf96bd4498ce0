// Quick fixes for the replicator's own settings and the userdb it lists users from.
import { makeFix, ph, type Text } from '../fixEdits';
import { insertTopLevelSection, provider, replaceSetting } from './fixContext';

export const maxConns = provider((ctx) => replaceSetting(ctx, 'Use the default replication_max_conns = 10', '10'));

export const syncTimeout = provider((ctx) => {
  const digits = /^\s*(\d+)/.exec(ctx.entry?.node.value ?? '')?.[1];
  return replaceSetting(ctx, 'Write replication_sync_timeout in plain seconds', digits ?? ph('2'));
});

export const settingInPlugin = provider((ctx) => {
  const entry = ctx.entry;
  const plugin = entry?.frames[entry.frames.length - 1];
  if (
    !entry ||
    !plugin ||
    plugin.file !== entry.file ||
    entry.frames.length !== 1 ||
    !ctx.editor.isTopLevelFile(entry.file)
  )
    return [];
  const header = plugin.section.headerRange.start.line;
  const indent = ctx.editor.indentOf(entry.file, header);
  const { start, end } = entry.node.range;
  return [
    makeFix(
      `Move ${entry.node.key} out of plugin { }`,
      [
        ctx.editor.insertLines(entry.file, header, [`${indent}${entry.node.key} = ${entry.node.rawValue}`]),
        ctx.editor.deleteLines(entry.file, start.line, end.line),
      ],
      true,
    ),
  ];
});

export const userdbNotIterable = provider((ctx) => {
  const lines: Text[] = [
    'userdb {',
    '  driver = passwd-file',
    ['  args = ', ph('username_format=%u /etc/dovecot/users')],
    '}',
  ];
  return [
    makeFix(
      'Add a passwd-file userdb the replicator can list users from',
      [insertTopLevelSection(ctx, (type) => type === 'userdb', lines)],
      true,
    ),
  ];
});
