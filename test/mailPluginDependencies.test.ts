// mail-plugin-dependency-missing: a mail plugin whose dependency the mail_plugins in effect for a protocol
// lacks. Each case records the protocols whose processes stop; the recorded part runs everywhere, and where
// Dovecot 2.3 (Debian) and the 2.4.4 build are installed, their imap, lmtp, dovecot-lda and doveadm are run on
// each case and must stop exactly for the protocols the rule names, with the plugin and dependency it quotes.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { getLanguageService } from '../server/src/service/dovecotLanguageService';
import { MemoryHost } from '../server/src/service/model/host';
import { ROOT } from './helpers/analyze';
import { reportedBy, stoppingBy } from './helpers/mailPluginFindings';
import { MailProcesses, REFUSED, type Version } from './helpers/mailProcesses';

const CODE = 'mail-plugin-dependency-missing';

const reported = (text: string | Record<string, string>, version: Version) => reportedBy(CODE, text, version);

const stopping = (text: string, version: Version): string[] => stoppingBy(CODE, text, version);

interface Case {
  name: string;
  version: Version;
  /** Served protocols; doveadm and lda are always checked. */
  protocols: string;
  text: string;
  /** The protocols whose processes stop on a missing dependency. */
  stops: string[];
}

const ALL = ['doveadm', 'imap', 'lda', 'lmtp'];

const CASES: Case[] = [
  { name: 'trash without quota', version: '2.3', protocols: 'imap lmtp', text: 'mail_plugins = trash\n', stops: ALL },
  { name: 'trash with quota', version: '2.3', protocols: 'imap lmtp', text: 'mail_plugins = trash quota\n', stops: [] },
  {
    name: 'a protocol block that replaces the global list',
    version: '2.3',
    protocols: 'imap lmtp',
    text: 'mail_plugins = quota\nprotocol imap {\n  mail_plugins = imap_quota\n}\n',
    stops: ['imap'],
  },
  {
    name: 'a protocol block that extends the global list',
    version: '2.3',
    protocols: 'imap lmtp',
    text: 'mail_plugins = quota\nprotocol imap {\n  mail_plugins = $mail_plugins imap_quota\n}\n',
    stops: [],
  },
  {
    name: 'a protocol block read before the global list',
    version: '2.3',
    protocols: 'imap lmtp',
    text: 'protocol imap {\n  mail_plugins = $mail_plugins imap_quota\n}\nmail_plugins = quota\n',
    stops: ['imap'],
  },
  {
    name: 'a protocol block not served',
    version: '2.3',
    protocols: 'lmtp',
    text: 'mail_plugins = quota\nprotocol imap {\n  mail_plugins = imap_quota\n}\n',
    stops: [],
  },
  {
    name: 'mail_log and quota_clone without notify and quota',
    version: '2.3',
    protocols: 'imap lmtp',
    text: 'mail_plugins = $mail_plugins mail_log quota_clone\n',
    stops: ALL,
  },
  {
    name: 'mail_log, push_notification and quota_clone with theirs, in any order',
    version: '2.3',
    protocols: 'imap lmtp',
    text: 'mail_plugins = push_notification quota_clone mail_log notify,quota\n',
    stops: [],
  },
  {
    name: 'delivery plugins that replace the list',
    version: '2.3',
    protocols: 'imap lmtp',
    text: 'mail_plugins = quota acl\nprotocol lmtp {\n  mail_plugins = quota_clone\n}\nprotocol lda {\n  mail_plugins = mail_crypt mail_crypt_acl\n}\n',
    stops: ['lda', 'lmtp'],
  },
  {
    name: 'an FTS backend without fts',
    version: '2.3',
    protocols: 'imap lmtp',
    text: 'mail_plugins = fts_squat\n',
    stops: ALL,
  },
  {
    name: 'trash without quota',
    version: '2.4',
    protocols: 'imap lmtp',
    text: 'mail_plugins {\n  trash = yes\n}\n',
    stops: ALL,
  },
  {
    name: 'trash with quota',
    version: '2.4',
    protocols: 'imap lmtp',
    text: 'mail_plugins {\n  trash = yes\n  quota = yes\n}\n',
    stops: [],
  },
  {
    name: 'a protocol filter that replaces the global list',
    version: '2.4',
    protocols: 'imap lmtp',
    text: 'mail_plugins {\n  quota = yes\n}\nprotocol imap {\n  mail_plugins = imap_quota\n}\n',
    stops: ['imap'],
  },
  {
    name: 'a protocol filter that adds to the global list, read before it',
    version: '2.4',
    protocols: 'imap lmtp',
    text: 'protocol imap {\n  mail_plugins {\n    imap_quota = yes\n  }\n}\nmail_plugins {\n  quota = yes\n}\n',
    stops: [],
  },
  {
    name: 'a protocol filter that adds to the global list, which a later line replaces',
    version: '2.4',
    protocols: 'imap lmtp',
    text: 'mail_plugins = quota\nprotocol imap {\n  mail_plugins {\n    imap_quota = yes\n  }\n}\nmail_plugins = trash\n',
    stops: ALL,
  },
  {
    name: 'a protocol filter that takes the dependency out',
    version: '2.4',
    protocols: 'imap lmtp',
    text: 'mail_plugins = quota trash\nprotocol imap {\n  mail_plugins {\n    quota = no\n  }\n}\n',
    stops: ['imap'],
  },
  {
    name: 'elements written as key/name',
    version: '2.4',
    protocols: 'imap lmtp',
    text: 'mail_plugins/quota = yes\nmail_plugins {\n  trash = yes\n}\nprotocol lmtp {\n  mail_plugins/quota_clone = yes\n}\n',
    stops: [],
  },
  {
    name: 'delivery plugins that replace the list',
    version: '2.4',
    protocols: 'imap lmtp',
    text: 'mail_plugins = quota\nprotocol lmtp {\n  mail_plugins = quota_clone\n}\nprotocol lda {\n  mail_plugins = notify_status\n}\n',
    stops: ['lda', 'lmtp'],
  },
  {
    name: 'an FTS backend without fts',
    version: '2.4',
    protocols: 'imap lmtp',
    text: 'mail_plugins {\n  fts_flatcurve = yes\n}\n',
    stops: ALL,
  },
  {
    name: 'an include group that adds the dependency',
    version: '2.4',
    protocols: 'imap lmtp',
    text: 'group @plugins extra {\n  mail_plugins {\n    quota = yes\n  }\n}\n@plugins = extra\nmail_plugins {\n  trash = yes\n}\n',
    stops: [],
  },
  {
    name: 'a protocol filter not served',
    version: '2.4',
    protocols: 'lmtp',
    text: 'protocol imap {\n  mail_plugins = imap_quota\n}\n',
    stops: [],
  },
];

const withProtocols = (c: Case): string => `protocols = ${c.protocols}\n${c.text}`;

describe('where mail processes stop (recorded)', () => {
  for (const c of CASES) {
    test(`${c.version}: ${c.name}`, () => {
      assert.deepEqual(stopping(withProtocols(c), c.version), c.stops);
    });
  }
});

describe('the diagnostic', () => {
  test('2.3: on the protocol line that replaced the global list, saying so', () => {
    const [found, ...rest] = reported(CASES[2].text.replace(/^/, 'protocols = imap\n'), '2.3');
    assert.equal(rest.length, 0);
    assert.equal(found.at, '3:17');
    assert.equal(
      found.message,
      'mail_plugins for imap loads imap_quota without quota, as this protocol block replaces the global mail_plugins, which loads quota: Dovecot stops this process with "Fatal: Couldn\'t load required plugin .../lib11_imap_quota_plugin.so: Plugin quota must be loaded also". Add quota here, or start the value with $mail_plugins.',
    );
  });

  test('2.3: a protocol block read before the global line names that line', () => {
    const [found] = reported(`protocols = imap\n${CASES[4].text}`, '2.3');
    assert.match(found.message, /as this block is read before the global mail_plugins at dovecot\.conf:5/);
  });

  test('2.3: what a protocol line inherits through $mail_plugins is reported on the global line only', () => {
    const text =
      'protocols = imap\nmail_plugins = trash\nprotocol imap {\n  mail_plugins = $mail_plugins imap_quota\n}\n';
    const found = reported(text, '2.3');
    assert.deepEqual(
      found.map((r) => [r.at, r.protocols.join(' '), r.message.split(':')[0]]),
      [
        ['3:17', 'imap', 'mail_plugins for imap loads imap_quota without quota'],
        ['1:15', 'imap doveadm lda', 'mail_plugins for imap, doveadm and lda loads trash without quota'],
      ],
    );
  });

  test('names the first plugin Dovecot refuses, in the order it loads them', () => {
    const [found] = reported('protocols = imap\nmail_plugins = quota_clone mail_log imap_acl\n', '2.3');
    assert.match(found.message, /loads imap_acl without acl, mail_log without notify, quota_clone without quota:/);
    assert.match(found.message, /lib02_imap_acl_plugin\.so: Plugin acl must be loaded also/);
  });

  test('2.4: on the block entry that added the plugin, or on the line that took the dependency out', () => {
    const added = reported(
      'protocols = imap\nprotocol imap {\n  mail_plugins {\n    imap_quota = yes\n  }\n}\n',
      '2.4',
    );
    assert.deepEqual(
      added.map((r) => r.at),
      ['3:4'],
    );
    assert.match(added[0].message, /Add quota = yes to this block\.$/);
    const [slash] = reported('protocols = imap\nprotocol imap {\n  mail_plugins/imap_quota = yes\n}\n', '2.4');
    assert.match(slash.message, /Add mail_plugins\/quota = yes\.$/);
    const [removed] = reported(withProtocols(CASES[15]), '2.4');
    assert.equal(removed.at, '4:4');
    assert.match(removed.message, /as this line takes quota out: .* Remove this line, or take out trash as well\.$/);
  });
});

describe('says nothing', () => {
  const silent = (text: string | Record<string, string>, version: Version) =>
    assert.deepEqual(reported(text, version), []);

  test('when the list is unknown: an environment variable, another setting, an unreadable file, a template', () => {
    silent('mail_plugins = $ENV:PLUGINS trash\n', '2.3');
    silent('mail_plugins = $mail_location trash\n', '2.3');
    silent('mail_plugins = </etc/dovecot/plugins\nprotocol lda {\n  mail_plugins = $mail_plugins trash\n}\n', '2.3');
    silent('mail_plugins = {{ plugins }} trash\n', '2.3');
    // A template that names included files may add the dependency.
    silent('!include {{ extra }}\nmail_plugins = trash\n', '2.3');
    silent('mail_plugins = $SET:mail_plugins trash\n', '2.4');
    silent('mail_plugins {\n  quota = $ENV:QUOTA\n  trash = yes\n}\n', '2.4');
    // A 2.3-style $mail_plugins in 2.4 is setting-variable-23's.
    silent('mail_plugins = $mail_plugins trash\n', '2.4');
  });

  test('when a readable file holds the dependency', () => {
    const files = { [ROOT]: 'mail_plugins = <plugins\n', '/etc/dovecot/plugins': 'quota trash' };
    silent(files, '2.3');
    const without = { [ROOT]: 'mail_plugins = <plugins\n', '/etc/dovecot/plugins': 'trash' };
    assert.equal(reported(without, '2.3').length, 1);
  });

  test('for names it does not know, and for plugins that declare no dependency', () => {
    silent('mail_plugins = my_quota_addon imap_sieve imap_filter_sieve sieve lazy_expunge\n', '2.3');
    silent('mail_plugins {\n  imap_sieve = yes\n  mail_compress = yes\n}\n', '2.4');
  });

  test('for processes that may not load a plugin of the list at all (imap_quota outside imap, sieve in imap)', () => {
    // doveadm, lmtp and dovecot-lda stop on imap_quota itself ("dlopen() failed: ...: undefined symbol").
    const [imapOnly, ...rest] = reported('protocols = imap lmtp\nmail_plugins = imap_quota\n', '2.3');
    assert.deepEqual([imapOnly.protocols, rest], [['imap'], []]);
    const overridden =
      'protocols = imap\nmail_plugins = sieve trash\nprotocol imap {\n  mail_plugins = trash quota\n}\n';
    assert.deepEqual(
      reported(overridden, '2.3').map((r) => r.protocols),
      [['lda']],
    );
    const [withSieve] = reported('protocols = imap lmtp\nmail_plugins = sieve trash\n', '2.3');
    assert.deepEqual(withSieve.protocols, ['lmtp', 'lda']);
  });

  test('for a mail_plugins line inside plugin {}, which Dovecot ignores, but not for the rest of the tree', () => {
    assert.deepEqual(
      reported('mail_plugins = trash\nplugin {\n  mail_plugins = quota trash\n}\n', '2.3').map((r) => r.at),
      ['0:15'],
    );
  });

  test('for replication without notify, which the replication rules report', () => {
    silent('mail_plugins = replication\n', '2.3');
  });

  test('when a local or remote filter or a 2.4 include group changes mail_plugins', () => {
    silent('mail_plugins = trash\nremote 10.0.0.0/8 {\n  mail_plugins = quota trash\n}\n', '2.3');
    silent('mail_plugins {\n  trash = yes\n}\nlocal 10.0.0.1 {\n  mail_plugins {\n    quota = yes\n  }\n}\n', '2.4');
    // Whether the group is applied is not worked out: its list is not read at all.
    silent('group @plugins extra {\n  mail_plugins {\n    quota = no\n  }\n}\nmail_plugins = quota trash\n', '2.4');
  });

  test('in a piece of a configuration opened alone', () => {
    const files = {
      '/etc/dovecot/conf.d/20-imap.conf': 'protocol imap {\n  mail_plugins = $mail_plugins imap_quota\n}\n',
    };
    const host = new MemoryHost(files);
    const analysis = getLanguageService(host).analyze('/etc/dovecot/conf.d/20-imap.conf');
    assert.deepEqual(
      analysis.diagnostics.filter((d) => d.code === CODE),
      [],
    );
  });
});

for (const version of ['2.3', '2.4'] as const) {
  describe(`with the real Dovecot ${version}`, () => {
    const present = MailProcesses.present(version);

    test('doveconf accepts every case, and the processes stop exactly where the rule says', { skip: !present }, () => {
      const lab = new MailProcesses(version);
      let stops = 0;
      let runs = 0;
      for (const c of CASES.filter((one) => one.version === version)) {
        const tree = lab.write(withProtocols(c));
        const check = lab.doveconf();
        assert.equal(check.status, 0, `${c.name}: doveconf -n refused it: ${check.stderr}`);
        const diagnostics = reported({ [ROOT]: tree }, version);
        const served = ['imap', 'lmtp'].filter((protocol) => c.protocols.split(' ').includes(protocol));
        for (const protocol of [...served, 'doveadm', 'lda']) {
          const output = lab.run(protocol);
          const refused = REFUSED.exec(output);
          const claimed = diagnostics.find((d) => d.protocols.includes(protocol));
          runs++;
          if (!claimed) {
            assert.doesNotMatch(output, /Couldn't load required plugin|Plugin .* not found/, `${c.name}, ${protocol}`);
            continue;
          }
          stops++;
          assert.ok(refused, `${c.name}: ${protocol} did not stop as reported:\n${output}`);
          assert.ok(claimed.message.includes(`.../${refused[1]}: Plugin `), `${c.name}, ${protocol}: ${refused[0]}`);
          if (refused[2]) assert.ok(claimed.message.includes(`Plugin ${refused[2]} must be loaded also`));
          else assert.match(claimed.message, /dlopen\(\) failed: \.\.\.: undefined symbol/, `${c.name}, ${protocol}`);
        }
      }
      assert.ok(stops > 0 && stops < runs, `${stops} of ${runs} runs stopped`);
    });
  });
}
