// mail-plugin-for-other-program: a plugin only some programs may load (imap_quota: imap; sieve: dovecot-lda and
// lmtp) in the mail_plugins another program that runs loads, and its quick fix, which moves the plugin into
// its programs' protocol filters. Each case records the processes that stop; the recorded part runs
// everywhere, and where Dovecot 2.3 (Debian) and the 2.4.4 build are installed, their imap, lmtp, dovecot-lda
// and doveadm run each case and each fixed tree, and must stop exactly where the rule says.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { getLanguageService } from '../server/src/service/dovecotLanguageService';
import { MemoryHost } from '../server/src/service/model/host';
import { ROOT } from './helpers/analyze';
import { analyseAs, reportedBy, stoppingBy, treeOf } from './helpers/mailPluginFindings';
import { HEAD_24, MailProcesses, type Version } from './helpers/mailProcesses';

const CODE = 'mail-plugin-for-other-program';

const reported = (text: string | Record<string, string>, version: Version) => reportedBy(CODE, text, version);

const stopping = (text: string, version: Version): string[] => stoppingBy(CODE, text, version);

interface Case {
  name: string;
  version: Version;
  text: string;
  /** The processes that stop on a plugin meant for another program. */
  stops: string[];
}

const CASES: Case[] = [
  {
    name: 'sieve in the global list',
    version: '2.3',
    text: 'protocols = imap lmtp\nmail_plugins = $mail_plugins sieve\n',
    stops: ['doveadm', 'imap'],
  },
  {
    name: 'imap_quota in the global list',
    version: '2.3',
    text: 'protocols = imap lmtp\nmail_plugins = quota imap_quota\n',
    stops: ['doveadm', 'lda', 'lmtp'],
  },
  {
    name: 'imap_quota in the global list, imap not served: doveadm still loads it',
    version: '2.3',
    text: 'protocols = lmtp\nmail_plugins = quota imap_quota\n',
    stops: ['doveadm', 'lda', 'lmtp'],
  },
  {
    name: 'imap_acl, imap_zlib and imap_sieve in the global list',
    version: '2.3',
    text: 'protocols = imap\nmail_plugins = acl zlib imap_acl imap_zlib imap_sieve\n',
    stops: ['doveadm', 'lda'],
  },
  {
    name: 'imap_sieve in lmtp',
    version: '2.3',
    text: 'protocols = imap lmtp\nprotocol lmtp {\n  mail_plugins = $mail_plugins sieve imap_sieve\n}\n',
    stops: ['lmtp'],
  },
  {
    name: 'sieve for every protocol but imap, which doveadm is too',
    version: '2.3',
    text: 'protocols = imap lmtp\nprotocol !imap {\n  mail_plugins = $mail_plugins sieve\n}\n',
    stops: ['doveadm'],
  },
  {
    name: 'the common setup: each plugin in its own protocol block',
    version: '2.3',
    text: 'protocols = imap lmtp\nmail_plugins = quota\nprotocol imap {\n  mail_plugins = $mail_plugins imap_quota imap_sieve\n}\nprotocol lda {\n  mail_plugins = $mail_plugins sieve\n}\nprotocol lmtp {\n  mail_plugins = $mail_plugins sieve\n}\n',
    stops: [],
  },
  {
    name: 'doveadm and dovecot-lda given lists of their own',
    version: '2.3',
    text: 'protocols = imap\nmail_plugins = quota imap_quota\nprotocol doveadm {\n  mail_plugins = quota\n}\nprotocol lda {\n  mail_plugins = quota\n}\n',
    stops: [],
  },
  {
    name: 'sieve in the global list',
    version: '2.4',
    text: 'protocols = imap lmtp\nmail_plugins {\n  sieve = yes\n}\n',
    stops: ['doveadm', 'imap'],
  },
  {
    name: 'imap_quota and imap_sieve in the global list',
    version: '2.4',
    text: 'protocols = imap lmtp\nmail_plugins = quota imap_quota imap_sieve\n',
    stops: ['doveadm', 'lda', 'lmtp'],
  },
  {
    name: 'imap_acl written as mail_plugins/imap_acl',
    version: '2.4',
    text: 'protocols = lmtp\nmail_plugins/acl = yes\nmail_plugins/imap_acl = yes\n',
    stops: ['doveadm', 'lda', 'lmtp'],
  },
  {
    name: 'the common setup: each plugin in its own protocol block',
    version: '2.4',
    text: 'protocols = imap lmtp\nmail_plugins {\n  quota = yes\n}\nprotocol imap {\n  mail_plugins {\n    imap_quota = yes\n  }\n}\nprotocol lda {\n  mail_plugins {\n    sieve = yes\n  }\n}\nprotocol lmtp {\n  mail_plugins {\n    sieve = yes\n  }\n}\n',
    stops: [],
  },
  {
    name: 'sieve global, taken out for imap and doveadm',
    version: '2.4',
    text: 'protocols = imap lmtp\nmail_plugins {\n  sieve = yes\n}\nprotocol imap {\n  mail_plugins {\n    sieve = no\n  }\n}\nprotocol doveadm {\n  mail_plugins {\n    sieve = no\n  }\n}\n',
    stops: [],
  },
];

const caseNamed = (version: Version, name: string): Case =>
  CASES.find((c) => c.version === version && c.name === name) ?? assert.fail(`no case ${name}`);

describe('where processes stop (recorded)', () => {
  for (const c of CASES) {
    test(`${c.version}: ${c.name}`, () => {
      assert.deepEqual(stopping(c.text, c.version), c.stops);
    });
  }
});

describe('the diagnostic', () => {
  test('2.3: on the word, naming the processes and what Dovecot logs', () => {
    const [found, ...rest] = reported(caseNamed('2.3', 'imap_quota in the global list').text, '2.3');
    assert.equal(rest.length, 0);
    assert.equal(found.at, '1:21');
    assert.equal(
      found.message,
      'imap_quota works only in imap, but lmtp, doveadm and lda load it from this global list: Dovecot stops them with "Fatal: Couldn\'t load required plugin .../lib11_imap_quota_plugin.so: Can\'t load plugin imap_quota_plugin: Plugin is intended to be used only by imap binary (we\'re lmtp)" (or with a "dlopen() failed: ... undefined symbol" error where the plugin cannot be opened outside imap). Load imap_quota in protocol imap { } only.',
    );
  });

  test('sieve names both its programs', () => {
    const [found] = reported(caseNamed('2.4', 'sieve in the global list').text, '2.4');
    assert.equal(found.at, '2:2');
    assert.match(
      found.message,
      /^sieve works only in lda and lmtp, but imap and doveadm load it from this global list:/,
    );
    assert.match(found.message, /Plugin is intended to be used only by binaries: lda lmtp \(we're imap\)/);
    assert.match(found.message, /Load sieve in protocol lda \{ \} and protocol lmtp \{ \} only\.$/);
  });

  test('2.3: a plugin a protocol line inherits through $mail_plugins is reported on the line that wrote it', () => {
    const text =
      'protocols = imap lmtp\nmail_plugins = imap_quota\nprotocol lmtp {\n  mail_plugins = $mail_plugins sieve\n}\n';
    assert.deepEqual(
      reported(text, '2.3').map((r) => [r.at, r.protocols.join(' ')]),
      [['1:15', 'lmtp doveadm lda']],
    );
  });

  test('each plugin on its own', () => {
    assert.deepEqual(
      reported(caseNamed('2.3', 'imap_acl, imap_zlib and imap_sieve in the global list').text, '2.3').map((r) => r.at),
      ['1:24', '1:33', '1:43'],
    );
  });
});

describe('says nothing', () => {
  const silent = (text: string | Record<string, string>, version: Version) =>
    assert.deepEqual(reported(text, version), []);

  test('when the list is unknown: an environment variable, a template, an unread file', () => {
    silent('mail_plugins = $ENV:PLUGINS imap_quota\n', '2.3');
    silent('mail_plugins = {{ plugins }} imap_quota\n', '2.3');
    silent('!include {{ extra }}\nmail_plugins = imap_quota\n', '2.3');
    silent('mail_plugins = $SET:mail_plugins sieve\n', '2.4');
    silent('mail_plugins {\n  quota = $ENV:QUOTA\n  sieve = yes\n}\n', '2.4');
  });

  test('for a plugin in a protocol block of a program that may load it, and for plugins any program loads', () => {
    silent('protocol imap {\n  mail_plugins = $mail_plugins imap_quota\n}\nmail_plugins = quota\n', '2.3');
    silent('mail_plugins = quota acl fts my_imap_addon\n', '2.3');
    silent('protocol imap {\n  mail_plugins/imap_quota = yes\n}\n', '2.4');
  });

  test('when a local or remote filter or a 2.4 include group changes mail_plugins', () => {
    silent('mail_plugins = sieve\nremote 10.0.0.0/8 {\n  mail_plugins = quota\n}\n', '2.3');
    silent('group @plugins extra {\n  mail_plugins {\n    sieve = no\n  }\n}\nmail_plugins = sieve\n', '2.4');
  });

  test('in a piece of a configuration opened alone', () => {
    const files = { '/etc/dovecot/conf.d/10-mail.conf': 'mail_plugins = $mail_plugins sieve\n' };
    const analysis = getLanguageService(new MemoryHost(files)).analyze('/etc/dovecot/conf.d/10-mail.conf');
    assert.deepEqual(
      analysis.diagnostics.filter((d) => d.code === CODE),
      [],
    );
  });
});

/** The files after the quick fix of the diagnostic on `plugin` (the first one when not given). */
function fixed(files: Record<string, string>, version: Version, plugin?: string): Record<string, string> | undefined {
  const { host, service, analysis } = analyseAs(files, version);
  const found = analysis.diagnostics.find(
    (d) => d.code === CODE && (!plugin || (d.data as { plugin: string }).plugin === plugin),
  );
  assert.ok(found, `not reported on:\n${JSON.stringify(files)}`);
  const diagnostic = { range: found.range, message: found.message, code: found.code, data: found.data };
  const fixes = service.doQuickFixes(analysis, found.file ?? ROOT, [diagnostic], host);
  const chosen = fixes.find(({ fix }) => fix.isPreferred);
  if (!chosen) return undefined;
  const after = { ...files };
  for (const [file, edits] of Object.entries(chosen.fix.edits))
    after[file] = TextDocument.applyEdits(TextDocument.create(file, 'dovecot', 1, files[file]), edits);
  return after;
}

const fixedText = (text: string, version: Version, plugin?: string): string | undefined => {
  const after = fixed({ [ROOT]: treeOf(text, version) }, version, plugin)?.[ROOT];
  return after === undefined || version === '2.3' ? after : after.slice(HEAD_24.length);
};

/** Broken trees and what the quick fix makes of them (fixing the plugin named, or the first reported). */
const FIXES: { version: Version; text: string; plugin?: string; after: string }[] = [
  {
    version: '2.3',
    text: 'protocols = imap lmtp\nmail_plugins = $mail_plugins quota imap_quota\n',
    after:
      'protocols = imap lmtp\nmail_plugins = $mail_plugins quota\nprotocol imap {\n  mail_plugins = $mail_plugins imap_quota\n}\n',
  },
  {
    version: '2.3',
    text: 'protocols = imap lmtp\nmail_plugins = sieve quota\nprotocol lmtp {\n  mail_plugins = $mail_plugins quota_clone\n}\n',
    after:
      'protocols = imap lmtp\nmail_plugins = quota\nprotocol lmtp {\n  mail_plugins = $mail_plugins quota_clone sieve\n}\nprotocol lda {\n  mail_plugins = $mail_plugins sieve\n}\n',
  },
  {
    version: '2.3',
    text: 'protocols = imap lmtp\nmail_plugins = quota imap_quota\nprotocol imap {\n  mail_plugins = $mail_plugins imap_quota\n}\n',
    after:
      'protocols = imap lmtp\nmail_plugins = quota\nprotocol imap {\n  mail_plugins = $mail_plugins imap_quota\n}\n',
  },
  {
    version: '2.3',
    text: 'protocols = imap lmtp\nprotocol lmtp {\n  mail_plugins = $mail_plugins imap_sieve sieve\n}\n',
    after:
      'protocols = imap lmtp\nprotocol lmtp {\n  mail_plugins = $mail_plugins sieve\n}\nprotocol imap {\n  mail_plugins = $mail_plugins imap_sieve\n}\n',
  },
  {
    version: '2.4',
    text: 'protocols = imap lmtp\nmail_plugins {\n  quota = yes\n  imap_quota = yes\n}\nprotocol imap {\n  mail_plugins {\n    acl = yes\n  }\n}\n',
    after:
      'protocols = imap lmtp\nmail_plugins {\n  quota = yes\n}\nprotocol imap {\n  mail_plugins {\n    acl = yes\n    imap_quota = yes\n  }\n}\n',
  },
  {
    version: '2.4',
    text: 'protocols = imap lmtp\nmail_plugins = quota sieve\n',
    after:
      'protocols = imap lmtp\nmail_plugins = quota\nprotocol lda {\n  mail_plugins {\n    sieve = yes\n  }\n}\nprotocol lmtp {\n  mail_plugins {\n    sieve = yes\n  }\n}\n',
  },
  {
    version: '2.4',
    text: 'protocols = imap lmtp\nmail_plugins/quota = yes\nmail_plugins/imap_quota = yes\nprotocol imap {\n  mail_plugins/imap_sieve = yes\n}\n',
    after:
      'protocols = imap lmtp\nmail_plugins/quota = yes\nprotocol imap {\n  mail_plugins/imap_sieve = yes\n  mail_plugins/imap_quota = yes\n}\n',
  },
];

describe('the quick fix', () => {
  for (const [index, c] of FIXES.entries()) {
    test(`${c.version}: moves the plugin into its programs' protocol blocks (${index + 1})`, () => {
      const after = fixedText(c.text, c.version, c.plugin);
      assert.equal(after, c.after);
      assert.deepEqual(reported(c.after, c.version), []);
    });
  }

  test('the protocol block goes to another file when that is where the list of its program is decided', () => {
    const files = {
      [ROOT]: 'protocols = imap\nmail_plugins = quota imap_quota\n!include conf.d/*.conf\n',
      '/etc/dovecot/conf.d/20-imap.conf': 'protocol imap {\n  mail_plugins = $mail_plugins imap_acl\n}\n',
    };
    const after = fixed(files, '2.3');
    assert.deepEqual(after, {
      [ROOT]: 'protocols = imap\nmail_plugins = quota\n!include conf.d/*.conf\n',
      '/etc/dovecot/conf.d/20-imap.conf': 'protocol imap {\n  mail_plugins = $mail_plugins imap_acl imap_quota\n}\n',
    });
  });

  test('none where an edit of ours could change what the list means', () => {
    assert.equal(fixedText('mail_plugins = "quota imap_quota"\n', '2.3'), undefined);
    const file = { [ROOT]: 'mail_plugins = <plugins\n', '/etc/dovecot/plugins': 'quota imap_quota' };
    assert.equal(fixed(file, '2.3'), undefined);
  });
});

for (const version of ['2.3', '2.4'] as const) {
  describe(`with the real Dovecot ${version}`, () => {
    const present = MailProcesses.present(version);
    const PROCESSES = ['imap', 'lmtp', 'doveadm', 'lda'];
    // A plugin refused in a program (by its binary dependency, or unopenable there).
    const refused =
      /Couldn't load required plugin \S*\/(lib\w+\.so): (?:Can't load plugin \w+: Plugin is intended|dlopen\(\) failed: .*undefined symbol)/;

    test('doveconf accepts every case, and the processes stop exactly where the rule says', { skip: !present }, () => {
      const lab = new MailProcesses(version);
      let stops = 0;
      for (const c of CASES.filter((one) => one.version === version)) {
        const tree = lab.write(c.text);
        const check = lab.doveconf();
        assert.equal(check.status, 0, `${c.name}: doveconf -n refused it: ${check.stderr}`);
        const diagnostics = reported({ [ROOT]: tree }, version);
        // The processes that run: the served ones of imap and lmtp, doveadm and dovecot-lda.
        const served = /^protocols = (.*)$/m.exec(c.text)?.[1].split(' ') ?? [];
        for (const protocol of PROCESSES.filter((name) => served.includes(name) || !['imap', 'lmtp'].includes(name))) {
          const output = lab.run(protocol);
          const claimed = diagnostics.filter((d) => d.protocols.includes(protocol));
          if (claimed.length === 0) {
            assert.doesNotMatch(output, /Couldn't load required plugin|Plugin .* not found/, `${c.name}, ${protocol}`);
            continue;
          }
          stops++;
          const match = refused.exec(output);
          assert.ok(match, `${c.name}: ${protocol} did not stop as reported:\n${output}`);
          assert.ok(
            claimed.some((d) => d.message.includes(`.../${match[1]}: `)),
            `${c.name}, ${protocol}: ${match[0]}`,
          );
          const own = /Plugin is intended to be used only by [^)]*\(we're \w+\)/.exec(output);
          if (own)
            assert.ok(
              claimed.some((d) => d.message.includes(own[0].replace(/\(we're \w+\)/, ''))),
              own[0],
            );
        }
      }
      assert.ok(stops > 0, 'no process stopped');
    });

    test('the fixed trees: doveconf accepts them and no process stops on a plugin', { skip: !present }, () => {
      const lab = new MailProcesses(version);
      for (const c of FIXES.filter((one) => one.version === version)) {
        lab.write(c.text);
        assert.ok(refused.test(lab.run('doveadm')) || refused.test(lab.run('lmtp')), `nothing stops on\n${c.text}`);
        lab.write(c.after);
        const check = lab.doveconf();
        assert.equal(check.status, 0, `doveconf -n refused\n${c.after}\n${check.stderr}`);
        for (const protocol of PROCESSES)
          assert.doesNotMatch(lab.run(protocol), /Couldn't load required plugin/, `${protocol} on\n${c.after}`);
      }
    });
  });
}
