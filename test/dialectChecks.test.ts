import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { getLanguageService } from '../server/src/service/dovecotLanguageService';
import { MemoryHost } from '../server/src/service/model/host';

function analyze(text: string) {
  const root = '/etc/dovecot/dovecot.conf';
  return getLanguageService(new MemoryHost({ [root]: text })).analyze(root);
}

describe('dialect checks', () => {
  it('detects a 2.3 configuration and applies the 2.3 schema', () => {
    const analysis = analyze('mail_location = maildir:~/Maildir\nfoo = bar\n');
    assert.equal(analysis.dialect, '2.3');
    assert.deepEqual(
      analysis.diagnostics.map((d) => d.code),
      ['unknown-setting'],
    );
  });

  it('gives a 2.4 configuration no false unknown-setting alarms', () => {
    const analysis = analyze(
      'dovecot_config_version = 2.4.0\ndovecot_storage_version = 2.4.0\nmail_driver = maildir\nmail_path = ~/Maildir\n',
    );
    assert.equal(analysis.dialect, '2.4');
    assert.deepEqual(analysis.diagnostics, []);
  });

  it('still reports syntax errors in a 2.4 configuration', () => {
    const analysis = analyze('dovecot_config_version = 2.4.0\ndovecot_storage_version = 2.4.0\nservice imap\n');
    assert.deepEqual(
      analysis.diagnostics.map((d) => d.code),
      ['expecting-brace'],
    );
  });

  it('warns on the first 2.4 marker of a mixed configuration, and on each 2.3 construct the conversion changes', () => {
    const analysis = analyze('mail_location = maildir:~/Maildir\nmail_driver = maildir\nmail_home = /home/%u\n');
    assert.equal(analysis.dialect, 'mixed');
    const mixed = analysis.diagnostics.filter((d) => d.code === 'mixed-dialect');
    assert.equal(mixed[0].range.start.line, 1);
    assert.match(mixed[0].message, /mixes Dovecot 2\.3 constructs/);
    assert.ok(mixed.every((d) => d.level === 'warning'));
    const constructs = mixed.slice(1);
    assert.ok(
      constructs.some((d) => d.range.start.line === 0 && /mail_location/.test(d.message)),
      constructs.map((d) => d.message).join('\n'),
    );
    assert.ok(
      constructs.some((d) => d.range.start.line === 2 && /%\{user\}/.test(d.message)),
      constructs.map((d) => d.message).join('\n'),
    );
    assert.ok(!constructs.some((d) => d.range.start.line === 1), 'the 2.4 line is not a 2.3 construct');
  });

  it('reports the mix once, on the 2.4 marker that decided it, a block or sieve_script too (one list of markers)', () => {
    for (const [text, line, character] of [
      ['mail_location = maildir:~/Maildir\nmail_plugins {\n  quota = yes\n}\n', 1, 0],
      ['mail_location = maildir:~/Maildir\n  sieve_script = personal\n', 1, 2],
    ] as const) {
      // the summary; the 2.3 constructs get diagnostics of their own (what each becomes in 2.4)
      const summary = analyze(text).diagnostics.filter(
        (d) => d.code === 'mixed-dialect' && d.message.startsWith('This configuration mixes'),
      );
      assert.deepEqual(
        summary.map((d) => d.range.start),
        [{ line, character }],
        text,
      );
    }
  });
});
