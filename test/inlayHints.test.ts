import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { getLanguageService } from '../server/src/service/dovecotLanguageService';
import { MemoryHost } from '../server/src/service/model/host';

const root = '/etc/dovecot/dovecot.conf';
const lmtp = '/etc/dovecot/conf.d/20-lmtp.conf';
const replication = '/etc/dovecot/conf.d/90-replication.conf';

function hintsFor(files: Record<string, string>, file: string): string[] {
  const service = getLanguageService(new MemoryHost(files));
  const analysis = service.analyze(root);
  return service
    .getInlayHints(analysis, file)
    .map((hint) => `${hint.position.line}:${hint.position.character} ${hint.label}`);
}

describe('inlay hints for self-referencing values', () => {
  it('shows the value a protocol block froze before a later global change', () => {
    const files = {
      [root]: 'mail_plugins = quota\r\n!include conf.d/*.conf\r\n',
      [lmtp]: 'protocol lmtp {\r\n  mail_plugins = $mail_plugins sieve\r\n}\r\n',
      [replication]: 'mail_plugins = $mail_plugins notify replication\r\n',
    };
    assert.deepEqual(hintsFor(files, lmtp), ['1:36 = quota sieve']);
    assert.deepEqual(hintsFor(files, replication), ['0:47 = quota notify replication']);
  });

  it('shows nothing for plain values and for references to other settings', () => {
    const files = { [root]: 'mail_plugins = quota\nlogin_greeting = $ENV:GREET ready\n' };
    assert.deepEqual(hintsFor(files, root), []);
  });

  it('in a Dovecot 2.4 tree, follows $SET:key and not $key, which 2.4 keeps as text', () => {
    const head = 'dovecot_config_version = 2.4.4\ndovecot_storage_version = 2.4.4\n';
    const greeting = `${head}login_greeting = Hello\nlogin_greeting = $SET:login_greeting world\n`;
    assert.deepEqual(hintsFor({ [root]: greeting }, root), ['3:42 = Hello world']);
    assert.deepEqual(hintsFor({ [root]: `${head}login_greeting = $login_greeting world\n` }, root), []);
  });

  it('marks an expansion to nothing as empty', () => {
    assert.deepEqual(hintsFor({ [root]: 'mail_plugins = $mail_plugins\n' }, root), ['0:28 = (empty)']);
  });
});
