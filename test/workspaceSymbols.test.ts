import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { SymbolKind } from 'vscode-languageserver-types';
import { getLanguageService } from '../server/src/service/dovecotLanguageService';
import { MemoryHost } from '../server/src/service/model/host';
import { matchRank, WORKSPACE_SYMBOL_LIMIT } from '../server/src/service/features/workspaceSymbols';

const root = '/etc/dovecot/dovecot.conf';
const master = '/etc/dovecot/conf.d/10-master.conf';
const other = '/srv/dovecot-b/dovecot.conf';
const host = new MemoryHost({
  [root]: '!include conf.d/*.conf\nssl_cert = </etc/ssl/cert.pem\nssl_key = </etc/ssl/key.pem\n',
  [master]: 'service imap-login {\n  inet_listener imaps {\n    port = 993\n  }\n}\n',
  [other]: 'ssl = required\nssl_protocols = !SSLv3\n',
});
const service = getLanguageService(host);
const analyses = [service.analyze(root), service.analyze(other)];
const found = (query: string): string[] =>
  service
    .findWorkspaceSymbols(analyses, query)
    .map((s) => `${s.name} ${s.file}:${s.range.start.line}${s.containerName ? ` in ${s.containerName}` : ''}`);

describe('workspace symbols', () => {
  it('finds settings and sections of every analysed tree by name, exact and prefix matches first', () => {
    assert.deepEqual(found('ssl'), [
      `ssl ${other}:0`,
      `ssl_cert ${root}:1`,
      `ssl_key ${root}:2`,
      `ssl_protocols ${other}:1`,
    ]);
  });

  it('names the enclosing sections and finds a section by type and name', () => {
    assert.deepEqual(found('port'), [`port ${master}:2 in service imap-login › inet_listener imaps`]);
    assert.deepEqual(found('imapz'), []);
    assert.deepEqual(
      service.findWorkspaceSymbols(analyses, 'imaps').map((s) => [s.name, s.kind]),
      [['inet_listener imaps', SymbolKind.Struct]],
    );
  });

  it('matches the query letters in order, ignoring case', () => {
    assert.deepEqual(found('SPRT'), [`ssl_protocols ${other}:1`]);
    assert.equal(matchRank('ssl_protocols', 'xyz'), undefined);
    assert.ok(matchRank('ssl', 'ssl')! < matchRank('ssl_cert', 'ssl')!);
    assert.ok(matchRank('ssl_cert', 'ssl')! < matchRank('verbose_ssl', 'ssl')!);
    assert.ok(matchRank('verbose_ssl', 'ssl')! < matchRank('s_s_l', 'ssl')!);
  });

  it('lists an obsolete 2.3 setting under the name written, and each place once', () => {
    const twice = [...analyses, analyses[1]];
    assert.deepEqual(
      service.findWorkspaceSymbols(twice, 'ssl_proto').map((s) => s.name),
      ['ssl_protocols'],
    );
  });

  it(`answers at most ${WORKSPACE_SYMBOL_LIMIT} symbols`, () => {
    const big = new MemoryHost({
      [root]: Array.from({ length: 400 }, (_, i) => `plugin {\n  quota_rule${i} = *:storage=1G\n}\n`).join(''),
    });
    const bigService = getLanguageService(big);
    const symbols = bigService.findWorkspaceSymbols([bigService.analyze(root)], 'quota');
    assert.equal(symbols.length, WORKSPACE_SYMBOL_LIMIT);
    assert.equal(symbols[0].name, 'quota_rule0');
  });
});
