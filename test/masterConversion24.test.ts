// Dovecot 2.4: a value the master expands at start that is then no value of its setting's type (analysis/masterConversion24.ts).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { conversionFailure24 } from '../server/src/service/analysis/masterConversion24';
import { analyzeFiles, brief } from './helpers/analyze';

const V24 = 'dovecot_config_version = 2.4.4\ndovecot_storage_version = 2.4.4\n';

test("constant programs: the expanded text and doveconf -x's error for it", () => {
  assert.equal(
    conversionFailure24("%{literal('x')}1", 'inet_listener_port'),
    "Invalid setting inet_listener_port=x1 (before expansion: %{literal('x')}1): Invalid port number x1",
  );
  assert.equal(
    conversionFailure24('%{literal("maybe")}', 'version_ignore'),
    'Invalid setting version_ignore=maybe (before expansion: %{literal("maybe")}): Invalid boolean value: maybe (use yes or no)',
  );
  assert.equal(conversionFailure24("%{literal('2')}G", 'service_vsz_limit'), undefined);
  assert.equal(conversionFailure24("%{literal('x')}", 'service_executable'), undefined);
});

test('text around the programs as Dovecot expands it: %% stays, %%{ gives %{, a quoted } is inside the program', () => {
  assert.equal(
    conversionFailure24('1%%M%{literal("0")}', 'service_vsz_limit'),
    'Invalid setting service_vsz_limit=1%%M0 (before expansion: 1%%M%{literal("0")}): Invalid size: 1%%M0',
  );
  assert.equal(
    conversionFailure24("%{literal('}')}1", 'service_vsz_limit'),
    "Invalid setting service_vsz_limit=}1 (before expansion: %{literal('}')}1): Invalid size: }1",
  );
  // No program at all: doveconf -n leaves a value holding %{ alone, the master reads the text.
  assert.equal(
    conversionFailure24('2%%{x}', 'service_vsz_limit'),
    'Invalid setting service_vsz_limit=2%{x} (before expansion: 2%%{x}): Invalid size: 2%{x}',
  );
  assert.equal(
    conversionFailure24('2%%{x', 'service_vsz_limit'),
    'Invalid setting service_vsz_limit=2%{x (before expansion: 2%%{x): Invalid size: 2%{x',
  );
  // A program that does not parse is doveconf -n's error, not the master's.
  assert.equal(conversionFailure24("1%{literal('0'}", 'service_vsz_limit'), undefined);
});

test('programs the machine decides: judged only by text around them that no value of the type has', () => {
  assert.equal(
    conversionFailure24('x %{process:pid}', 'service_vsz_limit'),
    'Invalid setting service_vsz_limit=… (before expansion: x %{process:pid}): whatever the %{…} give, "x" makes it no size',
  );
  assert.match(conversionFailure24('%{env:HOME} quota', 'service_client_limit') ?? '', /" " makes it no number$/);
  // The environment may hold a number, a size with its unit: not judged.
  assert.equal(conversionFailure24('%{env:LIMIT}', 'service_client_limit'), undefined);
  assert.equal(conversionFailure24('%{env:LIMIT} M', 'service_vsz_limit'), undefined);
  assert.equal(conversionFailure24('%{process:pid}0 secs', 'service_idle_kill_interval'), undefined);
  // A program that may fail to expand first (a variable, a filter) is the expansion's business, not this one's.
  assert.equal(conversionFailure24('x %{user}', 'service_vsz_limit'), undefined);
  assert.equal(conversionFailure24("x %{env:HOME | default('1')}", 'service_vsz_limit'), undefined);
});

test('the finding names where the master reads the line first, as doveconf -x does', () => {
  const service = analyzeFiles(`${V24}service imap {\n  vsz_limit = x %{process:pid}\n}\n`);
  assert.deepEqual(
    brief(service, 'master-value-invalid-at-start').map((m) => m.split(': Failed to parse')[0]),
    ['3:14 Failed to get service imap: service settings (filter=service/imap)'],
  );
  const topLevel = analyzeFiles(`${V24}service_client_limit = %{env:HOME} quota\n`);
  assert.deepEqual(
    brief(topLevel, 'master-value-invalid-at-start').map((m) => m.split(': Failed to parse')[0]),
    ['2:23 Failed to get service anvil: service settings (filter=service/anvil)'],
  );
  // A mail process setting is expanded per user, not by the master.
  assert.deepEqual(
    brief(analyzeFiles(`${V24}mail_max_keyword_length = x %{process:pid}\n`), 'master-value-invalid-at-start'),
    [],
  );
});
