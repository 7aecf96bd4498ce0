import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  deriveReplicationFacts,
  fileListener,
  hostNames,
  replicatesTo,
} from '../server/src/service/analysis/replicationFacts';
import { getLanguageService } from '../server/src/service/dovecotLanguageService';
import { MemoryHost } from '../server/src/service/model/host';

function factsOf(text: string) {
  const root = '/etc/dovecot/dovecot.conf';
  const host = new MemoryHost({ [root]: text });
  const analysis = getLanguageService(host).analyze(root);
  return deriveReplicationFacts({ model: analysis.model, effective: analysis.effective, host });
}

const hostConfig = (self: string, peer: string, extra = '') =>
  `mail_plugins = notify replication\n${extra}service doveadm {\n  inet_listener {\n    address = ${self}\n    port = 12345\n  }\n}\nplugin {\n  mail_replica = tcp:${peer}:12345\n}\n`;

describe('replication host identities', () => {
  it('knows a host by its hostname and its dsync listener addresses, never by a wildcard', () => {
    assert.deepEqual([...hostNames(factsOf(hostConfig('10.0.0.1', '10.0.0.2', 'hostname = a.example.com\n')))].sort(), [
      '10.0.0.1',
      'a.example.com',
    ]);
    assert.deepEqual([...hostNames(factsOf(hostConfig('*', '10.0.0.2')))], []);
  });

  it('pairs two hosts whose mail_replica names the other, brackets of IPv6 ignored', () => {
    const a = factsOf(hostConfig('10.0.0.1', '10.0.0.2'));
    const b = factsOf(hostConfig('10.0.0.2', '10.0.0.1'));
    assert.equal(replicatesTo(a, b), true);
    assert.equal(replicatesTo(b, a), true);
    const v6 = factsOf(hostConfig('[2001:db8::2]', '10.0.0.1'));
    assert.equal(replicatesTo(factsOf(hostConfig('10.0.0.1', '[2001:db8::2]')), v6), true);
  });

  it('does not pair a host with one its replica does not name', () => {
    assert.equal(
      replicatesTo(factsOf(hostConfig('10.0.0.1', '10.0.0.9')), factsOf(hostConfig('10.0.0.2', '10.0.0.1'))),
      false,
    );
  });
});

describe('listener values as Dovecot reads them', () => {
  const viewOf = (text: string) => {
    const root = '/etc/dovecot/dovecot.conf';
    const host = new MemoryHost({ [root]: text });
    const analysis = getLanguageService(host).analyze(root);
    return { model: analysis.model, effective: analysis.effective, host };
  };
  const doveadmSocket = (mode: string) =>
    fileListener(
      viewOf(`service doveadm {\n  unix_listener doveadm-server {\n    mode = ${mode}\n  }\n}\n`),
      'doveadm',
      'unix_listener',
      'doveadm-server',
    );

  it('reads a mode with a leading 0 as octal and one without as decimal, as the settings parser does', () => {
    assert.equal(doveadmSocket('0666').mode, 0o666);
    assert.equal(doveadmSocket('438').mode, 0o666);
    assert.equal(doveadmSocket('438').modeText, '438');
    assert.equal(doveadmSocket('0668').mode, undefined);
  });

  it('takes the port and ssl of a dsync listener in their types, and no port from $ENV', () => {
    const facts = deriveReplicationFacts(
      viewOf(
        'mail_plugins = notify replication\nservice doveadm {\n  inet_listener {\n    port = 12345\n    ssl = YES\n  }\n  inet_listener other {\n    port = $ENV:P\n  }\n}\n',
      ),
    );
    assert.deepEqual(
      facts.dsyncListeners.map((listener) => [listener.name, listener.port, listener.ssl]),
      [['', 12345, true]],
    );
  });
});
