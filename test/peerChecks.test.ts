import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BROKEN_CASES, caseFiles } from './fixtures/replication/cases';
import {
  ROOT_A,
  ROOT_B,
  analyzeFiles,
  basePair,
  codes,
  describeDiagnostics,
  mutate,
  replicationCodes,
} from './fixtures/replication/kit';

for (const broken of BROKEN_CASES.filter((c) => c.peer)) {
  test(`${broken.rule}: ${broken.name}`, () => {
    const files = caseFiles(broken);
    const { diagnostics } = analyzeFiles(files, ROOT_A, { peerRoot: ROOT_B }).analysis;
    assert.deepEqual(
      replicationCodes(diagnostics),
      [...(broken.expect ?? [broken.rule])].sort(),
      describeDiagnostics(diagnostics),
    );
    assert.ok(
      diagnostics.find((d) => d.code === broken.rule)!.message.includes('b/dovecot.conf'),
      'the message names the peer',
    );
    assert.deepEqual(
      replicationCodes(analyzeFiles(files, ROOT_A).analysis.diagnostics),
      [],
      'without the peer nothing can be said',
    );
  });
}

test('the correct pair has no two-host problem in either direction', () => {
  for (const [root, peerRoot] of [
    [ROOT_A, ROOT_B],
    [ROOT_B, ROOT_A],
  ]) {
    assert.deepEqual(replicationCodes(analyzeFiles(basePair(), root, { peerRoot }).analysis.diagnostics), []);
  }
});

test('peer-password-mismatch is byte-exact: the same <file on both sides matches, a <file vs inline value does not', () => {
  const pwFile = (host: string) =>
    [
      `${host}/conf.d/90-replication.conf`,
      'doveadm_password = Vq3hT8kZr2LmW9xN4pYc',
      'doveadm_password = </etc/dovecot/doveadm.pw',
    ] as [string, string, string];
  const both = {
    ...mutate(basePair(), [pwFile('a'), pwFile('b')]),
    '/etc/dovecot/doveadm.pw': 'Vq3hT8kZr2LmW9xN4pYc\n',
  };
  assert.deepEqual(replicationCodes(analyzeFiles(both, ROOT_A, { peerRoot: ROOT_B }).analysis.diagnostics), []);
  const oneSide = { ...mutate(basePair(), [pwFile('a')]), '/etc/dovecot/doveadm.pw': 'Vq3hT8kZr2LmW9xN4pYc\n' };
  const diagnostic = analyzeFiles(oneSide, ROOT_A, { peerRoot: ROOT_B }).analysis.diagnostics.find(
    (d) => d.code === 'peer-password-mismatch',
  );
  assert.ok(diagnostic, 'the trailing newline makes them differ');
  assert.match(diagnostic.message, /only by a trailing newline/);
  assert.equal(diagnostic.related?.[0].file, '/etc/b/conf.d/90-replication.conf');
});

test('an unreadable password file is not guessed at', () => {
  const files = mutate(basePair(), [
    [
      'a/conf.d/90-replication.conf',
      'doveadm_password = Vq3hT8kZr2LmW9xN4pYc',
      'doveadm_password = </nowhere/doveadm.pw',
    ],
  ]);
  assert.ok(
    !codes(analyzeFiles(files, ROOT_A, { peerRoot: ROOT_B }).analysis.diagnostics).includes('peer-password-mismatch'),
  );
});

test('the port and transport are compared with the peer listener that the port reaches', () => {
  const files = mutate(basePair(), [
    [
      'b/conf.d/90-replication.conf',
      '    port = 12345\n  }\n',
      '    port = 12345\n  }\n  inet_listener tls {\n    port = 12346\n    ssl = yes\n  }\n',
    ],
  ]);
  assert.deepEqual(replicationCodes(analyzeFiles(files, ROOT_A, { peerRoot: ROOT_B }).analysis.diagnostics), []);
});

test('a peer that does not configure replication gives no two-host diagnostics', () => {
  const files = { ...basePair(), '/etc/c/dovecot.conf': 'listen = 127.0.0.3\nprotocols = imap\n' };
  assert.deepEqual(
    replicationCodes(analyzeFiles(files, ROOT_A, { peerRoot: '/etc/c/dovecot.conf' }).analysis.diagnostics),
    [],
  );
});
