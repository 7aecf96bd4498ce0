// Hover and go to definition on a Dovecot 2.4 `$SET:name`: what Dovecot puts there, checked against the real
// doveconf 2.4 -x (which expands as Dovecot does when it starts) where it is built.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import type { MarkupContent } from 'vscode-languageserver-types';
import { getLanguageService } from '../server/src/service/dovecotLanguageService';
import { MemoryHost } from '../server/src/service/model/host';
import { ROOT } from './helpers/cursor';

const DOVECONF_24 = '/opt/dovecot-2.4.4/bin/doveconf';
const TEXT = [
  'dovecot_config_version = 2.4.4',
  'dovecot_storage_version = 2.4.4',
  'mail_home = /a/%{user}',
  'mail_path = $SET:mail_home',
  'mail_home = /b/%{user}',
  'login_greeting = Hi',
  'login_greeting = $SET:login_greeting there',
  'mail_plugins = $mail_plugins quota',
  'protocol imap {',
  '  mail_path = $SET:mail_home',
  '  hostname = $SET:service_client_limit',
  '}',
  'protocol pop3 {',
  '  mail_path = $SET:mail_home',
  '  mail_home = /pop3/%{user}',
  '}',
  'local 10.0.0.1 {',
  '  protocol lmtp {',
  '    mail_path = $SET:mail_home',
  '  }',
  '  mail_home = /local/%{user}',
  '}',
  'service imap {',
  '  executable = $SET:login_greeting',
  '}',
  'postmaster_address = $SET:service/imap/service_executable',
  'default_client_limit = 500',
  '',
].join('\n');

const analysed = () => {
  const service = getLanguageService(new MemoryHost({ [ROOT]: TEXT }));
  return { service, analysis: service.analyze(ROOT, { dovecotVersion: '2.4' }) };
};

/** The position of the `occurrence`-th (from 0) `needle` in TEXT, one character into it. */
function at(needle: string, occurrence = 0) {
  const lines = TEXT.split('\n');
  let seen = 0;
  for (let line = 0; line < lines.length; line++) {
    const character = lines[line].indexOf(needle);
    if (character >= 0 && seen++ === occurrence) return { line, character: character + 1 };
  }
  throw new Error(`${needle} not in the text`);
}

function hover(needle: string, occurrence = 0): string | undefined {
  const { service, analysis } = analysed();
  const found = service.doHover(analysis, ROOT, at(needle, occurrence));
  return (found?.contents as MarkupContent | undefined)?.value;
}

function definitionLines(needle: string, occurrence = 0): number[] {
  const { service, analysis } = analysed();
  return service.findDefinition(analysis, ROOT, at(needle, occurrence)).map((location) => location.range.start.line);
}

describe('$SET: in a Dovecot 2.4 tree', () => {
  test('on its own key: the value before the line, and its line', () => {
    assert.match(hover('$SET:login_greeting') ?? '', /Expands here to `Hi` \(set at dovecot\.conf:6\)/);
    assert.deepEqual(definitionLines('$SET:login_greeting'), [5]);
  });

  test('of another setting on a top-level line: the value once the whole configuration is read', () => {
    assert.match(
      hover('$SET:mail_home') ?? '',
      /Dovecot puts in `\/b\/%\{user\}` \(set at dovecot\.conf:5\) when it starts/,
    );
    assert.deepEqual(definitionLines('$SET:mail_home'), [4]);
  });

  test("inside protocol and local filters: the filter's own last value, else the filters around it, else the top level", () => {
    assert.match(hover('$SET:mail_home', 1) ?? '', /Dovecot puts in `\/b\/%\{user\}` \(set at dovecot\.conf:5\)/);
    assert.deepEqual(definitionLines('$SET:mail_home', 1), [4]);
    assert.match(hover('$SET:mail_home', 2) ?? '', /Dovecot puts in `\/pop3\/%\{user\}` \(set at dovecot\.conf:15\)/);
    assert.deepEqual(definitionLines('$SET:mail_home', 2), [14]);
    assert.match(hover('$SET:mail_home', 3) ?? '', /Dovecot puts in `\/local\/%\{user\}` \(set at dovecot\.conf:21\)/);
    assert.deepEqual(definitionLines('$SET:mail_home', 3), [20]);
  });

  test('a default that is itself a $SET: (the service limits): the value it chains to', () => {
    assert.match(hover('$SET:service_client_limit') ?? '', /Dovecot puts in `500` \(set at dovecot\.conf:27\)/);
    assert.deepEqual(definitionLines('$SET:service_client_limit'), [26]);
  });

  test("nothing claimed inside other blocks (Dovecot's own defaults of the block come in), for a 2.3 $name or a path", () => {
    assert.equal(hover('$SET:login_greeting', 1), undefined);
    assert.deepEqual(definitionLines('$SET:login_greeting', 1), []);
    assert.equal(hover('$SET:service/imap'), undefined);
    assert.equal(hover('$mail_plugins'), undefined);
    assert.deepEqual(definitionLines('$mail_plugins'), []);
  });

  const present = existsSync(DOVECONF_24);
  if (!present) console.log(`SKIPPED: no Dovecot 2.4 doveconf at ${DOVECONF_24} (see scripts/build-dovecot24.sh)`);
  test('agrees with doveconf 2.4 -x on the values put in', { skip: !present }, () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'dovecot-set-reading-'));
    try {
      const file = path.join(dir, 'dovecot.conf');
      writeFileSync(file, TEXT.replace('mail_plugins = $mail_plugins quota\n', ''));
      const expanded = spawnSync(DOVECONF_24, ['-x', '-c', file], { encoding: 'utf8' }).stdout;
      assert.match(expanded, /^mail_path = \/b\/%\{user\}$/m);
      assert.match(expanded, /^login_greeting = Hi there$/m);
      assert.match(expanded, /^protocol imap \{\n {2}hostname = 500\n {2}mail_path = \/b\/%\{user\}\n\}$/m);
      assert.match(
        expanded,
        /^protocol pop3 \{\n {2}mail_home = \/pop3\/%\{user\}\n {2}mail_path = \/pop3\/%\{user\}\n\}$/m,
      );
      assert.match(expanded, /^ {2}protocol lmtp \{\n {4}mail_path = \/local\/%\{user\}\n {2}\}$/m);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
