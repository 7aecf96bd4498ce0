import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
// @ts-expect-error plain ES module script without type declarations
import { generate, parseSettingsTsv, parseDoveconfDump, OUTPUT } from '../scripts/gen-settings.mjs';
import data from '../server/src/service/schema/settings-2.3.json';

const DATA = join(__dirname, '..', 'data', 'dovecot');
const settings = data.settings as Array<{ name: string; context: string; type: string; aliasOf?: string }>;
const byId = new Map(settings.map((s) => [`${s.context}/${s.name}`, s]));

test('the checked-in settings-2.3.json is what the generator produces', () => {
  assert.equal(readFileSync(OUTPUT, 'utf8'), generate());
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
  const important = settings.filter((s) =>
    /^(replicat|doveadm|dsync|ssl|mail_plugins$|protocols$)/.test(s.name) || s.context.startsWith('service'));
  assert.ok(important.length > 60);
  for (const s of important) {
    assert.ok((s as { description?: string }).description, `${s.context}/${s.name}`);
  }
});
