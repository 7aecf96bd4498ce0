// The committed corpus data stays consistent without the corpus itself (CI has no mirrors): every tree of
// the manifest is pinned and labelled by doveconf, the verdicts were recorded from this manifest, and the
// corpus keeps the size issue 9 asks for. The comparison itself runs in `npm run corpus`.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fileKey, manifestDigest, readManifest, readVerdicts } from './corpus/corpus';
import verdictsFile from './corpus/verdicts.json';

const manifest = readManifest();

test('every corpus tree is pinned to a commit and says where its root is', () => {
  for (const tree of manifest.trees) {
    assert.match(tree.commit, /^[0-9a-f]{40}$/, tree.id);
    assert.match(tree.repo, /^[\w.-]+\/[\w.-]+$/, tree.id);
    assert.ok(
      tree.files.some((file) => !file.data),
      `${tree.id} takes configuration files from its project`,
    );
    assert.ok(!tree.root.startsWith('/') && tree.root.endsWith('.conf'), tree.id);
    for (const file of tree.files.filter((file) => file.repo))
      assert.match(file.commit ?? '', /^[0-9a-f]{40}$/, `${tree.id}: ${file.from} is pinned in ${file.repo}`);
  }
  assert.equal(new Set(manifest.trees.map((tree) => tree.id)).size, manifest.trees.length, 'tree ids are unique');
});

test('the corpus holds at least 120 configuration files from at least 15 projects', () => {
  const files = new Set(
    manifest.trees.flatMap((tree) => tree.files.filter((file) => !file.data).map((file) => fileKey(tree, file))),
  );
  assert.ok(files.size >= 120, `${files.size} files`);
  assert.ok(new Set(manifest.trees.map((tree) => tree.project)).size >= 15);
});

test('doveconf verdicts were recorded for this manifest, one per tree', () => {
  const verdicts = readVerdicts();
  assert.deepEqual([...verdicts.keys()].sort(), manifest.trees.map((tree) => tree.id).sort());
  for (const verdict of verdicts.values()) {
    assert.equal(verdict.accepted, verdict.rc === 0, verdict.id);
    if (!verdict.accepted) assert.ok(verdict.fatal, `${verdict.id}: a rejected tree names doveconf's error`);
  }
  const { manifestSha256 } = verdictsFile as { manifestSha256: string };
  assert.equal(manifestSha256, manifestDigest(), 're-run npm run corpus:label after changing the manifest');
});
