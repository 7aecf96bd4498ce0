// Quick fixes of Dovecot 2.4 trees: each applied to the text and re-analysed removes its diagnostic
// and changes nothing else (the version settings, a renamed 2.3 key, a 2.3 `%u` variable).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { Diagnostic } from 'vscode-languageserver-types';
import { getLanguageService } from '../server/src/service/dovecotLanguageService';
import { MemoryHost } from '../server/src/service/model/host';
import { ROOT } from './helpers/cursor';

const HEAD = 'dovecot_config_version = 2.4.4\ndovecot_storage_version = 2.4.4\n';

function analyse(text: string) {
  const host = new MemoryHost({ [ROOT]: text });
  const service = getLanguageService(host);
  return { host, analysis: service.analyze(ROOT, { dovecotVersion: '2.4' }), service };
}

/** Applies the preferred fix for the first diagnostic with `code`; returns the new text and the fix titles. */
function fix(text: string, code: string): { text: string; titles: string[] } {
  const { host, analysis, service } = analyse(text);
  const found = analysis.diagnostics.find((d) => d.code === code);
  assert.ok(found, `${code} not reported on:\n${text}`);
  const diagnostic: Diagnostic = { range: found.range, message: found.message, code: found.code, data: found.data };
  const fixes = service.doQuickFixes(analysis, ROOT, [diagnostic], host).map(({ fix: f }) => f);
  const preferred = fixes.find((f) => f.isPreferred);
  assert.ok(preferred, `no preferred fix for ${code}`);
  const fixed = TextDocument.applyEdits(TextDocument.create(ROOT, 'dovecot', 1, text), preferred.edits[ROOT]);
  return { text: fixed, titles: fixes.map((f) => f.title) };
}

describe('Dovecot 2.4 quick fixes', () => {
  test('inserts dovecot_config_version first, then dovecot_storage_version after it', () => {
    const step1 = fix('mail_driver = maildir\n', 'config-version-missing');
    assert.equal(step1.text, 'dovecot_config_version = 2.4.4\nmail_driver = maildir\n');
    const step2 = fix(step1.text, 'storage-version-missing');
    assert.equal(step2.text, `${HEAD}mail_driver = maildir\n`);
    assert.deepEqual(analyse(step2.text).analysis.diagnostics, []);
  });

  test('renames a 2.3 key to its 2.4 name (the conversion to 2.4 writes the same line)', () => {
    const result = fix(`${HEAD}auth_default_realm = example.com # realm\n`, 'unknown-setting');
    assert.equal(result.titles[0], 'Convert to Dovecot 2.4: auth_default_domain = example.com # realm');
    assert.equal(result.text, `${HEAD}auth_default_domain = example.com # realm\n`);
    assert.deepEqual(analyse(result.text).analysis.diagnostics, []);
  });

  test('did-you-mean for a typo', () => {
    const result = fix(`${HEAD}mail_drivr = maildir\n`, 'unknown-setting');
    assert.equal(result.text, `${HEAD}mail_driver = maildir\n`);
  });

  test('writes doveadm_port for doveadm_proxy_port, on which Dovecot 2.4 aborts; the value and the rest stay', () => {
    const result = fix(`${HEAD}protocol imap {\n  doveadm_proxy_port = 12345 # proxy\n}\n`, 'setting-aborts-dovecot');
    assert.equal(result.titles[0], "Write 'doveadm_port'");
    assert.equal(result.text, `${HEAD}protocol imap {\n  doveadm_port = 12345 # proxy\n}\n`);
    assert.deepEqual(analyse(result.text).analysis.diagnostics, []);
  });

  test('writes the 2.4 form of each 2.3 variable, one at a time', () => {
    let text = `${HEAD}mail_path = /srv/mail/%d/%n\n`;
    text = fix(text, 'variable-syntax-23').text;
    assert.equal(text, `${HEAD}mail_path = /srv/mail/%{user | domain}/%n\n`);
    text = fix(text, 'variable-syntax-23').text;
    assert.equal(text, `${HEAD}mail_path = /srv/mail/%{user | domain}/%{user | username}\n`);
    assert.deepEqual(analyse(text).analysis.diagnostics, []);
  });

  test("a rejection message's %t, %n and %r become its own 2.4 variables, not the mail user's", () => {
    let text = `${HEAD}rejection_reason = To <%t>:%n%r\n`;
    for (let i = 0; i < 3; i++) text = fix(text, 'variable-syntax-23').text;
    assert.equal(text, `${HEAD}rejection_reason = To <%{to}>:%{literal('\\r\\n')}%{reason}\n`);
    assert.deepEqual(analyse(text).analysis.diagnostics, []);
    const [subject] = analyse(`${HEAD}rejection_subject = Rejected: %s %u\n`).analysis.diagnostics;
    assert.match(subject.message, /^%s is a Dovecot 2\.3 variable: .* Write %\{subject\}\.$/);
  });

  test('a Sieve extension 2.4 dropped leaves its block: the line goes, the rest stays', () => {
    const result = fix(
      `${HEAD}sieve_extensions {\n  imapflags = yes\n  vnd.dovecot.debug = yes\n}\n`,
      'sieve-extension-removed',
    );
    assert.deepEqual(result.titles, [
      "Remove 'imapflags' from sieve_extensions",
      'Ignore sieve-extension-removed on this line',
    ]);
    assert.equal(result.text, `${HEAD}sieve_extensions {\n  vnd.dovecot.debug = yes\n}\n`);
    assert.deepEqual(analyse(result.text).analysis.diagnostics, []);
  });

  test('no %u diagnostic for strftime settings, %% or 2.4 variables', () => {
    const { analysis } = analyse(
      `${HEAD}log_timestamp = "%Y-%m-%d %H:%M:%S "\nlogin_greeting = 100%% ready\nmail_home = /srv/%{user}\n`,
    );
    assert.deepEqual(analysis.diagnostics, []);
  });

  test('no %u diagnostic where Dovecot expands no variables (the attachment hash format) or for an IPv6 zone', () => {
    const codes = (text: string) => analyse(`${HEAD}${text}`).analysis.diagnostics.map((d) => d.code);
    // a hash format: doveconf rejects the %u itself (No '{' after '%'), under its 2.3 name it is unknown
    assert.deepEqual(codes('mail_ext_attachment_hash = %{sha1}%u\n'), ['settings-check']);
    assert.deepEqual(codes('mail_attachment_hash = %{sha1}%u\n'), ['unknown-setting']);
    assert.deepEqual(
      codes('listen = fe80::1%lo\nimapc_host = fe80::1%lo\nlogin_trusted_networks = fe80::/64%eth0\n'),
      [],
    );
    assert.deepEqual(codes('mail_path = ~/Maildir/%u\n'), ['variable-syntax-23']);
  });
});
