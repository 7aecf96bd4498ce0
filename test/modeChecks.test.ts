// mode-read-as-decimal: a mode without its leading 0 is a decimal number to Dovecot. Checked on the rule's
// places and values, its quick fix, and the socket the real Dovecot 2.3 and 2.4 create from such a line.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { modeReadAsDecimal } from '../server/src/service/analysis/modeChecks';
import { analyzeFiles, brief, ROOT, serviceOver } from './helpers/analyze';
import { until } from './helpers/poll';
import { tempDir } from './helpers/tempDir';

const V24 = 'dovecot_config_version = 2.4.4\ndovecot_storage_version = 2.4.4\n';
const listener = (mode: string): string =>
  `service auth {\n  unix_listener auth-userdb {\n    mode = ${mode}\n  }\n}\n`;
const found = (text: string): string[] => brief(analyzeFiles(text), 'mode-read-as-decimal');

describe('mode-read-as-decimal', () => {
  test('a mode of octal digits without its leading 0 is read as the decimal number', () => {
    assert.equal(modeReadAsDecimal('666'), 666);
    assert.equal(modeReadAsDecimal('10'), 10);
    for (const value of ['0666', '0', '7', '438', '0x1b6', '66a', ''])
      assert.equal(modeReadAsDecimal(value), undefined, value);
  });

  test("says which mode Dovecot uses, on the value, in a listener's mode of either version", () => {
    const message =
      'Dovecot reads mode = 666 as the decimal number 666, which is the mode 01232 (permissions -w--wx-w-): a mode is octal only when it starts with 0. Write mode = 0666.';
    assert.deepEqual(found(listener('666')), [`2:11 ${message}`]);
    assert.deepEqual(found(`${V24}${listener('666')}`), [`4:11 ${message}`]);
    assert.deepEqual(found('service lmtp {\n  fifo_listener x {\n    mode = 600\n  }\n}\n').length, 1);
    assert.deepEqual(found(`${V24}unix_listener_mode = 660\n`).length, 1);
    assert.deepEqual(found(`${V24}fs_posix_mode = 644\n`).length, 1);
    assert.deepEqual(
      found(`${V24}service auth {\n  unix_listener x {\n    unix_listener_mode = 660\n  }\n}\n`).length,
      1,
    );
  });

  test('quiet on modes written in octal, on values that cannot be octal, and where the value is not known', () => {
    for (const mode of ['0666', '0', '7', '438', '$x', '<mode.txt']) assert.deepEqual(found(listener(mode)), [], mode);
    assert.deepEqual(found('plugin {\n  mode = 666\n}\n'), []);
    assert.deepEqual(found('service auth {\n  process_limit = 100\n}\n'), []);
  });

  test('its quick fix adds the leading 0, and nothing else changes', () => {
    const text = listener('660');
    const service = serviceOver(text);
    const analysis = service.analyze(ROOT);
    const diagnostic = analysis.diagnostics.find((d) => d.code === 'mode-read-as-decimal')!;
    const fixes = service.doQuickFixes(analysis, ROOT, [{ ...diagnostic, code: diagnostic.code }]).map((f) => f.fix);
    const preferred = fixes.find((fix) => fix.isPreferred)!;
    assert.equal(preferred.title, "Write '0660'");
    const fixed = TextDocument.applyEdits(TextDocument.create(ROOT, 'dovecot', 1, text), preferred.edits[ROOT]);
    assert.equal(fixed, listener('0660'));
    assert.deepEqual(analyzeFiles(fixed).diagnostics, []);
  });
});

/** The real Dovecots of this machine, started on a configuration with two sockets of auth. */
const DOVECOTS = [
  { version: '2.3', binary: '/usr/sbin/dovecot', head: '' },
  { version: '2.4', binary: '/opt/dovecot-2.4.4/sbin/dovecot', head: V24 },
];

/** The permission bits of the sockets `decimal` (mode = 660) and `octal` (mode = 0660) as Dovecot made them. */
async function socketModes(binary: string, head: string): Promise<{ decimal: number; octal: number }> {
  const dir = tempDir('dovecot-mode-');
  const run = path.join(dir, 'run');
  mkdirSync(run);
  const config = path.join(dir, 'dovecot.conf');
  const lines = [
    `base_dir = ${run}`,
    `log_path = ${path.join(dir, 'log')}`,
    'protocols =',
    'ssl = no',
    'service auth {',
    '  unix_listener decimal {',
    '    mode = 660',
    '  }',
    '  unix_listener octal {',
    '    mode = 0660',
    '  }',
    '}',
  ];
  writeFileSync(config, `${head}${lines.join('\n')}\n`);
  // Dovecot keeps its standard streams after it forks into the background: none are given to it.
  const started = spawnSync(binary, ['-c', config], { stdio: 'ignore', timeout: 20000 });
  assert.equal(started.status, 0, `${binary} did not start (see ${path.join(dir, 'log')})`);
  try {
    await until('the sockets', async () => (existsSync(path.join(run, 'octal')) ? true : undefined));
    const mode = (name: string): number => statSync(path.join(run, name)).mode & 0o7777;
    return { decimal: mode('decimal'), octal: mode('octal') };
  } finally {
    spawnSync(binary, ['-c', config, 'stop'], { stdio: 'ignore', timeout: 20000 });
  }
}

describe('the socket the real Dovecot creates', () => {
  for (const { version, binary, head } of DOVECOTS) {
    test(`Dovecot ${version}: mode = 660 gives the permissions of 01224, mode = 0660 those of 0660`, async (t) => {
      if (!existsSync(binary) || process.getuid?.() !== 0) {
        console.log(`SKIPPED: Dovecot ${version} is not installed at ${binary}, or this is not root`);
        return t.skip(`Dovecot ${version} not runnable here`);
      }
      const modes = await socketModes(binary, head);
      assert.equal(modes.octal, 0o660);
      assert.equal(modes.decimal, 660 & 0o777);
    });
  }
});
