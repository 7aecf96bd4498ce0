import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { getLanguageService } from '../server/src/service/dovecotLanguageService';
import { MemoryHost } from '../server/src/service/model/host';
import type { VersionSetting } from '../server/src/service/model/dialect';

const ROOT = '/etc/dovecot/dovecot.conf';

function offerFor(text: string, version: VersionSetting) {
  const service = getLanguageService(new MemoryHost({ [ROOT]: text }));
  const analysis = service.analyze(ROOT, {
    dovecotVersion: version,
  });
  return service.migrationOffer(analysis, version);
}

describe('"Convert this tree to 2.4…" offer', () => {
  const tree23 = 'mail_location = maildir:~/Maildir\nplugin {\n  sieve = ~/.dovecot.sieve\n}\n';

  it('is offered on a 2.3 tree when 2.4 is the target', () => {
    assert.match(offerFor(tree23, '2.4')?.reason ?? '', /target/);
  });

  it('is not offered on a 2.3 tree when nothing says 2.4', () => {
    assert.equal(offerFor(tree23, 'auto'), undefined);
    assert.equal(offerFor(tree23, '2.3'), undefined);
  });

  it('is offered on a tree that mixes both versions', () => {
    assert.match(offerFor('mail_location = maildir:~/Maildir\nmail_driver = maildir\n', 'auto')?.reason ?? '', /mixes/);
  });

  it('is not offered on a tree already written for 2.4', () => {
    assert.equal(
      offerFor('dovecot_config_version = 2.4.4\ndovecot_storage_version = 2.4.4\nmail_driver = maildir\n', '2.4'),
      undefined,
    );
  });
});
