// Jinja2 and Go templates: template parts are unknown values, never a false error; mistakes around them are found.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { getLanguageService } from '../server/src/service/dovecotLanguageService';
import { MemoryHost } from '../server/src/service/model/host';
import { isTemplateFile, scanTemplates } from '../server/src/service/syntax/templates';

const ROOT = '/repo/roles/mail/templates/dovecot.conf.j2';
const analyze = (
  files: Record<string, string>,
  root = ROOT,
  templates = { enabled: true, extraSuffixes: [] as string[] },
) => {
  const service = getLanguageService(new MemoryHost(files));
  service.setTemplateOptions(templates);
  return service
    .analyze(root)
    .diagnostics.map((d) => `${d.file.slice(d.file.lastIndexOf('/') + 1)}:${d.range.start.line + 1} ${d.code}`);
};

test('masking keeps every offset and line break; expressions become words, tags alone and statements blanks', () => {
  const text = 'a = {{ x }}\n{% if y %}\n{{ block }}\r\nb = 1 {# note\nover lines #}\n{% endif %}\n';
  const { masked, expressions } = scanTemplates(text);
  assert.equal(masked.length, text.length);
  assert.deepEqual(
    [...masked.matchAll(/\r\n|\n/g)].map((m) => m.index),
    [...text.matchAll(/\r\n|\n/g)].map((m) => m.index),
  );
  assert.equal(masked.split('\n')[0], 'a = _______');
  assert.match(masked.split('\n')[1], /^ +$/);
  assert.match(masked.split('\n')[2], /^ +\r$/, 'an expression alone on its line is a block of unknown lines');
  assert.equal(masked.split('\n')[3].trimEnd(), 'b = 1');
  assert.deepEqual(expressions, [{ start: 4, end: 11 }]);
});

test('bodies of conditions and loops, Jinja2 and Go, are marked; the text after them is not', () => {
  const jinja = scanTemplates('{% if a %}\nx = 1\n{% else %}\nx = 2\n{% endif %}\ny = 3\n');
  assert.ok(jinja.conditionalLines.has(1) && jinja.conditionalLines.has(3));
  assert.ok(!jinja.conditionalLines.has(5));
  const go = scanTemplates('{{ if .Values.ssl }}\nssl = yes\n{{ end }}\n{{/* comment */}}\nz = {{ .Values.z }}\n');
  assert.ok(go.conditionalLines.has(1));
  assert.ok(!go.conditionalLines.has(4));
  assert.equal(go.masked.split('\n')[4], `z = ${'_'.repeat('{{ .Values.z }}'.length)}`);
  assert.match(go.masked.split('\n')[3], /^ *$/);
});

test('template files are recognised by name or by their tags', () => {
  assert.ok(isTemplateFile('/x/10-ssl.conf.j2', 'ssl = yes\n'));
  assert.ok(isTemplateFile('/x/dovecot.conf.tmpl', ''));
  assert.ok(isTemplateFile('/x/dovecot.conf', 'listen = {{ listen }}\n'));
  assert.ok(!isTemplateFile('/x/dovecot.conf', 'mail_location = maildir:~/%{user}\n'));
  assert.ok(isTemplateFile('/x/dovecot.conf.erb', '', ['.erb']));
});

const CLEAN_TEMPLATE = `# {{ ansible_managed }}
protocols = {{ dovecot_protocols | join(' ') }}
{% if dovecot_ssl %}
ssl = required
ssl_cert = <{{ ssl_cert }}
service imap-login {
  inet_listener imaps {
    port = 993
  }
}
{% else %}
ssl = no
service imap-login {
  inet_listener imaps {
    port = 993
  }
}
{% endif %}
mail_max_userip_connections = {{ max_connections }}
{{ dovecot_extra_settings }}
{{ dovecot_setting_name }} = yes
service {{ service_name }} {
  process_limit = {{ limit }}
}
!include {{ include_dir }}/*.conf
!include conf.d/*.conf
`;

test('a template with no mistake lints clean: unknown values, names, includes, both branches', () => {
  assert.deepEqual(
    analyze({
      [ROOT]: CLEAN_TEMPLATE,
      '/repo/roles/mail/templates/conf.d/10-mail.conf.j2': 'mail_location = maildir:{{ mail_dir }}\n',
    }),
    [],
  );
});

test('real mistakes next to template parts are found, on their lines', () => {
  const broken = `${CLEAN_TEMPLATE}mail_debug = maybe\nauth_mechansims = plain {{ more }}\nservice lmtp {\n`;
  const found = analyze({
    [ROOT]: broken,
    '/repo/roles/mail/templates/conf.d/10-mail.conf.j2': 'mail_locaton = {{ x }}\n',
  });
  const after = CLEAN_TEMPLATE.split('\n').length - 1;
  assert.deepEqual(found.sort(), [
    '10-mail.conf.j2:1 unknown-setting',
    `dovecot.conf.j2:${after + 1} invalid-value`,
    `dovecot.conf.j2:${after + 2} unknown-setting`,
    `dovecot.conf.j2:${after + 3} missing-close-brace`,
  ]);
});

test('a mistake inside a condition is still a mistake in that branch', () => {
  assert.deepEqual(analyze({ [ROOT]: '{% if x %}\nmail_debug = maybe\n{% endif %}\n' }), [
    'dovecot.conf.j2:2 invalid-value',
  ]);
});

test('includes of a template tree match the templates they render from, in rendered-name order', () => {
  const files = {
    [ROOT]: '!include conf.d/*.conf\n',
    '/repo/roles/mail/templates/conf.d/10-a.conf.j2': 'mail_debug = yes\n',
    '/repo/roles/mail/templates/conf.d/20-b.conf': 'auth_debug = yes\n',
    '/repo/roles/mail/templates/conf.d/30-c.conf.j2': 'mail_debug = maybe\n',
  };
  assert.deepEqual(analyze(files), ['30-c.conf.j2:1 invalid-value']);
  const service = getLanguageService(new MemoryHost(files));
  assert.deepEqual(
    [...service.buildModel(ROOT).files.keys()].map((file) => file.slice(file.lastIndexOf('/') + 1)),
    ['dovecot.conf.j2', '10-a.conf.j2', '20-b.conf', '30-c.conf.j2'],
  );
});

test('with templates off, template tags are read as Dovecot reads them', () => {
  const found = analyze({ [ROOT]: 'mail_max_userip_connections = {{ n }}\n' }, ROOT, {
    enabled: false,
    extraSuffixes: [],
  });
  assert.deepEqual(found, ['dovecot.conf.j2:1 invalid-value']);
});

test('a value a template decides is unknown to the replication checks: no claim that it lacks a plugin', () => {
  const replica = 'plugin {\n  mail_replica = tcp:mail2.example.com:12345\n}\n';
  const lacks = (text: string) =>
    analyze({ [ROOT]: text + replica }).filter((found) =>
      /replication-notify-missing|replication-plugin-missing/.test(found),
    );
  assert.deepEqual(lacks('mail_plugins = {{ dovecot_mail_plugins }}\n'), []);
  assert.deepEqual(
    lacks('mail_plugins = quota\n{% if replication %}\nmail_plugins = $mail_plugins notify replication\n{% endif %}\n'),
    [],
  );
  assert.notDeepEqual(lacks('mail_plugins = quota replication\n'), [], 'a written value is still checked');
});

test("doveconf's whole-tree checks say nothing where a template decides part of the tree, and still judge a tree it does not", () => {
  const v24 = 'dovecot_config_version = 2.4.4\ndovecot_storage_version = 2.4.4\n';
  // The included files, or a line in a condition, may set mmap_disable = yes or the passdb's driver.
  assert.deepEqual(analyze({ [ROOT]: `${v24}!include {{ extra }}\nmail_nfs_index = yes\n` }), []);
  assert.deepEqual(
    analyze({ [ROOT]: `${v24}mail_nfs_index = yes\n{% if nfs %}\nmmap_disable = yes\n{% endif %}\n` }),
    [],
  );
  assert.deepEqual(analyze({ [ROOT]: 'passdb {\n  !include {{ passdb_include }}\n}\n' }), []);
  assert.deepEqual(analyze({ [ROOT]: `${v24}mail_nfs_index = yes\n# {{ note }}\n` }), [
    'dovecot.conf.j2:3 settings-check',
  ]);
  assert.deepEqual(analyze({ [ROOT]: 'passdb {\n  args = {{ passdb_args }}\n}\n' }), [
    'dovecot.conf.j2:1 settings-check',
  ]);
});
