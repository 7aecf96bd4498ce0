// The health of the whole pair at a glance: every user synced, N users failed, or a host unreachable.
import type { ReplicaUserStatus } from './doveadmResults';
import type { LiveFailure } from './failures';

export interface HostState {
  name: string;
  /** Where it was asked: the URL of its HTTP API, or `doveadm on this machine`. */
  location: string;
  users?: ReplicaUserStatus[];
  failure?: LiveFailure;
}

export type PairHealthKind = 'synced' | 'failed' | 'unreachable' | 'none';

export interface PairHealth {
  kind: PairHealthKind;
  /** Short text for a status bar: `all synced`, `2 failed`, `B unreachable`. */
  text: string;
  /** One line per host. */
  details: string[];
}

export function failedUsers(state: HostState): ReplicaUserStatus[] {
  return (state.users ?? []).filter((user) => user.failed);
}

export function describeHost(state: HostState): string {
  if (state.failure) return `${state.name}: ${state.failure.what}`;
  const users = state.users ?? [];
  const failed = failedUsers(state).length;
  const count = `${users.length} user${users.length === 1 ? '' : 's'}`;
  return failed > 0 ? `${state.name}: ${count}, ${failed} failed` : `${state.name}: ${count}, all synced`;
}

export function pairHealth(states: HostState[]): PairHealth {
  const details = states.map(describeHost);
  if (states.length === 0) return { kind: 'none', text: 'no hosts', details };
  const unreachable = states.filter((state) => state.failure).map((state) => state.name);
  if (unreachable.length > 0) return { kind: 'unreachable', text: `${unreachable.join(', ')} unreachable`, details };
  const failed = states.reduce((sum, state) => sum + failedUsers(state).length, 0);
  if (failed > 0) return { kind: 'failed', text: `${failed} failed`, details };
  return { kind: 'synced', text: 'all synced', details };
}
