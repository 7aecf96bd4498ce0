import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { deriveReplicationFacts } from '../server/src/service/analysis/replicationFacts';
import { getLanguageService } from '../server/src/service/dovecotLanguageService';
import { MemoryHost } from '../server/src/service/model/host';
import { proposeHost } from '../server/src/service/live/pairHosts';

function factsOf(root: string, text: string) {
  const host = new MemoryHost({ [root]: text });
  const analysis = getLanguageService(host).analyze(root);
  return deriveReplicationFacts({ model: analysis.model, effective: analysis.effective, host });
}

const config = (listen: string, peer: string, http: string) =>
  `listen = ${listen}\nmail_plugins = notify replication\nservice doveadm {\n  inet_listener {\n    port = 12345\n  }\n${http}}\nplugin {\n  mail_replica = tcp:${peer}:12345\n}\n`;

describe('proposed doveadm HTTP API URLs of a pair', () => {
  it('uses the http listener port, its ssl and the address it binds to; names the host after its folder', () => {
    const root = '/srv/pair/mail-a/dovecot.conf';
    const facts = factsOf(
      root,
      config('10.0.0.1', '10.0.0.2', '  inet_listener http {\n    port = 8080\n    ssl = yes\n  }\n'),
    );
    assert.deepEqual(proposeHost(root, facts), { name: 'mail-a', root, url: 'https://10.0.0.1:8080' });
  });

  it('on a wildcard listener, the address the peer replicates to; IPv6 in brackets', () => {
    const root = '/etc/dovecot/dovecot.conf';
    const facts = factsOf(root, config('*, ::', '10.0.0.2', '  inet_listener http {\n    port = 8080\n  }\n'));
    const peer = factsOf('/peer/dovecot.conf', config('*', '[2001:db8::1]', ''));
    assert.deepEqual(proposeHost(root, facts, peer), { name: '2001:db8::1', root, url: 'http://[2001:db8::1]:8080' });
    assert.match(proposeHost(root, facts).problem ?? '', /wildcard/);
  });

  it('says so when the HTTP API is not configured', () => {
    const root = '/srv/b/dovecot.conf';
    assert.match(
      proposeHost(root, factsOf(root, config('10.0.0.2', '10.0.0.1', ''))).problem ?? '',
      /inet_listener http/,
    );
  });
});

describe('the pair through the language service', () => {
  it('proposes a URL for the tree and its peer, each side helped by the other', () => {
    const a = '/srv/pair/mail-a/dovecot.conf';
    const b = '/srv/pair/mail-b/dovecot.conf';
    const http = '  inet_listener http {\n    port = 8080\n  }\n';
    const service = getLanguageService(
      new MemoryHost({ [a]: config('*', '10.0.0.2', http), [b]: config('*', '10.0.0.1', http) }),
    );
    assert.deepEqual(service.proposePairHosts(service.analyze(a), service.analyze(b)), [
      { name: 'mail-a', root: a, url: 'http://10.0.0.1:8080' },
      { name: 'mail-b', root: b, url: 'http://10.0.0.2:8080' },
    ]);
    assert.equal(service.proposePairHosts(service.analyze(a)).length, 1);
  });
});
