import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { CompletionItemKind, InsertTextFormat, type CompletionItem, type TextEdit } from 'vscode-languageserver-types';
import { type CompletionOptions } from '../server/src/service/features/completion';
import { getLanguageService } from '../server/src/service/dovecotLanguageService';
import { DiskHost } from '../server/src/service/model/diskHost';
import { MemoryHost } from '../server/src/service/model/host';
import { cursorIn, cursorInRoot, ROOT, type CursorCase } from './helpers/cursor';
import type { TreeAnalysis } from '../server/src/service/dovecotLanguageService';

const STOCK_ROOT = path.resolve('test/fixtures/debian-stock/dovecot.conf');

function complete(c: CursorCase, options?: CompletionOptions): CompletionItem[] {
  return c.service.doComplete(c.analysis, c.file, c.position, options);
}

function labelsAt(marked: string, options?: CompletionOptions): string[] {
  return complete(cursorInRoot(marked), options).map((item) => item.label);
}

function itemAt(marked: string, label: string): CompletionItem {
  const item = complete(cursorInRoot(marked)).find((candidate) => candidate.label === label);
  assert.ok(item, `no completion item ${label}`);
  return item;
}

function newText(item: CompletionItem): string {
  return (item.textEdit as TextEdit | undefined)?.newText ?? item.insertText ?? item.label;
}

function assertHas(labels: string[], expected: string[]): void {
  for (const label of expected) assert.ok(labels.includes(label), `expected ${label} in completions`);
}

function assertLacks(labels: string[], unexpected: string[]): void {
  for (const label of unexpected) assert.ok(!labels.includes(label), `did not expect ${label} in completions`);
}

function nonDirective(labels: string[]): string[] {
  return labels.filter((label) => !label.startsWith('!')).sort();
}

describe('key completion by context', () => {
  it('top level: top-level settings, section types and filters, nothing from inside sections', () => {
    const labels = labelsAt('|');
    assertHas(labels, [
      'mail_location',
      'protocols',
      'mail_plugins',
      'doveadm_port',
      'service',
      'namespace',
      'passdb',
      'userdb',
      'plugin',
      'dict',
      'metric',
      'event_exporter',
      'protocol',
      'local',
      'local_name',
      'remote',
      '!include',
      '!include_try',
    ]);
    assertLacks(labels, ['process_limit', 'port', 'mode', 'mail_replica', 'unix_listener', 'mailbox', 'driver']);
  });

  it('inside service: service keys and the three listener kinds only', () => {
    const labels = labelsAt('service imap {\n  |\n}\n');
    assertHas(labels, [
      'process_limit',
      'process_min_avail',
      'vsz_limit',
      'client_limit',
      'user',
      'unix_listener',
      'fifo_listener',
      'inet_listener',
    ]);
    assertLacks(labels, ['mail_location', 'port', 'mode', 'service', 'local', 'plugin']);
  });

  it('inet_listener: exactly name/address/port/ssl/reuse_port/haproxy', () => {
    assert.deepEqual(nonDirective(labelsAt('service imap-login {\n  inet_listener imaps {\n    |\n  }\n}\n')), [
      'address',
      'haproxy',
      'name',
      'port',
      'reuse_port',
      'ssl',
    ]);
  });

  it('unix_listener and fifo_listener: mode/user/group/path, no port', () => {
    const unix = nonDirective(labelsAt('service aggregator {\n  unix_listener replication-notify {\n    |\n  }\n}\n'));
    assert.deepEqual(unix, ['group', 'mode', 'path', 'user']);
    const fifo = nonDirective(
      labelsAt('service aggregator {\n  fifo_listener replication-notify-fifo {\n    |\n  }\n}\n'),
    );
    assert.deepEqual(fifo, ['group', 'mode', 'path', 'user']);
  });

  it('plugin {}: the known plugin keys, not top-level settings', () => {
    const labels = labelsAt('plugin {\n  |\n}\n');
    assertHas(labels, ['mail_replica', 'sieve', 'replication_sync_timeout']);
    assertLacks(labels, ['mail_location', 'service', 'doveadm_port']);
  });

  it('protocol filter: top-level settings and auth, no service, no nested protocol', () => {
    const labels = labelsAt('protocol imap {\n  |\n}\n');
    assertHas(labels, ['mail_plugins', 'auth_mechanisms', 'passdb', 'plugin', 'namespace']);
    assertLacks(labels, ['service', 'protocol', 'local', 'process_limit']);
  });

  it('local/remote filters: no auth settings, no passdb/userdb, inner filters allowed in order', () => {
    const local = labelsAt('local 10.0.0.0/8 {\n  |\n}\n');
    assertHas(local, ['ssl_cert', 'mail_plugins', 'protocol', 'remote', 'local_name', 'local']);
    assertLacks(local, ['auth_mechanisms', 'auth_username_format', 'passdb', 'userdb', 'service']);
    const remote = labelsAt('remote 192.0.2.1 {\n  |\n}\n');
    assertHas(remote, ['protocol', 'remote']);
    assertLacks(remote, ['local', 'local_name', 'auth_mechanisms']);
  });

  it('namespace, mailbox, passdb and userdb keys', () => {
    const namespace = labelsAt('namespace inbox {\n  |\n}\n');
    assertHas(namespace, ['separator', 'prefix', 'inbox', 'mailbox']);
    assertLacks(namespace, ['mail_plugins', 'driver', 'special_use']);
    const mailbox = labelsAt('namespace inbox {\n  mailbox Trash {\n    |\n  }\n}\n');
    assertHas(mailbox, ['special_use', 'auto']);
    assertLacks(mailbox, ['separator']);
    assertHas(labelsAt('passdb {\n  |\n}\n'), ['driver', 'args']);
    assertHas(labelsAt('userdb {\n  |\n}\n'), ['driver', 'args']);
  });

  it('nothing inside a comment', () => {
    assert.deepEqual(labelsAt('# serv|'), []);
    assert.deepEqual(labelsAt('ssl = yes # |'), []);
  });
});

describe('key completion across includes', () => {
  it('conf.d/10-master.conf included from dovecot.conf completes at top level', () => {
    const c = cursorIn({
      [ROOT]: '!include conf.d/*.conf\n',
      '/etc/dovecot/conf.d/10-master.conf': 'service imap {\n}\n|\n',
    });
    const labels = complete(c).map((item) => item.label);
    assertHas(labels, ['service', 'mail_location']);
    assertLacks(labels, ['process_limit']);
  });

  it('a file included inside service imap {} completes service keys', () => {
    const c = cursorIn({
      [ROOT]: 'service imap {\n  !include conf.d/imap-service.conf\n}\n',
      '/etc/dovecot/conf.d/imap-service.conf': 'vsz_limit = 1G\n|\n',
    });
    const labels = complete(c).map((item) => item.label);
    assertHas(labels, ['process_limit', 'inet_listener']);
    assertLacks(labels, ['mail_location', 'service']);
  });

  it('a file inside service imap {} that closes it with its own } is back at the top level after the }', () => {
    const c = cursorIn({
      [ROOT]: 'service imap {\n  !include conf.d/closer.conf\n',
      '/etc/dovecot/conf.d/closer.conf': 'vsz_limit = 1G\n}\n|\n',
    });
    const labels = complete(c).map((item) => item.label);
    assertHas(labels, ['mail_location', 'service']);
    assertLacks(labels, ['process_limit']);
  });

  it('inside a listener opened in an included file of a service', () => {
    const c = cursorIn({
      [ROOT]: 'service aggregator {\n  !include agg.conf\n}\n',
      '/etc/dovecot/agg.conf': 'fifo_listener replication-notify-fifo {\n  |\n}\n',
    });
    assert.deepEqual(nonDirective(complete(c).map((item) => item.label)), ['group', 'mode', 'path', 'user']);
  });
});

describe('completion items', () => {
  it('detail carries type and default, documentation is markdown', () => {
    const item = itemAt('|', 'mail_debug');
    assert.match(item.detail ?? '', /boolean/);
    assert.match(item.detail ?? '', /default no/);
    const documentation = item.documentation as { kind: string; value: string };
    assert.equal(documentation.kind, 'markdown');
    assert.match(documentation.value, /Valid top level/);
  });

  it('an auth setting says where it is valid without contradicting itself', () => {
    const documentation = (itemAt('|', 'auth_mechanisms').documentation as { value: string }).value;
    assert.match(documentation, /not inside `local`\/`remote` filters/);
    assert.doesNotMatch(documentation, /also inside[^;)]*\blocal\b/, 'the same text cannot allow local filters too');
  });

  it('keys insert `key = ` and re-trigger suggest for bool/enum keys only', () => {
    const ssl = itemAt('|', 'ssl');
    assert.equal(newText(ssl), 'ssl = ');
    assert.equal(ssl.command?.command, 'editor.action.triggerSuggest');
    const location = itemAt('|', 'mail_location');
    assert.equal(newText(location), 'mail_location = ');
    assert.equal(location.command, undefined);
  });

  it('editing the key of an existing assignment replaces only the key word', () => {
    const item = itemAt('mail_loc|ation = maildir:~/Maildir\n', 'mail_location');
    const edit = item.textEdit as TextEdit;
    assert.equal(edit.newText, 'mail_location');
    assert.deepEqual(edit.range, { start: { line: 0, character: 0 }, end: { line: 0, character: 13 } });
  });

  it('settings already set in the same section sort lower', () => {
    const items = complete(cursorInRoot('mail_debug = yes\nservice imap {\n  process_limit = 4\n}\n|\n'));
    const sortOf = (label: string) => items.find((item) => item.label === label)?.sortText ?? '';
    assert.ok(sortOf('mail_debug') > sortOf('mail_location'), 'mail_debug is already set at top level');
    assert.ok(sortOf('mail_debug') > sortOf('mail_gid'));
    const inService = complete(cursorIn({ [ROOT]: 'service imap {\n  process_limit = 4\n  |\n}\n' }));
    const serviceSort = (label: string) => inService.find((item) => item.label === label)?.sortText ?? '';
    assert.ok(serviceSort('process_limit') > serviceSort('process_min_avail'));
  });

  it('a key set in another block of the same merged service sorts lower too', () => {
    const c = cursorIn({
      [ROOT]: 'service imap {\n  process_limit = 4\n}\n!include conf.d/*.conf\n',
      '/etc/dovecot/conf.d/10-master.conf': 'service imap {\n  |\n}\n',
    });
    const items = complete(c);
    const sortOf = (label: string) => items.find((item) => item.label === label)?.sortText ?? '';
    assert.ok(sortOf('process_limit') > sortOf('client_limit'));
  });

  it('keys set before and after a nested section, and in the nested one, each count in their own section', () => {
    const text =
      'service imap {\n  process_limit = 4\n  inet_listener imap {\n    port = 143\n  }\n  vsz_limit = 1G\n  |\n}\n';
    const detailOf = (items: CompletionItem[], label: string) =>
      items.find((item) => item.label === label)?.detail ?? '';
    const inService = complete(cursorInRoot(text));
    assert.match(detailOf(inService, 'process_limit'), /already set here/);
    assert.match(detailOf(inService, 'vsz_limit'), /already set here/);
    assert.doesNotMatch(detailOf(inService, 'client_limit'), /already set here/);
    const inListener = complete(cursorInRoot(text.replace('  |\n', '').replace('port = 143\n', 'port = 143\n    |\n')));
    assert.match(detailOf(inListener, 'port'), /already set here/);
    assert.doesNotMatch(detailOf(inListener, 'address'), /already set here/);
  });

  it('two unnamed blocks of one type are separate: a key of the first is not "already set" in the second', () => {
    const items = complete(cursorInRoot('passdb {\n  driver = pam\n}\npassdb {\n  |\n}\n'));
    const driver = items.find((item) => item.label === 'driver');
    assert.ok(driver, 'driver offered');
    assert.ok(!driver.detail?.includes('already set here'), driver.detail);
    const same = complete(cursorInRoot('passdb {\n  driver = pam\n  |\n}\n')).find((item) => item.label === 'driver');
    assert.ok(same?.detail?.includes('already set here'), same?.detail);
  });

  it('section types insert the block with the cursor inside', () => {
    const service = itemAt('|', 'service');
    assert.equal(service.insertTextFormat, InsertTextFormat.Snippet);
    assert.equal(newText(service), 'service ${1:name} {\n\t$0\n}');
    assert.equal(newText(itemAt('|', 'plugin')), 'plugin {\n\t$0\n}');
    assert.equal(newText(itemAt('service x {\n  |\n}\n', 'inet_listener')), 'inet_listener ${1:name} {\n\t$0\n}');
  });
});

describe('value completion', () => {
  it('booleans and enums', () => {
    assert.deepEqual(labelsAt('mail_debug = |'), ['yes', 'no']);
    assert.deepEqual(labelsAt('ssl = |'), ['yes', 'no', 'required']);
    assert.deepEqual(labelsAt('service imap-login {\n  inet_listener imaps {\n    ssl = |\n  }\n}\n'), ['yes', 'no']);
    assert.deepEqual(labelsAt('mail_location = |'), []);
  });

  it('service names after `service `, inserting the block', () => {
    const items = complete(cursorInRoot('service |'));
    const labels = items.map((item) => item.label);
    assertHas(labels, ['imap', 'lmtp', 'aggregator', 'replicator', 'doveadm']);
    assert.equal(newText(items.find((item) => item.label === 'replicator') as CompletionItem), 'replicator {\n\t$0\n}');
    assert.deepEqual(labelsAt('protocol imap {\n  service |\n}\n'), []);
  });

  it('default listener names of the enclosing service', () => {
    assert.deepEqual(labelsAt('service aggregator {\n  fifo_listener |\n}\n'), ['replication-notify-fifo']);
    assert.deepEqual(labelsAt('service aggregator {\n  unix_listener |\n}\n'), ['replication-notify']);
    assert.deepEqual(labelsAt('service replicator {\n  unix_listener |\n}\n').sort(), [
      'replicator',
      'replicator-doveadm',
    ]);
    assert.deepEqual(labelsAt('service imap-login {\n  inet_listener |\n}\n').sort(), ['imap', 'imaps']);
    assert.deepEqual(labelsAt('service unknown-one {\n  unix_listener |\n}\n'), []);
  });

  it('protocol names after `protocol ` and in `protocols =`', () => {
    const filters = labelsAt('protocol |');
    assertHas(filters, ['imap', 'lmtp', 'doveadm', 'lda', 'sieve']);
    assertLacks(filters, ['none']);
    const list = labelsAt('protocols = imap |');
    assertHas(list, ['lmtp', 'pop3', 'sieve']);
    assertLacks(list, ['imap', 'none', 'doveadm', 'lda']);
    assertHas(labelsAt('protocols = |'), ['none', 'imap']);
  });

  it('mail_plugins: the current word, without plugins already listed', () => {
    const c = cursorInRoot('mail_plugins = notify repl|');
    const items = complete(c);
    const labels = items.map((item) => item.label);
    assertHas(labels, ['replication', 'quota', 'acl']);
    assertLacks(labels, ['notify', '$mail_plugins']);
    const edit = (items.find((item) => item.label === 'replication') as CompletionItem).textEdit as TextEdit;
    assert.deepEqual(edit.range, { start: { line: 0, character: 22 }, end: { line: 0, character: 26 } });
  });

  it('mail_plugins inside protocol X {} offers $mail_plugins first', () => {
    const items = complete(cursorInRoot('protocol lmtp {\n  mail_plugins = |\n}\n'));
    const sorted = [...items].sort((a, b) => (a.sortText ?? a.label).localeCompare(b.sortText ?? b.label));
    assert.equal(sorted[0].label, '$mail_plugins');
    assert.equal(sorted[0].preselect, true);
    assertLacks(labelsAt('protocol lmtp {\n  mail_plugins = $mail_plugins |\n}\n'), ['$mail_plugins']);
  });

  it('mail_replica shapes as snippets, port from doveadm_port', () => {
    const items = complete(cursorInRoot('doveadm_port = 4711\nplugin {\n  mail_replica = |\n}\n'));
    assert.deepEqual(
      items.map((item) => item.label),
      ['tcp:', 'tcps:', 'remote:'],
    );
    assert.equal(newText(items[0]), 'tcp:${1:host}:${2:4711}');
    assert.equal(items[0].insertTextFormat, InsertTextFormat.Snippet);
    assert.equal(newText(items[2]), 'remote:${1:host}');
  });

  it('octal modes for listener mode, the mail user first for listener user', () => {
    assert.deepEqual(
      labelsAt('service aggregator {\n  fifo_listener replication-notify-fifo {\n    mode = |\n  }\n}\n'),
      ['0600', '0660', '0666'],
    );
    const c = cursorIn({
      [ROOT]:
        '!include conf.d/*.conf\nservice aggregator {\n  unix_listener replication-notify {\n    user = |\n  }\n}\n',
      '/etc/dovecot/conf.d/10-mail.conf': 'mail_uid = mailer\n',
    });
    assert.deepEqual(
      complete(c).map((item) => item.label),
      ['mailer', 'vmail', 'dovecot'],
    );
    assert.deepEqual(labelsAt('service aggregator {\n  unix_listener replication-notify {\n    user = |\n  }\n}\n'), [
      'vmail',
      'dovecot',
    ]);
  });
});

describe('snippets', () => {
  it('replication snippets at top level by default, not with { snippets: false }, never inside sections', () => {
    const withSnippets = complete(cursorInRoot('|'));
    assert.ok(
      withSnippets.some((item) => item.kind === CompletionItemKind.Snippet),
      'snippets offered at top level',
    );
    assert.ok(
      !complete(cursorInRoot('|'), { snippets: false }).some((item) => item.kind === CompletionItemKind.Snippet),
    );
    assert.ok(
      !complete(cursorInRoot('service imap {\n  |\n}\n')).some((item) => item.kind === CompletionItemKind.Snippet),
    );
    assert.ok(
      !complete(cursorInRoot('protocol imap {\n  |\n}\n')).some((item) => item.kind === CompletionItemKind.Snippet),
    );
  });
});

const BIG_SAMPLE = `protocols = imap lmtp sieve
mail_plugins = $mail_plugins notify replication
!include_try conf.d/*.conf
service imap-login {
  inet_listener imap {
    port = 143
  }
  inet_listener imaps {
    port = 993
    ssl = yes
  }
}
service aggregator {
  fifo_listener replication-notify-fifo {
    user = vmail
    mode = 0600
  }
  unix_listener replication-notify {
    user = vmail
  }
}
local 10.0.0.0/8 {
  remote 10.1.0.0/16 {
    protocol imap {
      ssl_cert = </etc/ssl/x.pem
    }
  }
}
protocol !imap {
  mail_plugins = $mail_plugins "quoted # not comment" x$y
}
plugin {
  mail_replica = tcps:peer.example.com:12345 # trailing
  sieve = file:~/sieve;active=~/.dovecot.sieve
}
namespace inbox {
  mailbox "Sent Messages" {
    special_use = \\Sent
  }
}
service broken {
  unclosed {
mail_location maildir:~/x
= value
} }
key = "unterminated
long = value \\
  continued
`;

function everyPosition(
  c: { analysis: CursorCase['analysis']; file: string },
  text: string,
  check: (line: number, character: number) => void,
): number {
  let count = 0;
  const lines = text.split('\n');
  for (let line = 0; line <= lines.length; line++) {
    const length = lines[line]?.length ?? 0;
    for (let character = 0; character <= length + 1; character++) {
      check(line, character);
      count++;
    }
  }
  return count;
}

describe('never crashes', () => {
  it('every cursor position of an odd inline sample', () => {
    const c = cursorIn({ [ROOT]: `${BIG_SAMPLE}|`, '/etc/dovecot/conf.d/10-a.conf': 'service imap {\n' });
    const count = everyPosition(c, BIG_SAMPLE, (line, character) => {
      assert.ok(
        Array.isArray(c.service.doComplete(c.analysis, c.file, { line, character })),
        `line ${line} char ${character}`,
      );
    });
    assert.ok(count > BIG_SAMPLE.length);
  });

  it('every cursor position of the Debian stock tree (test/fixtures/debian-stock)', () => {
    assert.ok(existsSync(STOCK_ROOT), `missing fixture ${STOCK_ROOT}`);
    const host = new DiskHost();
    const service = getLanguageService(host);
    const analysis = service.analyze(STOCK_ROOT);
    assert.ok(analysis.files.length > 5, 'stock tree includes conf.d files');
    let count = 0;
    for (const file of analysis.files) {
      const text = host.readFile(file) ?? '';
      count += everyPosition({ analysis, file }, text, (line, character) => {
        service.doComplete(analysis, file, { line, character });
      });
    }
    assert.ok(count > 10000);
  });

  it('a file not in the tree and positions far outside any file', () => {
    const service = getLanguageService(new MemoryHost({ [ROOT]: 'ssl = yes\n' }));
    const analysis = service.analyze(ROOT);
    assert.deepEqual(
      service
        .doComplete(analysis, '/nowhere.conf', { line: 5, character: 3 })
        .filter((i) => i.label === 'process_limit'),
      [],
    );
    assert.ok(Array.isArray(service.doComplete(analysis, ROOT, { line: 1000, character: 1000 })));
  });
});

function completeWithHost(c: CursorCase): CompletionItem[] {
  return c.service.doComplete(c.analysis, c.file, c.position, { host: c.host });
}

function editOf(items: CompletionItem[], label: string): TextEdit {
  const item = items.find((candidate) => candidate.label === label);
  assert.ok(item, `no completion item ${label}`);
  return item.textEdit as TextEdit;
}

function bySortText(items: CompletionItem[]): string[] {
  return [...items]
    .sort((a, b) => (a.sortText ?? a.label).localeCompare(b.sortText ?? b.label))
    .map((item) => item.label);
}

const SSL_FILES: Record<string, string> = {
  '/etc/ssl/certs/ca.pem': 'x',
  '/etc/ssl/private/server.key': 'x',
  '/etc/ssl/server.pem': 'x',
  '/etc/ssl/.hidden.pem': 'x',
};

describe('path completion', () => {
  it('`key = <` lists the directory of an absolute path: folders end with /, no hidden files, no host no items', () => {
    const c = cursorIn({ ...SSL_FILES, [ROOT]: 'ssl_cert = </etc/ssl/|\n' });
    const items = completeWithHost(c);
    assert.deepEqual(items.map((item) => item.label).sort(), ['certs/', 'private/', 'server.pem']);
    const certs = items.find((item) => item.label === 'certs/') as CompletionItem;
    assert.equal(certs.kind, CompletionItemKind.Folder);
    assert.equal(newText(certs), 'certs/');
    assert.equal(certs.command?.command, 'editor.action.triggerSuggest');
    assert.equal((items.find((item) => item.label === 'server.pem') as CompletionItem).kind, CompletionItemKind.File);
    assert.deepEqual(editOf(items, 'server.pem').range, {
      start: { line: 0, character: 21 },
      end: { line: 0, character: 21 },
    });
    assert.deepEqual(complete(c, { host: undefined }), [], 'without a FileHost no paths are offered');
  });

  it('hidden entries only when the component starts with a dot', () => {
    const hidden = completeWithHost(cursorIn({ ...SSL_FILES, [ROOT]: 'ssl_key = </etc/ssl/.|\n' })).map(
      (item) => item.label,
    );
    assertHas(hidden, ['.hidden.pem']);
    const plain = completeWithHost(cursorIn({ ...SSL_FILES, [ROOT]: 'ssl_key = </etc/ssl/s|\n' })).map(
      (item) => item.label,
    );
    assertLacks(plain, ['.hidden.pem']);
  });

  it('replaces only the last component, including what follows the cursor', () => {
    const c = cursorIn({ ...SSL_FILES, [ROOT]: 'ssl_cert = < /etc/ssl/ser|ver.p\n' });
    const edit = editOf(completeWithHost(c), 'server.pem');
    assert.equal(edit.newText, 'server.pem');
    assert.deepEqual(edit.range, { start: { line: 0, character: 22 }, end: { line: 0, character: 30 } });
    const before = cursorIn({ ...SSL_FILES, [ROOT]: 'ssl_cert = </etc/ssl/ce|rts/ca.pem\n' });
    const folder = editOf(completeWithHost(before), 'certs/');
    assert.equal(folder.newText, 'certs', 'no second / when one follows');
    assert.deepEqual(folder.range, { start: { line: 0, character: 21 }, end: { line: 0, character: 26 } });
  });

  it('a relative `<file` is relative to the directory of the file being edited', () => {
    const c = cursorIn({
      [ROOT]: '!include conf.d/*.conf\n',
      '/etc/dovecot/conf.d/10-auth.conf': 'doveadm_password = <|\n',
      '/etc/dovecot/conf.d/secret.txt': 'pw\n',
      '/etc/dovecot/top-secret.txt': 'pw\n',
    });
    const labels = completeWithHost(c).map((item) => item.label);
    assertHas(labels, ['10-auth.conf', 'secret.txt']);
    assertLacks(labels, ['top-secret.txt', 'conf.d/']);
    const up = cursorIn({
      [ROOT]: '!include conf.d/*.conf\n',
      '/etc/dovecot/conf.d/10-auth.conf': 'doveadm_password = <../|\n',
      '/etc/dovecot/top-secret.txt': 'pw\n',
    });
    assertHas(
      completeWithHost(up).map((item) => item.label),
      ['top-secret.txt', 'conf.d/', 'dovecot.conf'],
    );
  });

  it('path settings complete plain absolute paths; other settings and relative values do not', () => {
    const files = { ...SSL_FILES, '/var/lib/dovecot/instances': 'x' };
    assertHas(
      completeWithHost(cursorIn({ ...files, [ROOT]: 'ssl_client_ca_dir = /etc/ssl/|\n' })).map((item) => item.label),
      ['certs/'],
    );
    assertHas(
      completeWithHost(cursorIn({ ...files, [ROOT]: 'ssl_client_ca_file = /etc/ssl/certs/|\n' })).map(
        (item) => item.label,
      ),
      ['ca.pem'],
    );
    assertHas(
      completeWithHost(cursorIn({ ...files, [ROOT]: 'state_dir = /var/lib/|\n' })).map((item) => item.label),
      ['dovecot/'],
    );
    assertHas(
      completeWithHost(cursorIn({ ...files, [ROOT]: 'base_dir = /|\n' })).map((item) => item.label),
      ['etc/', 'var/'],
    );
    assertHas(
      completeWithHost(
        cursorIn({ ...files, [ROOT]: 'service aggregator {\n  unix_listener x {\n    path = /var/|\n  }\n}\n' }),
      ).map((item) => item.label),
      ['lib/'],
    );
    assert.deepEqual(completeWithHost(cursorIn({ ...files, [ROOT]: 'mail_location = /etc/|\n' })), []);
    assert.deepEqual(completeWithHost(cursorIn({ ...files, [ROOT]: 'ssl_client_ca_dir = etc/|\n' })), []);
    assert.deepEqual(
      completeWithHost(cursorIn({ ...files, [ROOT]: 'ssl_cert = /etc/|\n' })),
      [],
      'ssl_cert takes <file contents, not a path',
    );
    assert.deepEqual(completeWithHost(cursorIn({ ...files, [ROOT]: 'ssl_client_ca_dir = "/etc/|\n' })), []);
  });

  it('!include and !include_try: relative to the including file, *.conf offered for a folder of .conf files', () => {
    const tree = {
      '/etc/dovecot/conf.d/10-mail.conf': 'x',
      '/etc/dovecot/conf.d/20-imap.conf': 'x',
      '/etc/dovecot/conf.d/sub/x.conf': 'x',
      '/etc/dovecot/conf.d/.swap.conf': 'x',
      '/etc/dovecot/local.conf': 'x',
    };
    const items = completeWithHost(cursorIn({ ...tree, [ROOT]: '!include conf.d/|\n' }));
    assert.deepEqual(bySortText(items), ['*.conf', 'sub/', '10-mail.conf', '20-imap.conf']);
    assert.deepEqual(editOf(items, '10-mail.conf').range, {
      start: { line: 0, character: 16 },
      end: { line: 0, character: 16 },
    });
    assertHas(
      completeWithHost(cursorIn({ ...tree, [ROOT]: '!include_try |\n' })).map((item) => item.label),
      ['conf.d/', 'local.conf'],
    );
    const nested = cursorIn({
      ...tree,
      [ROOT]: '!include conf.d/*.conf\n',
      '/etc/dovecot/conf.d/20-imap.conf': '!include_try s|\n',
    });
    assert.deepEqual(
      completeWithHost(nested)
        .map((item) => item.label)
        .sort(),
      ['*.conf', '10-mail.conf', '20-imap.conf', 'sub/'],
    );
    assertHas(
      completeWithHost(cursorIn({ ...tree, [ROOT]: '!include /etc/dovecot/conf.d/|\n' })).map((item) => item.label),
      ['10-mail.conf'],
    );
    assert.deepEqual(
      completeWithHost(cursorIn({ ...tree, [ROOT]: '!include conf.*/|\n' })),
      [],
      'no listing below a glob',
    );
    assert.deepEqual(completeWithHost(cursorIn({ ...tree, [ROOT]: '!include missing/|\n' })), []);
    assert.deepEqual(completeWithHost(cursorIn({ ...tree, [ROOT]: '# !include conf.d/|\n' })), []);
  });

  it('CRLF lines: the edit ends before the line end', () => {
    const c = cursorIn({
      ...SSL_FILES,
      [ROOT]: 'ssl = yes\r\nssl_cert = </etc/ssl/serv|\r\nssl_key = </etc/ssl/private/server.key\r\n',
    });
    const edit = editOf(completeWithHost(c), 'server.pem');
    assert.deepEqual(edit.range, { start: { line: 1, character: 21 }, end: { line: 1, character: 25 } });
    const include = cursorIn({ '/etc/dovecot/conf.d/10-mail.conf': 'x', [ROOT]: '!include conf.d/|\r\nssl = yes\r\n' });
    assert.deepEqual(
      completeWithHost(include)
        .map((item) => item.label)
        .sort(),
      ['*.conf', '10-mail.conf'],
    );
  });
});

describe('protocol filter names with !', () => {
  it('after `protocol `: the names, then the negated names', () => {
    const items = complete(cursorInRoot('protocol |'));
    const sorted = bySortText(items);
    assertHas(sorted, ['imap', '!imap', 'lmtp', '!lmtp']);
    assertLacks(sorted, ['!none']);
    const lastPlain = Math.max(
      ...sorted.filter((label) => !label.startsWith('!')).map((label) => sorted.indexOf(label)),
    );
    const firstNegated = sorted.findIndex((label) => label.startsWith('!'));
    assert.ok(lastPlain < firstNegated, 'negated names sort after every plain name');
  });

  it('after `protocol !`: only negated names, replacing the ! too', () => {
    const items = complete(cursorInRoot('protocol !|'));
    const labels = items.map((item) => item.label);
    assertHas(labels, ['!imap', '!lmtp', '!pop3']);
    assert.ok(labels.every((label) => label.startsWith('!')));
    const imap = items.find((item) => item.label === '!imap') as CompletionItem;
    assert.equal(newText(imap), '!imap {\n\t$0\n}');
    assert.deepEqual((imap.textEdit as TextEdit).range, {
      start: { line: 0, character: 9 },
      end: { line: 0, character: 10 },
    });
    assert.equal(newText(itemAt('protocol !im|ap {\n}\n', '!imap')), '!imap');
    const crlf = complete(cursorInRoot('ssl = yes\r\nprotocol !|\r\n'));
    assert.equal(newText(crlf.find((item) => item.label === '!lda') as CompletionItem), '!lda {\n\t$0\n}');
  });

  it('not where no protocol filter may go', () => {
    assert.deepEqual(labelsAt('protocol imap {\n  protocol !|\n}\n'), []);
    assert.deepEqual(labelsAt('service imap {\n  protocol |\n}\n'), []);
  });
});

describe('namespace and mailbox names', () => {
  it('after `namespace `: inbox first, then namespaces already in the tree', () => {
    const items = complete(cursorInRoot('namespace shared {\n  type = shared\n}\nnamespace |\n'));
    assert.deepEqual(bySortText(items), ['inbox', 'shared']);
    assert.equal(newText(items[0]), 'inbox {\n\t$0\n}');
    assert.deepEqual(labelsAt('namespace |'), ['inbox']);
    assert.deepEqual(labelsAt('service imap {\n  namespace |\n}\n'), []);
    assert.deepEqual(labelsAt('plugin {\n  namespace |\n}\n'), []);
  });

  it('after `mailbox ` in a namespace: the special-use mailboxes, block with special_use and auto', () => {
    const items = complete(cursorInRoot('namespace inbox {\n  mailbox |\n}\n'));
    assert.deepEqual(bySortText(items), ['Drafts', 'Junk', 'Trash', 'Sent', '"Sent Messages"', 'Archive']);
    assert.equal(newText(items[0]), 'Drafts {\n\tspecial_use = \\\\Drafts\n\tauto = subscribe\n\t$0\n}');
    assert.equal(items[0].insertTextFormat, InsertTextFormat.Snippet);
    const sentMessages = items.find((item) => item.label === '"Sent Messages"') as CompletionItem;
    assert.equal(newText(sentMessages), '"Sent Messages" {\n\tspecial_use = \\\\Sent\n\tauto = subscribe\n\t$0\n}');
    assert.equal(
      newText(itemAt('namespace inbox {\n  mailbox Tr|ash {\n  }\n}\n', 'Trash')),
      'Trash',
      'mid-line: the name only',
    );
    const crlf = complete(cursorInRoot('namespace inbox {\r\n  mailbox |\r\n}\r\n'));
    assert.equal(
      newText(crlf.find((item) => item.label === 'Junk') as CompletionItem),
      'Junk {\n\tspecial_use = \\\\Junk\n\tauto = subscribe\n\t$0\n}',
    );
  });

  it('no mailbox names outside a namespace', () => {
    assert.deepEqual(labelsAt('mailbox |'), []);
    assert.deepEqual(labelsAt('plugin {\n  mailbox |\n}\n'), []);
    assert.deepEqual(labelsAt('namespace inbox {\n  mailbox Trash {\n    mailbox |\n  }\n}\n'), []);
  });

  it('special_use flags, the one matching the mailbox first, listed flags left out', () => {
    const items = complete(cursorInRoot('namespace inbox {\n  mailbox Junk {\n    special_use = |\n  }\n}\n'));
    assert.deepEqual(
      items.map((item) => item.label),
      ['\\All', '\\Archive', '\\Drafts', '\\Flagged', '\\Junk', '\\Sent', '\\Trash'],
    );
    assert.equal(bySortText(items)[0], '\\Junk');
    assert.equal((items.find((item) => item.label === '\\Junk') as CompletionItem).preselect, true);
    const sent = complete(
      cursorInRoot('namespace inbox {\r\n  mailbox "Sent Messages" {\r\n    special_use = |\r\n  }\r\n}\r\n'),
    );
    assert.equal(bySortText(sent)[0], '\\Sent');
    const more = labelsAt('namespace inbox {\n  mailbox All {\n    special_use = \\All \\Fl|\n  }\n}\n');
    assertHas(more, ['\\Flagged', '\\Archive']);
    assertLacks(more, ['\\All']);
    assert.deepEqual(labelsAt('special_use = |'), []);
    assert.equal(
      itemAt('namespace inbox {\n  mailbox Junk {\n    |\n  }\n}\n', 'special_use').command?.command,
      'editor.action.triggerSuggest',
    );
    assert.equal(itemAt('namespace inbox {\n  mailbox Junk {\n    |\n  }\n}\n', 'comment').command, undefined);
    assert.deepEqual(labelsAt('namespace inbox {\n  special_use = |\n}\n'), []);
  });

  it('auto = no/create/subscribe inside a mailbox only', () => {
    assert.deepEqual(labelsAt('namespace inbox {\n  mailbox Trash {\n    auto = |\n  }\n}\n'), [
      'no',
      'create',
      'subscribe',
    ]);
    assert.deepEqual(labelsAt('namespace inbox {\n  auto = |\n}\n'), []);
  });
});

describe('path completion never crashes', () => {
  it('every cursor position of the Debian stock tree with the disk as FileHost', () => {
    const host = new DiskHost();
    const service = getLanguageService(host);
    const analysis = service.analyze(STOCK_ROOT);
    const file = path.join(path.dirname(STOCK_ROOT), 'dovecot.conf');
    const text = host.readFile(file) ?? '';
    let pathItems = 0;
    everyPosition({ analysis, file }, text, (line, character) => {
      const items = service.doComplete(analysis, file, { line, character }, { host });
      pathItems += items.filter(
        (item) => item.kind === CompletionItemKind.File || item.kind === CompletionItemKind.Folder,
      ).length;
    });
    assert.ok(pathItems > 0, 'the !include lines of the stock dovecot.conf complete file names');
  });

  it('a FileHost that throws gives no items, not an exception', () => {
    const c = cursorIn({ [ROOT]: '!include conf.d/|\nssl_cert = </etc/\n' });
    const throwing = {
      readFile: () => {
        throw new Error('boom');
      },
      listDirectory: () => {
        throw new Error('boom');
      },
      isFile: () => {
        throw new Error('boom');
      },
    };
    assert.deepEqual(c.service.doComplete(c.analysis, c.file, c.position, { host: throwing }), []);
    assert.deepEqual(c.service.doComplete(c.analysis, c.file, { line: 1, character: 17 }, { host: throwing }), []);
  });
});

describe('completion order and the known peer', () => {
  const sorted = (items: CompletionItem[]): string[] =>
    [...items].sort((a, b) => (a.sortText ?? a.label).localeCompare(b.sortText ?? b.label)).map((item) => item.label);

  it('in plugin {}, settings of loaded plugins come first and those of plugins nothing loads last', () => {
    const items = complete(
      cursorInRoot(
        'mail_plugins = $mail_plugins notify replication\nprotocol lda {\n  mail_plugins = $mail_plugins sieve\n}\nplugin {\n  |\n}\n',
      ),
    );
    const order = sorted(items);
    const index = (label: string): number => order.indexOf(label);
    assert.ok(index('mail_replica') < index('acl'), 'replication is loaded, acl is not');
    assert.ok(index('sieve_before') < index('acl'), 'sieve is loaded by a protocol block');
    assert.ok(index('replication_sync_timeout') < index('fts'), order.slice(0, 10).join(', '));
    assert.match(items.find((item) => item.label === 'acl')?.detail ?? '', /plugin acl is not loaded/);
    assert.doesNotMatch(items.find((item) => item.label === 'mail_replica')?.detail ?? '', /not loaded/);
  });

  it("mail_replica = offers the peer's doveadm listener (transport from its ssl, address and port) first", () => {
    const host = new MemoryHost({
      '/etc/a/dovecot.conf': 'mail_plugins = $mail_plugins notify replication\nplugin {\n  mail_replica = \n}\n',
      '/etc/b/dovecot.conf':
        'listen = 192.0.2.11\nservice doveadm {\n  inet_listener {\n    port = 4711\n    ssl = yes\n  }\n}\n',
    });
    const service = getLanguageService(host);
    const analysis = service.analyze('/etc/a/dovecot.conf', {
      peerRoot: '/etc/b/dovecot.conf',
    });
    const items = service.doComplete(analysis, '/etc/a/dovecot.conf', { line: 2, character: 17 }, { host });
    assert.equal(sorted(items)[0], 'tcps:192.0.2.11:4711');
    const peer = items.find((item) => item.label === 'tcps:192.0.2.11:4711');
    assert.equal(peer?.preselect, true);
    assert.match(peer?.detail ?? '', /peer's doveadm listener \(b\/dovecot\.conf\)/);
    assert.ok(
      items.some((item) => item.label === 'tcp:'),
      'the shapes stay offered',
    );
  });

  it('mail_replica = without a known peer offers only the shapes', () => {
    const labels = labelsAt('plugin {\n  mail_replica = |\n}\n');
    assert.deepEqual(labels, ['tcp:', 'tcps:', 'remote:']);
  });
});

describe('snippets follow the indentation of the tree', () => {
  const snippet = (files: Record<string, string>, label: string): string => {
    const item = complete(cursorIn(files)).find((candidate) => candidate.label === label);
    assert.ok(item, `no snippet ${label}`);
    return newText(item);
  };

  it('four spaces in a tree indented with four spaces, two spaces where nothing is indented yet', () => {
    const fourSpaces = snippet({ [ROOT]: 'service imap {\n    process_limit = 5\n}\n|\n' }, 'service replicator');
    assert.match(
      fourSpaces,
      /^service replicator \{\n {4}process_min_avail = 1\n {4}unix_listener replicator-doveadm \{\n {8}mode = 0600/,
    );
    const fresh = snippet({ [ROOT]: 'protocols = imap\n|\n' }, 'service replicator');
    assert.match(
      fresh,
      /^service replicator \{\n {2}process_min_avail = 1\n {2}unix_listener replicator-doveadm \{\n {4}mode = 0600/,
    );
  });
});

describe('key lists kept per analysed tree', () => {
  const TREE = [
    'protocols = imap lmtp',
    'mail_plugins = quota',
    'service imap {',
    '  process_limit = 5',
    '  ',
    '}',
    'service imap {',
    '  ',
    '}',
    'passdb {',
    '  driver = pam',
    '  ',
    '}',
    'passdb {',
    '  ',
    '}',
    'protocol imap {',
    '  local 10.0.0.1 {',
    '    ',
    '  }',
    '  mail_max_userip_connections = 5',
    '  ',
    '}',
    'plugin {',
    '  quota = maildir',
    '  ',
    '}',
    'mail',
    '',
  ].join('\n');

  /** Every place where key lists are asked: each line's start and end, and every indented blank. */
  function keyPlaces(text: string): { line: number; character: number }[] {
    return text.split('\n').flatMap((line, index) => [
      { line: index, character: 0 },
      { line: index, character: line.length },
    ]);
  }

  it('a list asked again at the same place is the list kept, equal to one made for a fresh analysis', () => {
    const service = getLanguageService(new MemoryHost({ [ROOT]: TREE }));
    const analysis = service.analyze(ROOT);
    const first = service.doComplete(analysis, ROOT, { line: 4, character: 2 });
    assert.equal(service.doComplete(analysis, ROOT, { line: 4, character: 2 }), first);
    assert.ok(Object.isFrozen(first), 'a kept list cannot be changed by a caller');
    const fresh = service.doComplete(service.analyze(ROOT), ROOT, { line: 4, character: 2 });
    assert.notEqual(fresh, first, 'a new analysis makes its own lists');
    assert.deepEqual(fresh, first);
  });

  it('at every place of a tree, under every edit of one line, the list answered is the list made afresh', () => {
    for (const dialect of ['', 'dovecot_config_version = 2.4.0\ndovecot_storage_version = 2.4.0\n']) {
      const text = dialect + TREE;
      const service = getLanguageService(new MemoryHost({ [ROOT]: text }));
      const shared = service.analyze(ROOT);
      const lines = text.split('\n');
      // Each setting line set to another key (the line is read again alone), and a line added (the file is).
      const edits = [
        text,
        ...lines.flatMap((line, index) =>
          /^\s*\w+ = /.test(line)
            ? [lines.map((other, at) => (at === index ? other.replace(/\w+ =/, 'mail_debug =') : other)).join('\n')]
            : [],
        ),
        text.replace('passdb {\n', 'passdb {\n  args = x\n'),
      ];
      // Edits inside, so that each place's kept list is asked for under every edit.
      for (const position of keyPlaces(text)) {
        for (const edited of edits) {
          const answered = service.doComplete(service.withEditedFile(shared, ROOT, edited)!, ROOT, position);
          const fresh = service.analyze(ROOT);
          const afresh = service.doComplete(service.withEditedFile(fresh, ROOT, edited)!, ROOT, position);
          assert.deepEqual(answered, afresh, `${dialect ? '2.4' : '2.3'} at ${JSON.stringify(position)}`);
        }
      }
    }
  });

  it('after an edit, a key set on the edited line is already set: the list of before the edit is not reused', () => {
    const text = 'service imap {\n  vsz_limit = 1G\n  \n}\n';
    const service = getLanguageService(new MemoryHost({ [ROOT]: text }));
    const analysis = service.analyze(ROOT);
    const detailOf = (tree: TreeAnalysis, label: string): string | undefined =>
      service.doComplete(tree, ROOT, { line: 2, character: 2 }).find((item) => item.label === label)?.detail;
    assert.doesNotMatch(detailOf(analysis, 'process_limit') ?? '', /already set here/);
    assert.match(detailOf(analysis, 'vsz_limit') ?? '', /already set here/);
    const edited = service.withEditedFile(analysis, ROOT, text.replace('vsz_limit = 1G', 'process_limit = 1'));
    assert.ok(edited);
    assert.match(detailOf(edited, 'process_limit') ?? '', /already set here/);
    assert.doesNotMatch(detailOf(edited, 'vsz_limit') ?? '', /already set here/);
    assert.doesNotMatch(
      detailOf(analysis, 'process_limit') ?? '',
      /already set here/,
      'the analysis itself is as it was',
    );
  });
});
