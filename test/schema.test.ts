import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  allMailPlugins,
  allSettings,
  canonicalName,
  allPluginKeys,
  allProtocols,
  allServices,
  checkValue,
  closestSettingNames,
  findPluginKey,
  findService,
  findSetting,
  isAuthSetting,
  isKnownProtocol,
  isStrlistContext,
  isValidProtocolsValue,
  listenerKindOfSection,
  sectionTypesInContext,
  settingsInContext,
  unknownSectionMessage,
  unknownSettingMessage,
  SettingInfo,
} from '../server/src/service/schema/schema';

function setting(context: string, key: string): SettingInfo {
  const info = findSetting(context, key);
  assert.ok(info, `${context}/${key} should exist`);
  return info;
}

// Each row is a doveconf 2.3.19.1 transcript: `key = value` -> accepted (undefined) or the exact Fatal message.
const VALUE_CASES: Array<[string, string, string, string | undefined]> = [
  ['', 'mail_debug', 'yes', undefined],
  ['', 'mail_debug', 'Y', undefined],
  ['', 'mail_debug', '1', undefined],
  ['', 'mail_debug', 'NO', undefined],
  ['', 'mail_debug', '0', 'Invalid boolean value: 0 (use yes or no)'],
  ['', 'mail_debug', 'n', 'Invalid boolean value: n (use yes or no)'],
  ['', 'mail_debug', 'true', 'Invalid boolean value: true (use yes or no)'],
  ['', 'mail_debug', '', 'Invalid boolean value:  (use yes or no)'],
  ['', 'mail_max_keyword_length', '007', undefined],
  ['', 'mail_max_keyword_length', '4294967295', undefined],
  ['', 'mail_max_keyword_length', '4294967296', 'Invalid number 4294967296: Number too large'],
  ['', 'mail_max_keyword_length', '-1', 'Invalid number -1: Number too small'],
  ['', 'mail_max_keyword_length', '-0', 'Invalid number -0: Number too small'],
  ['', 'mail_max_keyword_length', '-1 x', 'Invalid number -1 x: Not a valid number'],
  ['', 'mail_max_keyword_length', '-1x', 'Invalid number -1x: Not a valid number'],
  ['', 'mail_max_keyword_length', 'abc', 'Invalid number abc: Not a valid number'],
  ['', 'mail_max_keyword_length', '', 'Invalid number : Not a valid number'],
  ['', 'mail_max_keyword_length', '1.5', 'Invalid number 1.5: Not a valid number'],
  ['service/unix_listener', 'mode', '0600', undefined],
  ['service/unix_listener', 'mode', '0', undefined],
  ['service/unix_listener', 'mode', '600', undefined],
  ['service/unix_listener', 'mode', '0999', 'Invalid number: 0999'],
  ['service/unix_listener', 'mode', '0x1', 'Invalid number: 0x1'],
  ['service/unix_listener', 'mode', 'abc', 'Invalid number abc: Not a valid number'],
  ['service/fifo_listener', 'mode', '-1', 'Invalid number -1: Number too small'],
  ['', 'mailbox_idle_check_interval', '0', undefined],
  ['', 'mailbox_idle_check_interval', '10 s', undefined],
  ['', 'mailbox_idle_check_interval', '5 min', undefined],
  ['', 'mailbox_idle_check_interval', '5m', undefined],
  ['', 'mailbox_idle_check_interval', '1w', undefined],
  ['', 'mailbox_idle_check_interval', '1W', undefined],
  ['', 'mailbox_idle_check_interval', '2seconds', undefined],
  ['', 'mailbox_idle_check_interval', '1000ms', undefined],
  ['', 'mailbox_idle_check_interval', '0ms', undefined],
  ['', 'mailbox_idle_check_interval', '100ms', 'Milliseconds not supported for this setting: 100ms'],
  ['', 'mailbox_idle_check_interval', '1mil', 'Milliseconds not supported for this setting: 1mil'],
  ['', 'replication_full_sync_interval', '86400', "Time interval '86400' is missing units (add e.g. 's' for seconds)"],
  ['', 'mailbox_idle_check_interval', '10 fortnights', 'Invalid time interval: 10 fortnights'],
  ['', 'mailbox_idle_check_interval', '5minutess', 'Invalid time interval: 5minutess'],
  ['', 'mailbox_idle_check_interval', '', 'Invalid time interval: '],
  ['', 'mailbox_idle_check_interval', '-1s', 'Invalid time interval: -1s'],
  ['', 'mailbox_idle_check_interval', '1.5s', 'Invalid time interval: 1.5s'],
  ['', 'mailbox_idle_check_interval', '10s ', 'Invalid time interval: 10s '],
  ['', 'mailbox_idle_check_interval', '4294967295s', undefined],
  ['', 'mailbox_idle_check_interval', '4294967296s', 'Time interval is too large: 4294967296s'],
  ['', 'mailbox_idle_check_interval', '99999999999999999999s', 'Invalid time interval: 99999999999999999999s'],
  ['', 'imapc_connection_retry_interval', '100ms', undefined],
  ['', 'imapc_connection_retry_interval', '1500 ms', undefined],
  ['', 'imapc_connection_retry_interval', '1mil', undefined],
  ['', 'imapc_connection_retry_interval', '4294967s', undefined],
  ['', 'imapc_connection_retry_interval', '4294968s', 'Time interval is too large: 4294968s'],
  ['', 'imapc_connection_retry_interval', '10', "Time interval '10' is missing units (add e.g. 's' for seconds)"],
  ['', 'imap_max_line_length', '0', undefined],
  ['', 'imap_max_line_length', '1', undefined],
  ['', 'imap_max_line_length', '1b', undefined],
  ['', 'imap_max_line_length', '1 G', undefined],
  ['', 'imap_max_line_length', '10 k', undefined],
  ['', 'imap_max_line_length', '1kiB', undefined],
  ['', 'imap_max_line_length', '16777215T', undefined],
  ['', 'imap_max_line_length', '16777216T', 'Size is too large: 16777216T'],
  ['', 'imap_max_line_length', '1X', 'Invalid size: 1X'],
  ['', 'imap_max_line_length', '1P', 'Invalid size: 1P'],
  ['', 'imap_max_line_length', '1Bi', 'Invalid size: 1Bi'],
  ['', 'imap_max_line_length', '1kk', 'Invalid size: 1kk'],
  ['', 'imap_max_line_length', '-1', 'Invalid size: -1'],
  ['', 'imap_max_line_length', '', 'Invalid size: '],
  ['', 'doveadm_port', '0', undefined],
  ['', 'doveadm_port', '65535', undefined],
  ['', 'doveadm_port', '080', undefined],
  ['', 'doveadm_port', '65536', 'Invalid port number 65536'],
  ['service/inet_listener', 'port', '70000', 'Invalid port number 70000'],
  ['service/inet_listener', 'port', '0000065535', undefined],
  ['service/inet_listener', 'port', '99999999999999999999999', 'Invalid port number 99999999999999999999999'],
  ['', 'doveadm_port', '-1', 'Invalid port number -1'],
  ['', 'doveadm_port', '', 'Invalid port number '],
  ['', 'doveadm_proxy_port', 'abc', 'Invalid port number abc'],
  ['', 'ssl', 'required', undefined],
  ['', 'ssl', 'YES', 'Invalid value: YES'],
  ['', 'ssl', 'maybe', 'Invalid value: maybe'],
  ['', 'doveadm_ssl', 'yes', 'Invalid value: yes'],
  ['', 'ssl', '', 'Invalid value: '],
  ['', 'mail_location', 'anything at all', undefined],
];

test('checkValue reproduces doveconf for every type', () => {
  for (const [context, key, value, expected] of VALUE_CASES) {
    assert.equal(checkValue(setting(context, key), value), expected, `${key} = '${value}'`);
  }
});

test('types come from the inventory', () => {
  assert.equal(setting('', 'mail_debug').type, 'bool');
  assert.equal(setting('service/unix_listener', 'mode').type, 'octal');
  assert.equal(setting('', 'replication_full_sync_interval').type, 'time');
  assert.equal(setting('', 'replication_full_sync_interval').default, '1 days');
  assert.equal(setting('', 'imapc_connection_retry_interval').type, 'time_msecs');
  assert.equal(setting('', 'doveadm_port').type, 'port');
  assert.deepEqual(setting('', 'doveadm_ssl').values, ['no', 'ssl', 'starttls']);
  assert.equal(setting('', 'mail_home').type, 'string_vars');
});

test('context lookups', () => {
  assert.ok(findSetting('service', 'process_min_avail'));
  assert.equal(findSetting('', 'process_min_avail'), undefined);
  assert.ok(findSetting('service/inet_listener', 'port'));
  assert.equal(findSetting('service/unix_listener', 'port'), undefined);
  assert.equal(findSetting('service/fifo_listener', 'ssl'), undefined);
  assert.equal(findSetting('', 'mail_replica'), undefined);
  assert.equal(findSetting('plugin', 'mail_replica'), undefined);
  assert.ok(isStrlistContext('plugin'));
  assert.ok(isStrlistContext('dict'));
  assert.ok(!isStrlistContext('service'));
  assert.ok(findPluginKey('mail_replica'));
  assert.match(findPluginKey('mail_replica')!.shape, /^tcp:host\[:port\], tcps:/);
  assert.equal(findPluginKey('replication_sync_timeout')?.shape, 'uint');
  assert.equal(findPluginKey('replication_full_sync_interval'), undefined);
  assert.ok(allPluginKeys().some((k) => k.name === 'sieve_before'));
  assert.ok(findSetting('namespace/mailbox', 'auto'));
  assert.ok(findSetting('/service/', 'process_limit'), 'leading/trailing slashes are ignored');
});

test('settingsInContext and sectionTypesInContext', () => {
  const listenerKeys = settingsInContext('service/inet_listener')
    .map((s) => s.name)
    .sort();
  assert.deepEqual(listenerKeys, ['address', 'haproxy', 'name', 'port', 'reuse_port', 'ssl']);
  assert.deepEqual(
    settingsInContext('service/unix_listener')
      .map((s) => s.name)
      .sort(),
    ['group', 'mode', 'path', 'user'],
  );
  const topSections = sectionTypesInContext('')
    .map((s) => s.name)
    .sort();
  assert.deepEqual(topSections, [
    'dict',
    'event_exporter',
    'metric',
    'namespace',
    'passdb',
    'plugin',
    'service',
    'userdb',
  ]);
  assert.deepEqual(
    sectionTypesInContext('service')
      .map((s) => s.name)
      .sort(),
    ['fifo_listener', 'inet_listener', 'unix_listener'],
  );
  assert.ok(!settingsInContext('').some((s) => s.type === 'section' || s.type === 'strlist'));
  assert.equal(setting('', 'passdb').unique, false);
  assert.equal(setting('', 'service').unique, true);
  assert.equal(setting('', 'plugin').type, 'strlist');
  assert.deepEqual(settingsInContext('plugin'), []);
});

test('listener kinds', () => {
  assert.equal(listenerKindOfSection('unix_listener'), 'unix');
  assert.equal(listenerKindOfSection('fifo_listener'), 'fifo');
  assert.equal(listenerKindOfSection('inet_listener'), 'inet');
  assert.equal(listenerKindOfSection('service'), undefined);
});

test('aliases resolve to their target', () => {
  const alias = setting('', 'doveadm_proxy_port');
  assert.equal(alias.name, 'doveadm_proxy_port');
  assert.equal(alias.aliasOf, 'doveadm_port');
  assert.equal(alias.type, 'port');
  assert.equal(setting('', 'mail').aliasOf, 'mail_location');
  assert.equal(setting('namespace', 'mail_location').aliasOf, 'location');
  assert.equal(setting('', 'doveadm_port').aliasOf, undefined);
});

test('unknown setting messages match doveconf', () => {
  assert.equal(unknownSettingMessage('', 'foo'), 'Unknown setting: foo');
  assert.equal(
    unknownSettingMessage('service/inet_listener', 'mode'),
    'Unknown setting: service { inet_listener { mode',
  );
  assert.equal(unknownSettingMessage('namespace/mailbox', 'foo'), 'Unknown setting: namespace { mailbox { foo');
  assert.equal(unknownSectionMessage('', 'foo'), 'Unknown setting: foo { foo');
  assert.equal(unknownSectionMessage('service', 'foo'), 'Unknown setting: service { foo { foo');
});

test('closest setting names', () => {
  assert.deepEqual(closestSettingNames('', 'mail_plugin').slice(0, 1), ['mail_plugins']);
  assert.equal(closestSettingNames('service', 'proces_limit')[0], 'process_limit');
  assert.equal(closestSettingNames('', 'replication_full_sync_intervall')[0], 'replication_full_sync_interval');
  assert.deepEqual(closestSettingNames('', 'zzzzzzzzzzzz'), []);
  assert.ok(closestSettingNames('', 'ssl_cer', 2).length <= 2);
});

test('auth settings', () => {
  assert.ok(isAuthSetting(setting('', 'auth_mechanisms')));
  assert.ok(
    isAuthSetting(setting('', 'base_dir')),
    'base_dir is also parsed by auth (doveconf rejects it in local {})',
  );
  assert.ok(isAuthSetting(setting('', 'passdb')));
  assert.ok(!isAuthSetting(setting('', 'mail_debug')));
  assert.ok(!isAuthSetting(setting('', 'disable_plaintext_auth')));
});

test('services: aggregator, replicator, doveadm', () => {
  const aggregator = findService('aggregator')!;
  assert.deepEqual(
    aggregator.listeners.map((l) => [l.kind, l.name, l.mode, l.user]),
    [
      ['fifo', 'replication-notify-fifo', '0600', ''],
      ['unix', 'replication-notify', '0600', ''],
    ],
  );
  assert.equal(aggregator.processLimit1, false);
  assert.match(aggregator.role, /Permission denied/);
  const replicator = findService('replicator')!;
  assert.equal(replicator.processLimit1, true);
  assert.equal(replicator.defaults.process_limit, '1');
  assert.equal(replicator.defaults.idle_kill, '4294967295 secs');
  assert.equal(replicator.listeners.find((l) => l.name === 'replicator-doveadm')?.mode, '00');
  const doveadm = findService('doveadm')!;
  assert.ok(!doveadm.listeners.some((l) => l.kind === 'inet'), 'no default doveadm inet listener');
  assert.equal(doveadm.defaults.executable, 'doveadm-server');
  const imapLogin = findService('imap-login')!;
  assert.deepEqual(
    imapLogin.listeners.map((l) => [l.name, l.port, l.ssl]),
    [
      ['imap', '143', 'no'],
      ['imaps', '993', 'yes'],
    ],
  );
  assert.deepEqual(
    allServices()
      .filter((s) => s.processLimit1)
      .map((s) => s.name)
      .sort(),
    ['anvil', 'auth', 'director', 'indexer', 'ipc', 'log', 'old-stats', 'replicator'],
  );
  assert.equal(findService('nosuch'), undefined);
});

test('protocols', () => {
  for (const name of ['imap', 'pop3', 'lmtp', 'submission', 'sieve', 'none'])
    assert.ok(isValidProtocolsValue(name), name);
  for (const name of ['doveadm', 'lda', 'imap-urlauth', 'foo']) assert.ok(!isValidProtocolsValue(name), name);
  assert.ok(isKnownProtocol('doveadm'));
  assert.ok(isKnownProtocol('lda'));
  assert.ok(!isKnownProtocol('foo'));
  assert.ok(allProtocols().includes('none'));
});

test('mail plugins', () => {
  const names = allMailPlugins().map((p) => p.name);
  for (const name of ['notify', 'replication', 'quota', 'imap_quota', 'sieve', 'old_stats', 'zlib'])
    assert.ok(names.includes(name), name);
  assert.ok(!names.includes('fts_flatcurve'));
  assert.ok(!names.includes('stats'), '2.3 renamed the stats plugin to old_stats');
  assert.deepEqual(allMailPlugins().find((p) => p.name === 'sieve')?.protocols, ['lda', 'lmtp']);
});

test('canonicalName gives the setting an alias stands for in its context, and any other name back', () => {
  assert.equal(canonicalName('', 'doveadm_proxy_port'), 'doveadm_port');
  assert.equal(canonicalName('namespace', 'mail'), 'location');
  assert.equal(canonicalName('', 'mail'), 'mail_location');
  assert.equal(canonicalName('service', 'mail'), 'mail');
  assert.equal(canonicalName('', 'no_such_setting'), 'no_such_setting');
  const contexts = [...new Set(allSettings().map((setting) => setting.context)), 'nowhere'];
  for (const { name } of allSettings())
    for (const context of contexts)
      assert.equal(canonicalName(context, name), findSetting(context, name)?.aliasOf ?? name, `${context} ${name}`);
});
