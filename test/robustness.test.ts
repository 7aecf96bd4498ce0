// Tier 7: generated and mutated inputs never crash the service, and every feature answers on them.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { getLanguageService } from '../server/src/service/dovecotLanguageService';
import { MemoryHost } from '../server/src/service/model/host';
import { prng } from './helpers/configGen';

const SEED_CONFIG = [
  '## Dovecot configuration file',
  'protocols = imap lmtp',
  'mail_plugins = $mail_plugins notify replication',
  '!include conf.d/*.conf',
  'service aggregator {',
  '  fifo_listener replication-notify-fifo {',
  '    user = vmail',
  '    mode = 0600',
  '  }',
  '}',
  'service doveadm {',
  '  inet_listener {',
  '    port = 12345',
  '    ssl = yes',
  '  }',
  '}',
  'plugin {',
  '  mail_replica = tcps:peer.example.com:12345 # the peer',
  '}',
  'protocol lmtp {',
  '  mail_plugins = $mail_plugins sieve',
  '}',
  'local 10.0.0.0/8 {',
  '  remote [::1] {',
  '    login_greeting = "hi # there"',
  '  }',
  '}',
  'namespace inbox {',
  '  mailbox "Sent Messages" {',
  '    special_use = \\Sent',
  '  }',
  '}',
  'doveadm_password = <pw.txt',
  'mail_location = maildir:~/Maildir \\',
  '  :LAYOUT=fs',
].join('\n');

const ALPHABET = ['{', '}', '"', "'", '#', '\\', '$', '<', '=', '\n', '\r\n', ' ', '\t', '!', 'x', ':', '/', '*'];

function mutate(text: string, next: () => number): string {
  let result = text;
  const count = 1 + Math.floor(next() * 6);
  for (let i = 0; i < count; i++) {
    const at = Math.floor(next() * (result.length + 1));
    const choice = next();
    if (choice < 0.4) result = result.slice(0, at) + result.slice(at + 1 + Math.floor(next() * 8));
    else if (choice < 0.8)
      result = result.slice(0, at) + ALPHABET[Math.floor(next() * ALPHABET.length)] + result.slice(at);
    else {
      const lines = result.split('\n');
      const line = Math.floor(next() * lines.length);
      lines.splice(Math.floor(next() * lines.length), 0, lines[line]);
      result = lines.join('\n');
    }
  }
  return result;
}

function exerciseEveryFeature(text: string, next: () => number): void {
  const root = '/etc/dovecot/dovecot.conf';
  const include = '/etc/dovecot/conf.d/10-mail.conf';
  const host = new MemoryHost({
    [root]: text,
    [include]: mutate('mail_uid = vmail\nservice replicator {\n  process_min_avail = 1\n}\n', next),
    '/etc/dovecot/pw.txt': 'secret\n',
  });
  const service = getLanguageService(host);
  const analysis = service.analyze(root);
  assert.equal(
    analysis.diagnostics.filter((d) => d.code === 'internal-error').length,
    0,
    analysis.diagnostics.map((d) => d.message).join('\n'),
  );
  const parsed = analysis.model.files.get(root)?.parsed ?? service.parse(root, text);
  service.findDocumentSymbols(parsed);
  service.getFoldingRanges(parsed);
  service.format({ text, parsed }, []);
  const lines = text.split('\n');
  for (let probe = 0; probe < 5; probe++) {
    const line = Math.floor(next() * (lines.length + 2));
    const character = Math.floor(next() * ((lines[line]?.length ?? 0) + 2));
    service.doComplete(analysis, root, { line, character });
    service.doHover(analysis, root, { line, character });
    service.findDefinition(analysis, root, { line, character });
  }
  const diagnostics = analysis.diagnostics
    .filter((d) => d.file === root)
    .map((d) => ({ range: d.range, message: d.message, code: d.code, data: d.data }));
  service.doQuickFixes(analysis, root, diagnostics, host);
}

describe('robustness on mutated configurations', () => {
  it('analyses, completes, hovers, formats and fixes 400 mutated configs without throwing', () => {
    for (let seed = 1; seed <= 400; seed++) {
      const next = prng(seed);
      const text = mutate(SEED_CONFIG, next);
      assert.doesNotThrow(() => exerciseEveryFeature(text, next), `seed ${seed}`);
    }
  });

  it('survives pathological inputs: empty, only braces, very long line, deep nesting, NUL bytes', () => {
    const next = prng(7);
    const inputs = [
      '',
      '}}}}',
      '{'.repeat(1000),
      'a = ' + 'x'.repeat(200000),
      'service a {\n'.repeat(500),
      'mail_debug = \u0000yes\n',
      '"unterminated\n\'also',
      '\\\n\\\n\\',
    ];
    for (const text of inputs)
      assert.doesNotThrow(() => exerciseEveryFeature(text, next), JSON.stringify(text.slice(0, 20)));
  });
});
