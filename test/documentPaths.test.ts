// Where the analysis reads a document (documentPaths.ts): a file is its path; any other document a path of its own.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DocumentPaths } from '../server/src/documentPaths';
import { MemoryHost } from '../server/src/service/model/host';

test('a file: URI is its file; an untitled document gets a path of its own that maps back to its URI', () => {
  const paths = new DocumentPaths(() => undefined);
  assert.equal(paths.pathOf('file:///etc/dovecot/dovecot.conf'), '/etc/dovecot/dovecot.conf');
  assert.equal(paths.isVirtual('/etc/dovecot/dovecot.conf'), false);
  const untitled = paths.pathOf('untitled:Untitled-1');
  assert.notEqual(untitled, 'untitled:Untitled-1');
  assert.equal(paths.isVirtual(untitled), true);
  assert.equal(paths.uriOf(untitled), 'untitled:Untitled-1');
  assert.equal(paths.uriOf('/etc/dovecot/dovecot.conf'), 'file:///etc/dovecot/dovecot.conf');
  paths.forget(untitled);
  assert.equal(paths.isVirtual(untitled), false, 'a closed document is forgotten');
});

test('a document without a file is read alone: its includes and other files are not there', () => {
  const open = new Map([['untitled:Untitled-1', '!include conf.d/*.conf\n']]);
  const paths = new DocumentPaths((uri) => open.get(uri));
  const disk = new MemoryHost({ '/etc/dovecot/dovecot.conf': 'protocols = imap\n' });
  const untitled = paths.pathOf('untitled:Untitled-1');
  const alone = paths.hostFor(untitled, disk);
  assert.equal(alone.readFile(untitled), '!include conf.d/*.conf\n');
  assert.equal(alone.isFile(untitled), true);
  assert.equal(alone.readFile('/etc/dovecot/dovecot.conf'), undefined);
  assert.equal(alone.listDirectory('/'), undefined);
  assert.equal(paths.hostFor('/etc/dovecot/dovecot.conf', disk), disk, 'a file is read from the disk host');
});
