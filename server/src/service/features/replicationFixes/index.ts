import type { QuickFixTable } from '../quickFix';
import { listenerHttp, listenerMissing, passwordMissing, passwordWeak } from './doveadmFixes';
import { notifyMissing, pluginMissing, protocolPluginsDropped } from './mailPluginsFixes';
import {
  portMismatch,
  portMissing,
  replicaMalformed,
  replicaMissing,
  replicaOutsidePlugin,
  replicaSelf,
} from './mailReplicaFixes';
import { peerNotPointingBack, peerPasswordMismatch, peerPortMismatch, peerTransportMismatch } from './peerFixes';
import { maxConns, settingInPlugin, syncTimeout, userdbNotIterable } from './replicationSettingFixes';
import {
  fifoPermissions,
  listenerOwnerUnverified,
  replicatorDoveadm,
  replicatorMinAvail,
  replicatorWorldWritable,
  socketPermissions,
} from './serviceListenerFixes';
import { tcpsListenerNoSsl, tcpsNoClientCa, tcpsNoServerCert, tcpsSslDisabled, tcpToSslListener } from './tlsFixes';

/** Quick fixes of the dsync replication rules, keyed by rule id (listed in quickFixTable.ts). */
export const REPLICATION_FIXES = {
  'replication-notify-missing': notifyMissing,
  'replication-plugin-missing': pluginMissing,
  'replication-protocol-plugins-dropped': protocolPluginsDropped,
  'mail-replica-missing': replicaMissing,
  'mail-replica-malformed': replicaMalformed,
  'mail-replica-outside-plugin': replicaOutsidePlugin,
  'mail-replica-self': replicaSelf,
  'doveadm-port-missing': portMissing,
  'doveadm-password-missing': passwordMissing,
  'doveadm-listener-missing': listenerMissing,
  'doveadm-port-mismatch': portMismatch,
  'doveadm-listener-http': listenerHttp,
  'tcps-listener-no-ssl': tcpsListenerNoSsl,
  'tcp-to-ssl-listener': tcpToSslListener,
  'tcps-no-client-ca': tcpsNoClientCa,
  'tcps-ssl-disabled': tcpsSslDisabled,
  'tcps-no-server-cert': tcpsNoServerCert,
  'aggregator-fifo-permissions': fifoPermissions,
  'aggregator-socket-permissions': socketPermissions,
  'replication-listener-owner-unverified': listenerOwnerUnverified,
  'replicator-min-avail': replicatorMinAvail,
  'replicator-doveadm-socket': replicatorDoveadm,
  'replicator-doveadm-world-writable': replicatorWorldWritable,
  'replication-max-conns-invalid': maxConns,
  'replication-sync-timeout-invalid': syncTimeout,
  'replication-setting-in-plugin': settingInPlugin,
  'userdb-not-iterable': userdbNotIterable,
  'doveadm-password-weak': passwordWeak,
  'peer-password-mismatch': peerPasswordMismatch,
  'peer-port-mismatch': peerPortMismatch,
  'peer-transport-mismatch': peerTransportMismatch,
  'peer-not-pointing-back': peerNotPointingBack,
} satisfies QuickFixTable;
