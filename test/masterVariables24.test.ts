// %{variables} in the settings Dovecot 2.4's master reads when it starts. Every expectation was checked with
// doveconf 2.4.4 -x (the oracle cases mv01-mv19 of test/oracle24 record the same facts against the binary).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { masterExpansionError } from '../server/src/service/analysis/masterVariables24';
import { analyzeFiles } from './helpers/analyze';

const HEAD = 'dovecot_config_version = 2.4.4\ndovecot_storage_version = 2.4.4\n';
const CODE = 'master-variable-fails-at-start';
const EXPAND = 'Failed to parse configuration: Failed to expand';

/** `line: Dovecot's error` (1-based line, without our explanation) of the findings on a 2.4 tree. */
function found(body: string | Record<string, string>): string[] {
  const files = typeof body === 'string' ? `${HEAD}${body}\n` : body;
  return analyzeFiles(files)
    .diagnostics.filter((d) => d.code === CODE)
    .map((d) => `${d.range.start.line + 1}: ${d.message.slice(0, d.message.indexOf(". Dovecot's master process"))}`);
}

/** Dovecot's error for a value, or undefined when we say nothing. */
const errorOf = (value: string) => masterExpansionError(value)?.error;

describe('masterExpansionError', () => {
  test('the first %{…} decides when it is a plain variable; %{env:NAME} and %{default} before it never fail', () => {
    assert.equal(errorOf('imap %{user}'), "Unknown variable 'user'");
    assert.equal(errorOf('%{ foo }/x %{bar}'), "Unknown variable 'foo'");
    assert.equal(errorOf('%{env:HOME}/%{user}'), "Unknown variable 'user'");
    assert.equal(errorOf('%{default} %{user}'), "Unknown variable 'user'");
  });
  test("a function name alone fails with that function's error; a Lua function is not loaded in the master", () => {
    assert.deepEqual(masterExpansionError('/run/%{upper}'), {
      name: 'upper',
      error: 'upper: No value to upper',
      function: true,
    });
    assert.equal(errorOf('%{ lookup }'), 'lookup: Missing name to lookup');
    assert.equal(errorOf('%{env:HOME}%{md5}%{user}'), 'md5: No value to md5');
    assert.deepEqual(masterExpansionError('/run/%{lua_call}'), {
      name: 'lua_call',
      error: "Unknown variable 'lua_call'",
      function: false,
    });
    assert.match(errorOf('%{safe}') ?? '', /^Panic: /);
  });
  test('a variable piped to a filter that needs a value (lower, upper) fails with the lookup', () => {
    assert.equal(errorOf('x\t%{user | upper} }'), "Unknown variable 'user'");
    assert.equal(
      errorOf('a %{ user|lower | nosuch }'),
      "Unknown variable 'user'",
      'before the next function is looked up',
    );
    assert.equal(errorOf('%{user | lower}'), "Unknown variable 'user'");
    assert.equal(errorOf('%{upper | lower}'), undefined);
  });
  test('quiet where Dovecot may not fail or fails otherwise: a filter, a provider, %{default} alone, %%, $SET:', () => {
    assert.equal(errorOf("%{user | default('x')}"), undefined);
    assert.equal(errorOf('%{upper | lower}'), undefined);
    assert.equal(errorOf('%{system:hostname} %{user}'), undefined);
    assert.equal(errorOf('%{default}'), undefined);
    assert.equal(errorOf('%%{user}'), undefined);
    assert.equal(errorOf('%{user} $SET:base_dir'), undefined);
    assert.equal(errorOf('%{user'), undefined);
    assert.equal(errorOf('%u'), undefined);
  });
});

describe('master-variable-fails-at-start', () => {
  test("a service's or its listener's line names that service or listener, as doveconf -x does", () => {
    assert.deepEqual(
      found('service imap {\n  executable = imap %{user}\n  unix_listener imap-master {\n    mode = %{foo}\n  }\n}'),
      [
        `4: Failed to get service imap: service settings (filter=service/imap): ${EXPAND} service_executable setting variables: Unknown variable 'user'`,
        `6: Failed to get unix_listener imap-master: unix_listener settings (filter=unix_listener/imap-master): ${EXPAND} unix_listener_mode setting variables: Unknown variable 'foo'`,
      ],
    );
    assert.deepEqual(found('service imap-login {\n  inet_listener imap {\n    port = %{foo}\n  }\n}').length, 1);
  });

  test('a top-level setting names the first service or listener that reads it, directly or through a built-in $SET: default', () => {
    assert.deepEqual(found('default_internal_user = %{user}'), [
      `3: Failed to get service auth: service settings (filter=service/auth): ${EXPAND} service_user setting variables: Unknown variable 'user'`,
    ]);
    assert.deepEqual(found('default_internal_group = %{foo}'), [
      `3: Failed to get unix_listener anvil: unix_listener settings (filter=unix_listener/anvil): ${EXPAND} unix_listener_group setting variables: Unknown variable 'foo'`,
    ]);
    assert.deepEqual(found('base_dir = /run/%{user}'), [
      `3: Failed to get inet_listener imap: master settings: ${EXPAND} base_dir setting variables: Unknown variable 'user'`,
    ]);
    assert.deepEqual(found('service_executable = x %{user}\nservice anvil {\n  executable = anvil\n}'), [
      `3: Failed to get service auth: service settings (filter=service/auth): ${EXPAND} service_executable setting variables: Unknown variable 'user'`,
    ]);
  });

  test('the name of an inet listener or a service block is expanded: one finding per block, on its name', () => {
    const body =
      'service imap-login {\n  inet_listener "%{foo} x" {\n    port = 1234\n  }\n}\n' +
      'inet_listener a%{bar} {\n}\nservice q%{baz} {\n  executable = q\n}';
    assert.deepEqual(found(body), [
      `4: Failed to get inet_listener %{foo} x: inet_listener settings (filter=inet_listener/%{foo}\\_x): ${EXPAND} inet_listener_name setting variables: Unknown variable 'foo'`,
      `10: Failed to get service q%{baz}: service settings (filter=service/q%{baz}): ${EXPAND} service_name setting variables: Unknown variable 'baz'`,
      `8: Failed to get inet_listener a%{bar}: inet_listener settings (filter=inet_listener/a%{bar}): ${EXPAND} inet_listener_name setting variables: Unknown variable 'bar'`,
    ]);
  });

  test('quiet for a listener name a `name` line replaces, a unix or fifo listener path, %{env:NAME}, %%', () => {
    assert.deepEqual(found('service imap-login {\n  inet_listener %{foo} {\n    name = x\n  }\n}'), []);
    assert.deepEqual(found('inet_listener %{foo} {\n  name = x\n}'), []);
    assert.deepEqual(
      found('service foo {\n  executable = foo\n  unix_listener x%{foo} {\n  }\n  fifo_listener y%{foo} {\n  }\n}'),
      [],
    );
    assert.deepEqual(
      found('service imap-login {\n  inet_listener %{env:HOME} {\n  }\n  inet_listener %%{x} {\n  }\n}'),
      [],
    );
  });

  test('quiet for lists, string_novars, settings the master does not read, a value overridden later or unknown', () => {
    assert.deepEqual(
      found('service imap {\n  extra_groups = %{user}\n  unix_listener x {\n    path = %{user}\n  }\n}'),
      [],
    );
    assert.deepEqual(found('log_path = /var/log/%{user}\nprotocol imap {\n  base_dir = %{user}\n}'), []);
    assert.deepEqual(
      found('service imap {\n  executable = imap %{user}\n}\nservice imap {\n  executable = imap\n}'),
      [],
    );
    assert.deepEqual(found('service imap {\n  executable = imap %{user} $ENV:X\n  chroot = {{ x }}%{user}\n}'), []);
    // An include group may add settings the master reads: the tree is left alone.
    assert.deepEqual(found('group @g x {\n  base_dir = /run\n}\n@g = x\nbase_dir = %{user}'), []);
  });
});
