// Hostile nesting (issue: 3,000 nested sections ended in "Maximum call stack size exceeded" and no
// diagnostics). Sections deeper than MAX_SECTION_DEPTH are skipped with an analysis-limit diagnostic;
// every feature answers on 3,000 and 100,000 levels, in the service and in the server over stdio.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { getLanguageService } from '../server/src/service/dovecotLanguageService';
import { MemoryHost } from '../server/src/service/model/host';
import { MAX_SECTION_DEPTH } from '../server/src/service/syntax/nodes';
import { fileUri, startServer } from './helpers/lspClient';

const ROOT = '/etc/dovecot/dovecot.conf';

/** `levels` nested `type a {` blocks, a setting in the innermost one, all closed. */
function nested(levels: number, type = 'service'): string {
  return `mail_uid = vmail\n${`${type} a {\n`.repeat(levels)}  mail_debug = yes\n${'}\n'.repeat(levels)}`;
}

function depthOf(symbols: { children?: unknown[] }[]): number {
  let depth = 0;
  for (let level = symbols; level.length > 0; level = (level[0].children ?? []) as typeof symbols) depth++;
  return depth;
}

for (const levels of [3_000, 100_000]) {
  describe(`${levels} nested sections through the service`, () => {
    const text = nested(levels);
    const host = new MemoryHost({ [ROOT]: text });
    const service = getLanguageService(host);
    const analysis = service.analyze(ROOT);
    const lastLine = 2 * levels + 1;

    test("diagnostics: doveconf's error at the second level, and the limit where analysis stops", () => {
      const codes = analysis.diagnostics.map((d) => `${d.code}@${d.range.start.line}`);
      assert.ok(codes.includes('unknown-setting@2'), codes.join(' '));
      assert.ok(codes.includes(`analysis-limit@${MAX_SECTION_DEPTH + 1}`), codes.join(' '));
      assert.ok(
        !codes.some(
          (code) =>
            code.startsWith('internal-error') ||
            code.startsWith('missing-close-brace') ||
            code.startsWith('unexpected-close-brace'),
        ),
        codes.join(' '),
      );
      const limit = analysis.diagnostics.find((d) => d.code === 'analysis-limit');
      assert.match(limit?.message ?? '', /nested more than 100 levels deep/);
    });

    test('symbols (serialisable), folding and formatting stay bounded; formatting leaves the skipped body alone', () => {
      const parsed = analysis.model.files.get(ROOT)!.parsed;
      const symbols = service.findDocumentSymbols(parsed);
      assert.equal(depthOf(symbols.slice(1) as { children?: unknown[] }[]), MAX_SECTION_DEPTH + 1);
      assert.ok(JSON.stringify(symbols).length > 0);
      const folds = service.getFoldingRanges(parsed);
      assert.equal(folds.length, MAX_SECTION_DEPTH + 1);
      assert.deepEqual(folds.at(-1), { startLine: MAX_SECTION_DEPTH + 1, endLine: lastLine - MAX_SECTION_DEPTH - 1 });
      const edits = service.format({ text, parsed }, []);
      assert.ok(edits.length <= 2 * (MAX_SECTION_DEPTH + 1), `${edits.length} edits`);
      assert.ok(
        edits.every(
          (edit) =>
            edit.range.start.line <= MAX_SECTION_DEPTH + 1 || edit.range.start.line >= lastLine - MAX_SECTION_DEPTH,
        ),
      );
    });

    test('hover, completion, definition, links, inlay hints, code actions and the effective view answer', () => {
      for (const line of [1, MAX_SECTION_DEPTH, MAX_SECTION_DEPTH + 5, levels + 1, lastLine]) {
        const position = { line, character: 2 };
        service.doHover(analysis, ROOT, position);
        assert.ok(Array.isArray(service.doComplete(analysis, ROOT, position, { host })));
        assert.ok(Array.isArray(service.findDefinition(analysis, ROOT, position)));
      }
      assert.ok(Array.isArray(service.findDocumentLinks(analysis, ROOT, host)));
      assert.ok(Array.isArray(service.getInlayHints(analysis, ROOT)));
      const diagnostics = analysis.diagnostics.map((d) => ({
        range: d.range,
        message: d.message,
        code: d.code,
        data: d.data,
      }));
      assert.ok(Array.isArray(service.doQuickFixes(analysis, ROOT, diagnostics, host)));
      assert.match(service.renderEffectiveConfig(analysis), /mail_uid = vmail/);
    });
  });
}

test('nesting continued across included files is bounded too', () => {
  const files: Record<string, string> = { [ROOT]: '!include 0.conf\n' };
  const opened = 10;
  const count = 30;
  for (let i = 0; i < count; i++)
    files[`/etc/dovecot/${i}.conf`] =
      `${'service a {\n'.repeat(opened)}${i + 1 < count ? `!include ${i + 1}.conf\n` : ''}`;
  files[`/etc/dovecot/${count - 1}.conf`] += '}\n'.repeat(opened * count);
  const service = getLanguageService(new MemoryHost(files));
  const analysis = service.analyze(ROOT);
  const limits = analysis.diagnostics.filter((d) => d.code === 'analysis-limit');
  assert.equal(
    limits.length,
    1,
    analysis.diagnostics.map((d) => `${d.code} ${d.file}:${d.range.start.line}`).join('\n'),
  );
  assert.equal(limits[0].file, `/etc/dovecot/${MAX_SECTION_DEPTH / opened}.conf`);
  assert.match(limits[0].message, /including files/);
});

for (const levels of [3_000, 100_000])
  describe(`${levels} nested sections through the language server over stdio`, () => {
    let dir = '';
    before(() => {
      dir = mkdtempSync(path.join(tmpdir(), 'dovecot-deep-'));
    });
    after(() => rmSync(dir, { recursive: true, force: true }));

    test('diagnostics are published and every request is answered', { timeout: 120_000 }, async () => {
      const file = path.join(dir, 'dovecot.conf');
      const text = nested(levels);
      writeFileSync(file, text);
      const server = await startServer(dir, fileUri, undefined, ['--max-old-space-size=512']);
      const logged: string[] = [];
      server.client.onNotification('window/logMessage', (params) => logged.push(params.message));
      try {
        const uri = fileUri(file);
        const published = server.client.waitFor(
          'textDocument/publishDiagnostics',
          (p) => p.uri === uri && p.diagnostics.length > 0,
          60_000,
        );
        server.client.notify('textDocument/didOpen', {
          textDocument: { uri, languageId: 'dovecot', version: 1, text },
        });
        const codes = (await published).diagnostics.map((d: { code: string }) => d.code);
        assert.ok(codes.includes('unknown-setting') && codes.includes('analysis-limit'), codes.join(' '));
        const at = { textDocument: { uri }, position: { line: 50, character: 2 } };
        assert.ok((await server.client.request('textDocument/documentSymbol', { textDocument: { uri } })).length > 0);
        assert.equal(
          (await server.client.request('textDocument/foldingRange', { textDocument: { uri } })).length,
          MAX_SECTION_DEPTH + 1,
        );
        assert.ok(
          Array.isArray(
            await server.client.request('textDocument/formatting', {
              textDocument: { uri },
              options: { tabSize: 2, insertSpaces: true },
            }),
          ),
        );
        assert.ok((await server.client.request('textDocument/completion', at)) !== null);
        await server.client.request('textDocument/hover', at);
        assert.ok((await server.client.request('dovecot/effectiveConfig', { uri })) !== null);
        assert.deepEqual(
          logged.filter((message) => /failed|uncaught/.test(message)),
          [],
        );
      } finally {
        await server.stop();
      }
    });
  });
