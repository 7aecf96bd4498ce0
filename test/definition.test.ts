import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { getLanguageService } from '../server/src/service/dovecotLanguageService';
import { MemoryHost } from '../server/src/service/model/host';

const root = '/etc/dovecot/dovecot.conf';
const mail = '/etc/dovecot/conf.d/10-mail.conf';
const lmtp = '/etc/dovecot/conf.d/20-lmtp.conf';
const host = new MemoryHost({
  [root]: '!include conf.d/*.conf\n',
  [mail]: 'mail_plugins = notify replication\n',
  [lmtp]: 'protocol lmtp {\n  mail_plugins = $mail_plugins sieve\n}\n',
});
const service = getLanguageService(host);
const analysis = service.analyze(root);

describe('go to definition', () => {
  it('takes $mail_plugins to the assignment in effect when the line was read', () => {
    assert.deepEqual(service.findDefinition(analysis, lmtp, { line: 1, character: 19 }), [
      { file: mail, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 33 } } },
    ]);
  });

  it('takes an include pattern to every file it includes', () => {
    assert.deepEqual(
      service.findDefinition(analysis, root, { line: 0, character: 12 }).map((l) => l.file),
      [mail, lmtp],
    );
  });

  it('takes a top-level key to its other assignments in the tree', () => {
    assert.deepEqual(
      service.findDefinition(analysis, lmtp, { line: 1, character: 4 }).map((l) => l.file),
      [mail],
    );
  });

  it("takes a 2.4 @label = name line to its group block; Dovecot's own groups have none", () => {
    const groups = '/etc/dovecot/conf.d/15-groups.conf';
    const tree = new MemoryHost({
      [root]:
        'dovecot_config_version = 2.4.0\ndovecot_storage_version = 2.4.0\n!include conf.d/*.conf\n@mailboxes = german\n@mailbox_defaults = english\n"@mailboxes" = german\n',
      [groups]: '# groups\ngroup @mailboxes german {\n  namespace inbox {\n  }\n}\n',
    });
    const service24 = getLanguageService(tree);
    const analysis24 = service24.analyze(root);
    assert.deepEqual(service24.findDefinition(analysis24, root, { line: 3, character: 3 }), [
      { file: groups, range: { start: { line: 1, character: 0 }, end: { line: 1, character: 25 } } },
    ]);
    assert.deepEqual(service24.findDefinition(analysis24, root, { line: 4, character: 3 }), []);
    // Quoted, "@mailboxes" is a setting of that name, not an include of the group.
    assert.ok(!service24.findDefinition(analysis24, root, { line: 5, character: 3 }).some((l) => l.file === groups));
  });

  it('finds nothing on a comment or blank position', () => {
    assert.deepEqual(service.findDefinition(analysis, lmtp, { line: 5, character: 0 }), []);
  });

  it('$mail_plugins in a global line after a protocol block goes to the earlier global assignment, not the protocol one', () => {
    const replication = '/etc/dovecot/conf.d/90-replication.conf';
    const tree = new MemoryHost({
      [root]: '!include conf.d/*.conf\n',
      [mail]: 'mail_plugins = quota\n',
      [lmtp]: 'protocol lmtp {\n  mail_plugins = $mail_plugins sieve\n}\n',
      [replication]: '# replication\nmail_plugins = $mail_plugins notify replication\n',
    });
    const service = getLanguageService(tree);
    const treeAnalysis = service.analyze(root);
    assert.deepEqual(
      service
        .findDefinition(treeAnalysis, replication, { line: 1, character: 20 })
        .map((l) => [l.file, l.range.start.line]),
      [[mail, 0]],
    );
    // inside the protocol block, the protocol's own earlier value would win; here there is none, so the global one
    assert.deepEqual(
      service.findDefinition(treeAnalysis, lmtp, { line: 1, character: 20 }).map((l) => [l.file, l.range.start.line]),
      [[mail, 0]],
    );
  });
});
