import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { getLanguageService } from '../server/src/service/dovecotLanguageService';
import { MemoryHost } from '../server/src/service/model/host';

function codes(text: string): string[] {
  const root = '/etc/dovecot/dovecot.conf';
  return getLanguageService(new MemoryHost({ [root]: text }))
    .analyze(root)
    .diagnostics.map((d) => `${d.code}@${d.range.start.line}:${d.range.start.character}`);
}

describe('variable checks', () => {
  it('reports $name that names no setting, on the token', () => {
    assert.deepEqual(codes('mail_plugins = $foo quota\n'), ['unknown-variable@0:15']);
  });

  it('accepts self-references, other settings, $ENV: and quoted or embedded dollars', () => {
    assert.deepEqual(
      codes(
        'mail_plugins = quota\nmail_plugins = $mail_plugins acl\nlogin_greeting = $ENV:GREET ready\npostmaster_address = "$mail_plugins"\nmail_location = maildir:~/x$y\nlogin_trusted_networks = $base_dir\n',
      ),
      [],
    );
  });
});
