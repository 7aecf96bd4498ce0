// Quick fixes for the doveadm side of replication: the shared password and the doveadm TCP listener.
import { sectionAt, makeFix, ph, type Text } from '../fixEdits';
import { generatePassword } from '../replicationSetup';
import { insertTopLevelSection, insertTopLevelSetting, isService, nested, portPart, provider } from './fixContext';

export const passwordMissing = provider((ctx) => {
  const password = ph(generatePassword());
  const entry = ctx.facts.password.entry;
  const title = 'Set doveadm_password (use the same on the peer)';
  if (entry && entry.node.valueKind !== 'file')
    return [makeFix(title, [ctx.editor.replaceValue(entry, password)], true)];
  const line: Text = ['doveadm_password = ', password];
  return [makeFix(title, [insertTopLevelSetting(ctx, ['doveadm_port', 'doveadm_password'], line)], true)];
});

export const passwordWeak = provider((ctx) => {
  const entry = ctx.facts.password.entry;
  if (!entry || entry.node.valueKind === 'file') return [];
  return [
    makeFix(
      'Replace doveadm_password with a generated one (use the same on the peer)',
      [ctx.editor.replaceValue(entry, ph(generatePassword()))],
      true,
    ),
  ];
});

export const listenerMissing = provider((ctx) => {
  const { facts, editor } = ctx;
  const listener: Text[] = [
    'inet_listener {',
    ['  port = ', portPart(facts)],
    ...(facts.replica?.transport === 'tcps' ? ['  ssl = yes'] : []),
    '}',
  ];
  const into = facts.doveadmService && editor.insertIntoSection(facts.doveadmService, listener);
  const edit = into ?? insertTopLevelSection(ctx, isService, ['service doveadm {', ...nested(listener), '}']);
  return [makeFix('Add a doveadm inet_listener', [edit], true)];
});

export const listenerHttp = provider((ctx) => {
  const placed = sectionAt(ctx.quick.analysis.model, ctx.quick.file, ctx.quick.diagnostic.range);
  if (!placed?.node.nameRange) return [];
  const range = { start: placed.node.typeRange.end, end: placed.node.nameRange.end };
  return [makeFix('Remove the name http from the listener', [{ file: placed.file, range, text: '' }], true)];
});
