// A metric's group_by blocks as Dovecot 2.4's stats process checks them when it starts (doveconf accepts them
// all). The last test starts the real Dovecot 2.4 on each case and reads the stats process's error from its log.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import { groupByError24 } from '../server/src/service/schema/statsGroupBy24';
import { DOVECONF_24 } from './oracle24/verdict';
import { analyzeFiles, withCode } from './helpers/analyze';

const HEAD = 'dovecot_config_version = 2.4.4\ndovecot_storage_version = 2.4.4\n';

/** A metric with `groupBy` as its group_by block(s), and what the stats process says (undefined: it starts). */
const CASES: { name: string; before?: string; groupBy: string; stats: string | undefined }[] = [
  {
    name: 'linear without a step',
    groupBy: 'group_by duration {\n  method linear {\n    min = 0\n    max = 100\n  }\n}',
    stats: 'metric_group_by duration: metric_group_by_method_linear_step must not be 0',
  },
  {
    name: 'linear with its three values',
    groupBy: 'group_by duration {\n  method linear {\n    min = 0\n    max = 100\n    step = 10\n  }\n}',
    stats: undefined,
  },
  {
    name: 'linear values set globally and in the metric',
    before: 'metric_group_by_method_linear_step = 10\n',
    groupBy: 'metric_group_by_method_linear_max = 50\ngroup_by duration {\n  method linear {\n  }\n}',
    stats: undefined,
  },
  {
    name: 'linear whose first step passes max',
    groupBy: 'group_by duration {\n  method linear {\n    min = 50\n    max = 55\n    step = 10\n  }\n}',
    stats:
      'metric_group_by duration: metric_group_by_method_linear_min (50) + metric_group_by_method_linear_step (10) must be <= metric_group_by_method_linear_max (55)',
  },
  {
    name: 'linear with min not below max',
    groupBy: 'group_by size {\n  method linear {\n    min = 100\n    max = 100\n    step = 1\n  }\n}',
    stats:
      'metric_group_by size: metric_group_by_method_linear_min (100) must be smaller than metric_group_by_method_linear_max (100)',
  },
  {
    name: 'exponential of base 3',
    groupBy: 'group_by duration {\n  method exponential {\n    base = 3\n  }\n}',
    stats: 'metric_group_by duration: metric_group_by_method_exponential_base must be 2 or 10',
  },
  {
    name: 'two methods',
    groupBy: 'group_by duration {\n  method discrete {\n  }\n  method exponential {\n  }\n}',
    stats: 'metric_group_by duration: Only one metric_group_by_method named filter is allowed',
  },
  {
    name: 'discrete, and no method at all',
    groupBy: 'group_by cmd_name {\n  method discrete {\n  }\n}\ngroup_by user {\n}',
    stats: undefined,
  },
];

function config(before: string | undefined, groupBy: string): string {
  const indented = groupBy.replace(/^/gm, '  ');
  return `${HEAD}${before ?? ''}metric dur {\n  filter = event=imap_command_finished\n${indented}\n}\n`;
}

function ours(text: string): string[] {
  return withCode(analyzeFiles(text), 'stats-group-by-invalid').map((finding) => finding.message);
}

describe('group_by methods the 2.4 stats process refuses', () => {
  for (const { name, before, groupBy, stats } of CASES)
    test(name, () => {
      const messages = ours(config(before, groupBy));
      if (stats === undefined) assert.deepEqual(messages, []);
      else {
        assert.equal(messages.length, 1, messages.join('\n'));
        assert.ok(messages[0].includes(`stops when it starts: ${stats}.`), messages[0]);
      }
    });

  test('the error is on the method block, the second one when there are two', () => {
    const text = config(undefined, 'group_by duration {\n  method discrete {\n  }\n  method linear {\n  }\n}');
    const [finding] = withCode(analyzeFiles(text), 'stats-group-by-invalid');
    assert.equal(text.split('\n')[finding.range.start.line].trim(), 'method linear {');
  });

  test('a value that is not known, or a metric inside another filter, is not judged', () => {
    assert.deepEqual(ours(config('metric_group_by_method_linear_step = $ENV:STEP\n', CASES[0].groupBy)), []);
    const inProtocol = `${HEAD}protocol imap {\n  metric dur {\n    group_by duration {\n      method linear {\n      }\n    }\n  }\n}\n`;
    assert.deepEqual(ours(inProtocol), []);
  });

  test('the checks in the order Dovecot makes them: a step of 0 before min and max', () => {
    const values: Record<string, string> = { metric_group_by_method_linear_step: '0' };
    assert.equal(
      groupByError24('x', ['linear'], (key) => values[key]),
      'metric_group_by x: metric_group_by_method_linear_step must not be 0',
    );
    assert.equal(
      groupByError24('x', ['linear'], () => undefined),
      undefined,
    );
  });
});

const dovecot = path.join(path.dirname(path.dirname(DOVECONF_24)), 'sbin', 'dovecot');
const doveadm = path.join(path.dirname(DOVECONF_24), 'doveadm');
const present = existsSync(dovecot) && existsSync(doveadm);
if (!present) console.log(`SKIPPED: no Dovecot 2.4 at ${dovecot} to start (see scripts/build-dovecot24.sh)`);

/** The first `stats: Fatal:` message of a Dovecot 2.4 started on `text` once a client asks the stats process. */
async function statsFatal(dir: string, text: string): Promise<string | undefined> {
  const places = ['run', 'state'].map((name) => path.join(dir, name));
  for (const place of places) mkdirSync(place, { recursive: true });
  const log = path.join(dir, 'log');
  const file = path.join(dir, 'dovecot.conf');
  const [baseDir, stateDir] = places;
  writeFileSync(file, `${text}base_dir = ${baseDir}\nstate_dir = ${stateDir}\nlog_path = ${log}\nprotocols =\n`);
  assert.equal(spawnSync(DOVECONF_24, ['-n', '-c', file]).status, 0, 'doveconf -n accepts it');
  const master = spawn(dovecot, ['-F', '-c', file], { stdio: 'ignore' });
  try {
    for (let attempt = 0; attempt < 30 && !existsSync(path.join(baseDir, 'stats-reader')); attempt++)
      await new Promise((resolve) => setTimeout(resolve, 100));
    spawnSync(doveadm, ['-c', file, 'stats', 'dump'], { timeout: 5000 });
    for (let attempt = 0; attempt < 20; attempt++) {
      const fatal = /stats: Fatal: (.*)/.exec(existsSync(log) ? readFileSync(log, 'utf8') : '')?.[1];
      if (fatal !== undefined) return fatal;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    return undefined;
  } finally {
    master.kill('SIGTERM');
    await new Promise((resolve) => master.once('exit', resolve));
  }
}

test('agrees with the stats process of a live Dovecot 2.4 on every case', { skip: !present }, async () => {
  const root = mkdtempSync(path.join(tmpdir(), 'dovecot-groupby24-'));
  try {
    for (const [index, { name, before, groupBy, stats }] of CASES.entries()) {
      const text = config(before, groupBy);
      assert.equal(await statsFatal(path.join(root, String(index)), text), stats, name);
    }
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});
