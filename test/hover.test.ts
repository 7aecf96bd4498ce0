import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import type { Hover, MarkupContent } from 'vscode-languageserver-types';
import { getLanguageService } from '../server/src/service/dovecotLanguageService';
import { DiskHost } from '../server/src/service/model/diskHost';
import { cursorIn, cursorInRoot, ROOT, type CursorCase } from './helpers/cursor';

const STOCK_ROOT = path.resolve('test/fixtures/debian-stock/dovecot.conf');

function hover(c: CursorCase): Hover | null {
  return c.service.doHover(c.analysis, c.file, c.position);
}

function hoverText(c: CursorCase): string {
  const result = hover(c);
  assert.ok(result, 'expected a hover');
  return (result.contents as MarkupContent).value;
}

describe('hover on keys', () => {
  it('describes type, default, values and context', () => {
    const text = hoverText(cursorInRoot('s|sl = required\n'));
    assert.match(text, /\*\*ssl\*\*/);
    assert.match(text, /Type: one of a fixed list/);
    assert.match(text, /Default: `yes`/);
    assert.match(text, /Values: `yes`, `no`, `required`/);
    assert.match(text, /Valid top level/);
    assert.match(text, /In effect: `required` \(dovecot\.conf:1\)/);
  });

  it('shows the value in effect set later in another file, with file:line', () => {
    const c = cursorIn({
      [ROOT]: 'mail_plugins = |quota\n!include conf.d/*.conf\n',
      '/etc/dovecot/conf.d/10-mail.conf': '# mail\n\nmail_plugins = $mail_plugins notify replication\n',
    });
    const result = hover({ ...c, position: { line: 0, character: 3 } });
    assert.ok(result);
    assert.match(
      (result.contents as MarkupContent).value,
      /In effect: `quota notify replication` \(conf\.d\/10-mail\.conf:3\)/,
    );
    assert.deepEqual(result.range, { start: { line: 0, character: 0 }, end: { line: 0, character: 12 } });
  });

  it('a key with no assignment in effect shows the default; protocol overrides are listed', () => {
    const text = hoverText(cursorInRoot('protocol imap {\n  mail_debug = yes\n}\n# x\nmail_de|bug = no\n'));
    assert.match(text, /In effect: `no` \(dovecot\.conf:5\)/);
    assert.match(text, /Overridden in `protocol imap`/);
  });

  it('inside a protocol filter: the value for that protocol', () => {
    const text = hoverText(
      cursorInRoot('mail_plugins = notify\nprotocol imap {\n  mail_pl|ugins = $mail_plugins imap_quota\n}\n'),
    );
    assert.match(text, /In effect for protocol imap: `notify imap_quota` \(dovecot\.conf:3\)/);
  });

  it('service keys use the merged service across files, else the service default', () => {
    const c = cursorIn({
      [ROOT]: 'service replicator {\n  process_min_avail = 0\n  process_li|mit = 1\n}\n!include conf.d/*.conf\n',
      '/etc/dovecot/conf.d/10-master.conf': 'service replicator {\n  process_min_avail = 1\n}\n',
    });
    const text = hoverText({ ...c, position: { line: 1, character: 5 } });
    assert.match(text, /In effect: `1` \(conf\.d\/10-master\.conf:2\)/);
    assert.match(hoverText(cursorInRoot('service aggregator {\n  us|er = vmail\n}\n')), /In effect: `vmail`/);
  });

  it('listener keys fall back to the default listener of the service', () => {
    const text = hoverText(
      cursorInRoot('service aggregator {\n  fifo_listener replication-notify-fifo {\n    mo|de = 0600\n  }\n}\n'),
    );
    assert.match(text, /\*\*mode\*\*/);
    assert.match(text, /Valid inside `service \{ fifo_listener \{ \} \}`/);
  });

  it('plugin keys: description, shape and the value in effect', () => {
    const text = hoverText(cursorInRoot('plugin {\n  mail_rep|lica = tcp:peer:12345\n}\n'));
    assert.match(text, /plugin setting/);
    assert.match(text, /tcps:host/);
    assert.match(text, /In effect: `tcp:peer:12345` \(dovecot\.conf:2\)/);
  });

  it('a key in the wrong context or unknown gives no hover', () => {
    assert.equal(hover(cursorInRoot('process_li|mit = 1\n')), null);
    assert.equal(hover(cursorInRoot('no_such|_key = 1\n')), null);
    assert.equal(hover(cursorInRoot('# ssl|\n')), null);
  });
});

describe('hover on values', () => {
  it('a mail_plugins word describes that plugin', () => {
    const c = cursorInRoot('mail_plugins = notify repli|cation\n');
    const result = hover(c);
    assert.ok(result);
    assert.match((result.contents as MarkupContent).value, /\*\*replication\*\* \(mail plugin\)/);
    assert.deepEqual(result.range, { start: { line: 0, character: 22 }, end: { line: 0, character: 33 } });
  });

  it('$mail_plugins shows the value it expanded to when the line was read, not a later one', () => {
    const text = hoverText(
      cursorInRoot(
        'mail_plugins = notify\nprotocol lmtp {\n  mail_plugins = $mail_pl|ugins sieve\n}\nmail_plugins = $mail_plugins replication\n',
      ),
    );
    assert.match(text, /Expands here to `notify` \(set at dovecot\.conf:1\)/);
    assert.match(
      text,
      /A later line \(dovecot\.conf:5\) changes `mail_plugins` to `notify replication`; that does not reach this line/,
    );
  });

  it('$mail_plugins in a global line after a protocol block expands to the earlier global value, not its own', () => {
    const c = cursorIn({
      [ROOT]: '!include conf.d/*.conf\n',
      '/etc/dovecot/conf.d/10-mail.conf': 'mail_plugins = quota\n',
      '/etc/dovecot/conf.d/20-lmtp.conf': 'protocol lmtp {\n  mail_plugins = $mail_plugins sieve\n}\n',
      '/etc/dovecot/conf.d/90-replication.conf': '# replication\nmail_plugins = $mail_plu|gins notify replication\n',
    });
    const result = hover(c);
    assert.ok(result);
    const text = (result.contents as MarkupContent).value;
    assert.match(text, /Expands here to `quota` \(set at conf\.d\/10-mail\.conf:1\)/);
    assert.doesNotMatch(text, /notify replication/);
    assert.deepEqual(result.range, { start: { line: 1, character: 15 }, end: { line: 1, character: 28 } });
  });

  it('no expansion is claimed for $name that reads no setting (Dovecot stops there) or for $ENV:NAME', () => {
    for (const text of [
      'service imap {\n  vsz_limit = 1G\n  vsz_limit = $vsz_l|imit 2\n}\n',
      'service imap {\n  inet_listener imap {\n    port = 143\n    address = $po|rt\n  }\n}\n',
      'mail_location = $ENV:M|AIL\n',
    ]) {
      const c = cursorInRoot(text);
      assert.equal(hover(c), null, text);
    }
  });

  it('a protocols word describes the protocol', () => {
    assert.match(hoverText(cursorInRoot('protocols = imap lm|tp\n')), /\*\*lmtp\*\* \(protocol\)/);
  });
});

describe('hover on section headers', () => {
  it('service NAME: role and default listeners', () => {
    const text = hoverText(cursorInRoot('service aggre|gator {\n}\n'));
    assert.match(text, /\*\*service aggregator\*\*/);
    assert.match(text, /`fifo_listener replication-notify-fifo`/);
    assert.match(text, /`unix_listener replication-notify`/);
    const onType = hover(cursorInRoot('serv|ice replicator {\n}\n'));
    assert.ok(onType);
    assert.match((onType.contents as MarkupContent).value, /process_limit` must be 1/);
  });

  it('service merged from several files lists where', () => {
    const c = cursorIn({
      [ROOT]: 'service imap {\n}\n!include conf.d/*.conf\n',
      '/etc/dovecot/conf.d/10-master.conf': '\nservice im|ap {\n}\n',
    });
    assert.match(hoverText(c), /Merged from dovecot\.conf:1, conf\.d\/10-master\.conf:2/);
  });

  it('a listener header: its defaults, or that it adds a listener', () => {
    const known = hoverText(cursorInRoot('service aggregator {\n  unix_listener replication-no|tify {\n  }\n}\n'));
    assert.match(known, /Default listener of `service aggregator`/);
    assert.match(known, /mode = 0600/);
    const extra = hoverText(cursorInRoot('service aggregator {\n  unix_listener ot|her {\n  }\n}\n'));
    assert.match(extra, /adds a new listener/);
  });

  it('filters and plain sections', () => {
    assert.match(hoverText(cursorInRoot('proto|col lmtp {\n}\n')), /Filter block/);
    assert.match(hoverText(cursorInRoot('protocol lm|tp {\n}\n')), /`lmtp`: LMTP/);
    assert.match(hoverText(cursorInRoot('plug|in {\n}\n')), /\*\*plugin\*\*/);
    assert.match(hoverText(cursorInRoot('namespace inbox {\n  mail|box Trash {\n  }\n}\n')), /\*\*mailbox Trash\*\*/);
  });

  it('a header in an included file inside a service', () => {
    const c = cursorIn({
      [ROOT]: 'service doveadm {\n  !include listener.conf\n}\n',
      '/etc/dovecot/listener.conf': 'inet_lis|tener {\n  port = 12345\n}\n',
    });
    assert.match(hoverText(c), /Not a default listener of `service doveadm`/);
  });
});

describe('hover on a key written in double quotes (2.3 keeps the quotes in the key)', () => {
  it('no setting has such a name: no hover, in a section or in plugin {}', () => {
    const c = cursorInRoot('"mail_d|ebug" = yes\nplugin {\n  "x" = y\n}\n');
    assert.equal(c.analysis.dialect, '2.3');
    assert.equal(c.service.doHover(c.analysis, c.file, c.position), null);
    assert.equal(c.service.doHover(c.analysis, c.file, { line: 2, character: 3 }), null);
  });

  it("the plugin key without quotes shows its own value, not the quoted key's set after it", () => {
    const text = hoverText(cursorInRoot('plugin {\n  s|ieve = file:~/sieve\n  "sieve" = file:~/other\n}\n'));
    assert.match(text, /In effect: `file:~\/sieve` \(dovecot\.conf:2\)/);
  });
});

describe('hover never crashes', () => {
  it('every cursor position of the Debian stock tree (test/fixtures/debian-stock)', () => {
    assert.ok(existsSync(STOCK_ROOT), `missing fixture ${STOCK_ROOT}`);
    const host = new DiskHost();
    const service = getLanguageService(host);
    const analysis = service.analyze(STOCK_ROOT);
    let hovers = 0;
    for (const file of analysis.files) {
      const lines = (host.readFile(file) ?? '').split('\n');
      lines.forEach((lineText, line) => {
        for (let character = 0; character <= lineText.length + 1; character++) {
          if (service.doHover(analysis, file, { line, character })) hovers++;
        }
      });
    }
    assert.ok(hovers > 100, `expected hovers on the stock tree's keys and headers, got ${hovers}`);
  });

  it('odd input: unclosed sections, bare keys, lone braces', () => {
    const c = cursorInRoot(
      'service broken {\n  unclosed {\nmail_location maildir:~/x\n= value\n} }\nkey = "unterminated\n|',
    );
    for (let line = 0; line < 8; line++) {
      for (let character = 0; character < 30; character++) c.service.doHover(c.analysis, c.file, { line, character });
    }
  });
});

describe('hover text says each thing once and means it', () => {
  it('an auth setting names where it is allowed without contradicting itself', () => {
    const text = hoverText(cursorInRoot('auth_mec|hanisms = plain\n'));
    assert.match(
      text,
      /Valid top level \(also inside `protocol` filters; not inside `local`\/`remote` filters: auth setting\)/,
    );
    assert.doesNotMatch(text, /local_name/);
    assert.equal(text.match(/local`\/`remote/g)?.length, 1, text);
  });

  it('mail_replica shows the shapes of its value, not its own name', () => {
    const text = hoverText(cursorInRoot('plugin {\n  mail_rep|lica = tcp:b.example.com:12345\n}\n'));
    assert.doesNotMatch(text, /Value: mail_replica/);
    assert.match(text, /Value: tcp:host\[:port\], tcps:host\[:port\]/);
  });
});

describe('hover on <file values', () => {
  it('shows the value as written, never the file content (it may be a key)', () => {
    const plugins = hoverText(
      cursorIn({
        [ROOT]: 'mail_plug|ins = </etc/dovecot/mail_plugins\n',
        '/etc/dovecot/mail_plugins': 'notify replication\n',
      }),
    );
    assert.match(plugins, /In effect: `<\/etc\/dovecot\/mail_plugins`/);
    assert.doesNotMatch(plugins, /notify replication/);
    const key = hoverText(
      cursorIn({
        [ROOT]: 'ssl_k|ey = </etc/dovecot/private/key.pem\n',
        '/etc/dovecot/private/key.pem': '-----BEGIN PRIVATE KEY-----\nsecret\n',
      }),
    );
    assert.doesNotMatch(key, /secret|BEGIN/);
  });
});
