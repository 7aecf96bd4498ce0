// The event-exporter conversion rule: 2.3 transport settings and format_args become 2.4's driver,
// http_post_url, http_client_request_absolute_timeout and time_format.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { getLanguageService } from '../server/src/service/dovecotLanguageService';
import type { MigrationResult } from '../server/src/service/migrate/types';
import { MemoryHost } from '../server/src/service/model/host';

const ROOT = '/etc/dovecot/dovecot.conf';

function migrate(root: string): MigrationResult {
  return getLanguageService(new MemoryHost({ [ROOT]: root })).migrateTree(ROOT, '2.4');
}

/** The lines of the exporter block NAME in the converted root, marker comments left out. */
function block(result: MigrationResult, name: string): string[] {
  const lines = result.files[0].converted.split('\n');
  const start = lines.indexOf(`event_exporter ${name} {`);
  assert.ok(start >= 0, `no event_exporter ${name}`);
  const end = lines.indexOf('}', start);
  return lines.slice(start, end + 1).filter((line) => !line.startsWith('# [2.4 migration]'));
}

test('event-exporter: an http-post exporter gets driver, http_post_url, the absolute request timeout and time_format', () => {
  const result = migrate(
    'event_exporter conn_state {\n  format = json\n  format_args = time-rfc3339\n  transport = http-post\n' +
      '  transport_args = http://nauthilus:8080/api/v1/custom/dovecot-session-cleaner\n  transport_timeout = 5sec\n}\n' +
      'metric m {\n  exporter = conn_state\n  filter = event=imap_command_finished\n}\n',
  );
  assert.deepEqual(block(result, 'conn_state'), [
    'event_exporter conn_state {',
    '  format = json',
    '  time_format = rfc3339',
    '  driver = http-post',
    '  http_post_url = http://nauthilus:8080/api/v1/custom/dovecot-session-cleaner',
    '  http_client_request_absolute_timeout = 5sec',
    '}',
  ]);
  assert.deepEqual(
    result.report.filter((entry) => entry.kind === 'not-converted'),
    [],
  );
});

test('event-exporter: the log and drop transports ignored transport_args and transport_timeout; they are commented out', () => {
  const result = migrate(
    'event_exporter log {\n  format = tab-text\n  format_args = time-unix\n  transport = log\n  transport_args = x\n  transport_timeout = 1s\n}\n',
  );
  const lines = block(result, 'log');
  assert.deepEqual(
    lines.filter((line) => !line.trimStart().startsWith('#')),
    ['event_exporter log {', '  format = tab-text', '  time_format = unix', '  driver = log', '}'],
  );
  const exporter = result.report.filter((entry) => entry.rule === 'event-exporter');
  assert.equal(exporter.length, 4);
  assert.ok(exporter.every((entry) => entry.kind === 'converted'));
});

test('event-exporter: format_args 2.3 refuses and a transport 2.3 does not have are left for the admin', () => {
  const result = migrate(
    'event_exporter x {\n  format = json\n  format_args = time-rfc3339 time-unix\n  transport = foo\n  transport_args = bar\n}\n',
  );
  const lines = block(result, 'x');
  assert.deepEqual(
    lines.filter((line) => !line.trimStart().startsWith('#')),
    ['event_exporter x {', '  format = json', '}'],
  );
  const left = result.report.filter((entry) => entry.kind === 'not-converted');
  assert.deepEqual(left.map((entry) => entry.rule).sort(), ['event-exporter', 'unknown-in-2.4', 'unknown-in-2.4']);
  assert.match(left.find((entry) => entry.rule === 'event-exporter')?.action ?? '', /time_format = rfc3339/);
});
