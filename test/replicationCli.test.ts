// dovecot-replication without a lab: arguments, API keys from the environment, failures said plainly.
// The end-to-end run against two real Dovecots is test/e2e/livePair.e2e.test.ts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { apiKeyVariable, parseArguments, run } from '../server/src/replicationCli';

async function cli(args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await run(
    args,
    (text) => (out += text),
    (text) => (err += text),
    env,
  );
  return { code, out, err };
}

test('hosts: NAME=URL, NAME=local, NAME=local:CONFIG; default is doveadm on this machine', () => {
  const options = parseArguments([
    '--host',
    'A=http://10.0.0.2:8080',
    '--host',
    'B=local:/etc/dovecot/dovecot.conf',
    'status',
  ]);
  assert.deepEqual(options.hosts, [
    { name: 'A', url: 'http://10.0.0.2:8080' },
    { name: 'B', config: '/etc/dovecot/dovecot.conf' },
  ]);
  assert.deepEqual(parseArguments(['status']).hosts, [{ name: 'local' }]);
  assert.equal(apiKeyVariable('host-a.example'), 'DOVEADM_API_KEY_HOST_A_EXAMPLE');
});

test('usage errors exit 2 with the usage text', async () => {
  for (const args of [
    [],
    ['frobnicate'],
    ['--host', 'A', 'status'],
    ['replicate'],
    ['replicate', '-p', 'urgent', 'alice'],
    ['replicate', '-A'],
    ['check'],
  ]) {
    const result = await cli(args);
    assert.equal(result.code, 2, `${args.join(' ')}: ${result.err}`);
    assert.match(result.err, /Usage: dovecot-replication/);
  }
});

test('a host with a URL and no API key in the environment: says which variable to set, exit 1', async () => {
  const result = await cli(['--host', 'B=http://127.0.0.1:9', 'status']);
  assert.equal(result.code, 1);
  assert.match(result.out, /No API key for B \(http:\/\/127\.0\.0\.1:9\)/);
  assert.match(result.out, /check: set DOVEADM_API_KEY_B \(or DOVEADM_API_KEY\) in the environment/);
  assert.match(result.out, /pair: B unreachable/);
});

test('a port where nothing listens: connection refused, in text and JSON', async () => {
  const result = await cli(['--host', 'B=http://127.0.0.1:9', '--format', 'json', 'users'], { DOVEADM_API_KEY_B: 'k' });
  assert.equal(result.code, 1);
  const [host] = JSON.parse(result.out);
  assert.equal(host.name, 'B');
  assert.equal(host.failure.what, 'Nothing accepts connections on 127.0.0.1:9 (connection refused)');
});

test('a doveadm that does not exist is named', async () => {
  const result = await cli(['--doveadm', '/nonexistent/doveadm', 'dsync-status']);
  assert.equal(result.code, 1);
  assert.match(result.out, /FAILED: \/nonexistent\/doveadm was not found on this machine/);
});
