import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { CompletionItem, MarkupContent, TextEdit } from 'vscode-languageserver-types';
import { cursorInRoot } from './helpers/cursor';

const V24 = 'dovecot_config_version = 2.4.0\ndovecot_storage_version = 2.4.0\n';

function itemsAt(marked: string): CompletionItem[] {
  const c = cursorInRoot(marked);
  assert.equal(c.analysis.dialect, '2.4', 'the test tree must be detected as 2.4');
  return c.service.doComplete(c.analysis, c.file, c.position);
}

function labelsAt(marked: string): string[] {
  return itemsAt(marked).map((item) => item.label);
}

function itemAt(marked: string, label: string): CompletionItem {
  const item = itemsAt(marked).find((candidate) => candidate.label === label);
  assert.ok(item, `no completion item ${label}`);
  return item;
}

function newText(item: CompletionItem): string {
  return (item.textEdit as TextEdit | undefined)?.newText ?? item.label;
}

const REMOVED_23 = [
  'plugin',
  'mail_replica',
  'mail_location',
  'replication_full_sync_interval',
  'replicator_host',
  'ssl_cert',
  'disable_plaintext_auth',
];

describe('2.4 completion: keys', () => {
  it('top level offers 2.4 names and filters, never 2.3-only constructs', () => {
    const labels = labelsAt(`${V24}|`);
    for (const label of [
      'mail_driver',
      'mail_path',
      'ssl_server_cert_file',
      'doveadm_port',
      'dsync_remote_cmd',
      'mail_plugins',
      'service',
      'namespace',
      'protocol',
      'local',
      'remote',
      '!include',
    ]) {
      assert.ok(labels.includes(label), label);
    }
    for (const label of REMOVED_23) assert.ok(!labels.includes(label), label);
    // Dovecot 2.4 aborts on the alias: only the name it stands for (doveadm_port, above) is offered.
    assert.ok(!labels.includes('doveadm_proxy_port'));
    // Any setting anywhere: the prefixed names are top-level names too.
    assert.ok(labels.includes('service_process_min_avail'));
    assert.ok(labels.length > 700);
  });

  it('top-level snippets exclude the 2.3 replication snippets', () => {
    const snippets = itemsAt(`${V24}|`).filter((item) => item.kind === 15);
    assert.ok(snippets.some((item) => item.detail === 'doveadm port and password'));
    assert.ok(!snippets.some((item) => /replicator|aggregator|mail_replica|replication setup/.test(item.detail ?? '')));
  });

  it('inside service X {} the service_* names come first, unprefixed, with the global name in the detail', () => {
    const items = itemsAt(`${V24}service imap {\n  |\n}\n`);
    const processMinAvail = items.find((item) => item.label === 'process_min_avail');
    assert.ok(processMinAvail);
    assert.equal(processMinAvail.sortText?.[0], '0');
    assert.match(processMinAvail.detail ?? '', /^service_process_min_avail · number/);
    assert.match((processMinAvail.documentation as MarkupContent).value, /global setting `service_process_min_avail`/);
    const labels = items.map((item) => item.label);
    assert.ok(
      labels.includes('restart_request_count') && labels.includes('inet_listener') && labels.includes('unix_listener'),
    );
    // Other settings are still offered under their full names, after the preferred ones.
    const mailPlugins = items.find((item) => item.label === 'mail_plugins');
    assert.equal(mailPlugins?.sortText?.[0], '1');
    for (const label of REMOVED_23) assert.ok(!labels.includes(label), label);
  });

  it('inside an inet_listener, `ssl` is the listener boolean (the prefixed name shadows the global enum)', () => {
    const items = itemsAt(`${V24}service imap-login {\n  inet_listener imaps {\n    |\n  }\n}\n`);
    const ssl = items.filter((item) => item.label === 'ssl');
    assert.equal(ssl.length, 1);
    assert.match(ssl[0].detail ?? '', /^inet_listener_ssl · boolean/);
    assert.ok(items.some((item) => item.label === 'port'));
  });

  it('named list filter `passdb static {}` prefers passdb_static_* then passdb_*', () => {
    const items = itemsAt(`${V24}passdb static {\n  |\n}\n`);
    const password = items.find((item) => item.label === 'password');
    assert.match(password?.detail ?? '', /^passdb_static_password/);
    assert.ok(items.some((item) => item.label === 'driver' && /^passdb_driver/.test(item.detail ?? '')));
  });

  it('at line end a setting inserts `name = `; a named list filter inserts a block', () => {
    assert.equal(
      newText(itemAt(`${V24}service imap {\n  process_m|\n}\n`, 'process_min_avail')),
      'process_min_avail = ',
    );
    assert.equal(newText(itemAt(`${V24}|`, 'service')), 'service ${1:name} {\n\t$0\n}');
    assert.equal(newText(itemAt(`${V24}|`, 'ssl_client')), 'ssl_client {\n\t$0\n}');
  });

  it('inside a mail_plugins {} boolean list: plugin names with `= yes`, no replication', () => {
    const items = itemsAt(`${V24}mail_plugins {\n  |\n}\n`);
    const labels = items.map((item) => item.label);
    assert.ok(labels.includes('notify'));
    assert.ok(!labels.includes('replication'));
    assert.ok(!labels.includes('mail_driver'));
    assert.equal(newText(items.find((item) => item.label === 'notify')!), 'notify = yes');
  });
});

describe('2.4 completion: values and section names', () => {
  it('booleans and enums resolve through the filter prefix', () => {
    assert.deepEqual(labelsAt(`${V24}service imap-login {\n  inet_listener imaps {\n    ssl = |\n  }\n}\n`), [
      'yes',
      'no',
    ]);
    assert.deepEqual(labelsAt(`${V24}ssl = |`), ['yes', 'no', 'required']);
    assert.deepEqual(labelsAt(`${V24}doveadm_ssl = |`), ['no', 'ssl', 'starttls']);
    assert.equal(itemAt(`${V24}doveadm_ssl = |`, 'no').detail, 'default');
  });

  it('mail_plugins values are 2.4 plugins: notify yes, replication and $mail_plugins no', () => {
    const labels = labelsAt(`${V24}protocol imap {\n  mail_plugins = notify |\n}\n`);
    assert.ok(labels.includes('mail_log'));
    assert.ok(!labels.includes('notify'), 'already listed');
    assert.ok(!labels.includes('replication'));
    assert.ok(!labels.includes('$mail_plugins'));
    assert.deepEqual(labelsAt(`${V24}mail_plugins {\n  notify = |\n}\n`), ['yes', 'no']);
  });

  it('service names exclude the services 2.4 removed', () => {
    const labels = labelsAt(`${V24}service |`);
    assert.ok(labels.includes('imap') && labels.includes('doveadm'));
    for (const gone of ['replicator', 'aggregator', 'director']) assert.ok(!labels.includes(gone), gone);
  });

  it('after a key written in double quotes: the values of the key unquoted; a quoted "@label" gets no group names', () => {
    assert.deepEqual(labelsAt(`${V24}"doveadm_ssl" = |`), ['no', 'ssl', 'starttls']);
    assert.deepEqual(labelsAt(`${V24}"doveadm_\\"ssl"=|`), []);
    assert.deepEqual(labelsAt(`${V24}group @mailboxes german {\n}\n"@mailboxes" = |`), []);
    assert.ok(labelsAt(`${V24}group @mailboxes german {\n}\n@mailboxes = |`).includes('german'));
    assert.deepEqual(labelsAt(`${V24}"a b" = |`), []);
    // Typing a quoted key: nothing breaks, the key list is offered as for any word.
    assert.ok(labelsAt(`${V24}"mail_d|`).includes('mail_debug'));
  });

  it('a string setting without known values offers nothing (no guessing)', () => {
    assert.deepEqual(labelsAt(`${V24}dsync_remote_cmd = |`), []);
    assert.deepEqual(labelsAt(`${V24}no_such_setting = |`), []);
  });

  it('comments complete nothing; a 2.3 tree still gets the 2.3 schema', () => {
    assert.deepEqual(labelsAt(`${V24}# |`), []);
    const c = cursorInRoot('mail_location = maildir:~/Maildir\n|');
    assert.equal(c.analysis.dialect, '2.3');
    const labels = c.service.doComplete(c.analysis, c.file, c.position).map((item) => item.label);
    assert.ok(labels.includes('plugin') && labels.includes('mail_location'));
    assert.ok(!labels.includes('service_process_min_avail'));
  });
});
