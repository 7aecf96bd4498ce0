// A `<file` value in a setting doveconf checks once everything is read: doveconf -n checks the text `<path`
// and fails, Dovecot reads the file. A warning naming doveconf's message, in 2.3 and in 2.4 (oracle cases
// gq01-gq03 of test/oracle and fv01-fv03 of test/oracle24 record doveconf's side).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { analyzeFiles } from './helpers/analyze';

const HEAD_24 = 'dovecot_config_version = 2.4.4\ndovecot_storage_version = 2.4.4\n';

/** `line code: message` of the errors and warnings on a tree. */
function findings(text: string): string[] {
  return analyzeFiles(text)
    .diagnostics.filter((d) => d.level === 'error' || d.level === 'warning')
    .map((d) => `${d.range.start.line + 1} ${d.code}: ${d.message}`);
}

function warning(line: number, key: string, path: string, message: string): string {
  return `${line} file-value-fails-doveconf: Dovecot reads ${key} from the file ${path} when it starts, but doveconf -n checks "<${path}" as written and stops with "${message}", so anything that checks the configuration with doveconf (doveconf -n, dovecot -n, doveadm config) fails.`;
}

describe('a <file value doveconf -n checks as written', () => {
  test('2.4: an event filter', () => {
    assert.deepEqual(findings(`${HEAD_24}log_debug = </etc/dovecot/filter\n`), [
      warning(
        3,
        'log_debug',
        '/etc/dovecot/filter',
        "Invalid log_debug: event filter: syntax error, unexpected '<', expecting end of file",
      ),
    ]);
  });

  test('2.4: a list of workarounds', () => {
    assert.deepEqual(findings(`${HEAD_24}imap_client_workarounds = </etc/dovecot/w\n`), [
      warning(
        3,
        'imap_client_workarounds',
        '/etc/dovecot/w',
        'imap_client_workarounds: Unknown workaround: </etc/dovecot/w',
      ),
    ]);
  });

  test('2.4: the same value written out is still the error doveconf gives', () => {
    assert.deepEqual(
      findings(`${HEAD_24}imap_client_workarounds = bogus\n`).map((finding) => finding.split(':')[0]),
      ['3 settings-check'],
    );
  });

  test('2.3: an event filter', () => {
    assert.deepEqual(findings('log_debug = </etc/dovecot/filter\n'), [
      warning(
        1,
        'log_debug',
        '/etc/dovecot/filter',
        "Invalid log_debug: event filter: syntax error, unexpected '<', expecting $end",
      ),
    ]);
  });
});
