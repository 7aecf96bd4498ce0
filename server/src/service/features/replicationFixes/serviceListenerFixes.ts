// Quick fixes for the replication services: aggregator and replicator listeners owned by the mail user, a running replicator.
import { fileListener } from '../../analysis/replicationFacts';
import { makeFix, type Part, type PlannedEdit, type Text } from '../fixEdits';
import {
  afterAnchor,
  insertTopLevelSection,
  insertTopLevelSetting,
  isService,
  mailUser,
  nested,
  provider,
  setInSection,
  type FixContext,
} from './fixContext';

function aggregatorSection(user: Part, unit: string): Text[] {
  const listeners: Text[] = [
    'fifo_listener replication-notify-fifo {',
    ['  user = ', user],
    '}',
    'unix_listener replication-notify {',
    ['  user = ', user],
    '}',
  ];
  return ['service aggregator {', ...nested(listeners, unit), '}'];
}

function replicatorSection(user: Part, unit: string): Text[] {
  const listener: Text[] = ['unix_listener replicator-doveadm {', '  mode = 0600', ['  user = ', user], '}'];
  return ['service replicator {', `${unit}process_min_avail = 1`, ...nested(listener, unit), '}'];
}

/** Makes a listener of a service owned by the mail user (and optionally sets its mode). */
function ownListenerFix(
  ctx: FixContext,
  serviceName: string,
  kind: 'fifo_listener' | 'unix_listener',
  name: string,
  mode?: string,
): PlannedEdit[] {
  const { editor, facts } = ctx;
  const user = mailUser(facts);
  const listener = fileListener(facts.view, serviceName, kind, name);
  const unit = editor.indentUnit(afterAnchor(ctx).file);
  if (!listener.service) {
    const section = serviceName === 'aggregator' ? aggregatorSection(user, unit) : replicatorSection(user, unit);
    return [insertTopLevelSection(ctx, isService, section)];
  }
  if (!listener.section) {
    const body: Text[] = [...(mode ? [`  mode = ${mode}`] : []), ['  user = ', user]];
    const edit = editor.insertIntoSection(listener.service, [`${kind} ${name} {`, ...body, '}']);
    return edit ? [edit] : [];
  }
  const edits: PlannedEdit[] = [];
  const userEdit = setInSection(editor, listener.section, 'user', user);
  if (mode) {
    const modeEdit = setInSection(editor, listener.section, 'mode', mode);
    if (modeEdit) edits.push(modeEdit);
  }
  if (userEdit) edits.push(userEdit);
  // Two insertions at the same place must keep their order: mode first, then user.
  return edits;
}

export const fifoPermissions = provider((ctx) => [
  makeFix(
    'Let the mail user write replication-notify-fifo',
    ownListenerFix(ctx, 'aggregator', 'fifo_listener', 'replication-notify-fifo'),
    true,
  ),
]);
export const socketPermissions = provider((ctx) => [
  makeFix(
    'Let the mail user use replication-notify',
    ownListenerFix(ctx, 'aggregator', 'unix_listener', 'replication-notify'),
    true,
  ),
]);

// The listener's owner is the only statement of the mail user: make it explicit, so every replication
// listener is then checked against it (mail_uid also makes Dovecot run all mail processes as that user).
export const listenerOwnerUnverified = provider((ctx) => {
  const user = (ctx.quick.diagnostic.data as { user?: unknown } | undefined)?.user;
  if (typeof user !== 'string' || !/^[\w.-]+$/.test(user)) return [];
  const edit = insertTopLevelSetting(
    ctx,
    ['mail_uid', 'mail_gid', 'first_valid_uid', 'mail_location'],
    `mail_uid = ${user}`,
  );
  return [makeFix(`Run the mail processes as ${user} (mail_uid = ${user})`, [edit])];
});

function replicatorDoveadmFix(ctx: FixContext): PlannedEdit[] {
  return ownListenerFix(ctx, 'replicator', 'unix_listener', 'replicator-doveadm', '0600');
}

export const replicatorMinAvail = provider((ctx) => {
  const service = ctx.quick.analysis.effective.section('service', 'replicator');
  if (!service) return [makeFix('Add service replicator with process_min_avail = 1', replicatorDoveadmFix(ctx), true)];
  const edit = setInSection(ctx.editor, service, 'process_min_avail', '1');
  return [edit && makeFix('Set process_min_avail = 1', [edit], true)];
});

export const replicatorDoveadm = provider((ctx) => [
  makeFix('Create replicator-doveadm as mode 0600 for the mail user', replicatorDoveadmFix(ctx), true),
]);
export const replicatorWorldWritable = replicatorDoveadm;
