// Quick fixes of mail-plugin-dependency-missing: the dependency written where the plugin that needs it was
// added, or the protocol line made to keep the global list; the fixed tree raises nothing.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { getLanguageService } from '../server/src/service/dovecotLanguageService';
import { MemoryHost } from '../server/src/service/model/host';
import { ROOT } from './helpers/analyze';
import { HEAD_24, MailProcesses, REFUSED, type Version } from './helpers/mailProcesses';

const CODE = 'mail-plugin-dependency-missing';

function analyse(text: string, version: Version) {
  const host = new MemoryHost({ [ROOT]: version === '2.4' ? HEAD_24 + text : text });
  const service = getLanguageService(host);
  return { host, service, analysis: service.analyze(ROOT, { dovecotVersion: version }) };
}

const reported = (text: string, version: Version) =>
  analyse(text, version).analysis.diagnostics.filter((d) => d.code === CODE);

/** The text after a quick fix (the preferred one unless a title is given) of the first diagnostic. */
function fixed(text: string, version: Version, title?: string): string {
  const full = version === '2.4' ? HEAD_24 + text : text;
  const { host, service, analysis } = analyse(text, version);
  const found = analysis.diagnostics.find((d) => d.code === CODE);
  assert.ok(found, `not reported on:\n${full}`);
  const diagnostic = { range: found.range, message: found.message, code: found.code, data: found.data };
  const fixes = service.doQuickFixes(analysis, ROOT, [diagnostic], host);
  const chosen = fixes.find(({ fix }) => (title ? fix.title === title : fix.isPreferred));
  assert.ok(chosen, `no fix ${title ?? '(preferred)'} among ${fixes.map(({ fix }) => fix.title).join(', ')}`);
  const after = TextDocument.applyEdits(TextDocument.create(ROOT, 'dovecot', 1, full), chosen.fix.edits[ROOT]);
  return version === '2.4' ? after.slice(HEAD_24.length) : after;
}

describe('quick fixes', () => {
  test('2.3: the dependency goes before the plugin that needs it, $mail_plugins kept', () => {
    const text =
      'protocols = imap\nmail_plugins = quota\nprotocol imap {\n  mail_plugins = $mail_plugins imap_quota\n}\n';
    const broken = text.replace('$mail_plugins imap_quota', 'imap_quota');
    assert.equal(fixed(broken, '2.3'), broken.replace('= imap_quota', '= quota imap_quota'));
    assert.equal(fixed(broken, '2.3', 'Start the value with $mail_plugins'), text);
    const inherited = 'mail_plugins = mail_log\n';
    assert.equal(fixed(inherited, '2.3'), 'mail_plugins = notify mail_log\n');
    for (const after of [fixed(broken, '2.3'), text, fixed(inherited, '2.3')])
      assert.deepEqual(reported(after, '2.3'), []);
  });

  test('2.4: a block entry above the plugin, a word in a list, or a block that keeps the global list', () => {
    const block = 'protocols = imap\nprotocol imap {\n  mail_plugins {\n    imap_quota = yes\n  }\n}\n';
    assert.equal(fixed(block, '2.4'), block.replace('    imap_quota', '    quota = yes\n    imap_quota'));
    const list =
      'protocols = imap\nmail_plugins {\n  quota = yes\n}\nprotocol imap {\n  mail_plugins = imap_quota\n}\n';
    assert.equal(fixed(list, '2.4'), list.replace('= imap_quota', '= quota imap_quota'));
    const kept = fixed(list, '2.4', 'Add to the global list with a mail_plugins { } block');
    assert.equal(kept, list.replace('  mail_plugins = imap_quota', '  mail_plugins {\n    imap_quota = yes\n  }'));
    const slash = 'protocols = imap\nprotocol imap {\n  mail_plugins/imap_quota = yes\n}\n';
    assert.equal(
      fixed(slash, '2.4'),
      slash.replace('  mail_plugins/imap', '  mail_plugins/quota = yes\n  mail_plugins/imap'),
    );
    for (const after of [fixed(block, '2.4'), fixed(list, '2.4'), kept, fixed(slash, '2.4')])
      assert.deepEqual(reported(after, '2.4'), []);
  });

  test('none where an edit of ours could change what the list means, or where the line takes the dependency out', () => {
    const fixesOf = (files: Record<string, string>, version: Version) => {
      const host = new MemoryHost(files);
      const service = getLanguageService(host);
      const analysis = service.analyze(ROOT, { dovecotVersion: version });
      const found = analysis.diagnostics.filter((d) => d.code === CODE);
      assert.equal(found.length, 1, JSON.stringify(files));
      return service.doQuickFixes(analysis, ROOT, found, host).filter(({ fix }) => !fix.title.startsWith('Ignore'));
    };
    assert.deepEqual(fixesOf({ [ROOT]: 'mail_plugins = <plugins\n', '/etc/dovecot/plugins': 'trash' }, '2.3'), []);
    assert.deepEqual(fixesOf({ [ROOT]: 'mail_plugins = "trash"\n' }, '2.3'), []);
    const removal = 'mail_plugins = quota trash\nmail_plugins {\n  quota = no\n}\n';
    assert.deepEqual(fixesOf({ [ROOT]: HEAD_24 + removal }, '2.4'), []);
  });
});

/** Broken trees whose processes stop, and the fixes (by title, or the preferred one) to apply to each. */
const LIVE: { version: Version; text: string; fixes: (string | undefined)[] }[] = [
  {
    version: '2.3',
    text: 'protocols = imap lmtp\nmail_plugins = quota\nprotocol imap {\n  mail_plugins = imap_quota\n}\n',
    fixes: [undefined, 'Start the value with $mail_plugins'],
  },
  { version: '2.3', text: 'protocols = imap lmtp\nmail_plugins = $mail_plugins mail_log\n', fixes: [undefined] },
  {
    version: '2.4',
    text: 'protocols = imap lmtp\nmail_plugins {\n  quota = yes\n}\nprotocol imap {\n  mail_plugins = imap_quota\n}\n',
    fixes: [undefined, 'Add to the global list with a mail_plugins { } block'],
  },
  { version: '2.4', text: 'protocols = imap lmtp\nmail_plugins {\n  trash = yes\n}\n', fixes: [undefined] },
];

for (const version of ['2.3', '2.4'] as const) {
  describe(`the fixed trees with the real Dovecot ${version}`, () => {
    const present = MailProcesses.present(version);
    test('doveconf accepts them and no process stops on a plugin any more', { skip: !present }, () => {
      const lab = new MailProcesses(version);
      let checked = 0;
      for (const { text, fixes } of LIVE.filter((one) => one.version === version)) {
        lab.write(text);
        assert.ok(REFUSED.test(lab.run('imap')), `imap does not stop on the broken tree:\n${text}`);
        for (const title of fixes) {
          const after = fixed(text, version, title);
          lab.write(after);
          assert.equal(lab.doveconf().status, 0, after);
          for (const protocol of ['imap', 'lmtp', 'doveadm', 'lda']) {
            assert.doesNotMatch(lab.run(protocol), /Couldn't load required plugin/, `${protocol} on\n${after}`);
            checked++;
          }
        }
      }
      assert.equal(checked, 12);
    });
  });
}
