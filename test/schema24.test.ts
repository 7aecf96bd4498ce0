import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  allMailPlugins24,
  allSettings24,
  candidateNames24,
  findMailPlugin24,
  findSetting24,
  isFilter24,
  isListBlock24,
  prefixedSettings24,
  resolveInFilter24,
} from '../server/src/service/schema/schema24';

test('findSetting24 finds 2.4 names with type and default, not the renamed 2.3 ones', () => {
  assert.equal(findSetting24('service_process_min_avail')?.type, 'uint');
  assert.equal(findSetting24('ssl_server_cert_file')?.type, 'file');
  assert.equal(findSetting24('doveadm_ssl')?.default, 'no');
  assert.equal(findSetting24('dovecot_config_version')?.type, 'string');
  for (const gone of [
    'mail_location',
    'ssl_cert',
    'mail_replica',
    'replication_full_sync_interval',
    'plugin',
    'disable_plaintext_auth',
  ]) {
    assert.equal(findSetting24(gone), undefined, gone);
  }
});

test('allSettings24 has every setting once, sorted by name', () => {
  const names = allSettings24().map((info) => info.name);
  assert.ok(names.length > 700);
  assert.equal(new Set(names).size, names.length);
  assert.deepEqual([...names].sort(), names);
});

test('candidate names: type+name prefix, type prefix, bare name (FACTS §4.2)', () => {
  assert.deepEqual(candidateNames24(['service', 'inet_listener'], 'ssl', ['imap', 'imaps']), [
    'inet_listener_imaps_ssl',
    'inet_listener_ssl',
    'ssl',
  ]);
  assert.deepEqual(candidateNames24(['service', 'inet_listener'], 'ssl'), ['inet_listener_ssl', 'ssl']);
  assert.deepEqual(candidateNames24([], 'ssl'), ['ssl']);
  // A quoted name with blanks cannot be part of a setting name.
  assert.deepEqual(candidateNames24(['mailbox'], 'auto', ['Sent Messages']), ['mailbox_auto', 'auto']);
});

test('resolveInFilter24 tries the prefixed names first', () => {
  assert.equal(resolveInFilter24(['service', 'inet_listener'], 'ssl', ['imap', 'imaps'])?.name, 'inet_listener_ssl');
  assert.equal(resolveInFilter24(['service'], 'process_min_avail', ['imap'])?.name, 'service_process_min_avail');
  assert.equal(resolveInFilter24(['service', 'unix_listener'], 'mode')?.name, 'unix_listener_mode');
  assert.equal(resolveInFilter24(['passdb'], 'password', ['static'])?.name, 'passdb_static_password');
  assert.equal(resolveInFilter24(['passdb'], 'driver', ['pam'])?.name, 'passdb_driver');
  assert.equal(resolveInFilter24(['ssl_server'], 'cert_file')?.name, 'ssl_server_cert_file');
  // Any global setting is accepted in any filter under its full name.
  assert.equal(resolveInFilter24(['service'], 'mail_plugins', ['imap'])?.name, 'mail_plugins');
  assert.equal(resolveInFilter24(['protocol'], 'mail_plugins', ['imap'])?.name, 'mail_plugins');
  // The prefixed name wins over a global of the same short name: `ssl` in inet_listener is inet_listener_ssl (bool), not ssl (enum).
  assert.equal(resolveInFilter24(['inet_listener'], 'ssl')?.type, 'bool');
  assert.equal(resolveInFilter24([], 'ssl')?.type, 'enum');
  assert.equal(resolveInFilter24(['service'], 'no_such_thing'), undefined);
});

test('prefixedSettings24 lists the short names written inside a block', () => {
  const inService = new Map(prefixedSettings24('service').map((r) => [r.written, r.info.name]));
  assert.equal(inService.get('process_min_avail'), 'service_process_min_avail');
  assert.equal(inService.get('restart_request_count'), 'service_restart_request_count');
  assert.ok(!inService.has(''));
  const inListener = prefixedSettings24('inet_listener').map((r) => r.written);
  assert.ok(inListener.includes('port') && inListener.includes('ssl'));
  assert.deepEqual(prefixedSettings24('no_such_block'), []);
});

test('filters and list blocks', () => {
  assert.ok(isFilter24(findSetting24('service')!));
  assert.ok(isFilter24(findSetting24('ssl_client')!));
  assert.ok(!isFilter24(findSetting24('mail_plugins')!));
  assert.ok(isListBlock24('mail_plugins'));
  assert.ok(isListBlock24('passdb_fields'));
  assert.ok(!isListBlock24('service'));
});

test('2.4 mail plugins include notify and not replication', () => {
  assert.ok(findMailPlugin24('notify'));
  assert.equal(findMailPlugin24('replication'), undefined);
  assert.ok(allMailPlugins24().length >= 10);
});
