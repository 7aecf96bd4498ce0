// Root discovery: what the CLI's folder search and the language server's workspace crawl call a root.
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { test } from 'node:test';
import { getLanguageService } from '../server/src/service/dovecotLanguageService';
import { MemoryHost } from '../server/src/service/model/host';
import { DISCOVERY_LIMITS, discoverRoots } from '../server/src/service/project/discoverRoots';

const R = path.resolve('/repo');
const discover = (
  files: Record<string, string>,
  options: { exclude?: string[]; rootNames?: string[] } = {},
): string[] => {
  const host = new MemoryHost(
    Object.fromEntries(Object.entries(files).map(([name, text]) => [path.join(R, name), text])),
  );
  const service = getLanguageService(host);
  return discoverRoots(host, R, { ...options, filesOf: (root) => new Set(service.buildModel(root).files.keys()) }).map(
    (root) => path.relative(R, root),
  );
};

test('every dovecot.conf below the folder, in path order', () => {
  assert.deepEqual(discover({ 'b/dovecot.conf': '', 'a/etc/dovecot/dovecot.conf': '', 'c/other.conf': '' }), [
    'a/etc/dovecot/dovecot.conf',
    'b/dovecot.conf',
  ]);
});

test('a dovecot.conf that another root includes is part of that tree, not a root', () => {
  assert.deepEqual(
    discover({ 'h/dovecot.conf': '!include sub/dovecot.conf\n', 'h/sub/dovecot.conf': 'mail_debug = yes\n' }),
    ['h/dovecot.conf'],
  );
});

test('a lone candidate is the root without its include tree being read', () => {
  const host = new MemoryHost({ [path.join(R, 'etc/dovecot.conf')]: '!include conf.d/*.conf\n' });
  const treesRead: string[] = [];
  const roots = discoverRoots(host, R, {
    filesOf: (root) => {
      treesRead.push(root);
      return new Set([root]);
    },
  });
  assert.deepEqual(roots, [path.join(R, 'etc/dovecot.conf')]);
  assert.deepEqual(treesRead, []);
});

test('hidden folders, node_modules and excluded globs are skipped', () => {
  const files = {
    '.git/dovecot.conf': '',
    'node_modules/x/dovecot.conf': '',
    'old/dovecot.conf': '',
    'new/dovecot.conf': '',
  };
  assert.deepEqual(discover(files, { exclude: ['old/**'] }), ['new/dovecot.conf']);
});

test('the search stops at the depth limit', () => {
  const deep = (depth: number): string => [...Array(depth).keys()].map((i) => `d${i}`).join('/');
  const files = {
    [`${deep(DISCOVERY_LIMITS.maxDepth)}/dovecot.conf`]: '',
    [`${deep(DISCOVERY_LIMITS.maxDepth + 1)}/dovecot.conf`]: '',
  };
  assert.deepEqual(discover(files), [`${deep(DISCOVERY_LIMITS.maxDepth)}/dovecot.conf`]);
});

test('other root names can be given (template roots)', () => {
  assert.deepEqual(
    discover({ 'role/templates/dovecot.conf.j2': '', 'x/dovecot.conf': '' }, { rootNames: ['dovecot.conf.j2'] }),
    ['role/templates/dovecot.conf.j2'],
  );
});
