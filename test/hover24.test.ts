import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Hover, MarkupContent } from 'vscode-languageserver-types';
import { cursorInRoot, type CursorCase } from './helpers/cursor';

const V24 = 'dovecot_config_version = 2.4.0\ndovecot_storage_version = 2.4.0\n';

function at(marked: string): CursorCase {
  const c = cursorInRoot(marked);
  assert.equal(c.analysis.dialect, '2.4', 'the test tree must be detected as 2.4');
  return c;
}

function hover(marked: string): Hover | null {
  const c = at(marked);
  return c.service.doHover(c.analysis, c.file, c.position);
}

function hoverText(marked: string): string {
  const result = hover(marked);
  assert.ok(result, 'expected a hover');
  return (result.contents as MarkupContent).value;
}

describe('2.4 hover on keys', () => {
  it('a global setting: our description, 2.4 type and default', () => {
    const text = hoverText(`${V24}dsync_remote_c|md = ssh %{host} doveadm dsync-server -u%{user}\n`);
    assert.match(text, /\*\*dsync_remote_cmd\*\*/);
    assert.match(text, /doveadm sync remote:/);
    assert.match(text, /Type: string \(no %\{variables\}\)/);
    assert.match(text, /Default: `ssh -l%\{login\} %\{host\} doveadm dsync-server -u%\{user\}`/);
    assert.match(text, /Filters: global or inside any filter/);
    assert.doesNotMatch(text, /mail_replica =/);
  });

  it('an enum shows its values; the hover range is the key', () => {
    const result = hover(`${V24}doveadm_s|sl = no\n`);
    assert.ok(result);
    const text = (result.contents as MarkupContent).value;
    assert.match(text, /Values: `no`, `ssl`, `starttls`/);
    assert.deepEqual(result.range, { start: { line: 2, character: 0 }, end: { line: 2, character: 11 } });
  });

  it('inside a named filter the short name resolves with the filter prefix', () => {
    const text = hoverText(`${V24}service imap {\n  process_min_a|vail = 1\n}\n`);
    assert.match(text, /\*\*process_min_avail\*\*/);
    assert.match(text, /global setting `service_process_min_avail`/);
    assert.match(text, /Type: number/);
    const ssl = hoverText(`${V24}service imap-login {\n  inet_listener imaps {\n    s|sl = yes\n  }\n}\n`);
    assert.match(ssl, /`inet_listener_ssl`/);
    assert.match(ssl, /Type: boolean/);
    assert.match(ssl, /Default: `no`/);
  });

  it('a build-time default is shown as such, not as empty', () => {
    assert.match(
      hoverText(`${V24}base_d|ir = /run/dovecot\n`),
      /Default: set at build time \(`\/opt\/dovecot-2\.4\.4\/var\/run\/dovecot`\)/,
    );
  });

  it('unknown names and 2.3-only names get no hover (no 2.3 schema, no validation)', () => {
    assert.equal(hover(`${V24}no_such_sett|ing = 1\n`), null);
    assert.equal(hover(`${V24}replication_max_c|onns = 10\n`), null);
  });

  it('a plugin inside mail_plugins {} and a word of mail_plugins = describe the 2.4 plugin', () => {
    assert.match(hoverText(`${V24}mail_plugins {\n  not|ify = yes\n}\n`), /\*\*notify\*\* \(mail plugin\)/);
    assert.match(hoverText(`${V24}mail_plugins = acl not|ify\n`), /\*\*notify\*\* \(mail plugin\)/);
    assert.match(hoverText(`${V24}mail_plu|gins = notify\n`), /Boolean list/);
  });
});

describe('2.4 hover on a key written in double quotes', () => {
  it('describes the key unquoted; the hover range is the key with its quotes', () => {
    const result = hover(`${V24}"doveadm_s|sl" = no\n`);
    assert.ok(result);
    assert.match((result.contents as MarkupContent).value, /\*\*doveadm_ssl\*\*/);
    assert.deepEqual(result.range, { start: { line: 2, character: 0 }, end: { line: 2, character: 13 } });
  });

  it('a quoted "@label" is a setting of that name, not an include group; a string list entry gets nothing', () => {
    assert.equal(hover(`${V24}"@mail|boxes" = english\n`), null);
    assert.equal(hover(`${V24}userdb static {\n  fields {\n    "a |b" = c\n  }\n}\n`), null);
  });
});

describe('2.4 hover on section headers', () => {
  it('service: built-in listeners, without the 2.3 replication role text', () => {
    const text = hoverText(`${V24}service dove|adm {\n}\n`);
    assert.match(text, /\*\*service doveadm\*\*/);
    assert.match(text, /Built-in service/);
    assert.doesNotMatch(text, /replicator/);
  });

  it('a named filter and a protocol filter', () => {
    assert.match(hoverText(`${V24}ssl_cli|ent {\n  ca_file = /etc/ssl/ca.pem\n}\n`), /outgoing connections/);
    assert.match(hoverText(`${V24}proto|col imap {\n}\n`), /only to the named protocol/);
  });

  it('a 2.3 tree keeps the 2.3 hover', () => {
    const c = cursorInRoot('mail_location = maildir:~/Maildir\nservice imap {\n  process_min_a|vail = 1\n}\n');
    assert.equal(c.analysis.dialect, '2.3');
    const result = c.service.doHover(c.analysis, c.file, c.position);
    assert.ok(result);
    assert.match((result.contents as MarkupContent).value, /Valid inside `service \{ \}`/);
  });
});
