// Choosing the other host of a replication pair: project file, then the editor setting, then two trees naming each other.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { getLanguageService, type TreeAnalysis } from '../server/src/service/dovecotLanguageService';
import { MemoryHost } from '../server/src/service/model/host';
import { peerRootFor, type PairingSources } from '../server/src/service/project/pairing';

const A = '/srv/a/dovecot.conf';
const B = '/srv/b/dovecot.conf';
const C = '/srv/c/dovecot.conf';
const hostConfig = (self: string, peer: string) =>
  `mail_plugins = notify replication\nservice doveadm {\n  inet_listener {\n    address = ${self}\n    port = 12345\n  }\n}\nplugin {\n  mail_replica = tcp:${peer}:12345\n}\n`;

const host = new MemoryHost({
  [A]: hostConfig('10.0.0.1', '10.0.0.2'),
  [B]: hostConfig('10.0.0.2', '10.0.0.1'),
  [C]: hostConfig('10.0.0.3', '10.0.0.1'),
});
const service = getLanguageService(host);
const analysed = new Map<string, TreeAnalysis>([A, B, C].map((root) => [root, service.analyze(root)]));
const sources = (overrides: Partial<PairingSources> = {}): PairingSources => ({
  settingPairs: () => [],
  analysed,
  excluded: () => false,
  host,
  ...overrides,
});

test('two analysed roots whose mail_replica name each other pair up; a one-way pointer does not', () => {
  assert.equal(peerRootFor(A, sources()), B);
  assert.equal(peerRootFor(B, sources()), A);
  assert.equal(peerRootFor(C, sources()), undefined);
});

test('the editor setting wins over automatic pairing, either side of the pair', () => {
  assert.equal(peerRootFor(A, sources({ settingPairs: () => [[C, A]] })), C);
  assert.equal(peerRootFor(C, sources({ settingPairs: () => [[C, A]] })), A);
  assert.equal(peerRootFor(A, sources({ settingPairs: () => [[A, undefined]] })), B, 'an unusable side is ignored');
});

test('the project file wins over everything; the setting is then not even read', () => {
  let asked = false;
  const settingPairs = () => ((asked = true), [[A, C]] as const);
  assert.equal(peerRootFor(A, sources({ projectPeer: C, settingPairs })), C);
  assert.equal(asked, false);
});

test('an excluded root (a document without a file) never pairs automatically', () => {
  assert.equal(peerRootFor(A, sources({ excluded: (root) => root === B })), undefined);
  assert.equal(peerRootFor(B, sources({ excluded: (root) => root === B })), undefined);
});
