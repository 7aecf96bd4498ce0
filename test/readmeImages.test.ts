// The README's pictures: every one exists in images/, ships with the extension (package.json "files"), and
// is taken by the screenshot script (scripts/screenshots.mjs names each shot it takes).
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import picomatch from 'picomatch';

const REPO = path.resolve(__dirname, '..');
const readme = readFileSync(path.join(REPO, 'README.md'), 'utf8');
const images = [...readme.matchAll(/!\[[^\]]*\]\(([^)\s]+)\)/g)].map((match) => match[1]);

test('the README shows screenshots, each a file under images/', () => {
  assert.ok(images.length >= 5, `README images: ${images.join(', ')}`);
  for (const image of images) {
    assert.match(image, /^images\/[^/]+\.png$/, `${image} lies outside images/`);
    assert.ok(existsSync(path.join(REPO, image)), `${image} is missing`);
  }
});

test('every README image ships in the extension package', () => {
  const files = (JSON.parse(readFileSync(path.join(REPO, 'package.json'), 'utf8')) as { files: string[] }).files;
  for (const image of images)
    assert.ok(
      files.some((pattern) => picomatch(pattern)(image)),
      `${image} matches no entry of package.json "files"`,
    );
});

test('every README screenshot is taken by scripts/screenshots.mjs', () => {
  const script = readFileSync(path.join(REPO, 'scripts', 'screenshots.mjs'), 'utf8');
  const shots = new Set([...script.matchAll(/name: '([a-z0-9-]+)'/g)].map((match) => match[1]));
  if (/replication-view\.png/.test(script)) shots.add('replication-view');
  for (const image of images)
    assert.ok(shots.has(path.basename(image, '.png')), `no shot of ${image} in scripts/screenshots.mjs`);
});
