import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
// @ts-expect-error plain ES module script without type declarations
// prettier-ignore
import { generate, generateSections24Only, parseSettingsTsv, parseDoveconfDump, OUTPUT, SECTIONS_24_ONLY } from '../scripts/gen-settings.mjs';
import data from '../server/src/service/schema/settings-2.3.json';
// @ts-expect-error plain ES module script without type declarations
// prettier-ignore
import { DEFINES_24, DUMP_24, generate24, OUTPUT_24, parseDefinesTsv, parseDoveconfDump24 } from '../scripts/gen-settings-24.mjs';
import data24 from '../server/src/service/schema/settings-2.4.json';
import type { BuiltInGroup24 } from '../server/src/service/schema/schema24';

const DATA = join(__dirname, '..', 'data', 'dovecot');
const settings = data.settings as Array<{ name: string; context: string; type: string; aliasOf?: string }>;
const byId = new Map(settings.map((s) => [`${s.context}/${s.name}`, s]));

test('the checked-in settings-2.3.json is what the generator produces', () => {
  assert.equal(readFileSync(OUTPUT, 'utf8'), generate());
});

test('the checked-in list of 2.4-only section types is what the generator makes of both versions', () => {
  const generated = generateSections24Only(generate(), generate24());
  assert.equal(readFileSync(SECTIONS_24_ONLY, 'utf8'), generated);
  const { sections } = JSON.parse(generated) as { sections: string[] };
  for (const type of ['protocols', 'auth_mechanisms', 'ssl_server', 'oauth2', 'mail_plugins', 'mysql', 'quota'])
    assert.ok(sections.includes(type), type);
  for (const type of ['namespace', 'service', 'passdb', 'plugin', 'protocol'])
    assert.ok(!sections.includes(type), type);
});

test('every TSV row is present with its type', () => {
  const rows = parseSettingsTsv(readFileSync(join(DATA, 'settings-2.3.tsv'), 'utf8'));
  assert.ok(rows.length >= 435);
  for (const row of rows) {
    const entry = byId.get(`${row.context}/${row.name}`);
    assert.ok(entry, `${row.context}/${row.name}`);
    assert.equal(entry.type, row.type, `${row.context}/${row.name}`);
    assert.equal(entry.aliasOf, row.aliasOf);
  }
});

test('plugin and dict are top-level strlists', () => {
  assert.equal(byId.get('/plugin')?.type, 'strlist');
  assert.equal(byId.get('/dict')?.type, 'strlist');
});

const dump = parseDoveconfDump(readFileSync(join(DATA, 'doveconf-a-2.3.19-builtin-defaults.txt'), 'utf8'));

test('every top-level key of the builtin-defaults dump is known', () => {
  assert.ok(dump.topLevel.size > 300);
  for (const key of dump.topLevel.keys()) assert.ok(byId.has(`/${key}`), key);
});

test('every service of the builtin-defaults dump is present with its listeners', () => {
  const services = new Map(data.services.map((s) => [s.name, s]));
  assert.equal(services.size, dump.services.length);
  for (const service of dump.services) {
    const entry = services.get(service.name);
    assert.ok(entry, service.name);
    assert.deepEqual(entry.defaults, Object.fromEntries(Object.entries(service.defaults).sort()));
    assert.equal(entry.listeners.length, service.listeners.length, service.name);
    assert.ok(entry.role.length > 20, `${service.name} has a role`);
  }
});

test('every service key and listener key in the dump is a known setting of that context', () => {
  for (const service of dump.services) {
    for (const key of Object.keys(service.defaults)) assert.ok(byId.has(`service/${key}`), key);
    for (const listener of service.listeners) {
      for (const key of Object.keys(listener)) {
        if (key === 'kind' || key === 'name') continue;
        assert.ok(byId.has(`service/${listener.kind}_listener/${key}`), `${listener.kind}_listener ${key}`);
      }
    }
  }
});

test('replication, doveadm, dsync, service, listener and ssl settings all have descriptions', () => {
  const important = settings.filter(
    (s) => /^(replicat|doveadm|dsync|ssl|mail_plugins$|protocols$)/.test(s.name) || s.context.startsWith('service'),
  );
  assert.ok(important.length > 60);
  for (const s of important) {
    assert.ok((s as { description?: string }).description, `${s.context}/${s.name}`);
  }
});

describe('settings-2.4.json (Dovecot 2.4.4 definitions and defaults)', () => {
  const rows24 = parseDefinesTsv(readFileSync(DEFINES_24, 'utf8')) as Array<{
    name: string;
    type: string;
    aliasOf?: string;
    values?: string[];
    requiredSetting?: string;
    nameSetting?: string;
  }>;
  const dumped = parseDoveconfDump24(readFileSync(DUMP_24, 'utf8'));
  const settings24 = data24.settings as Array<{
    name: string;
    type: string;
    default: string;
    defaultUnknown?: string;
    values?: string[];
    aliasOf?: string;
    requiredSetting?: string;
    nameSetting?: string;
    structs: string[];
    description: string;
  }>;
  const byName24 = new Map(settings24.map((s) => [s.name, s]));

  test('the checked-in settings-2.4.json is what the generator produces', () => {
    assert.equal(readFileSync(OUTPUT_24, 'utf8'), generate24());
  });

  test('every definition is present by name with its type, enum values, alias target, required and name setting', () => {
    assert.ok(rows24.length >= 800);
    for (const row of rows24) {
      const entry = byName24.get(row.name);
      assert.ok(entry, row.name);
      assert.equal(entry.type, row.type, row.name);
      if (row.aliasOf) assert.equal(entry.aliasOf, row.aliasOf, row.name);
      if (row.values) assert.deepEqual(entry.values, row.values, row.name);
      if (row.requiredSetting) assert.equal(entry.requiredSetting, row.requiredSetting, row.name);
      assert.equal(entry.nameSetting, row.nameSetting, row.name);
    }
    assert.equal(
      settings24.length,
      new Set(rows24.map((row) => row.name)).size + 1,
      'merged by name, plus dovecot_config_version',
    );
    assert.equal(byName24.get('dovecot_config_version')?.type, 'string');
  });

  test('defaults are what doveconf 2.4.4 prints; build-time paths are marked as such', () => {
    for (const [name, value] of dumped) {
      const entry = byName24.get(name);
      assert.ok(entry, name);
      if (['boollist', 'strlist', 'filter', 'filter_list', 'alias'].includes(entry.type)) continue;
      assert.equal(entry.defaultUnknown ?? entry.default, value, name);
    }
    assert.equal(byName24.get('ssl_client_require_valid_cert')?.default, 'yes');
    assert.equal(byName24.get('imap_idle_notify_interval')?.default, '2 mins');
    assert.equal(byName24.get('doveadm_ssl')?.default, 'no');
    assert.deepEqual(byName24.get('doveadm_ssl')?.values, ['no', 'ssl', 'starttls']);
    assert.equal(byName24.get('dsync_remote_cmd')?.default, 'ssh -l%{login} %{host} doveadm dsync-server -u%{user}');
    assert.equal(byName24.get('base_dir')?.default, '');
    assert.match(byName24.get('base_dir')?.defaultUnknown ?? '', /^\/opt\/dovecot-2\.4\.4\//);
    assert.equal(byName24.get('metric')?.requiredSetting, 'metric_filter');
    assert.equal(byName24.get('inet_listener')?.nameSetting, 'inet_listener_name');
    assert.equal(byName24.get('sieve_script')?.nameSetting, 'sieve_script_storage');
    assert.ok(byName24.get('auth_mechanisms')?.structs.includes('auth'));
  });

  test("lists Dovecot fills itself keep their entries in doveconf's order, one-line ones unquoted", () => {
    const listDefault = (name: string) =>
      (byName24.get(name) as { listDefault?: [string, string][] } | undefined)?.listDefault;
    assert.deepEqual(listDefault('sieve_extensions')?.slice(0, 3), [
      ['fileinto', 'yes'],
      ['reject', 'yes'],
      ['envelope', 'yes'],
    ]);
    assert.deepEqual(listDefault('mail_attachment_detection_options'), [
      ['add-flags', 'yes'],
      ['content-type=!application/signature', 'yes'],
    ]);
    assert.deepEqual(listDefault('mail_log_events')?.[0], ['delete', 'yes']);
    assert.deepEqual(listDefault('import_environment')?.at(-1), ['TZ', '%{env:TZ}']);
    for (const name of ['mail_plugins', 'protocols', 'sieve_global_extensions'])
      assert.equal(listDefault(name), undefined);
    const listDefaultIn = (name: string) =>
      (byName24.get(name) as { listDefaultIn?: Record<string, [string, string][]> } | undefined)?.listDefaultIn;
    assert.deepEqual(listDefaultIn('mbox_write_locks'), {
      mbox: [
        ['dotlock', 'yes'],
        ['fcntl', 'yes'],
      ],
    });
    assert.deepEqual(listDefaultIn('auth_policy_request_attributes')?.auth_policy[0], ['device_id', '%{client_id}']);
    assert.equal(listDefaultIn('mail_attachment_detection_options'), undefined);
    // doveconf -d prints the managesieve capabilities it works out; a block of them starts empty.
    assert.equal(listDefault('managesieve_sieve_capability'), undefined);
    const listDefault240 = (name: string) =>
      (byName24.get(name) as { listDefault240?: [string, string][] } | undefined)?.listDefault240;
    assert.deepEqual(listDefault240('mail_cache_fields'), [['flags', 'yes']]);
    assert.deepEqual(listDefault240('mail_access_groups'), []);
    assert.equal(listDefault240('sieve_extensions'), undefined);
    const service = byName24.get('service_extra_groups') as
      { listDefaultIn?: Record<string, unknown>; listDefaultIn240?: Record<string, unknown> } | undefined;
    assert.deepEqual(Object.keys(service?.listDefaultIn ?? {}), ['service/lmtp']);
    assert.deepEqual(service?.listDefaultIn240?.['service/imap'], [['$SET:default_internal_group', 'yes']]);
  });

  test("Dovecot's own include groups keep the blocks each adds, in the group's order, by full type name", () => {
    const groups = (data24 as { groups?: BuiltInGroup24[] }).groups ?? [];
    assert.deepEqual(
      groups.map((group) => `@${group.label} = ${group.name}`),
      ['@metric_defaults = proxy', '@metric_defaults = backend', '@mailbox_defaults = english'],
    );
    const proxy = groups[0].blocks ?? [];
    assert.deepEqual(
      proxy.map((block) => `${block.type} ${block.name}`),
      ['metric auth_successes', 'metric auth_failures', 'metric login_aborted', 'metric proxy_session_established'],
    );
    assert.deepEqual(proxy[2].blocks, [{ type: 'metric_group_by', name: 'reason' }]);
    assert.deepEqual(
      groups[2].blocks?.[0].blocks?.map((block) => block.name),
      ['Drafts', 'Junk', 'Sent', 'Trash'],
    );
  });

  test('every setting has a description; the replication-relevant ones have our own', () => {
    for (const s of settings24) assert.ok(s.description.length > 10, s.name);
    const own = settings24.filter((s) =>
      /^(doveadm_(port|password|username|ssl|allowed_commands)|dsync_remote_cmd|ssl_client_.*|mail_plugins)$/.test(
        s.name,
      ),
    );
    assert.ok(own.length >= 12);
    for (const s of own) assert.doesNotMatch(s.description, /Defined in/, s.name);
    assert.match(byName24.get('mail_plugins')!.description, /notify/);
  });

  test('the 2.4 mail plugin table has no plugin removed in 2.4 (FACTS §4.3)', () => {
    const names = data24.mailPlugins.map((p) => p.name);
    assert.ok(names.includes('notify'));
    for (const removed of [
      'replication',
      'zlib',
      'imap_zlib',
      'listescape',
      'mailbox_alias',
      'old_stats',
      'fts_lucene',
      'fts_squat',
    ]) {
      assert.ok(!names.includes(removed), removed);
    }
  });
});
