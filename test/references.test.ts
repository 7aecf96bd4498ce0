import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { getLanguageService } from '../server/src/service/dovecotLanguageService';
import { MemoryHost } from '../server/src/service/model/host';
import type { Reference } from '../server/src/service/features/references';

const root = '/etc/dovecot/dovecot.conf';
const mail = '/etc/dovecot/conf.d/10-mail.conf';
const master = '/etc/dovecot/conf.d/10-master.conf';
const lmtp = '/etc/dovecot/conf.d/20-lmtp.conf';
const host = new MemoryHost({
  [root]: '!include conf.d/*.conf\nmail_plugins = $mail_plugins notify replication\n',
  [mail]: 'mail_plugins = quota\nnamespace inbox {\n  separator = /\n}\n',
  [master]:
    'service imap {\n  process_limit = 100\n}\nservice pop3 {\n  process_limit = 5\n}\nservice imap {\n  process_limit = 200\n}\n',
  [lmtp]: 'protocol lmtp {\n  mail_plugins = $mail_plugins sieve\n}\nprotocol lmtp {\n}\n',
});
const service = getLanguageService(host);
const analysis = service.analyze(root);

/** `file:line:character kind` of each reference, in the order given. */
const places = (references: Reference[]): string[] =>
  references.map(
    (r) => `${r.file.replace('/etc/dovecot/', '')}:${r.range.start.line}:${r.range.start.character} ${r.kind}`,
  );

describe('find all references', () => {
  it("lists every assignment of a global setting, a filter's among them, and the $name tokens that read them", () => {
    assert.deepEqual(places(service.findReferences(analysis, mail, { line: 0, character: 3 })), [
      'conf.d/10-mail.conf:0:0 write',
      'conf.d/20-lmtp.conf:1:2 write',
      'dovecot.conf:1:0 write',
      'conf.d/20-lmtp.conf:1:17 read',
      'dovecot.conf:1:15 read',
    ]);
  });

  it('from a $name token, lists the references of the setting it reads', () => {
    const fromToken = places(service.findReferences(analysis, root, { line: 1, character: 18 }));
    assert.deepEqual(fromToken, places(service.findReferences(analysis, mail, { line: 0, character: 3 })));
  });

  it("keeps a merged section's settings apart from another section's of the same type", () => {
    assert.deepEqual(places(service.findReferences(analysis, master, { line: 1, character: 4 })), [
      'conf.d/10-master.conf:1:2 write',
      'conf.d/10-master.conf:7:2 write',
    ]);
    assert.deepEqual(places(service.findReferences(analysis, master, { line: 4, character: 4 })), [
      'conf.d/10-master.conf:4:2 write',
    ]);
  });

  it('on a section header lists every opening of that section, and of a filter every opening of it', () => {
    assert.deepEqual(places(service.findReferences(analysis, master, { line: 6, character: 9 })), [
      'conf.d/10-master.conf:0:0 write',
      'conf.d/10-master.conf:6:0 write',
    ]);
    assert.deepEqual(places(service.findReferences(analysis, lmtp, { line: 0, character: 10 })), [
      'conf.d/20-lmtp.conf:0:0 write',
      'conf.d/20-lmtp.conf:3:0 write',
    ]);
  });

  it('leaves out the place the cursor is on when the declaration is not wanted', () => {
    assert.deepEqual(places(service.findReferences(analysis, master, { line: 1, character: 4 }, false)), [
      'conf.d/10-master.conf:7:2 write',
    ]);
  });

  it('finds nothing on a value, a comment or a blank line', () => {
    assert.deepEqual(service.findReferences(analysis, master, { line: 1, character: 19 }), []);
    assert.deepEqual(service.findReferences(analysis, mail, { line: 3, character: 1 }), []);
  });

  it("lists a 2.4 group block's openings and the @label = name lines that include it, and reads $SET:name", () => {
    const groups = '/etc/dovecot/conf.d/15-groups.conf';
    const tree = new MemoryHost({
      [root]:
        'dovecot_config_version = 2.4.0\ndovecot_storage_version = 2.4.0\n!include conf.d/*.conf\n@mailboxes = german\nmail_plugins = $SET:mail_plugins quota\n"@mailboxes" = german\n',
      [groups]: 'mail_plugins = acl\ngroup @mailboxes german {\n  namespace inbox {\n  }\n}\n',
    });
    const service24 = getLanguageService(tree);
    const analysis24 = service24.analyze(root);
    assert.deepEqual(places(service24.findReferences(analysis24, groups, { line: 1, character: 20 })), [
      'conf.d/15-groups.conf:1:0 write',
      'dovecot.conf:3:0 read',
    ]);
    assert.deepEqual(places(service24.findReferences(analysis24, groups, { line: 0, character: 2 })), [
      'conf.d/15-groups.conf:0:0 write',
      'dovecot.conf:4:0 write',
      'dovecot.conf:4:15 read',
    ]);
  });
});

describe('document highlights', () => {
  it("are the references in the cursor's own file", () => {
    assert.deepEqual(places(service.findDocumentHighlights(analysis, root, { line: 1, character: 3 })), [
      'dovecot.conf:1:0 write',
      'dovecot.conf:1:15 read',
    ]);
  });
});
