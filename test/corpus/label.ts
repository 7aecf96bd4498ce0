// Labels every recreated corpus tree with the real `doveconf -n -c ROOT` (Debian's 2.3.19, or for a 2.4 tree
// the 2.4.4 one scripts/build-dovecot24.sh builds) and writes test/corpus/verdicts.json. Run after scripts/corpus-fetch.mjs; needs doveconf installed.
// Usage: node --import tsx test/corpus/label.ts
import { existsSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { VERDICTS, corpusDir, labelTree, manifestDigest, readManifest, treeRoot } from './corpus';
import { DOVECONF_24 } from '../oracle24/verdict';

const version = spawnSync('doveconf', ['-n', '-c', '/dev/null'], { encoding: 'utf8' });
if (version.error) {
  console.error('corpus-label: doveconf is not installed (Debian dovecot-core)');
  process.exit(2);
}
const manifest = readManifest();
const version24 = spawnSync(DOVECONF_24, ['-n', '-c', '/dev/null'], { encoding: 'utf8' });
if (manifest.trees.some((tree) => tree.dovecot === '2.4') && version24.error) {
  console.error(`corpus-label: no Dovecot 2.4 doveconf at ${DOVECONF_24} (scripts/build-dovecot24.sh builds it)`);
  process.exit(2);
}
const missing = manifest.trees.filter((tree) => !existsSync(treeRoot(tree)));
if (missing.length > 0) {
  console.error(`corpus-label: trees missing under ${corpusDir()}: ${missing.map((tree) => tree.id).join(', ')} (run scripts/corpus-fetch.mjs)`);
  process.exit(2);
}
const trees = manifest.trees.map((tree) => {
  const verdict = labelTree(tree);
  console.log(`${verdict.accepted ? 'accept' : 'reject'} ${tree.id}${verdict.fatal ? `: ${verdict.fatal.file ?? ''}${verdict.fatal.line ? `:${verdict.fatal.line}` : ''} ${verdict.fatal.message}` : ''}${verdict.warnings.length ? ` (${verdict.warnings.length} warnings)` : ''}`);
  return verdict;
});
const doveconf = /^# (\S+ \([0-9a-f]+\))/m.exec(version.stdout)?.[1] ?? 'unknown';
const doveconf24 = /^# (\S+ \([0-9a-f]*\))/m.exec(version24.stdout ?? '')?.[1] ?? 'unknown';
writeFileSync(VERDICTS, `${JSON.stringify({ doveconf: `doveconf ${doveconf}`, doveconf24: `doveconf ${doveconf24}`, manifestSha256: manifestDigest(), trees }, null, 2)}\n`);
console.log(`${trees.length} trees labelled: ${trees.filter((t) => t.accepted).length} accepted, ${trees.filter((t) => !t.accepted).length} rejected`);
