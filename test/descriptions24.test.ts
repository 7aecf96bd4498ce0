import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CompletionItem, MarkupContent } from 'vscode-languageserver-types';
import data24 from '../server/src/service/schema/settings-2.4.json';
// @ts-expect-error plain ES module script without type declarations
import { generatedDescription } from '../scripts/gen-settings-24.mjs';
import { cursorInRoot } from './helpers/cursor';

const ROOT = join(__dirname, '..');
const ours = JSON.parse(readFileSync(join(ROOT, 'data', 'dovecot', 'descriptions-2.4.json'), 'utf8')) as Record<
  string,
  string
>;
type Setting24 = (typeof data24.settings)[number];
const settings = data24.settings as Setting24[];
const byName = new Map(settings.map((s) => [s.name, s]));

const V24 = 'dovecot_config_version = 2.4.0\ndovecot_storage_version = 2.4.0\n';

function hoverText(marked: string): string {
  const c = cursorInRoot(marked);
  assert.equal(c.analysis.dialect, '2.4', 'the test tree must be detected as 2.4');
  const result = c.service.doHover(c.analysis, c.file, c.position);
  assert.ok(result, 'expected a hover');
  return (result.contents as MarkupContent).value;
}

function completionItem(marked: string, label: string): CompletionItem {
  const c = cursorInRoot(marked);
  assert.equal(c.analysis.dialect, '2.4', 'the test tree must be detected as 2.4');
  const item = c.service.doComplete(c.analysis, c.file, c.position).find((candidate) => candidate.label === label);
  assert.ok(item, `no completion item ${label}`);
  return item;
}

describe('our own description for every 2.4 setting (data/dovecot/descriptions-2.4.json)', () => {
  it('every setting of the 2.4 schema has a non-empty description of ours', () => {
    assert.ok(settings.length >= 800, 'the 2.4 schema lists every setting');
    const missing = settings.filter((s) => (ours[s.name] ?? '').trim() === '').map((s) => s.name);
    assert.deepEqual(missing, []);
  });

  it('no description names a setting that does not exist in 2.4', () => {
    const unknown = Object.keys(ours).filter((name) => !byName.has(name));
    assert.deepEqual(unknown, []);
  });

  it('the schema carries our text, not the generated type/default sentence', () => {
    for (const setting of settings) {
      assert.equal(setting.description, ours[setting.name], setting.name);
      assert.notEqual(setting.description, generatedDescription(setting), setting.name);
    }
  });

  it('descriptions are short admin-facing prose: no internal references, no empty sentences', () => {
    for (const [name, text] of Object.entries(ours)) {
      assert.doesNotMatch(text, /FACTS|§|\brow \d|test\/|\.test\.ts/, name);
      assert.ok(text.length <= 450, `${name}: ${text.length} characters; keep it to 1–3 sentences`);
      assert.ok(/[.)`]$/.test(text), `${name}: ends mid-sentence`);
      assert.equal(text.trim(), text, name);
    }
  });

  it('a default a description states is the default doveconf 2.4.4 prints', () => {
    let stated = 0;
    for (const [name, text] of Object.entries(ours)) {
      for (const match of text.matchAll(/\(default `([^`]*)`\)/g)) {
        stated += 1;
        assert.equal(match[1], byName.get(name)?.default, `${name} says default ${match[1]}`);
      }
    }
    assert.ok(stated > 0, 'at least one description states its default');
  });

  it('a 2.3 name that 2.4 renamed or removed is only quoted as the 2.3 name, never as a current setting', () => {
    const renames = JSON.parse(readFileSync(join(ROOT, 'data', 'dovecot', 'renames-2.3-to-2.4.json'), 'utf8')) as {
      entries: Array<{ old: string }>;
    };
    const oldNames = new Set(renames.entries.map((entry) => entry.old));
    let quoted = 0;
    for (const [name, text] of Object.entries(ours)) {
      for (const match of text.matchAll(/`([a-z0-9_]+)`/g)) {
        if (!oldNames.has(match[1])) continue;
        quoted += 1;
        assert.match(text, /2\.3/, `${name} quotes \`${match[1]}\` without saying it is the 2.3 name`);
      }
    }
    assert.ok(quoted > 0, 'the renamed settings point back to their 2.3 names somewhere');
  });

  it('every bare word an enum description quotes is a value the setting accepts (or a setting name)', () => {
    let checked = 0;
    for (const setting of settings.filter((s) => s.values && s.values.length > 1)) {
      const quoted = [...ours[setting.name].matchAll(/`([a-z0-9-]+)`/g)].map((m) => m[1]);
      for (const word of quoted.filter((w) => !byName.has(w))) {
        checked += 1;
        assert.ok(
          setting.values!.includes(word),
          `${setting.name}: \`${word}\` is not one of ${setting.values!.join(', ')}`,
        );
      }
    }
    assert.ok(checked > 100, `only ${checked} quoted enum values were checked`);
  });
});

describe('hover and completion show our 2.4 descriptions', () => {
  it('hover on a top-level key', () => {
    const text = hoverText(`${V24}mail_dri|ver = maildir\n`);
    assert.ok(text.includes(ours.mail_driver), text);
    assert.doesNotMatch(text, /Part of the `/);
  });

  it('hover on a short name inside a named list filter resolves to the prefixed setting', () => {
    const text = hoverText(`${V24}passdb pw {\n  driver = passwd-file\n  result_succ|ess = continue-ok\n}\n`);
    assert.match(text, /`passdb_result_success`/);
    assert.ok(text.includes(ours.passdb_result_success), text);
    const sieve = hoverText(`${V24}sieve_script personal {\n  driver = file\n  active_pa|th = ~/.dovecot.sieve\n}\n`);
    assert.ok(sieve.includes(ours.sieve_script_active_path), sieve);
  });

  it('hover on a named filter header shows the filter description', () => {
    const text = hoverText(`${V24}ssl_ser|ver {\n  cert_file = /etc/ssl/cert.pem\n}\n`);
    assert.ok(text.includes(ours.ssl_server), text);
  });

  it('completion documentation of a setting is our description', () => {
    const item = completionItem(`${V24}service imap {\n  |\n}\n`, 'restart_request_count');
    assert.ok((item.documentation as MarkupContent).value.includes(ours.service_restart_request_count));
    const top = completionItem(`${V24}|`, 'auth_allow_cleartext');
    assert.ok((top.documentation as MarkupContent).value.includes(ours.auth_allow_cleartext));
  });
});
