// File URIs: paths map to the strings VS Code uses and back, for characters that need escaping.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { URI } from '../server/src/uri';

const CASES: [path: string, uri: string][] = [
  ['/etc/dovecot/dovecot.conf', 'file:///etc/dovecot/dovecot.conf'],
  ['/srv/my configs/dovecot.conf', 'file:///srv/my%20configs/dovecot.conf'],
  ['/srv/a#b/dovecot.conf', 'file:///srv/a%23b/dovecot.conf'],
  ['/srv/100%/dovecot.conf', 'file:///srv/100%25/dovecot.conf'],
  ['/srv/user@host/dovecot.conf', 'file:///srv/user%40host/dovecot.conf'],
  ['/srv/Konfiguration-für-Mail/é.conf', 'file:///srv/Konfiguration-f%C3%BCr-Mail/%C3%A9.conf'],
  ['/srv/q?x=1&y/dovecot.conf', 'file:///srv/q%3Fx%3D1%26y/dovecot.conf'],
];

for (const [filePath, uri] of CASES) {
  test(`${JSON.stringify(filePath)} <-> ${uri}`, () => {
    assert.equal(URI.fromPath(filePath), uri);
    assert.equal(URI.toPath(uri), filePath);
    assert.equal(URI.toPath(URI.fromPath(filePath)), filePath);
  });
}

test('a URI written with other escaping (as another client may send it) gives the same path', () => {
  assert.equal(URI.toPath('file:///srv/user@host/my%20configs/a%23b.conf'), '/srv/user@host/my configs/a#b.conf');
  assert.equal(URI.toPath('file:///srv/f%c3%bcr.conf'), '/srv/für.conf');
});
