// Filters (FACTS §1.4): nesting order messages, networks, masks, auth settings in local/remote; LF and CRLF.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parseNetwork } from '../server/src/service/model/filters';
import { analyzeFiles, brief } from './helpers/analyze';

test('networks: an IPv4 address of fewer than four decimal parts is the address the host lookup reads', () => {
  const address = (value: string) => parseNetwork(value).network?.address.toString(16);
  assert.equal(address('1.2.3'), '1020003');
  assert.equal(address('10.1'), 'a000001');
  assert.equal(address('1.65536'), '1010000');
  assert.equal(address('5'), '5');
  assert.equal(parseNetwork('1.2.3/24').network?.bits, 24);
  assert.equal(parseNetwork('1.2.3/33').problem?.message, 'Invalid network mask: 33');
  // Too large a part, or octal (`010`), stays a host name: unknown.
  for (const value of ['256.1', '1.2.65536', '010.1', '4294967296']) assert.deepEqual(parseNetwork(value), {});
  assert.deepEqual(brief(analyzeFiles('local 1.2.3 {\n  local 1.2.3.3 {\n  }\n}\n'), 'filter-nesting').length, 1);
  assert.deepEqual(brief(analyzeFiles('local 1.2.3 {\n  local 1.2.0.3 {\n  }\n}\n'), 'filter-nesting'), []);
});

test('networks: IPv4, IPv6, CIDR, and Invalid network mask', () => {
  assert.deepEqual(parseNetwork('10.0.0.0/8').network?.bits, 8);
  assert.deepEqual(parseNetwork('2001:db8::/32').network?.family, 6);
  assert.deepEqual(parseNetwork('::1').network?.bits, 128);
  assert.equal(parseNetwork('10.0.0.0/40').problem?.message, 'Invalid network mask: 40');
  assert.equal(parseNetwork('::1/129').problem?.message, 'Invalid network mask: 129');
  assert.deepEqual(parseNetwork('mail.example.com'), {});
});

for (const eol of ['\n', '\r\n']) {
  const t = (...lines: string[]): string => lines.join(eol) + eol;
  describe(`filter nesting (${JSON.stringify(eol)})`, () => {
    const nesting = (outer: string, inner: string): string[] =>
      brief(analyzeFiles(t(`${outer} {`, `  ${inner} {`, '  }', '}')), 'filter-nesting');
    test('doveconf messages for every forbidden order, on the inner header', () => {
      assert.deepEqual(nesting('protocol imap', 'protocol pop3'), [
        '1:2 Nested protocol { protocol { .. } } block not allowed',
      ]);
      assert.deepEqual(nesting('protocol imap', 'local 127.0.0.1'), [
        '1:2 protocol { local { .. } } not allowed (use local { protocol { .. } } instead)',
      ]);
      assert.deepEqual(nesting('remote 10.0.0.0/8', 'local 127.0.0.1'), [
        '1:2 remote { local { .. } } not allowed (use local { remote { .. } } instead)',
      ]);
      assert.deepEqual(nesting('local_name a.example', 'local 127.0.0.1'), [
        '1:2 local_name { local { .. } } not allowed (use local { local_name { .. } } instead)',
      ]);
      assert.deepEqual(nesting('remote 10.0.0.0/8', 'local_name a.example'), [
        '1:2 remote { local_name { .. } } not allowed (use local_name { remote { .. } } instead)',
      ]);
      assert.deepEqual(nesting('protocol imap', 'local_name a.example'), [
        '1:2 protocol { local_name { .. } } not allowed (use local_name { protocol { .. } } instead)',
      ]);
      assert.deepEqual(nesting('protocol imap', 'remote 10.0.0.0/8'), [
        '1:2 protocol { remote { .. } } not allowed (use remote { protocol { .. } } instead)',
      ]);
      assert.deepEqual(nesting('remote 10.0.0.0/8', 'remote 192.168.0.0/16'), [
        '1:2 remote net1 { remote net2 { .. } } requires net2 to be inside net1 (192.168.0.0/16 is not inside 10.0.0.0/8)',
      ]);
    });
    test('allowed orders give nothing', () => {
      assert.deepEqual(nesting('local 127.0.0.1', 'protocol imap'), []);
      assert.deepEqual(nesting('local ::1', 'remote 2001:db8::/32'), []);
      assert.deepEqual(nesting('remote 10.0.0.0/8', 'remote 10.1.0.0/16'), []);
      assert.deepEqual(nesting('local_name "a.example b.example"', 'protocol !imap'), []);
    });
    test('Invalid network mask on the filter header', () => {
      assert.deepEqual(brief(analyzeFiles(t('remote 10.0.0.0/40 {', '}')), 'invalid-network-mask'), [
        '0:0 Invalid network mask: 40',
      ]);
    });
    test('a local or remote block without an address fails the host lookup, for both versions', () => {
      const message = 'gethostbyname() failed: Name or service not known (the block names no address or host)';
      for (const header of ['local {', 'remote "" {', 'remote /24 {'])
        assert.deepEqual(brief(analyzeFiles(t(header, '}')), 'invalid-network-mask'), [`0:0 ${message}`], header);
      const v24 = t('dovecot_config_version = 2.4.4', 'dovecot_storage_version = 2.4.4', 'local {', '}');
      assert.deepEqual(
        brief(analyzeFiles(v24), 'invalid-network-mask').map((m) => m.replace(/^\d+:\d+ /, '')),
        [message],
      );
      assert.deepEqual(brief(analyzeFiles(t('local_name {', '}')), 'invalid-network-mask'), []);
    });
    test('a /0 network is no local/remote block for doveconf 2.3; local_name is one', () => {
      const auth = (text: string) => brief(analyzeFiles(text), 'auth-setting-in-filter');
      assert.deepEqual(
        auth(t('remote ::/0 {', '  auth_debug = yes', '  passdb {', '    driver = static', '  }', '}')),
        [],
      );
      assert.deepEqual(auth(t('local_name mail.example.com {', '  auth_debug = yes', '}')), [
        '1:2 Auth settings not supported inside local/remote blocks: auth_debug',
      ]);
      assert.deepEqual(nesting('remote 0.0.0.0/0', 'local 10.0.0.0/8'), []);
      assert.deepEqual(auth(t('remote 0.0.0.0/0 {', '  local 10.0.0.0/8 {', '    auth_debug = yes', '  }', '}')), [
        '2:4 Auth settings not supported inside local/remote blocks: auth_debug',
      ]);
    });
    test('auth settings are rejected inside local/remote, even under protocol, and allowed in protocol', () => {
      assert.deepEqual(
        brief(analyzeFiles(t('local 127.0.0.1 {', '  auth_debug = yes', '}')), 'auth-setting-in-filter'),
        ['1:2 Auth settings not supported inside local/remote blocks: auth_debug'],
      );
      assert.deepEqual(
        brief(
          analyzeFiles(t('remote 10.0.0.0/8 {', '  protocol imap {', '    auth_mechanisms = plain', '  }', '}')),
          'auth-setting-in-filter',
        ),
        ['2:4 Auth settings not supported inside local/remote blocks: auth_mechanisms'],
      );
      assert.deepEqual(
        brief(analyzeFiles(t('protocol imap {', '  auth_mechanisms = plain login', '}')), 'auth-setting-in-filter'),
        [],
      );
    });
    test("Global setting ... won't change the setting inside an earlier filter", () => {
      assert.deepEqual(
        brief(analyzeFiles(t('protocol imap {', '  mail_debug = yes', '}', 'mail_debug = no')), 'global-after-filter'),
        [
          "3:0 Global setting mail_debug won't change the setting inside an earlier filter at dovecot.conf line 2 (if this is intentional, avoid this warning by moving the global setting before dovecot.conf line 2)",
        ],
      );
      assert.deepEqual(
        brief(analyzeFiles(t('mail_debug = no', 'protocol imap {', '  mail_debug = yes', '}')), 'global-after-filter'),
        [],
      );
    });
    test('the global-after-filter warning names the earlier filter value as a related place, in 2.3 and 2.4', () => {
      const body = ['protocol imap {', '  mail_debug = yes', '}', 'mail_debug = no'];
      for (const text of [
        t(...body),
        t('dovecot_config_version = 2.4.4', 'dovecot_storage_version = 2.4.4', ...body),
      ]) {
        const [warning] = analyzeFiles(text).diagnostics.filter((d) => d.code === 'global-after-filter');
        assert.deepEqual(
          warning.related?.map((place) => `${place.range.start.line}:${place.message}`),
          [`${text.startsWith('dovecot_config') ? 3 : 1}:the earlier filter value`],
        );
      }
    });
  });
}
