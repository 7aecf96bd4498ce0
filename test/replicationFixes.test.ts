import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BROKEN_CASES, caseFiles } from './fixtures/replication/cases';
import {
  ROOT_A,
  ROOT_B,
  analyzeFiles,
  applyEdits,
  basePair,
  checkFix,
  fillSnippet,
  mutate,
  ruleFixes,
} from './fixtures/replication/kit';
import { QUICK_FIXES } from '../server/src/service/features/quickFixTable';
import { rulesOf } from '../server/src/service/analysis/rules';
import { getLanguageService } from '../server/src/service/dovecotLanguageService';
import { MemoryHost } from '../server/src/service/model/host';

// A new `<file` path names a file that must exist on the server: file-value-missing (information) is expected.
// The encrypted way out of a transport mismatch still needs the CA of the peer's certificate (its own rule and fix).
const ALLOW_NEW: Record<string, string[]> = {
  'tcps-no-server-cert': ['file-value-missing'],
  'peer-transport-mismatch': ['tcps-no-client-ca'],
};

for (const broken of BROKEN_CASES) {
  test(`quick fix for ${broken.rule} (${broken.name}) removes it, adds nothing, changes nothing else`, () => {
    checkFix(caseFiles(broken), ROOT_A, broken.rule, {
      ...(broken.peer ? { peerRoot: ROOT_B } : {}),
      allowNew: ALLOW_NEW[broken.rule],
    });
  });
}

test('every replication rule has a quick fix provider', () => {
  const missing = rulesOf('replication', 'peer')
    .map((rule) => rule.id)
    .filter((id) => !QUICK_FIXES[id]);
  assert.deepEqual(missing, []);
});

test('adding notify keeps $mail_plugins and the other plugins', () => {
  const files = mutate(basePair(), [
    ['a/conf.d/10-mail.conf', '$mail_plugins notify replication', '$mail_plugins quota replication zlib'],
  ]);
  const { fixed } = checkFix(files, ROOT_A, 'replication-notify-missing');
  assert.match(fixed['/etc/a/conf.d/10-mail.conf'], /^mail_plugins = \$mail_plugins quota notify replication zlib$/m);
});

test('a missing mail_replica goes into the existing plugin { } of 90-plugin.conf, with placeholders', () => {
  const broken = BROKEN_CASES.find((c) => c.rule === 'mail-replica-missing')!;
  const { fixed, fix } = checkFix(caseFiles(broken), ROOT_A, 'mail-replica-missing');
  assert.deepEqual(Object.keys(fix.edits), ['/etc/a/conf.d/90-plugin.conf']);
  assert.equal(fix.snippet, true);
  assert.match(
    fix.edits['/etc/a/conf.d/90-plugin.conf'][0].newText,
    /mail_replica = tcp:\$\{1:peer\.example\.com\}:12345/,
  );
  assert.equal(
    fixed['/etc/a/conf.d/90-plugin.conf'],
    'plugin {\n  sieve = file:~/sieve;active=~/.dovecot.sieve\n  mail_replica = tcp:peer.example.com:12345\n}\n',
  );
});

test('with a peer, the mail_replica placeholder defaults to the peer listener address', () => {
  const broken = BROKEN_CASES.find((c) => c.rule === 'mail-replica-missing')!;
  const { fixed } = checkFix(caseFiles(broken), ROOT_A, 'mail-replica-missing', { peerRoot: ROOT_B });
  assert.match(fixed['/etc/a/conf.d/90-plugin.conf'], /mail_replica = tcp:127\.0\.0\.3:12345/);
});

test('a missing listener goes inside the existing service doveadm block', () => {
  const broken = BROKEN_CASES.find((c) => c.name === 'no doveadm inet_listener')!;
  const { fixed } = checkFix(caseFiles(broken), ROOT_A, 'doveadm-listener-missing');
  assert.match(
    fixed['/etc/a/conf.d/90-replication.conf'],
    /service doveadm \{\n {2}inet_listener \{\n {4}port = 12345\n {2}\}\n\}\n/,
  );
});

test('a missing service aggregator is inserted as a whole section after the other service blocks', () => {
  const broken = BROKEN_CASES.find((c) => c.name === 'no service aggregator')!;
  const { fixed, after } = checkFix(caseFiles(broken), ROOT_A, 'aggregator-fifo-permissions');
  assert.match(
    fixed['/etc/a/conf.d/90-replication.conf'],
    /\}\n\nservice aggregator \{\n {2}fifo_listener replication-notify-fifo \{\n {4}user = vmail\n {2}\}\n {2}unix_listener replication-notify \{\n {4}user = vmail\n {2}\}\n\}\n$/,
  );
  assert.ok(!after.some((d) => d.code === 'aggregator-socket-permissions'), 'the whole section fixes the socket too');
});

test('the frozen protocol value gets the missing plugins appended', () => {
  const broken = BROKEN_CASES.find((c) => c.name.includes('frozen'))!;
  const { fixed } = checkFix(caseFiles(broken), ROOT_A, 'replication-protocol-plugins-dropped');
  assert.match(fixed['/etc/a/conf.d/20-lmtp.conf'], /mail_plugins = \$mail_plugins sieve notify replication/);
});

test('a protocol value without $mail_plugins gets $mail_plugins in front', () => {
  const broken = BROKEN_CASES.find((c) => c.name === 'protocol lmtp without $mail_plugins')!;
  const { fixed } = checkFix(caseFiles(broken), ROOT_A, 'replication-protocol-plugins-dropped');
  assert.match(fixed['/etc/a/conf.d/20-lmtp.conf'], /mail_plugins = \$mail_plugins sieve\n/);
});

test('fixes keep CRLF line ends', () => {
  const broken = BROKEN_CASES.find((c) => c.name === 'no doveadm inet_listener')!;
  const files = Object.fromEntries(
    Object.entries(caseFiles(broken)).map(([file, text]) => [file, text.replace(/\n/g, '\r\n')]),
  );
  const { fixed } = checkFix(files, ROOT_A, 'doveadm-listener-missing');
  const text = fixed['/etc/a/conf.d/90-replication.conf'];
  assert.ok(!/[^\r]\n/.test(text), 'no bare LF');
  assert.match(text, /service doveadm \{\r\n {2}inet_listener \{\r\n {4}port = 12345\r\n {2}\}\r\n\}/);
});

test('for a client without snippet edits the same fix is plain text: the placeholders become their defaults', () => {
  const broken = BROKEN_CASES.find((c) => c.rule === 'mail-replica-missing')!;
  const { analysis, host, service } = analyzeFiles(caseFiles(broken), ROOT_A);
  const diagnostic = analysis.diagnostics.find((d) => d.code === 'mail-replica-missing')!;
  const fixOf = (snippetEdits: boolean) =>
    service
      .doQuickFixes(analysis, diagnostic.file, [{ ...diagnostic, severity: 1 }], host, { snippetEdits })
      .find(({ fix }) => fix.title === 'Add mail_replica to plugin { }')!.fix;
  const plain = fixOf(false);
  assert.equal(plain.snippet, undefined);
  assert.match(plain.edits['/etc/a/conf.d/90-plugin.conf'][0].newText, /mail_replica = tcp:peer\.example\.com:12345\n/);
  assert.doesNotMatch(JSON.stringify(plain.edits), /\$\{/);
  assert.equal(fixOf(true).snippet, true);
  assert.match(fixOf(true).edits['/etc/a/conf.d/90-plugin.conf'][0].newText, /\$\{1:peer\.example\.com\}/);
});

test('a weak password is replaced by a generated one as a snippet placeholder', () => {
  const broken = BROKEN_CASES.find((c) => c.name === 'doveadm_password = password')!;
  const { fix, fixed } = checkFix(caseFiles(broken), ROOT_A, 'doveadm-password-weak');
  assert.equal(fix.snippet, true);
  assert.match(fixed['/etc/a/conf.d/90-replication.conf'], /^doveadm_password = [\w-]{40,}$/m);
});

test('the peer port fix edits the peer when this host agrees with its own listener', () => {
  const broken = BROKEN_CASES.find((c) => c.rule === 'peer-port-mismatch')!;
  const { fix } = checkFix(caseFiles(broken), ROOT_A, 'peer-port-mismatch', { peerRoot: ROOT_B });
  assert.deepEqual(Object.keys(fix.edits), ['/etc/b/conf.d/90-replication.conf']);
});

test('with mail_replica read from a file, the peer port fix names the file instead of the port it holds', () => {
  const files = {
    ...mutate(basePair(), [['a/conf.d/90-plugin.conf', 'tcp:127.0.0.3:12345', '</etc/a/replica.txt']]),
    '/etc/a/replica.txt': 'tcp:127.0.0.3:12999\n',
  };
  const { analysis, host } = analyzeFiles(files, ROOT_A, { peerRoot: ROOT_B });
  const titles = ruleFixes(
    analysis,
    host,
    analysis.diagnostics.find((d) => d.code === 'peer-port-mismatch')!,
  ).map((fix) => fix.title);
  assert.deepEqual(titles, ['Make the peer listen on the port of mail_replica read from </etc/a/replica.txt']);
});

test('the suppression quick fix is offered for replication rules and silences them', () => {
  const broken = BROKEN_CASES.find((c) => c.rule === 'replicator-min-avail')!;
  const files = caseFiles(broken);
  const { analysis, host, service } = analyzeFiles(files, ROOT_A);
  const diagnostic = analysis.diagnostics.find((d) => d.code === 'replicator-min-avail')!;
  const ignore = service
    .doQuickFixes(
      analysis,
      diagnostic.file,
      [{ range: diagnostic.range, code: diagnostic.code, message: diagnostic.message }],
      host,
    )
    .find(({ fix }) => fix.title.startsWith('Ignore'))!.fix;
  const fixed = { ...files, [diagnostic.file]: applyEdits(files[diagnostic.file], ignore.edits[diagnostic.file]) };
  assert.ok(!analyzeFiles(fixed, ROOT_A).analysis.diagnostics.some((d) => d.code === 'replicator-min-avail'));
  assert.ok(ruleFixes(analysis, host, diagnostic).length > 0);
});

test('fillSnippet: placeholders take their defaults or the given values, escapes are removed', () => {
  assert.equal(fillSnippet('p = ${1:a\\$b} \\$x ${2}'), 'p = a$b $x ');
  assert.equal(fillSnippet('p = ${1:a} ${2:b}', { '2': 'z' }), 'p = a z');
});

test('a missing global mail_plugins is added next to mail_location, before the protocol blocks read it', () => {
  const broken = BROKEN_CASES.find((c) => c.name === 'no mail_plugins at all')!;
  const { fix } = checkFix(caseFiles(broken), ROOT_A, 'replication-plugin-missing');
  assert.deepEqual(Object.keys(fix.edits), ['/etc/a/conf.d/10-mail.conf']);
  assert.equal(fix.edits['/etc/a/conf.d/10-mail.conf'][0].newText, 'mail_plugins = $mail_plugins notify replication\n');
});

test('snippet text escapes $ outside placeholders and } only inside them', () => {
  const broken = BROKEN_CASES.find((c) => c.rule === 'userdb-not-iterable')!;
  const { fix } = checkFix(caseFiles(broken), ROOT_A, 'userdb-not-iterable');
  const text = fix.edits['/etc/a/conf.d/10-auth.conf'][0].newText;
  assert.match(text, /args = \$\{1:username_format=%u \/etc\/dovecot\/users\}\n\}\n$/);
});

test('transport mismatches: the fix that keeps TLS comes first and is the only preferred one', () => {
  const toSslPeer = BROKEN_CASES.find((c) => c.rule === 'peer-transport-mismatch')!;
  const peer = checkFix(caseFiles(toSslPeer), ROOT_A, 'peer-transport-mismatch', {
    peerRoot: ROOT_B,
    allowNew: ['tcps-no-client-ca'],
  });
  assert.match(peer.fixed['/etc/a/conf.d/90-plugin.conf'], /mail_replica = tcps:127\.0\.0\.3:12345/);
  assert.match(peer.fixed['/etc/a/conf.d/90-replication.conf'], /port = 12345\n\s+ssl = yes/);
  const { analysis, host } = analyzeFiles(caseFiles(toSslPeer), ROOT_A, { peerRoot: ROOT_B });
  const peerFixes = ruleFixes(
    analysis,
    host,
    analysis.diagnostics.find((d) => d.code === 'peer-transport-mismatch')!,
  );
  assert.deepEqual(
    peerFixes.map((fix) => [fix.title, fix.isPreferred === true]),
    [
      ["Use tcps: in mail_replica and ssl = yes on this host's doveadm listener", true],
      ["Set ssl = no on the peer's doveadm listener (unencrypted)", false],
    ],
  );
  // the unencrypted way still works for whoever picks it deliberately
  checkFix(caseFiles(toSslPeer), ROOT_A, 'peer-transport-mismatch', { peerRoot: ROOT_B, fixIndex: 1 });

  const toSslListener = BROKEN_CASES.find((c) => c.rule === 'tcp-to-ssl-listener')!;
  const own = analyzeFiles(caseFiles(toSslListener), ROOT_A);
  const ownFixes = ruleFixes(
    own.analysis,
    own.host,
    own.analysis.diagnostics.find((d) => d.code === 'tcp-to-ssl-listener')!,
  );
  assert.deepEqual(
    ownFixes.map((fix) => [fix.title, fix.isPreferred === true]),
    [
      ['Use tcps: in mail_replica', true],
      ['Set ssl = no on the doveadm listener (unencrypted)', false],
    ],
  );
});

test('a numeric mail uid (first_valid_uid = last_valid_uid) is never written as a service user: Dovecot wants a name', () => {
  const text =
    'first_valid_uid = 8\nlast_valid_uid = 8\nmail_plugins = $mail_plugins notify replication\nplugin {\n  mail_replica = tcp:peer:12345\n}\n';
  const service = getLanguageService(new MemoryHost({ '/etc/a/dovecot.conf': text }));
  const analysis = service.analyze('/etc/a/dovecot.conf');
  const diagnostic = analysis.diagnostics.find((d) => d.code === 'aggregator-fifo-permissions');
  assert.ok(diagnostic, 'no service aggregator: the fifo is root-owned');
  assert.doesNotMatch(diagnostic.message, /Set user = 8/);
  const fixes = service.doQuickFixes(analysis, diagnostic.file, [{ ...diagnostic, severity: 1 }], new MemoryHost({}));
  const edits = fixes
    .flatMap(({ fix }) =>
      Object.values(fix.edits)
        .flat()
        .map((edit) => edit.newText),
    )
    .join('\n');
  assert.doesNotMatch(edits, /user = 8\b/);
});
