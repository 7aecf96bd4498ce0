// What the replication wizard proposes, read from this host's tree (the client asks the server for it):
// the peer from an existing mail_replica, the mail user from mail_uid or the userdb's uid=, this host's
// address from the doveadm listener's address, `listen` or a `local` filter, the doveadm port and transport.
// Each default says where it came from.
import { deriveReplicationFacts, tokensOf } from '../analysis/replicationFacts';
import type { TreeAnalysis } from '../languageService';
import { isWildcardAddress } from '../model/addresses';
import type { FileHost } from '../model/host';
import type { Range } from 'vscode-languageserver-types';
import { where } from './hoverPlaces';
import { DEFAULT_MAIL_USER } from './replicationSetup';

export interface Proposal {
  value: string;
  /** Why this value, for the prompt ("from mail_uid in conf.d/10-mail.conf:2"). */
  reason: string;
}

export interface SetupDefaults {
  mailUser: Proposal;
  peerHost?: Proposal;
  localHost?: Proposal;
  port?: Proposal;
  transport?: { value: 'tcp' | 'tcps'; reason: string };
}

function setIn(analysis: TreeAnalysis, entry: { file: string; node: { range: Range } } | undefined): string {
  return entry ? ` in ${where(analysis, entry.file, entry.node.range)}` : '';
}

function userdbDrivers(analysis: TreeAnalysis): string[] {
  return analysis.effective
    .sections('userdb')
    .map((userdb) => userdb.settings.get('driver')?.node.value ?? '')
    .filter((driver) => driver !== '');
}

export function setupDefaults(analysis: TreeAnalysis, host: FileHost): SetupDefaults {
  const facts = deriveReplicationFacts({ model: analysis.model, effective: analysis.effective, host });
  const mailUid = analysis.effective.value('mail_uid');
  let mailUser: Proposal;
  if (facts.mailUser) {
    mailUser = {
      value: facts.mailUser,
      reason: mailUid.value.trim() !== '' ? `mail_uid${setIn(analysis, mailUid.entry)}` : "the userdb's uid=",
    };
  } else if (userdbDrivers(analysis).some((driver) => driver === 'passwd' || driver === 'pam')) {
    mailUser = {
      value: '',
      reason:
        "this tree's userdb is system users (passwd): mail runs as each user, so name the user or group-owner the notify sockets should belong to",
    };
  } else {
    mailUser = {
      value: DEFAULT_MAIL_USER,
      reason: `no mail_uid or userdb uid= is set in this tree; ${DEFAULT_MAIL_USER} is the usual virtual-mail user`,
    };
  }

  let localHost: Proposal | undefined;
  for (const listener of facts.dsyncListeners) {
    const address = listener.addresses.find((candidate) => !isWildcardAddress(candidate));
    if (address) {
      localHost = { value: address, reason: "the doveadm listener's address" };
      break;
    }
  }
  if (!localHost) {
    const listen = analysis.effective.value('listen');
    const address = tokensOf(listen.value).find((candidate) => !isWildcardAddress(candidate));
    if (address) localHost = { value: address, reason: `listen${setIn(analysis, listen.entry)}` };
  }
  if (!localHost) {
    // `local 192.0.2.1 { }` names an address of this host (a network with a mask does not)
    const local = analysis.model.sections.find(
      (section) =>
        section.node.filter === 'local' && !section.node.name.includes('/') && !isWildcardAddress(section.node.name),
    );
    if (local)
      localHost = {
        value: local.node.name.replace(/^\[(.*)\]$/, '$1'),
        reason: `the local filter${setIn(analysis, local)}`,
      };
  }

  const replica = facts.replica && !facts.replica.problem && !facts.replica.fromFile ? facts.replica : undefined;
  const replicaWhere = replica ? `mail_replica${setIn(analysis, replica.entry)}` : '';
  const peerHost = replica?.host ? { value: replica.host, reason: replicaWhere } : undefined;
  const transport =
    replica?.transport === 'tcp' || replica?.transport === 'tcps'
      ? { value: replica.transport, reason: replicaWhere }
      : undefined;

  const knownPort =
    facts.dsyncListeners.find((listener) => listener.port !== undefined)?.port ?? facts.doveadmPort.port;
  const port = knownPort !== undefined ? { value: String(knownPort), reason: "this host's doveadm port" } : undefined;
  return { mailUser, peerHost, localHost, port, transport };
}
