// Quick fixes for replication over TLS (`tcps:`): the listener, the certificates and the CA.
import { makeFix, ph, type Text } from '../fixEdits';
import { insertTopLevelSetting, listenerSsl, ownListener, provider, replaceSetting, setReplica } from './fixContext';

export const tcpsListenerNoSsl = provider((ctx) => {
  const edit = listenerSsl(ctx.editor, ownListener(ctx.facts), 'yes');
  return [
    edit && makeFix('Set ssl = yes on the doveadm listener', [edit], true),
    setReplica(ctx, 'Use tcp: in mail_replica (unencrypted)', { transport: 'tcp' }, false),
  ];
});

/** TLS first: the fix that keeps the link encrypted is listed first and is the only preferred one. */
export const tcpToSslListener = provider((ctx) => {
  const toTcps = setReplica(ctx, 'Use tcps: in mail_replica', { transport: 'tcps' }, true);
  const edit = listenerSsl(ctx.editor, ownListener(ctx.facts), 'no');
  return [toTcps, edit && makeFix('Set ssl = no on the doveadm listener (unencrypted)', [edit], false)];
});

export const tcpsNoClientCa = provider((ctx) => {
  const line: Text = ['ssl_client_ca_file = ', ph('/etc/dovecot/ca.pem')];
  return [
    makeFix(
      'Set ssl_client_ca_file',
      [insertTopLevelSetting(ctx, ['ssl', 'ssl_cert', 'ssl_key', 'ssl_client_ca_dir'], line)],
      true,
    ),
  ];
});

export const tcpsSslDisabled = provider((ctx) => replaceSetting(ctx, 'Set ssl = yes', 'yes'));

export const tcpsNoServerCert = provider((ctx) => {
  const missing = ['ssl_cert', 'ssl_key'].filter((key) => ctx.quick.analysis.effective.value(key).value === '');
  const paths: Record<string, string> = {
    ssl_cert: '/etc/dovecot/private/dovecot.pem',
    ssl_key: '/etc/dovecot/private/dovecot.key',
  };
  const lines: Text[] = missing.map((key) => [`${key} = <`, ph(paths[key])]);
  return [
    makeFix(
      `Set ${missing.join(' and ')}`,
      [insertTopLevelSetting(ctx, ['ssl', 'ssl_cert', 'ssl_key'], ...lines)],
      true,
    ),
  ];
});
