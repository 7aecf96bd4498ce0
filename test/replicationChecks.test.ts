import { describe as group, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { BROKEN_CASES, caseFiles, type BrokenCase } from './fixtures/replication/cases';
import {
  ROOT_A,
  ROOT_B,
  above,
  analyzeFiles,
  basePair,
  codes,
  describeDiagnostics,
  loadTree,
  mutate,
  replicationCodes,
} from './fixtures/replication/kit';
import { tempDir } from './helpers/tempDir';

function analyzeCase(broken: BrokenCase, files = caseFiles(broken)) {
  return analyzeFiles(files, ROOT_A, broken.peer ? { peerRoot: ROOT_B } : {}).analysis;
}

test('the correct pair raises nothing above information, from either side', () => {
  for (const [root, peerRoot] of [
    [ROOT_A, ROOT_B],
    [ROOT_B, ROOT_A],
  ]) {
    const { diagnostics } = analyzeFiles(basePair(), root, { peerRoot }).analysis;
    assert.deepEqual(above(diagnostics, 'information'), [], describeDiagnostics(diagnostics));
  }
});

for (const broken of BROKEN_CASES.filter((c) => !c.peer)) {
  test(`${broken.rule}: ${broken.name}`, () => {
    const analysis = analyzeCase(broken);
    assert.deepEqual(
      replicationCodes(analysis.diagnostics),
      [...(broken.expect ?? [broken.rule])].sort(),
      describeDiagnostics(analysis.diagnostics),
    );
    const diagnostic = analysis.diagnostics.find((d) => d.code === broken.rule)!;
    assert.ok(diagnostic.message.length > 60, 'the message explains what Dovecot does');
  });
}

test('every replication rule of the table has a failing case', async () => {
  const { rulesOf } = await import('../server/src/service/analysis/rules');
  const covered = new Set<string>(BROKEN_CASES.map((broken) => broken.rule));
  const replicationRules = rulesOf('replication', 'peer').map((rule) => rule.id);
  const missing = replicationRules.filter(
    (id) => !covered.has(id) && id !== 'mail-replica-outside-plugin' && id !== 'replication-setting-in-plugin',
  );
  assert.deepEqual(missing, []);
});

test('the guide config (lab values, strong password) raises nothing above information', () => {
  const files = { ...loadTree('guide/a', '/lab/a'), ...loadTree('guide/b', '/lab/b') };
  for (const [root, peerRoot] of [
    ['/lab/a/dovecot.conf', '/lab/b/dovecot.conf'],
    ['/lab/b/dovecot.conf', '/lab/a/dovecot.conf'],
  ]) {
    const { diagnostics } = analyzeFiles(files, root, { peerRoot }).analysis;
    assert.deepEqual(above(diagnostics, 'information'), [], describeDiagnostics(diagnostics));
    assert.ok(
      codes(diagnostics).includes('replicator-doveadm-world-writable'),
      "the guide's 0666 is reported as information",
    );
  }
});

test('the guide config with its literal "doveadm_password = password" raises only doveadm-password-weak above information', () => {
  const files = loadTree('guide/a', '/lab/a');
  const file = '/lab/a/conf.d/90-replication.conf';
  files[file] = files[file].replace(/doveadm_password = .*/, 'doveadm_password = password');
  const { diagnostics } = analyzeFiles(files, '/lab/a/dovecot.conf').analysis;
  assert.deepEqual(
    codes(above(diagnostics, 'information')),
    ['doveadm-password-weak'],
    describeDiagnostics(diagnostics),
  );
});

test('no replication rule fires when replication is not configured', () => {
  const files = mutate(loadTree('base', '/etc/a'), [
    ['a/conf.d/10-mail.conf', 'mail_plugins = $mail_plugins notify replication\n', ''],
    ['a/conf.d/90-plugin.conf', '  mail_replica = tcp:127.0.0.3:12345\n', ''],
    ['a/conf.d/90-replication.conf', 'service aggregator {', 'service imap {'],
    [
      'a/conf.d/90-replication.conf',
      'service replicator {\n  process_min_avail = 1\n  unix_listener replicator-doveadm {\n    mode = 0600\n    user = vmail\n  }\n}\n',
      '',
    ],
    ['a/conf.d/90-replication.conf', 'doveadm_password = Vq3hT8kZr2LmW9xN4pYc', 'doveadm_password = x'],
  ]);
  const { diagnostics } = analyzeFiles(files, ROOT_A).analysis;
  assert.deepEqual(replicationCodes(diagnostics), [], describeDiagnostics(diagnostics));
});

test('mail_replica from userdb fields counts as set', () => {
  const files = mutate(basePair(), [
    ['a/conf.d/90-plugin.conf', '  mail_replica = tcp:127.0.0.3:12345\n', ''],
    [
      'a/conf.d/10-auth.conf',
      'args = username_format=%u /etc/dovecot/users\n',
      'args = username_format=%u /etc/dovecot/users\n  default_fields = mail_replica=tcp:127.0.0.3:12345\n',
    ],
  ]);
  assert.deepEqual(replicationCodes(analyzeFiles(files, ROOT_A).analysis.diagnostics), []);
});

test('settings from <file count as set, and a weak password in a file is found', () => {
  const files = {
    ...mutate(basePair(), [
      [
        'a/conf.d/90-replication.conf',
        'doveadm_password = Vq3hT8kZr2LmW9xN4pYc',
        'doveadm_password = </etc/dovecot/doveadm.pw',
      ],
    ]),
    '/etc/dovecot/doveadm.pw': 'Vq3hT8kZr2LmW9xN4pYc\n',
  };
  assert.deepEqual(replicationCodes(analyzeFiles(files, ROOT_A).analysis.diagnostics), []);
  files['/etc/dovecot/doveadm.pw'] = 'changeme\n';
  assert.deepEqual(replicationCodes(analyzeFiles(files, ROOT_A).analysis.diagnostics), ['doveadm-password-weak']);
});

test('the frozen protocol value is reported on the protocol line, quoting where the global value is set', () => {
  const broken = BROKEN_CASES.find((c) => c.name.includes('frozen'))!;
  const diagnostic = analyzeCase(broken).diagnostics.find((d) => d.code === 'replication-protocol-plugins-dropped')!;
  assert.equal(diagnostic.file, '/etc/a/conf.d/20-lmtp.conf');
  assert.equal(diagnostic.range.start.line, 1);
  assert.match(
    diagnostic.message,
    /lmtp lacks notify and replication: this block is read before the global mail_plugins at 90-replication\.conf:2/,
  );
});

test('messages quote the runtime log line', () => {
  const byRule = (rule: string) => {
    const broken = BROKEN_CASES.find((c) => c.rule === rule)!;
    return analyzeCase(broken).diagnostics.find((d) => d.code === rule)!.message;
  };
  assert.match(byRule('replication-notify-missing'), /Plugin notify must be loaded also/);
  assert.match(byRule('mail-replica-missing'), /User has no mail_replica in userdb/);
  assert.match(byRule('doveadm-port-missing'), /connect\(127\.0\.0\.3:0\) failed: Connection refused/);
  assert.match(byRule('aggregator-fifo-permissions'), /replication-notify-fifo\) failed: Permission denied/);
  assert.match(byRule('peer-password-mismatch'), /doveadm client authenticated with wrong password/);
});

test('reported on the place to edit: listener-missing on the service doveadm header, fifo on its listener', () => {
  const listener = analyzeCase(BROKEN_CASES.find((c) => c.name === 'no doveadm inet_listener')!).diagnostics.find(
    (d) => d.code === 'doveadm-listener-missing',
  )!;
  assert.equal(listener.file, '/etc/a/conf.d/90-replication.conf');
  assert.equal(listener.range.start.line, 4);
  const fifo = analyzeCase(BROKEN_CASES.find((c) => c.name === 'fifo owned by dovecot')!).diagnostics.find(
    (d) => d.code === 'aggregator-fifo-permissions',
  )!;
  assert.equal(fifo.range.start.line, 12, 'on its user line');
});

test('a listener user is compared only when the mail user is known', () => {
  const broken = BROKEN_CASES.find((c) => c.name === 'fifo owned by dovecot')!;
  const files = mutate(caseFiles(broken), [['a/conf.d/10-mail.conf', 'mail_uid = vmail\n', '']]);
  assert.ok(!codes(analyzeFiles(files, ROOT_A).analysis.diagnostics).includes('aggregator-fifo-permissions'));
});

test('peer-not-pointing-back stays quiet when the peer listens on a wildcard', () => {
  const broken = BROKEN_CASES.find((c) => c.rule === 'peer-not-pointing-back')!;
  const files = mutate(caseFiles(broken), [['b/dovecot.conf', 'listen = 127.0.0.3', 'listen = *']]);
  assert.ok(
    !codes(analyzeFiles(files, ROOT_A, { peerRoot: ROOT_B }).analysis.diagnostics).includes('peer-not-pointing-back'),
  );
});

test('suppression comment on the line before or at the end silences a replication rule', () => {
  const broken = BROKEN_CASES.find((c) => c.name === 'doveadm_password = password')!;
  const before = mutate(caseFiles(broken), [
    [
      'a/conf.d/90-replication.conf',
      'doveadm_password = password',
      '# dovecot-lint: ignore=doveadm-password-weak\ndoveadm_password = password',
    ],
  ]);
  assert.deepEqual(replicationCodes(analyzeFiles(before, ROOT_A).analysis.diagnostics), []);
  const atEnd = mutate(caseFiles(broken), [
    [
      'a/conf.d/90-replication.conf',
      'doveadm_password = password',
      'doveadm_password = password # dovecot-lint: ignore=doveadm-password-weak',
    ],
  ]);
  assert.deepEqual(replicationCodes(analyzeFiles(atEnd, ROOT_A).analysis.diagnostics), []);
  const other = mutate(caseFiles(broken), [
    [
      'a/conf.d/90-replication.conf',
      'doveadm_password = password',
      '# dovecot-lint: ignore=replicator-min-avail\ndoveadm_password = password',
    ],
  ]);
  assert.deepEqual(replicationCodes(analyzeFiles(other, ROOT_A).analysis.diagnostics), ['doveadm-password-weak']);
});

test('per-rule level overrides apply to replication rules (dovecot.lint.rules / --rule)', () => {
  const broken = BROKEN_CASES.find((c) => c.name === 'replicator not started at boot')!;
  const files = caseFiles(broken);
  const level = (ruleLevels = {}) =>
    analyzeFiles(files, ROOT_A, { ruleLevels }).analysis.diagnostics.find((d) => d.code === 'replicator-min-avail')
      ?.level;
  assert.equal(level(), 'warning');
  assert.equal(level({ 'replicator-min-avail': 'error' }), 'error');
  assert.equal(level({ 'replicator-min-avail': 'off' }), undefined);
});

test('the CLI applies --rule and --peer to replication rules', async () => {
  const { run } = await import('../server/src/cli');
  const { mkdirSync, writeFileSync } = await import('node:fs');
  const { join, dirname } = await import('node:path');
  const dir = tempDir('replication-cli-');
  const broken = BROKEN_CASES.find((c) => c.rule === 'peer-password-mismatch')!;
  for (const [file, text] of Object.entries(caseFiles(broken))) {
    mkdirSync(dirname(join(dir, file)), { recursive: true });
    writeFileSync(join(dir, file), text);
  }
  const lint = (args: string[]) => {
    let out = '';
    const status = run(
      ['--format', 'json', ...args, join(dir, 'etc/a/dovecot.conf')],
      (text) => {
        out += text;
      },
      () => undefined,
    );
    return { status, codes: (JSON.parse(out) as { code: string }[]).map((d) => d.code) };
  };
  assert.deepEqual(
    lint([]).codes.filter((c) => c.startsWith('peer-')),
    [],
  );
  const withPeer = lint(['--peer', join(dir, 'etc/b/dovecot.conf')]);
  assert.equal(withPeer.status, 1);
  assert.ok(withPeer.codes.includes('peer-password-mismatch'));
  const demoted = lint(['--peer', join(dir, 'etc/b/dovecot.conf'), '--rule', 'peer-password-mismatch=warning']);
  assert.equal(demoted.status, 0);
});

test('2.4 configurations get replication-removed-in-2.4 instead of the 2.3 replication rules', () => {
  const files = {
    '/etc/d24/dovecot.conf':
      'dovecot_config_version = 2.4.1\ndovecot_storage_version = 2.4.1\nmail_driver = maildir\nmail_plugins {\n  notify = yes\n  replication = yes\n}\n',
  };
  const { diagnostics } = analyzeFiles(files, '/etc/d24/dovecot.conf').analysis;
  assert.deepEqual(replicationCodes(diagnostics), []);
  assert.ok(codes(diagnostics).includes('replication-removed-in-2.4'), describeDiagnostics(diagnostics));
});

test('the bundled example pair (npm start) shows replication rules firing on both hosts', async () => {
  const { DiskHost } = await import('../server/src/service/model/diskHost');
  const { getLanguageService } = await import('../server/src/service/dovecotLanguageService');
  const { join } = await import('node:path');
  const service = getLanguageService(new DiskHost());
  const root = (host: string) => join(__dirname, '..', 'examples', 'replication', host, 'dovecot.conf');
  const a = service.analyze(root('host-a'), { peerRoot: root('host-b') });
  assert.deepEqual(
    replicationCodes(a.diagnostics),
    [
      'aggregator-fifo-permissions',
      'doveadm-password-weak',
      'peer-password-mismatch',
      'peer-transport-mismatch',
      'replication-protocol-plugins-dropped',
      'replicator-doveadm-world-writable',
    ],
    describeDiagnostics(a.diagnostics),
  );
  const b = service.analyze(root('host-b'), { peerRoot: root('host-a') });
  assert.deepEqual(
    replicationCodes(b.diagnostics),
    [
      'peer-password-mismatch',
      'replication-notify-missing',
      'replication-protocol-plugins-dropped',
      'tcp-to-ssl-listener',
    ],
    describeDiagnostics(b.diagnostics),
  );
});

test('a mail_replica read from a file: each message names the file as written, never what it holds', () => {
  const replicaFile = '/etc/a/replica.txt';
  const fromFile: [string, string, string] = ['a/conf.d/90-plugin.conf', 'tcp:127.0.0.3:12345', `<${replicaFile}`];
  const peerAddress: [string, string, string] = [
    'b/conf.d/90-replication.conf',
    '    port = 12345\n',
    '    port = 12345\n    address = 127.0.0.2\n',
  ];
  const noDoveadmPort: [string, string, string] = ['a/conf.d/90-replication.conf', 'doveadm_port = 12345\n', ''];
  // `hidden`: parts of the file's content that no message may show.
  const variants: {
    content: string;
    rule: string;
    hidden: string[];
    mutations?: [string, string, string][];
    peer?: boolean;
  }[] = [
    { content: 'REPLICA127.0.0.3:12345', rule: 'mail-replica-malformed', hidden: ['REPLICA'] },
    { content: 'tcp:REPLICAHOST/x:12345', rule: 'mail-replica-malformed', hidden: ['REPLICA'] },
    { content: 'tcp:127.0.0.3:99999', rule: 'mail-replica-malformed', hidden: ['99999'] },
    { content: 'remote:REPLICA@a@b', rule: 'mail-replica-malformed', hidden: ['REPLICA'] },
    { content: 'tcp:127.0.0.2:12345', rule: 'mail-replica-self', hidden: ['tcp:127.0.0.2'] },
    { content: 'tcp:127.0.0.3', rule: 'doveadm-port-missing', hidden: ['127.0.0.3'], mutations: [noDoveadmPort] },
    { content: 'tcp:127.0.0.3:12999', rule: 'doveadm-port-mismatch', hidden: ['12999'] },
    { content: 'tcp:127.0.0.3:12999', rule: 'peer-port-mismatch', hidden: ['12999', '127.0.0.3'], peer: true },
    {
      content: 'tcp:127.0.0.9:12345',
      rule: 'peer-not-pointing-back',
      hidden: ['127.0.0.9'],
      mutations: [peerAddress],
      peer: true,
    },
  ];
  for (const variant of variants) {
    const files = {
      ...mutate(basePair(), [fromFile, ...(variant.mutations ?? [])]),
      [replicaFile]: `${variant.content}\n`,
    };
    const { diagnostics } = analyzeFiles(files, ROOT_A, variant.peer ? { peerRoot: ROOT_B } : {}).analysis;
    const raised = diagnostics.find((d) => d.code === variant.rule);
    assert.ok(raised, `${variant.content}: ${variant.rule} expected, got ${describeDiagnostics(diagnostics)}`);
    assert.ok(raised.message.includes(`read from <${replicaFile}`), raised.message);
    const shown = JSON.stringify(diagnostics.map((d) => [d.message, d.data, d.related]));
    for (const part of [variant.content, ...variant.hidden])
      assert.equal(shown.includes(part), false, `${variant.content}: "${part}" shown in ${raised.message}`);
  }
});

test("the snippets' password placeholder left as is counts as weak (it is long, but the same for everyone)", () => {
  const snippets = readFileSync(join(__dirname, '..', 'server', 'src', 'service', 'features', 'snippets.json'), 'utf8');
  const placeholder = /doveadm_password = \$\{\d+:([^}]+)\}/.exec(snippets)?.[1];
  assert.ok(placeholder && placeholder.length >= 16, `placeholder: ${placeholder}`);
  const files = mutate(basePair(), [
    ['a/conf.d/90-replication.conf', 'doveadm_password = Vq3hT8kZr2LmW9xN4pYc', `doveadm_password = ${placeholder}`],
  ]);
  const weak = analyzeFiles(files, ROOT_A).analysis.diagnostics.filter((d) => d.code === 'doveadm-password-weak');
  assert.equal(weak.length, 1);
  assert.match(weak[0].message, /still the snippet's placeholder/);
});

// What shows replication intent (REPLICATION_INTENT): hardening blocks of the stock services alone do not.
test('service aggregator/replicator/doveadm hardening blocks alone are not a replication setup', () => {
  for (const text of [
    'service aggregator {\n  chroot =\n}\n',
    'service replicator {\n  vsz_limit = 256M\n}\n',
    'service replicator {\n  process_min_avail = 1\n}\nservice aggregator {\n  fifo_listener replication-notify-fifo {\n    user = dovecot\n  }\n}\nservice doveadm {\n  vsz_limit = 512M\n}\n',
    'mail_plugins = replication\nmail_plugins = quota\n',
  ]) {
    const { diagnostics } = analyzeFiles({ '/etc/a/dovecot.conf': text }, '/etc/a/dovecot.conf').analysis;
    assert.deepEqual(replicationCodes(diagnostics), [], `${JSON.stringify(text)}: ${describeDiagnostics(diagnostics)}`);
  }
});

test('intent shown by the plugin (global or in a protocol block), or mail_replica (plugin, userdb, misplaced)', () => {
  const hardening = 'service replicator {\n  vsz_limit = 256M\n}\n';
  for (const text of [
    `mail_plugins = $mail_plugins notify replication\n${hardening}`,
    `protocol imap {\n  mail_plugins = $mail_plugins notify replication\n}\n${hardening}`,
    `plugin {\n  mail_replica = tcp:peer:12345\n}\n${hardening}`,
    `userdb {\n  driver = passwd\n  default_fields = mail_replica=tcp:peer:12345\n}\n${hardening}`,
  ]) {
    const { diagnostics } = analyzeFiles({ '/etc/a/dovecot.conf': text }, '/etc/a/dovecot.conf').analysis;
    assert.ok(
      replicationCodes(diagnostics).includes('replicator-min-avail'),
      `${JSON.stringify(text)}: ${describeDiagnostics(diagnostics)}`,
    );
  }
});

// Values from <file, $ENV: or another setting's $name: read where readable, otherwise unknown, and no rule
// may claim an unknown value lacks something.
group('values from files or the environment', () => {
  const conf = (text: string, extra: Record<string, string> = {}) =>
    replicationCodes(
      analyzeFiles({ '/etc/a/dovecot.conf': text, ...extra }, '/etc/a/dovecot.conf').analysis.diagnostics,
    );
  const replicaConf =
    'plugin {\n  mail_replica = tcp:peer:12345\n}\ndoveadm_password = Vq3hT8kZr2LmW9xN4pYcQ\nservice doveadm {\n  inet_listener {\n    port = 12345\n  }\n}\n';

  test('mail_plugins from an unreadable <file or $ENV: is not reported as lacking notify/replication', () => {
    for (const value of [
      '</etc/a/mail_plugins',
      '$ENV:MAIL_PLUGINS',
      '$ENV:MAIL_PLUGINS replication',
      '$plugins_of_site',
    ]) {
      const codes = conf(
        `mail_plugins = ${value}\nprotocol imap {\n  mail_plugins = $mail_plugins imap_quota\n}\n${replicaConf}`,
      );
      for (const code of [
        'replication-plugin-missing',
        'replication-notify-missing',
        'replication-protocol-plugins-dropped',
      ])
        assert.ok(!codes.includes(code), `${value}: ${codes}`);
    }
  });

  test('mail_plugins from a readable <file is its content, both ways', () => {
    const text = `mail_plugins = </etc/a/mail_plugins\n${replicaConf}`;
    assert.ok(!conf(text, { '/etc/a/mail_plugins': 'notify replication\n' }).includes('replication-plugin-missing'));
    assert.ok(conf(text, { '/etc/a/mail_plugins': 'quota\n' }).includes('replication-plugin-missing'));
    assert.ok(conf(text, { '/etc/a/mail_plugins': 'replication\n' }).includes('replication-notify-missing'));
  });

  test('mail_replica, doveadm_port, doveadm_password and replication_sync_timeout from $ENV: are not judged', () => {
    const base =
      'mail_plugins = $mail_plugins notify replication\nservice doveadm {\n  inet_listener {\n    port = 12345\n  }\n}\n';
    const replicaFromEnv = conf(
      `${base}plugin {\n  mail_replica = $ENV:REPLICA\n  replication_sync_timeout = $ENV:TIMEOUT\n}\ndoveadm_password = $ENV:PW\n`,
    );
    for (const code of [
      'mail-replica-missing',
      'mail-replica-malformed',
      'replication-sync-timeout-invalid',
      'doveadm-password-weak',
      'doveadm-password-missing',
    ])
      assert.ok(!replicaFromEnv.includes(code), `${code}: ${replicaFromEnv}`);
    const portFromEnv = conf(
      `${base}plugin {\n  mail_replica = tcp:peer\n}\ndoveadm_port = $ENV:PORT\ndoveadm_password = Vq3hT8kZr2LmW9xN4pYcQ\n`,
    );
    assert.ok(!portFromEnv.includes('doveadm-port-missing'), String(portFromEnv));
    const portMissing = conf(
      `${base}plugin {\n  mail_replica = tcp:peer\n}\ndoveadm_password = Vq3hT8kZr2LmW9xN4pYcQ\n`,
    );
    assert.ok(portMissing.includes('doveadm-port-missing'), 'still found when nothing is unknown');
    const unreadableReplica = conf(`${base}plugin {\n  mail_replica = </etc/a/replica\n}\n`);
    assert.ok(
      !unreadableReplica.includes('mail-replica-missing') && !unreadableReplica.includes('mail-replica-malformed'),
      String(unreadableReplica),
    );
  });

  test('a listener user from a variable is not compared with the mail user', () => {
    const text = `mail_plugins = $mail_plugins notify replication\nmail_uid = vmail\n${replicaConf}service aggregator {\n  fifo_listener replication-notify-fifo {\n    user = $ENV:MAILUSER\n  }\n}\n`;
    assert.ok(!conf(text).includes('aggregator-fifo-permissions'), String(conf(text)));
  });
});

group('replication listeners and the mail user', () => {
  const base =
    'mail_plugins = $mail_plugins notify replication\nplugin {\n  mail_replica = tcp:peer:12345\n}\ndoveadm_password = Vq3hT8kZr2LmW9xN4pYcQ\nservice doveadm {\n  inet_listener {\n    port = 12345\n  }\n}\nservice replicator {\n  process_min_avail = 1\n  unix_listener replicator-doveadm {\n    mode = 0600\n    user = vmail\n  }\n}\n';
  const fifo = (body: string) =>
    `service aggregator {\n  fifo_listener replication-notify-fifo {\n${body}  }\n  unix_listener replication-notify {\n    user = vmail\n  }\n}\n`;
  const run = (text: string) =>
    analyzeFiles({ '/etc/a/dovecot.conf': base + text }, '/etc/a/dovecot.conf').analysis.diagnostics;
  const userdb = (args: string) => `userdb {\n  driver = static\n  args = ${args}\n}\n`;

  test('fifo owned by dovecot while a static userdb runs mail as vmail: error naming where the mail user comes from', () => {
    const found = run(fifo('    user = dovecot\n') + userdb('uid=vmail gid=vmail home=/var/vmail/%d/%n')).filter(
      (d) => d.code === 'aggregator-fifo-permissions',
    );
    assert.equal(found.length, 1);
    assert.match(
      found[0].message,
      /is owned by dovecot with mode 0600, not writable by the mail processes \(vmail, from userdb args uid=\)/,
    );
  });

  test('first_valid_uid = last_valid_uid names the only mail uid', () => {
    const codesFound = replicationCodes(
      run(`first_valid_uid = 5000\nlast_valid_uid = 5000\n${fifo('    user = 5001\n')}`),
    );
    assert.ok(codesFound.includes('aggregator-fifo-permissions'), String(codesFound));
    assert.ok(
      !replicationCodes(
        run(`first_valid_uid = 5000\nlast_valid_uid = 5000\n${fifo('    user = 5000\n')}`).filter(
          (d) => d.level !== 'information',
        ),
      ).includes('aggregator-fifo-permissions'),
    );
  });

  test('mail user unknown: information saying what must hold, never an error', () => {
    const diagnostics = run(
      fifo('    user = dovecot\n') + 'userdb {\n  driver = passwd-file\n  args = /etc/dovecot/users\n}\n',
    );
    const unverified = diagnostics.filter((d) => d.code === 'replication-listener-owner-unverified');
    assert.deepEqual(
      unverified.map((d) => d.level),
      ['information', 'information', 'information'],
    );
    assert.match(
      unverified.find((d) => d.message.startsWith('replication-notify-fifo'))!.message,
      /must run as dovecot/,
    );
    assert.ok(!diagnostics.some((d) => d.code === 'aggregator-fifo-permissions'));
  });

  test('group-writable listener of the mail group is writable; of another known group it is not', () => {
    const groupFifo = fifo('    user = dovecot\n    group = vmail\n    mode = 0660\n');
    assert.ok(
      !replicationCodes(run(`mail_uid = vmail\nmail_gid = vmail\n${groupFifo}`)).includes(
        'aggregator-fifo-permissions',
      ),
    );
    assert.ok(
      replicationCodes(run(`mail_uid = vmail\nmail_gid = mail\n${groupFifo}`)).includes('aggregator-fifo-permissions'),
    );
    assert.ok(
      !replicationCodes(run(`mail_uid = vmail\n${groupFifo}`)).includes('aggregator-fifo-permissions'),
      'mail group unknown: say nothing',
    );
  });
});

test('doveadm_proxy_port (alias of doveadm_port) gives the replica its port: no doveadm-port-missing', () => {
  const text =
    'mail_plugins = $mail_plugins notify replication\nplugin {\n  mail_replica = tcp:peer\n}\ndoveadm_password = Vq3hT8kZr2LmW9xN4pYcQ\nservice doveadm {\n  inet_listener {\n    port = 12345\n  }\n}\n';
  const run = (extra: string) =>
    replicationCodes(analyzeFiles({ '/etc/a/dovecot.conf': text + extra }, '/etc/a/dovecot.conf').analysis.diagnostics);
  assert.ok(run('').includes('doveadm-port-missing'));
  assert.ok(!run('doveadm_proxy_port = 12345\n').includes('doveadm-port-missing'));
  assert.ok(run('doveadm_proxy_port = 4000\n').includes('doveadm-port-mismatch'), 'the alias value is the port used');
});

test('2.4: a replicator or aggregator block that only tunes the service (chroot =) is not a replication setup', () => {
  const head = 'dovecot_config_version = 2.4.1\ndovecot_storage_version = 2.4.1\n';
  const analyse = (text: string) =>
    codes(analyzeFiles({ '/etc/d24/dovecot.conf': `${head}${text}` }, '/etc/d24/dovecot.conf').analysis.diagnostics);
  assert.deepEqual(analyse('service aggregator {\n  chroot =\n}\nservice replicator {\n  chroot =\n}\n'), []);
  const setUp = [
    'service aggregator {\n  fifo_listener replication-notify-fifo {\n    mode = 0600\n  }\n}\n',
    'service replicator {\n  process_min_avail = 1\n}\n',
  ];
  for (const text of setUp) assert.deepEqual(analyse(text), ['replication-removed-in-2.4'], text);
});
