import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { getLanguageService } from '../server/src/service/dovecotLanguageService';
import { MemoryHost } from '../server/src/service/model/host';
import { INCLUDE_HOVER_FILES } from '../server/src/service/features/includeHover';

const root = '/etc/dovecot/dovecot.conf';

function hoverAt(files: Record<string, string>, file: string, line: number, character: number): string | undefined {
  const service = getLanguageService(new MemoryHost(files));
  const hover = service.doHover(service.analyze(root), file, { line, character });
  return hover ? (hover.contents as { value: string }).value : undefined;
}

describe('hover on an include', () => {
  it('lists the files a glob reads, in the order Dovecot reads them, named from the root', () => {
    const text = hoverAt(
      {
        [root]: 'protocols = imap\n!include conf.d/*.conf\n',
        '/etc/dovecot/conf.d/90-sieve.conf': '',
        '/etc/dovecot/conf.d/10-mail.conf': '',
        '/etc/dovecot/conf.d/10-auth.conf': '',
      },
      root,
      1,
      12,
    );
    assert.equal(
      text,
      '**!include** `conf.d/*.conf`\n\nReads 3 files, in this order (a later value wins):\n\n' +
        '1. `conf.d/10-auth.conf`\n2. `conf.d/10-mail.conf`\n3. `conf.d/90-sieve.conf`',
    );
  });

  it('of a file inside a section, and of one file', () => {
    const text = hoverAt(
      {
        [root]: '!include conf.d/10-master.conf\n',
        '/etc/dovecot/conf.d/10-master.conf': 'service auth {\n  !include auth-listeners.inc\n}\n',
        '/etc/dovecot/conf.d/auth-listeners.inc': 'unix_listener auth-userdb {\n}\n',
      },
      '/etc/dovecot/conf.d/10-master.conf',
      1,
      4,
    );
    assert.equal(text, '**!include** `auth-listeners.inc`\n\nReads one file:\n\n1. `conf.d/auth-listeners.inc`');
  });

  it('says when !include_try matches nothing, and when a template decides the files', () => {
    assert.match(
      hoverAt({ [root]: '!include_try local.conf\n' }, root, 0, 2) ?? '',
      /Matches no file here; with `!include_try` Dovecot reads on without it/,
    );
    const template = '/etc/dovecot/dovecot.conf.j2';
    const service = getLanguageService(new MemoryHost({ [template]: '!include {{ dovecot_conf_dir }}/*.conf\n' }));
    const hover = service.doHover(service.analyze(template), template, { line: 0, character: 3 });
    assert.match((hover?.contents as { value: string }).value, /template expression/);
  });

  it(`names the first ${INCLUDE_HOVER_FILES} files of a large glob and how many more`, () => {
    const files: Record<string, string> = { [root]: '!include conf.d/*.conf\n' };
    for (let i = 0; i < INCLUDE_HOVER_FILES + 5; i++)
      files[`/etc/dovecot/conf.d/${String(i).padStart(2, '0')}.conf`] = '';
    const text = hoverAt(files, root, 0, 3) ?? '';
    assert.equal(text.match(/^\d+\. /gm)?.length, INCLUDE_HOVER_FILES);
    assert.match(text, /…and 5 more$/);
  });
});
