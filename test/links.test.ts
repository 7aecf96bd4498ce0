// Document links: an include pattern links to the first file it includes (one link per range); a `<file` value links to an existing file,
// both relative to the directory of the file that holds them (FACTS §1.6, §1.9). A value link covers the path after '<'.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { type FileLink } from '../server/src/service/features/links';
import { getLanguageService } from '../server/src/service/dovecotLanguageService';
import { MemoryHost } from '../server/src/service/model/host';

const ROOT = '/etc/dovecot/dovecot.conf';

function linksIn(files: Record<string, string>, file: string): FileLink[] {
  const host = new MemoryHost(files);
  const service = getLanguageService(host);
  const analysis = service.analyze(ROOT);
  return service.findDocumentLinks(analysis, file, host);
}

/** `line:start-end -> target (tooltip)` per link. */
const brief = (links: FileLink[]): string[] =>
  links.map(
    (l) => `${l.range.start.line}:${l.range.start.character}-${l.range.end.character} -> ${l.target} (${l.tooltip})`,
  );

for (const eol of ['\n', '\r\n']) {
  const text = (...lines: string[]) => lines.join(eol) + eol;
  describe(`document links (${JSON.stringify(eol)})`, () => {
    test('an include pattern has one link, to the first file in Dovecot order, from the pattern range', () => {
      const links = linksIn(
        {
          [ROOT]: text(
            'protocols = imap',
            '!include conf.d/*.conf',
            '!include_try local.conf',
            '!include_try missing.conf',
          ),
          '/etc/dovecot/conf.d/20-imap.conf': text('imap_idle_notify_interval = 2 mins'),
          '/etc/dovecot/conf.d/10-mail.conf': text('mail_location = maildir:~/Maildir'),
          '/etc/dovecot/conf.d/README': text('not included'),
          '/etc/dovecot/local.conf': text(''),
        },
        ROOT,
      );
      assert.deepEqual(brief(links), [
        '1:9-22 -> /etc/dovecot/conf.d/10-mail.conf (Included: /etc/dovecot/conf.d/10-mail.conf and 1 more (Go to Definition lists them all))',
        '2:13-23 -> /etc/dovecot/local.conf (Included: /etc/dovecot/local.conf)',
      ]);
    });

    test('<file values link only when the file exists, relative to the directory of the file that holds them', () => {
      const files = {
        [ROOT]: text('!include conf.d/10-ssl.conf'),
        '/etc/dovecot/conf.d/10-ssl.conf': text(
          'ssl_cert = <certs/server.pem',
          'ssl_key = </etc/ssl/private/missing.key',
          'ssl_ca = <../ca.pem',
          'ssl_dh = <',
        ),
        '/etc/dovecot/conf.d/certs/server.pem': 'CERT',
        '/etc/dovecot/ca.pem': 'CA',
        '/etc/dovecot/certs/server.pem': 'a decoy next to the root',
      };
      assert.deepEqual(brief(linksIn(files, '/etc/dovecot/conf.d/10-ssl.conf')), [
        '0:12-28 -> /etc/dovecot/conf.d/certs/server.pem (Value read from /etc/dovecot/conf.d/certs/server.pem)',
        '2:10-19 -> /etc/dovecot/ca.pem (Value read from /etc/dovecot/ca.pem)',
      ]);
    });

    test('links belong to the file asked for: the root has only its include, the included file only its values', () => {
      const files = {
        [ROOT]: text('!include conf.d/10-ssl.conf', 'ssl_cert = </etc/ssl/cert.pem'),
        '/etc/dovecot/conf.d/10-ssl.conf': text('ssl_key = </etc/ssl/key.pem'),
        '/etc/ssl/cert.pem': 'CERT',
        '/etc/ssl/key.pem': 'KEY',
      };
      assert.deepEqual(brief(linksIn(files, ROOT)), [
        '0:9-27 -> /etc/dovecot/conf.d/10-ssl.conf (Included: /etc/dovecot/conf.d/10-ssl.conf)',
        '1:12-29 -> /etc/ssl/cert.pem (Value read from /etc/ssl/cert.pem)',
      ]);
      assert.deepEqual(brief(linksIn(files, '/etc/dovecot/conf.d/10-ssl.conf')), [
        '0:11-27 -> /etc/ssl/key.pem (Value read from /etc/ssl/key.pem)',
      ]);
    });

    test('quoted values and includes that match nothing give no link', () => {
      const files = {
        [ROOT]: text('ssl_cert = "</etc/ssl/cert.pem"', '!include_try conf.d/*.conf'),
        '/etc/ssl/cert.pem': 'CERT',
      };
      assert.deepEqual(brief(linksIn(files, ROOT)), []);
    });
  });
}
