// File hosts: DiskHost on a temporary directory, OverlayHost (open buffers first), MemoryHost's implied directories.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { DiskHost, OverlayHost } from '../server/src/service/model/diskHost';
import { MemoryHost } from '../server/src/service/model/host';

describe('DiskHost', () => {
  let dir = '';
  const host = new DiskHost();
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dovecot-hosts-'));
    fs.mkdirSync(path.join(dir, 'conf.d'));
    fs.writeFileSync(path.join(dir, 'dovecot.conf'), 'protocols = imap\r\n!include conf.d/*.conf\r\n');
    fs.writeFileSync(path.join(dir, 'conf.d', '10-mail.conf'), 'mail_location = maildir:~/Maildir # ü\n');
    fs.writeFileSync(path.join(dir, 'conf.d', '20-imap.conf'), '');
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  test('readFile returns the exact text (CRLF and UTF-8 kept); missing paths and directories give undefined', () => {
    assert.equal(host.readFile(path.join(dir, 'dovecot.conf')), 'protocols = imap\r\n!include conf.d/*.conf\r\n');
    assert.equal(host.readFile(path.join(dir, 'conf.d', '10-mail.conf')), 'mail_location = maildir:~/Maildir # ü\n');
    assert.equal(host.readFile(path.join(dir, 'conf.d', '20-imap.conf')), '');
    assert.equal(host.readFile(path.join(dir, 'missing.conf')), undefined);
    assert.equal(host.readFile(path.join(dir, 'conf.d')), undefined);
  });

  test('read gives a file whole at any size up to the limit, larger than one read chunk too; past it, too-large', () => {
    const limit = 200_000;
    const sizes = fs.mkdtempSync(path.join(os.tmpdir(), 'dovecot-sizes-'));
    for (const size of [1, 65_535, 65_536, 65_537, limit - 1, limit]) {
      const file = path.join(sizes, `sized-${size}.conf`);
      const text = 'a = b\n'.repeat(Math.ceil(size / 6)).slice(0, size);
      fs.writeFileSync(file, text);
      assert.deepEqual(host.read(file, limit), { kind: 'text', text }, `${size} bytes`);
    }
    const over = path.join(sizes, 'over-limit.conf');
    fs.writeFileSync(over, 'x'.repeat(limit + 1));
    assert.equal(host.read(over, limit).kind, 'too-large');
    fs.rmSync(sizes, { recursive: true });
  });

  test('listDirectory gives entry names; a missing path or a file gives undefined', () => {
    assert.deepEqual(host.listDirectory(dir)?.sort(), ['conf.d', 'dovecot.conf']);
    assert.deepEqual(host.listDirectory(path.join(dir, 'conf.d'))?.sort(), ['10-mail.conf', '20-imap.conf']);
    assert.equal(host.listDirectory(path.join(dir, 'nope')), undefined);
    assert.equal(host.listDirectory(path.join(dir, 'dovecot.conf')), undefined);
  });

  test('isFile is true only for existing regular files', () => {
    assert.equal(host.isFile(path.join(dir, 'dovecot.conf')), true);
    assert.equal(host.isFile(path.join(dir, 'conf.d', '20-imap.conf')), true);
    assert.equal(host.isFile(path.join(dir, 'conf.d')), false);
    assert.equal(host.isFile(path.join(dir, 'missing.conf')), false);
  });

  test('OverlayHost prefers the open text, falls back to the disk, lists the disk', () => {
    const open = new Map([
      [path.join(dir, 'dovecot.conf'), 'protocols = lmtp\n'],
      [path.join(dir, 'unsaved.conf'), 'mail_debug = yes\n'],
    ]);
    const overlay = new OverlayHost((filePath) => open.get(filePath));
    assert.equal(overlay.readFile(path.join(dir, 'dovecot.conf')), 'protocols = lmtp\n');
    assert.equal(overlay.readFile(path.join(dir, 'conf.d', '10-mail.conf')), 'mail_location = maildir:~/Maildir # ü\n');
    assert.equal(overlay.readFile(path.join(dir, 'unsaved.conf')), 'mail_debug = yes\n');
    assert.equal(overlay.readFile(path.join(dir, 'missing.conf')), undefined);
    assert.equal(overlay.isFile(path.join(dir, 'unsaved.conf')), true);
    assert.equal(overlay.isFile(path.join(dir, 'conf.d', '20-imap.conf')), true);
    assert.equal(overlay.isFile(path.join(dir, 'missing.conf')), false);
    assert.deepEqual(overlay.listDirectory(dir)?.sort(), ['conf.d', 'dovecot.conf']);
  });

  test('OverlayHost over another host uses that host, and an empty open text still wins', () => {
    const memory = new MemoryHost({ '/etc/dovecot/dovecot.conf': 'on disk\n' });
    const overlay = new OverlayHost((filePath) => (filePath === '/etc/dovecot/dovecot.conf' ? '' : undefined), memory);
    assert.equal(overlay.readFile('/etc/dovecot/dovecot.conf'), '');
    assert.deepEqual(overlay.listDirectory('/etc/dovecot'), ['dovecot.conf']);
  });
});

describe('MemoryHost', () => {
  const host = new MemoryHost({
    '/etc/dovecot/dovecot.conf': 'a\n',
    '/etc/dovecot/conf.d/10-mail.conf': 'b\n',
    '/etc/dovecot/conf.d/auth/extra.conf': 'c\n',
    '/etc/dovecot/conf.d/auth/more.conf': 'd\n',
    '/etc/dovecot-other/x.conf': 'e\n',
  });

  test('listDirectory of nested directories names each entry once; files only below, not beside', () => {
    assert.deepEqual(host.listDirectory('/etc/dovecot')?.sort(), ['conf.d', 'dovecot.conf']);
    assert.deepEqual(host.listDirectory('/etc/dovecot/conf.d')?.sort(), ['10-mail.conf', 'auth']);
    assert.deepEqual(host.listDirectory('/etc/dovecot/conf.d/auth/')?.sort(), ['extra.conf', 'more.conf']);
    assert.deepEqual(host.listDirectory('/etc')?.sort(), ['dovecot', 'dovecot-other']);
    assert.deepEqual(host.listDirectory('/')?.sort(), ['etc']);
    assert.equal(host.listDirectory('/etc/dovecot/dovecot.conf'), undefined);
    assert.equal(host.listDirectory('/var'), undefined);
  });

  test('readFile and isFile resolve paths; directories are not files; set and delete change the tree', () => {
    assert.equal(host.readFile('/etc/dovecot/conf.d/../dovecot.conf'), 'a\n');
    assert.equal(host.isFile('/etc/dovecot/conf.d'), false);
    assert.equal(host.readFile('/etc/dovecot/conf.d'), undefined);
    const edited = new MemoryHost({ '/a/b.conf': 'x' });
    edited.set('/a/c/d.conf', 'y');
    assert.deepEqual(edited.listDirectory('/a')?.sort(), ['b.conf', 'c']);
    edited.delete('/a/c/d.conf');
    assert.deepEqual(edited.listDirectory('/a'), ['b.conf']);
    assert.equal(edited.isFile('/a/c/d.conf'), false);
  });
});
