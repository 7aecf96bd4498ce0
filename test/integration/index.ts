// Test entry loaded by the VS Code extension host (code-server, or desktop VS Code via test-electron).
// DOVECOT_TEST_SUITE selects `full` (default: the development folder) or `smoke` (the installed .vsix).
// DOVECOT_TEST_RESULT_FILE, if set, receives {"passed": N, "failed": N} for the runner.
import * as fs from 'fs';
import * as path from 'path';
import Mocha from 'mocha';

export const RUN_FINISHED_MARKER = 'DOVECOT-INTEGRATION-RUN-FINISHED';

const SUITES: Record<string, string[]> = {
  // activation must run first: it checks that nothing has activated the extension yet.
  full: [
    'activation',
    'language',
    'contributions',
    'diagnostics',
    'completion',
    'codeActions',
    'navigation',
    'settings',
    'effective',
    'client',
    'projectFile',
    'setupReplication',
    'migrate',
    'replication',
  ],
  smoke: ['smoke', 'firstRun'],
  // a session with workspace trust on and the folder untrusted
  untrusted: ['untrusted'],
};

export function run(): Promise<void> {
  const suiteName = process.env.DOVECOT_TEST_SUITE || 'full';
  const files = SUITES[suiteName];
  if (!files) return Promise.reject(new Error(`unknown DOVECOT_TEST_SUITE ${suiteName}`));
  const mocha = new Mocha({ ui: 'tdd', timeout: 60000, color: false, grep: process.env.DOVECOT_TEST_GREP });
  for (const file of files) mocha.addFile(path.join(__dirname, `${file}.test.js`));

  return new Promise((resolve, reject) => {
    const runner = mocha.run((failures) => {
      const passed = runner.stats?.passes ?? 0;
      const resultFile = process.env.DOVECOT_TEST_RESULT_FILE;
      if (resultFile) {
        // write then rename: the runner treats the file's appearance as the end of the run
        fs.writeFileSync(`${resultFile}.tmp`, JSON.stringify({ passed, failed: failures }));
        fs.renameSync(`${resultFile}.tmp`, resultFile);
      }
      // The runner ends the session on this line: everything mocha printed before it has been forwarded.
      console.log(`${RUN_FINISHED_MARKER} passed=${passed} failed=${failures}`);
      if (failures > 0) reject(new Error(`${failures} integration test(s) failed`));
      else resolve();
    });
  });
}
