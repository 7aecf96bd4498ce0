// Inputs that used to take quadratic time or more (issue item 8): a huge unknown key (the did-you-mean
// search), a setting continued over very many lines with a `$v` on each, a file past the size limit,
// and a 20,000-file glob in the language server. The CLI and the server run as child processes under a
// memory cap and a kill timeout; growth is asserted as counts of operations, never as seconds.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { boundedEditDistance, closestSettingNames } from '../server/src/service/schema/schema';
import { LogicalLine, scanLines } from '../server/src/service/syntax/logicalLines';
import { analyzeFiles } from './helpers/analyze';
import { buildBundles, runCliBounded } from './helpers/cli';
import { fileUri, startServer } from './helpers/lspClient';

const dirs: string[] = [];
const tempDir = (): string => {
  const dir = mkdtempSync(path.join(tmpdir(), 'dovecot-pathological-'));
  dirs.push(dir);
  return dir;
};
before(() => buildBundles());
after(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

describe('did-you-mean for unknown settings is bounded', () => {
  test('the bounded distance agrees with the full one within the limit and gives up past it', () => {
    assert.equal(boundedEditDistance('mail_locaton', 'mail_location', 4), 1);
    assert.equal(boundedEditDistance('kitten', 'sitting', 3), 3);
    assert.equal(boundedEditDistance('kitten', 'sitting', 2), 3);
    assert.equal(boundedEditDistance('a'.repeat(1_000_000), 'mail_location', 10), 11);
    assert.deepEqual(closestSettingNames('', 'mail_locaton'), ['mail_location']);
    assert.deepEqual(closestSettingNames('', 'm'.repeat(81)), []);
  });

  test('a 5 MB unknown key: dovecot-lint finishes with the unknown-setting error', { timeout: 120_000 }, async () => {
    const dir = tempDir();
    writeFileSync(path.join(dir, 'dovecot.conf'), `${'x'.repeat(5 * 1024 * 1024)} = 1\n`);
    const run = await runCliBounded(dir, ['--format', 'json', 'dovecot.conf'], { timeoutMs: 100_000 });
    assert.equal(run.timedOut, false, 'dovecot-lint hung and was killed');
    assert.equal(run.status, 1, run.stderr);
    const [diagnostic, ...others] = JSON.parse(run.stdout) as { code: string; message: string }[];
    assert.deepEqual(others, []);
    assert.equal(diagnostic.code, 'unknown-setting');
    assert.ok(!diagnostic.message.includes('did you mean'));
  });
});

describe('a setting continued over many lines', () => {
  /** Segment reads of LogicalLine.positionAt over every `$v` of a line continued `count` times. */
  function segmentReads(count: number): number {
    let line = undefined as unknown as LogicalLine;
    scanLines(`mail_plugins = ${'$v \\\n'.repeat(count)}x\n`, (span) => (line = span.continued ?? line));
    let reads = 0;
    const { segments, textLines } = line as unknown as { segments: object[]; textLines: never };
    const counted = new Proxy(segments, {
      get(target, key, receiver) {
        if (typeof key === 'string' && /^\d+$/.test(key)) reads++;
        return Reflect.get(target, key, receiver);
      },
    });
    const probe = new LogicalLine(line.text, counted as never, textLines);
    for (let offset = line.text.indexOf('$'); offset >= 0; offset = line.text.indexOf('$', offset + 1))
      probe.positionAt(offset);
    return reads;
  }

  test('mapping positions back costs O(log n) per token, not O(n): 8x the lines is far below 64x the work', () => {
    const small = segmentReads(2_000);
    const large = segmentReads(16_000);
    assert.ok(large / small < 12, `8x the lines cost ${(large / small).toFixed(1)}x the segment reads`);
  });

  test(
    '200,000 continuation lines each holding a $v: dovecot-lint finishes and reports each token',
    { timeout: 180_000 },
    async () => {
      const dir = tempDir();
      const count = 200_000;
      writeFileSync(path.join(dir, 'dovecot.conf'), `mail_plugins = ${'$v \\\n'.repeat(count)}x\n`);
      // Printed diagnostics would be ~50 MB: count them through a summary of the JSON instead.
      const run = await runCliBounded(dir, ['--format', 'json', 'dovecot.conf'], {
        timeoutMs: 170_000,
        maxOldSpaceMb: 1024,
      });
      assert.equal(run.timedOut, false, 'dovecot-lint hung and was killed');
      const codes = (JSON.parse(run.stdout) as { code: string }[]).map((d) => d.code);
      assert.equal(codes.filter((code) => code === 'unknown-variable').length, count);
    },
  );
});

/** Characters `String.prototype.indexOf` reads while `run` runs (up to each match, or to the end of the string). */
function charactersSearched(run: () => void): number {
  const indexOf = String.prototype.indexOf;
  let read = 0;
  String.prototype.indexOf = function (this: string, search: string, from?: number): number {
    const found = indexOf.call(this, search, from);
    read += (found >= 0 ? found : this.length) - Math.max(0, from ?? 0);
    return found;
  };
  try {
    run();
  } finally {
    String.prototype.indexOf = indexOf;
  }
  return read;
}

describe('searches that used to read the rest of the text for every line or token', () => {
  test('a file without a # is not searched to its end for one at every line: 8x the lines, far below 64x', () => {
    const searched = (lines: number) =>
      charactersSearched(() =>
        scanLines('service a {\n  process_limit = 5\n}\nmail_debug = yes\n'.repeat(lines / 4), () => {}),
      );
    const small = searched(4_000);
    const large = searched(32_000);
    assert.ok(large / small < 12, `8x the lines read ${(large / small).toFixed(1)}x the characters`);
  });

  test("an unknown $name's message masks the value once per line, not once per $name", () => {
    const searched = (count: number) => {
      const text = `mail_plugins = ${Array.from({ length: count }, (_, i) => `$v${i} \\\n`).join('')}x\n`;
      return charactersSearched(() => analyzeFiles(text));
    };
    const small = searched(500);
    const large = searched(4_000);
    assert.ok(large / small < 12, `8x the $names read ${(large / small).toFixed(1)}x the characters`);
  });
});

describe('file size limits keep memory bounded', () => {
  test('a 50 MB root file is refused with a diagnostic, under a 256 MB heap', { timeout: 120_000 }, async () => {
    const dir = tempDir();
    writeFileSync(path.join(dir, 'dovecot.conf'), 'mail_debug = yes\n'.repeat(Math.ceil((50 * 1024 * 1024) / 17)));
    const run = await runCliBounded(dir, ['--format', 'json', 'dovecot.conf'], {
      timeoutMs: 100_000,
      maxOldSpaceMb: 256,
    });
    assert.equal(run.timedOut, false);
    assert.deepEqual(
      (JSON.parse(run.stdout) as { code: string; message: string }[]).map((d) => `${d.code} ${d.message}`),
      ['analysis-limit dovecot.conf is larger than 8 MB: dovecot-lint does not read it.'],
    );
  });
});

describe('an open document past the size limit in the language server', () => {
  test('is reported once and not parsed for symbols, folding or formatting', { timeout: 120_000 }, async () => {
    const dir = tempDir();
    const root = path.join(dir, 'dovecot.conf');
    const text = 'mail_debug = maybe\n'.repeat(Math.ceil((9 * 1024 * 1024) / 19));
    writeFileSync(root, 'mail_uid = vmail\n');
    const server = await startServer(dir, fileUri, undefined, ['--max-old-space-size=512']);
    try {
      const uri = fileUri(root);
      const published = server.client.waitFor(
        'textDocument/publishDiagnostics',
        (p) => p.uri === uri && p.diagnostics.length > 0,
        100_000,
      );
      server.client.notify('textDocument/didOpen', { textDocument: { uri, languageId: 'dovecot', version: 1, text } });
      const diagnostics = (await published).diagnostics as { code: string; message: string }[];
      assert.deepEqual(
        diagnostics.map((d) => `${d.code} ${d.message}`),
        ['analysis-limit dovecot.conf is larger than 8 MB: dovecot-lint does not read it.'],
      );
      assert.deepEqual(await server.client.request('textDocument/documentSymbol', { textDocument: { uri } }), []);
      assert.deepEqual(await server.client.request('textDocument/foldingRange', { textDocument: { uri } }), []);
      assert.deepEqual(
        await server.client.request('textDocument/formatting', {
          textDocument: { uri },
          options: { tabSize: 2, insertSpaces: true },
        }),
        [],
      );
    } finally {
      await server.stop();
    }
  });
});

describe('a 20,000-file glob in the language server', () => {
  test('diagnostics are published only for the file that has some', { timeout: 300_000 }, async () => {
    const dir = tempDir();
    mkdirSync(path.join(dir, 'conf.d'));
    const root = path.join(dir, 'dovecot.conf');
    writeFileSync(root, 'mail_uid = vmail\n!include conf.d/*.conf\n');
    for (let i = 0; i < 20_000; i++)
      writeFileSync(
        path.join(dir, 'conf.d', `${String(i).padStart(5, '0')}.conf`),
        i === 777 ? 'mail_debug = maybe\n' : 'mail_debug = yes\n',
      );
    const server = await startServer(dir, fileUri, undefined, ['--max-old-space-size=1024']);
    try {
      const published: string[] = [];
      server.client.onNotification('textDocument/publishDiagnostics', (params) => published.push(params.uri));
      const status = server.client.waitFor('dovecot/status', (params) => params.uri === fileUri(root), 280_000);
      server.client.notify('textDocument/didOpen', {
        textDocument: {
          uri: fileUri(root),
          languageId: 'dovecot',
          version: 1,
          text: 'mail_uid = vmail\n!include conf.d/*.conf\n',
        },
      });
      // The status notification follows the publication of the whole tree on the same connection.
      await status;
      assert.deepEqual([...new Set(published)], [fileUri(path.join(dir, 'conf.d', '00777.conf'))]);
    } finally {
      await server.stop();
    }
  });
});
