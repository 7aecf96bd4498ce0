// Effective values (FACTS §1.4, §1.7): $key self-reference, protocol filters frozen when read, merging.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { analyzeFiles } from './helpers/analyze';

for (const eol of ['\n', '\r\n']) {
  const t = (...lines: string[]): string => lines.join(eol) + eol;
  describe(`effective settings (${JSON.stringify(eol)})`, () => {
    test('$mail_plugins self-reference expands in processing order', () => {
      const { effective } = analyzeFiles(
        t('mail_plugins = quota', 'mail_plugins = $mail_plugins acl', 'mail_plugins = $mail_plugins  notify'),
      );
      const result = effective.value('mail_plugins');
      assert.equal(result.value, 'quota acl notify');
      assert.equal(result.entry?.node.range.start.line, 2);
    });
    test('$key expansion keeps the value read so far as it is and joins the words around it with one space (as doveconf 2.3.19 -n)', () => {
      const { effective } = analyzeFiles(
        t(
          'mail_plugins = acl  zlib',
          'mail_plugins =  $mail_plugins  quota  $mail_plugins $mail_pluginsx  x y  ',
          'mail_attribute_dict = $mail_attribute_dict  a b',
        ),
      );
      assert.equal(effective.value('mail_plugins').value, 'acl  zlib quota acl  zlib $mail_pluginsx x y');
      assert.equal(effective.value('mail_attribute_dict').value, ' a b');
    });
    test('a protocol filter value is frozen when read: a later global change does not reach it', () => {
      const { effective } = analyzeFiles(
        t(
          'mail_plugins = notify replication',
          'protocol imap {',
          '  mail_plugins = $mail_plugins imap_quota',
          '}',
          'mail_plugins = zlib',
        ),
      );
      assert.equal(effective.value('mail_plugins', { protocol: 'imap' }).value, 'notify replication imap_quota');
      assert.equal(effective.value('mail_plugins', { protocol: 'lmtp' }).value, 'zlib');
      assert.equal(effective.value('mail_plugins').value, 'zlib');
    });
    test('protocol !imap applies to every protocol except imap', () => {
      const { effective } = analyzeFiles(
        t('mail_plugins = acl', 'protocol !imap {', '  mail_plugins = $mail_plugins quota', '}'),
      );
      assert.equal(effective.value('mail_plugins', { protocol: 'lmtp' }).value, 'acl quota');
      assert.equal(effective.value('mail_plugins', { protocol: 'imap' }).value, 'acl');
    });
    test('other $variables stay literal; defaults come from the schema', () => {
      const { effective } = analyzeFiles(t('postmaster_address = postmaster@$hostname_unknownvar'));
      assert.equal(effective.value('postmaster_address').value, 'postmaster@$hostname_unknownvar');
      assert.equal(effective.value('base_dir').value, '/run/dovecot');
      assert.equal(effective.value('base_dir').entry, undefined);
    });
    test('same-named sections merge (last key wins); unnamed ones stay distinct', () => {
      const { effective } = analyzeFiles(
        t(
          'service imap {',
          '  vsz_limit = 1G',
          '}',
          'service imap {',
          '  vsz_limit = 2G',
          '}',
          'passdb {',
          '}',
          'passdb {',
          '}',
        ),
      );
      const imap = effective.section('service', 'imap');
      assert.equal(imap?.occurrences.length, 2);
      assert.equal(imap?.settings.get('vsz_limit')?.node.value, '2G');
      assert.equal(effective.sections('passdb').length, 2);
    });
    test('blocks with many children merge and number them as with few: named by name, unnamed in order', () => {
      const services = Array.from({ length: 12 }, (_, i) => [`service s${i} {`, `  vsz_limit = ${i}M`, '}']).flat();
      const passdbs = Array.from({ length: 12 }, (_, i) => ['passdb {', `  driver = d${i}`, '}']).flat();
      const { effective } = analyzeFiles(
        t(...services, ...passdbs, 'service s3 {', '  vsz_limit = 33M', '}', 'service s11 {', '  vsz_limit = 11G', '}'),
      );
      assert.equal(effective.sections('service').length, 12);
      assert.equal(effective.section('service', 's3')?.settings.get('vsz_limit')?.node.value, '33M');
      assert.equal(effective.section('service', 's11')?.occurrences.length, 2);
      assert.equal(effective.section('service', 's0')?.occurrences.length, 1);
      const passdbIndexes = effective.sections('passdb').map((passdb) => passdb.index);
      assert.deepEqual(passdbIndexes, [...Array(12).keys()]);
      assert.deepEqual(
        effective.sections('passdb').map((passdb) => passdb.settings.get('driver')?.node.value),
        Array.from({ length: 12 }, (_, i) => `d${i}`),
      );
    });
    test('valueAt gives the value each assignment produced when it was read', () => {
      const { effective } = analyzeFiles(
        t(
          'mail_plugins = quota',
          'protocol lmtp {',
          '  mail_plugins = $mail_plugins sieve',
          '}',
          'mail_plugins = $mail_plugins notify replication',
        ),
      );
      const [first, lmtp, last] = effective.assignments('mail_plugins');
      assert.equal(effective.valueAt(first), 'quota');
      assert.equal(effective.valueAt(lmtp), 'quota sieve');
      assert.equal(effective.valueAt(last), 'quota notify replication');
    });
    test('for a protocol, the first-opened matching filter that sets the key applies (doveconf 2.3 -f protocol=imap)', () => {
      const block = (name: string, ...lines: string[]): string[] => [
        `protocol ${name} {`,
        ...lines.map((line) => `  ${line}`),
        '}',
      ];
      const imapFirst = analyzeFiles(
        t(
          'mail_plugins = a',
          ...block('imap', 'mail_plugins = $mail_plugins b'),
          ...block('!pop3', 'mail_plugins = $mail_plugins c'),
        ),
      );
      assert.deepEqual(
        ['imap', 'lmtp'].map((protocol) => imapFirst.effective.value('mail_plugins', { protocol }).value),
        ['a b', 'a c'],
      );
      const negatedFirst = analyzeFiles(
        t(
          'mail_plugins = a',
          ...block('!pop3', 'mail_debug = yes'),
          ...block('imap', 'mail_plugins = $mail_plugins b'),
          ...block('!pop3', 'mail_plugins = $mail_plugins c'),
        ),
      );
      assert.equal(
        negatedFirst.effective.value('mail_plugins', { protocol: 'imap' }).value,
        'a c',
        'the reopened !pop3 filter was opened first',
      );
      const negatedSetsNothing = analyzeFiles(
        t(
          'mail_plugins = a',
          ...block('!pop3', 'mail_debug = yes'),
          ...block('imap', 'mail_plugins = $mail_plugins b'),
        ),
      );
      assert.equal(negatedSetsNothing.effective.value('mail_plugins', { protocol: 'imap' }).value, 'a b');
    });
    test('protocolsOverriding lists the protocol filters that set a key', () => {
      const { effective } = analyzeFiles(
        t('protocol imap {', '  mail_plugins = a', '}', 'protocol lmtp {', '  mail_plugins = b', '}'),
      );
      assert.deepEqual(effective.protocolsOverriding('mail_plugins').sort(), ['imap', 'lmtp']);
    });
  });
}

describe("values Dovecot reads at start: <file, $ENV:, other settings' $name", () => {
  test('a readable <file is its content; an unreadable one is unknown, with the path as written', () => {
    const files = {
      '/etc/dovecot/dovecot.conf': 'mail_plugins = </etc/dovecot/mail_plugins\n',
      '/etc/dovecot/mail_plugins': 'notify replication\n',
    };
    assert.deepEqual(
      { ...analyzeFiles(files).effective.value('mail_plugins'), entry: undefined },
      { value: 'notify replication\n', entry: undefined },
    );
    const missing = analyzeFiles('mail_plugins = </etc/dovecot/mail_plugins\n').effective.value('mail_plugins');
    assert.equal(missing.unknown, true);
    assert.equal(missing.value, '/etc/dovecot/mail_plugins');
  });
  test("$ENV: and another setting's $name make the value unknown; $key self-reference keeps it known, and inherits unknown", () => {
    const { effective } = analyzeFiles(
      'mail_plugins = $ENV:PLUGINS quota\nprotocol imap {\n  mail_plugins = $mail_plugins imap_quota\n}\nmail_uid = $other\n',
    );
    assert.equal(effective.value('mail_plugins').unknown, true);
    assert.equal(
      effective.value('mail_plugins', { protocol: 'imap' }).unknown,
      true,
      'built on an unknown global value',
    );
    assert.equal(effective.value('mail_uid').unknown, true);
    assert.equal(
      analyzeFiles('mail_plugins = quota\nmail_plugins = $mail_plugins acl\n').effective.value('mail_plugins').unknown,
      undefined,
    );
  });
});

describe('the value at a point of reading, from the effective tree', () => {
  test("valueBefore: $name is the same filter's earlier value, else the global value read so far; later lines do not count", () => {
    const { effective } = analyzeFiles(
      'mail_plugins = a\nprotocol imap {\n  mail_plugins = $mail_plugins b\n  mail_plugins = $mail_plugins c\n}\nmail_plugins = z\n',
    );
    const [first, imapB, imapC, last] = effective.assignments('mail_plugins');
    assert.deepEqual(
      [effective.valueBefore(imapB, 'mail_plugins').value, effective.valueBefore(imapB, 'mail_plugins').entry],
      ['a', first],
    );
    assert.deepEqual(
      [effective.valueBefore(imapC, 'mail_plugins').value, effective.valueBefore(imapC, 'mail_plugins').entry],
      ['a b', imapB],
    );
    assert.deepEqual(
      [effective.valueBefore(last, 'mail_plugins').value, effective.valueBefore(last, 'mail_plugins').entry],
      ['a', first],
    );
    assert.deepEqual(
      [effective.valueBefore(first, 'mail_plugins').value, effective.valueBefore(first, 'mail_plugins').entry],
      ['', undefined],
      'nothing before: the default',
    );
    assert.equal(effective.valueAt(imapC), 'a b c');
  });
  test('a $key built on a readable <file value expands its content', () => {
    const files = {
      '/etc/dovecot/dovecot.conf': 'mail_plugins = <plugins\nmail_plugins = $mail_plugins quota\n',
      '/etc/dovecot/plugins': 'acl',
    };
    assert.deepEqual(
      { ...analyzeFiles(files).effective.value('mail_plugins'), entry: undefined },
      { value: 'acl quota', entry: undefined },
    );
    assert.equal(
      analyzeFiles('mail_plugins = <plugins\nmail_plugins = $mail_plugins quota\n').effective.value('mail_plugins')
        .unknown,
      true,
    );
  });
});

describe('typed values', () => {
  test("a value in its setting's type: set, default, $key-expanded, for a protocol", () => {
    const { effective } = analyzeFiles(
      'default_process_limit = 50\nmail_debug = yes\nprotocol imap {\n  mail_debug = no\n}\n',
    );
    assert.equal(effective.typedValue('default_process_limit'), 50n);
    assert.equal(effective.typedValue('mail_debug'), true);
    assert.equal(effective.typedValue('mail_debug', { protocol: 'imap' }), false);
    assert.equal(effective.typedValue('doveadm_port'), 0, 'the default, parsed');
    assert.equal(analyzeFiles('mail_max_lock_timeout = 1 min\n').effective.typedValue('mail_max_lock_timeout'), 60n);
  });
  test('no typed value for strings, invalid values and values Dovecot decides at start', () => {
    assert.equal(
      analyzeFiles('default_process_limit = lots\n').effective.typedValue('default_process_limit'),
      undefined,
    );
    assert.equal(
      analyzeFiles('default_process_limit = $ENV:LIMIT\n').effective.typedValue('default_process_limit'),
      undefined,
    );
    assert.equal(analyzeFiles('hostname = a\n').effective.typedValue('hostname'), undefined);
  });
});

describe('values of one merged section (valueIn)', () => {
  const text =
    'service imap-login {\n  inet_listener imap {\n    port = 1143\n    ssl = yes\n  }\n  inet_listener imaps {\n    port = $ENV:PORT\n  }\n}\n';
  const listener = (name: string) => {
    const { effective } = analyzeFiles(text);
    const service = effective.section('service', 'imap-login');
    return { effective, section: service?.children.find((child) => child.name === name) };
  };

  test("the section's last assignment in its type, else the fallback parsed in the setting's type", () => {
    const { effective, section } = listener('imap');
    assert.equal(effective.valueIn(section, 'service/inet_listener', 'port').typed, 1143);
    assert.equal(effective.valueIn(section, 'service/inet_listener', 'ssl', 'no').typed, true);
    const address = effective.valueIn(section, 'service/inet_listener', 'address', '*');
    assert.deepEqual([address.value, address.entry, address.typed], ['*', undefined, undefined]);
    assert.equal(effective.valueIn(undefined, 'service/unix_listener', 'mode', '0660').typed, 0o660n);
  });

  test("a section's values: each key once, in the order first set, with its last assignment, across openings", () => {
    const { effective } = analyzeFiles(
      'service s {\n  user = a\n  group = b\n  user = c\n}\nservice s {\n  chroot = d\n  group = e\n  vsz_limit = 1G\n}\n',
    );
    const values = effective.section('service', 's')?.values;
    assert.ok(values);
    const listed = [...values].map(([key, value]) => `${key}=${value.value}@${value.origin?.node.range.start.line}`);
    assert.deepEqual(listed, ['user=c@3', 'group=e@7', 'chroot=d@6', 'vsz_limit=1G@8']);
    assert.equal(values.size, 4);
    assert.deepEqual([...values.keys()], ['user', 'group', 'chroot', 'vsz_limit']);
    assert.equal(values.get('group')?.value, 'e');
    assert.equal(values.has('executable'), false);
    const one = analyzeFiles('service t {\n  user = a\n}\n').effective.section('service', 't')?.values;
    assert.deepEqual([one?.size, [...(one?.values() ?? [])].map((value) => value.value)], [1, ['a']]);
  });

  test('a value Dovecot decides at start is unknown and has no typed value', () => {
    const { effective, section } = listener('imaps');
    const port = effective.valueIn(section, 'service/inet_listener', 'port');
    assert.equal(port.unknown, true);
    assert.equal(port.typed, undefined);
  });
});

describe('aliases', () => {
  test('doveadm_proxy_port sets doveadm_port; namespace mail sets location', () => {
    const { effective } = analyzeFiles(
      'doveadm_proxy_port = 12345\nnamespace inbox {\n  mail_location = maildir:~/M\n}\n',
    );
    assert.equal(effective.value('doveadm_port').value, '12345');
    assert.equal(effective.value('doveadm_proxy_port').value, '12345', 'asking by the alias gives the same value');
    assert.equal(effective.section('namespace', 'inbox')?.settings.get('location')?.node.value, 'maildir:~/M');
  });
  test('the later of alias and name wins', () => {
    assert.equal(analyzeFiles('doveadm_port = 1\ndoveadm_proxy_port = 2\n').effective.value('doveadm_port').value, '2');
    assert.equal(analyzeFiles('doveadm_proxy_port = 2\ndoveadm_port = 1\n').effective.value('doveadm_port').value, '1');
  });
});

describe('a Dovecot 2.4 tree', () => {
  const V24 = 'dovecot_config_version = 2.4.0\ndovecot_storage_version = 2.4.0\n';

  test("an unset setting has 2.4's default as its value, without the quotes doveconf prints it in", () => {
    const { effective } = analyzeFiles(`${V24}log_path = syslog\n`);
    assert.equal(effective.value('log_timestamp').value, '%b %d %H:%M:%S ');
    assert.equal(effective.value('mail_log_prefix').value, '%{service}(%{user})<%{process:pid}><%{session}>: ');
  });

  test('$SET:key builds on the value read so far, 2.4 default included', () => {
    const { effective } = analyzeFiles(`${V24}login_greeting = $SET:login_greeting now\n`);
    assert.equal(effective.value('login_greeting').value, 'Dovecot ready. now');
  });
});

test('a key = $key chain of 30000 lines is worked out without running out of stack', () => {
  const lines = ['mail_plugins = quota', 'mail_debug = $mail_debug'];
  for (let i = 0; i < 30000; i++) lines.push(`mail_plugins = $mail_plugins p${i}`);
  const { effective } = analyzeFiles(lines.join('\n') + '\n');
  const result = effective.value('mail_plugins');
  assert.ok(result.value.startsWith('quota p0 p1 ') && result.value.endsWith(' p29999'));
  assert.equal(effective.typedValue('mail_plugins'), undefined);
  assert.equal(effective.value('mail_debug').value, 'no');
});
